package dev.lumen.engine.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Verifies a downloaded file against the hub's etag: sha256 for LFS files, git blob sha1 for others. */
final class Checksums {

	private Checksums() {
	}

	static void verify(Path file, RemoteFile remote, String name) throws IOException {
		String etag = remote.etag();
		if (etag == null || !etag.matches("[0-9a-f]{40}|[0-9a-f]{64}")) {
			return; // nothing checkable (some servers send opaque etags)
		}
		String actual;
		if (remote.lfs() || etag.length() == 64) {
			actual = digest(file, "SHA-256", null);
		}
		else {
			// git hashes "blob <size>\0" + content
			actual = digest(file, "SHA-1", ("blob " + Files.size(file) + "\0").getBytes(StandardCharsets.UTF_8));
		}
		if (!actual.equals(etag)) {
			Files.deleteIfExists(file);
			throw new HubException(name + ": checksum mismatch, expected " + etag + " but downloaded data hashes to " + actual
					+ " (partial file removed; download again)");
		}
	}

	static String digest(Path file, String algorithm, byte[] prefix) throws IOException {
		MessageDigest md;
		try {
			md = MessageDigest.getInstance(algorithm);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
		if (prefix != null) {
			md.update(prefix);
		}
		try (InputStream in = Files.newInputStream(file)) {
			byte[] buf = new byte[1 << 16];
			int n;
			while ((n = in.read(buf)) >= 0) {
				md.update(buf, 0, n);
			}
		}
		return HexFormat.of().formatHex(md.digest());
	}
}
