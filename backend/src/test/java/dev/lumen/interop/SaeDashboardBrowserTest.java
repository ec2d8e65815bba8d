package dev.lumen.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.display.ActivationFormat;
import dev.lumen.feature.TokenDisplay;
import dev.lumen.interop.InteropImporter.Request;
import dev.lumen.testing.HeadlessChromium;
import dev.lumen.testing.SeededDatabaseTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The real SAEDashboard batch, imported, renders in headless Chromium with the file's tokens, per-token
 * activations and logit effects, marked as imported and saying that the SAE's weights are missing.
 */
class SaeDashboardBrowserTest extends SeededDatabaseTest {

	@Autowired
	InteropImporter importer;

	ChromeDriver browser;

	final String model = "np-" + UUID.randomUUID().toString().substring(0, 8);

	@BeforeEach
	void importAndStartBrowser() {
		this.importer.importSaeDashboard(List.of(InteropFiles.BATCH),
				new Request(this.model, "res-jb", InteropFiles.GPT2_CONFIG, InteropFiles.RES_JB_0, false), line -> {
				});
		this.browser = HeadlessChromium.start();
	}

	@AfterEach
	void quit() {
		this.browser.quit();
		this.models.findByName(this.model).ifPresent(this.models::delete);
	}

	@Test
	void importedFeaturePageShowsTheFilesTokensActivationsAndLogitEffects() throws IOException {
		JsonNode file = DashboardBatchReader.JSON.readTree(InteropFiles.BATCH.toFile());
		for (JsonNode f : file.get("features")) {
			int index = f.get("feature_index").asInt();
			this.browser.get("http://localhost:" + this.port + "/" + this.model + "/res-jb/" + index);
			screenshot("saedashboard-feature-" + index);
			assertThat(this.browser.findElement(By.id("source-badge")).getText()).isEqualTo("imported from SAEDashboard");
			assertThat(this.browser.findElement(By.id("source-missing")).getText()).contains("weights are not linked");
			// the first top window, token for token (hidden ones too), with the activation of every active token
			JsonNode first = f.get("activations").get(0);
			List<WebElement> spans = this.browser.findElements(By.cssSelector("#top-0 .ex-line .tok"));
			List<String> texts = new ArrayList<>();
			List<String> expected = new ArrayList<>();
			for (int i = 0; i < spans.size(); i++) {
				texts.add((String) this.browser.executeScript("return arguments[0].textContent", spans.get(i)));
				expected.add(TokenDisplay.visible(first.get("tokens").get(i).asString()));
				double v = first.get("values").get(i).asDouble();
				String act = spans.get(i).getDomAttribute("data-act");
				assertThat(act).as("token %d", i).isEqualTo(v > 0 ? ActivationFormat.format((float) v) : null);
			}
			assertThat(spans).hasSize(first.get("tokens").size());
			assertThat(texts).isEqualTo(expected);
			int q = first.get("qualifying_token_index").asInt();
			assertThat(spans.get(q).getDomAttribute("class")).contains("max");
			// logit effects: the file's pos_str / pos_values and neg_str / neg_values, in order
			List<WebElement> up = this.browser.findElements(By.cssSelector("#logits-up tr"));
			List<WebElement> down = this.browser.findElements(By.cssSelector("#logits-down tr"));
			assertThat(up).hasSize(f.get("pos_str").size());
			assertThat(down).hasSize(f.get("neg_str").size());
			for (int i = 0; i < up.size(); i++) {
				assertThat(cell(up.get(i), "code")).isEqualTo(TokenDisplay.visible(f.get("pos_str").get(i).asString()));
				assertThat(cell(up.get(i), ".num")).isEqualTo("+" + ActivationFormat.format((float) f.get("pos_values").get(i).asDouble()));
				assertThat(cell(down.get(i), "code")).isEqualTo(TokenDisplay.visible(f.get("neg_str").get(i).asString()));
				assertThat(cell(down.get(i), ".num")).isEqualTo(ActivationFormat.format((float) f.get("neg_values").get(i).asDouble()));
			}
			assertThat(this.browser.findElement(By.id("stat-density")).getText()).isNotEqualTo("–");
		}
	}

	private String cell(WebElement row, String css) {
		return (String) this.browser.executeScript("return arguments[0].textContent", row.findElement(By.cssSelector(css)));
	}

	private void screenshot(String name) throws IOException {
		Path dir = Path.of("target", "screenshots");
		Files.createDirectories(dir);
		Files.copy(this.browser.getScreenshotAs(OutputType.FILE).toPath(), dir.resolve(name + ".png"),
				StandardCopyOption.REPLACE_EXISTING);
	}
}
