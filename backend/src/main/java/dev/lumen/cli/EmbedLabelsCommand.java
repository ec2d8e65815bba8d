package dev.lumen.cli;

import dev.lumen.embedding.LabelEmbeddings;
import dev.lumen.sae.SaeDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code lumen embed-labels}: compute the label vectors semantic search needs, where missing or stale. */
@Command(name = "embed-labels", mixinStandardHelpOptions = true,
		description = "Embed the newest label of every labelled feature (local MiniLM, offline) for semantic search, "
				+ "where the vector is missing or was computed from an older label. 'lumen serve' does the same in the "
				+ "background when it starts.")
public class EmbedLabelsCommand implements Callable<Integer> {

	@Option(names = "--model-name", description = "URL name of the model (with --sae-name; default: every SAE)")
	String modelName;

	@Option(names = "--sae-name", description = "URL name of the SAE")
	String saeName;

	@Unmatched
	List<String> springArgs = new ArrayList<>();

	@Override
	public Integer call() {
		if ((this.modelName == null) != (this.saeName == null)) {
			throw new IllegalArgumentException("give both --model-name and --sae-name, or neither (every SAE)");
		}
		try (ConfigurableApplicationContext context = SpringContexts.withoutWeb(this.springArgs.toArray(String[]::new))) {
			Long saeId = this.modelName == null ? null
					: context.getBean(SaeDirectory.class).resolve(this.modelName, this.saeName).saeId();
			LabelEmbeddings embeddings = context.getBean(LabelEmbeddings.class);
			int pending = embeddings.countPending(saeId);
			ProgressBar bar = new ProgressBar(System.err);
			int done = embeddings.backfill(saeId, n -> bar.draw(pending == 0 ? 1 : Math.min(1, (double) n / pending),
					String.format("%,d/%,d labels", n, pending), n >= pending));
			bar.finish();
			System.out.printf("embedded %,d labels for semantic search%n", done);
			return 0;
		}
	}
}
