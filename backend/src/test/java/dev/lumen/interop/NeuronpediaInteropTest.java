package dev.lumen.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.feature.FeatureLabel;
import dev.lumen.feature.FeatureRepository;
import dev.lumen.interop.InteropImporter.Request;
import dev.lumen.testing.SeededDatabaseTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A Neuronpedia dataset export imports with its explanations as labels (source and scores kept), and the
 * Neuronpedia-shaped routes answer with the keys its clients read.
 */
class NeuronpediaInteropTest extends SeededDatabaseTest {

	@Autowired
	InteropImporter importer;

	@Autowired
	FeatureRepository features;

	final String model = "np-" + UUID.randomUUID().toString().substring(0, 8);

	@AfterEach
	void removeModel() {
		this.models.findByName(this.model).ifPresent(this.models::delete);
	}

	void importExport(Path dir) {
		this.importer.importNeuronpedia(dir, new Request(this.model, null, InteropFiles.GPT2_CONFIG, InteropFiles.RES_JB_0,
				false), line -> {
				});
	}

	@Test
	void exportImportsWithExplanationsAsLabelsAndTheBatchesExamples() {
		importExport(InteropFiles.NEURONPEDIA_EXPORT);
		long saeId = this.jdbc.queryForObject("SELECT s.id FROM sae s JOIN model m ON m.id = s.model_id WHERE m.name = ? "
				+ "AND s.name = '0-res-jb'", Long.class, this.model);
		FeatureLabel label = this.features.findLatestLabel(saeId, 2).orElseThrow();
		assertThat(label.label()).isEqualTo("medical imaging words (MRI, ultrasound) [test label]");
		assertThat(label.explainer()).isEqualTo("neuronpedia:gpt-4o-mini");
		assertThat(label.scores()).containsEntry("typeName", "oai_token-act-pair")
			.containsEntry("neuronpedia_explanation_id", "expl-2");
		// the same windows as the SAEDashboard batch they came from: 30 top and 22 in quantile bins
		assertThat(this.features.findExamples(saeId, 2)).hasSize(52);
		assertThat(this.features.findExamples(saeId, 2).stream().filter(e -> e.kind().equals("top"))).hasSize(30);
		assertThat(this.features.findStats(saeId, 3).orElseThrow().maxActivation()).isEqualTo(3.429f);
	}

	@Test
	void unknownColumnsAndTruncatedGzipAreRefused(@TempDir Path dir) throws IOException {
		Path copy = dir.resolve("export");
		for (String folder : new String[] { "features", "activations", "explanations" }) {
			Files.createDirectories(copy.resolve(folder));
			Files.copy(InteropFiles.NEURONPEDIA_EXPORT.resolve(folder).resolve("batch-0.jsonl.gz"),
					copy.resolve(folder).resolve("batch-0.jsonl.gz"));
		}
		Path explanations = copy.resolve("explanations").resolve("batch-0.jsonl.gz");
		try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(explanations))) {
			out.write("{\"id\": \"x\", \"modelId\": \"gpt2-small\", \"layer\": \"0-res-jb\", \"index\": \"2\", \"description\": \"d\", \"explanation_score\": 1}\n".getBytes());
		}
		assertThatThrownBy(() -> importExport(copy)).isInstanceOf(InteropFormatException.class)
			.hasMessageContaining("explanations/batch-0.jsonl.gz line 1: unknown key 'explanation_score'");
		byte[] whole = Files.readAllBytes(InteropFiles.NEURONPEDIA_EXPORT.resolve("activations").resolve("batch-0.jsonl.gz"));
		Files.write(copy.resolve("activations").resolve("batch-0.jsonl.gz"), java.util.Arrays.copyOf(whole, whole.length / 2));
		assertThatThrownBy(() -> importExport(copy)).isInstanceOf(InteropFormatException.class)
			.hasMessageContaining("activations/batch-0.jsonl.gz is not a complete gzip file");
		assertThat(this.models.findByName(this.model)).isEmpty();
	}

	@Test
	void featureRouteAnswersNeuronpediasKeysForAnImportedFeature() {
		importExport(InteropFiles.NEURONPEDIA_EXPORT);
		JsonNode n = json(this.client.get("/api/feature/" + this.model + "/0-res-jb/2"));
		assertThat(n.get("modelId").asString()).isEqualTo(this.model);
		assertThat(n.get("layer").asString()).isEqualTo("0-res-jb");
		assertThat(n.get("index").asString()).isEqualTo("2");
		assertThat(n.get("pos_str").get(0).asString()).isEqualTo(" MRI");
		assertThat(n.get("pos_values").get(0).asDouble()).isEqualTo(3.121);
		assertThat(n.get("frac_nonzero").asDouble()).isEqualTo(0.00035999999999999997);
		assertThat(n.get("activations")).hasSize(52);
		assertThat(n.get("activations").get(0).get("tokens").get(0).asString()).isEqualTo(" would");
		assertThat(n.get("activations").get(0).get("maxValue").asDouble()).isEqualTo(0.8);
		assertThat(n.get("activations").get(0).get("maxValueTokenIndex").asInt()).isEqualTo(61);
		assertThat(n.get("explanations").get(0).get("description").asString())
			.isEqualTo("medical imaging words (MRI, ultrasound) [test label]");
		assertThat(n.get("explanations").get(0).get("explanationModelName").asString()).isEqualTo("gpt-4o-mini");
		assertThat(n.get("hasVector").asBoolean()).isFalse();
		assertThat(this.client.get("/api/feature/" + this.model + "/9-res-jb/2").statusCode()).isEqualTo(404);
	}

	@Test
	void featureRouteMapsLayerPrefixedSourcesToLumenSaeNamesWithNeighbours() {
		// the seeded SAE is named "small" with its hook in layer 1: Neuronpedia calls it "1-small"
		String path = "/api/feature/" + this.fixture.model.getName() + "/1-" + this.fixture.sae.getName() + "/3";
		JsonNode n = json(this.client.get(path));
		assertThat(n.get("layer").asString()).isEqualTo("1-" + this.fixture.sae.getName());
		assertThat(n.get("hasVector").asBoolean()).isTrue();
		assertThat(n.get("topkCosSimIndices").get(0).asInt()).isEqualTo(dev.lumen.testing.FeatureFixture.TWIN);
		assertThat(n.get("explanations").get(0).get("description").asString()).isEqualTo(dev.lumen.testing.FeatureFixture.LABEL);
		assertThat(n.get("pos_str").get(0).asString()).isEqualTo("<script>alert(1)</script>");
	}

	@Test
	void explanationSearchFindsImportedLabelsAndActivationRouteSaysWhenTheModelCannotRun() throws Exception {
		importExport(InteropFiles.NEURONPEDIA_EXPORT);
		HttpResponse<String> found = post("/api/explanation/search",
				"{\"modelId\": \"" + this.model + "\", \"layers\": [\"0-res-jb\"], \"query\": \"ultrasound imaging\"}");
		assertThat(found.statusCode()).isEqualTo(200);
		JsonNode r = json(found);
		assertThat(r.get("resultsCount").asInt()).isEqualTo(1);
		assertThat(r.get("results").get(0).get("index").asString()).isEqualTo("2");
		assertThat(r.get("results").get(0).get("layer").asString()).isEqualTo("0-res-jb");
		assertThat(r.get("hasMore").asBoolean()).isFalse();
		// the imported model has no weights on this server: a clear 503, not a 500
		HttpResponse<String> run = post("/api/activation/new", "{\"feature\": {\"modelId\": \"" + this.model
				+ "\", \"source\": \"0-res-jb\", \"index\": \"2\"}, \"customText\": \"an MRI scan\"}");
		assertThat(run.statusCode()).isEqualTo(503);
		assertThat(run.body()).contains("cannot run");
		assertThat(post("/api/explanation/search", "{\"modelId\": \"" + this.model + "\"}").statusCode()).isEqualTo(400);
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static JsonNode json(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return DashboardBatchReader.JSON.readTree(response.body());
	}
}
