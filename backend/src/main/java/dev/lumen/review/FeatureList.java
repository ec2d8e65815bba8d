package dev.lumen.review;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** A named, shareable collection of features (table {@code feature_list}); items live in {@code feature_list_item}. */
@Entity
@Table(name = "feature_list")
public class FeatureList {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Column(nullable = false)
	private String name;

	@Column(nullable = false)
	private String description = "";

	@Column(name = "owner_id")
	private Long ownerId;

	@Column(name = "created_at", insertable = false, updatable = false)
	private OffsetDateTime createdAt;

	@Column(name = "updated_at", nullable = false)
	private OffsetDateTime updatedAt = OffsetDateTime.now();

	@Version
	private long version;

	protected FeatureList() {
	}

	FeatureList(String name, String description, Long ownerId) {
		this.name = name;
		this.description = description;
		this.ownerId = ownerId;
	}

	Map<String, Object> auditView() {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("name", this.name);
		view.put("description", this.description);
		return view;
	}

	void rename(String name, String description) {
		this.name = name;
		this.description = description;
		this.updatedAt = OffsetDateTime.now();
	}

	void touch() {
		this.updatedAt = OffsetDateTime.now();
	}

	public Long getId() {
		return this.id;
	}

	public String getName() {
		return this.name;
	}

	public String getDescription() {
		return this.description;
	}

	public Long getOwnerId() {
		return this.ownerId;
	}

	public OffsetDateTime getCreatedAt() {
		return this.createdAt;
	}

	public OffsetDateTime getUpdatedAt() {
		return this.updatedAt;
	}

	public long getVersion() {
		return this.version;
	}
}
