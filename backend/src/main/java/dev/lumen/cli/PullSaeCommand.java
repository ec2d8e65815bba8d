package dev.lumen.cli;

import dev.lumen.engine.hub.HubDownloader;
import dev.lumen.engine.hub.HubRef;
import dev.lumen.engine.hub.ProgressListener;
import dev.lumen.engine.model.TransformerLensProcessing;
import dev.lumen.engine.sae.SaeConfig;
import dev.lumen.engine.sae.SaeConfigJson;
import dev.lumen.engine.sae.SaeFiles;
import dev.lumen.engine.sae.SaeHub;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lumen pull-sae hf:ORG/NAME --path SUBDIR} or {@code lumen pull-sae RELEASE --sae-id ID} (a SAELens release
 * name): fetches a SAELens-format SAE into the model cache.
 */
@Command(name = "pull-sae", mixinStandardHelpOptions = true,
		description = "Download a SAELens-format SAE from the Hugging Face Hub (same cache as models), by repository "
				+ "(hf:ORG/NAME --path DIR) or by SAELens release name (e.g. gpt2-small-res-jb --sae-id blocks.8.hook_resid_pre; "
				+ "Gemma Scope releases fetch params.npz).")
public class PullSaeCommand implements Callable<Integer> {

	@Parameters(index = "0", description = "Repository (hf:ORG/NAME or hf:ORG/NAME@REVISION) or SAELens release name.")
	String ref;

	@Option(names = "--path", defaultValue = "", description = "Folder of the SAE inside the repository, e.g. blocks.8.hook_resid_pre.")
	String path;

	@Option(names = "--sae-id", description = "SAE id inside a SAELens release, e.g. blocks.8.hook_resid_pre.")
	String saeId;

	@Override
	public Integer call() throws Exception {
		HubRef hubRef;
		String folder = this.path;
		SaeLensReleases.Resolved release = null;
		if (this.ref.startsWith("hf:")) {
			hubRef = HubRef.parse(this.ref);
		}
		else {
			if (this.saeId == null) {
				throw new IllegalArgumentException("'" + this.ref + "' is read as a SAELens release name; give the SAE with "
						+ "--sae-id ID (or use hf:ORG/NAME --path DIR)");
			}
			release = SaeLensReleases.load().resolve(this.ref, this.saeId);
			hubRef = HubRef.parse("hf:" + release.repoId());
			folder = release.path();
		}
		ProgressBar bar = new ProgressBar(System.out);
		ProgressListener progress = (file, done, total) -> bar.draw(total > 0 ? (double) done / total : 0, file,
				total > 0 && done == total);
		Path dir = release != null && release.gemmaScope() ? SaeHub.pullGemmaScope(new HubDownloader(), hubRef, folder, progress)
				: SaeHub.pull(new HubDownloader(), hubRef, folder, progress);
		bar.finish();
		if (release != null) {
			writeOverrides(dir, release.overrides());
		}
		SaeConfig cfg = SaeConfigJson.read(dir.resolve(SaeFiles.CONFIG));
		System.out.println(cfg.architecture().id() + " SAE, d_in=" + cfg.dIn() + ", d_sae=" + cfg.dSae() + ", hook "
				+ cfg.hookName() + " of " + cfg.modelName());
		if (!cfg.modelProcessing().equals(TransformerLensProcessing.NONE)) {
			System.out.println("trained on TransformerLens activations with " + cfg.modelProcessing().asKwargs()
					+ "; Lumen feeds it the same (docs/engine.md, \"Where Hugging Face and TransformerLens differ\")");
		}
		System.out.println(dir);
		return 0;
	}

	/**
	 * SAELens applies a release's config_overrides to the SAE's config whenever it loads it; Lumen keeps them next to
	 * cfg.json ({@link SaeConfigJson#OVERRIDES_FILE}), where every SAE load merges them in the same way.
	 */
	private static void writeOverrides(Path dir, Map<String, Object> overrides) throws java.io.IOException {
		Path file = dir.resolve(SaeConfigJson.OVERRIDES_FILE);
		if (overrides.isEmpty()) {
			java.nio.file.Files.deleteIfExists(file);
			return;
		}
		SaeFiles.writeAtomically(file, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(overrides));
	}
}
