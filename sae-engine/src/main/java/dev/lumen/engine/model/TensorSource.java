package dev.lumen.engine.model;

/** Named float tensors a checkpoint provides, widened to float32, checked against expected shapes. */
interface TensorSource {

	/**
	 * Reads a tensor after checking its shape.
	 * @throws ModelLoadException naming the file, the tensor, the expected and the actual shape
	 */
	float[] floats(String name, long... expectedShape);

	/** @return true when the tensor exists */
	boolean contains(String name);

	/** @return the dtype the weights are stored in (F32, F16, BF16) */
	dev.lumen.engine.safetensors.SafetensorsDType storedType();
}
