package dev.lumen.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A language model whose SAEs Lumen shows (table {@code model}). */
@Entity
@Table(name = "model")
public class CatalogModel {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	/** URL slug, e.g. {@code tinystories-1m}. */
	@Column(nullable = false, unique = true)
	private String name;

	@Column(name = "display_name", nullable = false)
	private String displayName;

	@Column(nullable = false)
	private String source;

	@Column(nullable = false)
	private String architecture;

	@Column(name = "d_model", nullable = false)
	private int dModel;

	@Column(name = "n_layers", nullable = false)
	private int nLayers;

	@Column(name = "vocab_size", nullable = false)
	private int vocabSize;

	@JdbcTypeCode(SqlTypes.JSON)
	@Column(nullable = false)
	private String config = "{}";

	@Column(name = "created_at", insertable = false, updatable = false)
	private OffsetDateTime createdAt;

	protected CatalogModel() {
	}

	public CatalogModel(String name, String displayName, String source, String architecture, int dModel, int nLayers,
			int vocabSize) {
		this.name = name;
		this.displayName = displayName;
		this.source = source;
		this.architecture = architecture;
		this.dModel = dModel;
		this.nLayers = nLayers;
		this.vocabSize = vocabSize;
	}

	public Long getId() {
		return this.id;
	}

	public String getName() {
		return this.name;
	}

	public String getDisplayName() {
		return this.displayName;
	}

	public String getSource() {
		return this.source;
	}

	public void setSource(String source) {
		this.source = source;
	}

	public String getArchitecture() {
		return this.architecture;
	}

	public int getDModel() {
		return this.dModel;
	}

	public int getNLayers() {
		return this.nLayers;
	}

	public int getVocabSize() {
		return this.vocabSize;
	}

	public String getConfig() {
		return this.config;
	}

	public void setConfig(String config) {
		this.config = config;
	}

	public OffsetDateTime getCreatedAt() {
		return this.createdAt;
	}
}
