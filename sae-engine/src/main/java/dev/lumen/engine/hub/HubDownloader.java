package dev.lumen.engine.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Downloads files of a Hugging Face Hub repository into a local cache, the way {@code huggingface_hub}
 * does: a HEAD on {@code /{repo}/resolve/{revision}/{file}} (without following the redirect) gives the
 * file's size and checksum ({@code X-Linked-Etag} = sha256 for LFS files, else {@code ETag} = git blob
 * sha1), then a GET downloads into {@code file.incomplete}, resuming with an HTTP Range after an
 * interruption. The file is moved into place only after its checksum matches.
 *
 * <p>Cache layout: {@code {cache}/hub/{org}/{name}/{revision}/{files}}; the cache is
 * {@code $LUMEN_CACHE}, else {@code ~/.cache/lumen}. {@code $HF_TOKEN} is sent as a bearer token.
 */
public final class HubDownloader {

	/** The public hub. */
	public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

	/** What a model needs: config, weights (single or sharded safetensors) and tokenizer files. */
	public static final Predicate<String> MODEL_FILES = f -> Set.of("config.json", "generation_config.json",
			"tokenizer.json", "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json",
			"model.safetensors.index.json").contains(f) || (f.endsWith(".safetensors") && !f.contains("/"));

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Path cacheDir;

	private final URI endpoint;

	private final String token;

	private final HttpClient http;

	private final HttpClient httpNoRedirect; // the hub's first response carries the LFS checksum

	/** Uses {@code $LUMEN_CACHE} (else ~/.cache/lumen), {@code $HF_ENDPOINT} (else the public hub) and {@code $HF_TOKEN}. */
	public HubDownloader() {
		this(defaultCache(), System.getenv("HF_ENDPOINT") == null ? DEFAULT_ENDPOINT : URI.create(System.getenv("HF_ENDPOINT")),
				System.getenv("HF_TOKEN"));
	}

	/**
	 * @param cacheDir where repositories are stored
	 * @param endpoint the hub's base URL
	 * @param token bearer token for gated or private repositories, or null
	 */
	public HubDownloader(Path cacheDir, URI endpoint, String token) {
		this.cacheDir = cacheDir;
		this.endpoint = URI.create(endpoint.toString().replaceAll("/+$", "") + "/");
		this.token = token == null || token.isBlank() ? null : token.trim();
		this.http = HttpClient.newBuilder()
			.followRedirects(HttpClient.Redirect.NORMAL)
			.connectTimeout(Duration.ofSeconds(30))
			.build();
		this.httpNoRedirect = HttpClient.newBuilder()
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(30))
			.build();
	}

	/** @return {@code $LUMEN_CACHE} or {@code ~/.cache/lumen} */
	public static Path defaultCache() {
		String env = System.getenv("LUMEN_CACHE");
		return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "lumen");
	}

	/** @return the local directory a repository revision is (or will be) stored in */
	public Path localDir(String repoId, String revision) {
		if (!repoId.matches("[A-Za-z0-9][\\w.-]*/[\\w.-]+") || repoId.contains("..") || revision.contains("..")) {
			throw new IllegalArgumentException("invalid repository '" + repoId + "' or revision '" + revision
					+ "'; expected ORG/NAME and a branch, tag or commit");
		}
		return this.cacheDir.resolve("hub").resolve(repoId).resolve(revision.replace('/', '_'));
	}

	/**
	 * Downloads what a model needs ({@link #MODEL_FILES}).
	 * @return the local model directory, loadable by {@code LanguageModel.load}
	 * @throws HubException when the repository has no safetensors weights, or on any download failure
	 */
	public Path pullModel(HubRef ref, ProgressListener listener) throws IOException {
		List<String> files = listFiles(ref.repoId(), ref.revision()).stream().filter(MODEL_FILES).toList();
		if (files.stream().noneMatch(f -> f.endsWith(".safetensors"))) {
			throw new HubException(ref + " has no *.safetensors weights at the top level (pytorch_model.bin is not supported)");
		}
		return download(ref.repoId(), ref.revision(), files, listener);
	}

	/**
	 * Turns a {@code --model} argument into a local path: a hub reference ({@code hf:ORG/NAME[@rev]}) is
	 * pulled (or found complete in the cache); anything else is taken as a local file or directory.
	 * @return the local model file or directory
	 */
	public Path resolveModel(String pathOrRef, ProgressListener listener) throws IOException {
		return HubRef.isHubRef(pathOrRef) ? pullModel(HubRef.parse(pathOrRef), listener) : Path.of(pathOrRef);
	}

	/**
	 * Downloads the files of a repository that pass {@code filter}.
	 * @return the local directory
	 */
	public Path download(String repoId, String revision, Predicate<String> filter, ProgressListener listener)
			throws IOException {
		return download(repoId, revision, listFiles(repoId, revision).stream().filter(filter).toList(), listener);
	}

	/**
	 * Downloads the named files (skipping those already complete in the cache).
	 * @param files repository paths, e.g. {@code config.json} or {@code layer_6/cfg.json}
	 * @return the local directory holding them under the same relative paths
	 */
	public Path download(String repoId, String revision, List<String> files, ProgressListener listener)
			throws IOException {
		Path dir = localDir(repoId, revision);
		Files.createDirectories(dir);
		for (String file : files) {
			downloadFile(repoId, revision, file, dir, listener);
		}
		return dir;
	}

	/**
	 * Lists a repository's files via {@code /api/models/{repo}/revision/{revision}}.
	 * @throws HubException for an unknown repository or revision, or access denied
	 */
	public List<String> listFiles(String repoId, String revision) throws IOException {
		URI uri = this.endpoint.resolve("api/models/" + repoId + "/revision/" + encode(revision));
		HttpResponse<String> r = send(request(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
		check(r.statusCode(), repoId, revision, "file list");
		JsonNode siblings = JSON.readTree(r.body()).get("siblings");
		if (siblings == null || !siblings.isArray()) {
			throw new HubException(uri + ": response has no \"siblings\" list");
		}
		List<String> files = new ArrayList<>();
		siblings.forEach(s -> files.add(s.path("rfilename").asText()));
		return files;
	}

	private void downloadFile(String repoId, String revision, String file, Path dir, ProgressListener listener)
			throws IOException {
		Path target = dir.resolve(file).normalize();
		if (!target.startsWith(dir)) {
			throw new HubException(repoId + ": refusing file path outside the repository: " + file);
		}
		URI uri = this.endpoint.resolve(repoId + "/resolve/" + encode(revision) + "/" + file);
		RemoteFile remote = head(uri, repoId, revision, file);
		Path etagFile = dir.resolve(".etags").resolve(file + ".etag");
		if (Files.isRegularFile(target) && Files.isRegularFile(etagFile)
				&& Files.readString(etagFile).equals(remote.etag()) && (remote.size() < 0 || Files.size(target) == remote.size())) {
			listener.onProgress(file, Files.size(target), remote.size());
			return;
		}
		Files.createDirectories(target.getParent());
		Path partial = target.resolveSibling(target.getFileName() + ".incomplete");
		long have = Files.isRegularFile(partial) ? Files.size(partial) : 0;
		if (remote.size() >= 0 && have > remote.size()) {
			Files.delete(partial);
			have = 0;
		}
		if (remote.size() < 0 || have < remote.size()) {
			fetch(uri, partial, have, remote.size(), file, listener);
		}
		Checksums.verify(partial, remote, file);
		Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		Files.createDirectories(etagFile.getParent());
		Files.writeString(etagFile, remote.etag() == null ? "" : remote.etag());
	}

	/** HEAD without redirects: the hub's first response carries the LFS checksum and size. */
	private RemoteFile head(URI uri, String repoId, String revision, String file) throws IOException {
		HttpResponse<Void> r;
		try {
			r = this.httpNoRedirect.send(request(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
					HttpResponse.BodyHandlers.discarding());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new HubException("interrupted", ex);
		}
		if (r.statusCode() / 100 != 3) {
			check(r.statusCode(), repoId, revision, file);
		}
		String linked = r.headers().firstValue("X-Linked-Etag").orElse(null);
		String etag = unquote(linked != null ? linked : r.headers().firstValue("ETag").orElse(null));
		long size = r.headers().firstValueAsLong("X-Linked-Size")
			.orElse(r.statusCode() / 100 == 2 ? r.headers().firstValueAsLong("Content-Length").orElse(-1) : -1);
		return new RemoteFile(etag, linked != null, size);
	}

	private void fetch(URI uri, Path partial, long have, long total, String file, ProgressListener listener)
			throws IOException {
		HttpRequest.Builder req = request(uri).GET();
		if (have > 0) {
			req.header("Range", "bytes=" + have + "-");
		}
		HttpResponse<InputStream> r = send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
		boolean resumed = r.statusCode() == 206;
		if (r.statusCode() != 200 && !resumed) {
			r.body().close();
			throw new HubException(uri + ": HTTP " + r.statusCode());
		}
		long done = resumed ? have : 0;
		try (InputStream in = r.body();
				OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
						resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
			byte[] buf = new byte[1 << 16];
			int n;
			while ((n = in.read(buf)) >= 0) {
				out.write(buf, 0, n);
				done += n;
				listener.onProgress(file, done, total);
			}
		}
		if (total >= 0 && done != total) {
			throw new HubException(uri + ": connection ended after " + done + " of " + total
					+ " bytes; run the download again to resume");
		}
	}

	private HttpRequest.Builder request(URI uri) {
		HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).header("User-Agent", "lumen");
		if (this.token != null) {
			b.header("Authorization", "Bearer " + this.token);
		}
		return b;
	}

	private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
		try {
			return this.http.send(request, handler);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new HubException("interrupted while fetching " + request.uri(), ex);
		}
	}

	private void check(int status, String repoId, String revision, String what) throws HubException {
		if (status / 100 == 2) {
			return;
		}
		String where = "hf:" + repoId + "@" + revision + " (" + what + ")";
		throw switch (status) {
			case 401, 403 -> new HubException(where + ": access denied (HTTP " + status + "); for gated or private "
					+ "repositories accept the licence on the hub and set HF_TOKEN" + (this.token == null ? "" : " (a token was sent)"));
			case 404 -> new HubException(where + ": not found (HTTP 404): check the repository, revision and file name");
			default -> new HubException(where + ": HTTP " + status);
		};
	}

	private static String encode(String revision) {
		return URLEncoder.encode(revision, StandardCharsets.UTF_8);
	}

	private static String unquote(String etag) {
		if (etag == null) {
			return null;
		}
		String e = etag.startsWith("W/") ? etag.substring(2) : etag;
		return e.replace("\"", "");
	}
}
