package dev.lumen.stats;

import static dev.lumen.stats.FeatureStatisticsTest.D_SAE;
import static dev.lumen.stats.FeatureStatisticsTest.corpus;
import static dev.lumen.stats.FeatureStatisticsTest.range;
import static dev.lumen.stats.FeatureStatisticsTest.run;
import static dev.lumen.stats.FeatureStatisticsTest.small;
import static dev.lumen.stats.FeatureStatisticsTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FeatureBlockTest {

	/** Partials over disjoint, shuffled parts of one corpus (as the shards of a distributed run). */
	private static List<FeatureStatistics> partials(StatsSettings s, List<float[][]> corpus, boolean dense, int... cuts) {
		List<Integer> shuffled = range(corpus.size());
		Collections.shuffle(shuffled, new Random(11));
		List<FeatureStatistics> out = new ArrayList<>();
		int from = 0;
		for (int cut : cuts) {
			out.add(run(s, corpus, shuffled.subList(from, cut), dense));
			from = cut;
		}
		out.add(run(s, corpus, shuffled.subList(from, corpus.size()), dense));
		return out;
	}

	@ParameterizedTest
	@ValueSource(strings = { "dense co-occurrence", "capped co-occurrence" })
	void splitMergePerBlockConcatenateEqualsMergeOfWholePartials(String mode) throws IOException {
		boolean dense = mode.startsWith("dense");
		StatsSettings s = small(false);
		List<float[][]> corpus = corpus(3, 120);
		FeatureStatistics whole = run(s, corpus, range(corpus.size()), dense);
		List<FeatureStatistics> parts = partials(s, corpus, dense, 17, 70);
		// blocks of 7 features (the last one 3), each merged on its own, in another order than the partials
		List<FeatureBlock> merged = parts.get(2).blocks(7);
		for (FeatureStatistics p : List.of(parts.get(0), parts.get(1))) {
			List<FeatureBlock> blocks = p.blocks(7);
			for (int b = 0; b < blocks.size(); b++) {
				merged.get(b).merge(roundTrip(blocks.get(b)));
			}
		}
		assertThat(merged).extracting(FeatureBlock::endFeature).containsExactly(7, 14, 21, D_SAE);
		FeatureStatistics wholeMerge = parts.get(0);
		wholeMerge.merge(parts.get(1));
		wholeMerge.merge(parts.get(2));
		assertThat(snapshot(merged)).isEqualTo(snapshot(wholeMerge)).isEqualTo(snapshot(whole));
		assertThat(snapshot(whole.blocks(D_SAE))).isEqualTo(snapshot(whole));
	}

	/** Per segment of 64 windows, a partial of its windows in order (what a distributed run's shards count). */
	private static List<FeatureStatistics> segments(StatsSettings s, List<float[][]> corpus) {
		List<FeatureStatistics> out = new ArrayList<>();
		for (int from = 0; from < corpus.size(); from += SegmentedCoOccurrence.SEGMENT_WINDOWS) {
			int to = Math.min(corpus.size(), from + SegmentedCoOccurrence.SEGMENT_WINDOWS);
			out.add(run(s, corpus, range(corpus.size()).subList(from, to), false));
		}
		return out;
	}

	@ParameterizedTest
	@ValueSource(ints = { 3, 6, 12 })
	void pastThePartnerCapSegmentsFoldedInOrderGiveTheCountsOfOneRun(int cap) throws IOException {
		StatsSettings s = new StatsSettings(12, 3, 4, 2, 3, 6, 4, 2, cap, 7L, false);
		List<float[][]> corpus = corpus(4, 300);
		FeatureStatistics whole = run(s, corpus, range(corpus.size()), false);
		List<FeatureStatistics> segments = segments(s, corpus);
		assertThat(segments).hasSize(5);
		// block by block, one segment's block at a time, in segment order, through the byte form
		List<FeatureBlock> merged = segments.get(0).blocks(5);
		for (FeatureStatistics segment : segments.subList(1, segments.size())) {
			List<FeatureBlock> blocks = segment.blocks(5);
			for (int b = 0; b < blocks.size(); b++) {
				merged.get(b).merge(roundTrip(blocks.get(b)));
			}
		}
		assertThat(snapshot(merged)).isEqualTo(snapshot(whole));
		// the rule for the flag: more distinct partners than the cap over the corpus, in any run
		int approximate = 0;
		for (int f = 0; f < D_SAE; f++) {
			int partners = distinctPartners(corpus, f);
			CoOccurring co = whole.coOccurring(f, 5);
			assertThat(co.approximate()).as("feature %d with %d partners, cap %d", f, partners, cap).isEqualTo(partners > cap);
			approximate += co.approximate() ? 1 : 0;
		}
		assertThat(approximate).as("features past the cap").isPositive();
		// the order is what makes them equal: the same segments folded backwards count otherwise past the cap
		FeatureStatistics backwards = segments(s, corpus).get(4);
		for (int i = 3; i >= 0; i--) {
			backwards.merge(segments(s, corpus).get(i));
		}
		if (cap == 3) {
			assertThat(snapshot(backwards)).isNotEqualTo(snapshot(whole));
		}
	}

	@Test
	void blocksOfOtherRangesDoNotMergeAndFeaturesOutsideAreRefused() {
		StatsSettings s = small(false);
		FeatureStatistics a = run(s, corpus(3, 10), range(10), true);
		assertThatThrownBy(() -> a.blocks(7).get(0).merge(a.blocks(8).get(0))).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> a.blocks(0)).hasMessageContaining("positive");
		assertThatThrownBy(() -> a.blocks(7).get(0).maxActivation(7)).isInstanceOf(IndexOutOfBoundsException.class);
	}

	private static int distinctPartners(List<float[][]> corpus, int f) {
		Set<Integer> partners = new HashSet<>();
		for (float[][] w : corpus) {
			for (int t = 1; t < w.length; t++) { // BOS is not counted
				if (w[t][f] > 0f) {
					for (int g = 0; g < D_SAE; g++) {
						if (g != f && w[t][g] > 0f) {
							partners.add(g);
						}
					}
				}
			}
		}
		return partners.size();
	}

	private static FeatureBlock roundTrip(FeatureBlock b) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		b.write(new DataOutputStream(bytes));
		return FeatureBlock.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), b.settings());
	}
}
