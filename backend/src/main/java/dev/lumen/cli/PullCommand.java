package dev.lumen.cli;

import dev.lumen.engine.hub.HubDownloader;
import dev.lumen.engine.hub.HubRef;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lumen pull hf:ORG/NAME[@rev]}: downloads what a model needs into the local cache. */
@Command(name = "pull", mixinStandardHelpOptions = true,
		description = "Download a model (config, safetensors shards, tokenizer files) from the Hugging Face Hub into the "
				+ "cache (~/.cache/lumen, or LUMEN_CACHE), resuming partial files and verifying checksums; HF_TOKEN is "
				+ "sent when set. Prints the local directory, which --model accepts.")
public class PullCommand implements Callable<Integer> {

	@Parameters(index = "0", description = "hf:ORG/NAME or hf:ORG/NAME@REVISION")
	String ref;

	@Override
	public Integer call() throws Exception {
		ProgressBar bar = new ProgressBar(System.err);
		Path dir = new HubDownloader().pullModel(HubRef.parse(this.ref), (file, done, total) -> bar
			.draw(total > 0 ? (double) done / total : 0, file, total > 0 && done == total));
		bar.finish();
		System.out.println(dir);
		return 0;
	}
}
