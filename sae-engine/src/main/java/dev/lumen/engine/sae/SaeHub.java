package dev.lumen.engine.sae;

import dev.lumen.engine.hub.HubDownloader;
import dev.lumen.engine.hub.HubRef;
import dev.lumen.engine.hub.ProgressListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Fetches SAELens-format SAEs from the Hugging Face Hub, into the same cache as models. */
public final class SaeHub {

	private SaeHub() {
	}

	/**
	 * Downloads one SAE ({@code cfg.json}, {@code sae_weights.safetensors} and, when present,
	 * {@code sparsity.safetensors}) from a folder of a hub repository and checks it loads.
	 *
	 * @param hub the downloader (cache, endpoint, token)
	 * @param ref the repository, e.g. {@code hf:jbloom/GPT2-Small-SAEs-Reformatted}
	 * @param path folder inside the repository, e.g. {@code blocks.8.hook_resid_pre}; empty for the top level
	 * @param listener download progress
	 * @return the local SAE directory, loadable by {@link Sae#loadFromDisk}
	 * @throws SaeFormatException listing the repository's SAE folders when {@code path} holds no SAE, or when the
	 *     downloaded files are inconsistent
	 */
	public static Path pull(HubDownloader hub, HubRef ref, String path, ProgressListener listener) throws IOException {
		String prefix = path == null ? "" : path.replaceAll("^/+|/+$", "");
		prefix = prefix.isEmpty() ? "" : prefix + "/";
		List<String> all = hub.listFiles(ref.repoId(), ref.revision());
		String cfg = prefix + SaeFiles.CONFIG;
		String weights = prefix + SaeFiles.WEIGHTS;
		if (!all.contains(cfg) || !all.contains(weights)) {
			throw new SaeFormatException(ref + ": no SAE at '" + (prefix.isEmpty() ? "/" : prefix) + "' (a SAELens SAE needs "
					+ SaeFiles.CONFIG + " and " + SaeFiles.WEIGHTS + "); SAE folders in this repository: "
					+ saeFolders(all));
		}
		List<String> files = new ArrayList<>(List.of(cfg, weights));
		if (all.contains(prefix + SaeFiles.SPARSITY)) {
			files.add(prefix + SaeFiles.SPARSITY);
		}
		Path dir = hub.download(ref.repoId(), ref.revision(), files, listener);
		Path sae = prefix.isEmpty() ? dir : dir.resolve(prefix);
		SaeFiles.readParameters(sae);
		return sae;
	}

	/**
	 * Downloads a Gemma Scope SAE ({@code params.npz} of a repository folder) and writes next to it the cfg.json SAELens
	 * derives from the repository and folder names ({@link GemmaScope#config}), then checks it loads.
	 * @return the local SAE directory, loadable by {@link Sae#loadFromDisk}
	 * @throws SaeFormatException when the folder holds no params.npz (listing the folders that do)
	 */
	public static Path pullGemmaScope(HubDownloader hub, HubRef ref, String path, ProgressListener listener)
			throws IOException {
		String folder = path == null ? "" : path.replaceAll("^/+|/+$", "");
		String npz = folder.isEmpty() ? GemmaScope.PARAMS : folder + "/" + GemmaScope.PARAMS;
		List<String> all = hub.listFiles(ref.repoId(), ref.revision());
		if (!all.contains(npz)) {
			TreeSet<String> folders = new TreeSet<>();
			all.stream().filter(f -> f.endsWith("/" + GemmaScope.PARAMS))
				.forEach(f -> folders.add(f.substring(0, f.length() - GemmaScope.PARAMS.length() - 1)));
			throw new SaeFormatException(ref + ": no " + npz + "; folders with " + GemmaScope.PARAMS + ": "
					+ (folders.isEmpty() ? "none" : String.join(", ", folders)));
		}
		String cfg;
		try {
			cfg = GemmaScope.config(ref.repoId(), folder).toPrettyString();
		}
		catch (IllegalArgumentException ex) {
			throw new SaeFormatException(ex.getMessage(), ex);
		}
		Path dir = hub.download(ref.repoId(), ref.revision(), List.of(npz), listener);
		Path sae = folder.isEmpty() ? dir : dir.resolve(folder);
		SaeFiles.writeAtomically(sae.resolve(SaeFiles.CONFIG), cfg);
		SaeFiles.readParameters(sae);
		return sae;
	}

	/** @return folders holding both SAE files, or "none" */
	static String saeFolders(List<String> files) {
		TreeSet<String> folders = new TreeSet<>();
		for (String f : files) {
			if (f.endsWith(SaeFiles.CONFIG)) {
				String folder = f.substring(0, f.length() - SaeFiles.CONFIG.length());
				if (files.contains(folder + SaeFiles.WEIGHTS)) {
					folders.add(folder.isEmpty() ? "/" : folder.substring(0, folder.length() - 1));
				}
			}
		}
		return folders.isEmpty() ? "none" : String.join(", ", folders);
	}
}
