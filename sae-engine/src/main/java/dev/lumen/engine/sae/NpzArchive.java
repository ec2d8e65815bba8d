package dev.lumen.engine.sae;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A NumPy {@code .npz} archive (what {@code np.savez} writes: a zip of {@code NAME.npy} files), read in plain Java.
 * Only little-endian float32 arrays in C order are read (Gemma Scope's {@code params.npz}); any other dtype, Fortran
 * order or a member that is not an {@code .npy} file is refused by name.
 */
final class NpzArchive {

	/** One array: its shape and its values in C order. */
	record Array(long[] shape, float[] values) {
	}

	private static final byte[] MAGIC = { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y' };

	private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");

	private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");

	private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

	private static final int CHUNK = 1 << 20;

	private NpzArchive() {
	}

	/**
	 * @param file the .npz file
	 * @return arrays by name (without {@code .npy}), in archive order
	 * @throws SaeFormatException naming the file and the array that cannot be read
	 */
	static Map<String, Array> read(Path file) {
		Map<String, Array> arrays = new LinkedHashMap<>();
		try (ZipFile zip = new ZipFile(file.toFile())) {
			for (ZipEntry entry : Collections.list(zip.entries())) {
				String name = entry.getName();
				if (!name.endsWith(".npy")) {
					throw new SaeFormatException(file + ": member '" + name + "' is not a .npy array");
				}
				String array = name.substring(0, name.length() - 4);
				try (InputStream in = zip.getInputStream(entry)) {
					arrays.put(array, readNpy(new DataInputStream(in), file + ": array '" + array + "'"));
				}
			}
		}
		catch (IOException ex) {
			throw new SaeFormatException(file + ": cannot read as a NumPy .npz archive: " + ex.getMessage(), ex);
		}
		return arrays;
	}

	private static Array readNpy(DataInputStream in, String what) throws IOException {
		byte[] magic = in.readNBytes(MAGIC.length);
		if (!Arrays.equals(magic, MAGIC)) {
			throw new SaeFormatException(what + " is not a .npy array (no \\x93NUMPY magic)");
		}
		int major = in.readUnsignedByte();
		in.readUnsignedByte(); // minor
		long headerLength = major == 1 ? Short.toUnsignedInt(Short.reverseBytes(in.readShort()))
				: Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
		if (major < 1 || major > 3 || headerLength > 1 << 16) {
			throw new SaeFormatException(what + ": unsupported .npy version " + major + " or header of " + headerLength
					+ " bytes");
		}
		String header = new String(in.readNBytes((int) headerLength),
				major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
		String descr = group(DESCR, header, what, "descr");
		if (!descr.equals("<f4")) {
			throw new SaeFormatException(what + " has dtype '" + descr + "'; supported: '<f4' (little-endian float32, "
					+ "what Gemma Scope writes)");
		}
		if (group(FORTRAN, header, what, "fortran_order").equals("True")) {
			throw new SaeFormatException(what + " is stored in Fortran order; supported: C order");
		}
		long[] shape = shape(group(SHAPE, header, what, "shape"));
		long count = 1;
		for (long d : shape) {
			count *= d;
		}
		if (count > Integer.MAX_VALUE - 8) {
			throw new SaeFormatException(what + " holds " + count + " values, more than one Java array can hold");
		}
		return new Array(shape, floats(in, (int) count, what));
	}

	private static String group(Pattern p, String header, String what, String key) {
		Matcher m = p.matcher(header);
		if (!m.find()) {
			throw new SaeFormatException(what + ": .npy header has no '" + key + "': " + header.strip());
		}
		return m.group(1);
	}

	private static long[] shape(String tuple) {
		List<Long> dims = new ArrayList<>();
		for (String part : tuple.split(",")) {
			if (!part.isBlank()) {
				dims.add(Long.parseLong(part.strip().replace("L", "")));
			}
		}
		return dims.stream().mapToLong(Long::longValue).toArray();
	}

	/** Reads little-endian floats in chunks, so a large matrix never needs a second full-size byte copy. */
	private static float[] floats(DataInputStream in, int count, String what) throws IOException {
		float[] out = new float[count];
		byte[] chunk = new byte[CHUNK];
		int done = 0;
		while (done < count) {
			int n = Math.min(CHUNK / 4, count - done);
			int read = in.readNBytes(chunk, 0, n * 4);
			if (read < n * 4) {
				throw new SaeFormatException(what + " ends after " + (done + read / 4) + " of " + count + " values (truncated?)");
			}
			ByteBuffer.wrap(chunk, 0, n * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out, done, n);
			done += n;
		}
		return out;
	}
}
