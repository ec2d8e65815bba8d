package dev.lumen.extraction;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the {@code spark/} module's build output is: its submit jar and the classpath file the build writes for
 * local runs. Looked up from the working directory (the repository root for {@code ./lumen}, a module directory in
 * tests) or {@code -Dlumen.spark.dir}.
 */
final class SparkModuleFiles {

	private SparkModuleFiles() {
	}

	static Path moduleDir() {
		String configured = System.getProperty("lumen.spark.dir");
		List<Path> candidates = configured != null ? List.of(Path.of(configured))
				: List.of(Path.of("spark"), Path.of("..", "spark"));
		for (Path dir : candidates) {
			if (Files.isRegularFile(dir.resolve("target/lumen-spark.classpath"))) {
				return dir.toAbsolutePath().normalize();
			}
		}
		throw new IllegalStateException("the Spark module is not built: run ./mvnw -pl spark -am package -DskipTests "
				+ "(looked for spark/target/lumen-spark.classpath; set -Dlumen.spark.dir to its module directory)");
	}

	/** The module's classes, then Spark, the engine and the statistics module from the build's classpath file. */
	static String localClasspath() {
		Path dir = moduleDir();
		try {
			return dir.resolve("target/classes") + java.io.File.pathSeparator
					+ Files.readString(dir.resolve("target/lumen-spark.classpath")).trim();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + dir.resolve("target/lumen-spark.classpath"), ex);
		}
	}

	/** The shaded jar for spark-submit (everything but Spark and the native PyTorch libraries). */
	static Path submitJar() {
		Path jar = moduleDir().resolve("target/lumen-spark.jar");
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(jar + " is missing: run ./mvnw -pl spark -am package -DskipTests");
		}
		return jar;
	}
}
