package dev.lumen.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;

/** The feed-forward half of a block: gated (SwiGLU, GeGLU) or plain (GPT-2, GPT-NeoX). */
final class Mlp {

	private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);

	private Mlp() {
	}

	/**
	 * @param x normalised input [batch, pos, dModel]
	 * @return mlp_out [batch, pos, dModel] (before Gemma's post-norm)
	 */
	static NDArray forward(NDArray x, LayerWeights w, int layer, Architecture arch, RunState s) {
		NDArray hidden;
		if (arch.gatedMlp()) {
			// down(act(gate(x)) * up(x))
			NDList gateUp = Attention.linear(x, w.wGateUp, w.bGateUp).split(2, 2); // [b, p, dMlp] twice
			NDArray gate = s.hooks.point(HookNames.mlpPre(layer), gateUp.get(0));
			NDArray up = s.hooks.point(HookNames.mlpPreLinear(layer), gateUp.get(1));
			hidden = activate(gate, arch.activation()).mul(up);
		}
		else {
			hidden = activate(s.hooks.point(HookNames.mlpPre(layer), Attention.linear(x, w.wIn, w.bIn)), arch.activation());
		}
		hidden = s.hooks.point(HookNames.mlpPost(layer), hidden); // [batch, pos, dMlp]
		return Attention.linear(hidden, w.wOut, w.bOut);
	}

	static NDArray activate(NDArray x, Architecture.Activation activation) {
		return switch (activation) {
			case SILU -> x.mul(Activation.sigmoid(x));
			case GELU -> Activation.gelu(x);
			// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
			case GELU_TANH -> x.mul(x.pow(3).mul(0.044715f).add(x).mul(SQRT_2_OVER_PI).tanh().add(1f)).mul(0.5f);
		};
	}
}
