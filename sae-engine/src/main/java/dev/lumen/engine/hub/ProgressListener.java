package dev.lumen.engine.hub;

/** Receives download progress; called on the downloading thread, often, so keep it cheap. */
@FunctionalInterface
public interface ProgressListener {

	/** A listener that ignores progress. */
	ProgressListener NONE = (file, done, total) -> {
	};

	/**
	 * @param file the repository path being downloaded
	 * @param bytesDone bytes on disk so far (including a resumed part)
	 * @param bytesTotal the file's size, or -1 when the server does not say
	 */
	void onProgress(String file, long bytesDone, long bytesTotal);
}
