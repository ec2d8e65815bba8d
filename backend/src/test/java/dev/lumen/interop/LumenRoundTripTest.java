package dev.lumen.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.feature.ExampleLine;
import dev.lumen.feature.FeaturePage;
import dev.lumen.feature.FeatureService;
import dev.lumen.interop.InteropImporter.Request;
import dev.lumen.sae.ResolvedSae;
import dev.lumen.sae.SaeDirectory;
import dev.lumen.testing.FeatureFixture;
import dev.lumen.testing.SeededDatabaseTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code lumen export neuronpedia} then {@code lumen import saedashboard} of the export gives back the same
 * feature page: statistics, top examples token for token, activation intervals, logit effects and histogram.
 */
class LumenRoundTripTest extends SeededDatabaseTest {

	@Autowired
	NeuronpediaExporter exporter;

	@Autowired
	InteropImporter importer;

	@Autowired
	FeatureService pages;

	@Autowired
	SaeDirectory directory;

	@Test
	void importOfAnExportGivesTheSamePage(@TempDir Path out) throws IOException {
		String model = this.fixture.model.getName();
		int exported = this.exporter.export(model, this.fixture.sae.getName(), out, line -> {
		});
		assertThat(exported).isEqualTo(FeatureFixture.D_SAE); // every seeded feature has a density
		this.importer.importSaeDashboard(List.of(out), new Request(model, "round-trip", null, out, false), line -> {
		});
		ResolvedSae original = this.directory.resolve(model, this.fixture.sae.getName());
		ResolvedSae copy = this.directory.resolve(model, "round-trip");
		assertThat(copy.sae().getDSae()).isEqualTo(original.sae().getDSae());
		assertThat(copy.sae().getHookName()).isEqualTo(original.sae().getHookName());
		FeaturePage a = this.pages.page(original, FeatureFixture.FEATURE, null);
		FeaturePage b = this.pages.page(copy, FeatureFixture.FEATURE, null);
		assertThat(b.stats().density()).isEqualTo(a.stats().density());
		assertThat(b.stats().maxActivation()).isEqualTo(a.stats().maxActivation());
		assertThat(shown(b.topExamples())).isEqualTo(shown(a.topExamples()));
		assertThat(b.intervals()).extracting(FeaturePage.IntervalGroup::intervalIndex, FeaturePage.IntervalGroup::range,
				FeaturePage.IntervalGroup::count)
			.containsExactlyElementsOf(a.intervals()
				.stream()
				.map(g -> org.assertj.core.groups.Tuple.tuple(g.intervalIndex(), g.range(), g.count()))
				.toList());
		for (FeaturePage.IntervalGroup g : a.intervals()) {
			assertThat(shown(this.pages.intervalLines(copy, FeatureFixture.FEATURE, g.intervalIndex(), b.stats())))
				.isEqualTo(shown(this.pages.intervalLines(original, FeatureFixture.FEATURE, g.intervalIndex(), a.stats())));
		}
		assertThat(b.positiveLogits()).isEqualTo(a.positiveLogits());
		assertThat(b.negativeLogits()).isEqualTo(a.negativeLogits());
		assertThat(b.activationChart()).isEqualTo(a.activationChart());
	}

	/** What a reader sees of example lines: each token's text and activation, the strongest marked. */
	private static List<String> shown(List<ExampleLine> lines) {
		return lines.stream()
			.map(l -> l.kind() + "/" + l.intervalIndex() + "/" + l.rank() + " " + l.maxActivation() + " "
					+ l.tokens().stream().map(t -> t.text() + "=" + t.activation() + (t.max() ? "*" : "")).toList())
			.toList();
	}

	@Autowired
	dev.lumen.feature.FeatureNeighbourRepository neighbours;

	@Autowired
	FeatureSources sources;

	@Test
	void importWithSaeLensWeightsLinksDecodersSoNeighboursWork(@TempDir Path out, @TempDir Path weights)
			throws Exception {
		String model = this.fixture.model.getName();
		this.exporter.export(model, this.fixture.sae.getName(), out, line -> {
		});
		dev.lumen.testing.RandomSae.write(weights, FeatureFixture.D_IN, FeatureFixture.D_SAE, 7, 0);
		this.importer.importSaeDashboard(List.of(out), new Request(model, "linked", null, weights, false), line -> {
		});
		ResolvedSae linked = this.directory.resolve(model, "linked");
		float[] wDec = dev.lumen.engine.sae.SaeFiles.readParameters(weights).wDec(); // [dSae, dIn]
		float[] row = java.util.Arrays.copyOfRange(wDec, FeatureFixture.FEATURE * FeatureFixture.D_IN,
				(FeatureFixture.FEATURE + 1) * FeatureFixture.D_IN);
		assertThat(this.neighbours.decoder(linked.sae(), FeatureFixture.FEATURE).orElseThrow()).containsExactly(row);
		assertThat(this.pages.neighbours(linked, FeatureFixture.FEATURE)).hasSize(10);
		assertThat(this.sources.of(linked.saeId(), FeatureFixture.FEATURE).hasDecoder()).isTrue();
		// the page's examples are the imported ones, not touched by linking the weights
		assertThat(shown(this.pages.page(linked, FeatureFixture.FEATURE, null).topExamples()))
			.isEqualTo(shown(this.pages.page(this.directory.resolve(model, this.fixture.sae.getName()), FeatureFixture.FEATURE,
					null).topExamples()));
	}
}
