package dev.lumen.testing;

import dev.lumen.account.AccountService;
import dev.lumen.account.Role;
import dev.lumen.audit.AuditLog;
import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.SaeRegistrar;
import dev.lumen.feature.DecoderVectorWriter;
import java.util.Random;
import java.util.UUID;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;

/**
 * One model with one SAE of {@code nFeatures} features (random decoder rows, stored with
 * {@link DecoderVectorWriter}), users of each role, and labels, for review tests. Users keep unique names and
 * are deleted with the model, SAE, features and flags on {@link #close()}; the audit log keeps its rows.
 */
public final class ReviewFixture implements AutoCloseable {

	/** Every fixture user's password. */
	public static final String PASSWORD = "correct horse battery";

	private final TestCatalog catalog;

	private final AccountService accounts;

	private final UserDetailsService userDetails;

	private final JdbcTemplate jdbc;

	private final java.util.List<String> users = new java.util.ArrayList<>();

	public final CatalogModel model;

	public final CatalogSae sae;

	public ReviewFixture(ApplicationContext context, int nFeatures) {
		this.catalog = new TestCatalog(context.getBean(CatalogModelRepository.class), context.getBean(SaeRegistrar.class));
		this.accounts = context.getBean(AccountService.class);
		this.userDetails = context.getBean(UserDetailsService.class);
		this.jdbc = context.getBean(JdbcTemplate.class);
		this.model = this.catalog.model("Review test model", 8);
		this.sae = this.catalog.sae(this.model, "res", 8, nFeatures);
		float[][] rows = new float[nFeatures][8]; // [nFeatures, dIn]
		Random random = new Random(7);
		for (float[] row : rows) {
			for (int j = 0; j < row.length; j++) {
				row[j] = (float) random.nextGaussian();
			}
		}
		context.getBean(DecoderVectorWriter.class).insert(this.sae, 0, rows);
	}

	/** @return the name of a new enabled user with this role and {@link #PASSWORD} */
	public String user(Role role) {
		String name = "t-" + role.name().toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
		this.accounts.create(AuditLog.SYSTEM, name, PASSWORD, role);
		this.users.add(name);
		return name;
	}

	/** @return what Spring Security loads for the user, for MockMvc's {@code user(...)} */
	public UserDetails login(String username) {
		return this.userDetails.loadUserByUsername(username);
	}

	/** Stores an autointerp label for a feature, as the labelling job would. */
	public void label(int index, String label) {
		this.jdbc.update("INSERT INTO feature_label (sae_id, feature_index, label, explainer) VALUES (?, ?, ?, 'test')",
				this.sae.getId(), index, label);
	}

	/** @return {@code model/sae/index} */
	public String mention(int index) {
		return this.model.getName() + "/" + this.sae.getName() + "/" + index;
	}

	@Override
	public void close() {
		this.catalog.close();
		// the audit log keeps their names; flags, comments and lists they made keep a null author
		for (String name : this.users) {
			this.jdbc.update("DELETE FROM feature_list WHERE owner_id = (SELECT id FROM app_user WHERE username = ?)", name);
			this.jdbc.update("DELETE FROM app_user WHERE username = ?", name);
		}
	}
}
