package dev.lumen.account;

import dev.lumen.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Creates the first admin on start-up from {@code LUMEN_ADMIN_USER} and {@code LUMEN_ADMIN_PASSWORD}
 * (properties {@code lumen.admin.user}/{@code lumen.admin.password}) when no admin exists yet. Logs the
 * user name only, never the password.
 */
@Component
class FirstAdmin implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(FirstAdmin.class);

	private final AccountService accounts;

	private final String username;

	private final String password;

	FirstAdmin(AccountService accounts, @Value("${lumen.admin.user:}") String username,
			@Value("${lumen.admin.password:}") String password) {
		this.accounts = accounts;
		this.username = username;
		this.password = password;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (this.accounts.anyAdmin()) {
			return;
		}
		if (this.username.isBlank() || this.password.isEmpty()) {
			log.info("No admin account yet: create one with 'lumen user add NAME --admin' or set LUMEN_ADMIN_USER "
					+ "and LUMEN_ADMIN_PASSWORD before the first start");
			return;
		}
		try {
			this.accounts.create(AuditLog.SYSTEM, this.username, this.password, Role.ADMIN);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("Cannot create the first admin from LUMEN_ADMIN_USER: " + ex.getMessage(), ex);
		}
		log.info("Created admin user '{}' from LUMEN_ADMIN_USER", this.username.strip());
	}
}
