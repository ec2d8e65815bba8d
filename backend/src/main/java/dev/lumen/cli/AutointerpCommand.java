package dev.lumen.cli;

import dev.lumen.autointerp.AnthropicClient;
import dev.lumen.autointerp.AutointerpService;
import dev.lumen.autointerp.CallEstimate;
import dev.lumen.autointerp.DetectionScorer;
import dev.lumen.autointerp.EmbeddingScorer;
import dev.lumen.autointerp.ChatClient;
import dev.lumen.autointerp.Explainer;
import dev.lumen.autointerp.FeatureSelection;
import dev.lumen.autointerp.HeuristicExplainer;
import dev.lumen.autointerp.LlmExplainer;
import dev.lumen.autointerp.OpenAiCompatibleClient;
import dev.lumen.autointerp.RetryPolicy;
import dev.lumen.autointerp.Scorer;
import dev.lumen.autointerp.RuleSpecificityScorer;
import dev.lumen.autointerp.SpecificityScorer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code lumen autointerp}: label an extracted SAE's features. */
@Command(name = "autointerp", mixinStandardHelpOptions = true,
		description = "Label the features of an extracted SAE, in batch. Each label is committed when done; a rerun "
				+ "skips features the same explainer already labelled (use --force to label them again).")
public class AutointerpCommand implements Callable<Integer> {

	@Option(names = "--model-name", required = true, description = "URL name of the model")
	String modelName;

	@Option(names = "--sae-name", required = true, description = "URL name of the SAE")
	String saeName;

	@Option(names = "--features", defaultValue = "all", description = "all, a range 0-99, or a list 3,17,40 (default: ${DEFAULT-VALUE})")
	String features;

	@Option(names = "--explainer", defaultValue = "heuristic",
			description = "heuristic: offline summary of activating tokens, n-grams and context words, marked as "
					+ "heuristic; anthropic: the Messages API (key in ANTHROPIC_API_KEY); openai: any OpenAI-compatible "
					+ "/v1/chat/completions endpoint (key, if needed, in OPENAI_API_KEY) (default: ${DEFAULT-VALUE})")
	String explainer;

	@Option(names = "--scorer", split = ",", description = "specificity: the rubric 0-3 over contexts across the "
			+ "activation range; detection: accuracy/F1 of telling activating from other excerpts by the label; both "
			+ "rated by a language model; embedding: offline MiniLM AUROC of label vs. examples; rule: offline specificity, "
			+ "the heuristic label's pattern applied to each context by rule (repeatable, or comma-separated)")
	List<String> scorers = new ArrayList<>();

	@Option(names = "--rater", description = "anthropic or openai: who rates for --scorer (default: the --explainer)")
	String rater;

	@Option(names = "--llm-model", description = "model name sent to the provider (needed for anthropic and openai)")
	String llmModel;

	@Option(names = "--base-url", description = "provider address (default: the provider's documented API address; "
			+ "for a local server e.g. http://127.0.0.1:8000)")
	String baseUrl;

	@Option(names = "--timeout", defaultValue = "60", description = "seconds per request (default: ${DEFAULT-VALUE})")
	int timeoutSeconds;

	@Option(names = "--attempts", defaultValue = "5",
			description = "tries per call on rate limits, 5xx, timeouts and malformed answers (default: ${DEFAULT-VALUE})")
	int attempts;

	@Option(names = "--concurrency", defaultValue = "4", description = "features explained at once (default: ${DEFAULT-VALUE})")
	int concurrency;

	@Option(names = "--dry-run", description = "print how many features and language-model calls the run would make, "
			+ "with estimated tokens, and stop")
	boolean dryRun;

	@Option(names = "--force", description = "label features again even when this explainer already labelled them")
	boolean force;

	@Unmatched
	List<String> springArgs = new ArrayList<>();

	@Override
	public Integer call() {
		FeatureSelection selection = FeatureSelection.parse(this.features);
		Explainer chosen = explainer(this.explainer);
		try (ConfigurableApplicationContext context = SpringContexts.withoutWeb(this.springArgs.toArray(String[]::new))) {
			AutointerpService service = context.getBean(AutointerpService.class);
			if (this.dryRun) {
				AutointerpService.Plan plan = service.plan(new AutointerpService.Request(this.modelName, this.saeName,
						selection, chosen, scorers(), this.force, this.concurrency));
				System.out.printf("dry run, %s: %,d selected, %,d already labelled, %,d never fire, %,d to label%n",
						chosen.name(), plan.selected(), plan.skipped(), plan.noExamples(), plan.toLabel());
				CallEstimate all = plan.explain().plus(plan.score());
				System.out.printf("language-model calls: %,d to explain, %,d to score; about %,d input tokens "
						+ "(characters / 4) and at most %,d output tokens; multiply by your provider's prices for the cost "
						+ "(retries not counted)%n", plan.explain().calls(), plan.score().calls(), all.inputTokens(),
						all.maxOutputTokens());
				return 0;
			}
			ProgressBar bar = new ProgressBar(System.err);
			AutointerpService.Outcome outcome = service.run(new AutointerpService.Request(this.modelName, this.saeName,
					selection, chosen, scorers(), this.force, this.concurrency),
					p -> bar.draw(p.fraction(), String.format("%,d/%,d features  %,d failed", p.done(), p.total(), p.failed()),
							p.done() == p.total()));
			bar.finish();
			System.out.printf("%s/%s with %s: %,d selected, %,d labelled, %,d already labelled, %,d never fire, "
					+ "%,d failed (job %d)%n", this.modelName, this.saeName, chosen.name(), outcome.selected(),
					outcome.labelled(), outcome.skipped(), outcome.noExamples(), outcome.failed(), outcome.jobId());
			if (outcome.failed() > 0) {
				System.err.println("first failure: " + outcome.firstError() + "; rerun to retry the failed features");
				return 1;
			}
			return 0;
		}
	}

	Explainer explainer(String name) {
		return switch (name) {
			case HeuristicExplainer.NAME -> new HeuristicExplainer();
			case "anthropic", "openai" -> new LlmExplainer(chatClient(name), retry());
			default -> throw new IllegalArgumentException("unknown explainer '" + name
					+ "'; available: heuristic, anthropic, openai");
		};
	}

	List<Scorer> scorers() {
		List<Scorer> chosen = new ArrayList<>();
		for (String name : this.scorers) {
			if ("embedding".equals(name)) {
				chosen.add(new EmbeddingScorer());
				continue;
			}
			if ("rule".equals(name)) {
				if (this.scorers.contains("specificity")) {
					throw new IllegalArgumentException("--scorer rule and specificity both write the specificity score; choose one");
				}
				chosen.add(new RuleSpecificityScorer());
				continue;
			}
			if (!"specificity".equals(name) && !"detection".equals(name)) {
				throw new IllegalArgumentException("unknown scorer '" + name
						+ "'; available: specificity, detection, embedding, rule");
			}
			String rater = this.rater != null ? this.rater : this.explainer;
			if (!rater.equals("anthropic") && !rater.equals("openai")) {
				throw new IllegalArgumentException("--scorer " + name + " needs a language model: --rater anthropic or openai");
			}
			chosen.add(name.equals("specificity") ? new SpecificityScorer(chatClient(rater), retry())
					: new DetectionScorer(chatClient(rater), retry()));
		}
		return chosen;
	}

	private RetryPolicy retry() {
		return new RetryPolicy(this.attempts, Duration.ofSeconds(1), Duration.ofSeconds(60), d -> Thread.sleep(d.toMillis()));
	}

	private ChatClient chatClient(String provider) {
		Duration timeout = Duration.ofSeconds(this.timeoutSeconds);
		if (provider.equals("anthropic")) {
			return new AnthropicClient(this.baseUrl != null ? this.baseUrl : AnthropicClient.DEFAULT_BASE_URL,
					System.getenv("ANTHROPIC_API_KEY"), requireModel(), timeout);
		}
		return new OpenAiCompatibleClient(this.baseUrl != null ? this.baseUrl : OpenAiCompatibleClient.DEFAULT_BASE_URL,
				System.getenv("OPENAI_API_KEY"), requireModel(), timeout);
	}

	private String requireModel() {
		if (this.llmModel == null || this.llmModel.isBlank()) {
			throw new IllegalArgumentException("--explainer " + this.explainer + " needs --llm-model NAME");
		}
		return this.llmModel;
	}
}
