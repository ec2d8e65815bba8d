package dev.lumen.review;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** A queue or export filter names a value that does not exist. */
@ResponseStatus(HttpStatus.BAD_REQUEST)
public class InvalidFilterException extends RuntimeException {

	public InvalidFilterException(String message) {
		super(message);
	}
}
