package dev.lumen.engine.model;

import static dev.lumen.engine.model.TransformerLensHooksTest.gap;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.lumen.engine.model.ReferenceLibFixtures.Reference;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With {@link TransformerLensProcessing#DEFAULTS}' hooks, every hook point holds what TransformerLens'
 * {@code from_pretrained} (fold_ln, center_writing_weights, center_unembed, fold_value_biases) gives on the same
 * model ({@code tl_processed.safetensors}), within 1e-4; the log-probabilities stay transformers'.
 */
class TransformerLensProcessingTest {

	private static final float TOLERANCE = 1e-4f;

	@TempDir
	Path tmp;

	@ParameterizedTest
	@ValueSource(strings = { "gpt2", "tl-neox", "tl-llama" })
	void defaultProcessingHooksGiveTransformerLensFromPretrainedAtEveryHook(String name) {
		Reference processed = Reference.of(name, "tl_processed.safetensors");
		try (LanguageModel model = LanguageModel.load(ReferenceLibFixtures.copy(name, this.tmp), Device.cpu());
				NDManager m = NDManager.newBaseManager()) {
			ForwardResult r = model.run(new int[][] { processed.tokens() }, null,
					TransformerLensProcessing.DEFAULTS.hooks(model), n -> true, -1, m);
			for (String hook : model.hookNames()) {
				assertThat(gap(r.cache().get(hook).toFloatArray(), processed.hooks().get(hook))).as(hook)
					.isLessThan(TOLERANCE);
			}
			// center_unembed shifts each position's logits by a constant: the log-probabilities are the same
			int vocab = model.config().vocabSize();
			float[] logits = r.logits().toFloatArray();
			for (int t = 0; t < processed.tokens().length; t++) {
				assertThat(gap(logSoftmax(logits, t, vocab), logSoftmax(processed.logits(), t, vocab))).isLessThan(TOLERANCE);
			}
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "gpt2", "tl-neox" })
	void layerNormModelsDifferWithoutTheProcessingSoItIsNeeded(String name) {
		Reference processed = Reference.of(name, "tl_processed.safetensors");
		try (LanguageModel model = LanguageModel.load(ReferenceLibFixtures.copy(name, this.tmp), Device.cpu());
				NDManager m = NDManager.newBaseManager()) {
			ForwardResult raw = model.run(new int[][] { processed.tokens() }, null, List.of(), n -> true, -1, m);
			for (String hook : List.of(HookNames.residPre(0), HookNames.residPost(1), HookNames.attnOut(0),
					HookNames.mlpOut(1), HookNames.attnV(0), HookNames.attnZ(1))) {
				assertThat(gap(raw.cache().get(hook).toFloatArray(), processed.hooks().get(hook))).as(hook)
					.isGreaterThan(1e-2f);
			}
		}
	}

	@Test
	void eachStepAloneMovesOnlyItsHooks() {
		Reference processed = Reference.of("gpt2", "tl_processed.safetensors");
		Reference raw = Reference.of("gpt2", "tl_reference.safetensors");
		try (LanguageModel model = LanguageModel.load(ReferenceLibFixtures.copy("gpt2", this.tmp), Device.cpu());
				NDManager m = NDManager.newBaseManager()) {
			int[][] tokens = { processed.tokens() };
			ForwardResult centredOnly = model.run(tokens, null,
					new TransformerLensProcessing(false, true, false, false).hooks(model), n -> true, -1, m);
			// centring alone: the residual stream is TL's, the values are not folded yet
			assertThat(gap(centredOnly.cache().get(HookNames.residPost(0)).toFloatArray(),
					processed.hooks().get(HookNames.residPost(0)))).isLessThan(TOLERANCE);
			assertThat(gap(centredOnly.cache().get(HookNames.attnV(0)).toFloatArray(),
					raw.hooks().get(HookNames.attnV(0)))).isLessThan(TOLERANCE);
			// folding after fold_ln: v loses b_V and the LayerNorm bias fold_ln put into it
			ForwardResult foldedOnly = model.run(tokens, null,
					new TransformerLensProcessing(true, false, false, true).hooks(model), n -> true, -1, m);
			assertThat(gap(foldedOnly.cache().get(HookNames.attnZ(1)).toFloatArray(),
					processed.hooks().get(HookNames.attnZ(1)))).isLessThan(TOLERANCE);
			assertThat(gap(foldedOnly.cache().get(HookNames.residPost(1)).toFloatArray(),
					raw.hooks().get(HookNames.residPost(1)))).isLessThan(TOLERANCE);
			// fold_ln and center_unembed change no hook
			assertThat(new TransformerLensProcessing(true, false, true, false).hooks(model)).isEmpty();
		}
	}

	@Test
	void rmsNormModelsWithoutValueBiasesNeedNoHooks() {
		try (LanguageModel model = LanguageModel.load(ReferenceLibFixtures.copy("tl-llama", this.tmp), Device.cpu())) {
			assertThat(TransformerLensProcessing.DEFAULTS.hooks(model)).isEmpty();
		}
	}

	private static float[] logSoftmax(float[] logits, int t, int vocab) {
		double max = Double.NEGATIVE_INFINITY;
		for (int i = 0; i < vocab; i++) {
			max = Math.max(max, logits[t * vocab + i]);
		}
		double sum = 0;
		for (int i = 0; i < vocab; i++) {
			sum += Math.exp(logits[t * vocab + i] - max);
		}
		float[] out = new float[vocab];
		for (int i = 0; i < vocab; i++) {
			out[i] = (float) (logits[t * vocab + i] - max - Math.log(sum));
		}
		return out;
	}
}
