package dev.lumen.engine.sae;

import ai.djl.Device;
import dev.lumen.engine.safetensors.SafetensorsException;
import dev.lumen.engine.safetensors.SafetensorsFile;
import dev.lumen.engine.safetensors.SafetensorsWriter;
import dev.lumen.engine.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import dev.lumen.engine.load.Strictness;

/** The SAELens directory layout: {@code cfg.json}, {@code sae_weights.safetensors}, optional {@code sparsity.safetensors}. */
public final class SaeFiles {

	/** Config file name inside an SAE directory. */
	public static final String CONFIG = "cfg.json";

	/** Weights file name inside an SAE directory. */
	public static final String WEIGHTS = "sae_weights.safetensors";

	/** Optional per-feature log10 firing density. */
	public static final String SPARSITY = "sparsity.safetensors";

	private SaeFiles() {
	}

	/** See {@link Sae#loadFromDisk(Path, Device)}. */
	static Sae load(Path directory, Device device) {
		return load(directory, device, Strictness.fromSystem());
	}

	/** See {@link Sae#loadFromDisk(Path, Device, Strictness)}. */
	static Sae load(Path directory, Device device, Strictness strictness) {
		SaeParameters params = readParameters(directory, strictness);
		SaeConfig cfg = SaeConfigJson.read(directory.resolve(CONFIG), strictness);
		if (cfg.activationScalingFactor() != 1.0 && "expected_average_only_in".equals(cfg.normalizeActivations())) {
			throw new SaeFormatException(directory.resolve(CONFIG) + ": normalize_activations is "
					+ "expected_average_only_in with an unfolded scaling factor; fold it into the weights first");
		}
		return Sae.create(cfg, params, device);
	}

	/**
	 * Reads and checks the weights against {@code cfg.json}.
	 * @throws SaeFormatException naming the file, tensor, expected and actual shape, or the first non-finite value
	 */
	public static SaeParameters readParameters(Path directory) {
		return readParameters(directory, Strictness.fromSystem());
	}

	/**
	 * Reads the weights as {@link #readParameters(Path)} does, with an explicit strictness for unknown cfg keys and
	 * unused tensors. Architectures SAELens stores in other parameters are converted to the equivalent Lumen one
	 * (see {@link SaeLensConversions}).
	 */
	public static SaeParameters readParameters(Path directory, Strictness strictness) {
		Path cfgFile = directory.resolve(CONFIG);
		Path weightsFile = directory.resolve(WEIGHTS);
		Path npz = directory.resolve(GemmaScope.PARAMS);
		if (Files.isRegularFile(cfgFile) && !Files.isRegularFile(weightsFile) && Files.isRegularFile(npz)) {
			return GemmaScope.readParameters(npz, SaeConfigJson.read(cfgFile, strictness), strictness);
		}
		if (!Files.isRegularFile(cfgFile) || !Files.isRegularFile(weightsFile)) {
			throw new SaeFormatException(directory + ": not an SAE directory; expected " + CONFIG + " and " + WEIGHTS
					+ " (or " + GemmaScope.PARAMS + ")"
					+ (Files.isDirectory(directory) ? ", found " + list(directory) : " (directory does not exist)"));
		}
		SaeConfig cfg = SaeConfigJson.read(cfgFile, strictness);
		com.fasterxml.jackson.databind.JsonNode root = SaeConfigJson.tree(cfgFile);
		String stored = root.path("architecture").asText(cfg.architecture().id());
		try (SafetensorsFile file = SafetensorsFile.open(weightsFile)) {
			Map<String, long[]> expected = SaeLensConversions.expectedShapes(stored, cfg, file.tensors().keySet());
			for (Map.Entry<String, long[]> e : expected.entrySet()) {
				if (!file.contains(e.getKey())) {
					throw new SaeFormatException(weightsFile + ": missing tensor '" + e.getKey() + "'; a " + stored
							+ " SAE needs " + describe(expected) + "; the file has " + describe(file.tensors()));
				}
				if (!SaeLensConversions.SCALAR_OR_PER_FEATURE.contains(e.getKey())) {
					file.info(e.getKey(), e.getValue());
				}
			}
			java.util.List<String> unused = file.tensors().keySet().stream().filter(n -> !expected.containsKey(n))
				.sorted().toList();
			if (!unused.isEmpty()) {
				strictness.refuse(weightsFile + ": tensor(s) " + unused + " are not used by a " + stored + " SAE, which "
						+ "reads " + describe(expected), SaeFormatException::new);
			}
			SaeParameters p = SaeLensConversions.convert(stored, cfg, file,
					root.path("rescale_acts_by_decoder_norm").asBoolean(false));
			p.validate(cfg);
			return p;
		}
		catch (SafetensorsException ex) {
			throw new SaeFormatException(ex.getMessage() + " (shapes follow " + cfgFile.getFileName() + ": d_in=" + cfg.dIn()
					+ ", d_sae=" + cfg.dSae() + ")", ex);
		}
		catch (IllegalArgumentException ex) {
			throw new SaeFormatException(weightsFile + ": " + ex.getMessage(), ex);
		}
	}

	private static String describe(Map<String, ?> tensors) {
		return tensors.entrySet().stream().map(e -> e.getKey() + (e.getValue() instanceof long[] s ? Arrays.toString(s)
				: ((TensorInfo) e.getValue()).shapeString())).collect(Collectors.joining(", "));
	}

	private static String list(Path dir) {
		try (var s = Files.list(dir)) {
			return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.joining(", ", "[", "]"));
		}
		catch (IOException ex) {
			return "(unreadable)";
		}
	}

	/**
	 * Writes an SAE directory. Files go to a fresh temporary sibling directory first and are then moved into place
	 * (weights before config), so a crash never leaves a truncated file under a final name.
	 */
	public static void save(Path directory, SaeConfig cfg, SaeParameters params) throws IOException {
		params.validate(cfg);
		Path target = directory.toAbsolutePath();
		Files.createDirectories(target.getParent());
		Path tmp = Files.createTempDirectory(target.getParent(), target.getFileName() + ".tmp");
		try {
			int dIn = cfg.dIn();
			int dSae = cfg.dSae();
			SafetensorsWriter w = new SafetensorsWriter().addF32("W_enc", params.wEnc(), dIn, dSae)
				.addF32("b_enc", params.bEnc(), dSae)
				.addF32("W_dec", params.wDec(), dSae, dIn)
				.addF32("b_dec", params.bDec(), dIn);
			if (params.threshold() != null) {
				w.addF32("threshold", params.threshold(), dSae);
			}
			w.write(tmp.resolve(WEIGHTS));
			Files.writeString(tmp.resolve(CONFIG), SaeConfigJson.toJsonString(cfg.withDtype("float32")), StandardCharsets.UTF_8);
			Files.createDirectories(target);
			moveInto(tmp, target, WEIGHTS);
			moveInto(tmp, target, CONFIG);
		}
		finally {
			deleteTree(tmp);
		}
	}

	/** Writes {@code text} to {@code file} through a temporary sibling and an atomic move. */
	public static void writeAtomically(Path file, String text) throws IOException {
		Path dir = file.toAbsolutePath().getParent();
		Files.createDirectories(dir);
		Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
		try {
			Files.writeString(tmp, text, StandardCharsets.UTF_8);
			Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(tmp);
		}
	}

	private static void moveInto(Path from, Path to, String name) throws IOException {
		Files.move(from.resolve(name), to.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	private static void deleteTree(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (var s = Files.list(dir)) {
			for (Path p : s.toList()) {
				Files.delete(p);
			}
		}
		Files.delete(dir);
	}

	/**
	 * Reads {@code sparsity.safetensors} when present.
	 * @return per-feature log10 firing density, length dSae, or null when the file is absent
	 * @throws SaeFormatException when the file exists but does not hold a [dSae] {@code sparsity} tensor
	 */
	public static float[] readLogDensity(Path directory, int dSae) {
		Path file = directory.resolve(SPARSITY);
		if (!Files.isRegularFile(file)) {
			return null;
		}
		try (SafetensorsFile f = SafetensorsFile.open(file)) {
			f.info("sparsity", dSae);
			return f.floats("sparsity");
		}
		catch (SafetensorsException ex) {
			throw new SaeFormatException(ex.getMessage(), ex);
		}
	}

	/** Writes per-feature log10 firing density as {@code sparsity.safetensors} (SAELens' name and layout). */
	public static void writeLogDensity(Path directory, float[] log10Density) throws IOException {
		new SafetensorsWriter().addF32("sparsity", log10Density, log10Density.length).write(directory.resolve(SPARSITY));
	}
}
