package dev.lumen.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.account.Role;
import dev.lumen.testing.ReviewDatabaseTest;
import dev.lumen.testing.ReviewFixture;
import dev.lumen.testing.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Stored XSS: script payloads saved in a flag note, rationale, comment, list name, list note and feature label
 * are shown as text on every review page, in a real browser. The check does not rely on the content security
 * policy (which would also block inline scripts): it asserts that no element from a payload exists in the DOM
 * and that the payload's text is visible. Screenshots go to {@code backend/target/screenshots}.
 */
class ReviewPagesBrowserTest extends ReviewDatabaseTest {

	private static final String SCRIPT = "<script>window.__xss='%s'</script>";

	private static final String IMG = "<img src=x onerror=\"window.__xss='%s'\">";

	private static final Path SCREENSHOTS = Path.of("target", "screenshots");

	@LocalServerPort
	int port;

	@Autowired
	ListService lists;

	@Autowired
	SuggestionService suggestions;

	ChromeDriver browser;

	@BeforeEach
	void setUp() {
		this.browser = HeadlessChromium.start();
	}

	@AfterEach
	void tearDown() {
		this.browser.quit();
	}

	@Test
	void payloadsInNotesCommentsListNamesAndLabelsRenderAsTextAndNeverRun() throws Exception {
		String admin = this.fixture.user(Role.ADMIN);
		this.fixture.label(5, IMG.formatted("label") + " deception detector");
		ReviewFeature feature = this.features.require(this.fixture.sae.getId(), 5);
		Flag flag = this.flags.create(admin, feature, new FlagService.NewFlag(FlagCategory.DECEPTION, Severity.CRITICAL,
				SCRIPT.formatted("note"), null, null));
		this.flags.comment(admin, flag.getId(), "compare " + this.fixture.mention(5) + " " + IMG.formatted("comment"));
		Flag inReview = this.flags.transition(admin, flag.getId(), flag.getVersion(), FlagState.IN_REVIEW, "");
		this.flags.transition(admin, flag.getId(), inReview.getVersion(), FlagState.CONFIRMED, SCRIPT.formatted("rationale"));
		FeatureList list = this.lists.create(admin, SCRIPT.formatted("list name"), IMG.formatted("list description"));
		this.lists.addItem(admin, list.getId(), this.fixture.mention(5), IMG.formatted("item note"));
		this.lists.addItem(admin, list.getId(), this.fixture.mention(2), "a harmless one");

		logIn(admin);
		String m = this.fixture.model.getName();
		String s = this.fixture.sae.getName();
		visitAndCheck("/review?state=all&saeId=" + this.fixture.sae.getId(), "queue", "window.__xss='note'");
		visitAndCheck("/review/flags/" + flag.getId(), "flag", "window.__xss='comment'");
		assertThat(this.browser.findElement(By.id("flag-rationale")).getText()).isEqualTo(SCRIPT.formatted("rationale"));
		// the mention became a chip linking to the feature page, with the (escaped) label beside it
		var chip = this.browser.findElement(By.cssSelector("#comments .feature-chip"));
		assertThat(chip.getAttribute("href")).endsWith("/" + m + "/" + s + "/5");
		visitAndCheck("/review/features/" + m + "/" + s + "/5", "feature-review", "window.__xss='label'");
		visitAndCheck("/lists", "lists", "window.__xss='list name'");
		visitAndCheck("/lists/" + list.getId(), "list", "window.__xss='item note'");
		assertThat(this.browser.findElement(By.id("list-name")).getText()).isEqualTo(SCRIPT.formatted("list name"));
		visitAndCheck("/audit", "audit", "window.__xss");
		assertThat(this.browser.findElement(By.tagName("h1")).getText()).isEqualTo("Audit log");
		assertThat(this.browser.findElement(By.id("chain-ok")).getText()).contains("Hash chain verified");
		visitAndCheck("/admin/users", "users", admin);
		visitAndCheck("/review/suggestions", "suggestions", "Dangerous or CBRN content");
		assertNoConsoleErrors();
	}

	@Test
	void sessionCookieOverPlainHttpIsHttpOnlyNotSecureAndLogoutEndsTheSession() throws Exception {
		String reviewer = this.fixture.user(Role.REVIEWER);
		logIn(reviewer);
		Cookie session = this.browser.manage().getCookieNamed("JSESSIONID");
		assertThat(session).isNotNull();
		// plain HTTP: a Secure cookie would be dropped by browsers on other hosts (LoginTest covers HTTPS via a proxy)
		assertThat(session.isSecure()).isFalse();
		assertThat(session.isHttpOnly()).isTrue();
		assertThat(session.getSameSite()).isEqualTo("Lax");
		assertThat(this.browser.findElement(By.cssSelector(".account-nav .account-name")).getText()).isEqualTo(reviewer);
		this.browser.findElement(By.cssSelector(".account-nav form.logout button")).click();
		assertThat(awaitUrl(u -> u.endsWith("/login?logout"))).endsWith("/login?logout");
		this.browser.get(url("/review"));
		assertThat(this.browser.getCurrentUrl()).endsWith("/login");
	}

	@Test
	void reviewerFlagsAFeatureFromTheFormAndSeesItInTheQueue() throws Exception {
		String reviewer = this.fixture.user(Role.REVIEWER);
		logIn(reviewer);
		String m = this.fixture.model.getName();
		String s = this.fixture.sae.getName();
		this.browser.get(url("/review/features/" + m + "/" + s + "/3/flag"));
		this.browser.findElement(By.cssSelector("#category option[value=POWER_SEEKING]")).click();
		this.browser.findElement(By.cssSelector("#severity option[value=HIGH]")).click();
		this.browser.findElement(By.id("note")).sendKeys("fires on plans to acquire resources");
		this.browser.findElement(By.id("evidenceUrl")).sendKeys("/playground/runs/7");
		screenshot("flag-form");
		this.browser.findElement(By.cssSelector("main form button[type=submit]")).click();
		assertThat(awaitUrl(u -> u.contains("/review/flags/"))).contains("/review/flags/");
		assertThat(this.browser.findElement(By.id("flag-state")).getText()).isEqualTo("open");
		assertThat(this.browser.findElement(By.id("flag-note")).getText()).isEqualTo("fires on plans to acquire resources");
		screenshot("flag-open");
		this.browser.get(url("/review?saeId=" + this.fixture.sae.getId()));
		assertThat(this.browser.findElements(By.cssSelector("#queue tbody tr"))).hasSize(1);
		assertThat(this.browser.findElement(By.cssSelector("#queue tbody tr")).getText()).contains("Power-seeking").contains("HIGH");
		assertNoConsoleErrors();
	}

	private void logIn(String username) throws InterruptedException {
		this.browser.get(url("/login"));
		this.browser.findElement(By.id("username")).sendKeys(username);
		this.browser.findElement(By.id("password")).sendKeys(ReviewFixture.PASSWORD);
		this.browser.findElement(By.cssSelector("main form button[type=submit]")).click();
		String landed = awaitUrl(u -> !u.contains("/login"));
		assertThat(landed).as("after logging in as %s the page says: %s", username,
				this.browser.findElement(By.tagName("body")).getText()).isEqualTo(url("/"));
	}

	/** A click that submits a form can return before the browser has navigated: wait up to 10 s for it. */
	private String awaitUrl(java.util.function.Predicate<String> arrived) throws InterruptedException {
		long deadline = System.nanoTime() + 10_000_000_000L;
		String current = this.browser.getCurrentUrl();
		while (!arrived.test(current) && System.nanoTime() < deadline) {
			Thread.sleep(50);
			current = this.browser.getCurrentUrl();
		}
		return current;
	}

	private void visitAndCheck(String path, String name, String visibleText) throws Exception {
		this.browser.get(url(path));
		assertThat(this.browser.getTitle()).as(path).startsWith("Lumen");
		Object ran = this.browser.executeScript("return window.__xss === undefined ? null : String(window.__xss)");
		assertThat(ran).as("a payload ran on %s", path).isNull();
		Object injected = this.browser.executeScript(
				"return document.querySelectorAll('img[src=\"x\"], script:not([src]), [onerror], [onload]').length");
		assertThat(((Number) injected).intValue()).as("elements injected on %s", path).isZero();
		assertThat(this.browser.findElement(By.tagName("main")).getText()).as(path).contains(visibleText);
		screenshot(name);
	}

	private void assertNoConsoleErrors() {
		List<LogEntry> severe = this.browser.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
			.toList();
		assertThat(severe).isEmpty();
	}

	private void screenshot(String name) throws Exception {
		Files.createDirectories(SCREENSHOTS);
		Path png = this.browser.getScreenshotAs(OutputType.FILE).toPath();
		Files.copy(png, SCREENSHOTS.resolve("review-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}
}
