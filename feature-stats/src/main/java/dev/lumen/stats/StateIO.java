package dev.lumen.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Binary encoding of partial state: checkpoints on disk and partials shipped between workers. */
final class StateIO {

	private StateIO() {
	}

	static void writeExample(DataOutput out, Example e) throws IOException {
		out.writeInt(e.window());
		out.writeFloat(e.maxActivation());
		out.writeInt(e.maxPosition());
		out.writeDouble(e.key());
		out.writeShort(e.positions().length);
		for (int i = 0; i < e.positions().length; i++) {
			out.writeShort(e.positions()[i]);
			out.writeFloat(e.values()[i]);
		}
	}

	static Example readExample(DataInput in) throws IOException {
		int window = in.readInt();
		float max = in.readFloat();
		int maxPosition = in.readInt();
		double key = in.readDouble();
		int n = in.readShort();
		short[] positions = new short[n];
		float[] values = new float[n];
		for (int i = 0; i < n; i++) {
			positions[i] = in.readShort();
			values[i] = in.readFloat();
		}
		return new Example(window, max, maxPosition, key, positions, values);
	}

	static void writeInts(DataOutput out, int[] a) throws IOException {
		out.writeInt(a.length);
		for (int v : a) {
			out.writeInt(v);
		}
	}

	static int[] readInts(DataInput in) throws IOException {
		int[] a = new int[in.readInt()];
		for (int i = 0; i < a.length; i++) {
			a[i] = in.readInt();
		}
		return a;
	}

	static void writeFloats(DataOutput out, float[] a) throws IOException {
		out.writeInt(a.length);
		for (float v : a) {
			out.writeFloat(v);
		}
	}

	static float[] readFloats(DataInput in) throws IOException {
		float[] a = new float[in.readInt()];
		for (int i = 0; i < a.length; i++) {
			a[i] = in.readFloat();
		}
		return a;
	}

	static void expect(DataInput in, String what, long expected) throws IOException {
		long got = in.readLong();
		if (got != expected) {
			throw new IOException("saved statistics have " + what + " " + got + ", this run has " + expected);
		}
	}

	/** Uniform in [0, 1) from the seed, a feature (or -1 for window-level keys) and a window: SplitMix64. */
	static double sampleKey(long seed, int feature, int window) {
		long z = seed ^ ((long) feature << 32 | (window & 0xffffffffL));
		z += 0x9E3779B97F4A7C15L;
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		z = z ^ (z >>> 31);
		return (z >>> 11) * 0x1.0p-53;
	}
}
