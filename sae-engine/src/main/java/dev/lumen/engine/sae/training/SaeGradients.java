package dev.lumen.engine.sae.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Forward pass, loss and hand-written gradients of one SAE training batch (no autograd: the closed form is short
 * and saves the graph bookkeeping; see docs/sae.md for the measured difference).
 *
 * <p>With {@code n} tokens and no b_dec subtraction at the input (Anthropic's recipe):
 * <pre>
 * pre  = x·W_enc + b_enc            f = relu(pre)   (TopK: relu of each row's k largest, rest 0)
 * x̂    = f·W_dec + b_dec            e = x̂ − x
 * L    = (1/n) Σₜ ‖eₜ‖² + (λ/n) Σₜ Σᵢ fₜᵢ ‖W_dec,i‖₂
 * ∂L/∂x̂ = 2e/n                      ∂L/∂f = (2e/n)·W_decᵀ + (λ/n)‖W_dec,i‖
 * ∂L/∂pre = ∂L/∂f ⊙ [f > 0]
 * ∂L/∂W_enc = xᵀ·∂L/∂pre            ∂L/∂b_enc = Σₜ ∂L/∂pre
 * ∂L/∂W_dec = fᵀ·(2e/n) + (λ/n)(Σₜ fₜᵢ) W_dec,i / ‖W_dec,i‖      ∂L/∂b_dec = Σₜ 2e/n
 * </pre>
 */
public final class SaeGradients {

	private SaeGradients() {
	}

	/**
	 * Loss terms, batch statistics and gradients of one batch.
	 *
	 * @param mse mean over tokens of ‖x − x̂‖² (the reconstruction term of the loss)
	 * @param sparsity mean over tokens of Σᵢ fᵢ‖W_dec,i‖ (before λ)
	 * @param loss mse + λ·sparsity
	 * @param l0 mean number of active features per token
	 * @param firedCount per feature, the number of tokens on which it was active, [dSae]
	 * @param gradients ∂L/∂W_enc [dIn, dSae], ∂L/∂b_enc [dSae], ∂L/∂W_dec [dSae, dIn], ∂L/∂b_dec [dIn]
	 */
	public record Result(double mse, double sparsity, double loss, double l0, float[] firedCount, NDList gradients) {
	}

	/**
	 * Computes loss and gradients. {@code x} and {@code params} must belong to {@code scope} (create them there or
	 * {@code tempAttach} them), so that every intermediate does too.
	 *
	 * @param scope owner of the gradients and temporaries
	 * @param x scaled inputs, [n, dIn]
	 * @param params W_enc [dIn, dSae], b_enc [dSae], W_dec [dSae, dIn], b_dec [dIn]
	 * @param l1 λ (0 for TopK)
	 * @param topK k for TopK, or 0 for ReLU
	 */
	public static Result compute(NDManager scope, NDArray x, NDList params, double l1, int topK) {
		NDArray wEnc = params.get(0);
		NDArray bEnc = params.get(1);
		NDArray wDec = params.get(2);
		NDArray bDec = params.get(3);
		long n = x.getShape().get(0);
		NDArray pre = x.matMul(wEnc).addi(bEnc); // [n, dSae]
		NDArray f = topK > 0 ? topK(pre, topK) : pre.maximum(0f); // [n, dSae]
		NDArray active = f.gt(0f).toType(DataType.FLOAT32, false); // [n, dSae]
		NDArray e = f.matMul(wDec).addi(bDec).subi(x); // [n, dIn]
		NDArray decNorm = wDec.norm(new int[] { 1 }); // [dSae]
		NDArray fSum = f.sum(new int[] { 0 }); // [dSae]
		NDArray firedCount = active.sum(new int[] { 0 }); // [dSae]
		NDArray stats = HostScalars.stack(scope, e.square().sum().div(n), fSum.mul(decNorm).sum().div(n),
				firedCount.sum().div(n));
		float[] s = stats.toFloatArray();

		NDArray dXHat = e.muli(2f / n); // [n, dIn]
		NDArray dF = dXHat.matMul(wDec.transpose()); // [n, dSae]
		if (l1 > 0) {
			dF.addi(decNorm.mul(l1 / n));
		}
		NDArray dPre = dF.muli(active); // [n, dSae]
		NDArray gWEnc = x.transpose().matMul(dPre); // [dIn, dSae]
		NDArray gBEnc = dPre.sum(new int[] { 0 }); // [dSae]
		NDArray gWDec = f.transpose().matMul(dXHat); // [dSae, dIn]
		if (l1 > 0) {
			// d‖W_dec,i‖/dW_dec,i = W_dec,i / ‖W_dec,i‖
			NDArray coef = fSum.mul(l1 / n).divi(decNorm.add(1e-12f)).expandDims(1); // [dSae, 1]
			gWDec.addi(wDec.mul(coef));
		}
		NDArray gBDec = dXHat.sum(new int[] { 0 }); // [dIn]
		double sparsity = s[1];
		return new Result(s[0], sparsity, s[0] + l1 * sparsity, s[2], firedCount.toFloatArray(),
				new NDList(gWEnc, gBEnc, gWDec, gBDec));
	}

	/** Keeps relu of each row's k largest pre-activations and zeroes the rest ([n, dSae] → [n, dSae]). */
	static NDArray topK(NDArray pre, int k) {
		NDList top = pre.topK(k, -1, true, false);
		return pre.zerosLike().scatter(top.get(1), top.get(0).maximum(0f), -1);
	}
}
