package dev.lumen.spark;

import ai.djl.ndarray.NDManager;
import dev.lumen.engine.device.Devices;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkFiles;

/**
 * The model and SAE of an executor, loaded on its first task and kept for every later task in that JVM (Spark
 * runs an executor's tasks as threads of one process), so a 9B model is read once per executor, not per shard.
 */
final class ExecutorModels {

	/**
	 * Where the files are and where they run.
	 * @param model model file or directory, as the driver names it
	 * @param sae SAE directory
	 * @param device {@code cpu}, {@code cuda} or {@code cuda:N}
	 * @param shipped the files were shipped with {@code SparkContext.addFile}: read {@link SparkFiles} copies
	 * @param contextSize tokens per window
	 */
	record Key(String model, String sae, String device, boolean shipped, int contextSize) implements Serializable {
	}

	private static final Map<Key, ShardEncoder> LOADED = new ConcurrentHashMap<>();

	private ExecutorModels() {
	}

	static ShardEncoder encoder(Key key) {
		return LOADED.computeIfAbsent(key, ExecutorModels::load);
	}

	private static ShardEncoder load(Key key) {
		var device = Devices.parse(gpuOfThisTask(key.device()));
		LanguageModel model = LanguageModel.load(resolve(key.model(), key.shipped(), true), device);
		Sae sae = Sae.loadFromDisk(resolve(key.sae(), key.shipped(), false), device);
		NDManager manager = NDManager.newBaseManager(device);
		return new ShardEncoder(model, sae, key.contextSize(), manager);
	}

	/** {@code cuda} without an index takes the GPU Spark assigned to this executor, when it assigned one. */
	private static String gpuOfThisTask(String device) {
		if (!"cuda".equals(device)) {
			return device;
		}
		var task = org.apache.spark.TaskContext.get();
		if (task != null && task.resources().contains("gpu")) {
			String[] addresses = task.resources().apply("gpu").addresses();
			if (addresses.length > 0) {
				return "cuda:" + addresses[0];
			}
		}
		return device;
	}

	/**
	 * A shipped model file travels with its directory (a llama2.c checkpoint needs its tokenizer next to it), so the
	 * executor's copy is {@code SparkFiles.get(dirName)/fileName}.
	 */
	static Path resolve(String path, boolean shipped, boolean isModel) {
		Path p = Path.of(path);
		if (!shipped) {
			if (!Files.exists(p)) {
				throw new IllegalArgumentException(p + " does not exist on executor " + host()
						+ "; put the model and SAE on a filesystem every node reads, or ship them with --ship-files");
			}
			return p;
		}
		boolean file = isModel && !Files.isDirectory(p) && p.getFileName().toString().contains(".");
		Path dir = file ? p.toAbsolutePath().getParent() : p;
		Path copy = Path.of(SparkFiles.get(dir.getFileName().toString()));
		return file ? copy.resolve(p.getFileName().toString()) : copy;
	}

	static Path shippedRoot(String path, boolean isModel) {
		Path p = Path.of(path).toAbsolutePath();
		return isModel && Files.isRegularFile(p) ? p.getParent() : p;
	}

	private static String host() {
		try {
			return java.net.InetAddress.getLocalHost().getHostName();
		}
		catch (java.io.IOException ex) {
			return "(unknown host)";
		}
	}
}
