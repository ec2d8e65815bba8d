package dev.lumen.autointerp;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The language-model calls made for one feature, for the audit trail ({@code autointerp_call}). The batch opens a
 * transcript on the worker thread before explaining a feature and closes it after; calls happen deep inside
 * explainers and scorers, which is why the transcript is bound to the thread instead of passed down. Calls made
 * with no transcript open (tests, one-off use) are not recorded.
 */
public final class Transcript implements AutoCloseable {

	/**
	 * @param httpStatus null when no answer came
	 * @param error why the attempt was not used, null when it was
	 */
	public record Call(String purpose, String client, String system, String user, Integer httpStatus, String response,
			String error) {

		Call rejected(String why) {
			return new Call(this.purpose, this.client, this.system, this.user, this.httpStatus, this.response, why);
		}
	}

	private static final ThreadLocal<Transcript> CURRENT = new ThreadLocal<>();

	private final List<Call> calls = new ArrayList<>();

	private Transcript() {
	}

	/** Opens a transcript on this thread; close it to stop recording. */
	public static Transcript open() {
		Transcript t = new Transcript();
		CURRENT.set(t);
		return t;
	}

	static void record(Call call) {
		Transcript t = CURRENT.get();
		if (t != null) {
			t.calls.add(call);
		}
	}

	/** Marks the last recorded call as not used, e.g. because its answer was malformed. */
	static void rejectLast(String why) {
		Transcript t = CURRENT.get();
		if (t != null && !t.calls.isEmpty()) {
			int last = t.calls.size() - 1;
			t.calls.set(last, t.calls.get(last).rejected(why));
		}
	}

	/** Runs {@code parse}; when it throws, the last call is marked rejected with the reason. */
	static <T> T parsed(Supplier<T> parse) {
		try {
			return parse.get();
		}
		catch (LlmException ex) {
			rejectLast(ex.getMessage());
			throw ex;
		}
	}

	/** @return the calls so far, oldest first */
	public List<Call> calls() {
		return List.copyOf(this.calls);
	}

	@Override
	public void close() {
		CURRENT.remove();
	}
}
