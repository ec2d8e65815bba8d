package dev.lumen.engine.sae;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The SAE activation functions Lumen reads and writes, named as in SAELens' {@code architecture} field. */
public enum SaeArchitecture {

	/** ReLU after the encoder (SAELens {@code standard}). */
	STANDARD("standard"),

	/** ReLU gated by a learned per-feature threshold (SAELens {@code jumprelu}). */
	JUMPRELU("jumprelu"),

	/** Keeps the {@code k} largest pre-activations of each token (SAELens {@code topk}). */
	TOPK("topk"),

	/**
	 * BatchTopK (SAELens {@code batchtopk}, also {@code matryoshka_batchtopk}): at inference a JumpReLU with the
	 * threshold training learned, see {@link BatchTopKSae}.
	 */
	BATCHTOPK("batchtopk");

	private final String id;

	SaeArchitecture(String id) {
		this.id = id;
	}

	/** @return the name written in {@code cfg.json} */
	public String id() {
		return this.id;
	}

	/** @return true when the weights file must hold a {@code threshold} tensor */
	public boolean hasThreshold() {
		return this == JUMPRELU || this == BATCHTOPK;
	}

	/** @return true when the config must give {@code k} */
	public boolean needsK() {
		return this == TOPK;
	}

	/**
	 * Parses a {@code cfg.json} architecture name.
	 * @throws IllegalArgumentException listing the valid names when {@code id} is unknown
	 */
	public static SaeArchitecture fromId(String id) {
		String wanted = id.toLowerCase(Locale.ROOT);
		for (SaeArchitecture a : values()) {
			if (a.id.equals(wanted)) {
				return a;
			}
		}
		throw new IllegalArgumentException("unknown SAE architecture '" + id + "'; valid: "
				+ Arrays.stream(values()).map(SaeArchitecture::id).collect(Collectors.joining(", ")));
	}
}
