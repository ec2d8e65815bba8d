package dev.lumen.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.SaeRegistrar;
import dev.lumen.testing.DatabaseTest;
import dev.lumen.testing.HeadlessChromium;
import dev.lumen.testing.RepoFiles;
import java.util.List;
import java.util.UUID;
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

/** A real browser runs an analysis on /analyze, filters the table by token, and reopens the permalink. */
class AnalyzeBrowserTest extends DatabaseTest {

	static final String PROMPT = "Once upon a time, there was a little girl named Lily. She loved to";

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Autowired
	AnalysisService analysis;

	ChromeDriver browser;

	CatalogModel model;

	@BeforeEach
	void setUp() {
		this.model = this.context.getBean(CatalogModelRepository.class).save(new CatalogModel(
				"an-" + UUID.randomUUID().toString().substring(0, 8), "analysis test", RepoFiles.DEMO_MODEL.toString(),
				"LlamaForCausalLM", 128, 8, 512));
		this.context.getBean(SaeRegistrar.class).register(new CatalogSae(this.model, "res1", "blocks.1.hook_resid_post", 1,
				128, 1024, "topk", RepoFiles.root().resolve("demo/sae/tinystories-1m-blocks.1.hook_resid_post-1024").toString()));
		this.browser = HeadlessChromium.start();
	}

	@AfterEach
	void tearDown() {
		this.browser.quit();
		this.context.getBean(CatalogModelRepository.class).delete(this.model);
	}

	@Test
	void anAnalysisShowsTheTablesFiltersByTokenAndItsPermalinkReproducesIt() {
		this.browser.get("http://localhost:" + this.port + "/analyze");
		this.browser.findElement(By.cssSelector("select[name='on'] option[value='" + this.model.getName() + "/res1']")).click();
		WebElement prompt = this.browser.findElement(By.name("prompt"));
		prompt.clear();
		prompt.sendKeys(PROMPT);
		WebElement verify = this.browser.findElement(By.name("verify"));
		verify.clear();
		verify.sendKeys("6");
		this.browser.findElement(By.id("analysis-run")).click();
		// the click starts a navigation: wait for the new page's result (or its error)
		long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
		while (this.browser.findElements(By.id("analysis-result")).isEmpty() && errorText().isEmpty()
				&& System.nanoTime() < deadline) {
			sleep();
		}
		assertThat(this.browser.findElements(By.id("analysis-result"))).as(errorText()).hasSize(1);

		AnalysisResult expected = this.analysis.analyze(new AnalyzeRequest(this.model.getName(), "res1", PROMPT, null, null,
				10, 6));
		assertThat(text("#analysis-difference strong")).isEqualTo(String.format("%.3f", expected.logitDifference()));
		assertThat(text("#analysis-verification")).contains("6 features");
		// summed rows shown first, per-position rows hidden
		List<WebElement> visible = visibleRows();
		assertThat(visible).hasSize(expected.summed().size());
		assertThat(visible.get(0).findElement(By.cssSelector("a")).getText())
			.isEqualTo(Integer.toString(expected.summed().get(0).index()));
		// clicking a token shows only that position's features
		AnalysisResult.PositionRows third = expected.positions().get(2);
		this.browser.findElement(By.cssSelector("#analysis-tokens [data-position='" + third.position() + "']")).click();
		visible = visibleRows();
		assertThat(visible).hasSize(third.features().size());
		assertThat(visible.get(0).findElement(By.cssSelector("a")).getText())
			.isEqualTo(Integer.toString(third.features().get(0).index()));
		assertThat(visible.get(0).findElement(By.cssSelector("a")).getAttribute("href"))
			.endsWith("/" + this.model.getName() + "/res1/" + third.features().get(0).index());

		// the permalink recomputes the same analysis
		String permalink = this.browser.findElement(By.id("analysis-permalink")).getAttribute("href");
		this.browser.get(permalink);
		assertThat(text("#analysis-difference strong")).isEqualTo(String.format("%.3f", expected.logitDifference()));
		assertThat(this.browser.findElement(By.name("prompt")).getAttribute("value")).isEqualTo(PROMPT);

		List<LogEntry> severe = this.browser.manage().logs().get(LogType.BROWSER).getAll().stream()
			.filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
			.toList();
		assertThat(severe).isEmpty();
	}

	@Test
	void tooManyAblationsAreRefusedWithAMessageOnThePage() {
		this.browser.get("http://localhost:" + this.port + "/analyze?on=" + this.model.getName() + "/res1&prompt=Hello&verify=500");
		assertThat(errorText()).contains("verify (the number of ablations) must be between 0 and 64, got 500");
		assertThat(this.browser.findElements(By.id("analysis-result"))).isEmpty();
	}

	static void sleep() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	List<WebElement> visibleRows() {
		return this.browser.findElements(By.cssSelector("#analysis-table tbody tr")).stream().filter(WebElement::isDisplayed)
			.toList();
	}

	String errorText() {
		try {
			List<WebElement> error = this.browser.findElements(By.id("analysis-error"));
			return error.isEmpty() ? "" : error.get(0).getText();
		}
		catch (org.openqa.selenium.StaleElementReferenceException ex) {
			return ""; // the page was replaced while reading it
		}
	}

	String text(String css) {
		return this.browser.findElement(By.cssSelector(css)).getText().strip();
	}
}
