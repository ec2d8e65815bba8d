package dev.lumen.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lumen.engine.sae.training.Corpus;
import dev.lumen.stats.FeatureStatistics;
import dev.lumen.stats.StatsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The Spark corpus pass on {@code local[2]} over a slice of the demo corpus with the demo model and SAE, against
 * the single-machine loop (every window in order, batches of 32 from window 0, one partial).
 */
class SparkCorpusPassTest {

	static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	static final Path MODEL = ROOT.resolve("demo/models/tinystories-1m/model.bin");

	static final Path SAE = ROOT.resolve("demo/sae/tinystories-1m-blocks.1.hook_resid_post-1024");

	static final Path CORPUS = ROOT.resolve("demo/corpus/tinystories.txt");

	static final int CONTEXT = 64;

	static final int BATCH = 32;

	static final long TOKENS = 8_000;

	/**
	 * The defaults but with a co-occurrence partner cap of d_sae, so co-occurrence counts are exact: beyond the cap
	 * they are a Misra-Gries summary, which depends on the order partials merge in (both paths flag it).
	 */
	static final StatsSettings SETTINGS = withPartnerCap(StatsSettings.defaults(CONTEXT), 1024);

	static FeatureStatistics singleMachine;

	@TempDir
	Path dir;

	/** The reference: the windows of a single-machine run through the same encoder, added in order. */
	@BeforeAll
	static void singleMachineRun() {
		ShardEncoder encoder = ExecutorModels.encoder(new ExecutorModels.Key(MODEL.toString(), SAE.toString(), "cpu",
				false, CONTEXT));
		var tokenizer = encoder.model().tokenizer();
		CorpusShards windows = new CorpusShards(Corpus.documents(CORPUS), t -> tokenizer.encode(t, false),
				tokenizer.bosId(), CONTEXT, TOKENS);
		CorpusShards.Shard all = windows.shards(Integer.MAX_VALUE).get(0);
		byte[] partial = new ShardTask(new ExecutorModels.Key(MODEL.toString(), SAE.toString(), "cpu", false, CONTEXT),
				ShippableSettings.of(SETTINGS), BATCH, -1).partial(all);
		singleMachine = Partials.decode(partial, SETTINGS, 1024);
		assertThat(singleMachine.tokens()).isGreaterThan(TOKENS - 100);
	}

	@Test
	void sparkOnTwoSlotsGivesTheStatisticsOfOneMachineEvenWhenATaskFailsOnce() throws Exception {
		FeatureStatistics spark = runSpark(this.dir.resolve("ckpt"), "--test-fail-shard-once", "1");
		assertEqualToSingleMachine(spark);
	}

	@Test
	void aJobKilledAfterACheckpointResumesFromTheMergedShardsAndEqualsAnUninterruptedRunButRefusesOtherSettings() throws Exception {
		Path checkpoint = this.dir.resolve("ckpt");
		assertThatThrownBy(() -> runSpark(checkpoint, "--test-halt-after-rounds", "1")).isInstanceOf(Killed.class);
		assertThat(Files.readString(checkpoint.resolve("manifest.properties"))).contains("shards_done=1");
		int otherSettings = new CommandLine(new SparkExtraction()).execute(args(checkpoint, "--top-k", "16"));
		assertThat(otherSettings).as("a checkpoint of other settings is refused, not merged").isNotZero();
		List<String> progress = new ArrayList<>();
		FeatureStatistics resumed = runSpark(checkpoint, progress);
		assertEqualToSingleMachine(resumed);
		assertThat(progress.get(0)).as("the resumed run starts with the checkpointed shards done").startsWith("1/");
	}

	static StatsSettings withPartnerCap(StatsSettings d, int cap) {
		return new StatsSettings(d.maxPositions(), d.topK(), d.intervals(), d.perInterval(), d.zeroSamples(),
				d.zeroCandidates(), d.histogramBinsPerOctave(), d.bandsPerOctave(), cap, d.seed(), d.includeBos());
	}

	private void assertEqualToSingleMachine(FeatureStatistics spark) {
		try {
			java.nio.file.Files.writeString(Path.of("target/spark.txt"), StatisticsText.of(spark));
			java.nio.file.Files.writeString(Path.of("target/single.txt"), StatisticsText.of(singleMachine));
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		assertThat(StatisticsText.of(spark)).isEqualTo(StatisticsText.of(singleMachine));
		double[] a = StatisticsText.means(spark);
		double[] b = StatisticsText.means(singleMachine);
		for (int f = 0; f < a.length; f++) {
			if (Double.isNaN(b[f])) {
				assertThat(a[f]).isNaN();
			}
			else {
				assertThat(a[f]).as("mean of feature %d (sums added in another order)", f).isCloseTo(b[f], within(1e-9 * b[f]));
			}
		}
	}

	private FeatureStatistics runSpark(Path checkpoint, String... extra) throws Exception {
		return runSpark(checkpoint, new ArrayList<>(), extra);
	}

	private FeatureStatistics runSpark(Path checkpoint, List<String> progress, String... extra) throws Exception {
		SparkExtraction command = new SparkExtraction();
		command.halt = () -> {
			throw new Killed();
		};
		command.progress = p -> progress.add(p.shardsDone() + "/" + p.shards());
		new CommandLine(command).parseArgs(args(checkpoint, extra));
		assertThat(command.call()).isZero();
		FeatureStatistics merged = new FeatureStatistics(SETTINGS, 1024);
		try (var in = new java.io.DataInputStream(Files.newInputStream(this.dir.resolve("merged.state")))) {
			merged.read(in);
		}
		return merged;
	}

	private String[] args(Path checkpoint, String... extra) {
		List<String> a = new ArrayList<>(List.of("--master", "local[2]", "--model", MODEL.toString(), "--sae",
				SAE.toString(), "--corpus", CORPUS.toString(), "--tokens", Long.toString(TOKENS), "--context",
				Integer.toString(CONTEXT), "--batch", Integer.toString(BATCH), "--shard-batches", "2", "--round-shards", "1", "--partner-cap", "1024",
				"--out", this.dir.resolve("merged.state").toString(), "--checkpoint-dir", checkpoint.toString()));
		a.addAll(List.of(extra));
		return a.toArray(String[]::new);
	}

	static final class Killed extends RuntimeException {

		Killed() {
			super("halted by the test hook");
		}
	}
}
