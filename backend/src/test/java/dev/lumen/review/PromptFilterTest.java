package dev.lumen.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PromptFilterTest {

	// 4 prompts × 5 features, [nPrompts][dSae]
	static final float[][] ACTS = {
			{ 0.0f, 2.0f, 0.1f, 5.0f, 1.0f },
			{ 0.0f, 1.5f, 0.0f, 4.0f, 1.0f },
			{ 3.0f, 0.0f, 0.2f, 6.0f, 1.0f },
			{ 0.0f, 0.0f, 0.3f, 0.0f, 1.0f } };

	@Test
	void featuresFiringOnEnoughPromptsAreRankedByPromptsThenMeanActivation() {
		List<PromptFilter.Candidate> picked = new PromptFilter(0.5, 0.0, 1.0, 10).select(ACTS, null, null);
		// feature 0 fires on 1 of 4 prompts only: below half
		assertThat(picked).extracting(c -> c.featureIndex() + ":" + c.prompts() + "/" + c.of())
			.containsExactly("4:4/4", "3:3/4", "2:3/4", "1:2/4");
		assertThat(picked).extracting(PromptFilter.Candidate::meanActivation)
			.containsExactly(1.0, 5.0, ((double) 0.1f + 0.2f + 0.3f) / 3, 1.75);
	}

	@Test
	void weakActivationsRelativeToTheCorpusMaximumDoNotCount() {
		PromptFilter filter = new PromptFilter(0.5, 0.25, 1.0, 10);
		// feature 2 peaks at 0.3 on prompts but 10 on the corpus: below a quarter, never "fires"
		Float[] corpusMax = { 3f, 8f, 10f, 6f, null };
		List<Integer> picked = filter.select(ACTS, corpusMax, null).stream().map(PromptFilter.Candidate::featureIndex).toList();
		assertThat(picked).containsExactly(4, 3);
	}

	@Test
	void denseFeaturesAndTheLimitAreApplied() {
		Float[] density = { null, null, null, 0.4f, 0.01f };
		assertThat(new PromptFilter(0.5, 0.0, 0.05, 2).select(ACTS, null, density))
			.extracting(PromptFilter.Candidate::featureIndex).containsExactly(4, 2);
		assertThat(new PromptFilter(0.5, 0.0, 1.0, 10).select(new float[0][], null, null)).isEmpty();
	}
}
