package dev.lumen.playground;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.testing.DatabaseTest;
import dev.lumen.testing.HeadlessChromium;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * A real browser finds a feature by its label in the playground form, runs a steered generation and sees both streamed
 * outputs.
 */
class PlaygroundBrowserTest extends DatabaseTest {

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Autowired
	SteeringService steering;

	ChromeDriver browser;

	SteerFixture fixture;

	@BeforeEach
	void setUp() throws Exception {
		this.fixture = new SteerFixture(this.context);
		this.browser = HeadlessChromium.start();
	}

	@AfterEach
	void tearDown() {
		this.browser.quit();
		this.fixture.close();
	}

	@Test
	void aFeatureFoundByItsLabelIsSteeredAndBothCompletionsStreamSideBySide() throws Exception {
		this.fixture.label(17, "dragons guarding <b>castles</b>");
		this.browser.get("http://localhost:" + this.port + "/playground?model=" + this.fixture.model.getName() + "&sae=res1");
		assertThat(this.browser.findElements(By.cssSelector("[name=featureIndex]")).get(0).getAttribute("value")).isEmpty();
		// search by label (htmx fragment), then add the match as an intervention row
		this.browser.findElement(By.id("feature-query")).sendKeys("dragon");
		WebElement add = waitFor(By.cssSelector("#feature-results .add-feature[data-index='17']"));
		assertThat(this.browser.findElement(By.cssSelector("#feature-results .feature-label")).getText())
			.isEqualTo("dragons guarding <b>castles</b>"); // escaped: shown as text, not markup
		add.click();
		assertThat(this.browser.findElements(By.cssSelector("[name=featureIndex]")).get(0).getAttribute("value")).isEqualTo("17");
		// a found feature starts at 1x its max activation (fluent); the strength slider moves the value (0.25 steps)
		assertThat(this.browser.findElements(By.cssSelector("[name=featureValue]")).get(0).getAttribute("value")).isEqualTo("1");
		WebElement slider = this.browser.findElements(By.cssSelector(".strength-slider")).get(0);
		assertThat(slider.isDisplayed()).isTrue();
		for (int i = 0; i < 16; i++) {
			slider.sendKeys(org.openqa.selenium.Keys.ARROW_RIGHT);
		}
		assertThat(this.browser.findElements(By.cssSelector("[name=featureValue]")).get(0).getAttribute("value")).isEqualTo("5");
		assertThat(text(".strength-shown")).isEqualTo("5×");
		screenshot("playground-strength-slider");
		assertThat(this.browser.getCurrentUrl()).as("added in place, no form submission").doesNotContain("addFeature");
		WebElement prompt = this.browser.findElement(By.name("prompt"));
		prompt.clear();
		prompt.sendKeys("Once upon a time, there was a cat");
		WebElement tokens = this.browser.findElement(By.name("maxTokens"));
		tokens.clear();
		tokens.sendKeys("12");
		WebElement seed = this.browser.findElement(By.name("seed"));
		seed.clear();
		seed.sendKeys("5");
		this.browser.findElement(By.id("playground-run")).click();
		waitUntilStopped();

		SteerResult expected = this.steering.steer(new SteerRequest("Once upon a time, there was a cat",
				this.fixture.model.getName(), List.of(new SteerRequest.Feature("res1", 17, "clamp", 5f, "multiple")), 0.8f, 12, 5L,
				0.9f, "all"));
		// streamed token by token: one span per token, then the text equals the one-shot result
		List<WebElement> steeredTokens = this.browser.findElements(By.cssSelector("#output-steered .token"));
		assertThat(steeredTokens).hasSize(expected.steeredCompletion().tokens().size());
		// hovering a token tells the clamped feature's activation there
		assertThat(steeredTokens.get(0).getAttribute("title")).startsWith("res1 #17: ").contains("clamped to 20.000");
		assertThat(text("#output-default .generated")).isEqualTo(expected.defaultCompletion().text().strip());
		assertThat(text("#output-steered .generated")).isEqualTo(expected.steeredCompletion().text().strip());
		assertThat(text("#output-steered .generated")).isNotEqualTo(text("#output-default .generated"));
		screenshot("playground-steered");
		List<LogEntry> severe = this.browser.manage().logs().get(LogType.BROWSER).getAll().stream()
			.filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
			.toList();
		assertThat(severe).isEmpty();
	}

	@Test
	void aChatModelGetsTheConversationEditorAndTheStreamShowsTheRenderedPrompt(@TempDir Path dir) throws Exception {
		ChatPromptTest.copyChatModel(dir);
		SteerFixture chat = new SteerFixture(this.context, dir);
		try {
			this.browser.get("http://localhost:" + this.port + "/playground?model=" + chat.model.getName() + "&sae=res1&feature=17");
			assertThat(this.browser.findElement(By.id("chat-editor")).isDisplayed()).isTrue();
			assertThat(this.browser.findElement(By.id("prompt-editor")).isDisplayed()).isFalse();
			this.browser.findElement(By.name("system")).sendKeys("Be brief.");
			this.browser.findElement(By.name("turnContent")).sendKeys("Tell me, please, a story.");
			this.browser.findElement(By.id("add-turn")).click(); // in place: a second (assistant) turn, left empty
			List<WebElement> roles = this.browser.findElements(By.name("turnRole"));
			assertThat(roles).hasSize(2);
			assertThat(roles.get(1).getAttribute("value")).isEqualTo("assistant");
			WebElement tokens = this.browser.findElement(By.name("maxTokens"));
			tokens.clear();
			tokens.sendKeys("6");
			this.browser.findElement(By.id("playground-run")).click();
			waitUntilStopped();
			SteerResult expected = this.steering.steer(new SteerRequest(null, chat.model.getName(),
					List.of(new SteerRequest.Feature("res1", 17, "clamp", 1f, "multiple")), 0.8f, 6, 42L, 0.9f, "all",
					List.of(new SteerRequest.Message("system", "Be brief."),
							new SteerRequest.Message("user", "Tell me, please, a story."))));
			assertThat(expected.prompt()).startsWith("<|im_start|>system\nBe brief.<|im_end|>");
			assertThat(this.browser.findElement(By.cssSelector("#output-default .prompt-text")).getAttribute("textContent"))
				.isEqualTo(expected.prompt());
			assertThat(this.browser.findElement(By.cssSelector("#output-steered .generated")).getAttribute("textContent"))
				.isEqualTo(expected.steeredCompletion().text());
			screenshot("playground-chat");
			// choosing a base model's SAE swaps in the plain prompt box
			this.browser.findElement(By.cssSelector("#playground-target option[value='" + this.fixture.model.getName() + "/res1']"))
				.click();
			assertThat(this.browser.findElement(By.id("prompt-editor")).isDisplayed()).isTrue();
			assertThat(this.browser.findElement(By.id("chat-editor")).isDisplayed()).isFalse();
		}
		finally {
			chat.close();
		}
	}

	/** Saves the window to target/screenshots for review. */
	private void screenshot(String name) throws java.io.IOException {
		Path dir = Path.of("target", "screenshots");
		java.nio.file.Files.createDirectories(dir);
		java.nio.file.Files.copy(this.browser.getScreenshotAs(org.openqa.selenium.OutputType.FILE).toPath(), dir.resolve(name + ".png"),
				java.nio.file.StandardCopyOption.REPLACE_EXISTING);
	}

	void waitUntilStopped() throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		while (!this.browser.findElement(By.id("playground-status")).getText().startsWith("stopped:")) {
			assertThat(System.nanoTime()).as("generation finished within 2 minutes; error shown: '%s'",
					this.browser.findElement(By.id("playground-error")).getText()).isLessThan(deadline);
			Thread.sleep(100);
		}
	}

	WebElement waitFor(By by) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (this.browser.findElements(by).isEmpty()) {
			assertThat(System.nanoTime()).as("%s appears within 30 s", by).isLessThan(deadline);
			Thread.sleep(100);
		}
		return this.browser.findElement(by);
	}

	String text(String css) {
		return this.browser.findElement(By.cssSelector(css)).getText().strip();
	}
}
