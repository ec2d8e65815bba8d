package dev.lumen.playground;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.lumen.engine.model.HookSpec;
import dev.lumen.engine.model.PositionHook;
import dev.lumen.engine.sae.Sae;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Steers a model through an SAE at the SAE's hook: x → f = encode(x); change the chosen fᵢ;
 * x′ = decode(f′) + (x − decode(f)), so the SAE's reconstruction error is kept and only the chosen features move.
 *
 * <p>Because decode is affine (f·W_dec + b_dec), x′ = x + Σᵢ (f′ᵢ − fᵢ)·W_dec,i exactly; that form is what is
 * computed: it needs no full decode and adds no rounding where nothing changes (a clamp to the current value gives
 * x′ = x bit for bit). Clamping to v uses f′ᵢ − fᵢ = v − fᵢ (fᵢ differs per position); adding uses α·W_dec,i.
 *
 * <p>One instance serves one generation: with {@link SteeringPositions#GENERATED} it leaves the first call (the
 * prompt, processed in one step by the generator) unchanged and steers every later call.
 *
 * <p>As a {@link PositionHook} it also runs on the engine's plain-Java batch-1 decoder, one position at a time
 * with the SAE's host encoder, so steered generation keeps the fast path unsteered generation uses.
 */
public final class SteeringHook implements PositionHook {

	private final Sae sae;

	private final List<FeatureIntervention> interventions;

	private final float[][] decoderRows; // [nInterventions][dIn]

	private final SteeringPositions positions;

	private final AtomicInteger calls = new AtomicInteger();

	private final List<float[]> lastPosition = java.util.Collections.synchronizedList(new java.util.ArrayList<>()); // [call][nInterventions]

	/**
	 * @param sae the SAE whose hook this runs at
	 * @param interventions at most one per feature
	 * @param positions which positions to change
	 * @throws IllegalArgumentException for a feature outside the SAE or one named twice
	 */
	public SteeringHook(Sae sae, List<FeatureIntervention> interventions, SteeringPositions positions) {
		int dSae = sae.config().dSae();
		Set<Integer> seen = new HashSet<>();
		this.decoderRows = new float[interventions.size()][];
		for (int k = 0; k < interventions.size(); k++) {
			int feature = interventions.get(k).feature();
			if (feature >= dSae) {
				throw new IllegalArgumentException("feature " + feature + " does not exist: the SAE has " + dSae + " features");
			}
			if (!seen.add(feature)) {
				throw new IllegalArgumentException("feature " + feature + " is steered twice; give each feature once");
			}
			this.decoderRows[k] = sae.decoderVector(feature);
		}
		this.sae = sae;
		this.interventions = List.copyOf(interventions);
		this.positions = positions;
	}

	/** @return a hook spec at the SAE's hook point running this function */
	public HookSpec spec() {
		return new HookSpec(this.sae.config().hookName(), this);
	}

	/**
	 * The steered features' activations before steering at the last position of each call (in the order of the
	 * interventions), for batch row 0. In generation, call 0 is the prompt and call k + 1 is fed generated token k,
	 * so entry k + 1 is the activation at generated token k.
	 * @return one array per call so far, [calls][nInterventions]
	 */
	public List<float[]> lastPositionActivations() {
		synchronized (this.lastPosition) {
			return List.copyOf(this.lastPosition);
		}
	}

	@Override
	public void applyInPlace(float[] x, String hookName, int step, boolean lastInStep) {
		if (this.interventions.isEmpty()) {
			return;
		}
		float[] f = new float[this.sae.config().dSae()];
		this.sae.encodeInto(x, f);
		if (lastInStep) {
			float[] values = new float[this.interventions.size()];
			for (int k = 0; k < values.length; k++) {
				values[k] = f[this.interventions.get(k).feature()];
			}
			this.lastPosition.add(values);
		}
		if (this.positions == SteeringPositions.GENERATED && step == 0) {
			return;
		}
		for (int k = 0; k < this.interventions.size(); k++) {
			FeatureIntervention change = this.interventions.get(k);
			float coefficient = change.mode() == FeatureIntervention.Mode.CLAMP ? change.value() - f[change.feature()]
					: change.value();
			if (coefficient == 0f) {
				continue;
			}
			float[] row = this.decoderRows[k];
			for (int i = 0; i < x.length; i++) {
				x[i] += coefficient * row[i];
			}
		}
	}

	private void record(NDArray f) {
		long last = f.getShape().get(1) - 1;
		float[] values = new float[this.interventions.size()];
		for (int k = 0; k < values.length; k++) {
			values[k] = f.getFloat(0, last, this.interventions.get(k).feature());
		}
		this.lastPosition.add(values);
	}

	@Override
	public NDArray apply(NDArray activation, String hookName) {
		int call = this.calls.getAndIncrement();
		if (this.interventions.isEmpty()) {
			return activation;
		}
		NDManager manager = activation.getManager();
		DataType dtype = activation.getDataType();
		NDArray x = activation.toType(DataType.FLOAT32, false); // [batch, pos, dIn]
		NDArray f = this.sae.encode(x); // [batch, pos, dSae]
		record(f);
		if (this.positions == SteeringPositions.GENERATED && call == 0) {
			return activation;
		}
		NDArray delta = null; // [batch, pos, dIn]
		for (int k = 0; k < this.interventions.size(); k++) {
			FeatureIntervention change = this.interventions.get(k);
			NDArray coefficient; // [batch, pos, 1]
			if (change.mode() == FeatureIntervention.Mode.CLAMP) {
				NDArray current = f.get(new NDIndex(":, :, {}:{}", change.feature(), change.feature() + 1)); // [batch, pos, 1]
				coefficient = current.neg().add(change.value());
			}
			else {
				if (change.value() == 0f) {
					continue;
				}
				coefficient = manager.full(new ai.djl.ndarray.types.Shape(x.getShape().get(0), x.getShape().get(1), 1),
						change.value(), DataType.FLOAT32, x.getDevice());
			}
			NDArray row = manager.create(this.decoderRows[k]).toDevice(x.getDevice(), false); // [dIn]
			NDArray term = coefficient.mul(row); // [batch, pos, dIn]
			delta = delta == null ? term : delta.add(term);
		}
		if (delta == null) {
			return activation;
		}
		return x.add(delta).toType(dtype, false);
	}
}
