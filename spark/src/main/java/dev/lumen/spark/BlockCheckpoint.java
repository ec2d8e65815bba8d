package dev.lumen.spark;

import dev.lumen.stats.FeatureBlock;
import dev.lumen.stats.FeatureBlockFiles;
import dev.lumen.stats.FeatureStatistics;
import dev.lumen.stats.StatsSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import scala.Tuple2;

/**
 * The merged statistics of every shard finished so far, one file per feature block, on a filesystem that the
 * executors write and the driver reads again after a crash (a shared one on a cluster). Round r's reduce task for
 * block b reads {@code r(r-1)-block-b}, merges the round's partials of the block into it and writes
 * {@code r(r)-block-b}; then the driver writes the manifest naming round r and the shards it covers, and deletes
 * round r − 1's files. A kill before the manifest leaves the previous round's consistent set; a rerun of round r
 * overwrites its half-written files. A run over the same windows and settings resumes from the manifest; partials
 * merge exactly in any order, so the result equals an uninterrupted run. No process ever holds more than one block.
 */
final class BlockCheckpoint implements Serializable {

	private static final long serialVersionUID = 1L;

	private static final String MANIFEST = "manifest.properties";

	private final String dir;

	private final String identity;

	private final int dSae;

	private final int blockFeatures;

	/**
	 * @param dir checkpoint directory of this extraction
	 * @param windowsHash the windows (see {@link CorpusShards#windowsHash})
	 * @param shardWindows windows per shard
	 * @param blockFeatures features per block
	 */
	BlockCheckpoint(Path dir, String windowsHash, int shardWindows, StatsSettings settings, int dSae, int blockFeatures) {
		this.dir = dir.toAbsolutePath().toString();
		this.identity = windowsHash + "|" + shardWindows + "|" + dSae + "|" + blockFeatures + "|" + settings;
		this.dSae = dSae;
		this.blockFeatures = blockFeatures;
	}

	int blocks() {
		return (this.dSae + this.blockFeatures - 1) / this.blockFeatures;
	}

	/** Where a resumed run starts: the shards already merged, and the round whose block files hold them (0: none). */
	record Resume(BitSet done, int round) {
	}

	/**
	 * @return the saved state, or an empty one when there is none
	 * @throws IllegalStateException when the directory holds a checkpoint of other windows, blocks or settings
	 */
	Resume load() {
		Path manifest = Path.of(this.dir, MANIFEST);
		if (!Files.exists(manifest)) {
			return new Resume(new BitSet(), 0);
		}
		Properties p = new Properties();
		try (InputStream in = Files.newInputStream(manifest)) {
			p.load(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read the checkpoint in " + this.dir + ": " + ex.getMessage(), ex);
		}
		if (!this.identity.equals(p.getProperty("identity"))) {
			throw new IllegalStateException("checkpoint directory " + this.dir + " belongs to another extraction (other "
					+ "corpus windows, shard size, feature blocks or statistics settings); remove it or choose another directory");
		}
		return new Resume(BitSet.valueOf(HexFormat.of().parseHex(p.getProperty("done"))),
				Integer.parseInt(p.getProperty("round")));
	}

	/**
	 * On an executor, in one block's reduce task: the block's state after round {@code round} = its state after the
	 * previous round (none before round 1) with the round's partials of the block merged in one at a time, in the order
	 * given (corpus order). Holds one merged block and one partial.
	 * @param partials ((block, first window), encoded partial), all of this task's blocks, sorted by block and window
	 * @return the blocks written
	 */
	List<Integer> advance(Iterator<Tuple2<Tuple2<Integer, Integer>, byte[]>> partials, int round,
			StatsSettings settings) {
		List<Integer> written = new ArrayList<>();
		FeatureBlock merged = null;
		int block = -1;
		while (partials.hasNext()) {
			Tuple2<Tuple2<Integer, Integer>, byte[]> next = partials.next();
			if (next._1()._1() != block) {
				if (merged != null) {
					FeatureBlockFiles.write(file(round, block), merged);
					written.add(block);
				}
				block = next._1()._1();
				merged = round > 1 ? FeatureBlockFiles.read(file(round - 1, block), settings) : null;
			}
			FeatureBlock partial = FeatureBlockFiles.decode(next._2(), settings);
			if (merged == null) {
				merged = partial;
			}
			else {
				merged.merge(partial);
			}
		}
		if (merged != null) {
			FeatureBlockFiles.write(file(round, block), merged);
			written.add(block);
		}
		return written;
	}

	/** On the driver, after every block of round {@code round} is written: the manifest, then the old files go. */
	void commit(int round, BitSet done) {
		Properties p = new Properties();
		p.setProperty("identity", this.identity);
		p.setProperty("round", Integer.toString(round));
		p.setProperty("done", HexFormat.of().formatHex(done.toByteArray()));
		p.setProperty("shards_done", Integer.toString(done.cardinality()));
		p.setProperty("blocks", Integer.toString(blocks()));
		ByteArrayOutputStream text = new ByteArrayOutputStream();
		try {
			p.store(text, "Lumen Spark extraction checkpoint");
			FeatureBlockFiles.writeAtomically(Path.of(this.dir, MANIFEST), text.toByteArray());
			for (int b = 0; b < blocks() && round > 1; b++) {
				Files.deleteIfExists(file(round - 1, b));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write the checkpoint in " + this.dir + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Puts the blocks of the last round into {@code out} as {@code block-NNNNNN.state} files (hard links where the
	 * filesystem allows, else copies), the result the {@code lumen extract} process loads block by block; an empty
	 * corpus gives empty blocks.
	 */
	void publish(Path out, int round, StatsSettings settings) {
		try {
			Files.createDirectories(out);
			for (int b = 0; b < blocks(); b++) {
				Path target = out.resolve(FeatureBlockFiles.name(b));
				Files.deleteIfExists(target);
				if (round == 0) {
					int from = b * this.blockFeatures;
					FeatureBlockFiles.write(target, new FeatureBlock(settings, this.dSae, from,
							Math.min(this.dSae, from + this.blockFeatures), FeatureStatistics.countsCoOccurrenceExactly(this.dSae)));
					continue;
				}
				try {
					Files.createLink(target, file(round, b));
				}
				catch (IOException | UnsupportedOperationException ex) {
					Files.copy(file(round, b), target, StandardCopyOption.REPLACE_EXISTING);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write the result to " + out + ": " + ex.getMessage(), ex);
		}
	}

	private Path file(int round, int block) {
		return Path.of(this.dir, "r" + round + "-" + FeatureBlockFiles.name(block));
	}
}
