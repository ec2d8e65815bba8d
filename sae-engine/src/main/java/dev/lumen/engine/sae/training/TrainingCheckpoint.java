package dev.lumen.engine.sae.training;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.engine.sae.SaeConfig;
import dev.lumen.engine.sae.SaeConfigJson;
import dev.lumen.engine.safetensors.SafetensorsException;
import dev.lumen.engine.safetensors.SafetensorsFile;
import dev.lumen.engine.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Everything needed to continue a run exactly: weights, Adam moments, dead-feature counters, the step, the scaling
 * factor and how many source batches were used. One safetensors file, written atomically, so a crash during a
 * checkpoint leaves the previous one intact.
 */
public final class TrainingCheckpoint {

	/** File name inside the checkpoint directory. */
	public static final String FILE = "trainer_state.safetensors";

	private static final String[] NAMES = { "W_enc", "b_enc", "W_dec", "b_dec" };

	private static final ObjectMapper JSON = new ObjectMapper();

	/**
	 * A restored trainer and the number of source batches the interrupted run had consumed.
	 */
	public record Resumed(SaeTrainer trainer, long batchesConsumed) {
	}

	private TrainingCheckpoint() {
	}

	/** @return true when {@code dir} holds a checkpoint */
	public static boolean exists(Path dir) {
		return Files.isRegularFile(dir.resolve(FILE));
	}

	/** Writes the trainer's full state. */
	public static void save(Path dir, SaeTrainer trainer, long batchesConsumed) throws IOException {
		SafetensorsWriter w = new SafetensorsWriter();
		float[][] weights = trainer.scaledParametersArrays();
		float[][] m = trainer.moments(false);
		float[][] v = trainer.moments(true);
		var shapes = SaeTrainer.shapes(trainer.config());
		for (int i = 0; i < NAMES.length; i++) {
			long[] shape = shapes[i].getShape();
			w.addF32(NAMES[i], weights[i], shape);
			w.addF32("adam_m." + NAMES[i], m[i], shape);
			w.addF32("adam_v." + NAMES[i], v[i], shape);
		}
		long[] since = trainer.tokensSinceFired();
		w.addI64("tokens_since_fired", since, since.length);
		w.metadata("step", Long.toString(trainer.stepsTaken()));
		w.metadata("batches_consumed", Long.toString(batchesConsumed));
		w.metadata("scaling_factor", Double.toString(trainer.scalingFactor()));
		w.metadata("sae_config", SaeConfigJson.toJsonString(trainer.config()));
		w.metadata("options", fingerprint(trainer.options()));
		w.write(dir.resolve(FILE));
	}

	/**
	 * Restores a trainer.
	 * @throws IllegalArgumentException when the checkpoint was written with other options (shape, batch, tokens)
	 */
	public static Resumed load(Path dir, TrainSaeOptions options, Device device) {
		Path file = dir.resolve(FILE);
		try (SafetensorsFile f = SafetensorsFile.open(file)) {
			String saved = meta(f, "options");
			if (!fingerprint(options).equals(saved)) {
				throw new IllegalArgumentException(file + " was written by a run with other options; saved: " + saved
						+ ", now: " + fingerprint(options));
			}
			SaeConfig config = SaeConfigJson.parse(JSON.readTree(meta(f, "sae_config")));
			float[][] weights = new float[NAMES.length][];
			float[][] m = new float[NAMES.length][];
			float[][] v = new float[NAMES.length][];
			for (int i = 0; i < NAMES.length; i++) {
				weights[i] = f.floats(NAMES[i]);
				m[i] = f.floats("adam_m." + NAMES[i]);
				v[i] = f.floats("adam_v." + NAMES[i]);
			}
			LongBuffer lb = f.bytes("tokens_since_fired").asLongBuffer();
			long[] since = new long[lb.remaining()];
			lb.get(since);
			SaeTrainer trainer = new SaeTrainer(config, options, Double.parseDouble(meta(f, "scaling_factor")),
					device, weights, m, v, since, Long.parseLong(meta(f, "step")));
			return new Resumed(trainer, Long.parseLong(meta(f, "batches_consumed")));
		}
		catch (IOException | SafetensorsException ex) {
			throw new IllegalArgumentException(file + ": not a readable Lumen training checkpoint: " + ex.getMessage(), ex);
		}
	}

	private static String meta(SafetensorsFile f, String key) {
		String v = f.metadata().get(key);
		if (v == null) {
			throw new IllegalArgumentException(f.path() + ": not a Lumen training checkpoint (no '" + key + "' in its metadata)");
		}
		return v;
	}

	/** The options that must not change across a resume. */
	private static String fingerprint(TrainSaeOptions o) {
		return o.architecture().id() + " dSae=" + o.dSae() + " k=" + o.k() + " l1=" + o.l1Coefficient() + " lr="
				+ o.learningRate() + " batch=" + o.batchSize() + " tokens=" + o.totalTokens() + " seed=" + o.seed();
	}
}
