package dev.lumen.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * SAELens' release names ({@code gpt2-small-res-jb}, {@code gemma-scope-2b-pt-res-canonical}, ...) from its
 * {@code pretrained_saes.yaml}, vendored under {@code saelens/} (MIT; refreshed by
 * {@code scripts/refresh-saelens-releases.sh}), resolved to the Hub repository and folder that hold the SAE.
 */
final class SaeLensReleases {

	private static final String RESOURCE = "/saelens/pretrained_saes.yaml";

	/** The SAELens conversion whose files Lumen reads too: Gemma Scope's params.npz. */
	static final String GEMMA_SCOPE = "gemma_2";

	/**
	 * Where a released SAE lives.
	 * @param repoId Hub repository
	 * @param path folder of the SAE inside it
	 * @param model the model SAELens names for it
	 * @param overrides the release's {@code config_overrides}, which SAELens applies to the SAE's config when it loads
	 *     it (e.g. {@code model_from_pretrained_kwargs: {center_writing_weights: true}}); empty when none
	 * @param gemmaScope whether the files are Gemma Scope's params.npz (SAELens' {@code gemma_2} conversion)
	 */
	record Resolved(String repoId, String path, String model, Map<String, Object> overrides, boolean gemmaScope) {
	}

	private final Map<String, Object> releases;

	private SaeLensReleases(Map<String, Object> releases) {
		this.releases = releases;
	}

	/** Reads the vendored list. */
	static SaeLensReleases load() {
		try (InputStream in = SaeLensReleases.class.getResourceAsStream(RESOURCE)) {
			if (in == null) {
				throw new IllegalStateException("missing resource " + RESOURCE);
			}
			Map<String, Object> map = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
			return new SaeLensReleases(map);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read " + RESOURCE + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Finds a release's SAE.
	 * @throws IllegalArgumentException for an unknown release or id (listing valid ones), or a release whose files
	 *     are not in SAELens' own format (they need a conversion Lumen does not do)
	 */
	@SuppressWarnings("unchecked")
	Resolved resolve(String release, String saeId) {
		Object entry = this.releases.get(release);
		if (!(entry instanceof Map<?, ?> r)) {
			List<String> close = this.releases.keySet().stream()
				.filter(name -> name.contains(release) || release.contains(name.split("-")[0])).sorted().limit(12).toList();
			throw new IllegalArgumentException("unknown SAELens release '" + release + "' (" + this.releases.size()
					+ " releases known" + (close.isEmpty() ? "" : "; similar: " + String.join(", ", close)) + ")");
		}
		Object conversion = r.get("conversion_func");
		if (conversion != null && !GEMMA_SCOPE.equals(conversion)) {
			throw new IllegalArgumentException("release '" + release + "' stores its SAEs in another format (SAELens "
					+ "converts them with '" + conversion + "'); Lumen reads SAELens-format directories and Gemma Scope's "
					+ "params.npz only");
		}
		List<String> ids = new ArrayList<>();
		for (Object sae : (List<Object>) r.get("saes")) {
			Map<String, Object> s = (Map<String, Object>) sae;
			ids.add(String.valueOf(s.get("id")));
			if (saeId.equals(String.valueOf(s.get("id")))) {
				Map<String, Object> overrides = (Map<String, Object>) r.get("config_overrides");
				return new Resolved(String.valueOf(r.get("repo_id")), String.valueOf(s.get("path")),
						String.valueOf(r.get("model")), overrides == null ? Map.of() : overrides, conversion != null);
			}
		}
		throw new IllegalArgumentException("ID " + saeId + " not found in release " + release + ". Valid IDs are "
				+ String.join(", ", ids));
	}

	/** @return the first release (in file order) SAELens converts with {@code conversion}, for tests and messages */
	String releaseWithConversion(String conversion) {
		return this.releases.entrySet().stream()
			.filter(e -> e.getValue() instanceof Map<?, ?> m && conversion.equals(m.get("conversion_func")))
			.map(Map.Entry::getKey).findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no release uses conversion '" + conversion + "'"));
	}
}
