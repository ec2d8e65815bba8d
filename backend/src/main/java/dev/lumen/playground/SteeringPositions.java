package dev.lumen.playground;

/** Which positions a steering hook changes. */
public enum SteeringPositions {
	/** every position, the prompt included (as in "Scaling Monosemanticity") */
	ALL,
	/** only the positions of generated tokens; the prompt is processed unchanged */
	GENERATED
}
