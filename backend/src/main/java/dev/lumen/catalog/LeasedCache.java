package dev.lumen.catalog;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A bounded cache of expensive native objects (models, SAEs) handed out as reference-counted leases. When more than
 * {@code capacity} are loaded the least recently used is evicted, but an evicted object is only closed once its last
 * lease is closed: a thread still running a model never sees it freed under it (no native use-after-free). Asking
 * for an evicted object that is still leased takes it back instead of loading a second copy.
 * @param <T> what is cached
 */
public final class LeasedCache<T extends AutoCloseable> {

	private final int capacity;

	private final Function<String, T> loader;

	/** key → entry, in access order (LRU first); every entry here may be handed out */
	private final LinkedHashMap<String, Entry<T>> live = new LinkedHashMap<>(8, 0.75f, true);

	/** evicted entries still leased: closed when their last lease closes */
	private final Map<String, Entry<T>> retiring = new LinkedHashMap<>();

	private boolean closed;

	/**
	 * @param capacity objects kept loaded when nobody holds them
	 * @param loader loads the object for a key; its exceptions reach the caller of {@link #lease}
	 */
	LeasedCache(int capacity, Function<String, T> loader) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
		}
		this.capacity = capacity;
		this.loader = loader;
	}

	/** @return a lease on the object for {@code key}, loading it when needed; close the lease when done */
	synchronized Lease<T> lease(String key) {
		if (this.closed) {
			throw new IllegalStateException("the model cache is closed (the server is stopping)");
		}
		Entry<T> entry = this.live.get(key);
		if (entry == null) {
			entry = this.retiring.remove(key);
			if (entry == null) {
				entry = new Entry<>(key, this.loader.apply(key));
			}
			this.live.put(key, entry);
			evictBeyondCapacity(entry);
		}
		entry.leases++;
		return new Lease<>(this, entry);
	}

	private void evictBeyondCapacity(Entry<T> keep) {
		Iterator<Entry<T>> lru = this.live.values().iterator();
		while (this.live.size() > this.capacity && lru.hasNext()) {
			Entry<T> oldest = lru.next();
			if (oldest == keep) {
				continue;
			}
			lru.remove();
			if (oldest.leases == 0) {
				closeQuietly(oldest);
			}
			else {
				this.retiring.put(oldest.key, oldest);
			}
		}
	}

	private synchronized void release(Entry<T> entry) {
		entry.leases--;
		if (entry.leases == 0 && (this.retiring.remove(entry.key, entry) || this.closed)) {
			closeQuietly(entry);
		}
	}

	/** Closes everything not leased now, and the rest when their leases close. */
	synchronized void close() {
		this.closed = true;
		for (Entry<T> entry : this.live.values()) {
			if (entry.leases == 0) {
				closeQuietly(entry);
			}
		}
		this.live.clear();
	}

	/** @return keys loaded and not evicted, least recently used first */
	synchronized java.util.List<String> liveKeys() {
		return java.util.List.copyOf(this.live.keySet());
	}

	private static void closeQuietly(Entry<? extends AutoCloseable> entry) {
		try {
			entry.value.close();
		}
		catch (Exception ex) {
			// closing frees native memory; a failure there leaves nothing for the caller to do
		}
	}

	private static final class Entry<T extends AutoCloseable> {

		final String key;

		final T value;

		int leases;

		Entry(String key, T value) {
			this.key = key;
			this.value = value;
		}
	}

	/**
	 * A hold on a cached object: while it is open, the object is not closed, even when evicted.
	 * @param <T> what is held
	 */
	public static final class Lease<T extends AutoCloseable> implements AutoCloseable {

		private final LeasedCache<T> cache;

		private final Entry<T> entry;

		private boolean released;

		Lease(LeasedCache<T> cache, Entry<T> entry) {
			this.cache = cache;
			this.entry = entry;
		}

		/** @return the object; valid until this lease is closed */
		public T get() {
			if (this.released) {
				throw new IllegalStateException("lease on " + this.entry.key + " already closed");
			}
			return this.entry.value;
		}

		@Override
		public synchronized void close() {
			if (!this.released) {
				this.released = true;
				this.cache.release(this.entry);
			}
		}
	}
}
