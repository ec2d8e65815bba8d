package dev.lumen.engine.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates assets shipped in the repository (demo models, corpus) from any module's working directory. */
public final class RepoAssets {

	private RepoAssets() {
	}

	/** @return the repository root: the nearest ancestor of the working directory that holds {@code demo/models} */
	public static Path root() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null) {
			if (Files.isDirectory(dir.resolve("demo/models"))) {
				return dir;
			}
			dir = dir.getParent();
		}
		throw new IllegalStateException("cannot find the repository root (a folder with demo/models) above "
				+ Path.of("").toAbsolutePath());
	}

	/** @return a path under {@code demo/models} */
	public static Path model(String relative) {
		return root().resolve("demo/models").resolve(relative);
	}

	/** @return a path under {@code demo/corpus} */
	public static Path corpus(String relative) {
		return root().resolve("demo/corpus").resolve(relative);
	}
}
