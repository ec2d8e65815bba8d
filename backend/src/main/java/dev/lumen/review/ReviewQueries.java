package dev.lumen.review;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Read side of review: the queue, one flag, a feature's flags, comments and per-category counts. */
@Component
@Transactional(readOnly = true)
public class ReviewQueries {

	/** Rows a queue page shows at most; exports have no limit. */
	static final int MAX_ROWS = 5000;

	private static final String SELECT = "SELECT f.*, m.name AS model_name, s.name AS sae_name, "
			+ "(SELECT l.label FROM feature_label l WHERE l.sae_id = f.sae_id AND l.feature_index = f.feature_index "
			+ "ORDER BY l.created_at DESC, l.id DESC LIMIT 1) AS label, "
			+ "cu.username AS created_by_name, au.username AS assignee_name, uu.username AS updated_by_name, "
			+ "(SELECT count(*) FROM flag_comment c WHERE c.flag_id = f.id) AS comment_count "
			+ "FROM flag f JOIN sae s ON s.id = f.sae_id JOIN model m ON m.id = s.model_id "
			+ "LEFT JOIN app_user cu ON cu.id = f.created_by LEFT JOIN app_user au ON au.id = f.assignee_id "
			+ "LEFT JOIN app_user uu ON uu.id = f.updated_by ";

	/** Most severe first, then most recently changed. */
	private static final String ORDER = " ORDER BY CASE f.severity WHEN 'CRITICAL' THEN 0 WHEN 'HIGH' THEN 1 "
			+ "WHEN 'MEDIUM' THEN 2 ELSE 3 END, f.updated_at DESC, f.id DESC";

	/** A comment with its author; {@code parts} is the body split into text and feature mentions. */
	public record CommentView(long id, String author, OffsetDateTime createdAt, List<MentionParser.Part> parts) {
	}

	/** Flag counts of one category on one SAE, by state. */
	public record CategoryCounts(FlagCategory category, Map<FlagState, Integer> byState) {

		public int get(FlagState state) {
			return this.byState.getOrDefault(state, 0);
		}

		public int total() {
			return this.byState.values().stream().mapToInt(Integer::intValue).sum();
		}

		/** @return these counts with one state left out (of its column and of the total) */
		public CategoryCounts without(FlagState state) {
			Map<FlagState, Integer> kept = new EnumMap<>(FlagState.class);
			kept.putAll(this.byState);
			kept.remove(state);
			return new CategoryCounts(this.category, kept);
		}
	}

	private final JdbcTemplate jdbc;

	private final MentionParser mentions;

	public ReviewQueries(JdbcTemplate jdbc, MentionParser mentions) {
		this.jdbc = jdbc;
		this.mentions = mentions;
	}

	/** @return the flags that pass the filter, most severe first, at most {@link #MAX_ROWS} for one page */
	public List<FlagView> queue(QueueFilter filter) {
		return queue(filter, MAX_ROWS);
	}

	/** @return every flag that passes the filter, most severe first, for exports */
	public List<FlagView> export(QueueFilter filter) {
		return queue(filter, Integer.MAX_VALUE);
	}

	private List<FlagView> queue(QueueFilter filter, int limit) {
		StringBuilder where = new StringBuilder("WHERE true");
		List<Object> args = new ArrayList<>();
		if (filter.category() != null) {
			where.append(" AND f.category = ?");
			args.add(filter.category().name());
		}
		if (filter.severity() != null) {
			where.append(" AND f.severity = ?");
			args.add(filter.severity().name());
		}
		String state = filter.stateOrDefault();
		if ("active".equals(state)) {
			where.append(" AND f.state IN ('SUGGESTED', 'OPEN', 'IN_REVIEW')");
		}
		else if (!"all".equals(state)) {
			where.append(" AND f.state = ?");
			args.add(parseState(state).name());
		}
		if (filter.saeId() != null) {
			where.append(" AND f.sae_id = ?");
			args.add(filter.saeId());
		}
		if ("none".equals(filter.assignee())) {
			where.append(" AND f.assignee_id IS NULL");
		}
		else if (filter.assignee() != null && !filter.assignee().isBlank()) {
			where.append(" AND lower(au.username) = lower(?)");
			args.add(filter.assignee());
		}
		args.add(limit);
		return this.jdbc.query(SELECT + where + ORDER + " LIMIT ?", ReviewQueries::flag, args.toArray());
	}

	public Optional<FlagView> flag(long id) {
		return this.jdbc.query(SELECT + "WHERE f.id = ?", ReviewQueries::flag, id).stream().findFirst();
	}

	/** @return every flag of one feature, newest first */
	public List<FlagView> flagsOf(long saeId, int featureIndex) {
		return this.jdbc.query(SELECT + "WHERE f.sae_id = ? AND f.feature_index = ? ORDER BY f.id DESC", ReviewQueries::flag,
				saeId, featureIndex);
	}

	public List<CommentView> comments(long flagId) {
		return this.jdbc.query("SELECT c.id, u.username, c.created_at, c.body FROM flag_comment c "
				+ "LEFT JOIN app_user u ON u.id = c.author_id WHERE c.flag_id = ? ORDER BY c.created_at, c.id",
				(rs, n) -> new CommentView(rs.getLong(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
						this.mentions.parse(rs.getString(4))), flagId);
	}

	/** @return counts per category and state for one SAE, every category listed */
	public List<CategoryCounts> counts(long saeId) {
		Map<FlagCategory, Map<FlagState, Integer>> counts = new EnumMap<>(FlagCategory.class);
		for (FlagCategory c : FlagCategory.values()) {
			counts.put(c, new EnumMap<>(FlagState.class));
		}
		this.jdbc.query("SELECT category, state, count(*) FROM flag WHERE sae_id = ? GROUP BY category, state", rs -> {
			counts.get(FlagCategory.valueOf(rs.getString(1))).put(FlagState.valueOf(rs.getString(2)), rs.getInt(3));
		}, saeId);
		return counts.entrySet().stream().map(e -> new CategoryCounts(e.getKey(), e.getValue())).toList();
	}

	private static FlagState parseState(String state) {
		try {
			return FlagState.valueOf(state);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidFilterException("Unknown state '" + state + "'; valid: active, all, "
					+ java.util.Arrays.toString(FlagState.values()));
		}
	}

	private static FlagView flag(ResultSet rs, int n) throws SQLException {
		ReviewFeature feature = new ReviewFeature(rs.getLong("sae_id"), rs.getInt("feature_index"), rs.getString("model_name"),
				rs.getString("sae_name"), rs.getString("label"));
		return new FlagView(rs.getLong("id"), feature, FlagCategory.valueOf(rs.getString("category")),
				Severity.valueOf(rs.getString("severity")), FlagState.valueOf(rs.getString("state")), rs.getString("note"),
				rs.getObject("evidence_context_id", Long.class), rs.getString("evidence_url"), rs.getString("rationale"),
				rs.getString("created_by_name"), rs.getObject("created_at", OffsetDateTime.class), rs.getString("assignee_name"),
				rs.getString("updated_by_name"), rs.getObject("updated_at", OffsetDateTime.class), rs.getLong("version"),
				rs.getInt("comment_count"));
	}
}
