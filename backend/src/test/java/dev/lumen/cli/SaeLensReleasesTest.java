package dev.lumen.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** SAELens release names resolve offline, through the vendored pretrained_saes.yaml, as SAELens resolves them. */
class SaeLensReleasesTest {

	private final SaeLensReleases releases = SaeLensReleases.load();

	@Test
	void gpt2SmallResJbResolvesToItsRepositoryAndFolderWithTheCentringNote() {
		SaeLensReleases.Resolved r = this.releases.resolve("gpt2-small-res-jb", "blocks.8.hook_resid_pre");
		assertThat(r.repoId()).isEqualTo("jbloom/GPT2-Small-SAEs-Reformatted");
		assertThat(r.path()).isEqualTo("blocks.8.hook_resid_pre");
		assertThat(r.model()).isEqualTo("gpt2-small");
		assertThat(r.notes()).singleElement().asString().contains("center_writing_weights=true");
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
	void releasesInAnotherFileFormatAreRefusedNamingTheConversion() {
		// Gemma Scope ships params.npz, which SAELens converts with gemma_2
		assertThatThrownBy(() -> this.releases.resolve("gemma-scope-2b-pt-res-canonical", "layer_0/width_16k/canonical"))
			.hasMessageContaining("release 'gemma-scope-2b-pt-res-canonical' stores its SAEs in another format")
			.hasMessageContaining("'gemma_2'");
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
