package dev.lumen.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files shipped in the repository (demo model, corpus, SAE), found from any module's working directory. */
public final class RepoFiles {

	/** The demo model in llama2.c format. */
	public static final Path DEMO_MODEL = root().resolve("demo/models/tinystories-1m/model.bin");

	/** The held-out TinyStories text (310 stories). */
	public static final Path HELDOUT_CORPUS = root().resolve("demo/corpus/tinystories-heldout.txt");

	private RepoFiles() {
	}

	/** @return the nearest ancestor of the working directory that holds {@code demo/models} */
	public static Path root() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !Files.isDirectory(dir.resolve("demo/models"))) {
			dir = dir.getParent();
		}
		if (dir == null) {
			throw new IllegalStateException("no demo/models above " + Path.of("").toAbsolutePath());
		}
		return dir;
	}
}
