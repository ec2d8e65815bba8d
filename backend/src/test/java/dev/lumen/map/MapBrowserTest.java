package dev.lumen.map;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.testing.FeatureFixture;
import dev.lumen.testing.HeadlessChromium;
import dev.lumen.testing.SeededDatabaseTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.interactions.WheelInput;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The feature map in headless Chromium, with and without JavaScript: points are links, hover shows the label,
 * the wheel zooms and fetches the points of the region, the feature page's small map loads. Screenshots go to
 * {@code target/screenshots/}.
 */
class MapBrowserTest extends SeededDatabaseTest {

	@Autowired
	FeatureMapBuilder builder;

	@BeforeEach
	void buildMap() {
		this.builder.build(this.fixture.sae, FeatureMapBuilder.Options.defaults(), s -> { });
	}

	@Test
	void withoutJavaScriptTheMapIsAPictureWhosePointsAreLinksWithLabels() throws IOException {
		ChromeDriver browser = HeadlessChromium.start(false);
		try {
			browser.get(url(this.fixture.saePath() + "/map?q=twin"));
			List<WebElement> points = browser.findElements(By.cssSelector("svg#feature-map .map-points a"));
			assertThat(points).hasSize(FeatureFixture.D_SAE);
			// no script ran: the zoom buttons stay hidden
			assertThat(browser.findElement(By.cssSelector(".map-zoom")).isDisplayed()).isFalse();
			WebElement twin = browser.findElement(By.cssSelector("circle.match[data-i='7']"));
			assertThat(twin.findElement(By.tagName("title")).getAttribute("textContent")).isEqualTo("#7 Twin of the script feature");
			screenshot(browser, "map-no-js");
			// a click on a point opens the feature
			browser.findElement(By.cssSelector("svg#feature-map a[href='" + this.fixture.featurePath(FeatureFixture.FEATURE) + "']"))
				.click();
			waitFor(() -> browser.getCurrentUrl().endsWith(this.fixture.featurePath(3)));
			// the feature page's small map is an image that loads without JavaScript
			WebElement img = browser.findElement(By.cssSelector("#map img"));
			waitFor(() -> ((Number) browser.executeScript("return arguments[0].naturalWidth", img)).intValue() > 0);
			assertThat(img.getAttribute("src")).endsWith(this.fixture.featurePath(3) + "/map.svg");
		}
		finally {
			browser.quit();
		}
	}

	@Test
	void withJavaScriptHoverShowsTheLabelTheWheelZoomsAndAClickOpensTheFeature() throws IOException {
		ChromeDriver browser = HeadlessChromium.start();
		try {
			browser.get(url(this.fixture.saePath() + "/map"));
			WebElement svg = browser.findElement(By.id("feature-map"));
			assertThat(browser.findElement(By.cssSelector(".map-zoom")).isDisplayed()).isTrue();
			WebElement point = browser.findElement(By.cssSelector("circle[data-i='3']"));
			new Actions(browser).moveToElement(point).perform();
			WebElement tip = browser.findElement(By.cssSelector(".map-tip"));
			waitFor(() -> tip.isDisplayed());
			assertThat(tip.getText()).isEqualTo("#3 Script tags & feline nouns");
			String before = svg.getDomAttribute("viewBox");
			new Actions(browser).scrollFromOrigin(WheelInput.ScrollOrigin.fromElement(svg), 0, -300).perform();
			waitFor(() -> !svg.getDomAttribute("viewBox").equals(before));
			double width = Double.parseDouble(svg.getDomAttribute("viewBox").split(" ")[2]);
			assertThat(width).isLessThan(Double.parseDouble(before.split(" ")[2]));
			// after a zoom the visible region's points are fetched from the JSON API and drawn again
			waitFor(() -> svg.getDomAttribute("data-drawn") != null);
			assertThat(Integer.parseInt(svg.getDomAttribute("data-drawn"))).isPositive().isLessThanOrEqualTo(FeatureFixture.D_SAE);
			screenshot(browser, "map-zoomed");
			browser.findElement(By.cssSelector("[data-zoom='reset']")).click();
			waitFor(() -> "64".equals(svg.getDomAttribute("data-drawn"))
					&& !browser.findElements(By.cssSelector("circle[data-i='3']")).isEmpty());
			WebElement reloaded = browser.findElement(By.cssSelector("circle[data-i='3']"));
			reloaded.findElement(By.xpath("..")).click();
			waitFor(() -> browser.getCurrentUrl().endsWith(this.fixture.featurePath(3)));
		}
		finally {
			browser.quit();
		}
	}

	/** Polls for up to 10 s. */
	private static void waitFor(java.util.function.BooleanSupplier condition) {
		long end = System.nanoTime() + 10_000_000_000L;
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > end) {
				throw new AssertionError("condition not met within 10 s");
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	private static void screenshot(ChromeDriver browser, String name) throws IOException {
		Path dir = Path.of("target", "screenshots");
		Files.createDirectories(dir);
		Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), dir.resolve(name + ".png"),
				StandardCopyOption.REPLACE_EXISTING);
	}
}
