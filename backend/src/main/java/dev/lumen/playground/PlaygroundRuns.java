package dev.lumen.playground;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Saved runs: immutable rows of {@code playground_run} (the table refuses updates), addressed by random ids. */
@Repository
public class PlaygroundRuns {

	/** A saved run. */
	public record SavedRun(String id, SteerRequest request, SteerResult result, String createdBy, OffsetDateTime createdAt) {
	}

	private final JdbcTemplate jdbc;

	private final JsonMapper json = JsonMapper.builder().build();

	private final SecureRandom random = new SecureRandom();

	public PlaygroundRuns(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** @return the new run's id */
	public String save(SteerRequest request, SteerResult result, String createdBy) {
		byte[] bytes = new byte[16];
		this.random.nextBytes(bytes);
		String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		this.jdbc.update("INSERT INTO playground_run (id, model_name, request, result, created_by) VALUES (?, ?, ?::jsonb, ?::jsonb, ?)",
				id, result.model(), this.json.writeValueAsString(request), this.json.writeValueAsString(result), createdBy);
		return id;
	}

	/** @return the run, if it exists */
	public Optional<SavedRun> find(String id) {
		if (id == null || !id.matches("[A-Za-z0-9_-]{16,64}")) {
			return Optional.empty();
		}
		return this.jdbc.query("SELECT id, request::text, result::text, created_by, created_at FROM playground_run WHERE id = ?",
				(rs, n) -> new SavedRun(rs.getString(1), this.json.readValue(rs.getString(2), SteerRequest.class),
						this.json.readValue(rs.getString(3), SteerResult.class), rs.getString(4),
						rs.getObject(5, OffsetDateTime.class)),
				id).stream().findFirst();
	}

	/** Deletes a run (used by tests; permalinks are otherwise permanent). */
	public void delete(String id) {
		this.jdbc.update("DELETE FROM playground_run WHERE id = ?", id);
	}
}
