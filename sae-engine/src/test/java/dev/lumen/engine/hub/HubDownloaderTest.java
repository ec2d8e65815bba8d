package dev.lumen.engine.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a local server that answers like the hub: {@code /api/models/{repo}/revision/{rev}} lists files,
 * {@code /{repo}/resolve/{rev}/{file}} serves small files directly (ETag = git blob sha1) and redirects LFS
 * files to a CDN path with {@code X-Linked-Etag} (sha256) and {@code X-Linked-Size}.
 */
class HubDownloaderTest {

	@TempDir
	Path cache;

	private HttpServer server;

	private URI endpoint;

	private final Map<String, byte[]> files = new ConcurrentHashMap<>();

	private final Map<String, String> lfsShaOverride = new ConcurrentHashMap<>();

	private final List<String> rangeHeaders = new CopyOnWriteArrayList<>();

	private final AtomicInteger cutNextCdnResponseAt = new AtomicInteger(-1);

	private final AtomicInteger cdnGets = new AtomicInteger();

	private final byte[] weights = new byte[300_000];

	@BeforeEach
	void start() throws IOException {
		new Random(1).nextBytes(this.weights);
		this.files.put("config.json", "{\"architectures\": [\"LlamaForCausalLM\"]}".getBytes(StandardCharsets.UTF_8));
		this.files.put("model.safetensors", this.weights);
		this.files.put("tokenizer.model", "not really a tokenizer".getBytes(StandardCharsets.UTF_8));
		this.files.put("README.md", "# a model".getBytes(StandardCharsets.UTF_8));
		this.files.put("layer_6/cfg.json", "{\"d_sae\": 16}".getBytes(StandardCharsets.UTF_8));
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", this::handle);
		this.server.start();
		this.endpoint = URI.create("http://127.0.0.1:" + this.server.getAddress().getPort());
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	private boolean lfs(String file) {
		return file.endsWith(".safetensors");
	}

	private void handle(HttpExchange ex) throws IOException {
		String path = ex.getRequestURI().getPath();
		String auth = ex.getRequestHeaders().getFirst("Authorization");
		if (path.contains("org/gated") && !"Bearer secret".equals(auth)) {
			reply(ex, 401, new byte[0]);
			return;
		}
		if (path.startsWith("/api/models/")) {
			StringBuilder json = new StringBuilder("{\"sha\": \"abc\", \"siblings\": [");
			this.files.keySet().stream().sorted().forEach(f -> json.append("{\"rfilename\": \"").append(f).append("\"},"));
			json.setLength(json.length() - 1);
			reply(ex, 200, json.append("]}").toString().getBytes(StandardCharsets.UTF_8));
			return;
		}
		if (path.startsWith("/cdn/")) {
			serveCdn(ex, path.substring("/cdn/".length()));
			return;
		}
		String file = path.replaceFirst("^/org/[^/]+/resolve/[^/]+/", "");
		byte[] data = this.files.get(file);
		if (data == null) {
			reply(ex, 404, new byte[0]);
			return;
		}
		if (lfs(file)) {
			ex.getResponseHeaders().add("X-Linked-Etag", "\"" + this.lfsShaOverride.getOrDefault(file, sha256(data)) + "\"");
			ex.getResponseHeaders().add("X-Linked-Size", Long.toString(data.length));
			ex.getResponseHeaders().add("Location", this.endpoint + "/cdn/" + file);
			ex.sendResponseHeaders(302, -1);
			ex.close();
			return;
		}
		ex.getResponseHeaders().add("ETag", "\"" + gitBlobSha1(data) + "\"");
		reply(ex, 200, data);
	}

	private void serveCdn(HttpExchange ex, String file) throws IOException {
		byte[] data = this.files.get(file);
		this.cdnGets.incrementAndGet();
		String range = ex.getRequestHeaders().getFirst("Range");
		int from = 0;
		if (range != null) {
			this.rangeHeaders.add(range);
			from = Integer.parseInt(range.replace("bytes=", "").replace("-", ""));
		}
		int length = data.length - from;
		ex.getResponseHeaders().add("Content-Length", Integer.toString(length));
		ex.sendResponseHeaders(range != null ? 206 : 200, length);
		int cut = this.cutNextCdnResponseAt.getAndSet(-1);
		try (OutputStream out = ex.getResponseBody()) {
			out.write(data, from, cut >= 0 ? cut : length);
			out.flush();
			if (cut >= 0) {
				// simulate a dropped connection: close the socket mid-body
				ex.getHttpContext().getServer().stop(0);
			}
		}
	}

	private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
		if ("HEAD".equals(ex.getRequestMethod())) {
			ex.getResponseHeaders().add("Content-Length", Integer.toString(body.length));
			ex.sendResponseHeaders(status, -1);
			ex.close();
			return;
		}
		ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
		try (OutputStream out = ex.getResponseBody()) {
			out.write(body);
		}
	}

	private static String sha256(byte[] data) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String gitBlobSha1(byte[] data) {
		try {
			MessageDigest md = MessageDigest.getInstance("SHA-1");
			md.update(("blob " + data.length + "\0").getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(md.digest(data));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private HubDownloader downloader(String token) {
		return new HubDownloader(this.cache, this.endpoint, token);
	}

	@Test
	void pullModelDownloadsWhatAModelNeedsAndVerifiesChecksums() throws IOException {
		AtomicLong lastDone = new AtomicLong();
		Path dir = downloader(null).pullModel(HubRef.parse("hf:org/tiny@main"), (file, done, total) -> {
			if (file.equals("model.safetensors")) {
				assertThat(total).isEqualTo(300_000);
				lastDone.set(done);
			}
		});
		assertThat(dir).isEqualTo(this.cache.resolve("hub/org/tiny/main"));
		assertThat(Files.readAllBytes(dir.resolve("model.safetensors"))).isEqualTo(this.weights);
		assertThat(Files.readString(dir.resolve("config.json"))).contains("LlamaForCausalLM");
		assertThat(dir.resolve("tokenizer.model")).exists();
		assertThat(dir.resolve("README.md")).doesNotExist();
		assertThat(lastDone.get()).isEqualTo(300_000);
		// a second pull finds everything complete and downloads nothing
		int before = this.cdnGets.get();
		downloader(null).pullModel(HubRef.parse("hf:org/tiny"), ProgressListener.NONE);
		assertThat(this.cdnGets.get()).isEqualTo(before);
	}

	@Test
	void interruptedDownloadResumesWithARangeRequest() throws IOException {
		this.cutNextCdnResponseAt.set(100_000);
		assertThatThrownBy(() -> downloader(null).download("org/tiny", "main", List.of("model.safetensors"),
				ProgressListener.NONE))
			.isInstanceOf(IOException.class);
		Path partial = this.cache.resolve("hub/org/tiny/main/model.safetensors.incomplete");
		assertThat(Files.size(partial)).isBetween(1L, 299_999L);
		long have = Files.size(partial);
		// the server was stopped to drop the connection: bring it back on the same port
		int port = this.endpoint.getPort();
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
		this.server.createContext("/", this::handle);
		this.server.start();
		Path dir = downloader(null).download("org/tiny", "main", List.of("model.safetensors"), ProgressListener.NONE);
		assertThat(this.rangeHeaders).containsExactly("bytes=" + have + "-");
		assertThat(Files.readAllBytes(dir.resolve("model.safetensors"))).isEqualTo(this.weights);
		assertThat(partial).doesNotExist();
	}

	@Test
	void checksumMismatchKeepsNoFile() {
		this.lfsShaOverride.put("model.safetensors", "0".repeat(64));
		assertThatThrownBy(() -> downloader(null).download("org/tiny", "main", List.of("model.safetensors"),
				ProgressListener.NONE))
			.isInstanceOf(HubException.class)
			.hasMessageContaining("model.safetensors: checksum mismatch, expected " + "0".repeat(64));
		assertThat(this.cache.resolve("hub/org/tiny/main/model.safetensors")).doesNotExist();
		assertThat(this.cache.resolve("hub/org/tiny/main/model.safetensors.incomplete")).doesNotExist();
	}

	@Test
	void gatedRepositoriesNeedTheBearerToken() throws IOException {
		assertThatThrownBy(() -> downloader(null).pullModel(HubRef.parse("hf:org/gated"), ProgressListener.NONE))
			.isInstanceOf(HubException.class)
			.hasMessageContaining("hf:org/gated@main")
			.hasMessageContaining("access denied (HTTP 401)")
			.hasMessageContaining("HF_TOKEN");
		Path dir = downloader("secret").pullModel(HubRef.parse("hf:org/gated"), ProgressListener.NONE);
		assertThat(Files.readAllBytes(dir.resolve("model.safetensors"))).isEqualTo(this.weights);
	}

	@Test
	void filtersSelectFilesInSubfoldersForSaeRepositories() throws IOException {
		Path dir = downloader(null).download("org/saes", "v1", f -> f.startsWith("layer_6/"), ProgressListener.NONE);
		assertThat(Files.readString(dir.resolve("layer_6/cfg.json"))).isEqualTo("{\"d_sae\": 16}");
		assertThat(dir.resolve("config.json")).doesNotExist();
	}

	@Test
	void missingFilesAndBadReferencesAreExplained() {
		assertThatThrownBy(() -> downloader(null).download("org/tiny", "main", List.of("nope.json"), ProgressListener.NONE))
			.isInstanceOf(HubException.class)
			.hasMessageContaining("hf:org/tiny@main (nope.json): not found (HTTP 404)");
		assertThatThrownBy(() -> HubRef.parse("gpt2")).hasMessageContaining("expected hf:ORG/NAME");
		assertThat(HubRef.parse("hf:google/gemma-2-2b@v1.0")).isEqualTo(new HubRef("google/gemma-2-2b", "v1.0"));
	}
}
