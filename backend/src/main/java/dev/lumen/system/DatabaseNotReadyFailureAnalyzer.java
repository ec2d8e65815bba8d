package dev.lumen.system;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link DatabaseNotReadyException} into Spring Boot's one-screen "what to do" report. */
class DatabaseNotReadyFailureAnalyzer extends AbstractFailureAnalyzer<DatabaseNotReadyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DatabaseNotReadyException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
	}
}
