package dev.lumen.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.feature.FeatureRepository;
import dev.lumen.feature.FeatureStats;
import dev.lumen.feature.Histogram;
import dev.lumen.feature.LogitEffects;
import dev.lumen.feature.StoredExample;
import dev.lumen.feature.TokenVocabulary;
import dev.lumen.interop.InteropImporter.Report;
import dev.lumen.interop.InteropImporter.Request;
import dev.lumen.testing.DatabaseTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The real SAEDashboard batch imports with every token, activation, logit and histogram bar of the file; bad
 * files are refused before anything is written; an import that stops between files resumes; exporting an
 * imported SAE writes the file back.
 */
class SaeDashboardImportTest extends DatabaseTest {

	@Autowired
	InteropImporter importer;

	@Autowired
	NeuronpediaExporter exporter;

	@Autowired
	FeatureRepository features;

	@Autowired
	TokenVocabulary vocabulary;

	@Autowired
	CatalogModelRepository models;

	@Autowired
	JdbcTemplate jdbc;

	final String model = "np-" + UUID.randomUUID().toString().substring(0, 8);

	@AfterEach
	void removeModel() {
		this.models.findByName(this.model).ifPresent(this.models::delete);
	}

	Report importBatch(List<Path> files, boolean replace) {
		return this.importer.importSaeDashboard(files, new Request(this.model, "res-jb", InteropFiles.GPT2_CONFIG,
				InteropFiles.RES_JB_0, replace), line -> {
				});
	}

	@Test
	void realBatchImportsWithTheFilesTokensActivationsLogitsAndHistogram() {
		Report report = importBatch(List.of(InteropFiles.BATCH), false);
		assertThat(report.features()).isEqualTo(2);
		long saeId = saeId();
		long modelId = this.models.findByName(this.model).orElseThrow().getId();
		JsonNode file = DashboardBatchReader.JSON.readTree(InteropFiles.BATCH.toFile());
		for (JsonNode f : file.get("features")) {
			int index = f.get("feature_index").asInt();
			FeatureStats stats = this.features.findStats(saeId, index).orElseThrow();
			assertThat(stats.density()).isEqualTo((float) f.get("frac_nonzero").asDouble());
			List<JsonNode> top = new ArrayList<>();
			f.get("activations").forEach(a -> {
				if (a.get("bin_min").asDouble() == -1) {
					top.add(a);
				}
			});
			assertThat(stats.maxActivation()).isEqualTo((float) top.get(0).get("bin_max").asDouble());
			List<StoredExample> stored = this.features.findExamples(saeId, index);
			assertThat(stored).hasSize(f.get("activations").size());
			List<StoredExample> storedTop = stored.stream().filter(e -> e.kind().equals("top")).toList();
			assertThat(storedTop).hasSize(top.size());
			for (int i = 0; i < top.size(); i++) {
				StoredExample e = storedTop.get(i);
				assertThat(texts(modelId, e.tokenIds())).isEqualTo(strings(top.get(i).get("tokens")));
				assertThat(e.activations()).containsExactly(floats(top.get(i).get("values")));
				assertThat(e.maxPosition()).isEqualTo(top.get(i).get("qualifying_token_index").asInt());
			}
			LogitEffects logits = this.features.findLogitEffects(saeId, index).orElseThrow();
			assertThat(texts(modelId, logits.topTokenIds())).isEqualTo(strings(f.get("pos_str")));
			assertThat(logits.topValues()).containsExactly(floats(f.get("pos_values")));
			assertThat(texts(modelId, logits.bottomTokenIds())).isEqualTo(strings(f.get("neg_str")));
			assertThat(logits.bottomValues()).containsExactly(floats(f.get("neg_values")));
			Histogram h = this.features.findHistogram(saeId, index, "activation").orElseThrow();
			float[] heights = floats(f.get("freq_hist_data_bar_heights"));
			assertThat(h.counts()).hasSize(heights.length);
			for (int i = 0; i < heights.length; i++) {
				assertThat(h.counts()[i]).isEqualTo((long) heights[i]);
				// each bar's centre lies halfway between its edges, within the file's rounding (3 decimals on centres and grid)
				assertThat((h.binEdges()[i] + h.binEdges()[i + 1]) / 2)
					.isCloseTo((float) f.get("freq_hist_data_bar_values").get(i).asDouble(), org.assertj.core.data.Offset.offset(1e-3f));
			}
		}
		// quantile bins became intervals, lowest first: feature 2 has 5 bins of 0.16 between 0 and 0.8
		assertThat(this.features.findIntervalSummaries(saeId, 2)).extracting(FeatureRepository.IntervalSummary::intervalIndex)
			.containsExactlyInAnyOrder(0, 1, 2, 3, 4);
		assertThat(this.jdbc.queryForObject("SELECT origin FROM feature_source WHERE sae_id = ? AND feature_index = 3",
				String.class, saeId)).isEqualTo("batch-1.json");
		// no weights were given: the features have no decoder vectors
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM feature_decoder WHERE sae_id = ?",
				Integer.class, saeId)).isZero();
	}

	@Test
	void exportOfTheImportedBatchWritesTheFileBack(@TempDir Path out) throws IOException {
		importBatch(List.of(InteropFiles.BATCH), false);
		this.exporter.export(this.model, "res-jb", out, line -> {
		});
		JsonNode original = DashboardBatchReader.JSON.readTree(InteropFiles.BATCH.toFile());
		JsonNode exported = DashboardBatchReader.JSON.readTree(out.resolve("batch-0.json").toFile());
		assertThat(exported.get("layer").asInt()).isZero();
		assertThat(exported.get("sae_set").asString()).isEqualTo("res-jb");
		assertThat(JsonNumbers.firstDifference(original.get("features"), exported.get("features"), "features")).isNull();
		assertThat(out.resolve("cfg.json")).exists();
	}

	@Test
	void unknownKeysAndTruncatedFilesAreRefusedBeforeAnythingIsWritten(@TempDir Path dir) throws IOException {
		ObjectNode tree = (ObjectNode) DashboardBatchReader.JSON.readTree(InteropFiles.BATCH.toFile());
		((ObjectNode) tree.get("features").get(1)).put("feature_idx", 3);
		Path unknown = dir.resolve("batch-7.json");
		Files.writeString(unknown, DashboardBatchReader.JSON.writeValueAsString(tree));
		assertThatThrownBy(() -> importBatch(List.of(InteropFiles.BATCH, unknown), false))
			.isInstanceOf(InteropFormatException.class)
			.hasMessageContaining("batch-7.json")
			.hasMessageContaining("unknown key 'feature_idx'");

		Path truncated = dir.resolve("batch-8.json");
		String text = Files.readString(InteropFiles.BATCH);
		Files.writeString(truncated, text.substring(0, text.length() / 2));
		assertThatThrownBy(() -> importBatch(List.of(InteropFiles.BATCH, truncated), false))
			.isInstanceOf(InteropFormatException.class)
			.hasMessageContaining("batch-8.json is not a complete SAEDashboard batch (truncated or malformed JSON at line");

		Path unequal = dir.resolve("batch-9.json");
		ObjectNode t2 = (ObjectNode) DashboardBatchReader.JSON.readTree(InteropFiles.BATCH.toFile());
		((tools.jackson.databind.node.ArrayNode) t2.get("features").get(0).get("pos_values")).remove(0);
		Files.writeString(unequal, DashboardBatchReader.JSON.writeValueAsString(t2));
		assertThatThrownBy(() -> importBatch(List.of(unequal), false)).hasMessageContaining(
				"features[0] (feature 2) has 10 pos_str but 9 pos_values");
		// a batch of another layer than the SAE's hook: refused, and neither model nor SAE is kept
		Path layer6 = dir.resolve("batch-10.json");
		Files.writeString(layer6, Files.readString(InteropFiles.BATCH).replaceFirst("\"layer\": 0", "\"layer\": 6"));
		assertThatThrownBy(() -> importBatch(List.of(layer6), false))
			.hasMessageContaining("the files are for layer 6 but SAE 'res-jb' hooks blocks.0.hook_resid_pre (layer 0)");
		// files are all read and checked first: the model was never created
		assertThat(this.models.findByName(this.model)).isEmpty();
	}

	@Test
	void featuresThatHoldDataAreNotOverwrittenWithoutReplace(@TempDir Path dir) throws IOException {
		importBatch(List.of(InteropFiles.BATCH), false);
		// the same file again: recognised by its content and skipped
		assertThat(importBatch(List.of(InteropFiles.BATCH), false).filesSkipped()).isEqualTo(1);
		Path changed = dir.resolve("batch-1.json");
		Files.writeString(changed, Files.readString(InteropFiles.BATCH).replace("\"pos_values\": [3.121", "\"pos_values\": [3.5"));
		assertThat(Files.readString(changed)).isNotEqualTo(Files.readString(InteropFiles.BATCH));
		assertThatThrownBy(() -> importBatch(List.of(changed), false)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("features 2, 3 of SAE 'res-jb' already hold data")
			.hasMessageContaining("--replace");
		assertThat(this.features.findLogitEffects(saeId(), 2).orElseThrow().topValues()[0]).isEqualTo(3.121f);
		importBatch(List.of(changed), true);
		assertThat(this.features.findLogitEffects(saeId(), 2).orElseThrow().topValues()[0]).isEqualTo(3.5f);
		assertThat(this.features.findExamples(saeId(), 2)).hasSize(52);
	}

	@Test
	void anImportThatStopsBetweenFilesKeepsTheFinishedFilesAndResumes(@TempDir Path dir) throws IOException {
		Path first = dir.resolve("batch-0.json");
		Files.copy(InteropFiles.BATCH, first);
		Path second = dir.resolve("batch-1.json");
		String text = Files.readString(InteropFiles.BATCH);
		// feature 24577 does not exist in a 24576-wide SAE: the second file fails while it is written
		Files.writeString(second, text.replace("\"feature_index\": 2,", "\"feature_index\": 24577,")
			.replace("\"feature_index\": 3,", "\"feature_index\": 5,"));
		assertThatThrownBy(() -> importBatch(List.of(dir), false)).hasMessageContaining("feature 24577 is outside SAE");
		long saeId = saeId();
		// the first file's features are whole; none of the second file's is visible
		assertThat(this.features.findExamples(saeId, 2)).hasSize(52);
		assertThat(this.features.findStats(saeId, 5)).isEmpty();

		Files.writeString(second, text.replace("\"feature_index\": 2,", "\"feature_index\": 4,")
			.replace("\"feature_index\": 3,", "\"feature_index\": 5,"));
		Report resumed = importBatch(List.of(dir), false);
		assertThat(resumed.filesSkipped()).isEqualTo(1);
		assertThat(resumed.features()).isEqualTo(2);
		assertThat(this.features.findExamples(saeId, 5)).hasSize(44);
	}

	private long saeId() {
		return this.jdbc.queryForObject("SELECT s.id FROM sae s JOIN model m ON m.id = s.model_id WHERE m.name = ? "
				+ "AND s.name = 'res-jb'", Long.class, this.model);
	}

	private List<String> texts(long modelId, int[] ids) {
		List<String> out = new ArrayList<>();
		for (int id : ids) {
			out.add(this.vocabulary.text(modelId, id));
		}
		return out;
	}

	static List<String> strings(JsonNode array) {
		List<String> out = new ArrayList<>();
		array.forEach(n -> out.add(n.asString()));
		return out;
	}

	static float[] floats(JsonNode array) {
		float[] out = new float[array.size()];
		for (int i = 0; i < out.length; i++) {
			out[i] = (float) array.get(i).asDouble();
		}
		return out;
	}
}
