package dev.lumen.playground;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.testing.DatabaseTest;
import dev.lumen.testing.HeadlessChromium;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** A real browser opens the playground from a feature link, runs a steered generation and sees both streamed outputs. */
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
	void aSteeredRunStreamsTheDefaultAndTheSteeredCompletionSideBySide() throws Exception {
		this.browser.get("http://localhost:" + this.port + "/playground?model=" + this.fixture.model.getName()
				+ "&sae=res1&feature=17");
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
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		while (!this.browser.findElement(By.id("playground-status")).getText().startsWith("stopped:")) {
			assertThat(System.nanoTime()).as("generation finished within 2 minutes; error shown: '%s'",
					this.browser.findElement(By.id("playground-error")).getText()).isLessThan(deadline);
			Thread.sleep(100);
		}

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
		List<LogEntry> severe = this.browser.manage().logs().get(LogType.BROWSER).getAll().stream()
			.filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
			.toList();
		assertThat(severe).isEmpty();
	}

	String text(String css) {
		return this.browser.findElement(By.cssSelector(css)).getText().strip();
	}
}
