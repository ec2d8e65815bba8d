package dev.lumen.extraction;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Bulk array I/O for checkpoint files (big-endian, as DataOutputStream writes). */
final class Checkpoints {

	private static final int CHUNK = 1 << 16;

	private Checkpoints() {
	}

	static void expect(DataInputStream in, String what, int expected) throws IOException {
		int actual = in.readInt();
		if (actual != expected) {
			throw new IOException("checkpoint " + what + " is " + actual + ", this run needs " + expected);
		}
	}

	static void writeInts(DataOutputStream out, int[] a) throws IOException {
		ByteBuffer buf = ByteBuffer.allocate(CHUNK * 4).order(ByteOrder.BIG_ENDIAN);
		for (int i = 0; i < a.length; i += CHUNK) {
			int n = Math.min(CHUNK, a.length - i);
			buf.clear();
			buf.asIntBuffer().put(a, i, n);
			out.write(buf.array(), 0, n * 4);
		}
	}

	static void readInts(DataInputStream in, int[] a) throws IOException {
		byte[] bytes = new byte[CHUNK * 4];
		for (int i = 0; i < a.length; i += CHUNK) {
			int n = Math.min(CHUNK, a.length - i);
			in.readFully(bytes, 0, n * 4);
			ByteBuffer.wrap(bytes, 0, n * 4).asIntBuffer().get(a, i, n);
		}
	}

	static void writeLongs(DataOutputStream out, long[] a) throws IOException {
		for (long v : a) {
			out.writeLong(v);
		}
	}

	static void readLongs(DataInputStream in, long[] a) throws IOException {
		for (int i = 0; i < a.length; i++) {
			a[i] = in.readLong();
		}
	}

	static void writeFloats(DataOutputStream out, float[] a) throws IOException {
		ByteBuffer buf = ByteBuffer.allocate(CHUNK * 4).order(ByteOrder.BIG_ENDIAN);
		for (int i = 0; i < a.length; i += CHUNK) {
			int n = Math.min(CHUNK, a.length - i);
			buf.clear();
			buf.asFloatBuffer().put(a, i, n);
			out.write(buf.array(), 0, n * 4);
		}
	}

	static void readFloats(DataInputStream in, float[] a) throws IOException {
		byte[] bytes = new byte[CHUNK * 4];
		for (int i = 0; i < a.length; i += CHUNK) {
			int n = Math.min(CHUNK, a.length - i);
			in.readFully(bytes, 0, n * 4);
			ByteBuffer.wrap(bytes, 0, n * 4).asFloatBuffer().get(a, i, n);
		}
	}

	static void writeDoubles(DataOutputStream out, double[] a) throws IOException {
		ByteBuffer buf = ByteBuffer.allocate(CHUNK * 8).order(ByteOrder.BIG_ENDIAN);
		for (int i = 0; i < a.length; i += CHUNK) {
			int n = Math.min(CHUNK, a.length - i);
			buf.clear();
			buf.asDoubleBuffer().put(a, i, n);
			out.write(buf.array(), 0, n * 8);
		}
	}

	static void readDoubles(DataInputStream in, double[] a) throws IOException {
		byte[] bytes = new byte[CHUNK * 8];
		for (int i = 0; i < a.length; i += CHUNK) {
			int n = Math.min(CHUNK, a.length - i);
			in.readFully(bytes, 0, n * 8);
			ByteBuffer.wrap(bytes, 0, n * 8).asDoubleBuffer().get(a, i, n);
		}
	}
}
