package dev.lumen.engine.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Checks that every key of a JSON config is one the loader understands (and applies) or one on an explicit list
 * of keys that do not change the computation. Anything else is refused through {@link Strictness}.
 */
public final class ConfigKeys {

	private ConfigKeys() {
	}

	/**
	 * @param root the config object
	 * @param what the file and the kind of model, for the message (e.g. "/m/config.json (LlamaForCausalLM)")
	 * @param understood keys whose values the loader reads and applies
	 * @param harmless keys that do not change the computation
	 * @param strictness refuse or warn
	 * @param error builds the exception thrown when strict
	 */
	public static void check(JsonNode root, String what, Collection<String> understood, Collection<String> harmless,
			Strictness strictness, Function<String, ? extends RuntimeException> error) {
		List<String> unknown = new ArrayList<>();
		for (var it = root.fieldNames(); it.hasNext();) {
			String key = it.next();
			if (!understood.contains(key) && !harmless.contains(key)) {
				unknown.add("'" + key + "' = " + abbreviate(root.get(key).toString()));
			}
		}
		if (!unknown.isEmpty()) {
			strictness.refuse(what + ": " + (unknown.size() == 1 ? "key " : "keys ") + String.join(", ", unknown)
					+ (unknown.size() == 1 ? " is" : " are") + " not understood, so Lumen cannot promise to compute what the "
					+ "writing library computes; understood: " + sorted(understood) + "; known not to change the computation: "
					+ sorted(harmless), error);
		}
	}

	private static String sorted(Collection<String> keys) {
		return String.join(", ", new TreeSet<>(keys));
	}

	/** Long values (nested objects, token lists) are cut so the message stays readable. */
	static String abbreviate(String value) {
		return value.length() <= 80 ? value : value.substring(0, 77) + "...";
	}

	/** @return an unmodifiable set of the given keys and the extra ones */
	public static Set<String> union(Collection<String> a, String... extra) {
		Set<String> s = new TreeSet<>(a);
		s.addAll(List.of(extra));
		return Set.copyOf(s);
	}
}
