package dev.lumen.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The statistics computed the simple way, from dense [window][position][feature] arrays with full scans and sorts,
 * straight from the definitions in docs/extraction.md. The streaming code must agree with it exactly.
 */
final class DenseReference {

	final StatsSettings s;

	final List<float[][]> windows; // window id = list index

	final int dSae;

	DenseReference(StatsSettings s, List<float[][]> windows, int dSae) {
		this.s = s;
		this.windows = windows;
		this.dSae = dSae;
	}

	long tokens() {
		long n = 0;
		for (float[][] w : this.windows) {
			n += Math.max(0, w.length - this.s.firstCountedPosition());
		}
		return n;
	}

	List<Float> countedValues(int f) {
		List<Float> out = new ArrayList<>();
		for (float[][] w : this.windows) {
			for (int t = this.s.firstCountedPosition(); t < w.length; t++) {
				if (w[t][f] > 0) {
					out.add(w[t][f]);
				}
			}
		}
		return out;
	}

	float windowMax(int window, int f) {
		float m = 0;
		float[][] w = this.windows.get(window);
		for (int t = this.s.firstCountedPosition(); t < w.length; t++) {
			m = Math.max(m, w[t][f]);
		}
		return m;
	}

	int windowArgmax(int window, int f) {
		float[][] w = this.windows.get(window);
		int at = 0;
		float m = 0;
		for (int t = this.s.firstCountedPosition(); t < w.length; t++) {
			if (w[t][f] > m) {
				m = w[t][f];
				at = t;
			}
		}
		return at;
	}

	float[] column(int window, int f) {
		float[][] w = this.windows.get(window);
		float[] out = new float[w.length];
		for (int t = 0; t < w.length; t++) {
			out[t] = w[t][f];
		}
		return out;
	}

	/** Top-K: windows with a positive max, by (max desc, window asc). */
	List<Integer> top(int f) {
		List<Integer> ids = new ArrayList<>();
		for (int w = 0; w < this.windows.size(); w++) {
			if (windowMax(w, f) > 0) {
				ids.add(w);
			}
		}
		ids.sort(Comparator.comparing((Integer w) -> -windowMax(w, f)).thenComparing(w -> w));
		return ids.subList(0, Math.min(this.s.topK(), ids.size()));
	}

	Map<Integer, Long> histogram(int f) {
		Map<Integer, Long> bins = new HashMap<>();
		for (float v : countedValues(f)) {
			bins.merge(LogHistogram.bin(v, this.s.histogramBinsPerOctave()), 1L, Long::sum);
		}
		return bins;
	}

	double key(int f, int w) {
		return StateIO.sampleKey(this.s.seed(), f, w);
	}

	/** The documented scheme: bottom-k by key per band of the window max, then per interval the k smallest keys. */
	List<List<Integer>> intervals(int f) {
		Map<Integer, List<Integer>> byBand = new HashMap<>();
		for (int w = 0; w < this.windows.size(); w++) {
			float m = windowMax(w, f);
			if (m > 0) {
				byBand.computeIfAbsent(LogHistogram.bin(m, this.s.bandsPerOctave()), b -> new ArrayList<>()).add(w);
			}
		}
		float max = 0;
		for (int w = 0; w < this.windows.size(); w++) {
			max = Math.max(max, windowMax(w, f));
		}
		List<List<Integer>> out = new ArrayList<>();
		for (int i = 0; i < this.s.intervals(); i++) {
			out.add(new ArrayList<>());
		}
		Comparator<Integer> byKey = Comparator.comparing((Integer w) -> key(f, w)).thenComparing(w -> w);
		for (List<Integer> band : byBand.values()) {
			band.sort(byKey);
			for (int w : band.subList(0, Math.min(this.s.perInterval(), band.size()))) {
				out.get(BandSamples.intervalOf(windowMax(w, f), max, this.s.intervals())).add(w);
			}
		}
		for (int i = 0; i < out.size(); i++) {
			List<Integer> c = out.get(i);
			c.sort(byKey);
			List<Integer> kept = new ArrayList<>(c.subList(0, Math.min(this.s.perInterval(), c.size())));
			kept.sort(Comparator.comparing((Integer w) -> -windowMax(w, f)).thenComparing(w -> w));
			out.set(i, kept);
		}
		return out;
	}

	/** Zero samples: the candidate windows (smallest window keys) in key order where f is zero on counted positions. */
	List<Integer> zeros(int f) {
		List<Integer> all = new ArrayList<>();
		for (int w = 0; w < this.windows.size(); w++) {
			all.add(w);
		}
		all.sort(Comparator.comparing((Integer w) -> StateIO.sampleKey(this.s.seed(), -1, w)).thenComparing(w -> w));
		List<Integer> out = new ArrayList<>();
		for (int w : all.subList(0, Math.min(this.s.zeroCandidates(), all.size()))) {
			if (windowMax(w, f) == 0 && out.size() < this.s.zeroSamples()) {
				out.add(w);
			}
		}
		return out;
	}

	/** Jaccard top-n from exact pair counts over counted positions. */
	List<Integer> coOccurring(int f, int n, float[] scoresOut) {
		long[] both = new long[this.dSae];
		long[] active = new long[this.dSae];
		for (float[][] w : this.windows) {
			for (int t = this.s.firstCountedPosition(); t < w.length; t++) {
				for (int g = 0; g < this.dSae; g++) {
					if (w[t][g] > 0) {
						active[g]++;
						if (w[t][f] > 0 && g != f) {
							both[g]++;
						}
					}
				}
			}
		}
		List<Integer> partners = new ArrayList<>();
		float[] score = new float[this.dSae];
		for (int g = 0; g < this.dSae; g++) {
			if (both[g] > 0) {
				partners.add(g);
				score[g] = (float) (both[g] / (double) (active[f] + active[g] - both[g]));
			}
		}
		partners.sort(Comparator.comparing((Integer g) -> -score[g]).thenComparing(g -> g));
		List<Integer> out = partners.subList(0, Math.min(n, partners.size()));
		for (int i = 0; i < out.size(); i++) {
			scoresOut[i] = score[out.get(i)];
		}
		return out;
	}

	static float[] dense(Example e, int length) {
		return e.dense(length);
	}

	static String ids(Example[] examples) {
		return Arrays.toString(Arrays.stream(examples).mapToInt(Example::window).toArray());
	}
}
