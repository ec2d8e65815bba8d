package dev.lumen.engine.kernel;

import org.slf4j.LoggerFactory;

/** Chooses the kernels once per JVM. */
final class KernelSelection {

	static final CpuKernels BEST = choose();

	private KernelSelection() {
	}

	private static CpuKernels choose() {
		boolean wanted = !"false".equalsIgnoreCase(System.getProperty("lumen.engine.simd", "true"));
		boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
		if (wanted && present) {
			try {
				// loaded by name: the class links against jdk.incubator.vector, which only exists when the
				// JVM was started with --add-modules jdk.incubator.vector
				return (CpuKernels) Class.forName("dev.lumen.engine.kernel.VectorKernels").getDeclaredConstructor().newInstance();
			}
			catch (ReflectiveOperationException | LinkageError ex) {
				LoggerFactory.getLogger(KernelSelection.class).warn("Vector API kernels unavailable ({}); using scalar loops", ex.toString());
			}
		}
		else if (wanted) {
			LoggerFactory.getLogger(KernelSelection.class).info(
					"plain-Java inference runs scalar loops; start the JVM with --add-modules jdk.incubator.vector for SIMD");
		}
		return ScalarKernels.INSTANCE;
	}
}
