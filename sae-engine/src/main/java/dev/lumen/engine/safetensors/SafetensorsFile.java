package dev.lumen.engine.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A memory-mapped, read-only safetensors file: an 8-byte little-endian header length, a JSON header
 * describing each tensor, then the raw little-endian data.
 *
 * <p>Every offset in the header is checked against the file size when the file is opened, so a
 * truncated download fails here, naming the file and the tensor, instead of later as garbage weights.
 * Tensor bytes are handed out as read-only views: mapped memory is never written to.
 */
public final class SafetensorsFile implements AutoCloseable {

	/** Headers larger than this are refused: a real one is a few hundred KiB at most. */
	private static final long MAX_HEADER_BYTES = 100L << 20;

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Path path;

	private final FileChannel channel;

	private final long dataStart;

	private final Map<String, TensorInfo> tensors;

	private final Map<String, String> metadata;

	private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, TensorInfo> tensors,
			Map<String, String> metadata) {
		this.path = path;
		this.channel = channel;
		this.dataStart = dataStart;
		this.tensors = tensors;
		this.metadata = metadata;
	}

	/**
	 * Opens and validates a safetensors file.
	 * @throws SafetensorsException naming the file (and tensor) when the file is truncated or malformed
	 */
	public static SafetensorsFile open(Path path) {
		FileChannel channel = null;
		try {
			channel = FileChannel.open(path, StandardOpenOption.READ);
			long size = channel.size();
			if (size < 8) {
				throw new SafetensorsException(path + ": not a safetensors file (" + size + " bytes, header length needs 8)");
			}
			ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
			readFully(channel, lenBuf, 0);
			long headerLen = lenBuf.flip().getLong();
			if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES || 8 + headerLen > size) {
				throw new SafetensorsException(path + ": header length " + headerLen + " does not fit a file of " + size
						+ " bytes (truncated or not a safetensors file)");
			}
			ByteBuffer header = ByteBuffer.allocate((int) headerLen);
			readFully(channel, header, 8);
			JsonNode root;
			try {
				root = JSON.readTree(new String(header.array(), StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				throw new SafetensorsException(path + ": header is not valid JSON: " + ex.getMessage(), ex);
			}
			if (root == null || !root.isObject()) {
				throw new SafetensorsException(path + ": header is not a JSON object");
			}
			long dataStart = 8 + headerLen;
			long dataSize = size - dataStart;
			Map<String, TensorInfo> tensors = new LinkedHashMap<>();
			Map<String, String> metadata = new LinkedHashMap<>();
			for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
				Map.Entry<String, JsonNode> e = it.next();
				if (e.getKey().equals("__metadata__")) {
					e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
					continue;
				}
				TensorInfo info = parseEntry(path, e.getKey(), e.getValue());
				if (info.end() > dataSize) {
					throw new SafetensorsException(path + ": tensor '" + info.name() + "' ends at byte " + info.end()
							+ " of the data section but the file holds only " + dataSize + " data bytes (truncated file?)");
				}
				tensors.put(info.name(), info);
			}
			return new SafetensorsFile(path, channel, dataStart, Collections.unmodifiableMap(tensors),
					Collections.unmodifiableMap(metadata));
		}
		catch (IOException ex) {
			closeQuietly(channel);
			throw new SafetensorsException(path + ": cannot read: " + ex.getMessage(), ex);
		}
		catch (RuntimeException ex) {
			closeQuietly(channel);
			throw ex;
		}
	}

	private static TensorInfo parseEntry(Path path, String name, JsonNode node) {
		JsonNode dtype = node.get("dtype");
		JsonNode shape = node.get("shape");
		JsonNode offsets = node.get("data_offsets");
		if (dtype == null || shape == null || !shape.isArray() || offsets == null || !offsets.isArray()
				|| offsets.size() != 2) {
			throw new SafetensorsException(path + ": tensor '" + name
					+ "' needs dtype, shape and data_offsets [begin, end] in the header");
		}
		SafetensorsDType type;
		try {
			type = SafetensorsDType.parse(dtype.asText());
		}
		catch (IllegalArgumentException ex) {
			throw new SafetensorsException(path + ": tensor '" + name + "': " + ex.getMessage(), ex);
		}
		long[] dims = new long[shape.size()];
		for (int i = 0; i < dims.length; i++) {
			dims[i] = shape.get(i).asLong(-1);
			if (dims[i] < 0) {
				throw new SafetensorsException(path + ": tensor '" + name + "' has a negative dimension " + shape);
			}
		}
		TensorInfo info = new TensorInfo(name, type, dims, offsets.get(0).asLong(-1), offsets.get(1).asLong(-1));
		long expectedBytes = Math.multiplyExact(info.elementCount(), (long) type.bytes());
		if (info.begin() < 0 || info.end() < info.begin() || info.end() - info.begin() != expectedBytes) {
			throw new SafetensorsException(path + ": tensor '" + name + "' " + type + info.shapeString() + " needs "
					+ expectedBytes + " bytes but data_offsets are [" + info.begin() + ", " + info.end() + "]");
		}
		return info;
	}

	/** @return the file this was opened from */
	public Path path() {
		return this.path;
	}

	/** @return every tensor entry, in header order */
	public Map<String, TensorInfo> tensors() {
		return this.tensors;
	}

	/** @return the string map under {@code __metadata__}, empty when absent */
	public Map<String, String> metadata() {
		return this.metadata;
	}

	/** @return true when the file holds a tensor of that name */
	public boolean contains(String name) {
		return this.tensors.containsKey(name);
	}

	/**
	 * @return the header entry of a tensor
	 * @throws SafetensorsException naming the file when the tensor is missing
	 */
	public TensorInfo info(String name) {
		TensorInfo info = this.tensors.get(name);
		if (info == null) {
			throw new SafetensorsException(this.path + ": missing tensor '" + name + "' (the file has "
					+ this.tensors.size() + " tensors" + (this.tensors.isEmpty() ? "" : ", e.g. '"
							+ this.tensors.keySet().iterator().next() + "'") + ")");
		}
		return info;
	}

	/**
	 * Returns the header entry of a tensor after checking its shape.
	 * @throws SafetensorsException naming the file, the tensor, the expected and the actual shape
	 */
	public TensorInfo info(String name, long... expectedShape) {
		TensorInfo info = info(name);
		if (!info.hasShape(expectedShape)) {
			throw new SafetensorsException(this.path + ": tensor '" + name + "' has shape " + info.shapeString()
					+ ", expected " + java.util.Arrays.toString(expectedShape));
		}
		return info;
	}

	/**
	 * Maps a tensor's bytes. The buffer is a read-only little-endian view of the file; callers that need
	 * another layout copy it.
	 */
	public ByteBuffer bytes(String name) {
		TensorInfo info = info(name);
		long length = info.end() - info.begin();
		if (length > Integer.MAX_VALUE) {
			throw new SafetensorsException(this.path + ": tensor '" + name + "' is " + length
					+ " bytes; tensors over 2 GiB must be read in slices");
		}
		try {
			return this.channel.map(FileChannel.MapMode.READ_ONLY, this.dataStart + info.begin(), length)
				.order(ByteOrder.LITTLE_ENDIAN);
		}
		catch (IOException ex) {
			throw new SafetensorsException(this.path + ": cannot map tensor '" + name + "': " + ex.getMessage(), ex);
		}
	}

	/**
	 * Reads a floating-point tensor widened to float32 (bf16 and f16 are widened exactly; f64 is rounded).
	 * The result is a fresh array; the mapped file is not touched.
	 */
	public float[] floats(String name) {
		TensorInfo info = info(name);
		if (!info.dtype().isFloating()) {
			throw new SafetensorsException(this.path + ": tensor '" + name + "' is " + info.dtype()
					+ ", expected a floating-point dtype (F32, F16, BF16, F64)");
		}
		long n = info.elementCount();
		if (n > Integer.MAX_VALUE - 8) {
			throw new SafetensorsException(this.path + ": tensor '" + name + "' has " + n + " elements, too many for one array");
		}
		return Floats.widen(bytes(name), info.dtype(), (int) n);
	}

	private static void readFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
		long pos = position;
		while (buf.hasRemaining()) {
			int n = channel.read(buf, pos);
			if (n < 0) {
				throw new IOException("unexpected end of file at byte " + pos);
			}
			pos += n;
		}
	}

	private static void closeQuietly(FileChannel channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ignored) {
				// the original failure is what the caller needs to see
			}
		}
	}

	@Override
	public void close() {
		closeQuietly(this.channel);
	}
}
