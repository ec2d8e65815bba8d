package dev.lumen.display;

/**
 * Where a model or SAE came from, as pages may show it: Hub references ({@code hf:org/name...}) as they are, local
 * files only by their last path element, so the server's filesystem layout is never published.
 */
public final class PublicSource {

	private PublicSource() {
	}

	/** @return e.g. {@code hf:jbloom/GPT2-Small-SAEs}, or {@code local: tinystories-sae} for {@code /srv/x/tinystories-sae} */
	public static String of(String source) {
		if (source == null || source.isBlank()) {
			return "unknown";
		}
		if (source.startsWith("hf:") || source.startsWith("https://huggingface.co/")) {
			return source;
		}
		String trimmed = source.replaceAll("[/\\\\]+$", "");
		int slash = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
		return "local: " + trimmed.substring(slash + 1);
	}
}
