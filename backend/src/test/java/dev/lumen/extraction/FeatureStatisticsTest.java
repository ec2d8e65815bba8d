package dev.lumen.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The streaming statistics against a brute-force computation over the same small corpus of activations. */
class FeatureStatisticsTest {

	static final int D_SAE = 12;

	static final int CTX = 8;

	static final int WINDOWS = 300;

	final ExtractionSettings settings = new ExtractionSettings(CTX, 4, 0, 5, 4, 3, 4, 6, 3, 3, 7L, 64);

	/** Per window: length (with BOS) and activations [CTX][D_SAE], sparse and with ties. */
	final int[] lengths = new int[WINDOWS];

	final float[][][] acts = new float[WINDOWS][CTX][D_SAE];

	FeatureStatisticsTest() {
		Random random = new Random(42);
		for (int w = 0; w < WINDOWS; w++) {
			this.lengths[w] = 2 + random.nextInt(CTX - 1);
			for (int t = 0; t < CTX; t++) {
				for (int f = 0; f < D_SAE; f++) {
					boolean real = t < this.lengths[w];
					// feature 11 never fires; feature 0 fires everywhere; activations are quantised to create ties
					double p = f == 0 ? 1 : f == 11 ? 0 : 0.05 + 0.02 * f;
					if (random.nextDouble() < p) {
						this.acts[w][t][f] = real ? Math.round(random.nextDouble() * 20) / 4f + 0.25f : 9f;
					}
				}
			}
			this.acts[w][0][3] = 100f; // BOS position: must be ignored
		}
	}

	@Test
	void firstPassTotalsAndTopWindowsMatchBruteForce() {
		FeatureStatistics stats = run(0, WINDOWS, null);
		long tokens = 0;
		for (int w = 0; w < WINDOWS; w++) {
			tokens += this.lengths[w] - 1;
		}
		assertThat(stats.tokens).isEqualTo(tokens);
		for (int f = 0; f < D_SAE; f++) {
			long active = 0;
			double sum = 0;
			float max = 0;
			for (int w = 0; w < WINDOWS; w++) {
				for (int t = 1; t < this.lengths[w]; t++) {
					float v = this.acts[w][t][f];
					if (v > 0) {
						active++;
						sum += v;
						max = Math.max(max, v);
					}
				}
			}
			assertThat(stats.activeTokens[f]).as("active tokens of %d", f).isEqualTo(active);
			assertThat(stats.activationSum[f]).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-6));
			assertThat(stats.maxActivation[f]).isEqualTo(max);

			// top windows: by window max, ties broken by the smaller window id
			int feature = f;
			List<Integer> expected = IntStream.range(0, WINDOWS)
				.filter(w -> windowMax(w, feature) > 0)
				.boxed()
				.sorted(Comparator.comparingDouble((Integer w) -> -windowMax(w, feature)).thenComparing(w -> w))
				.limit(this.settings.topK())
				.toList();
			BestPerGroup.Item[] top = stats.top.items(f);
			assertThat(ids(top)).as("top windows of %d", f).isEqualTo(expected);
			for (BestPerGroup.Item item : top) {
				assertThat(item.maxActivation()).isEqualTo(windowMax(item.window(), f));
				assertThat(item.activations()[item.maxPosition()]).isEqualTo(item.maxActivation());
				for (int t = 0; t < CTX; t++) {
					float want = t < this.lengths[item.window()] ? this.acts[item.window()][t][f] : 0f;
					assertThat(item.activations()[t]).isEqualTo(want);
				}
			}
		}
		assertThat(stats.top.items(11)).isEmpty();
	}

	@Test
	void secondPassSamplesEachIntervalUniformlyByKeyAndCountsTheHistogram() {
		FeatureStatistics stats = run(0, WINDOWS, null);
		int n = this.settings.intervals();
		for (int f = 0; f < D_SAE; f++) {
			int feature = f;
			for (int i = 0; i < n; i++) {
				int interval = i;
				// expected: windows whose max falls in the interval, the perInterval smallest sample keys
				List<Integer> expected = IntStream.range(0, WINDOWS)
					.filter(w -> windowMax(w, feature) > 0
							&& FeatureStatistics.intervalOf(windowMax(w, feature), stats.maxActivation[feature], n) == interval)
					.boxed()
					.sorted(Comparator.comparingDouble((Integer w) -> stats.sampleKey(feature, w)).thenComparing(w -> w))
					.limit(this.settings.perInterval())
					.toList();
				assertThat(ids(stats.intervals.items(f * n + i))).as("interval %d of feature %d", i, f).isEqualTo(expected);
			}
			List<Integer> zeroExpected = IntStream.range(0, WINDOWS)
				.filter(w -> windowMax(w, feature) == 0)
				.boxed()
				.sorted(Comparator.comparingDouble((Integer w) -> stats.sampleKey(feature, w)).thenComparing(w -> w))
				.limit(this.settings.zeroSamples())
				.toList();
			assertThat(ids(stats.zeros.items(f))).as("zero windows of %d", f).isEqualTo(zeroExpected);

			// histogram: every active token counted once, in the log-spaced bin of its value
			long[] expectedHist = new long[this.settings.histogramBins()];
			float[] edges = stats.histogramEdges(f);
			for (int w = 0; w < WINDOWS; w++) {
				for (int t = 1; t < this.lengths[w]; t++) {
					float v = this.acts[w][t][f];
					if (v > 0) {
						int bin = 0;
						while (bin < expectedHist.length - 1 && v >= edges[bin + 1]) {
							bin++;
						}
						expectedHist[bin]++;
					}
				}
			}
			long[] actual = java.util.Arrays.copyOfRange(stats.histogram, f * expectedHist.length,
					(f + 1) * expectedHist.length);
			if (f != 11) {
				assertThat(actual).as("histogram of %d", f).containsExactly(expectedHist);
			}
		}
		assertThat(stats.histogramEdges(11)).isNull();
	}

	@Test
	void sampleKeysAreUniform() {
		FeatureStatistics stats = new FeatureStatistics(this.settings, D_SAE);
		double sum = 0;
		int below = 0;
		for (int w = 0; w < 20000; w++) {
			double k = stats.sampleKey(w % 7, w);
			sum += k;
			below += k < 0.25 ? 1 : 0;
		}
		assertThat(sum / 20000).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.01));
		assertThat(below / 20000.0).isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.01));
	}

	@Test
	void coOccurrenceRanksPartnersByJaccardOfActiveTokens() {
		FeatureStatistics stats = run(0, WINDOWS, null);
		for (int f = 0; f < D_SAE - 1; f++) {
			CoOccurrence.Top top = stats.coOccurrence.top(f, stats.activeTokens, 3);
			for (int r = 0; r < top.indices().length; r++) {
				int g = top.indices()[r];
				long both = 0;
				long either = 0;
				for (int w = 0; w < WINDOWS; w++) {
					for (int t = 1; t < this.lengths[w]; t++) {
						boolean a = this.acts[w][t][f] > 0;
						boolean b = this.acts[w][t][g] > 0;
						both += a && b ? 1 : 0;
						either += a || b ? 1 : 0;
					}
				}
				assertThat(top.scores()[r]).isCloseTo((float) both / either, org.assertj.core.data.Offset.offset(1e-6f));
				if (r > 0) {
					assertThat(top.scores()[r]).isLessThanOrEqualTo(top.scores()[r - 1]);
				}
			}
		}
	}

	@Test
	void resumingFromACheckpointGivesExactlyTheUninterruptedResult() throws IOException {
		FeatureStatistics whole = run(0, WINDOWS, null);
		// stop after 123 windows of pass 1, serialise, restore into fresh statistics, continue
		FeatureStatistics first = new FeatureStatistics(this.settings, D_SAE);
		feed(first, 1, 0, 123);
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		first.write(new DataOutputStream(bytes));
		FeatureStatistics resumed = new FeatureStatistics(this.settings, D_SAE);
		resumed.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
		feed(resumed, 1, 123, WINDOWS);
		feed(resumed, 2, 0, WINDOWS);

		ByteArrayOutputStream a = new ByteArrayOutputStream();
		ByteArrayOutputStream b = new ByteArrayOutputStream();
		whole.write(new DataOutputStream(a));
		resumed.write(new DataOutputStream(b));
		assertThat(b.toByteArray()).isEqualTo(a.toByteArray());
	}

	@Test
	void keptExamplesDoNotDependOnBatchBoundaries() {
		FeatureStatistics byFour = run(0, WINDOWS, null);
		FeatureStatistics byOne = new FeatureStatistics(this.settings, D_SAE);
		for (int pass = 1; pass <= 2; pass++) {
			for (int w = 0; w < WINDOWS; w++) {
				accumulate(byOne, pass, batch(w, w + 1));
			}
		}
		for (int f = 0; f < D_SAE; f++) {
			assertThat(ids(byOne.top.items(f))).isEqualTo(ids(byFour.top.items(f)));
			assertThat(ids(byOne.zeros.items(f))).isEqualTo(ids(byFour.zeros.items(f)));
		}
	}

	@Test
	void memoryDoesNotGrowWithTheCorpus() throws IOException {
		// the checkpoint is the whole state: its size is the same after 30 windows and after all 300
		FeatureStatistics small = run(0, 30, null);
		FeatureStatistics large = run(0, WINDOWS, null);
		ByteArrayOutputStream a = new ByteArrayOutputStream();
		ByteArrayOutputStream b = new ByteArrayOutputStream();
		small.write(new DataOutputStream(a));
		large.write(new DataOutputStream(b));
		assertThat(b.size()).isEqualTo(a.size());
	}

	private FeatureStatistics run(int from, int to, FeatureStatistics into) {
		FeatureStatistics stats = into != null ? into : new FeatureStatistics(this.settings, D_SAE);
		feed(stats, 1, from, to);
		feed(stats, 2, from, to);
		return stats;
	}

	private void feed(FeatureStatistics stats, int pass, int from, int to) {
		for (int w = from; w < to; w += this.settings.batchSize()) {
			accumulate(stats, pass, batch(w, Math.min(to, w + this.settings.batchSize())));
		}
	}

	private static void accumulate(FeatureStatistics stats, int pass, ActivationBatch batch) {
		if (pass == 1) {
			stats.accumulateFirstPass(batch);
		}
		else {
			stats.accumulateSecondPass(batch);
		}
	}

	private ActivationBatch batch(int from, int to) {
		int b = to - from;
		float[] values = new float[b * CTX * D_SAE];
		int[] ids = new int[b];
		int[] lens = new int[b];
		for (int i = 0; i < b; i++) {
			ids[i] = from + i;
			lens[i] = this.lengths[from + i];
			for (int t = 0; t < CTX; t++) {
				System.arraycopy(this.acts[from + i][t], 0, values, (i * CTX + t) * D_SAE, D_SAE);
			}
		}
		return new ActivationBatch(ids, lens, CTX, D_SAE, values);
	}

	private float windowMax(int w, int f) {
		float m = 0;
		for (int t = 1; t < this.lengths[w]; t++) {
			m = Math.max(m, this.acts[w][t][f]);
		}
		return m;
	}

	private static List<Integer> ids(BestPerGroup.Item[] items) {
		List<Integer> out = new ArrayList<>();
		for (BestPerGroup.Item item : items) {
			out.add(item.window());
		}
		return out;
	}
}
