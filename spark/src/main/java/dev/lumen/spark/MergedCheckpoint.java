package dev.lumen.spark;

import dev.lumen.stats.FeatureStatistics;
import dev.lumen.stats.StatsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.Properties;

/**
 * The merged partial of every shard finished so far, on a filesystem the driver can reach again after a crash
 * (a shared one on a cluster). Written after each round: the state file first (synced, renamed into place), then a
 * manifest naming it and the shards it covers, so a kill between the two leaves the previous consistent pair. A run
 * over the same windows and settings resumes from it and skips those shards; partials are exact and merge in any
 * order, so the result equals an uninterrupted run.
 */
final class MergedCheckpoint {

	private static final String MANIFEST = "manifest.properties";

	private final Path dir;

	private final String identity;

	/**
	 * @param dir checkpoint directory of this extraction
	 * @param windowsHash the windows (see {@link CorpusShards#windowsHash})
	 * @param shardWindows windows per shard
	 */
	MergedCheckpoint(Path dir, String windowsHash, int shardWindows, StatsSettings settings, int dSae) {
		this.dir = dir;
		this.identity = windowsHash + "|" + shardWindows + "|" + dSae + "|" + settings;
	}

	/** What a resumed run starts from: the shards already merged, and their merged partial. */
	record Resume(BitSet done, FeatureStatistics merged) {
	}

	/**
	 * @return the saved state, or an empty one when there is none
	 * @throws IllegalStateException when the directory holds a checkpoint of other windows or settings
	 */
	Resume load(StatsSettings settings, int dSae) {
		Path manifest = this.dir.resolve(MANIFEST);
		FeatureStatistics merged = new FeatureStatistics(settings, dSae);
		if (!Files.exists(manifest)) {
			return new Resume(new BitSet(), merged);
		}
		Properties p = new Properties();
		try (InputStream in = Files.newInputStream(manifest)) {
			p.load(in);
			if (!this.identity.equals(p.getProperty("identity"))) {
				throw new IllegalStateException("checkpoint directory " + this.dir + " belongs to another extraction (other "
						+ "corpus windows, shard size or statistics settings); remove it or choose another directory");
			}
			byte[] state = Files.readAllBytes(this.dir.resolve(p.getProperty("state")));
			merged = Partials.decode(state, settings, dSae);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read the checkpoint in " + this.dir + ": " + ex.getMessage(), ex);
		}
		return new Resume(BitSet.valueOf(java.util.HexFormat.of().parseHex(p.getProperty("done"))), merged);
	}

	/** Saves the merged partial of the {@code done} shards; the previous state file is deleted afterwards. */
	void save(FeatureStatistics merged, BitSet done, int round) {
		try {
			Files.createDirectories(this.dir);
			String stateName = "merged-" + round + ".state";
			writeAtomically(this.dir.resolve(stateName), Partials.encode(merged));
			Properties p = new Properties();
			Path manifest = this.dir.resolve(MANIFEST);
			String previous = null;
			if (Files.exists(manifest)) {
				try (InputStream in = Files.newInputStream(manifest)) {
					p.load(in);
					previous = p.getProperty("state");
				}
			}
			p.setProperty("identity", this.identity);
			p.setProperty("state", stateName);
			p.setProperty("done", java.util.HexFormat.of().formatHex(done.toByteArray()));
			p.setProperty("shards_done", Integer.toString(done.cardinality()));
			java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
			p.store(text, "Lumen Spark extraction checkpoint");
			writeAtomically(manifest, text.toByteArray());
			if (previous != null && !previous.equals(stateName)) {
				Files.deleteIfExists(this.dir.resolve(previous));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write the checkpoint in " + this.dir + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Writes the final merged partial for the caller (the {@code lumen extract} process that loads the database), in
	 * the uncompressed format of {@link FeatureStatistics#write}.
	 */
	static void writeResult(Path file, FeatureStatistics merged) {
		try {
			Path parent = file.toAbsolutePath().getParent();
			Files.createDirectories(parent);
			java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
			try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
				merged.write(out); // the plain state format a local extraction's checkpoint uses
			}
			writeAtomically(file, bytes.toByteArray());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write the merged statistics to " + file + ": " + ex.getMessage(), ex);
		}
	}

	private static void writeAtomically(Path target, byte[] bytes) throws IOException {
		Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), target.getFileName().toString(), ".tmp");
		try (OutputStream out = Files.newOutputStream(tmp)) {
			out.write(bytes);
		}
		try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
			ch.force(true);
		}
		Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}
}
