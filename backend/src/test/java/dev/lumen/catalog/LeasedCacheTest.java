package dev.lumen.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeasedCacheTest {

	/** Stands in for a model: records when it is loaded and closed. */
	static final class Native implements AutoCloseable {

		final String name;

		boolean closed;

		Native(String name) {
			this.name = name;
		}

		@Override
		public void close() {
			this.closed = true;
		}
	}

	final List<Native> loaded = new ArrayList<>();

	LeasedCache<Native> cache(int capacity) {
		return new LeasedCache<>(capacity, key -> {
			Native n = new Native(key);
			this.loaded.add(n);
			return n;
		});
	}

	@Test
	void anEvictedObjectStaysOpenUntilItsLastLeaseCloses() {
		LeasedCache<Native> cache = cache(1);
		LeasedCache.Lease<Native> running = cache.lease("a");
		Native a = running.get();
		cache.lease("b").close(); // evicts a while it is still running
		assertThat(cache.liveKeys()).containsExactly("b");
		assertThat(a.closed).as("closed under a running caller").isFalse();
		running.close();
		assertThat(a.closed).isTrue();
	}

	@Test
	void anUnleasedObjectIsClosedWhenEvictedAndTheMostRecentlyUsedStays() {
		LeasedCache<Native> cache = cache(2);
		cache.lease("a").close();
		cache.lease("b").close();
		cache.lease("a").close(); // a is now the most recently used
		cache.lease("c").close();
		assertThat(cache.liveKeys()).containsExactly("a", "c");
		assertThat(this.loaded).filteredOn(n -> n.name.equals("b")).allMatch(n -> n.closed);
		assertThat(this.loaded).filteredOn(n -> !n.name.equals("b")).noneMatch(n -> n.closed);
	}

	@Test
	void askingForAnEvictedButLeasedObjectTakesItBackInsteadOfLoadingASecondCopy() {
		LeasedCache<Native> cache = cache(1);
		LeasedCache.Lease<Native> first = cache.lease("a");
		cache.lease("b").close();
		LeasedCache.Lease<Native> again = cache.lease("a");
		assertThat(again.get()).isSameAs(first.get());
		first.close();
		assertThat(again.get().closed).isFalse();
		again.close();
		assertThat(this.loaded).extracting(n -> n.name).containsExactly("a", "b");
	}

	@Test
	void closingTheCacheWaitsForRunningLeasesAndAClosedLeaseCannotBeUsed() {
		LeasedCache<Native> cache = cache(2);
		LeasedCache.Lease<Native> running = cache.lease("a");
		cache.lease("b").close();
		cache.close();
		assertThat(this.loaded.get(1).closed).isTrue();
		assertThat(running.get().closed).isFalse();
		running.close();
		running.close(); // twice is harmless
		assertThat(this.loaded.get(0).closed).isTrue();
		org.assertj.core.api.Assertions.assertThatThrownBy(running::get).isInstanceOf(IllegalStateException.class);
	}
}
