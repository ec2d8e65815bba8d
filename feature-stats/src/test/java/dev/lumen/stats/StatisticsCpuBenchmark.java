package dev.lumen.stats;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * Tokens per CPU-second of {@link FeatureStatistics#add} (all statistics, co-occurrence included) on synthetic
 * windows: CPU time of this thread, so that the other processes on a loaded machine do not enter. Not a test; run
 * {@code java -cp feature-stats/target/classes:feature-stats/target/test-classes dev.lumen.stats.StatisticsCpuBenchmark
 * [dSae] [l0] [tokens] [rounds]}. Features per token are drawn with a skewed (Zipf-like) frequency, as SAE features
 * fire, so a few are dense and most are rare.
 */
public final class StatisticsCpuBenchmark {

	private StatisticsCpuBenchmark() {
	}

	public static void main(String[] args) {
		int dSae = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
		int l0 = args.length > 1 ? Integer.parseInt(args[1]) : 32;
		int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
		int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
		WindowActivations[] windows = windows(dSae, l0, tokens, 128);
		ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
		for (int r = 0; r < rounds; r++) {
			FeatureStatistics stats = new FeatureStatistics(StatsSettings.defaults(128), dSae);
			long start = cpu.getCurrentThreadCpuTime();
			for (WindowActivations w : windows) {
				stats.add(w);
			}
			stats.coOccurring(0, 10); // applies whatever is still buffered
			double seconds = (cpu.getCurrentThreadCpuTime() - start) / 1e9;
			System.out.printf("round %d: d_sae %d, L0 %d, %d tokens: %.2f CPU s, %.0f tokens per CPU-second%n", r + 1,
					dSae, l0, tokens, seconds, tokens / seconds);
		}
	}

	private static WindowActivations[] windows(int dSae, int l0, int tokens, int length) {
		Random rnd = new Random(1);
		double[] cumulative = new double[dSae];
		double sum = 0;
		for (int f = 0; f < dSae; f++) {
			sum += 1.0 / (1 + f % 97 + f / 97.0); // skewed, but spread over the whole index range
			cumulative[f] = sum;
		}
		int n = tokens / length;
		WindowActivations[] out = new WindowActivations[n];
		for (int w = 0; w < n; w++) {
			int[] offsets = new int[length + 1];
			int[] features = new int[length * l0];
			float[] values = new float[length * l0];
			int k = 0;
			for (int t = 0; t < length; t++) {
				java.util.BitSet seen = new java.util.BitSet(dSae);
				while (seen.cardinality() < l0) {
					int f = java.util.Arrays.binarySearch(cumulative, rnd.nextDouble() * sum);
					seen.set(f < 0 ? Math.min(dSae - 1, -f - 1) : f);
				}
				for (int f = seen.nextSetBit(0); f >= 0; f = seen.nextSetBit(f + 1)) {
					features[k] = f;
					values[k++] = 0.1f + rnd.nextFloat();
				}
				offsets[t + 1] = k;
			}
			out[w] = new WindowActivations(w, length, offsets, features, values);
		}
		return out;
	}
}
