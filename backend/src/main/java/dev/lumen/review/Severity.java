package dev.lumen.review;

/** How much a flagged feature matters, lowest first. */
public enum Severity {

	LOW, MEDIUM, HIGH, CRITICAL
}
