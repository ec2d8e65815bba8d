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

/** {@code lumen pull-sae hf:ORG/NAME --path SUBDIR}: fetches a SAELens-format SAE into the model cache. */
@Command(name = "pull-sae", mixinStandardHelpOptions = true,
		description = "Download a SAELens-format SAE from the Hugging Face Hub (same cache as models).")
public class PullSaeCommand implements Callable<Integer> {

	@Parameters(index = "0", description = "Repository: hf:ORG/NAME or hf:ORG/NAME@REVISION.")
	String ref;

	@Option(names = "--path", defaultValue = "", description = "Folder of the SAE inside the repository, e.g. blocks.8.hook_resid_pre.")
	String path;

	@Override
	public Integer call() throws Exception {
		ProgressBar bar = new ProgressBar(System.out);
		Path dir = SaeHub.pull(new HubDownloader(), HubRef.parse(this.ref), this.path, (file, done, total) -> bar
			.draw(total > 0 ? (double) done / total : 0, file, total > 0 && done == total));
		bar.finish();
		SaeConfig cfg = SaeConfigJson.read(dir.resolve(SaeFiles.CONFIG));
		System.out.println(cfg.architecture().id() + " SAE, d_in=" + cfg.dIn() + ", d_sae=" + cfg.dSae() + ", hook "
				+ cfg.hookName() + " of " + cfg.modelName());
		System.out.println(dir);
		return 0;
	}
}
