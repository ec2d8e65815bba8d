package dev.lumen.interop;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** JSON trees compared as values: {@code -1} and {@code -1.0} are the same number. */
final class JsonNumbers {

	private JsonNumbers() {
	}

	static JsonNode normalised(JsonNode node) {
		if (node.isNumber()) {
			return JsonNodeFactory.instance.numberNode(node.asDouble());
		}
		if (node.isArray()) {
			var out = JsonNodeFactory.instance.arrayNode();
			node.forEach(n -> out.add(normalised(n)));
			return out;
		}
		if (node.isObject()) {
			var out = JsonNodeFactory.instance.objectNode();
			node.properties().forEach(e -> out.set(e.getKey(), normalised(e.getValue())));
			return out;
		}
		return node;
	}

	/** @return the path and values of the first place where two trees differ (numbers compared as values), or null */
	static String firstDifference(JsonNode a, JsonNode b, String path) {
		if (a.isNumber() && b.isNumber()) {
			return a.asDouble() == b.asDouble() ? null : path + ": " + a + " vs " + b;
		}
		if (a.isArray() && b.isArray()) {
			if (a.size() != b.size()) {
				return path + ": " + a.size() + " vs " + b.size() + " elements";
			}
			for (int i = 0; i < a.size(); i++) {
				String d = firstDifference(a.get(i), b.get(i), path + "[" + i + "]");
				if (d != null) {
					return d;
				}
			}
			return null;
		}
		if (a.isObject() && b.isObject()) {
			if (!a.propertyNames().equals(b.propertyNames())) {
				return path + ": keys " + a.propertyNames() + " vs " + b.propertyNames();
			}
			for (String k : a.propertyNames()) {
				String d = firstDifference(a.get(k), b.get(k), path + "." + k);
				if (d != null) {
					return d;
				}
			}
			return null;
		}
		return a.equals(b) ? null : path + ": " + a + " vs " + b;
	}
}
