package dev.lumen.spark;

import dev.lumen.stats.CoOccurring;
import dev.lumen.stats.Example;
import dev.lumen.stats.FeatureResults;
import dev.lumen.stats.Histogram;
import java.util.Arrays;
import java.util.List;

/**
 * Every statistic of every feature as text, so two results compare with one string equality and diff readably. A
 * result is a list of consecutive feature blocks (a whole partial is one block); the text does not show the cut.
 */
final class StatisticsText {

	private StatisticsText() {
	}

	/** Everything but the mean, which {@link #means} compares within double rounding. */
	static String of(List<? extends FeatureResults> blocks) {
		long[] active = activeTokens(blocks);
		StringBuilder b = new StringBuilder("tokens=" + blocks.get(0).tokens() + "\n");
		for (FeatureResults s : blocks) {
			if (s.tokens() != blocks.get(0).tokens()) {
				b.append("block from ").append(s.firstFeature()).append(" tokens=").append(s.tokens()).append('\n');
			}
			for (int f = s.firstFeature(); f < s.endFeature(); f++) {
				b.append("f").append(f).append(" active=").append(s.activeTokens(f)).append(" max=").append(s.maxActivation(f))
					.append("\n top=").append(examples(s.topExamples(f)));
				Example[][] intervals = s.intervalExamples(f);
				for (int i = 0; i < intervals.length; i++) {
					b.append("\n interval").append(i).append('=').append(examples(intervals[i]));
				}
				b.append("\n zero=").append(examples(s.zeroExamples(f)));
				Histogram h = s.histogram(f);
				b.append("\n hist=").append(h == null ? "-" : Arrays.toString(h.edges()) + Arrays.toString(h.counts()));
				CoOccurring c = s.coOccurring(f, 10, active);
				b.append("\n co=").append(Arrays.toString(c.indices())).append(Arrays.toString(c.scores()))
					.append(c.approximate() ? " approximate" : "").append('\n');
			}
		}
		return b.toString();
	}

	static long[] activeTokens(List<? extends FeatureResults> blocks) {
		long[] active = new long[blocks.get(blocks.size() - 1).endFeature()];
		for (FeatureResults s : blocks) {
			for (int f = s.firstFeature(); f < s.endFeature(); f++) {
				active[f] = s.activeTokens(f);
			}
		}
		return active;
	}

	static double[] means(List<? extends FeatureResults> blocks) {
		double[] m = new double[blocks.get(blocks.size() - 1).endFeature()];
		for (FeatureResults s : blocks) {
			for (int f = s.firstFeature(); f < s.endFeature(); f++) {
				m[f] = s.meanActivation(f);
			}
		}
		return m;
	}

	private static String examples(Example[] examples) {
		StringBuilder b = new StringBuilder();
		for (Example e : examples) {
			b.append(e).append(Arrays.toString(e.values())).append(';');
		}
		return b.toString();
	}
}
