package dev.lumen.cli;

import java.io.PrintStream;

/** A one-line progress bar for terminals: redrawn in place, at most a few times a second. */
public final class ProgressBar {

	private static final int WIDTH = 30;

	private final PrintStream out;

	private long lastDraw;

	public ProgressBar(PrintStream out) {
		this.out = out;
	}

	/** Redraws with the fraction done and a status text; always draws when {@code force}. */
	public void draw(double fraction, String status, boolean force) {
		long now = System.nanoTime();
		if (!force && now - this.lastDraw < 200_000_000L) {
			return;
		}
		this.lastDraw = now;
		int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * WIDTH);
		this.out.print("\r[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
				+ String.format("%5.1f%% ", fraction * 100) + status + "\u001b[K");
		this.out.flush();
	}

	/** Ends the bar's line. */
	public void finish() {
		this.out.println();
	}

	/** @return seconds as {@code 1h02m}, {@code 3m05s} or {@code 42s} */
	public static String duration(double seconds) {
		if (seconds < 0 || Double.isNaN(seconds)) {
			return "?";
		}
		long s = Math.round(seconds);
		if (s >= 3600) {
			return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
		}
		return s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
	}
}
