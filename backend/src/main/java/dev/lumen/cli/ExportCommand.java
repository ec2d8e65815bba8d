package dev.lumen.cli;

import dev.lumen.interop.NeuronpediaExporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** {@code lumen export neuronpedia}: an SAE's features in the format Neuronpedia's upload reads. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export feature data for other tools.",
		subcommands = { ExportCommand.Neuronpedia.class })
public class ExportCommand {

	@Command(name = "neuronpedia", mixinStandardHelpOptions = true,
			description = "Write SAEDashboard batch files (batch-N.json) and the SAE's SAELens cfg.json (and weights) to OUT.")
	static class Neuronpedia implements Callable<Integer> {

		@Option(names = "--model", required = true, description = "URL name of the model")
		String model;

		@Option(names = "--sae", required = true, description = "URL name of the SAE")
		String sae;

		@Parameters(index = "0", paramLabel = "OUT")
		Path out;

		@Unmatched
		List<String> springArgs = new ArrayList<>();

		@Override
		public Integer call() throws IOException {
			try (ConfigurableApplicationContext context = SpringContexts.withoutWeb(this.springArgs.toArray(String[]::new))) {
				int n = context.getBean(NeuronpediaExporter.class).export(this.model, this.sae, this.out,
						line -> System.err.println(line));
				System.out.printf("exported %,d features of %s/%s to %s%n", n, this.model, this.sae, this.out);
				return 0;
			}
		}
	}
}
