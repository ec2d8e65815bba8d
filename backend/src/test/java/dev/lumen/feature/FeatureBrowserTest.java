package dev.lumen.feature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.embedding.LabelEmbeddings;
import dev.lumen.testing.SeededDatabaseTest;
import dev.lumen.testing.FeatureFixture;
import dev.lumen.testing.HeadlessChromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A researcher's path through a seeded catalog in real headless Chromium: open a feature page, hover and
 * tab to tokens to read their activations, expand a context, follow a neighbour, search by label words and by
 * meaning. Saves
 * screenshots to {@code target/screenshots/} for review.
 */
class FeatureBrowserTest extends SeededDatabaseTest {

	static final Path SCREENSHOTS = Path.of("target", "screenshots");

	ChromeDriver browser;

	@Autowired
	LabelEmbeddings embeddings;

	@BeforeEach
	void startBrowser() {
		this.browser = HeadlessChromium.start();
	}

	@AfterEach
	void quitBrowser() {
		this.browser.quit();
	}

	@Test
	void hoverShowsActivationsNeighbourLinksWorkAndLabelSearchFindsTheFeature() throws IOException {
		this.browser.get(url(this.fixture.featurePath(FeatureFixture.FEATURE)));
		assertThat(this.browser.findElement(By.cssSelector(".feature-head h1")).getText()).contains(FeatureFixture.LABEL);
		screenshot("feature-page");
		assertThat(overflowingElements()).isEmpty();

		// hovering the strongest token shows its exact activation next to it
		WebElement strongest = this.browser.findElement(By.cssSelector("#top-0 .tok.max"));
		// scrolling hides the (fixed-position) tooltip: bring the token into view first, then hover
		this.browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", strongest);
		waitFor(() -> {
			// leave and re-enter, so every attempt fires a fresh mouseover
			new Actions(this.browser).moveToElement(this.browser.findElement(By.cssSelector(".ex-act"))).moveToElement(strongest)
				.perform();
			return !this.browser.findElements(By.cssSelector("#tok-tip:not([hidden])")).isEmpty();
		});
		WebElement tip = this.browser.findElement(By.id("tok-tip"));
		assertThat(tip.isDisplayed()).isTrue();
		assertThat(tip.getText()).isEqualTo("<script>alert(1)</script>  3.250");
		screenshot("feature-hover");

		// keyboard: the active tokens are focusable and focus shows the number too
		WebElement second = this.browser.findElement(By.cssSelector("#top-0 .tok[data-act='1.250']"));
		this.browser.executeScript("arguments[0].focus()", second);
		assertThat(tip.getText()).isEqualTo(" on  1.250");
		second.sendKeys(Keys.TAB);
		assertThat(tip.getText()).isEqualTo("<script>alert(1)</script>  3.250");

		// the long example shows a window; "context" reveals the hidden tokens
		WebElement hidden = this.browser.findElement(By.cssSelector("#top-1 .tok.out"));
		assertThat(hidden.isDisplayed()).isFalse();
		this.browser.findElement(By.cssSelector("#top-1 .ex-more summary")).click();
		assertThat(hidden.isDisplayed()).isTrue();
		screenshot("feature-expanded");

		// an activation interval loads its examples when opened (htmx)
		this.browser.findElement(By.cssSelector("#interval-2 > summary")).click();
		waitFor(() -> !this.browser.findElements(By.id("interval-2-0")).isEmpty());
		assertThat(this.browser.findElement(By.cssSelector("#interval-2-0 .tok.max")).getAttribute("data-act")).isEqualTo("0.250");

		// the review badge placeholder 404s (no review module here) and the page stays intact
		assertThat(this.browser.findElements(By.cssSelector(".feature-head h1"))).hasSize(1);

		// follow the nearest neighbour
		this.browser.findElement(By.cssSelector("#neighbours ol.linked li a")).click();
		waitFor(() -> this.browser.getCurrentUrl().endsWith(this.fixture.featurePath(FeatureFixture.TWIN)));
		assertThat(this.browser.findElement(By.cssSelector(".feature-head h1")).getText())
			.contains(FeatureFixture.OTHER_LABEL);

		// search by label from the start page
		this.browser.get(url("/"));
		WebElement box = this.browser.findElement(By.id("home-q"));
		box.sendKeys("feline script");
		box.submit();
		waitFor(() -> this.browser.getCurrentUrl().contains("/search?q="));
		List<WebElement> results = this.browser.findElements(By.cssSelector("#label-matches .results a"));
		assertThat(results).extracting(WebElement::getText).anyMatch(t -> t.contains(FeatureFixture.LABEL));
		screenshot("search");

		// search by meaning: no word of the query is in the label it finds first
		this.jdbc.update("INSERT INTO feature_label (sae_id, feature_index, label, explainer) VALUES (?, 11, 'dogs and cats', 'test')",
				this.fixture.sae.getId());
		this.embeddings.backfill(null, n -> {
		});
		WebElement query = this.browser.findElement(By.id("q"));
		query.clear();
		query.sendKeys("animals");
		this.browser.findElement(By.id("mode-semantic")).click();
		query.submit();
		waitFor(() -> this.browser.getCurrentUrl().contains("mode=semantic"));
		WebElement first = this.browser.findElement(By.cssSelector("#label-matches .results li"));
		assertThat(first.findElement(By.tagName("a")).getText()).contains("dogs and cats");
		assertThat(first.findElement(By.cssSelector(".score")).getText()).matches("0\\.\\d{3}");
		assertThat(this.browser.findElement(By.id("mode-semantic")).isSelected()).isTrue();
		screenshot("search-semantic");
		assertThat(overflowingElements()).isEmpty();
		assertThat(severeConsoleErrors()).isEmpty();
	}

	@Test
	void saeOverviewSortsWithHtmxAndPagesReadOnAPhone() throws IOException {
		this.browser.get(url(this.fixture.saePath()));
		screenshot("sae-overview");
		this.browser.findElement(By.linkText("max activation")).click();
		// htmx swaps the table in place and pushes the sortable URL
		waitFor(() -> this.browser.getCurrentUrl().contains("sort=max")
				&& "3".equals(this.browser.findElement(By.cssSelector("#feature-table tbody tr td a")).getText()));

		this.browser.manage().window().setSize(new Dimension(390, 844));
		this.browser.get(url(this.fixture.featurePath(FeatureFixture.FEATURE)));
		// nothing is wider than the phone screen
		assertThat(overflowingElements()).isEmpty();
		screenshot("feature-phone");
		this.browser.get(url(this.fixture.saePath()));
		screenshot("sae-phone");
		assertThat(severeConsoleErrors()).isEmpty();
	}

	/** Polls for up to 10 s; fails the test with the current URL when the condition never holds. */
	private void waitFor(java.util.function.BooleanSupplier condition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("condition not met within 10 s; page is " + this.browser.getCurrentUrl());
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("interrupted", ex);
			}
		}
	}

	/** @return the elements that stick out to the right of the viewport (a horizontal scrollbar) */
	@SuppressWarnings("unchecked")
	private List<String> overflowingElements() {
		return (List<String>) this.browser.executeScript("""
				const w = document.documentElement.clientWidth, out = [];
				for (const el of document.querySelectorAll('body *')) {
				  const r = el.getBoundingClientRect();
				  if (r.width > 0 && r.right > w + 1 && !el.closest('.ex-pre, .ex-post, .out')) {
				    out.push(el.tagName + '.' + el.className + ' right=' + Math.round(r.right) + ' > ' + w);
				  }
				}
				return out.slice(0, 10);""");
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	private void screenshot(String name) throws IOException {
		Files.createDirectories(SCREENSHOTS);
		Path png = this.browser.getScreenshotAs(OutputType.FILE).toPath();
		Files.copy(png, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
	}

	/** Console errors, except the expected 404 of the review badge when no review module answers it. */
	private List<LogEntry> severeConsoleErrors() {
		return this.browser.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
			.filter(e -> !e.getMessage().contains("/review/features/"))
			.toList();
	}
}
