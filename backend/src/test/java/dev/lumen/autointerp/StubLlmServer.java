package dev.lumen.autointerp;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A local HTTP server that plays canned provider answers in order and records the requests it got. */
final class StubLlmServer implements AutoCloseable {

	record Canned(int status, Map<String, String> headers, String body, long delayMillis) {
	}

	record Received(String path, Map<String, List<String>> headers, String body) {

		String header(String name) {
			return this.headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
				.map(e -> e.getValue().get(0)).findFirst().orElse(null);
		}
	}

	private final HttpServer server;

	private final ConcurrentLinkedQueue<Canned> answers = new ConcurrentLinkedQueue<>();

	final List<Received> requests = new CopyOnWriteArrayList<>();

	StubLlmServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.setExecutor(Executors.newFixedThreadPool(4));
		this.server.createContext("/", exchange -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			this.requests.add(new Received(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body));
			Canned c = this.answers.poll();
			if (c == null) {
				c = new Canned(500, Map.of(), "{\"error\":\"stub has no more answers\"}", 0);
			}
			try {
				Thread.sleep(c.delayMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			c.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			byte[] bytes = c.body().getBytes(StandardCharsets.UTF_8);
			try {
				exchange.sendResponseHeaders(c.status(), bytes.length == 0 ? -1 : bytes.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(bytes);
				}
			}
			catch (IOException ex) {
				// the client gave up (timeout): nothing to answer
			}
		});
		this.server.start();
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	StubLlmServer answer(int status, String body) {
		this.answers.add(new Canned(status, Map.of(), body, 0));
		return this;
	}

	StubLlmServer answer(Canned canned) {
		this.answers.add(canned);
		return this;
	}

	@Override
	public void close() {
		this.server.stop(0);
		((java.util.concurrent.ExecutorService) this.server.getExecutor()).shutdownNow();
	}
}
