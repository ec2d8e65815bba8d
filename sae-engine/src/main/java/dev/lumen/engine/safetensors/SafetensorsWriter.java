package dev.lumen.engine.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes safetensors files the way the reference implementation does: tensors in sorted name order,
 * the JSON header space-padded to a multiple of 8 bytes. The file is written to a temporary sibling
 * and moved into place, so a crash never leaves a half-written file under the final name.
 */
public final class SafetensorsWriter {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Map<String, Entry> tensors = new TreeMap<>();

	private final Map<String, String> metadata = new LinkedHashMap<>();

	private record Entry(SafetensorsDType dtype, long[] shape, byte[] data) {
	}

	/** Adds a float32 tensor (values copied, row-major). */
	public SafetensorsWriter addF32(String name, float[] values, long... shape) {
		return addFloats(name, SafetensorsDType.F32, values, shape);
	}

	/** Adds a floating-point tensor narrowed to {@code dtype} (F32, F16 or BF16). */
	public SafetensorsWriter addFloats(String name, SafetensorsDType dtype, float[] values, long... shape) {
		checkCount(name, values.length, shape);
		ByteBuffer buf = ByteBuffer.allocate(values.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
		switch (dtype) {
			case F32 -> buf.asFloatBuffer().put(values);
			case BF16 -> {
				for (float v : values) {
					buf.putShort(Floats.floatToBf16(v));
				}
			}
			case F16 -> {
				for (float v : values) {
					buf.putShort(Floats.floatToF16(v));
				}
			}
			default -> throw new IllegalArgumentException("addFloats writes F32, F16 or BF16, not " + dtype);
		}
		return put(name, new Entry(dtype, shape.clone(), buf.array()));
	}

	/** Adds an int64 tensor. */
	public SafetensorsWriter addI64(String name, long[] values, long... shape) {
		checkCount(name, values.length, shape);
		ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
		buf.asLongBuffer().put(values);
		return put(name, new Entry(SafetensorsDType.I64, shape.clone(), buf.array()));
	}

	/** Adds a tensor from raw little-endian bytes already in {@code dtype}. */
	public SafetensorsWriter addRaw(String name, SafetensorsDType dtype, byte[] data, long... shape) {
		long n = 1;
		for (long d : shape) {
			n *= d;
		}
		if (n * dtype.bytes() != data.length) {
			throw new IllegalArgumentException("tensor '" + name + "' " + dtype + Arrays.toString(shape) + " needs "
					+ n * dtype.bytes() + " bytes, got " + data.length);
		}
		return put(name, new Entry(dtype, shape.clone(), data.clone()));
	}

	/** Adds a string entry to {@code __metadata__}. */
	public SafetensorsWriter metadata(String key, String value) {
		this.metadata.put(key, value);
		return this;
	}

	private SafetensorsWriter put(String name, Entry entry) {
		if (name.equals("__metadata__") || this.tensors.putIfAbsent(name, entry) != null) {
			throw new IllegalArgumentException("tensor name '" + name + "' is reserved or already added");
		}
		return this;
	}

	private static void checkCount(String name, int count, long[] shape) {
		long n = 1;
		for (long d : shape) {
			n *= d;
		}
		if (n != count) {
			throw new IllegalArgumentException("tensor '" + name + "' shape " + Arrays.toString(shape) + " holds " + n
					+ " elements, got " + count);
		}
	}

	/** Writes the file atomically (temporary sibling, then move). */
	public void write(Path path) throws IOException {
		ObjectNode header = JSON.createObjectNode();
		if (!this.metadata.isEmpty()) {
			ObjectNode meta = header.putObject("__metadata__");
			this.metadata.forEach(meta::put);
		}
		long offset = 0;
		for (Map.Entry<String, Entry> e : this.tensors.entrySet()) {
			ObjectNode t = header.putObject(e.getKey());
			t.put("dtype", e.getValue().dtype().name());
			ArrayNode shape = t.putArray("shape");
			for (long d : e.getValue().shape()) {
				shape.add(d);
			}
			ArrayNode offsets = t.putArray("data_offsets");
			offsets.add(offset);
			offset += e.getValue().data().length;
			offsets.add(offset);
		}
		byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
		int padded = (json.length + 7) / 8 * 8;
		byte[] headerBytes = Arrays.copyOf(json, padded);
		Arrays.fill(headerBytes, json.length, padded, (byte) ' ');

		Path dir = path.toAbsolutePath().getParent();
		Files.createDirectories(dir);
		Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
		try {
			try (OutputStream out = Files.newOutputStream(tmp)) {
				out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
				out.write(headerBytes);
				for (Entry e : this.tensors.values()) {
					out.write(e.data());
				}
			}
			Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(tmp);
		}
	}
}
