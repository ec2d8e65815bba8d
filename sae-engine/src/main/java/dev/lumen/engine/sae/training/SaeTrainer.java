package dev.lumen.engine.sae.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lumen.engine.sae.SaeArchitecture;
import dev.lumen.engine.sae.SaeConfig;
import dev.lumen.engine.sae.SaeParameters;
import java.util.Random;

/**
 * Trains one SAE with hand-written gradients and Adam (see {@link SaeGradients} and {@link TrainSaeOptions}).
 * Weights live in the scaled input space (inputs multiplied by {@link #scalingFactor()}); {@link #parameters()}
 * folds the constant back so the saved SAE takes raw activations.
 */
public final class SaeTrainer implements AutoCloseable {

	private final SaeConfig config;

	private final TrainSaeOptions options;

	private final double scalingFactor;

	private final NDManager manager;

	private final NDList params; // W_enc [dIn, dSae], b_enc [dSae], W_dec [dSae, dIn], b_dec [dIn]

	private final NDList m; // Adam first moments, same shapes

	private final NDList v; // Adam second moments, same shapes

	private final DeadFeatureTracker dead;

	private long step;

	SaeTrainer(SaeConfig config, TrainSaeOptions options, double scalingFactor, Device device, float[][] weights,
			float[][] moments1, float[][] moments2, long[] tokensSinceFired, long step) {
		this.config = config;
		this.options = options;
		this.scalingFactor = scalingFactor;
		this.manager = NDManager.newBaseManager(device);
		Shape[] shapes = shapes(config);
		this.params = new NDList();
		this.m = new NDList();
		this.v = new NDList();
		for (int i = 0; i < shapes.length; i++) {
			this.params.add(this.manager.create(weights[i], shapes[i]));
			this.m.add(moments1 == null ? this.manager.zeros(shapes[i]) : this.manager.create(moments1[i], shapes[i]));
			this.v.add(moments2 == null ? this.manager.zeros(shapes[i]) : this.manager.create(moments2[i], shapes[i]));
		}
		this.dead = tokensSinceFired == null ? new DeadFeatureTracker(config.dSae(), options.deadFeatureWindow())
				: new DeadFeatureTracker(tokensSinceFired, options.deadFeatureWindow());
		this.step = step;
	}

	static Shape[] shapes(SaeConfig c) {
		return new Shape[] { new Shape(c.dIn(), c.dSae()), new Shape(c.dSae()), new Shape(c.dSae(), c.dIn()),
				new Shape(c.dIn()) };
	}

	/**
	 * Starts a fresh SAE: decoder rows are random directions of norm {@code decoderInitNorm}, W_enc = W_decᵀ,
	 * b_enc = 0, and b_dec = the mean of the (scaled) sample so the first reconstructions are centred.
	 *
	 * @param hook template config: dIn, hook and model names (its architecture and dSae are replaced)
	 * @param scalingFactor constant the raw inputs are multiplied by
	 * @param scaledMean mean of scaled inputs, [dIn]
	 */
	public static SaeTrainer create(SaeConfig hook, TrainSaeOptions options, double scalingFactor, float[] scaledMean,
			Device device) {
		int dIn = hook.dIn();
		int dSae = options.dSae();
		SaeConfig config = new SaeConfig(dIn, dSae, "float32", options.architecture(), hook.hookName(), hook.hookLayer(),
				hook.modelName(), hook.contextSize(), false, "none", options.k(), hook.prependBos(), scalingFactor,
				dev.lumen.engine.model.TransformerLensProcessing.NONE); // ModelActivationSource records unprocessed activations
		Random r = new Random(options.seed());
		float[] wDec = new float[dSae * dIn];
		float[] wEnc = new float[dIn * dSae];
		for (int i = 0; i < dSae; i++) {
			double norm = 0;
			for (int j = 0; j < dIn; j++) {
				double g = r.nextGaussian();
				wDec[i * dIn + j] = (float) g;
				norm += g * g;
			}
			double scale = options.decoderInitNorm() / Math.sqrt(norm);
			for (int j = 0; j < dIn; j++) {
				wDec[i * dIn + j] *= (float) scale;
				wEnc[j * dSae + i] = wDec[i * dIn + j];
			}
		}
		return new SaeTrainer(config, options, scalingFactor, device,
				new float[][] { wEnc, new float[dSae], wDec, scaledMean.clone() }, null, null, null, 0);
	}

	/**
	 * Takes one optimiser step on a batch.
	 * @param rawBatch unscaled activations, row-major [batchSize, dIn]
	 */
	public TrainStepOutput step(float[] rawBatch) {
		int n = rawBatch.length / this.config.dIn();
		if (n * this.config.dIn() != rawBatch.length || n == 0) {
			throw new IllegalArgumentException("batch holds " + rawBatch.length + " values, not a multiple of dIn=" + this.config.dIn());
		}
		boolean topK = this.options.architecture() == SaeArchitecture.TOPK;
		double l1 = topK ? 0 : this.options.l1At(this.step);
		double lr = this.options.learningRateAt(this.step);
		try (NDManager scope = this.manager.newSubManager()) {
			// ops called on a weight belong to the weight's manager: lend the weights to this step's scope
			for (NDList list : new NDList[] { this.params, this.m, this.v }) {
				list.forEach(a -> a.tempAttach(scope));
			}
			NDArray x = scope.create(rawBatch, new Shape(n, this.config.dIn())).muli((float) this.scalingFactor);
			SaeGradients.Result r = SaeGradients.compute(scope, x, this.params, l1, topK ? this.options.k() : 0);
			double gradNorm = clip(scope, r.gradients());
			AdamOptimizer.step(scope, this.params, r.gradients(), this.m, this.v, lr, this.step + 1);
			this.dead.update(r.firedCount(), n);
			this.step++;
			return new TrainStepOutput(this.step, r.loss(), r.mse(), r.sparsity(), r.l0(), gradNorm, lr, l1,
					this.dead.deadFraction());
		}
	}

	/** Scales gradients in place so their global norm is at most gradClipNorm; returns the norm before. */
	private double clip(NDManager scope, NDList grads) {
		NDArray[] squares = new NDArray[grads.size()];
		for (int i = 0; i < squares.length; i++) {
			squares[i] = grads.get(i).square().sum();
		}
		double norm = Math.sqrt(HostScalars.stack(scope, squares).sum().getFloat());
		if (norm > this.options.gradClipNorm()) {
			float s = (float) (this.options.gradClipNorm() / norm);
			for (NDArray g : grads) {
				g.muli(s);
			}
		}
		return norm;
	}

	/** @return the trained SAE's config (architecture, shape, hook, folded scaling factor) */
	public SaeConfig config() {
		return this.config;
	}

	/** @return steps taken so far */
	public long stepsTaken() {
		return this.step;
	}

	/** @return the constant raw inputs are multiplied by during training */
	public double scalingFactor() {
		return this.scalingFactor;
	}

	/** @return the options this trainer runs with */
	public TrainSaeOptions options() {
		return this.options;
	}

	/** @return fraction of features silent for the dead-feature window */
	public double deadFraction() {
		return this.dead.deadFraction();
	}

	/** @return weights for raw (unscaled) inputs: the scaling factor folded in */
	public SaeParameters parameters() {
		return scaledParameters().foldInputScaling(this.scalingFactor);
	}

	/** @return weights as trained, in the scaled input space */
	public SaeParameters scaledParameters() {
		return new SaeParameters(this.params.get(0).toFloatArray(), this.params.get(1).toFloatArray(),
				this.params.get(2).toFloatArray(), this.params.get(3).toFloatArray(), null);
	}

	float[][] scaledParametersArrays() {
		return moments(this.params);
	}

	float[][] moments(boolean second) {
		return moments(second ? this.v : this.m);
	}

	private static float[][] moments(NDList list) {
		float[][] out = new float[list.size()][];
		for (int i = 0; i < out.length; i++) {
			out[i] = list.get(i).toFloatArray();
		}
		return out;
	}

	long[] tokensSinceFired() {
		return this.dead.tokensSinceFired();
	}

	@Override
	public void close() {
		this.manager.close();
	}
}
