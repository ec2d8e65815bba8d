package dev.lumen.engine.hub;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face Hub reference {@code hf:ORG/NAME[@revision]}.
 * @param repoId {@code ORG/NAME}
 * @param revision branch, tag or commit ({@code main} when omitted)
 */
public record HubRef(String repoId, String revision) {

	private static final Pattern REF = Pattern.compile("^hf:([A-Za-z0-9][\\w.-]*/[\\w.-]+)(?:@([\\w./-]+))?$");

	/**
	 * Parses {@code hf:ORG/NAME[@revision]}.
	 * @throws IllegalArgumentException showing the expected form
	 */
	public static HubRef parse(String ref) {
		Matcher m = REF.matcher(ref.trim());
		if (!m.matches() || m.group(1).contains("..")) {
			throw new IllegalArgumentException("'" + ref + "' is not a hub reference; expected hf:ORG/NAME or hf:ORG/NAME@REVISION");
		}
		return new HubRef(m.group(1), m.group(2) == null ? "main" : m.group(2));
	}

	/** @return true when {@code text} looks like a hub reference rather than a local path */
	public static boolean isHubRef(String text) {
		return text.startsWith("hf:");
	}

	@Override
	public String toString() {
		return "hf:" + this.repoId + "@" + this.revision;
	}
}
