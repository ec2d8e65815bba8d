package dev.lumen.engine.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Conversions between float32 and the narrow float formats stored in safetensors files. */
public final class Floats {

	private Floats() {
	}

	/** Widens {@code n} little-endian elements of {@code dtype} from {@code src} into a new float array. */
	public static float[] widen(ByteBuffer src, SafetensorsDType dtype, int n) {
		ByteBuffer b = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
		float[] out = new float[n];
		switch (dtype) {
			case F32 -> b.asFloatBuffer().get(out);
			case F64 -> {
				for (int i = 0; i < n; i++) {
					out[i] = (float) b.getDouble(i * 8);
				}
			}
			case BF16 -> {
				for (int i = 0; i < n; i++) {
					out[i] = bf16ToFloat(b.getShort(i * 2));
				}
			}
			case F16 -> {
				for (int i = 0; i < n; i++) {
					out[i] = f16ToFloat(b.getShort(i * 2));
				}
			}
			default -> throw new IllegalArgumentException("cannot widen " + dtype + " to float32");
		}
		return out;
	}

	/** bfloat16 is the upper half of a float32, so widening is a shift. */
	public static float bf16ToFloat(short bits) {
		return Float.intBitsToFloat((bits & 0xffff) << 16);
	}

	/** IEEE 754 binary16 to float32, exact (Java 17 has no Float.float16ToFloat). */
	public static float f16ToFloat(short bits) {
		int h = bits & 0xffff;
		int sign = (h & 0x8000) << 16;
		int exp = (h >>> 10) & 0x1f;
		int mant = h & 0x3ff;
		if (exp == 0x1f) {
			return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
		}
		if (exp == 0) {
			// zero or subnormal: mant * 2^-24
			float v = mant * 0x1p-24f;
			return sign == 0 ? v : -v;
		}
		return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
	}

	/** float32 to IEEE 754 binary16, round to nearest even (overflow to infinity). */
	public static short floatToF16(float value) {
		int bits = Float.floatToRawIntBits(value);
		int sign = (bits >>> 16) & 0x8000;
		float abs = Math.abs(value);
		if (Float.isNaN(value)) {
			return (short) (sign | 0x7e00);
		}
		if (abs >= 65520f) {
			return (short) (sign | 0x7c00);
		}
		if (abs < 0x1p-14f) {
			// subnormal range: scale into an integer count of 2^-24 units, rounding half to even
			return (short) (sign | (int) Math.rint(abs * 0x1p24f));
		}
		int e = ((bits >>> 23) & 0xff) - 112;
		int m = bits & 0x7fffff;
		int half = (e << 10) | (m >>> 13);
		int rest = m & 0x1fff;
		if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
			half++;
		}
		return (short) (sign | half);
	}

	/** Rounds a float32 to bfloat16 (round to nearest even, NaN kept as NaN). */
	public static short floatToBf16(float value) {
		int bits = Float.floatToRawIntBits(value);
		if (Float.isNaN(value)) {
			return (short) ((bits >>> 16) | 0x40);
		}
		int rounding = 0x7fff + ((bits >>> 16) & 1);
		return (short) ((bits + rounding) >>> 16);
	}
}
