package dev.lumen.cli;

import dev.lumen.map.FeatureMapBuilder;
import dev.lumen.sae.ResolvedSae;
import dev.lumen.sae.SaeDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code lumen map}: decoder-neighbour lists and the feature map of an already extracted SAE. */
@Command(name = "map", mixinStandardHelpOptions = true,
		description = "Compute every feature's exact nearest decoder neighbours (cosine) and the SAE's feature map "
				+ "(UMAP of the decoder directions, clustered), replacing earlier ones. 'lumen extract' runs this at "
				+ "its end.")
public class MapCommand implements Callable<Integer> {

	@Option(names = "--model-name", description = "URL name of the model (with --sae-name; default: every SAE)")
	String modelName;

	@Option(names = "--sae-name", description = "URL name of the SAE")
	String saeName;

	@Option(names = "--seed", defaultValue = "42", description = "seed of the layout and clusters (default: ${DEFAULT-VALUE})")
	long seed;

	@Option(names = "--max-laid-out", defaultValue = "" + FeatureMapBuilder.DEFAULT_MAX_LAID_OUT,
			description = "features laid out together; beyond it a seeded sample is laid out and the rest placed by "
					+ "UMAP's transform (default: ${DEFAULT-VALUE})")
	int maxLaidOut;

	@Option(names = "--device", defaultValue = "cpu", description = "where the neighbour products run: cpu, cuda, "
			+ "cuda:N or auto (default: ${DEFAULT-VALUE})")
	String device;

	@Unmatched
	List<String> springArgs = new ArrayList<>();

	@Override
	public Integer call() {
		if ((this.modelName == null) != (this.saeName == null)) {
			throw new IllegalArgumentException("give both --model-name and --sae-name, or neither (every SAE)");
		}
		if (this.maxLaidOut < 3) {
			throw new IllegalArgumentException("--max-laid-out must be at least 3, got " + this.maxLaidOut);
		}
		try (ConfigurableApplicationContext context = SpringContexts.withoutWeb(this.springArgs.toArray(String[]::new))) {
			SaeDirectory directory = context.getBean(SaeDirectory.class);
			List<ResolvedSae> saes = this.modelName == null ? directory.all()
					: List.of(directory.resolve(this.modelName, this.saeName));
			for (ResolvedSae sae : saes) {
				build(context, sae, new FeatureMapBuilder.Options(this.seed, this.maxLaidOut, this.device));
			}
			return 0;
		}
	}

	/** Builds the map of an SAE that extraction has just stored (the last step of {@code lumen extract}). */
	static void afterExtraction(ConfigurableApplicationContext context, String modelName, String saeName, String device) {
		ResolvedSae sae = context.getBean(SaeDirectory.class).resolve(modelName, saeName);
		FeatureMapBuilder.Options defaults = FeatureMapBuilder.Options.defaults();
		build(context, sae, new FeatureMapBuilder.Options(defaults.seed(), defaults.maxLaidOut(), device));
	}

	private static void build(ConfigurableApplicationContext context, ResolvedSae sae, FeatureMapBuilder.Options options) {
		String name = sae.modelName() + "/" + sae.saeName();
		FeatureMapBuilder.Outcome o = context.getBean(FeatureMapBuilder.class)
			.build(sae.sae(), options, step -> System.err.print("\r\033[K" + name + ": " + step));
		System.err.println();
		System.out.printf("map of %s: %,d features, %d clusters, %,d laid out together; read %.1f s, neighbours "
				+ "%.1f s, layout %.1f s, clusters %.1f s, store %.1f s; peak heap %,d MiB%n", name, o.features(),
				o.clusters(), o.laidOut(), o.readSeconds(), o.neighbourSeconds(), o.layoutSeconds(), o.clusterSeconds(),
				o.writeSeconds(), ExtractCommand.peakHeapBytes() >> 20);
	}
}
