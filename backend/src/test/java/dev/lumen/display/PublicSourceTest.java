package dev.lumen.display;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PublicSourceTest {

	@Test
	void localPathsShowOnlyTheirLastElementAndHubReferencesStay() {
		assertThat(PublicSource.of("/home/alice/work/saes/tinystories-sae/")).isEqualTo("local: tinystories-sae");
		assertThat(PublicSource.of("C:\\\\Users\\\\bob\\\\sae")).isEqualTo("local: sae");
		assertThat(PublicSource.of("hf:jbloom/GPT2-Small-SAEs@main:blocks.8")).isEqualTo("hf:jbloom/GPT2-Small-SAEs@main:blocks.8");
		assertThat(PublicSource.of(null)).isEqualTo("unknown");
	}
}
