package dev.lumen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.LumenMain;
import dev.lumen.embedding.LabelEmbeddings;
import dev.lumen.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import picocli.CommandLine;

/** {@code lumen embed-labels}: embeds the newest label of the named SAE's features, and only that SAE's. */
class EmbedLabelsCommandTest {

	private final String modelName = "embed-" + UUID.randomUUID().toString().substring(0, 8);

	private final JdbcTemplate jdbc = jdbc();

	@AfterEach
	void removeModel() {
		this.jdbc.update("DELETE FROM model WHERE name = ?", this.modelName);
	}

	@Test
	void embedsTheNewestLabelOfEveryFeatureOfTheNamedSae() {
		long saeId = sae("one");
		long otherId = sae("two");
		label(saeId, 0, "an old label");
		label(saeId, 0, "dogs and cats");
		label(saeId, 1, "punctuation");
		label(otherId, 0, "left for another run");

		StringWriter err = new StringWriter();
		int exit = run(err, "--model-name", this.modelName, "--sae-name", "one");

		assertThat(exit).as(err.toString()).isZero();
		assertThat(this.jdbc.queryForList("SELECT feature_index FROM label_embedding WHERE sae_id = ? ORDER BY 1",
				Integer.class, saeId)).containsExactly(0, 1);
		assertThat(this.jdbc.queryForObject("SELECT text_hash FROM label_embedding WHERE sae_id = ? AND feature_index = 0",
				byte[].class, saeId)).isEqualTo(LabelEmbeddings.hash("dogs and cats"));
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM label_embedding WHERE sae_id = ?", Integer.class, otherId))
			.isZero();
	}

	@Test
	void aModelWithoutAnSaeIsRefusedInOneLine() {
		StringWriter err = new StringWriter();
		assertThat(run(err, "--model-name", this.modelName)).isEqualTo(1);
		assertThat(err.toString()).contains("give both --model-name and --sae-name, or neither");
	}

	private long sae(String name) {
		this.jdbc.update("INSERT INTO model (name, display_name, source, architecture, d_model, n_layers, vocab_size) "
				+ "VALUES (?, 'm', 'test', 'LlamaForCausalLM', 4, 1, 10) ON CONFLICT (name) DO NOTHING", this.modelName);
		long id = this.jdbc.queryForObject("INSERT INTO sae (model_id, name, hook_name, hook_layer, d_in, d_sae, architecture, "
				+ "source, vector_index) SELECT id, ?, 'blocks.0.hook_resid_post', 0, 4, 2, 'standard', 'test', 'VECTOR' "
				+ "FROM model WHERE name = ? RETURNING id", Long.class, name, this.modelName);
		this.jdbc.update("INSERT INTO feature (sae_id, feature_index) VALUES (?, 0), (?, 1)", id, id);
		this.jdbc.update("INSERT INTO feature_decoder (sae_id, feature_index, decoder) VALUES (?, 0, '[1,0,0,0]'), "
				+ "(?, 1, '[0,1,0,0]')", id, id);
		return id;
	}

	private void label(long saeId, int index, String label) {
		this.jdbc.update("INSERT INTO feature_label (sae_id, feature_index, label, explainer) VALUES (?, ?, ?, 'test')",
				saeId, index, label);
	}

	private static int run(StringWriter err, String... options) {
		TestDatabase.Target db = TestDatabase.target();
		CommandLine cli = LumenMain.commandLine();
		cli.setErr(new PrintWriter(err, true));
		java.util.List<String> args = new java.util.ArrayList<>();
		args.add("embed-labels");
		args.addAll(java.util.List.of(options));
		args.addAll(db.springArguments());
		return cli.execute(args.toArray(String[]::new));
	}

	private static JdbcTemplate jdbc() {
		TestDatabase.Target db = TestDatabase.target();
		return new JdbcTemplate(new DriverManagerDataSource(db.url(), db.username(), db.password()));
	}
}
