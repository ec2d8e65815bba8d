package dev.lumen.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lumen.engine.testing.RepoAssets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HookPointsTest {

	private static LanguageModel model;

	private NDManager manager;

	@BeforeAll
	static void load() {
		model = LanguageModel.load(RepoAssets.model("tinystories-1m/model.bin"), Device.cpu());
	}

	@AfterAll
	static void close() {
		model.close();
	}

	private NDArray tokens(NDManager m, int[]... rows) {
		int[] flat = new int[rows.length * rows[0].length];
		for (int i = 0; i < rows.length; i++) {
			System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
		}
		return m.create(flat, new Shape(rows.length, rows[0].length));
	}

	@Test
	void hookNamesCoverEveryBlockInForwardOrder() {
		// per (gated) block: resid_pre/mid/post, attn_out, mlp_out, ln1/ln2 scale and normalized, q, k, v, attn_scores,
		// pattern, z, mlp pre, pre_linear and post
		assertThat(model.hookNames()).hasSize(4 * 18 + 2)
			.startsWith(HookNames.residPre(0), HookNames.ln1Scale(0), HookNames.ln1Normalized(0), HookNames.attnQ(0),
				HookNames.attnK(0), HookNames.attnV(0), HookNames.attnScores(0), HookNames.attnPattern(0),
				HookNames.attnZ(0), HookNames.attnOut(0), HookNames.residMid(0), HookNames.ln2Scale(0),
				HookNames.ln2Normalized(0), HookNames.mlpPre(0), HookNames.mlpPreLinear(0), HookNames.mlpPost(0))
			.endsWith(HookNames.residPost(3), HookNames.lnFinalScale(), HookNames.lnFinal());
		assertThat(HookNames.layerOf(HookNames.lnFinalScale())).isEqualTo(-1);
		assertThat(HookNames.layerOf(HookNames.mlpPost(3))).isEqualTo(3);
		assertThat(HookNames.layerOf(HookNames.lnFinal())).isEqualTo(-1);
		assertThat(HookNames.residPost(2)).isEqualTo("blocks.2.hook_resid_post");
		assertThat(HookNames.attnZ(1)).isEqualTo("blocks.1.attn.hook_z");
	}

	@Test
	void runWithCacheRecordsConsistentActivationsOfDocumentedShapes() {
		try (NDManager m = NDManager.newBaseManager()) {
			int[] prompt = model.tokenizer().encode("Once upon a time", true);
			ForwardResult r = model.runWithCache(tokens(m, prompt), name -> true);
			int p = prompt.length;
			assertThat(r.cache().get(HookNames.residPre(1)).getShape()).isEqualTo(new Shape(1, p, 128));
			assertThat(r.cache().get(HookNames.attnZ(1)).getShape()).isEqualTo(new Shape(1, p, 4, 32));
			assertThat(r.cache().get(HookNames.mlpPost(1)).getShape()).isEqualTo(new Shape(1, p, 352));
			// the residual stream is the running sum of what each sublayer writes
			float[] pre = r.cache().get(HookNames.residPre(1)).toFloatArray();
			float[] attn = r.cache().get(HookNames.attnOut(1)).toFloatArray();
			float[] mid = r.cache().get(HookNames.residMid(1)).toFloatArray();
			float[] mlp = r.cache().get(HookNames.mlpOut(1)).toFloatArray();
			float[] post = r.cache().get(HookNames.residPost(1)).toFloatArray();
			float[] next = r.cache().get(HookNames.residPre(2)).toFloatArray();
			for (int i = 0; i < pre.length; i++) {
				assertThat(mid[i]).isCloseTo(pre[i] + attn[i], within(1e-5f));
				assertThat(post[i]).isCloseTo(mid[i] + mlp[i], within(1e-5f));
				assertThat(next[i]).isEqualTo(post[i]);
			}
			// ln_final.hook_normalized is TransformerLens': unit RMS, before the gain; the logits are it times the
			// gain times the tied embedding
			float[] ln = r.cache().get(HookNames.lnFinal()).toFloatArray();
			float squares = 0;
			for (int d = 0; d < 128; d++) {
				squares += ln[(p - 1) * 128 + d] * ln[(p - 1) * 128 + d];
			}
			assertThat(squares / 128).isCloseTo(1f, within(1e-3f));
			float[] gain;
			try (dev.lumen.engine.safetensors.SafetensorsFile hf = dev.lumen.engine.safetensors.SafetensorsFile
				.open(RepoAssets.model("tinystories-1m/hf/model.safetensors"))) {
				gain = hf.floats("model.norm.weight"); // the same weights as model.bin, exported for transformers
			}
			float[] logits = r.logits().toFloatArray();
			float[] embed = embedding(m);
			for (int v = 0; v < 2048; v += 97) {
				float dot = 0;
				for (int d = 0; d < 128; d++) {
					dot += ln[(p - 1) * 128 + d] * gain[d] * embed[v * 128 + d];
				}
				assertThat(logits[(p - 1) * 2048 + v]).isCloseTo(dot, within(1e-4f));
			}
			assertThat(r.cache().get(HookNames.residPre(0)).getManager()).isSameAs(m);
		}
	}

	/** The token embedding read back through the cache: resid_pre(0) of a sequence of every id is its row. */
	private float[] embedding(NDManager m) {
		int[] all = new int[2048];
		for (int i = 0; i < all.length; i++) {
			all[i] = i;
		}
		float[] out = new float[2048 * 128];
		for (int start = 0; start < 2048; start += 256) {
			int[] chunk = java.util.Arrays.copyOfRange(all, start, start + 256);
			NDArray e = model.runWithCache(tokens(m, chunk), n -> n.equals(HookNames.residPre(0)), 0)
				.cache()
				.get(HookNames.residPre(0));
			System.arraycopy(e.toFloatArray(), 0, out, start * 128, 256 * 128);
		}
		return out;
	}

	@Test
	void stopAtLayerRecordsTheSameActivationsWithoutLogits() {
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray t = tokens(m, model.tokenizer().encode("The cat sat", true));
			ForwardResult full = model.runWithCache(t, n -> n.equals(HookNames.residPost(1)));
			ForwardResult early = model.runWithCache(t, n -> n.startsWith("blocks."), 1);
			assertThat(early.logits()).isNull();
			assertThat(early.cache().contains(HookNames.residPre(2))).isFalse();
			assertThat(early.cache().get(HookNames.residPost(1)).toFloatArray())
				.containsExactly(full.cache().get(HookNames.residPost(1)).toFloatArray());
		}
	}

	@Test
	void patchingTheResidualStreamOfAnotherPromptReproducesItsLogits() {
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray a = tokens(m, model.tokenizer().encode("Once upon a time", true));
			NDArray b = tokens(m, model.tokenizer().encode("The dog ran far", true));
			assertThat(a.getShape()).isEqualTo(b.getShape());
			ForwardResult runA = model.runWithCache(a, n -> n.equals(HookNames.residPre(2)));
			NDArray residA = runA.cache().get(HookNames.residPre(2));
			NDArray patched = model.runWithHooks(b, List.of(new HookSpec(HookNames.residPre(2), (x, name) -> residA)));
			assertThat(patched.toFloatArray()).containsExactly(runA.logits().toFloatArray(), within(1e-5f));
			// hooks last one call: the next plain run is unpatched
			float[] plainB = model.forward(b).toFloatArray();
			assertThat(plainB).isNotEqualTo(runA.logits().toFloatArray());
			float[] identity = model.runWithHooks(b, List.of(new HookSpec(HookNames.mlpOut(0), (x, name) -> x)))
				.toFloatArray();
			assertThat(identity).containsExactly(plainB);
		}
	}

	@Test
	void leftAndRightPaddedBatchesMatchUnpaddedRuns() {
		try (NDManager m = NDManager.newBaseManager()) {
			int[] longer = model.tokenizer().encode("Lily and Tom went to the park", true);
			int[] shorter = model.tokenizer().encode("The cat", true);
			float[] longLogits = model.forward(tokens(m, longer)).toFloatArray();
			float[] shortLogits = model.forward(tokens(m, shorter)).toFloatArray();
			int n = longer.length;
			int k = shorter.length;
			int pad = n - k;
			for (boolean left : new boolean[] { true, false }) {
				int[] padded = new int[n];
				int[] mask = new int[n];
				for (int i = 0; i < k; i++) {
					padded[left ? pad + i : i] = shorter[i];
					mask[left ? pad + i : i] = 1;
				}
				int[] fullMask = LlamaReferenceTest.ones(n);
				NDArray logits = model.run(tokens(m, longer, padded), tokens(m, fullMask, mask), List.of(), null, -1, m)
					.logits();
				float[] all = logits.toFloatArray();
				for (int i = 0; i < n * 2048; i++) {
					assertThat(all[i]).isCloseTo(longLogits[i], within(1e-4f));
				}
				for (int i = 0; i < k; i++) {
					int row = n + (left ? pad + i : i);
					for (int v = 0; v < 2048; v++) {
						assertThat(all[row * 2048 + v]).as("left=%s pos %d", left, i)
							.isCloseTo(shortLogits[i * 2048 + v], within(1e-4f));
					}
				}
			}
		}
	}

	@Test
	void unknownHookNamesAreRejectedListingValidOnes() {
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray t = tokens(m, new int[] { 1, 413 });
			assertThatThrownBy(() -> model.runWithHooks(t, List.of(new HookSpec("blocks.9.hook_resid_pre", (x, n) -> x))))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("Unknown hook 'blocks.9.hook_resid_pre'")
				.hasMessageContaining("blocks.3.hook_resid_post");
			assertThatThrownBy(() -> model.runWithHooks(t,
					List.of(new HookSpec(HookNames.residPre(0), (x, n) -> x.get(":, :1, :")))))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("returned shape (1, 1, 128), expected (1, 2, 128)");
		}
	}
}
