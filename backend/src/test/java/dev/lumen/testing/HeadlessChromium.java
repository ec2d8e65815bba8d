package dev.lumen.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium and chromedriver, headless, for browser tests ({@code ./lumen test} and CI install them).
 * Never downloads a browser or driver: Selenium Manager is bypassed by naming both binaries.
 */
public final class HeadlessChromium {

	private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("LUMEN_CHROMIUM", "/usr/bin/chromium"));

	private static final Path CHROMEDRIVER = Path.of(
			System.getenv().getOrDefault("LUMEN_CHROMEDRIVER", "/usr/bin/chromedriver"));

	private HeadlessChromium() {
	}

	/** @return a new headless browser; the caller quits it */
	public static ChromeDriver start() {
		return start(true);
	}

	/** @param javascript false for a browser with JavaScript switched off (the no-JavaScript view of a page) */
	public static ChromeDriver start(boolean javascript) {
		if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
			throw new IllegalStateException("browser tests need Chromium and chromedriver (" + CHROMIUM + ", " + CHROMEDRIVER
					+ "): run './lumen test', which installs them, or 'apt-get install chromium chromium-driver'");
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
				"--disable-dev-shm-usage", "--window-size=1280,900");
		if (!javascript) {
			options.addArguments("--blink-settings=scriptEnabled=false");
		}
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		return new ChromeDriver(service, options);
	}
}
