package dev.lumen.spark;

import dev.lumen.stats.FeatureStatistics;
import dev.lumen.stats.StatsSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * Partial statistics as bytes between executors and the driver: the feature-stats module's own state format
 * ({@link FeatureStatistics#write}), deflated. Merging two byte partials is the same {@link FeatureStatistics#merge}
 * the single-machine path uses.
 */
final class Partials {

	private Partials() {
	}

	static byte[] encode(FeatureStatistics stats) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(
				new DeflaterOutputStream(bytes, new Deflater(Deflater.BEST_SPEED), 1 << 16))) {
			stats.write(out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot encode partial statistics", ex);
		}
		return bytes.toByteArray();
	}

	static FeatureStatistics decode(byte[] bytes, StatsSettings settings, int dSae) {
		FeatureStatistics stats = new FeatureStatistics(settings, dSae);
		try (DataInputStream in = new DataInputStream(
				new InflaterInputStream(new ByteArrayInputStream(bytes), new java.util.zip.Inflater(), 1 << 16))) {
			stats.read(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot decode partial statistics: " + ex.getMessage(), ex);
		}
		return stats;
	}

	/** The union of two partials over disjoint shards. */
	static byte[] merge(byte[] a, byte[] b, StatsSettings settings, int dSae) {
		FeatureStatistics left = decode(a, settings, dSae);
		left.merge(decode(b, settings, dSae));
		return encode(left);
	}
}
