package dev.lumen.analysis;

/** A request the analysis cannot run, with a message for the user (answered as 400). */
public class AnalysisException extends RuntimeException {

	public AnalysisException(String message) {
		super(message);
	}
}
