package dev.lumen.spark;

import dev.lumen.stats.CoOccurring;
import dev.lumen.stats.Example;
import dev.lumen.stats.FeatureStatistics;
import dev.lumen.stats.Histogram;
import java.util.Arrays;

/** Every statistic of every feature as text, so two results compare with one string equality and diff readably. */
final class StatisticsText {

	private StatisticsText() {
	}

	/** Everything but the mean, which {@link #means} compares within double rounding. */
	static String of(FeatureStatistics s) {
		StringBuilder b = new StringBuilder("tokens=" + s.tokens() + "\n");
		for (int f = 0; f < s.dSae(); f++) {
			b.append("f").append(f).append(" active=").append(s.activeTokens(f)).append(" max=").append(s.maxActivation(f))
				.append("\n top=").append(examples(s.topExamples(f)));
			Example[][] intervals = s.intervalExamples(f);
			for (int i = 0; i < intervals.length; i++) {
				b.append("\n interval").append(i).append('=').append(examples(intervals[i]));
			}
			b.append("\n zero=").append(examples(s.zeroExamples(f)));
			Histogram h = s.histogram(f);
			b.append("\n hist=").append(h == null ? "-" : Arrays.toString(h.edges()) + Arrays.toString(h.counts()));
			CoOccurring c = s.coOccurring(f, 10);
			b.append("\n co=").append(Arrays.toString(c.indices())).append(Arrays.toString(c.scores()))
				.append(c.approximate() ? " approximate" : "").append('\n');
		}
		return b.toString();
	}

	static double[] means(FeatureStatistics s) {
		double[] m = new double[s.dSae()];
		for (int f = 0; f < m.length; f++) {
			m[f] = s.meanActivation(f);
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
