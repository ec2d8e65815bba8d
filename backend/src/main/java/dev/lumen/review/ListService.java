package dev.lumen.review;

import dev.lumen.account.AppUser;
import dev.lumen.account.AppUserRepository;
import dev.lumen.account.Role;
import dev.lumen.audit.AuditLog;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Named feature lists. Anyone who can browse may read and export a list (its URL is its share link); a
 * reviewer changes only their own lists, an admin any. Every change is audited.
 */
@Service
public class ListService {

	/** One feature in a list, with its note. */
	public record Item(ReviewFeature feature, String note, String addedBy, OffsetDateTime addedAt) {
	}

	private final FeatureListRepository lists;

	private final AppUserRepository users;

	private final FeatureResolver features;

	private final AuditLog audit;

	private final JdbcTemplate jdbc;

	public ListService(FeatureListRepository lists, AppUserRepository users, FeatureResolver features, AuditLog audit,
			JdbcTemplate jdbc) {
		this.lists = lists;
		this.users = users;
		this.features = features;
		this.audit = audit;
		this.jdbc = jdbc;
	}

	@Transactional
	public FeatureList create(String actor, String name, String description) {
		FeatureList list = this.lists.saveAndFlush(new FeatureList(checkedName(name),
				FlagService.trimmed(description, "Description"), user(actor).getId()));
		this.audit.record(actor, "list.create", "list", list.getId(), null, list.auditView());
		return list;
	}

	@Transactional
	public FeatureList rename(String actor, long listId, long expectedVersion, String name, String description) {
		FeatureList list = editable(actor, listId);
		if (list.getVersion() != expectedVersion) {
			throw new FlagConflictException("List '" + list.getName() + "' was changed by someone else while you were editing it. "
					+ "Your change was not saved: reload the list and try again.");
		}
		Map<String, Object> before = list.auditView();
		list.rename(checkedName(name), FlagService.trimmed(description, "Description"));
		try {
			this.lists.saveAndFlush(list);
		}
		catch (OptimisticLockingFailureException ex) {
			throw new FlagConflictException("List #" + listId + " was changed by someone else at the same time. "
					+ "Your change was not saved: reload the list and try again.");
		}
		this.audit.record(actor, "list.rename", "list", listId, before, list.auditView());
		return list;
	}

	/** Adds a feature, named {@code model/sae/index}, or replaces its note when it is already there. */
	@Transactional
	public void addItem(String actor, long listId, String mention, String note) {
		FeatureList list = editable(actor, listId);
		ReviewFeature feature = parse(mention);
		String text = FlagService.trimmed(note, "Note");
		this.jdbc.update("INSERT INTO feature_list_item (list_id, sae_id, feature_index, note, added_by) VALUES (?, ?, ?, ?, ?) "
				+ "ON CONFLICT (list_id, sae_id, feature_index) DO UPDATE SET note = EXCLUDED.note", listId, feature.saeId(),
				feature.featureIndex(), text, user(actor).getId());
		list.touch();
		this.lists.flush();
		this.audit.recordForFeature(actor, "list.item.add", "list", listId, feature.saeId(), feature.featureIndex(), null,
				Map.of("list", list.getName(), "feature", feature.mention(), "note", text));
	}

	@Transactional
	public void removeItem(String actor, long listId, long saeId, int featureIndex) {
		FeatureList list = editable(actor, listId);
		int removed = this.jdbc.update("DELETE FROM feature_list_item WHERE list_id = ? AND sae_id = ? AND feature_index = ?",
				listId, saeId, featureIndex);
		if (removed > 0) {
			list.touch();
			this.lists.flush();
			this.audit.recordForFeature(actor, "list.item.remove", "list", listId, saeId, featureIndex,
					Map.of("list", list.getName(), "featureIndex", featureIndex), null);
		}
	}

	@Transactional
	public void delete(String actor, long listId) {
		FeatureList list = editable(actor, listId);
		Map<String, Object> before = list.auditView();
		before.put("items", items(listId).stream().map(i -> i.feature().mention()).toList());
		this.lists.delete(list);
		this.lists.flush();
		this.audit.record(actor, "list.delete", "list", listId, before, null);
	}

	@Transactional(readOnly = true)
	public FeatureList find(long listId) {
		return this.lists.findById(listId).orElseThrow(() -> new ReviewNotFoundException("No list #" + listId));
	}

	@Transactional(readOnly = true)
	public List<FeatureList> all() {
		return this.lists.findAllByOrderByUpdatedAtDesc();
	}

	/** @return the list's features in the order they were added */
	@Transactional(readOnly = true)
	public List<Item> items(long listId) {
		return this.jdbc.query("SELECT i.sae_id, i.feature_index, m.name AS model_name, s.name AS sae_name, i.note, "
				+ "u.username, i.added_at, (SELECT l.label FROM feature_label l WHERE l.sae_id = i.sae_id "
				+ "AND l.feature_index = i.feature_index ORDER BY l.created_at DESC, l.id DESC LIMIT 1) AS label "
				+ "FROM feature_list_item i JOIN sae s ON s.id = i.sae_id JOIN model m ON m.id = s.model_id "
				+ "LEFT JOIN app_user u ON u.id = i.added_by WHERE i.list_id = ? ORDER BY i.added_at, i.sae_id, i.feature_index",
				(rs, n) -> new Item(new ReviewFeature(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4),
						rs.getString("label")), rs.getString(5), rs.getString(6), rs.getObject(7, OffsetDateTime.class)),
				listId);
	}

	/** @return the owner's name, or null when the owner was deleted */
	@Transactional(readOnly = true)
	public String ownerName(FeatureList list) {
		return list.getOwnerId() == null ? null
				: this.users.findById(list.getOwnerId()).map(AppUser::getUsername).orElse(null);
	}

	/** @return whether {@code username} may change the list: its owner or an admin */
	@Transactional(readOnly = true)
	public boolean canEdit(String username, FeatureList list) {
		if (username == null) {
			return false;
		}
		return this.users.findByUsername(username)
			.map(u -> u.isEnabled() && (u.getRole() == Role.ADMIN
					|| (u.getRole() == Role.REVIEWER && u.getId().equals(list.getOwnerId()))))
			.orElse(false);
	}

	private FeatureList editable(String actor, long listId) {
		FeatureList list = find(listId);
		if (!canEdit(actor, list)) {
			throw new AccessDeniedException("Only the list's owner or an admin may change list #" + listId);
		}
		return list;
	}

	private ReviewFeature parse(String mention) {
		String[] parts = (mention == null ? "" : mention.strip().replaceFirst("^/", "")).split("/");
		if (parts.length != 3 || !parts[2].matches("\\d{1,9}")) {
			throw new IllegalArgumentException("Name the feature as model/sae/index, e.g. tinystories-1m/res-post-1/42; got '"
					+ mention + "'");
		}
		return this.features.find(parts[0], parts[1], Integer.parseInt(parts[2]))
			.orElseThrow(() -> new IllegalArgumentException("No feature " + String.join("/", parts)));
	}

	private AppUser user(String username) {
		return this.users.findByUsername(username)
			.orElseThrow(() -> new IllegalStateException("No account for '" + username + "'"));
	}

	private static String checkedName(String name) {
		String n = name == null ? "" : name.strip();
		if (n.isEmpty() || n.length() > 200) {
			throw new IllegalArgumentException("A list name needs 1 to 200 characters");
		}
		return n;
	}
}
