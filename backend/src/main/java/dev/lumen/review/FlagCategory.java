package dev.lumen.review;

/** What kind of safety concern a flag raises; the paper's examples plus "other". */
public enum FlagCategory {

	UNSAFE_CODE("Unsafe code / security vulnerabilities"),
	BIAS("Bias"),
	SYCOPHANCY("Sycophancy"),
	DECEPTION("Deception"),
	POWER_SEEKING("Power-seeking"),
	DANGEROUS_CONTENT("Dangerous or CBRN content"),
	OTHER("Other");

	private final String title;

	FlagCategory(String title) {
		this.title = title;
	}

	/** @return the name shown to people */
	public String title() {
		return this.title;
	}
}
