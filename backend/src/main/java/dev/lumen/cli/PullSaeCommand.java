package dev.lumen.cli;

import dev.lumen.engine.hub.HubDownloader;
import dev.lumen.engine.hub.HubRef;
import dev.lumen.engine.sae.SaeConfig;
import dev.lumen.engine.sae.SaeConfigJson;
import dev.lumen.engine.sae.SaeFiles;
import dev.lumen.engine.sae.SaeHub;
import java.nio.file.Path;
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
				+ "(hf:ORG/NAME --path DIR) or by SAELens release name (e.g. gpt2-small-res-jb --sae-id blocks.8.hook_resid_pre).")
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
		if (this.ref.startsWith("hf:")) {
			hubRef = HubRef.parse(this.ref);
		}
		else {
			if (this.saeId == null) {
				throw new IllegalArgumentException("'" + this.ref + "' is read as a SAELens release name; give the SAE with "
						+ "--sae-id ID (or use hf:ORG/NAME --path DIR)");
			}
			SaeLensReleases.Resolved r = SaeLensReleases.load().resolve(this.ref, this.saeId);
			r.notes().forEach(System.out::println);
			hubRef = HubRef.parse("hf:" + r.repoId());
			folder = r.path();
		}
		ProgressBar bar = new ProgressBar(System.out);
		Path dir = SaeHub.pull(new HubDownloader(), hubRef, folder, (file, done, total) -> bar
			.draw(total > 0 ? (double) done / total : 0, file, total > 0 && done == total));
		bar.finish();
		SaeConfig cfg = SaeConfigJson.read(dir.resolve(SaeFiles.CONFIG));
		System.out.println(cfg.architecture().id() + " SAE, d_in=" + cfg.dIn() + ", d_sae=" + cfg.dSae() + ", hook "
				+ cfg.hookName() + " of " + cfg.modelName());
		System.out.println(dir);
		return 0;
	}
}
