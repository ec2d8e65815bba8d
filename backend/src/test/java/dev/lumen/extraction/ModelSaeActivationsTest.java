package dev.lumen.extraction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.lumen.engine.model.HookNames;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import dev.lumen.engine.sae.SaeArchitecture;
import dev.lumen.engine.sae.SaeConfig;
import dev.lumen.engine.sae.SaeParameters;
import dev.lumen.stats.WindowActivations;
import dev.lumen.testing.RepoFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The forward stops where the hook is, and the sparse activations equal the dense encode of a full forward. */
class ModelSaeActivationsTest {

	@Test
	void residPreOfLayerLRunsOnlyBlocksBeforeL() {
		assertThat(ModelSaeActivations.stopLayer(HookNames.residPre(3), 8)).isEqualTo(2);
		assertThat(ModelSaeActivations.recordedHook(HookNames.residPre(3))).isEqualTo(HookNames.residPost(2));
		assertThat(ModelSaeActivations.stopLayer(HookNames.residPost(3), 8)).isEqualTo(3);
		assertThat(ModelSaeActivations.stopLayer(HookNames.residPre(0), 8)).isZero();
		assertThat(ModelSaeActivations.recordedHook(HookNames.residPre(0))).isEqualTo(HookNames.residPre(0));
	}

	@Test
	void sparseWindowActivationsEqualTheDenseEncodeOfAFullForward() throws Exception {
		String hook = HookNames.residPre(2);
		int dSae = 64;
		Random r = new Random(1);
		float[] wEnc = new float[128 * dSae];
		float[] wDec = new float[dSae * 128];
		float[] bEnc = new float[dSae];
		for (int i = 0; i < wEnc.length; i++) {
			wEnc[i] = (float) (r.nextGaussian() / Math.sqrt(128));
			wDec[i] = (float) r.nextGaussian();
		}
		for (int f = 0; f < dSae; f++) {
			bEnc[f] = (float) (r.nextGaussian() * 0.5 - 0.5);
		}
		SaeConfig cfg = SaeConfig.of(128, dSae, SaeArchitecture.STANDARD, 0, hook, "tinystories-1m");
		try (LanguageModel model = LanguageModel.load(RepoFiles.DEMO_MODEL, Device.cpu());
				Sae sae = Sae.create(cfg, new SaeParameters(wEnc, bEnc, wDec, new float[128], null), Device.cpu());
				NDManager manager = NDManager.newBaseManager()) {
			ModelSaeActivations source = new ModelSaeActivations(model, sae, 16, manager);
			int bos = model.tokenizer().bosId();
			int[] a = { bos, 100, 200, 300, 400, 500, 600, 700, 800 };
			int[] b = { bos, 50, 60, 70 }; // shorter: padded in the batch, padding never appears
			List<WindowActivations> got = source.activations(List.of(new CorpusWindows.Window(0, 0, 0, a),
					new CorpusWindows.Window(1, 1, 0, b)));
			int[][] windows = { a, b };
			for (int w = 0; w < 2; w++) {
				WindowActivations acts = got.get(w);
				assertThat(acts.length()).isEqualTo(windows[w].length);
				// reference: the full model (no early stop), resid_pre of block 2 itself, dense encode
				float[] dense = sae.encode(model.run(new int[][] { windows[w] }, null, List.of(), hook::equals, -1, manager)
					.cache().get(hook)).toFloatArray(); // [1, pos, dSae]
				for (int t = 0; t < acts.length(); t++) {
					float[] row = new float[dSae];
					for (int k = acts.offsets()[t]; k < acts.offsets()[t + 1]; k++) {
						row[acts.features()[k]] = acts.values()[k];
					}
					for (int f = 0; f < dSae; f++) {
						assertThat(row[f]).as("window %d position %d feature %d", w, t, f)
							.isCloseTo(Math.max(0f, dense[t * dSae + f]), within(1e-4f));
					}
				}
			}
			assertThat(got.get(0).entries()).isPositive();
		}
	}

	@Test
	void anSaeTrainedOnTransformerLensCentredActivationsIsFedTheCentredResidualStream() throws Exception {
		// a GPT-2 (LayerNorm) model: TransformerLens' center_writing_weights makes its residual stream mean-zero
		Path gpt2 = dev.lumen.testing.RepoFiles.root().resolve("sae-engine/src/test/resources/hf/lm-buddy-fake_gpt2");
		String hook = HookNames.residPost(0);
		int dSae = 8;
		Random r = new Random(2);
		float[] wEnc = new float[2 * dSae];
		float[] wDec = new float[dSae * 2];
		for (int i = 0; i < wEnc.length; i++) {
			wEnc[i] = (float) r.nextGaussian();
			wDec[i] = (float) r.nextGaussian();
		}
		SaeConfig cfg = SaeConfig.of(2, dSae, SaeArchitecture.STANDARD, 0, hook, "fake-gpt2")
			.withModelProcessing(new dev.lumen.engine.model.TransformerLensProcessing(false, true, false, false));
		try (LanguageModel model = LanguageModel.load(gpt2, Device.cpu());
				Sae sae = Sae.create(cfg, new SaeParameters(wEnc, new float[dSae], wDec, new float[2], null), Device.cpu());
				NDManager manager = NDManager.newBaseManager()) {
			int[] tokens = { 50256, 100, 200, 300, 400 };
			WindowActivations acts = new ModelSaeActivations(model, sae, 8, manager)
				.activations(List.of(new CorpusWindows.Window(0, 0, 0, tokens))).get(0);
			ai.djl.ndarray.NDArray raw = model.run(new int[][] { tokens }, null, List.of(), hook::equals, -1, manager)
				.cache().get(hook); // [1, pos, 2], uncentred
			float[] centred = sae.encode(raw.sub(raw.mean(new int[] { -1 }, true))).toFloatArray();
			float[] uncentred = sae.encode(raw).toFloatArray();
			float differs = 0;
			for (int t = 0; t < tokens.length; t++) {
				float[] row = new float[dSae];
				for (int k = acts.offsets()[t]; k < acts.offsets()[t + 1]; k++) {
					row[acts.features()[k]] = acts.values()[k];
				}
				for (int f = 0; f < dSae; f++) {
					assertThat(row[f]).as("position %d feature %d", t, f)
						.isCloseTo(Math.max(0f, centred[t * dSae + f]), within(1e-4f));
					differs = Math.max(differs, Math.abs(row[f] - Math.max(0f, uncentred[t * dSae + f])));
				}
			}
			assertThat(differs).as("the centring matters on this model").isGreaterThan(1e-2f);
		}
	}
}
