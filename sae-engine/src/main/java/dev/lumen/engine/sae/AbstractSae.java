package dev.lumen.engine.sae;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Weights and the shared affine encode/decode steps; subclasses supply the activation function. */
abstract class AbstractSae implements Sae {

	private final SaeConfig config;

	private final NDManager manager;

	protected final NDArray wEnc; // [dIn, dSae]

	protected final NDArray bEnc; // [dSae]

	protected final NDArray wDec; // [dSae, dIn]

	protected final NDArray bDec; // [dIn]

	protected final NDArray threshold; // [dSae], or null

	AbstractSae(SaeConfig config, SaeParameters p, Device device) {
		this.config = config;
		this.manager = NDManager.newBaseManager(device);
		int dIn = config.dIn();
		int dSae = config.dSae();
		this.wEnc = this.manager.create(p.wEnc(), new Shape(dIn, dSae));
		this.bEnc = this.manager.create(p.bEnc(), new Shape(dSae));
		this.wDec = this.manager.create(p.wDec(), new Shape(dSae, dIn));
		this.bDec = this.manager.create(p.bDec(), new Shape(dIn));
		this.threshold = p.threshold() == null ? null : this.manager.create(p.threshold(), new Shape(dSae));
	}

	/**
	 * Applies the architecture's activation function.
	 * @param pre pre-activations, shape [..., dSae], owned by a scope that is closed after encode
	 * @return feature activations, shape [..., dSae]
	 */
	protected abstract NDArray activate(NDArray pre);

	/**
	 * The same activation function as {@link #activate(NDArray)} on one host vector, in place.
	 * @param pre pre-activations, [dSae]
	 */
	protected abstract void activateInPlace(float[] pre);

	private volatile JvmSaeEncoder hostEncoder; // built on the first encodeInto

	@Override
	public void encodeInto(float[] x, float[] f) {
		if (x.length != this.config.dIn() || f.length != this.config.dSae()) {
			throw new IllegalArgumentException("encodeInto takes [" + this.config.dIn() + "] and [" + this.config.dSae()
					+ "], got [" + x.length + "] and [" + f.length + "]");
		}
		JvmSaeEncoder e = this.hostEncoder;
		if (e == null) {
			synchronized (this) {
				e = this.hostEncoder;
				if (e == null) {
					e = new JvmSaeEncoder(this.config, this.wEnc.toFloatArray(), this.bEnc.toFloatArray(), this.bDec.toFloatArray());
					this.hostEncoder = e;
				}
			}
		}
		e.preActivations(x, f);
		activateInPlace(f);
	}

	/** @return the per-feature threshold on the host, [dSae] (JumpReLU, BatchTopK), or null */
	protected final float[] hostThreshold() {
		float[] t = this.hostThreshold;
		if (t == null && this.threshold != null) {
			t = this.threshold.toFloatArray();
			this.hostThreshold = t;
		}
		return t;
	}

	private volatile float[] hostThreshold;

	@Override
	public SaeConfig config() {
		return this.config;
	}

	@Override
	public NDArray encode(NDArray x) {
		checkLastDim(x, this.config.dIn(), "encode input");
		NDManager parent = x.getManager();
		try (NDManager scope = parent.newSubManager()) {
			x.tempAttach(scope);
			NDArray in = this.config.applyBDecToInput() ? x.sub(this.bDec) : x;
			NDArray pre = in.matMul(this.wEnc).addi(this.bEnc); // [..., dSae]
			NDArray f = activate(pre);
			f.attach(parent);
			return f;
		}
	}

	@Override
	public NDArray decode(NDArray f) {
		checkLastDim(f, this.config.dSae(), "decode input");
		NDManager parent = f.getManager();
		try (NDManager scope = parent.newSubManager()) {
			f.tempAttach(scope);
			NDArray out = f.matMul(this.wDec).addi(this.bDec); // [..., dIn]
			out.attach(parent);
			return out;
		}
	}

	@Override
	public NDArray forward(NDArray x) {
		NDManager parent = x.getManager();
		try (NDManager scope = parent.newSubManager()) {
			x.tempAttach(scope);
			NDArray out = decode(encode(x));
			out.attach(parent);
			return out;
		}
	}

	@Override
	public NDArray decoderRow(int feature, NDManager manager) {
		checkFeature(feature);
		NDArray row = this.wDec.get(feature);
		row.attach(manager);
		return row;
	}

	@Override
	public float[] decoderVector(int feature) {
		checkFeature(feature);
		try (NDArray row = this.wDec.get(feature)) {
			return row.toFloatArray();
		}
	}

	@Override
	public SaeParameters parameters() {
		return new SaeParameters(this.wEnc.toFloatArray(), this.bEnc.toFloatArray(), this.wDec.toFloatArray(),
				this.bDec.toFloatArray(), this.threshold == null ? null : this.threshold.toFloatArray());
	}

	@Override
	public void close() {
		this.manager.close();
	}

	private void checkFeature(int feature) {
		if (feature < 0 || feature >= this.config.dSae()) {
			throw new IndexOutOfBoundsException("feature " + feature + " outside [0, " + this.config.dSae() + ")");
		}
	}

	static void checkLastDim(NDArray a, long expected, String what) {
		Shape s = a.getShape();
		if (s.dimension() == 0 || s.get(s.dimension() - 1) != expected) {
			throw new IllegalArgumentException(what + " has shape " + s + ", expected [..., " + expected + "]");
		}
	}
}
