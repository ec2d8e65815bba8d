package dev.lumen.cli;

import dev.lumen.interop.InteropImporter;
import dev.lumen.interop.InteropImporter.Report;
import dev.lumen.interop.InteropImporter.Request;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** {@code lumen import saedashboard|neuronpedia}: feature data made by other tools (docs/interop.md). */
@Command(name = "import", mixinStandardHelpOptions = true,
		description = "Import feature data from SAEDashboard batch files or a Neuronpedia dataset export.",
		subcommands = { ImportCommand.SaeDashboard.class, ImportCommand.Neuronpedia.class })
public class ImportCommand {

	/** Options both importers share. */
	static class Target {

		@Option(names = "--model-config", description = "the model's Hugging Face config.json, when the model is new "
				+ "to Lumen (its token strings then come from the files)")
		Path modelConfig;

		@Option(names = "--sae-dir", description = "SAELens directory (cfg.json, and sae_weights.safetensors to link "
				+ "the weights), when the SAE is new to Lumen")
		Path saeDir;

		@Option(names = "--replace", description = "overwrite features that already hold data instead of refusing")
		boolean replace;

		@Unmatched
		List<String> springArgs = new ArrayList<>();

		int run(String model, String sae, java.util.function.BiFunction<InteropImporter, Request, Report> action) {
			try (ConfigurableApplicationContext context = SpringContexts.withoutWeb(this.springArgs.toArray(String[]::new))) {
				Report r = action.apply(context.getBean(InteropImporter.class),
						new Request(model, sae, this.modelConfig, this.saeDir, this.replace));
				System.out.printf("imported %,d features into %s/%s (%d files, %d already imported)%n", r.features(),
						r.modelName(), r.saeName(), r.files(), r.filesSkipped());
				System.out.printf("pages: /%s/%s/{index}%n", r.modelName(), r.saeName());
				return 0;
			}
		}
	}

	@Command(name = "saedashboard", mixinStandardHelpOptions = true,
			description = "Import SAEDashboard / Neuronpedia-runner batch files (batch-N.json, or directories of them).")
	static class SaeDashboard extends Target implements Callable<Integer> {

		@Parameters(arity = "1..*", paramLabel = "DIR_OR_FILES")
		List<Path> paths;

		@Option(names = "--model", required = true, description = "URL name of the model in Lumen")
		String model;

		@Option(names = "--sae", required = true, description = "URL name of the SAE in Lumen")
		String sae;

		@Override
		public Integer call() {
			return run(this.model, this.sae, (importer, request) -> importer.importSaeDashboard(this.paths, request,
					line -> System.err.println(line)));
		}
	}

	@Command(name = "neuronpedia", mixinStandardHelpOptions = true,
			description = "Import a Neuronpedia dataset export of one source (features/, activations/, explanations/).")
	static class Neuronpedia extends Target implements Callable<Integer> {

		@Parameters(index = "0", paramLabel = "EXPORT_DIR")
		Path dir;

		@Option(names = "--model", description = "URL name of the model in Lumen (default: the export's modelId)")
		String model;

		@Option(names = "--sae", description = "URL name of the SAE in Lumen (default: the export's source id)")
		String sae;

		@Override
		public Integer call() {
			return run(this.model, this.sae, (importer, request) -> importer.importNeuronpedia(this.dir, request,
					line -> System.err.println(line)));
		}
	}
}
