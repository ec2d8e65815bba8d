package dev.lumen.engine.safetensors;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Element types of the safetensors format, with their byte widths. */
public enum SafetensorsDType {

	F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

	private final int bytes;

	SafetensorsDType(int bytes) {
		this.bytes = bytes;
	}

	/** @return the size of one element in bytes */
	public int bytes() {
		return this.bytes;
	}

	/** @return true for the floating point types that widen to float32 */
	public boolean isFloating() {
		return this == F64 || this == F32 || this == F16 || this == BF16;
	}

	/**
	 * Parses the dtype string of a safetensors header.
	 * @throws IllegalArgumentException naming the valid choices when the string is unknown
	 */
	public static SafetensorsDType parse(String name) {
		for (SafetensorsDType t : values()) {
			if (t.name().equals(name)) {
				return t;
			}
		}
		throw new IllegalArgumentException("unknown safetensors dtype '" + name + "'; valid dtypes are "
				+ Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
	}
}
