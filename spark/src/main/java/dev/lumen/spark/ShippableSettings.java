package dev.lumen.spark;

import dev.lumen.stats.StatsSettings;
import java.io.Serializable;

/** {@link StatsSettings} in a form Spark can ship to executors with a task (the record itself is not Serializable). */
record ShippableSettings(int maxPositions, int topK, int intervals, int perInterval, int zeroSamples,
		int zeroCandidates, int histogramBinsPerOctave, int bandsPerOctave, int partnerCap, long seed,
		boolean includeBos) implements Serializable {

	static ShippableSettings of(StatsSettings s) {
		return new ShippableSettings(s.maxPositions(), s.topK(), s.intervals(), s.perInterval(), s.zeroSamples(),
				s.zeroCandidates(), s.histogramBinsPerOctave(), s.bandsPerOctave(), s.partnerCap(), s.seed(),
				s.includeBos());
	}

	StatsSettings toStats() {
		return new StatsSettings(this.maxPositions, this.topK, this.intervals, this.perInterval, this.zeroSamples,
				this.zeroCandidates, this.histogramBinsPerOctave, this.bandsPerOctave, this.partnerCap, this.seed,
				this.includeBos);
	}
}
