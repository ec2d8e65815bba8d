package dev.lumen.engine.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.lumen.engine.device.Devices;
import dev.lumen.engine.model.HookNames;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import dev.lumen.engine.sae.SparseFeatures;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Compares a model and an SAE on the CPU and on another device (a GPU): the logits of a fixed batch and the SAE's
 * sparse features at its hook must agree within a tolerance; also times forward + sparse encode on both.
 * Exits 1 when they disagree. Used by {@code scripts/gpu-check.sh}.
 *
 * <p>Usage: {@code DeviceCheck MODEL SAE_DIR [--device cuda] [--tolerance 1e-4] [--batch 8] [--len 128]}
 */
public final class DeviceCheck {

	private DeviceCheck() {
	}

	public static void main(String[] args) {
		Path model = Path.of(args[0]);
		Path saeDir = Path.of(args[1]);
		String device = "cuda";
		double tolerance = 1e-4;
		int batch = 8;
		int len = 128;
		for (int i = 2; i + 1 < args.length; i += 2) {
			switch (args[i]) {
				case "--device" -> device = args[i + 1];
				case "--tolerance" -> tolerance = Double.parseDouble(args[i + 1]);
				case "--batch" -> batch = Integer.parseInt(args[i + 1]);
				case "--len" -> len = Integer.parseInt(args[i + 1]);
				default -> throw new IllegalArgumentException("unknown option " + args[i]);
			}
		}
		Result cpu = run(model, saeDir, Device.cpu(), batch, len);
		Result other = run(model, saeDir, Devices.parse(device), batch, len);
		double logitDiff = maxAbsDiff(cpu.logits, other.logits);
		double featureDiff = maxAbsDiff(cpu.features, other.features);
		System.out.printf(Locale.ROOT, "logits max |cpu - %s| = %.3g; SAE features max |cpu - %s| = %.3g (tolerance %.0e)%n",
				device, logitDiff, device, featureDiff, tolerance);
		System.out.printf(Locale.ROOT, "forward to the hook + sparse encode: cpu %.0f tok/s, %s %.0f tok/s (%.1fx)%n",
				cpu.tokensPerSecond, device, other.tokensPerSecond, other.tokensPerSecond / cpu.tokensPerSecond);
		if (!(logitDiff <= tolerance * scale(cpu.logits)) || !(featureDiff <= tolerance * scale(cpu.features))) {
			System.out.println("MISMATCH: the devices disagree beyond the tolerance (relative to the largest value)");
			System.exit(1);
		}
		System.out.println("OK");
	}

	private record Result(float[] logits, float[] features, double tokensPerSecond) {
	}

	private static Result run(Path modelPath, Path saeDir, Device device, int batch, int len) {
		try (LanguageModel model = LanguageModel.load(modelPath, device);
				Sae sae = Sae.loadFromDisk(saeDir, device);
				NDManager manager = NDManager.newBaseManager(device)) {
			int[][] tokens = new int[batch][len];
			Random r = new Random(7);
			for (int[] row : tokens) {
				for (int t = 0; t < len; t++) {
					row[t] = r.nextInt(model.config().vocabSize());
				}
			}
			String hook = HookNames.validate(sae.config().hookName(), model);
			float[] logits;
			float[] features;
			try (NDManager scope = manager.newSubManager()) {
				var result = model.run(tokens, null, List.of(), hook::equals, -1, scope);
				logits = result.logits().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
				features = dense(SparseFeatures.encode(sae, result.cache().get(hook)), sae.config().dSae());
			}
			long start = System.nanoTime();
			int reps = 3;
			for (int i = 0; i < reps; i++) {
				try (NDManager scope = manager.newSubManager()) {
					var result = model.run(tokens, null, List.of(), hook::equals, HookNames.layerOf(hook), scope);
					SparseFeatures.encode(sae, result.cache().get(hook));
				}
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			return new Result(logits, features, reps * batch * (double) len / seconds);
		}
	}

	private static float[] dense(SparseFeatures s, int dSae) {
		float[] out = new float[s.tokens() * dSae];
		for (int t = 0; t < s.tokens(); t++) {
			for (int k = s.offsets()[t]; k < s.offsets()[t + 1]; k++) {
				out[t * dSae + s.features()[k]] = s.values()[k];
			}
		}
		return out;
	}

	private static double maxAbsDiff(float[] a, float[] b) {
		double m = 0;
		for (int i = 0; i < a.length; i++) {
			m = Math.max(m, Math.abs(a[i] - b[i]));
		}
		return m;
	}

	private static double scale(float[] a) {
		double m = 1e-30;
		for (float v : a) {
			m = Math.max(m, Math.abs(v));
		}
		return Math.max(1, m);
	}
}
