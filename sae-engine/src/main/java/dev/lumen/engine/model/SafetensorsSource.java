package dev.lumen.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.engine.safetensors.SafetensorsDType;
import dev.lumen.engine.safetensors.SafetensorsException;
import dev.lumen.engine.safetensors.SafetensorsFile;
import dev.lumen.engine.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The safetensors weights of a Hugging Face directory: {@code model.safetensors}, shards listed by
 * {@code model.safetensors.index.json}, or the one {@code *.safetensors} file the directory holds.
 */
final class SafetensorsSource implements TensorSource, AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Map<String, SafetensorsFile> byTensor = new HashMap<>();

	private final List<SafetensorsFile> files = new ArrayList<>();

	private final java.util.Set<String> read = new java.util.HashSet<>();

	private SafetensorsSource() {
	}

	/** Opens the weights of {@code dir}; every shard is validated against its size on open. */
	static SafetensorsSource open(Path dir) {
		SafetensorsSource source = new SafetensorsSource();
		try {
			Path index = dir.resolve("model.safetensors.index.json");
			if (Files.isRegularFile(index)) {
				source.openIndex(dir, index);
			}
			else {
				source.add(SafetensorsFile.open(singleFile(dir)));
			}
			return source;
		}
		catch (RuntimeException ex) {
			source.close();
			throw ex instanceof SafetensorsException se ? new ModelLoadException(se.getMessage(), se) : ex;
		}
	}

	private static Path singleFile(Path dir) {
		Path standard = dir.resolve("model.safetensors");
		if (Files.isRegularFile(standard)) {
			return standard;
		}
		try (Stream<Path> list = Files.list(dir)) {
			List<Path> found = list.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
			if (found.size() == 1) {
				return found.get(0);
			}
			throw new ModelLoadException(dir + ": expected model.safetensors, model.safetensors.index.json or exactly one "
					+ "*.safetensors file, found " + found.size() + (found.isEmpty() ? "" : " " + found));
		}
		catch (IOException ex) {
			throw new ModelLoadException(dir + ": cannot list directory: " + ex.getMessage(), ex);
		}
	}

	private void openIndex(Path dir, Path index) {
		JsonNode weightMap;
		try {
			weightMap = JSON.readTree(index.toFile()).get("weight_map");
		}
		catch (IOException ex) {
			throw new ModelLoadException(index + ": not valid JSON: " + ex.getMessage(), ex);
		}
		if (weightMap == null || !weightMap.isObject()) {
			throw new ModelLoadException(index + ": has no \"weight_map\" object");
		}
		Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
		for (var it = weightMap.fields(); it.hasNext();) {
			var e = it.next();
			String shardName = e.getValue().asText();
			SafetensorsFile shard = shards.get(shardName);
			if (shard == null) {
				Path shardPath = dir.resolve(shardName);
				if (!Files.isRegularFile(shardPath)) {
					throw new ModelLoadException(index + ": lists shard '" + shardName + "' for tensor '" + e.getKey()
							+ "' but " + shardPath + " does not exist");
				}
				shard = SafetensorsFile.open(shardPath);
				shards.put(shardName, shard);
				this.files.add(shard);
			}
			if (!shard.contains(e.getKey())) {
				throw new ModelLoadException(index + ": maps tensor '" + e.getKey() + "' to " + shardName
						+ " but that shard does not hold it");
			}
			this.byTensor.put(e.getKey(), shard);
		}
	}

	private void add(SafetensorsFile file) {
		this.files.add(file);
		file.tensors().keySet().forEach(name -> this.byTensor.put(name, file));
	}

	@Override
	public float[] floats(String name, long... expectedShape) {
		SafetensorsFile file = this.byTensor.get(name);
		if (file == null) {
			throw new ModelLoadException(describe() + ": missing tensor '" + name + "' (expected shape "
					+ Arrays.toString(expectedShape) + ")");
		}
		try {
			file.info(name, expectedShape);
			this.read.add(name);
			return file.floats(name);
		}
		catch (SafetensorsException ex) {
			throw new ModelLoadException(ex.getMessage(), ex);
		}
	}

	/** @return the tensors no {@link #floats} call has read, sorted */
	java.util.SortedSet<String> unread() {
		java.util.SortedSet<String> out = new java.util.TreeSet<>(this.byTensor.keySet());
		out.removeAll(this.read);
		return out;
	}

	/** @return the weights files, for messages */
	String describeFiles() {
		return describe();
	}

	@Override
	public boolean contains(String name) {
		return this.byTensor.containsKey(name);
	}

	@Override
	public SafetensorsDType storedType() {
		for (SafetensorsFile f : this.files) {
			for (TensorInfo info : f.tensors().values()) {
				if (info.dtype().isFloating()) {
					return info.dtype();
				}
			}
		}
		return SafetensorsDType.F32;
	}

	private String describe() {
		return this.files.size() == 1 ? this.files.get(0).path().toString()
				: this.files.stream().map(f -> f.path().getFileName().toString()).toList().toString();
	}

	@Override
	public void close() {
		this.files.forEach(SafetensorsFile::close);
	}
}
