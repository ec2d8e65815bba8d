package dev.lumen.extraction;

/** Builds PostgreSQL COPY text-format rows: tab-separated fields, escaped text, array literals. */
final class CopyText {

	private final StringBuilder out = new StringBuilder(1 << 16);

	private boolean rowStarted;

	CopyText field(long v) {
		sep();
		this.out.append(v);
		return this;
	}

	CopyText field(float v) {
		sep();
		this.out.append(Float.isFinite(v) ? Float.toString(v) : "NaN");
		return this;
	}

	CopyText nullField() {
		sep();
		this.out.append("\\N");
		return this;
	}

	/** Text with COPY's escapes; NUL (which PostgreSQL text cannot hold) becomes U+FFFD. */
	CopyText field(String s) {
		sep();
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
				case '\\' -> this.out.append("\\\\");
				case '\t' -> this.out.append("\\t");
				case '\n' -> this.out.append("\\n");
				case '\r' -> this.out.append("\\r");
				case '\0' -> this.out.append('\uFFFD');
				default -> this.out.append(c);
			}
		}
		return this;
	}

	CopyText intArray(int[] a) {
		return integerArray(a.length, i -> a[i]);
	}

	CopyText longArray(long[] a) {
		return integerArray(a.length, i -> a[i]);
	}

	/** An array literal {@code {1,2,3}} of {@code n} integers. */
	private CopyText integerArray(int n, java.util.function.IntToLongFunction element) {
		sep();
		this.out.append('{');
		for (int i = 0; i < n; i++) {
			if (i > 0) {
				this.out.append(',');
			}
			this.out.append(element.applyAsLong(i));
		}
		this.out.append('}');
		return this;
	}

	CopyText floatArray(float[] a, int length) {
		sep();
		this.out.append('{');
		for (int i = 0; i < length; i++) {
			if (i > 0) {
				this.out.append(',');
			}
			float v = a[i];
			if (v == 0f) {
				this.out.append('0'); // most per-token activations are zero: keep the text short
			}
			else {
				this.out.append(v);
			}
		}
		this.out.append('}');
		return this;
	}

	void clear() {
		this.out.setLength(0);
		this.rowStarted = false;
	}

	CopyText endRow() {
		this.out.append('\n');
		this.rowStarted = false;
		return this;
	}

	private void sep() {
		if (this.rowStarted) {
			this.out.append('\t');
		}
		this.rowStarted = true;
	}

	int length() {
		return this.out.length();
	}

	@Override
	public String toString() {
		return this.out.toString();
	}
}
