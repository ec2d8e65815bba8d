package dev.lumen.engine.hub;

/**
 * What the hub says about a file before it is downloaded.
 * @param etag checksum: sha256 hex for LFS files, git blob sha1 otherwise (null if absent)
 * @param lfs true when the etag came from {@code X-Linked-Etag} (an LFS sha256)
 * @param size bytes, or -1 when unknown
 */
record RemoteFile(String etag, boolean lfs, long size) {
}
