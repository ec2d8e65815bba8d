package dev.lumen.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.lumen.engine.safetensors.SafetensorsFile;
import dev.lumen.engine.testing.RepoAssets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Logit effects of directions against a scalar computation from the raw weights: (d ⊙ g) · Eᵀ (tied head). */
class DirectionLogitsTest {

	@Test
	void directionsGoThroughTheFinalNormGainAndTheUnembedding() {
		try (LanguageModel model = LanguageModel.load(RepoAssets.model("tinystories-1m/hf"), Device.cpu());
				SafetensorsFile weights = SafetensorsFile.open(RepoAssets.model("tinystories-1m/hf/model.safetensors"))) {
			int d = model.config().dModel();
			int vocab = model.config().vocabSize();
			float[] gain = weights.floats("model.norm.weight"); // [d]
			float[] embed = weights.floats("model.embed_tokens.weight"); // [vocab, d], tied unembedding
			Random random = new Random(3);
			float[][] dirs = new float[3][d];
			for (float[] row : dirs) {
				for (int i = 0; i < d; i++) {
					row[i] = (float) random.nextGaussian();
				}
			}
			float[][] logits = model.directionLogits(dirs);
			assertThat(logits).hasDimensions(3, vocab);
			for (int n = 0; n < dirs.length; n++) {
				for (int v = 0; v < vocab; v++) {
					double expected = 0;
					for (int i = 0; i < d; i++) {
						expected += (double) dirs[n][i] * gain[i] * embed[v * d + i];
					}
					assertThat((double) logits[n][v]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-4));
				}
			}
			assertThatThrownBy(() -> model.directionLogits(new float[][] { new float[d + 1] }))
				.hasMessageContaining("d_model is " + d);
		}
	}
}
