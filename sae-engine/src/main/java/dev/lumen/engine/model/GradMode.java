package dev.lumen.engine.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns PyTorch's (thread-local) autograd recording off for an inference call and restores the previous
 * mode after, so a forward pass inside someone's GradientCollector neither records a graph nor disables theirs.
 */
final class GradMode implements AutoCloseable {

	private final boolean previous;

	private final boolean pytorch;

	private GradMode() {
		this.pytorch = "PyTorch".equals(Engine.getInstance().getEngineName());
		this.previous = this.pytorch && JniUtils.isGradMode();
		if (this.previous) {
			JniUtils.setGradMode(false);
		}
	}

	static GradMode off() {
		return new GradMode();
	}

	@Override
	public void close() {
		if (this.previous) {
			JniUtils.setGradMode(true);
		}
	}
}
