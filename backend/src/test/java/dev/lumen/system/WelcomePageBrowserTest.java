package dev.lumen.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.testing.DatabaseTest;
import dev.lumen.testing.HeadlessChromium;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The start page in a real browser: rendered, styled, htmx loaded, no console errors (e.g. CSP violations). */
class WelcomePageBrowserTest extends DatabaseTest {

	@LocalServerPort
	int port;

	ChromeDriver browser;

	@BeforeEach
	void startBrowser() {
		this.browser = HeadlessChromium.start();
	}

	@AfterEach
	void quitBrowser() {
		this.browser.quit();
	}

	@Test
	void startPageLoadsHtmxAndTheStylesheetWithoutConsoleErrors() {
		this.browser.get("http://localhost:" + this.port + "/");

		assertThat(this.browser.getTitle()).isEqualTo("Lumen");
		assertThat(this.browser.findElement(By.cssSelector("header .brand")).getText()).isEqualTo("Lumen");
		Object htmxVersion = this.browser.executeScript("return window.htmx ? window.htmx.version : null");
		assertThat(htmxVersion).isEqualTo("2.0.10");
		// the stylesheet applied: the header is a flex row
		assertThat(this.browser.findElement(By.cssSelector(".site-header")).getCssValue("display")).isEqualTo("flex");
		List<LogEntry> severe = this.browser.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
			.toList();
		assertThat(severe).isEmpty();
	}
}
