package dev.lumen.testing;

import ai.djl.Device;
import dev.lumen.engine.sae.Sae;
import dev.lumen.engine.sae.SaeArchitecture;
import dev.lumen.engine.sae.SaeConfig;
import dev.lumen.engine.sae.SaeParameters;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes a standard SAE with random weights for the demo model's {@code blocks.1.hook_resid_post}: Gaussian
 * encoder and decoder scaled by 1/√dIn, and encoder biases drawn around {@code biasMean} so that most features
 * fire on some tokens but not on all.
 */
public final class RandomSae {

	public static final String HOOK = "blocks.1.hook_resid_post";

	private RandomSae() {
	}

	public static void write(Path dir, int dIn, int dSae, long seed, double biasMean) throws Exception {
		Random random = new Random(seed);
		float[] wEnc = new float[dIn * dSae];
		float[] wDec = new float[dSae * dIn];
		float[] bEnc = new float[dSae];
		for (int i = 0; i < wEnc.length; i++) {
			wEnc[i] = (float) (random.nextGaussian() / Math.sqrt(dIn));
			wDec[i] = (float) (random.nextGaussian() / Math.sqrt(dIn));
		}
		for (int f = 0; f < dSae; f++) {
			bEnc[f] = (float) (random.nextGaussian() * 0.5 + biasMean);
		}
		SaeConfig config = SaeConfig.of(dIn, dSae, SaeArchitecture.STANDARD, 0, HOOK, "tinystories-1m");
		try (Sae sae = Sae.create(config, new SaeParameters(wEnc, bEnc, wDec, new float[dIn], null), Device.cpu())) {
			sae.save(dir);
		}
	}
}
