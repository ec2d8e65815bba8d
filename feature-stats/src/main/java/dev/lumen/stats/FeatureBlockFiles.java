package dev.lumen.stats;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Feature blocks as bytes (deflated {@link FeatureBlock#write} format) and as files {@code block-NNNNNN.state}: what
 * a distributed extraction ships between workers, checkpoints, and hands to the process that loads the database,
 * which reads the blocks one at a time in feature order.
 */
public final class FeatureBlockFiles {

	private FeatureBlockFiles() {
	}

	public static byte[] encode(FeatureBlock block) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(
				new DeflaterOutputStream(bytes, new Deflater(Deflater.BEST_SPEED), 1 << 16))) {
			block.write(out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot encode " + block, ex);
		}
		return bytes.toByteArray();
	}

	public static FeatureBlock decode(byte[] bytes, StatsSettings settings) {
		try (DataInputStream in = new DataInputStream(
				new InflaterInputStream(new ByteArrayInputStream(bytes), new Inflater(), 1 << 16))) {
			return FeatureBlock.read(in, settings);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot decode a feature block: " + ex.getMessage(), ex);
		}
	}

	/** @return the file name of block number {@code block} (blocks in feature order) */
	public static String name(int block) {
		return String.format("block-%06d.state", block);
	}

	/** Writes the block to {@code file}: a temporary file, synced, renamed into place. */
	public static void write(Path file, FeatureBlock block) {
		writeAtomically(file, encode(block));
	}

	public static void writeAtomically(Path file, byte[] bytes) {
		try {
			Path dir = file.toAbsolutePath().getParent();
			Files.createDirectories(dir);
			Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
			try (OutputStream out = Files.newOutputStream(tmp)) {
				out.write(bytes);
			}
			try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
				ch.force(true);
			}
			Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write " + file + ": " + ex.getMessage(), ex);
		}
	}

	public static FeatureBlock read(Path file, StatsSettings settings) {
		try {
			return decode(Files.readAllBytes(file), settings);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read the feature block " + file + ": " + ex.getMessage(), ex);
		}
	}

	/** @return the block files of a directory, in feature order */
	public static List<Path> list(Path dir) {
		try (Stream<Path> files = Files.list(dir)) {
			return files.filter(p -> p.getFileName().toString().matches("block-\\d{6}\\.state")).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot list the feature blocks in " + dir + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * The blocks of {@code files}, read one at a time as iteration reaches them (each pass reads them again), so that
	 * at most one block is in memory; refuses blocks that are not consecutive from feature 0 to d_sae.
	 */
	public static Iterable<FeatureResults> reading(List<Path> files, StatsSettings settings, int dSae) {
		return () -> new Iterator<>() {

			private int next;

			private int nextFeature;

			@Override
			public boolean hasNext() {
				if (this.next == files.size() && this.nextFeature != dSae) {
					throw new IllegalStateException("the feature blocks end at feature " + this.nextFeature + " of " + dSae);
				}
				return this.next < files.size();
			}

			@Override
			public FeatureResults next() {
				if (!hasNext()) {
					throw new NoSuchElementException();
				}
				Path file = files.get(this.next++);
				FeatureBlock b = read(file, settings);
				if (b.firstFeature() != this.nextFeature || b.dSae() != dSae) {
					throw new IllegalStateException(file + " holds " + b + "; expected the block from feature "
							+ this.nextFeature + " of d_sae " + dSae);
				}
				this.nextFeature = b.endFeature();
				return b;
			}
		};
	}
}
