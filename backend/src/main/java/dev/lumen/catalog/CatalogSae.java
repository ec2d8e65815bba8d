package dev.lumen.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A sparse autoencoder trained on one hook of a model (table {@code sae}). */
@Entity
@Table(name = "sae")
public class CatalogSae {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@ManyToOne(fetch = FetchType.LAZY, optional = false)
	@JoinColumn(name = "model_id")
	private CatalogModel model;

	/** URL slug, unique per model. */
	@Column(nullable = false)
	private String name;

	@Column(name = "hook_name", nullable = false)
	private String hookName;

	@Column(name = "hook_layer", nullable = false)
	private int hookLayer;

	@Column(name = "d_in", nullable = false)
	private int dIn;

	@Column(name = "d_sae", nullable = false)
	private int dSae;

	@Column(nullable = false)
	private String architecture;

	@Column(nullable = false)
	private String source;

	@JdbcTypeCode(SqlTypes.JSON)
	@Column(nullable = false)
	private String config = "{}";

	@JdbcTypeCode(SqlTypes.JSON)
	@Column(name = "training_stats")
	private String trainingStats;

	@JdbcTypeCode(SqlTypes.JSON)
	@Column(name = "eval_stats")
	private String evalStats;

	@Enumerated(EnumType.STRING)
	@Column(name = "vector_index", nullable = false)
	@JdbcTypeCode(SqlTypes.VARCHAR)
	private VectorIndexKind vectorIndex;

	@Column(name = "created_at", insertable = false, updatable = false)
	private OffsetDateTime createdAt;

	protected CatalogSae() {
	}

	public CatalogSae(CatalogModel model, String name, String hookName, int hookLayer, int dIn, int dSae,
			String architecture, String source) {
		this.model = model;
		this.name = name;
		this.hookName = hookName;
		this.hookLayer = hookLayer;
		this.dIn = dIn;
		this.dSae = dSae;
		this.architecture = architecture;
		this.source = source;
		this.vectorIndex = VectorIndexKind.forDimension(dIn);
	}

	public Long getId() {
		return this.id;
	}

	public CatalogModel getModel() {
		return this.model;
	}

	public String getName() {
		return this.name;
	}

	public String getHookName() {
		return this.hookName;
	}

	public int getHookLayer() {
		return this.hookLayer;
	}

	public int getDIn() {
		return this.dIn;
	}

	public int getDSae() {
		return this.dSae;
	}

	public String getArchitecture() {
		return this.architecture;
	}

	public String getSource() {
		return this.source;
	}

	public void setSource(String source) {
		this.source = source;
	}

	public String getConfig() {
		return this.config;
	}

	public void setConfig(String config) {
		this.config = config;
	}

	public String getTrainingStats() {
		return this.trainingStats;
	}

	public void setTrainingStats(String trainingStats) {
		this.trainingStats = trainingStats;
	}

	public String getEvalStats() {
		return this.evalStats;
	}

	public void setEvalStats(String evalStats) {
		this.evalStats = evalStats;
	}

	public VectorIndexKind getVectorIndex() {
		return this.vectorIndex;
	}

	public OffsetDateTime getCreatedAt() {
		return this.createdAt;
	}
}
