package dev.lumen.interop;

import java.nio.file.Path;

/** The interop fixtures under {@code src/test/resources/interop} (README.md there). */
final class InteropFiles {

	static final Path DIR = Path.of("src", "test", "resources", "interop");

	static final Path BATCH = DIR.resolve("saedashboard").resolve("batch-1.json");

	static final Path GPT2_CONFIG = DIR.resolve("gpt2-config.json");

	static final Path RES_JB_0 = DIR.resolve("gpt2-small-res-jb-0");

	static final Path NEURONPEDIA_EXPORT = DIR.resolve("neuronpedia").resolve("gpt2-small").resolve("0-res-jb");

	private InteropFiles() {
	}
}
