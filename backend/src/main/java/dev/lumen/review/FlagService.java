package dev.lumen.review;

import dev.lumen.account.AppUser;
import dev.lumen.account.AppUserRepository;
import dev.lumen.account.Role;
import dev.lumen.audit.AuditLog;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates flags and moves them through review. Every change is checked against the version the reviewer
 * saw (optimistic locking), flushed, then audited in the same transaction.
 */
@Service
public class FlagService {

	private final FlagRepository flags;

	private final AppUserRepository users;

	private final AuditLog audit;

	private final JdbcTemplate jdbc;

	public FlagService(FlagRepository flags, AppUserRepository users, AuditLog audit, JdbcTemplate jdbc) {
		this.flags = flags;
		this.users = users;
		this.audit = audit;
		this.jdbc = jdbc;
	}

	/** What a reviewer fills in to flag a feature. Evidence is optional. */
	public record NewFlag(FlagCategory category, Severity severity, String note, Long evidenceContextId, String evidenceUrl) {
	}

	/**
	 * Flags a feature as open.
	 * @throws IllegalArgumentException when the evidence does not belong to the feature's model or is not a safe link
	 */
	@Transactional
	public Flag create(String actor, ReviewFeature feature, NewFlag form) {
		if (form.category() == null || form.severity() == null) {
			throw new IllegalArgumentException("Choose a category and a severity");
		}
		Flag flag = new Flag(feature, form.category(), form.severity(), FlagState.OPEN, trimmed(form.note(), "Note"),
				userId(actor));
		flag.setEvidence(checkedContext(feature, form.evidenceContextId()), EvidenceLinks.check(form.evidenceUrl()));
		this.flags.saveAndFlush(flag);
		this.audit.recordForFeature(actor, "flag.create", "flag", flag.getId(), feature.saeId(), feature.featureIndex(),
				null, flag.auditView());
		return flag;
	}

	/**
	 * Moves a flag to another state.
	 * @param expectedVersion the version the reviewer's page showed
	 * @param rationale required when the target state closes the flag
	 * @throws FlagConflictException when someone else changed the flag since
	 */
	@Transactional
	public Flag transition(String actor, long flagId, long expectedVersion, FlagState target, String rationale) {
		Flag flag = load(flagId, expectedVersion);
		if (!flag.getState().next().contains(target)) {
			throw new IllegalArgumentException("A flag that is " + flag.getState().title() + " can become: "
					+ flag.getState().next().stream().map(FlagState::title).sorted().collect(Collectors.joining(", ")));
		}
		String why = rationale == null ? "" : rationale.strip();
		if (target.closes() && why.isEmpty()) {
			throw new IllegalArgumentException("Give a rationale to mark the flag " + target.title());
		}
		Map<String, Object> before = flag.auditView();
		flag.setState(target);
		flag.setRationale(why.isEmpty() ? null : trimmed(why, "Rationale"));
		return save(actor, "flag.transition", flag, before);
	}

	/** Assigns a flag to a reviewer or admin, or to nobody when {@code assignee} is blank. */
	@Transactional
	public Flag assign(String actor, long flagId, long expectedVersion, String assignee) {
		Flag flag = load(flagId, expectedVersion);
		Long assigneeId = null;
		if (assignee != null && !assignee.isBlank()) {
			AppUser user = this.users.findByUsername(assignee)
				.filter(u -> u.isEnabled() && u.getRole().includes(Role.REVIEWER))
				.orElseThrow(() -> new IllegalArgumentException("'" + assignee + "' is not an enabled reviewer or admin"));
			assigneeId = user.getId();
		}
		Map<String, Object> before = flag.auditView();
		flag.setAssigneeId(assigneeId);
		return save(actor, "flag.assign", flag, before);
	}

	/** Changes a flag's severity, e.g. when accepting a suggestion. */
	@Transactional
	public Flag changeSeverity(String actor, long flagId, long expectedVersion, Severity severity) {
		Flag flag = load(flagId, expectedVersion);
		Map<String, Object> before = flag.auditView();
		flag.setSeverity(severity);
		return save(actor, "flag.severity", flag, before);
	}

	/** Adds a comment; mentions of other features ({@code model/sae/index}) render as chips. */
	@Transactional
	public long comment(String actor, long flagId, String body) {
		Flag flag = this.flags.findById(flagId).orElseThrow(() -> new ReviewNotFoundException("No flag #" + flagId));
		String text = trimmed(body, "Comment");
		if (text.isEmpty()) {
			throw new IllegalArgumentException("The comment is empty");
		}
		Long id = this.jdbc.queryForObject("INSERT INTO flag_comment (flag_id, author_id, body) VALUES (?, ?, ?) RETURNING id",
				Long.class, flagId, userId(actor), text);
		this.audit.recordForFeature(actor, "comment.add", "comment", id, flag.getSaeId(), flag.getFeatureIndex(), null,
				Map.of("flagId", flagId, "body", text));
		return id;
	}

	private Flag load(long flagId, long expectedVersion) {
		Flag flag = this.flags.findById(flagId).orElseThrow(() -> new ReviewNotFoundException("No flag #" + flagId));
		if (flag.getVersion() != expectedVersion) {
			throw conflict(flagId);
		}
		return flag;
	}

	private Flag save(String actor, String action, Flag flag, Map<String, Object> before) {
		flag.touch(userId(actor));
		try {
			// flush first: the row lock comes before the audit log's lock, always in that order
			this.flags.saveAndFlush(flag);
		}
		catch (OptimisticLockingFailureException ex) {
			throw conflict(flag.getId());
		}
		this.audit.recordForFeature(actor, action, "flag", flag.getId(), flag.getSaeId(), flag.getFeatureIndex(), before,
				flag.auditView());
		return flag;
	}

	/** Says who changed the flag to what, read straight from the table (the entity is stale). */
	private FlagConflictException conflict(long flagId) {
		Map<String, Object> now = this.jdbc.queryForMap("SELECT f.state, u.username FROM flag f "
				+ "LEFT JOIN app_user u ON u.id = f.updated_by WHERE f.id = ?", flagId);
		String state = FlagState.valueOf((String) now.get("state")).title();
		String who = now.get("username") != null ? (String) now.get("username") : "someone";
		return new FlagConflictException("Flag #" + flagId + " was changed by " + who + " while you were looking at it "
				+ "(it is now " + state + "). Your change was not saved: reload the flag, check the change, and try again.");
	}

	private Long checkedContext(ReviewFeature feature, Long contextId) {
		if (contextId == null) {
			return null;
		}
		Integer found = this.jdbc.queryForObject("SELECT count(*) FROM context c JOIN sae s ON s.model_id = c.model_id "
				+ "WHERE c.id = ? AND s.id = ?", Integer.class, contextId, feature.saeId());
		if (found == null || found == 0) {
			throw new IllegalArgumentException("Example context " + contextId + " does not exist for model " + feature.modelName());
		}
		return contextId;
	}

	private Long userId(String username) {
		return this.users.findByUsername(username).map(AppUser::getId).orElse(null);
	}

	static String trimmed(String text, String what) {
		String t = text == null ? "" : text.strip();
		if (t.length() > 10_000) {
			throw new IllegalArgumentException(what + " is too long: " + t.length() + " characters, at most 10000");
		}
		return t;
	}
}
