package dev.lumen.api;

/** A query parameter outside what the API accepts (HTTP 400 naming the parameter and its valid values). */
class BadParameterException extends RuntimeException {

	BadParameterException(String message) {
		super(message);
	}
}
