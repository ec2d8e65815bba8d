package dev.lumen.engine.generate;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.lumen.engine.model.HookNames;
import dev.lumen.engine.model.HookSpec;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.testing.ReferenceLogits;
import dev.lumen.engine.testing.RepoAssets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GeneratorTest {

	private static LanguageModel model;

	private static Generator generator;

	@BeforeAll
	static void load() {
		model = LanguageModel.load(RepoAssets.model("tinystories-1m/model.bin"), Device.cpu());
		generator = new Generator(model);
	}

	@AfterAll
	static void close() {
		model.close();
	}

	private static int[] prompt(String text) {
		return model.tokenizer().encode(text, true);
	}

	@Test
	void greedyGenerationReproducesRunCAndStreamsTheSameText() {
		ReferenceLogits ref = ReferenceLogits.load("tinystories-1m-1.json");
		int[] expected = ref.greedyTokens();
		StringBuilder streamed = new StringBuilder();
		List<Integer> ids = new ArrayList<>();
		GenerationResult r = generator.generate(prompt("Once upon a time"),
				GenerationOptions.greedy(20).withStopAtEos(false), (id, text) -> {
					ids.add(id);
					streamed.append(text);
				});
		assertThat(r.tokens()).containsExactly(expected);
		assertThat(ids).containsExactly(java.util.Arrays.stream(expected).boxed().toArray(Integer[]::new));
		assertThat(r.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
		assertThat(streamed.toString()).isEqualTo(r.text());
		assertThat("Once upon a time" + r.text()).isEqualTo(model.tokenizer().decode(concat(prompt("Once upon a time"), expected)));
		assertThat(r.text()).startsWith(", there was a little girl named Lily.");
	}

	@Test
	void sameSeedGivesSameTokensAndOtherSeedsDiffer() {
		GenerationOptions options = GenerationOptions.sampling(40, 1.0f, 0.95f, 42).withStopAtEos(false);
		int[] first = generator.generate(prompt("The cat"), options, TokenListener.NONE).tokens();
		int[] again = generator.generate(prompt("The cat"), options, TokenListener.NONE).tokens();
		assertThat(again).containsExactly(first);
		boolean anyDiffers = false;
		for (long seed = 1; seed <= 3; seed++) {
			GenerationOptions other = GenerationOptions.sampling(40, 1.0f, 0.95f, seed).withStopAtEos(false);
			anyDiffers |= !java.util.Arrays.equals(first, generator.generate(prompt("The cat"), other, TokenListener.NONE).tokens());
		}
		assertThat(anyDiffers).isTrue();
	}

	@Test
	void generationsAdvancedInTurnEqualSeparateRuns() {
		GenerationOptions sampled = GenerationOptions.sampling(30, 1.0f, 0.9f, 7).withStopAtEos(false);
		GenerationOptions shorter = GenerationOptions.greedy(12).withStopAtEos(false);
		GenerationResult aAlone = generator.generate(prompt("The cat"), sampled, TokenListener.NONE);
		GenerationResult bAlone = generator.generate(prompt("A big dog"), shorter, TokenListener.NONE);
		java.util.List<String> order = new java.util.ArrayList<>();
		CancellationSignal never = new CancellationSignal();
		try (Generator.Generation a = generator.start(prompt("The cat"), sampled, java.util.List.of(), (id, t) -> order.add("a"), never);
				Generator.Generation b = generator.start(prompt("A big dog"), shorter, java.util.List.of(), (id, t) -> order.add("b"), never)) {
			boolean aRuns = true;
			boolean bRuns = true;
			while (aRuns || bRuns) {
				aRuns = aRuns && a.advance();
				bRuns = bRuns && b.advance();
			}
			assertThat(a.result().tokens()).containsExactly(aAlone.tokens());
			assertThat(a.result().text()).isEqualTo(aAlone.text());
			assertThat(b.result().tokens()).containsExactly(bAlone.tokens());
			assertThat(b.result().stopReason()).isEqualTo(StopReason.MAX_TOKENS);
			assertThat(a.advance()).isFalse();
		}
		assertThat(order.subList(0, 4)).containsExactly("a", "b", "a", "b");
		assertThat(order).hasSize(42);
	}

	@Test
	void topKOfOneSamplesTheGreedyPath() {
		int[] greedy = generator.generate(prompt("The cat"), GenerationOptions.greedy(15).withStopAtEos(false),
				TokenListener.NONE).tokens();
		int[] topOne = generator.generate(prompt("The cat"),
				GenerationOptions.sampling(15, 1.5f, 1f, 7).withTopK(1).withStopAtEos(false), TokenListener.NONE).tokens();
		assertThat(topOne).containsExactly(greedy);
	}

	@Test
	void stopTokensEndGenerationWithoutEmittingThem() {
		int[] greedy = generator.generate(prompt("Once upon a time"), GenerationOptions.greedy(20).withStopAtEos(false),
				TokenListener.NONE).tokens();
		int stop = greedy[5];
		GenerationResult r = generator.generate(prompt("Once upon a time"),
				GenerationOptions.greedy(20).withStopTokens(Set.of(stop)), TokenListener.NONE);
		assertThat(r.stopReason()).isEqualTo(StopReason.STOP_TOKEN);
		assertThat(r.tokens()).containsExactly(java.util.Arrays.copyOf(greedy, 5));
	}

	@Test
	void cancellingFromTheListenerStopsBeforeTheNextStep() {
		CancellationSignal cancel = new CancellationSignal();
		AtomicInteger seen = new AtomicInteger();
		GenerationResult r = generator.generate(prompt("The cat"), GenerationOptions.greedy(50).withStopAtEos(false),
				List.of(), (id, text) -> {
					if (seen.incrementAndGet() == 3) {
						cancel.cancel();
					}
				}, cancel);
		assertThat(r.tokens()).hasSize(3);
		assertThat(r.stopReason()).isEqualTo(StopReason.CANCELLED);
	}

	@Test
	void hooksSteerCachedGenerationExactlyAsInAFullForward() {
		// zero-ablate block 1's MLP at every position
		HookSpec ablate = new HookSpec(HookNames.mlpOut(1), (x, name) -> x.zerosLike());
		int[] start = prompt("Lily and Tom");
		int[] hooked = generator.generate(start, GenerationOptions.greedy(12).withStopAtEos(false), List.of(ablate),
				TokenListener.NONE).tokens();
		int[] plain = generator.generate(start, GenerationOptions.greedy(12).withStopAtEos(false), TokenListener.NONE)
			.tokens();
		assertThat(hooked).isNotEqualTo(plain);
		// reference: no KV cache, the whole sequence through runWithHooks at every step
		int[] seq = start;
		try (NDManager m = NDManager.newBaseManager()) {
			for (int i = 0; i < 12; i++) {
				NDArray logits = model.runWithHooks(m.create(seq, new Shape(1, seq.length)), List.of(ablate));
				int next = (int) logits.get(new NDIndex("0, -1, :")).argMax().getLong();
				seq = concat(seq, new int[] { next });
			}
		}
		assertThat(hooked).containsExactly(java.util.Arrays.copyOfRange(seq, start.length, seq.length));
	}

	private static int[] concat(int[] a, int[] b) {
		int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}
}
