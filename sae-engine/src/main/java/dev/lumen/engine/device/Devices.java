package dev.lumen.engine.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** Parses the {@code --device cpu|cuda|cuda:N|auto} option into a DJL device. */
public final class Devices {

	private Devices() {
	}

	/**
	 * Resolves a device name.
	 * @param name {@code cpu}, {@code cuda} (GPU 0), {@code cuda:N}, or {@code auto} (GPU 0 when the engine sees
	 * one, else CPU)
	 * @return the device
	 * @throws IllegalArgumentException for another name, or {@code cuda} when no GPU is visible (the CPU-only
	 * PyTorch native library sees none)
	 */
	public static Device parse(String name) {
		String n = name.trim().toLowerCase(Locale.ROOT);
		if (n.equals("cpu")) {
			return Device.cpu();
		}
		if (n.equals("auto")) {
			return gpuCount() > 0 ? Device.gpu(0) : Device.cpu();
		}
		if (n.equals("cuda") || n.equals("gpu") || n.matches("(cuda|gpu):\\d+")) {
			int index = n.contains(":") ? Integer.parseInt(n.substring(n.indexOf(':') + 1)) : 0;
			int count = gpuCount();
			if (index >= count) {
				throw new IllegalArgumentException("--device " + name + ": " + (count == 0
						? "no CUDA GPU is visible to PyTorch (CPU-only native library or no driver); use --device cpu"
						: "only " + count + " GPU(s) are visible"));
			}
			return Device.gpu(index);
		}
		throw new IllegalArgumentException("unknown device '" + name + "'; valid: cpu, cuda, cuda:N, auto");
	}

	/** @return GPUs the DJL engine can use (0 on the CPU-only build) */
	public static int gpuCount() {
		return Engine.getInstance().getGpuCount();
	}
}
