package dev.lumen.review;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A safety flag on one feature (table {@code flag}). {@link #getVersion() version} implements optimistic
 * locking: a change based on an older version is refused instead of overwriting someone else's.
 */
@Entity
@Table(name = "flag")
public class Flag {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Column(name = "sae_id", nullable = false)
	private long saeId;

	@Column(name = "feature_index", nullable = false)
	private int featureIndex;

	@Enumerated(EnumType.STRING)
	@JdbcTypeCode(SqlTypes.VARCHAR)
	@Column(nullable = false)
	private FlagCategory category;

	@Enumerated(EnumType.STRING)
	@JdbcTypeCode(SqlTypes.VARCHAR)
	@Column(nullable = false)
	private Severity severity;

	@Enumerated(EnumType.STRING)
	@JdbcTypeCode(SqlTypes.VARCHAR)
	@Column(nullable = false)
	private FlagState state;

	@Column(nullable = false)
	private String note = "";

	@Column(name = "evidence_context_id")
	private Long evidenceContextId;

	@Column(name = "evidence_url")
	private String evidenceUrl;

	private String rationale;

	@Column(name = "created_by")
	private Long createdBy;

	@Column(name = "assignee_id")
	private Long assigneeId;

	@Column(name = "created_at", insertable = false, updatable = false)
	private OffsetDateTime createdAt;

	@Column(name = "updated_at", nullable = false)
	private OffsetDateTime updatedAt = OffsetDateTime.now();

	@Column(name = "updated_by")
	private Long updatedBy;

	@Version
	private long version;

	protected Flag() {
	}

	Flag(ReviewFeature feature, FlagCategory category, Severity severity, FlagState state, String note, Long createdBy) {
		this.saeId = feature.saeId();
		this.featureIndex = feature.featureIndex();
		this.category = category;
		this.severity = severity;
		this.state = state;
		this.note = note;
		this.createdBy = createdBy;
		this.updatedBy = createdBy;
	}

	/** Marks who changed the flag, and when. */
	void touch(Long userId) {
		this.updatedBy = userId;
		this.updatedAt = OffsetDateTime.now();
	}

	/** @return what the audit log records about this flag */
	Map<String, Object> auditView() {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("category", this.category.name());
		view.put("severity", this.severity.name());
		view.put("state", this.state.name());
		view.put("note", this.note);
		view.put("evidenceContextId", this.evidenceContextId);
		view.put("evidenceUrl", this.evidenceUrl);
		view.put("rationale", this.rationale);
		view.put("assigneeId", this.assigneeId);
		return view;
	}

	public Long getId() {
		return this.id;
	}

	public long getSaeId() {
		return this.saeId;
	}

	public int getFeatureIndex() {
		return this.featureIndex;
	}

	public FlagCategory getCategory() {
		return this.category;
	}

	public Severity getSeverity() {
		return this.severity;
	}

	void setSeverity(Severity severity) {
		this.severity = severity;
	}

	public FlagState getState() {
		return this.state;
	}

	void setState(FlagState state) {
		this.state = state;
	}

	public String getNote() {
		return this.note;
	}

	public Long getEvidenceContextId() {
		return this.evidenceContextId;
	}

	void setEvidence(Long contextId, String url) {
		this.evidenceContextId = contextId;
		this.evidenceUrl = url;
	}

	public String getEvidenceUrl() {
		return this.evidenceUrl;
	}

	public String getRationale() {
		return this.rationale;
	}

	void setRationale(String rationale) {
		this.rationale = rationale;
	}

	public Long getAssigneeId() {
		return this.assigneeId;
	}

	void setAssigneeId(Long assigneeId) {
		this.assigneeId = assigneeId;
	}

	public long getVersion() {
		return this.version;
	}
}
