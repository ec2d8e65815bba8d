package dev.lumen.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lumen.engine.sae.training.Corpus;
import dev.lumen.stats.FeatureBlockFiles;
import dev.lumen.stats.FeatureResults;
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
 * the single-machine loop (every window in order, batches of 32 from window 0, one partial). Spark merges the
 * partials in blocks of 300 features (the last one 124), so the reduce by feature block is part of every run.
 */
class SparkCorpusPassTest {

	static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	static final Path MODEL = ROOT.resolve("demo/models/tinystories-1m/model.bin");

	static final Path SAE = ROOT.resolve("demo/sae/tinystories-1m-blocks.1.hook_resid_post-1024");

	static final Path CORPUS = ROOT.resolve("demo/corpus/tinystories.txt");

	static final int CONTEXT = 64;

	static final int BATCH = 32;

	static final long TOKENS = 8_000;

	/** The defaults: the demo SAE's 1,024 features count co-occurrence exactly in a dense table, with no cap. */
	static final StatsSettings SETTINGS = StatsSettings.defaults(CONTEXT);

	/**
	 * A partner cap that 989 of the demo's 1,024 features pass on these 8,000 tokens (TopK 32: a token alone gives 31
	 * partners) and 31 do not, for a run that counts co-occurrence in capped tables.
	 */
	static final int SMALL_CAP = 384;

	static final String DENSE_MAX_PROPERTY = "lumen.stats.dense-cooccurrence-max";

	static final String BLOCK_FEATURES = "300";

	static FeatureStatistics singleMachine;

	@TempDir
	Path dir;

	/** The reference: the windows of a single-machine run through the same encoder, added in order. */
	@BeforeAll
	static void singleMachineRun() {
		singleMachine = singleMachine(SETTINGS);
	}

	static FeatureStatistics singleMachine(StatsSettings settings) {
		ShardEncoder encoder = ExecutorModels.encoder(new ExecutorModels.Key(MODEL.toString(), SAE.toString(), "cpu",
				false, CONTEXT));
		var tokenizer = encoder.model().tokenizer();
		CorpusShards windows = new CorpusShards(Corpus.documents(CORPUS), t -> tokenizer.encode(t, false),
				tokenizer.bosId(), CONTEXT, TOKENS);
		CorpusShards.Shard all = windows.shards(Integer.MAX_VALUE).get(0);
		FeatureStatistics single = new ShardTask(new ExecutorModels.Key(MODEL.toString(), SAE.toString(), "cpu", false,
				CONTEXT), ShippableSettings.of(settings), BATCH, -1).statistics(all);
		assertThat(single.tokens()).isGreaterThan(TOKENS - 100);
		return single;
	}

	@Test
	void sparkOnTwoSlotsGivesTheStatisticsOfOneMachineEvenWhenATaskFailsOnce() throws Exception {
		List<FeatureResults> spark = runSpark(this.dir.resolve("ckpt"), "--test-fail-shard-once", "1");
		assertEqualToSingleMachine(spark, singleMachine);
		long exact = spark.stream().flatMap(b -> java.util.stream.IntStream.range(b.firstFeature(), b.endFeature())
			.mapToObj(f -> b.coOccurring(f, 10, StatisticsText.activeTokens(spark)))).filter(c -> c.indices().length > 0).count();
		assertThat(exact).as("features with co-occurring partners").isGreaterThan(500);
	}

	@Test
	void withCappedCoOccurrenceTablesTheCountsPastTheCapAreTheSameAsOneMachines() throws Exception {
		StatsSettings capped = withPartnerCap(SETTINGS, SMALL_CAP);
		System.setProperty(DENSE_MAX_PROPERTY, "0"); // count in capped partner tables, as an SAE wider than 4,096
		try {
			FeatureStatistics single = singleMachine(capped);
			// shards of 128 windows = 2 segments of capped counting: a reduce task folds two of a shard's partials per
			// block in window order in the first round, and the last segment onto them in the second
			List<FeatureResults> spark = runSpark(this.dir.resolve("ckpt"), "--partner-cap", Integer.toString(SMALL_CAP),
					"--shard-batches", "4");
			String text = assertEqualToSingleMachine(spark, List.of(single));
			long approximate = text.lines().filter(l -> l.startsWith(" co=[") && l.endsWith(" approximate")).count();
			long exact = text.lines().filter(l -> l.startsWith(" co=[") && !l.startsWith(" co=[]")).count() - approximate;
			assertThat(approximate).as("features past the cap of " + SMALL_CAP + ", with partners").isGreaterThan(900);
			assertThat(exact).as("features within the cap, counted exactly").isGreaterThan(10);
		}
		finally {
			System.clearProperty(DENSE_MAX_PROPERTY);
		}
	}

	@Test
	void aJobKilledAfterACheckpointResumesFromTheMergedShardsAndEqualsAnUninterruptedRunButRefusesOtherSettings() throws Exception {
		Path checkpoint = this.dir.resolve("ckpt");
		assertThatThrownBy(() -> runSpark(checkpoint, "--test-halt-after-rounds", "1")).isInstanceOf(Killed.class);
		assertThat(Files.readString(checkpoint.resolve("manifest.properties"))).contains("shards_done=1");
		int otherSettings = new CommandLine(new SparkExtraction()).execute(args(checkpoint, "--top-k", "16"));
		assertThat(otherSettings).as("a checkpoint of other settings is refused, not merged").isNotZero();
		List<String> progress = new ArrayList<>();
		List<FeatureResults> resumed = runSpark(checkpoint, progress);
		assertEqualToSingleMachine(resumed, singleMachine);
		assertThat(progress.get(0)).as("the resumed run starts with the checkpointed shards done").startsWith("1/");
	}

	static StatsSettings withPartnerCap(StatsSettings d, int cap) {
		return new StatsSettings(d.maxPositions(), d.topK(), d.intervals(), d.perInterval(), d.zeroSamples(),
				d.zeroCandidates(), d.histogramBinsPerOctave(), d.bandsPerOctave(), cap, d.seed(), d.includeBos());
	}

	private String assertEqualToSingleMachine(List<FeatureResults> spark, FeatureStatistics single) {
		return assertEqualToSingleMachine(spark, List.of(single));
	}

	/** @return the statistics as text */
	private String assertEqualToSingleMachine(List<FeatureResults> spark, List<FeatureStatistics> single) {
		String sparkText = StatisticsText.of(spark);
		String singleText = StatisticsText.of(single);
		try { // for a readable diff when they differ
			Files.writeString(Path.of("target/spark.txt"), sparkText);
			Files.writeString(Path.of("target/single.txt"), singleText);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		assertThat(spark).extracting(FeatureResults::endFeature).containsExactly(300, 600, 900, 1024);
		assertThat(sparkText).isEqualTo(singleText);
		double[] a = StatisticsText.means(spark);
		double[] b = StatisticsText.means(single);
		for (int f = 0; f < a.length; f++) {
			if (Double.isNaN(b[f])) {
				assertThat(a[f]).isNaN();
			}
			else {
				assertThat(a[f]).as("mean of feature %d (sums added in another order)", f).isCloseTo(b[f], within(1e-9 * b[f]));
			}
		}
		return sparkText;
	}

	private List<FeatureResults> runSpark(Path checkpoint, String... extra) throws Exception {
		return runSpark(checkpoint, new ArrayList<>(), extra);
	}

	private List<FeatureResults> runSpark(Path checkpoint, List<String> progress, String... extra) throws Exception {
		SparkExtraction command = new SparkExtraction();
		command.halt = () -> {
			throw new Killed();
		};
		command.progress = p -> progress.add(p.shardsDone() + "/" + p.shards());
		new CommandLine(command).parseArgs(args(checkpoint, extra));
		assertThat(command.call()).isZero();
		StatsSettings settings = withPartnerCap(SETTINGS, command.partnerCap);
		List<FeatureResults> blocks = new ArrayList<>();
		FeatureBlockFiles.reading(FeatureBlockFiles.list(this.dir.resolve("result")), settings, 1024).forEach(blocks::add);
		return blocks;
	}

	/** The test's options; {@code extra} adds options or replaces the shard size. */
	private String[] args(Path checkpoint, String... extra) {
		List<String> a = new ArrayList<>(List.of("--master", "local[2]", "--model", MODEL.toString(), "--sae",
				SAE.toString(), "--corpus", CORPUS.toString(), "--tokens", Long.toString(TOKENS), "--context",
				Integer.toString(CONTEXT), "--batch", Integer.toString(BATCH), "--round-shards", "1", "--block-features",
				BLOCK_FEATURES, "--out", this.dir.resolve("result").toString(), "--checkpoint-dir", checkpoint.toString()));
		if (!List.of(extra).contains("--shard-batches")) {
			a.addAll(List.of("--shard-batches", "2"));
		}
		a.addAll(List.of(extra));
		return a.toArray(String[]::new);
	}

	static final class Killed extends RuntimeException {

		Killed() {
			super("halted by the test hook");
		}
	}
}
