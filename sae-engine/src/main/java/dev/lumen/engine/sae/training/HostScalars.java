package dev.lumen.engine.sae.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/** Moves several scalars to the host at once. */
final class HostScalars {

	private HostScalars() {
	}

	/** Stacks scalars into one [count] array so they reach the host in a single copy. */
	static NDArray stack(NDManager scope, NDArray... scalars) {
		NDArray out = NDArrays.stack(new NDList(scalars));
		out.attach(scope);
		return out;
	}
}
