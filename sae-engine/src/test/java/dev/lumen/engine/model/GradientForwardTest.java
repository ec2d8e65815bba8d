package dev.lumen.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import dev.lumen.engine.testing.RepoAssets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** forwardRecordingGradients: backward through the model reaches a hook's input, matching finite differences. */
class GradientForwardTest {

	@Test
	void gradientOfALogitWithRespectToAHookActivationMatchesFiniteDifferences() {
		try (LanguageModel model = LanguageModel.load(RepoAssets.model("tinystories-1m/model.bin"), Device.cpu());
				NDManager manager = NDManager.newBaseManager(Device.cpu())) {
			int[] ids = model.tokenizer().encode("Once upon a time there was a cat", true);
			int last = ids.length - 1;
			int vocabId = 500;
			String hook = HookNames.residPost(2);
			NDArray[] leaf = new NDArray[1]; // [1, pos, dModel]
			float[] gradient;
			float logit;
			try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
				NDArray logits = model.forwardRecordingGradients(new int[][] { ids }, List.of(new HookSpec(hook, (x, n) -> {
					NDArray copy = x.duplicate();
					copy.attach(manager);
					copy.setRequiresGradient(true);
					leaf[0] = copy;
					// returned in the call's scope: an array of another manager is copied, which cuts the graph
					NDArray through = copy.mul(1f);
					through.attach(x.getManager());
					return through;
				})), manager);
				NDArray out = logits.get(new NDIndex("0, {}, {}", last, vocabId));
				logit = out.getFloat();
				collector.backward(out);
				gradient = leaf[0].getGradient().toFloatArray();
			}
			float[] base = leaf[0].toFloatArray();
			// the plain forward agrees with the gradient-recording one
			NDArray plain = model.run(new int[][] { ids }, null, List.of(), null, -1, manager).logits();
			assertThat(plain.getFloat(0, last, vocabId)).isCloseTo(logit, within(1e-5f));
			int dModel = model.config().dModel();
			float eps = 1e-2f;
			for (int[] pd : new int[][] { { 1, 0 }, { 3, 17 }, { last, 5 }, { last, 100 } }) {
				int index = pd[0] * dModel + pd[1];
				float up = logitWith(model, manager, ids, hook, base, index, eps, last, vocabId);
				float down = logitWith(model, manager, ids, hook, base, index, -eps, last, vocabId);
				float fd = (up - down) / (2 * eps);
				assertThat(gradient[index]).as("d logit / d resid[%d, %d]", pd[0], pd[1])
						.isCloseTo(fd, within(2e-3f + 0.01f * Math.abs(fd)));
			}
		}
	}

	private static float logitWith(LanguageModel model, NDManager manager, int[] ids, String hook, float[] base,
			int index, float eps, int last, int vocabId) {
		float[] moved = base.clone();
		moved[index] += eps;
		NDArray logits = model.runWithHooks(manager.create(new int[][] { ids }),
				List.of(new HookSpec(hook, (x, n) -> x.getManager().create(moved, x.getShape()))));
		return logits.getFloat(0, last, vocabId);
	}
}
