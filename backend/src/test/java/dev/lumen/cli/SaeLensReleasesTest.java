package dev.lumen.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** SAELens release names resolve offline, through the vendored pretrained_saes.yaml, as SAELens resolves them. */
class SaeLensReleasesTest {

	private final SaeLensReleases releases = SaeLensReleases.load();

	@Test
	void gpt2SmallResJbResolvesToItsRepositoryAndFolderWithItsConfigOverrides() {
		SaeLensReleases.Resolved r = this.releases.resolve("gpt2-small-res-jb", "blocks.8.hook_resid_pre");
		assertThat(r.repoId()).isEqualTo("jbloom/GPT2-Small-SAEs-Reformatted");
		assertThat(r.path()).isEqualTo("blocks.8.hook_resid_pre");
		assertThat(r.model()).isEqualTo("gpt2-small");
		assertThat(r.overrides()).containsEntry("model_from_pretrained_kwargs", java.util.Map.of("center_writing_weights", true));
		assertThat(r.gemmaScope()).isFalse();
	}

	@Test
	void anUnknownIdListsTheReleasesIdsAsSaeLensDoes() {
		assertThatThrownBy(() -> this.releases.resolve("gpt2-small-res-jb", "blocks.99.hook_resid_pre"))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageStartingWith("ID blocks.99.hook_resid_pre not found in release gpt2-small-res-jb. Valid IDs are "
					+ "blocks.0.hook_resid_pre, blocks.1.hook_resid_pre");
	}

	@Test
	void anUnknownReleaseSuggestsSimilarNames() {
		assertThatThrownBy(() -> this.releases.resolve("gpt2-small-res", "x")).hasMessageContaining(
				"unknown SAELens release 'gpt2-small-res'").hasMessageContaining("gpt2-small-res-jb");
	}

	@Test
	void gemmaScopeReleasesResolveToTheirParamsNpzFolder() {
		SaeLensReleases.Resolved r = this.releases.resolve("gemma-scope-2b-pt-res-canonical", "layer_0/width_16k/canonical");
		assertThat(r.gemmaScope()).isTrue();
		assertThat(r.repoId()).isEqualTo("google/gemma-scope-2b-pt-res");
		assertThat(r.path()).isEqualTo("layer_0/width_16k/average_l0_105");
	}

	@Test
	void releasesInAnotherFileFormatAreRefusedNamingTheConversion() {
		// Llama Scope ships its own layout, which SAELens converts with llama_scope
		String release = this.releases.releaseWithConversion("llama_scope");
		assertThatThrownBy(() -> this.releases.resolve(release, "x"))
			.hasMessageContaining("release '" + release + "' stores its SAEs in another format")
			.hasMessageContaining("'llama_scope'");
	}

	@Test
	void pullSaeWithAReleaseNameNeedsAnSaeId() {
		java.io.StringWriter err = new java.io.StringWriter();
		picocli.CommandLine cli = dev.lumen.LumenMain.commandLine();
		cli.setErr(new java.io.PrintWriter(err));
		assertThat(cli.execute("pull-sae", "gpt2-small-res-jb")).isEqualTo(1);
		assertThat(err.toString()).contains("give the SAE with --sae-id ID");
	}
}
