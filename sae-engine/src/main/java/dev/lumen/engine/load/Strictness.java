package dev.lumen.engine.load;

import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a loader does with input it does not understand (an unknown config key, a tensor nothing reads): refuse it
 * (the default), or, for people who know the input better than Lumen does, log a warning and go on.
 * Values Lumen cannot compute at all (an unsupported activation, rope type or architecture) are refused either way.
 */
public enum Strictness {

	/** Refuse unknown keys and unused tensors. */
	STRICT,

	/** Log unknown keys and unused tensors as warnings and load anyway. */
	LENIENT;

	/** System property that makes {@link #fromSystem()} lenient (the CLI's {@code --lenient} sets it). */
	public static final String PROPERTY = "lumen.engine.lenient";

	private static final Logger LOG = LoggerFactory.getLogger(Strictness.class);

	/** @return LENIENT when {@code -Dlumen.engine.lenient=true}, else STRICT */
	public static Strictness fromSystem() {
		return Boolean.getBoolean(PROPERTY) ? LENIENT : STRICT;
	}

	/**
	 * Refuses a problem, or logs it when lenient.
	 * @param message what is wrong, naming the file, key or tensor
	 * @param error builds the exception to throw when strict
	 */
	public void refuse(String message, Function<String, ? extends RuntimeException> error) {
		if (this == STRICT) {
			throw error.apply(message + " (pass --lenient, or Strictness.LENIENT in the API, to load anyway)");
		}
		LOG.warn("{} (loaded anyway: lenient)", message);
	}
}
