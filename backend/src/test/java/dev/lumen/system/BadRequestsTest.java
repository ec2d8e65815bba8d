package dev.lumen.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.testing.DatabaseTest;
import dev.lumen.testing.HttpBrowser;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Bad input gets a 400 with a message on the app's own error page (its headers, its layout) and never a 500 or a
 * logged stack trace: NUL characters in parameters and JSON bodies, and paths the firewall or Tomcat refuses.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadRequestsTest extends DatabaseTest {

	@LocalServerPort
	int port;

	@Test
	void aNulCharacterInAQueryParameterIs400WithAMessageOnTheErrorPage() {
		HttpResponse<String> response = new HttpBrowser(this.port).get("/search?q=abc%00def", "Accept", "text/html");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("NUL character").contains("Back to the start page");
		assertThat(response.headers().firstValue("Content-Security-Policy")).isPresent();
	}

	@Test
	void aNulCharacterInAFormFieldIs400BeforeLoginOrCsrfIsConsidered() {
		HttpBrowser browser = new HttpBrowser(this.port);
		HttpResponse<String> response = browser.postForm("/login", "/login", "username", "a\0b", "password", "whatever-it-is");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("NUL character");
	}

	@Test
	void aNulEscapeInAJsonBodyIs400AsJson() {
		HttpBrowser browser = new HttpBrowser(this.port);
		HttpResponse<String> response = browser.send(HttpRequest.newBuilder(browser.uri("/api/steer"))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"once\\u0000upon\", \"model\": \"m\", \"features\": []}"))
			.build());
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("\"status\":400").contains("NUL character");
	}

	@Test
	void anEscapedBackslashBeforeU0000IsNotANul() {
		assertThat(NulByteGuard.hasJsonNul("{\"a\": \"\\\\u0000\"}".getBytes(StandardCharsets.UTF_8))).isFalse();
		assertThat(NulByteGuard.hasJsonNul("{\"a\": \"\\\\\\u0000\"}".getBytes(StandardCharsets.UTF_8))).isTrue();
		assertThat(NulByteGuard.hasJsonNul("{\"a\": \"\\u00001\"}".getBytes(StandardCharsets.UTF_8))).isTrue();
	}

	@Test
	void pathsTheFirewallOrTomcatRefuseGetTheAppsErrorPageAndNoStackTraceInTheLog(CapturedOutput output) throws Exception {
		for (String path : new String[] { "/search%2fx", "/a;jsessionid=x/../b", "/%c0%ae%c0%ae/x", "/%ff%fe" }) {
			String response = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\nConnection: close\r\n\r\n");
			assertThat(response).as(path).startsWith("HTTP/1.1 400");
			assertThat(response).as(path).contains("Content-Security-Policy").contains("Back to the start page");
		}
		String huge = raw("GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "x".repeat(20_000) + "\r\nConnection: close\r\n\r\n");
		assertThat(huge).startsWith("HTTP/1.1 400");
		assertThat(output.getAll()).doesNotContain("RequestRejectedException\n\tat").doesNotContain("\tat org.apache");
	}

	private String raw(String request) throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
			socket.getOutputStream().flush();
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
	}
}
