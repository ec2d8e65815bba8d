package dev.lumen.account;

import dev.lumen.audit.AuditLog;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates and changes user accounts. Every change is audited; passwords are hashed before they are stored
 * and never logged or audited.
 */
@Service
public class AccountService {

	/** Same rule as the {@code app_user.username} check constraint. */
	static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

	static final int MIN_PASSWORD_LENGTH = 10;

	private final AppUserRepository users;

	private final PasswordEncoder passwordEncoder;

	private final AuditLog audit;

	private final ApplicationEventPublisher events;

	private final ApiTokens tokens;

	public AccountService(AppUserRepository users, PasswordEncoder passwordEncoder, AuditLog audit,
			ApplicationEventPublisher events, ApiTokens tokens) {
		this.tokens = tokens;
		this.users = users;
		this.passwordEncoder = passwordEncoder;
		this.audit = audit;
		this.events = events;
	}

	/**
	 * Creates a user.
	 * @param actor who does it, for the audit log
	 * @throws IllegalArgumentException when the name is taken or invalid, or the password too short
	 */
	@Transactional
	public AppUser create(String actor, String username, CharSequence password, Role role) {
		String name = username == null ? "" : username.strip();
		if (!USERNAME.matcher(name).matches()) {
			throw new IllegalArgumentException("Invalid user name '" + name + "': use 1-64 letters, digits, '.', '_', '@' or '-', "
					+ "starting with a letter or digit");
		}
		if (this.users.findByUsername(name).isPresent()) {
			throw new IllegalArgumentException("User '" + name + "' already exists");
		}
		AppUser user = this.users.saveAndFlush(new AppUser(name, hash(password), role));
		this.audit.record(actor, "user.create", "user", user.getId(), null, user.auditView());
		return user;
	}

	/** Gives a user another role; the last enabled admin keeps theirs. */
	@Transactional
	public AppUser changeRole(String actor, long userId, Role role) {
		AppUser user = find(userId);
		Map<String, Object> before = user.auditView();
		if (user.getRole() == Role.ADMIN && role != Role.ADMIN) {
			requireAnotherAdmin(user);
		}
		user.setRole(role);
		this.users.flush();
		this.audit.record(actor, "user.role", "user", userId, before, user.auditView());
		this.events.publishEvent(new AccountChanged(user.getUsername()));
		return user;
	}

	/** Enables or disables a login; the last enabled admin cannot be disabled. */
	@Transactional
	public AppUser setEnabled(String actor, long userId, boolean enabled) {
		AppUser user = find(userId);
		Map<String, Object> before = user.auditView();
		if (!enabled && user.getRole() == Role.ADMIN) {
			requireAnotherAdmin(user);
		}
		user.setEnabled(enabled);
		this.users.flush();
		this.audit.record(actor, enabled ? "user.enable" : "user.disable", "user", userId, before, user.auditView());
		this.events.publishEvent(new AccountChanged(user.getUsername()));
		return user;
	}

	/** Sets a new password; the audit log records that it changed, never the password or its hash. */
	@Transactional
	public void changePassword(String actor, String username, CharSequence newPassword) {
		changePassword(actor, username, newPassword, null);
	}

	/**
	 * Sets a new password and, once committed, ends the user's other sessions.
	 * @param keptSessionId the session that stays logged in (the one making the change), or null
	 */
	@Transactional
	public void changePassword(String actor, String username, CharSequence newPassword, String keptSessionId) {
		changePassword(actor, username, newPassword, keptSessionId, false);
	}

	/**
	 * Sets a new password, ends the user's other sessions once committed and, when asked, revokes all their personal
	 * API tokens in the same transaction (a token made with a stolen session would otherwise outlive the new password).
	 * @param keptSessionId the session that stays logged in (the one making the change), or null
	 * @return how many tokens were revoked
	 */
	@Transactional
	public int changePassword(String actor, String username, CharSequence newPassword, String keptSessionId,
			boolean revokeTokens) {
		AppUser user = this.users.findByUsername(username)
			.orElseThrow(() -> new IllegalArgumentException("No user '" + username + "'"));
		user.setPasswordHash(hash(newPassword));
		this.users.flush();
		this.audit.record(actor, "user.password", "user", user.getId(), null, Map.of("username", user.getUsername()));
		this.events.publishEvent(new PasswordChanged(user.getUsername(), keptSessionId));
		return revokeTokens ? this.tokens.revokeAll(actor, user.getUsername()) : 0;
	}

	/** @return whether {@code password} is the user's current password */
	@Transactional(readOnly = true)
	public boolean passwordMatches(String username, CharSequence password) {
		return this.users.findByUsername(username)
			.map(u -> this.passwordEncoder.matches(password, u.getPasswordHash()))
			.orElse(false);
	}

	@Transactional(readOnly = true)
	public List<AppUser> all() {
		return this.users.findAllByOrderByUsername();
	}

	@Transactional(readOnly = true)
	public boolean anyAdmin() {
		return this.users.findAll().stream().anyMatch(u -> u.getRole() == Role.ADMIN && u.isEnabled());
	}

	private String hash(CharSequence password) {
		if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
			throw new IllegalArgumentException("Password too short: use at least " + MIN_PASSWORD_LENGTH + " characters");
		}
		return this.passwordEncoder.encode(password);
	}

	private AppUser find(long userId) {
		return this.users.findById(userId).orElseThrow(() -> new IllegalArgumentException("No user with id " + userId));
	}

	private void requireAnotherAdmin(AppUser user) {
		boolean another = this.users.findAll()
			.stream()
			.anyMatch(u -> !u.getId().equals(user.getId()) && u.getRole() == Role.ADMIN && u.isEnabled());
		if (!another) {
			throw new IllegalArgumentException("'" + user.getUsername() + "' is the last enabled admin; make someone else admin first");
		}
	}
}
