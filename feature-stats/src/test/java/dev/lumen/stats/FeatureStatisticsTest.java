package dev.lumen.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FeatureStatisticsTest {

	static final int D_SAE = 24;

	/** Small settings so every bound is hit: 3 top, 2 per interval, 3 zero samples out of 6 candidates. */
	static StatsSettings small(boolean includeBos) {
		return new StatsSettings(12, 3, 4, 2, 3, 6, 4, 2, 1000, 7L, includeBos);
	}

	/**
	 * Random sparse windows: lengths 1..12, a few features per position with values spread over several octaves,
	 * some repeated values (ties) and a feature that fires only on BOS.
	 */
	static List<float[][]> corpus(long seed, int windows) {
		Random r = new Random(seed);
		List<float[][]> out = new ArrayList<>();
		for (int w = 0; w < windows; w++) {
			float[][] dense = new float[1 + r.nextInt(12)][D_SAE];
			for (int t = 0; t < dense.length; t++) {
				int active = r.nextInt(5);
				for (int k = 0; k < active; k++) {
					int f = r.nextInt(D_SAE - 1);
					dense[t][f] = r.nextInt(4) == 0 ? 1.5f : (float) Math.exp(r.nextGaussian() * 2);
				}
			}
			dense[0][D_SAE - 1] = 3.2f; // an attention-sink feature: only ever on BOS
			out.add(dense);
		}
		return out;
	}

	private static FeatureStatistics run(StatsSettings s, List<float[][]> corpus, List<Integer> order) {
		return run(s, corpus, order, true);
	}

	static FeatureStatistics run(StatsSettings s, List<float[][]> corpus, List<Integer> order, boolean dense) {
		FeatureStatistics stats = new FeatureStatistics(s, D_SAE, dense);
		for (int w : order) {
			stats.add(WindowActivations.fromDense(w, corpus.get(w)));
		}
		return stats;
	}

	static List<Integer> range(int n) {
		List<Integer> ids = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			ids.add(i);
		}
		return ids;
	}

	@ParameterizedTest
	@ValueSource(strings = { "exclude BOS, dense co-occurrence", "include BOS, dense co-occurrence",
			"exclude BOS, sparse co-occurrence", "include BOS, sparse co-occurrence" })
	void everyStatisticEqualsTheDenseReference(String mode) {
		StatsSettings s = small(mode.startsWith("include"));
		List<float[][]> corpus = corpus(1, 80);
		FeatureStatistics stats = run(s, corpus, range(corpus.size()), mode.contains("dense"));
		DenseReference ref = new DenseReference(s, corpus, D_SAE);

		assertThat(stats.tokens()).isEqualTo(ref.tokens());
		for (int f = 0; f < D_SAE; f++) {
			List<Float> values = ref.countedValues(f);
			assertThat(stats.activeTokens(f)).as("active tokens of %d", f).isEqualTo(values.size());
			assertThat(stats.maxActivation(f)).isEqualTo(values.stream().reduce(0f, Math::max));
			if (!values.isEmpty()) {
				double mean = values.stream().mapToDouble(Float::doubleValue).sum() / values.size();
				assertThat(stats.meanActivation(f)).isCloseTo(mean, within(1e-9));
			}
			assertTopEqualsReference(stats, ref, f);
			assertHistogramEqualsReference(stats, ref, f);
			List<List<Integer>> intervals = ref.intervals(f);
			Example[][] got = stats.intervalExamples(f);
			for (int i = 0; i < s.intervals(); i++) {
				assertThat(ids(got[i])).as("interval %d of feature %d", i, f).isEqualTo(intervals.get(i));
			}
			assertThat(ids(stats.zeroExamples(f))).as("zero samples of %d", f).isEqualTo(ref.zeros(f));
			float[] scores = new float[5];
			List<Integer> partners = ref.coOccurring(f, 5, scores);
			CoOccurring co = stats.coOccurring(f, 5);
			assertThat(Arrays.stream(co.indices()).boxed().toList()).as("co-occurring with %d", f).isEqualTo(partners);
			assertThat(co.scores()).containsExactly(Arrays.copyOf(scores, partners.size()));
			assertThat(co.approximate()).isFalse();
		}
	}

	private static void assertTopEqualsReference(FeatureStatistics stats, DenseReference ref, int f) {
		Example[] top = stats.topExamples(f);
		assertThat(ids(top)).as("top windows of %d", f).isEqualTo(ref.top(f));
		for (Example e : top) {
			int length = ref.windows.get(e.window()).length;
			assertThat(e.maxActivation()).isEqualTo(ref.windowMax(e.window(), f));
			assertThat(e.maxPosition()).isEqualTo(ref.windowArgmax(e.window(), f));
			// stored per-token values are the real ones at every position, BOS included
			assertThat(e.dense(length)).containsExactly(ref.column(e.window(), f));
		}
	}

	private static void assertHistogramEqualsReference(FeatureStatistics stats, DenseReference ref, int f) {
		Map<Integer, Long> expected = ref.histogram(f);
		Histogram h = stats.histogram(f);
		if (expected.isEmpty()) {
			assertThat(h).isNull();
			return;
		}
		TreeMap<Integer, Long> got = new TreeMap<>();
		int firstBin = LogHistogram.bin(h.edges()[0] * 1.0001f, 4);
		for (int i = 0; i < h.counts().length; i++) {
			if (h.counts()[i] > 0) {
				got.put(firstBin + i, h.counts()[i]);
			}
		}
		assertThat(got).isEqualTo(new TreeMap<>(expected));
	}

	private static List<Integer> ids(Example[] examples) {
		return Arrays.stream(examples).map(Example::window).toList();
	}

	@Test
	void bosIsExcludedFromEveryStatisticButKeptInStoredValues() {
		StatsSettings s = small(false);
		List<float[][]> corpus = corpus(2, 20);
		FeatureStatistics stats = run(s, corpus, range(corpus.size()));
		int sink = D_SAE - 1;
		assertThat(stats.activeTokens(sink)).isZero();
		assertThat(stats.maxActivation(sink)).isZero();
		assertThat(stats.topExamples(sink)).isEmpty();
		Example[] zeros = stats.zeroExamples(sink);
		assertThat(zeros).hasSize(3);
		// the zero sample shows the real BOS value, not a made-up 0
		assertThat(zeros[0].dense(2)[0]).isEqualTo(3.2f);

		FeatureStatistics withBos = run(small(true), corpus, range(corpus.size()));
		assertThat(withBos.activeTokens(sink)).isEqualTo(20);
		assertThat(withBos.topExamples(sink)).hasSize(3);
	}

	@Test
	void mergeOfSplitRunsInAnyOrderEqualsOneRun() throws IOException {
		StatsSettings s = small(false);
		List<float[][]> corpus = corpus(3, 120);
		FeatureStatistics single = run(s, corpus, range(corpus.size()));
		List<Integer> shuffled = range(corpus.size());
		Collections.shuffle(shuffled, new Random(5));
		FeatureStatistics a = run(s, corpus, shuffled.subList(0, 17));
		FeatureStatistics b = run(s, corpus, shuffled.subList(17, 70));
		FeatureStatistics c = run(s, corpus, shuffled.subList(70, 120));
		b.merge(c);
		a.merge(b);
		assertThat(snapshot(a)).isEqualTo(snapshot(single));
		FeatureStatistics sparse = run(s, corpus, shuffled.subList(0, 60), false);
		sparse.merge(run(s, corpus, shuffled.subList(60, 120), false));
		assertThat(snapshot(sparse)).isEqualTo(snapshot(single));
		// and a partial survives its binary form unchanged
		assertThat(snapshot(roundTrip(a))).isEqualTo(snapshot(single));
	}

	@Test
	void coOccurrenceBeyondThePartnerCapIsFlaggedApproximate() {
		StatsSettings s = new StatsSettings(12, 3, 4, 2, 3, 6, 4, 2, 3, 7L, false);
		List<float[][]> corpus = corpus(4, 60);
		FeatureStatistics stats = run(s, corpus, range(corpus.size()), false);
		boolean anyApproximate = false;
		for (int f = 0; f < D_SAE; f++) {
			anyApproximate |= stats.coOccurring(f, 5).approximate();
		}
		assertThat(anyApproximate).isTrue();
	}

	@Test
	void refusesEntriesOutsideTheSaeOrNotPositive() {
		FeatureStatistics stats = new FeatureStatistics(small(false), D_SAE);
		assertThatThrownBy(() -> stats.add(new WindowActivations(0, 2, new int[] { 0, 0, 1 }, new int[] { D_SAE },
				new float[] { 1f }))).hasMessageContaining("feature " + D_SAE);
		assertThatThrownBy(() -> stats.add(new WindowActivations(0, 2, new int[] { 0, 0, 1 }, new int[] { 1 },
				new float[] { Float.NaN }))).hasMessageContaining("finite positive");
	}

	@Test
	void costDependsOnActiveEntriesNotOnDSae() {
		// the same 60-active-per-token windows into a 4,096- and a 1,048,576-feature partial: a scan of d_sae per
		// token or per window would make the wide one 256 times slower
		double narrow = secondsFor(4096);
		double wide = secondsFor(1 << 20);
		double narrowAgain = secondsFor(4096); // JIT warm-up lands on the first run
		assertThat(wide).isLessThan(3 * Math.min(narrow, narrowAgain) + 0.5);
	}

	private static double secondsFor(int dSae) {
		FeatureStatistics stats = new FeatureStatistics(StatsSettings.defaults(128), dSae);
		Random r = new Random(9);
		long start = System.nanoTime();
		for (int w = 0; w < 60; w++) {
			int[] offsets = new int[129];
			int[] features = new int[128 * 60];
			float[] values = new float[features.length];
			for (int t = 0; t < 128; t++) {
				offsets[t + 1] = offsets[t] + 60;
				int base = r.nextInt(4096 - 60);
				for (int k = 0; k < 60; k++) {
					features[t * 60 + k] = base + k;
					values[t * 60 + k] = 0.1f + r.nextFloat();
				}
			}
			stats.add(new WindowActivations(w, 128, offsets, features, values));
		}
		assertThat(stats.tokens()).isEqualTo(60 * 127);
		return (System.nanoTime() - start) / 1e9;
	}

	@Test
	void sampleKeysAreUniform() {
		int[] bins = new int[10];
		double sum = 0;
		for (int w = 0; w < 100_000; w++) {
			double k = StateIO.sampleKey(7L, 3, w);
			assertThat(k).isGreaterThanOrEqualTo(0).isLessThan(1);
			bins[(int) (k * 10)]++;
			sum += k;
		}
		assertThat(sum / 100_000).isCloseTo(0.5, within(0.01));
		for (int b : bins) {
			assertThat(b).isBetween(9_500, 10_500);
		}
	}

	@Test
	void stateStopsGrowingOnceWhatIsKeptIsFull() {
		StatsSettings s = small(false);
		FeatureStatistics stats = new FeatureStatistics(s, D_SAE);
		List<float[][]> corpus = corpus(6, 4000);
		for (int w = 0; w < 2000; w++) {
			stats.add(WindowActivations.fromDense(w, corpus.get(w)));
		}
		long early = stats.heapBytes();
		for (int w = 2000; w < 4000; w++) {
			stats.add(WindowActivations.fromDense(w, corpus.get(w)));
		}
		// twice the corpus: kept examples are replaced, not added to; only the rare new extreme value opens a
		// histogram bin or an activation band (logarithmic in the range, bounded by the grid)
		assertThat(stats.heapBytes()).isLessThan(early * 11 / 10);
	}

	private static FeatureStatistics roundTrip(FeatureStatistics s) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		s.write(new DataOutputStream(bytes));
		FeatureStatistics back = new FeatureStatistics(s.settings(), s.dSae());
		back.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
		return back;
	}

	/** Every result of every feature, as comparable values. */
	static List<Object> snapshot(FeatureStatistics s) {
		return snapshot(List.of(s));
	}

	/** Every result of every feature of consecutive blocks (a whole partial is one block), as comparable values. */
	static List<Object> snapshot(List<? extends FeatureResults> blocks) {
		List<Object> out = new ArrayList<>();
		long[] active = new long[blocks.get(blocks.size() - 1).endFeature()];
		out.add(blocks.get(0).tokens());
		int next = 0;
		for (FeatureResults s : blocks) {
			assertThat(s.tokens()).as("counted tokens of every block").isEqualTo(blocks.get(0).tokens());
			assertThat(s.firstFeature()).as("blocks are consecutive").isEqualTo(next);
			next = s.endFeature();
			for (int f = s.firstFeature(); f < s.endFeature(); f++) {
				active[f] = s.activeTokens(f);
			}
		}
		for (FeatureResults s : blocks) {
			snapshot(s, active, out);
		}
		return out;
	}

	private static void snapshot(FeatureResults s, long[] active, List<Object> out) {
		for (int f = s.firstFeature(); f < s.endFeature(); f++) {
			out.add(List.of(s.activeTokens(f), s.maxActivation(f), String.valueOf(s.meanActivation(f))));
			out.add(List.of(s.topExamples(f)));
			for (Example[] interval : s.intervalExamples(f)) {
				out.add(List.of(interval));
			}
			out.add(List.of(s.zeroExamples(f)));
			Histogram h = s.histogram(f);
			out.add(h == null ? "none" : Arrays.toString(h.edges()) + Arrays.toString(h.counts()));
			CoOccurring co = s.coOccurring(f, 5, active);
			out.add(f + ": " + Arrays.toString(co.indices()) + Arrays.toString(co.scores()) + co.approximate());
		}
	}
}
