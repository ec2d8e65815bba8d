package dev.lumen.engine.sae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lumen.engine.hub.HubDownloader;
import dev.lumen.engine.hub.HubRef;
import dev.lumen.engine.hub.ProgressListener;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls SAEs from a local HTTP server that answers like the Hugging Face Hub. */
class SaeHubTest {

	@TempDir
	Path tmp;

	private HttpServer server;

	private final Map<String, byte[]> files = new TreeMap<>();

	private SaeConfig cfg;

	private SaeParameters params;

	@BeforeEach
	void start() throws IOException {
		this.cfg = SaeEncodeDecodeTest.config(SaeArchitecture.JUMPRELU, true);
		this.params = SaeTestData.randomParameters(this.cfg, 21);
		Path sae = this.tmp.resolve("published");
		SaeFiles.save(sae, this.cfg, this.params);
		SaeFiles.writeLogDensity(sae, new float[this.cfg.dSae()]);
		for (String f : new String[] { SaeFiles.CONFIG, SaeFiles.WEIGHTS, SaeFiles.SPARSITY }) {
			this.files.put("blocks.1.hook_resid_post/" + f, Files.readAllBytes(sae.resolve(f)));
		}
		this.files.put("README.md", "# SAEs".getBytes(StandardCharsets.UTF_8));
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	private void handle(HttpExchange ex) throws IOException {
		String path = ex.getRequestURI().getPath();
		byte[] body;
		if (path.startsWith("/api/models/")) {
			StringBuilder json = new StringBuilder("{\"siblings\": [");
			this.files.keySet().forEach(f -> json.append("{\"rfilename\": \"").append(f).append("\"},"));
			json.setLength(json.length() - 1);
			body = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
		}
		else {
			body = this.files.get(path.replaceFirst("^/org/[^/]+/resolve/[^/]+/", ""));
			if (body != null) {
				ex.getResponseHeaders().add("ETag", "\"" + gitBlobSha1(body) + "\"");
			}
		}
		if (body == null) {
			ex.sendResponseHeaders(404, -1);
			ex.close();
			return;
		}
		if ("HEAD".equals(ex.getRequestMethod())) {
			ex.getResponseHeaders().add("Content-Length", Integer.toString(body.length));
			ex.sendResponseHeaders(200, -1);
			ex.close();
			return;
		}
		ex.sendResponseHeaders(200, body.length);
		try (OutputStream out = ex.getResponseBody()) {
			out.write(body);
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

	private HubDownloader hub() {
		return new HubDownloader(this.tmp.resolve("cache"),
				URI.create("http://127.0.0.1:" + this.server.getAddress().getPort()), null);
	}

	@Test
	void pullDownloadsOneSaeFolderThatLoadsWithIdenticalOutputs() throws IOException {
		Path dir = SaeHub.pull(hub(), HubRef.parse("hf:org/saes"), "blocks.1.hook_resid_post", ProgressListener.NONE);
		assertThat(dir.resolve(SaeFiles.SPARSITY)).exists();
		assertThat(dir.getParent().resolve("README.md")).doesNotExist();
		try (Sae pulled = Sae.loadFromDisk(dir, Device.cpu()); Sae original = Sae.create(this.cfg, this.params, Device.cpu());
				NDManager m = NDManager.newBaseManager()) {
			NDArray x = m.create(SaeTestData.gaussian(new Random(8), 4 * 6, 1f), new Shape(4, 6));
			assertThat(pulled.forward(x).toFloatArray()).containsExactly(original.forward(x).toFloatArray());
		}
	}

	@Test
	void wrongFolderListsTheSaeFoldersThatExist() {
		assertThatThrownBy(() -> SaeHub.pull(hub(), HubRef.parse("hf:org/saes"), "blocks.9.hook_resid_post",
				ProgressListener.NONE))
			.isInstanceOf(SaeFormatException.class)
			.hasMessageContaining("no SAE at 'blocks.9.hook_resid_post/'")
			.hasMessageContaining("SAE folders in this repository: blocks.1.hook_resid_post");
	}
}
