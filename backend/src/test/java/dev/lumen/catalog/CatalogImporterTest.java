package dev.lumen.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.testing.RepoFiles;
import org.junit.jupiter.api.Test;

class CatalogImporterTest {

	@Test
	void slugsComeFromFileNamesAndAreUrlSafe() {
		assertThat(CatalogImporter.slug("model.bin")).isEqualTo("model");
		assertThat(CatalogImporter.slug("TinyStories 1M")).isEqualTo("tinystories-1m");
		assertThat(CatalogImporter.slug("blocks.1.hook_resid_post")).isEqualTo("blocks.1.hook_resid_post");
		assertThat(CatalogImporter.slug("../weird/<name>")).isEqualTo("weird-name-");
		assertThatThrownBy(() -> CatalogImporter.slug("!!!")).hasMessageContaining("pass one explicitly");
	}

	@Test
	void namesOfTheAppsOwnPagesAreRefusedForModels() {
		CatalogImporter importer = new CatalogImporter(null, null, null, null);
		try (LanguageModel model = LanguageModel.load(RepoFiles.DEMO_MODEL, Device.cpu())) {
			for (String reserved : new String[] { "review", "api", "search", "admin" }) {
				assertThatThrownBy(() -> importer.importModel(model, reserved)).hasMessageContaining("'" + reserved + "'")
					.hasMessageContaining("choose another --model-name");
			}
		}
	}
}
