-- Semantic search over labels: one sentence embedding (all-MiniLM-L6-v2, 384 dimensions) per labelled feature,
-- of the text of its newest label. text_hash = sha256 of that text (UTF-8) when it was embedded: a row whose hash
-- differs from the newest label's is stale and is re-embedded by the backfill (and skipped by search meanwhile).

CREATE TABLE label_embedding (
    sae_id         bigint NOT NULL,
    feature_index  integer NOT NULL,
    text_hash      bytea NOT NULL,           -- sha256(convert_to(label, 'UTF8'))
    embedder       text NOT NULL,            -- the embedding model; another model's vectors are stale too
    embedding      vector(384) NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sae_id, feature_index),
    FOREIGN KEY (sae_id, feature_index) REFERENCES feature (sae_id, feature_index) ON DELETE CASCADE
);

-- One index over every SAE (the dimension is fixed, unlike decoder vectors); the build parameters are those of
-- the decoder indexes (catalog/SaeRegistrar). A search scoped to one SAE filters it with an iterative scan.
CREATE INDEX label_embedding_hnsw ON label_embedding
    USING hnsw (embedding vector_cosine_ops) WITH (m = 24, ef_construction = 128);
