package dev.lumen.feature;

import static org.assertj.core.api.Assertions.assertThat;
import dev.lumen.testing.RandomSae;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lumen.catalog.CatalogImporter;
import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.engine.model.HookNames;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import dev.lumen.sae.ResolvedSae;
import dev.lumen.sae.SaeDirectory;
import dev.lumen.testing.DatabaseTest;
import dev.lumen.testing.PageClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * "Test on your own text", search by prompt and the multi-prompt filter on the demo model (TinyStories-1M)
 * with a small random SAE on layer 1, checked against the engine run directly (full model, then encode).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ActivationProbeTest extends DatabaseTest {

	static final Path MODEL = repo().resolve("demo/models/tinystories-1m/model.bin");

	static final int D_SAE = 32;

	static final String HOOK = HookNames.residPost(1);

	static final String TEXT = "Once upon a time, a little cat sat on the mat.\nThe end.";

	@LocalServerPort
	int port;

	@Autowired
	CatalogImporter importer;

	@Autowired
	CatalogModelRepository models;

	@Autowired
	SaeDirectory directory;

	@Autowired
	ActivationProbe probe;

	@Autowired
	JdbcTemplate jdbc;

	Path saeDir;

	String modelName;

	LanguageModel model;

	Sae sae;

	ResolvedSae resolved;

	@BeforeAll
	void register() throws Exception {
		this.saeDir = Files.createTempDirectory("probe-sae");
		this.modelName = "probe-" + Long.toHexString(System.nanoTime());
		this.model = LanguageModel.load(MODEL, Device.cpu());
		writeRandomSae(this.saeDir, this.model.config().dModel());
		this.sae = Sae.loadFromDisk(this.saeDir, Device.cpu());
		CatalogModel m = this.importer.importModel(this.model, this.modelName);
		CatalogSae s = this.importer.importSae(m, this.sae, this.saeDir, "res-1-32");
		// the vocabulary as extraction stores it: SentencePiece's '▁' as a space, byte token <0x0A> as a newline
		for (int id = 0; id < this.model.tokenizer().vocabSize(); id++) {
			String piece = this.model.tokenizer().tokenString(id);
			this.jdbc.update("INSERT INTO model_token VALUES (?, ?, ?)", m.getId(), id,
					piece.equals("<0x0A>") ? "\n" : piece.replace('\u2581', ' '));
		}
		this.jdbc.update("UPDATE feature SET max_activation = 2, density = 0.1 WHERE sae_id = ?", s.getId());
		this.jdbc.update("INSERT INTO feature_label (sae_id, feature_index, label, explainer) VALUES (?, 0, 'zeroth', 'test')",
				s.getId());
		this.resolved = this.directory.resolve(this.modelName, "res-1-32");
	}

	@AfterAll
	void cleanUp() {
		this.models.findByName(this.modelName).ifPresent(this.models::delete);
		this.sae.close();
		this.model.close();
	}

	@Test
	void activationsEqualTheFullModelRunAndEncodeOnTheSameTokens() {
		PromptActivations got = this.probe.activations(this.resolved, TEXT);
		float[] expected = direct(got.tokenIds());
		assertThat(got.tokenIds()).isEqualTo(this.model.tokenizer().encode(TEXT, true));
		assertThat(got.tokenIds()[0]).isEqualTo(this.model.tokenizer().bosId());
		assertThat(got.values()).hasSize(expected.length);
		for (int i = 0; i < expected.length; i++) {
			assertThat(got.values()[i]).as("value %d", i).isCloseTo(expected[i], within(1e-4f));
		}
		assertThat(got.truncated()).isFalse();
		// some features fire and some do not: the random SAE is not degenerate
		float[] max = got.maxPerFeature();
		assertThat(max).contains(0f);
		assertThat(new HashSet<>(List.of(max[0] > 0, max[1] > 0, max[2] > 0, max[3] > 0, max[4] > 0, max[5] > 0))).isNotEmpty();
	}

	@Test
	void longTextsAreCutToTheTokenLimit() {
		PromptActivations got = this.probe.activations(this.resolved, "the cat sat. ".repeat(200));
		assertThat(got.length()).isEqualTo(ActivationProbe.MAX_TOKENS);
		assertThat(got.truncated()).isTrue();
	}

	@Test
	void featurePageWithTextShowsTheTextColouredByThisFeature() {
		int feature = strongestFeature();
		float[] column = this.probe.activations(this.resolved, TEXT).feature(feature);
		float max = 0;
		for (float a : column) {
			max = Math.max(max, a);
		}
		String path = this.resolved.featureHref(feature) + "?text=" + URLEncoder.encode(TEXT, StandardCharsets.UTF_8);
		String body = new PageClient(this.port).get(path).body();
		assertThat(body).contains("<strong id=\"try-max\">" + dev.lumen.display.ActivationFormat.format(max) + "</strong>")
			.contains("id=\"try-0\"")
			.contains(" cat</span>")
			.contains(">⏎</span>");
	}

	@Test
	void tryFragmentAnswersHtmxAndRedirectsPlainRequests() throws Exception {
		String path = this.resolved.featureHref(0) + "/try?text=" + URLEncoder.encode("a cat", StandardCharsets.UTF_8);
		HttpResponse<String> fragment = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).header("HX-Request", "true").build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(fragment.statusCode()).isEqualTo(200);
		assertThat(fragment.body()).startsWith("<div id=\"try-result\"").doesNotContain("<html");
		assertThat(fragment.headers().firstValue("HX-Push-Url")).hasValue(this.resolved.featureHref(0) + "?text=a%20cat");
		HttpResponse<String> plain = new PageClient(this.port).get(path);
		assertThat(plain.statusCode()).isEqualTo(302);
		assertThat(plain.headers().firstValue("Location").orElseThrow()).endsWith(this.resolved.featureHref(0) + "?text=a%20cat#try");
	}

	@Test
	void promptSearchListsEachTokensTopFeaturesAndTheFilterKeepsOnlySharedFeatures() {
		String a = "The cat sat on the mat.";
		String b = "A dog ran in the park.";
		String n = "Tom was sad.";
		String path = "/search/prompt?sae=" + this.modelName + "/res-1-32&positive="
				+ URLEncoder.encode(a + "\n" + b, StandardCharsets.UTF_8) + "&negative=" + URLEncoder.encode(n, StandardCharsets.UTF_8);
		String body = new PageClient(this.port).get(path).body();
		int tokens = this.model.tokenizer().encode(a, true).length;
		assertThat(body).contains("id=\"pos-" + (tokens - 1) + "\"").doesNotContain("id=\"pos-" + tokens + "\"");
		// the expected set, from the engine run directly
		float[] maxA = maxPerFeature(a);
		float[] maxB = maxPerFeature(b);
		float[] maxN = maxPerFeature(n);
		Set<Integer> expected = new HashSet<>();
		for (int f = 0; f < D_SAE; f++) {
			if (maxA[f] > 0 && maxB[f] > 0 && !(maxN[f] > 0)) {
				expected.add(f);
			}
		}
		String filter = body.substring(body.indexOf("id=\"prompt-filter\""));
		for (int f = 0; f < D_SAE; f++) {
			String link = "href=\"" + this.resolved.featureHref(f) + "\"";
			if (expected.contains(f)) {
				assertThat(filter).as("feature %d kept", f).contains(link);
			}
			else {
				assertThat(filter).as("feature %d filtered out", f).doesNotContain(link);
			}
		}
	}

	@Test
	void activationApiReturnsTheFeatureColumn() {
		String path = "/api/" + this.modelName + "/res-1-32/3/activations?text=" + URLEncoder.encode(TEXT, StandardCharsets.UTF_8);
		var json = tools.jackson.databind.json.JsonMapper.builder().build().readTree(new PageClient(this.port).get(path).body());
		float[] column = this.probe.activations(this.resolved, TEXT).feature(3);
		assertThat(json.get("activations").size()).isEqualTo(column.length);
		assertThat(json.get("activations").get(5).asDouble()).isCloseTo(column[5], within(1e-6));
		assertThat(json.get("tokens").get(0).asString()).isEqualTo(this.model.tokenizer().tokenString(this.model.tokenizer().bosId()));
	}

	@Test
	void inABrowserTheTextIsTestedInPlaceAndPromptTokensListTheirFeatures() throws Exception {
		org.openqa.selenium.chrome.ChromeDriver browser = dev.lumen.testing.HeadlessChromium.start();
		try {
			int feature = strongestFeature();
			browser.get("http://localhost:" + this.port + this.resolved.featureHref(feature));
			browser.findElement(org.openqa.selenium.By.id("try-text")).sendKeys(TEXT);
			browser.findElement(org.openqa.selenium.By.cssSelector(".try-form button")).click();
			waitFor(browser, () -> !browser.findElements(org.openqa.selenium.By.id("try-max")).isEmpty());
			float max = 0;
			for (float a : this.probe.activations(this.resolved, TEXT).feature(feature)) {
				max = Math.max(max, a);
			}
			assertThat(browser.findElement(org.openqa.selenium.By.id("try-max")).getText())
				.isEqualTo(dev.lumen.display.ActivationFormat.format(max));
			// htmx replaced the result in place and put the text into the address, so it can be shared
			assertThat(browser.getCurrentUrl()).contains(this.resolved.featureHref(feature) + "?text=Once");
			screenshot(browser, "try-text");

			browser.get("http://localhost:" + this.port + "/search/prompt?sae=" + this.modelName + "/res-1-32");
			browser.findElement(org.openqa.selenium.By.id("p-pos")).sendKeys("The cat sat on the mat.");
			browser.findElement(org.openqa.selenium.By.cssSelector(".prompt-form button")).click();
			waitFor(browser, () -> !browser.findElements(org.openqa.selenium.By.id("prompt-tokens")).isEmpty());
			browser.findElement(org.openqa.selenium.By.cssSelector("a.ptok[href='#pos-2']")).click();
			assertThat(browser.getCurrentUrl()).endsWith("#pos-2");
			assertThat(browser.findElement(org.openqa.selenium.By.id("pos-2")).getText()).contains("position 2");
			screenshot(browser, "prompt-search");
		}
		finally {
			browser.quit();
		}
	}

	private static void screenshot(org.openqa.selenium.chrome.ChromeDriver browser, String name) throws Exception {
		Path dir = Path.of("target", "screenshots");
		Files.createDirectories(dir);
		Files.copy(browser.getScreenshotAs(org.openqa.selenium.OutputType.FILE).toPath(), dir.resolve(name + ".png"),
				java.nio.file.StandardCopyOption.REPLACE_EXISTING);
	}

	private static void waitFor(org.openqa.selenium.chrome.ChromeDriver browser, java.util.function.BooleanSupplier condition)
			throws InterruptedException {
		long deadline = System.nanoTime() + 15_000_000_000L;
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("condition not met within 15 s; page is " + browser.getCurrentUrl());
			}
			Thread.sleep(50);
		}
	}

	private int strongestFeature() {
		float[] max = this.probe.activations(this.resolved, TEXT).maxPerFeature();
		int best = 0;
		for (int f = 1; f < max.length; f++) {
			if (max[f] > max[best]) {
				best = f;
			}
		}
		return best;
	}

	private float[] maxPerFeature(String text) {
		int[] ids = this.model.tokenizer().encode(text, true);
		float[] all = direct(ids);
		float[] max = new float[D_SAE];
		for (int p = 0; p < ids.length; p++) {
			for (int f = 0; f < D_SAE; f++) {
				max[f] = Math.max(max[f], all[p * D_SAE + f]);
			}
		}
		return max;
	}

	/** The whole model (no early stop), then the SAE: [pos * dSae]. */
	private float[] direct(int[] ids) {
		try (NDManager manager = NDManager.newBaseManager()) {
			NDArray x = this.model.run(new int[][] { ids }, null, List.of(), HOOK::equals, -1, manager).cache().get(HOOK);
			return this.sae.encode(x).toFloatArray();
		}
	}

	/** A random SAE of this test's width (see {@link RandomSae}). */
	static void writeRandomSae(Path dir, int dIn) throws Exception {
		RandomSae.write(dir, dIn, D_SAE, 5, -0.3);
	}

	static Path repo() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !Files.isDirectory(dir.resolve("demo/models"))) {
			dir = dir.getParent();
		}
		return dir;
	}
}
