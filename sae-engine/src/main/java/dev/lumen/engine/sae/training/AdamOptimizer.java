package dev.lumen.engine.sae.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/** Adam (Kingma & Ba) with bias correction and no weight decay, updating parameters in place. */
final class AdamOptimizer {

	static final double BETA1 = 0.9;

	static final double BETA2 = 0.999;

	static final double EPSILON = 1e-8;

	private AdamOptimizer() {
	}

	/**
	 * One Adam step.
	 * @param scope owner of temporaries; params, m and v must be attached to it
	 * @param params parameters, updated in place
	 * @param grads gradients, same shapes as params (consumed)
	 * @param m first moments, updated in place
	 * @param v second moments, updated in place
	 * @param lr learning rate
	 * @param t 1-based step number for bias correction
	 */
	static void step(NDManager scope, NDList params, NDList grads, NDList m, NDList v, double lr, long t) {
		double c1 = 1 - Math.pow(BETA1, t);
		double c2 = 1 - Math.pow(BETA2, t);
		// p -= lr/c1 · m / (sqrt(v/c2) + eps)
		for (int i = 0; i < params.size(); i++) {
			NDArray g = grads.get(i);
			m.get(i).muli(BETA1).addi(g.mul(1 - BETA1));
			v.get(i).muli(BETA2).addi(g.square().muli(1 - BETA2));
			NDArray denom = v.get(i).div(c2).sqrt().addi(EPSILON);
			NDArray update = m.get(i).mul(lr / c1).divi(denom);
			params.get(i).subi(update);
		}
	}
}
