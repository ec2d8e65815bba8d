package dev.lumen.account;

import dev.lumen.audit.AuditLog;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Personal API tokens (table {@code api_token}): 32 random bytes, base64url, after the prefix {@code lumen_} so that
 * secret scanners and people recognise them. Only their SHA-256 is stored, so a database dump authenticates nobody;
 * a token is shown once, when it is created. Creating and revoking are audited.
 */
@Service
public class ApiTokens {

	/** Every token starts with this, so a leaked one is easy to recognise. */
	public static final String PREFIX = "lumen_";

	private static final int SHOWN_PREFIX_CHARS = PREFIX.length() + 6;

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final String COLUMNS = "t.id, t.name, t.scopes, t.prefix, t.created_at, t.last_used_at, t.revoked_at";

	private final JdbcTemplate jdbc;

	private final AuditLog audit;

	public ApiTokens(JdbcTemplate jdbc, AuditLog audit) {
		this.jdbc = jdbc;
		this.audit = audit;
	}

	/** One token as its owner sees it in the list (never the token itself). */
	public record TokenView(long id, String name, List<String> scopes, String prefix, OffsetDateTime createdAt,
			OffsetDateTime lastUsedAt, OffsetDateTime revokedAt) {
	}

	/** A token just created: {@code token} is the only copy of the secret. */
	public record Created(TokenView view, String token) {
	}

	/** A valid token: whose it is, their current role and the token's scopes. */
	public record Verified(long tokenId, String tokenName, String username, Role role, Set<ApiTokenScope> scopes) {
	}

	/** Creates a token for the logged-in user {@code username}, who is also the audited actor. */
	@Transactional
	public Created create(String username, String name, Set<ApiTokenScope> scopes) {
		return create(username, username, name, scopes);
	}

	/**
	 * @param actor who creates it, for the audit log ({@link AuditLog#SYSTEM} from the CLI)
	 * @throws IllegalArgumentException when the name is blank or too long, or there is no such user
	 */
	@Transactional
	public Created create(String actor, String username, String name, Set<ApiTokenScope> scopes) {
		String trimmed = name == null ? "" : name.strip();
		if (trimmed.isEmpty() || trimmed.length() > 60) {
			throw new IllegalArgumentException("A token needs a name of 1 to 60 characters");
		}
		EnumSet<ApiTokenScope> granted = EnumSet.of(ApiTokenScope.READ);
		granted.addAll(scopes);
		byte[] secret = new byte[32];
		RANDOM.nextBytes(secret);
		String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
		String[] scopeNames = granted.stream().map(ApiTokenScope::dbName).toArray(String[]::new);
		List<Long> ids = this.jdbc.queryForList("INSERT INTO api_token (user_id, name, scopes, token_hash, prefix) "
				+ "SELECT id, ?, ?::text[], ?, ? FROM app_user WHERE lower(username) = lower(?) RETURNING id", Long.class,
				trimmed, "{" + String.join(",", scopeNames) + "}", sha256(token), token.substring(0, SHOWN_PREFIX_CHARS),
				username);
		if (ids.isEmpty()) {
			throw new IllegalArgumentException("No user '" + username + "'");
		}
		long id = ids.get(0);
		this.audit.record(actor, "token.create", "api_token", id, null,
				Map.of("name", trimmed, "scopes", List.of(scopeNames)));
		return new Created(list(username).stream().filter(t -> t.id() == id).findFirst().orElseThrow(), token);
	}

	/** @return the user's tokens, newest first, revoked ones included */
	@Transactional(readOnly = true)
	public List<TokenView> list(String username) {
		return this.jdbc.query("SELECT " + COLUMNS + " FROM api_token t JOIN app_user u ON u.id = t.user_id "
				+ "WHERE lower(u.username) = lower(?) ORDER BY t.id DESC", ApiTokens::view, username);
	}

	/** @return false when the user has no such unrevoked token; the user is the audited actor */
	@Transactional
	public boolean revoke(String username, long tokenId) {
		return revoke(username, username, tokenId);
	}

	/** @return false when {@code username} has no such unrevoked token */
	@Transactional
	public boolean revoke(String actor, String username, long tokenId) {
		int changed = this.jdbc.update("UPDATE api_token t SET revoked_at = now() FROM app_user u WHERE u.id = t.user_id "
				+ "AND lower(u.username) = lower(?) AND t.id = ? AND t.revoked_at IS NULL", username, tokenId);
		if (changed == 1) {
			this.audit.record(actor, "token.revoke", "api_token", tokenId, null, null);
		}
		return changed == 1;
	}

	/** Revokes every unrevoked token of the user (each audited as {@code token.revoke}); @return how many */
	@Transactional
	public int revokeAll(String actor, String username) {
		List<Long> ids = this.jdbc.queryForList("UPDATE api_token t SET revoked_at = now() FROM app_user u WHERE u.id = t.user_id "
				+ "AND lower(u.username) = lower(?) AND t.revoked_at IS NULL RETURNING t.id", Long.class, username);
		for (long id : ids) {
			this.audit.record(actor, "token.revoke", "api_token", id, null, null);
		}
		return ids.size();
	}

	/** @return how many of the user's tokens are not revoked */
	@Transactional(readOnly = true)
	public int activeCount(String username) {
		return this.jdbc.queryForObject("SELECT count(*) FROM api_token t JOIN app_user u ON u.id = t.user_id "
				+ "WHERE lower(u.username) = lower(?) AND t.revoked_at IS NULL", Integer.class, username);
	}

	/** @return the token's owner and scopes when it exists, is not revoked and its owner is enabled; notes the use */
	@Transactional
	public Optional<Verified> verify(String token) {
		if (token == null || !token.startsWith(PREFIX)) {
			return Optional.empty();
		}
		List<Verified> found = this.jdbc.query("UPDATE api_token t SET last_used_at = now() FROM app_user u "
				+ "WHERE u.id = t.user_id AND t.token_hash = ? AND t.revoked_at IS NULL AND u.enabled "
				+ "RETURNING t.id, t.name, t.scopes, u.username, u.role", ApiTokens::verified, sha256(token));
		return found.stream().findFirst();
	}

	static byte[] sha256(String token) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java runtime has SHA-256", ex);
		}
	}

	private static Verified verified(ResultSet rs, int row) throws SQLException {
		EnumSet<ApiTokenScope> scopes = EnumSet.noneOf(ApiTokenScope.class);
		scopeNames(rs.getArray("scopes")).forEach(name -> scopes.add(ApiTokenScope.parse(name)));
		return new Verified(rs.getLong("id"), rs.getString("name"), rs.getString("username"),
				Role.valueOf(rs.getString("role")), scopes);
	}

	private static TokenView view(ResultSet rs, int row) throws SQLException {
		return new TokenView(rs.getLong("id"), rs.getString("name"), scopeNames(rs.getArray("scopes")),
				rs.getString("prefix"), rs.getObject("created_at", OffsetDateTime.class),
				rs.getObject("last_used_at", OffsetDateTime.class), rs.getObject("revoked_at", OffsetDateTime.class));
	}

	private static List<String> scopeNames(Array array) throws SQLException {
		List<String> names = new ArrayList<>();
		for (Object name : (Object[]) array.getArray()) {
			names.add((String) name);
		}
		return names;
	}
}
