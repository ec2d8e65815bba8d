package dev.lumen.review;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Flags and decisions as CSV or JSON, with the queue's filters and a permalink per flag and feature. */
@Controller
class ReviewExportController {

	private static final List<String> COLUMNS = List.of("flag_id", "flag_url", "feature_url", "model", "sae",
			"feature_index", "label", "category", "severity", "state", "note", "rationale", "evidence_context_id",
			"evidence_url", "created_by", "created_at", "assignee", "updated_by", "updated_at");

	private final ReviewQueries queries;

	private final Permalinks links;

	ReviewExportController(ReviewQueries queries, Permalinks links) {
		this.queries = queries;
		this.links = links;
	}

	@GetMapping("/review/export.csv")
	ResponseEntity<String> exportCsv(@ModelAttribute QueueFilter filter) {
		StringBuilder csv = new StringBuilder(Csv.line(COLUMNS));
		for (Map<String, Object> row : rows(filter)) {
			csv.append(Csv.line(new ArrayList<>(row.values())));
		}
		return ResponseEntity.ok()
			.contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"lumen-flags.csv\"")
			.body(csv.toString());
	}

	@GetMapping(value = "/review/export.json", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<List<Map<String, Object>>> exportJson(@ModelAttribute QueueFilter filter) {
		return ResponseEntity.ok()
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"lumen-flags.json\"")
			.body(rows(filter));
	}

	private List<Map<String, Object>> rows(QueueFilter filter) {
		return this.queries.export(filter).stream().map(this::row).toList();
	}

	private Map<String, Object> row(FlagView f) {
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("flag_id", f.id());
		row.put("flag_url", this.links.of(f.path()));
		row.put("feature_url", this.links.of(f.feature().path()));
		row.put("model", f.feature().modelName());
		row.put("sae", f.feature().saeName());
		row.put("feature_index", f.feature().featureIndex());
		row.put("label", f.feature().label());
		row.put("category", f.category().name());
		row.put("severity", f.severity().name());
		row.put("state", f.state().name());
		row.put("note", f.note());
		row.put("rationale", f.rationale());
		row.put("evidence_context_id", f.evidenceContextId());
		row.put("evidence_url", f.evidenceUrl());
		row.put("created_by", f.createdBy());
		row.put("created_at", f.createdAt());
		row.put("assignee", f.assignee());
		row.put("updated_by", f.updatedBy());
		row.put("updated_at", f.updatedAt());
		return row;
	}
}
