package dev.lumen.feature;

import dev.lumen.display.ActivationFormat;

import java.util.List;

/**
 * An example ready to show: tokens with their activation, the strongest one marked, and which tokens lie in
 * the window around it that is shown before the line is expanded.
 * @param id stable anchor, e.g. {@code top-3} or {@code interval-7-2}
 * @param maxActivation the largest activation in the line
 * @param tokens every token of the context, shape [pos]
 * @param hiddenBefore tokens before the window (shown only when expanded)
 * @param hiddenAfter tokens after the window
 */
public record ExampleLine(String id, String kind, int intervalIndex, int rank, String corpus, int docIndex,
		int startPos, float maxActivation, List<TokenCell> tokens, int hiddenBefore, int hiddenAfter) {

	/** @return the tokens before the strongest one */
	public List<TokenCell> before() {
		return this.tokens.subList(0, maxIndex());
	}

	/** @return the strongest token */
	public TokenCell strongest() {
		return this.tokens.get(maxIndex());
	}

	/** @return the tokens after the strongest one */
	public List<TokenCell> after() {
		return this.tokens.subList(maxIndex() + 1, this.tokens.size());
	}

	private int maxIndex() {
		for (int i = 0; i < this.tokens.size(); i++) {
			if (this.tokens.get(i).max()) {
				return i;
			}
		}
		return 0;
	}

	/** @return the line's max activation for display */
	public String shownMax() {
		return ActivationFormat.format(this.maxActivation);
	}

	/** @return {@link #before()} as HTML spans, token text escaped */
	public String beforeHtml() {
		return TokenHtml.spans(before());
	}

	/** @return {@link #strongest()} as an HTML span, token text escaped */
	public String strongestHtml() {
		return TokenHtml.span(strongest());
	}

	/** @return {@link #after()} as HTML spans, token text escaped */
	public String afterHtml() {
		return TokenHtml.spans(after());
	}

	/** @return whether expanding shows more than the window */
	public boolean expandable() {
		return this.hiddenBefore > 0 || this.hiddenAfter > 0;
	}

	/**
	 * One token of an example line.
	 * @param text the token made visible ({@link TokenDisplay}), unescaped
	 * @param activation the feature's activation on the token
	 * @param level activation relative to the feature's max, 0..1, drives the colour
	 * @param max whether this is the line's strongest token
	 * @param inWindow whether the token is shown before the line is expanded
	 */
	public record TokenCell(String text, float activation, double level, boolean max, boolean inWindow) {

		/** @return whether the feature fires on this token */
		public boolean active() {
			return this.activation > 0;
		}

		/** @return CSS classes: {@code on} when active, {@code max} for the strongest, {@code out} outside the window */
		public String cssClass() {
			String c = this.activation > 0 ? "tok on" : "tok";
			if (this.max) {
				c += " max";
			}
			return this.inWindow ? c : c + " out";
		}

		/** @return the inline style that colours the token (a number, never text from the corpus) */
		public String style() {
			return this.activation > 0 ? "--a:" + Math.round(this.level * 100) / 100.0 : null;
		}

		/** @return the activation to 3 significant decimals for display */
		public String shown() {
			return ActivationFormat.format(this.activation);
		}
	}
}
