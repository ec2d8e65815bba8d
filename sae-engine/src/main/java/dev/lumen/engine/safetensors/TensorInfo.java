package dev.lumen.engine.safetensors;

import java.util.Arrays;

/**
 * One tensor entry of a safetensors header.
 * @param name the tensor name
 * @param dtype element type
 * @param shape dimensions, row-major
 * @param begin start offset in the data section, in bytes
 * @param end end offset (exclusive) in the data section, in bytes
 */
public record TensorInfo(String name, SafetensorsDType dtype, long[] shape, long begin, long end) {

	/** @return the number of elements the shape describes */
	public long elementCount() {
		long n = 1;
		for (long d : this.shape) {
			n = Math.multiplyExact(n, d);
		}
		return n;
	}

	/** @return the shape as {@code [a, b, c]} for error messages */
	public String shapeString() {
		return Arrays.toString(this.shape);
	}

	/** @return true when the shape equals {@code expected} */
	public boolean hasShape(long... expected) {
		return Arrays.equals(this.shape, expected);
	}
}
