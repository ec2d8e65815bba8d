-- Web search over feature labels (full-text + trigram) and the feature table's sort by max activation.

-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it without superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Both indexes cover the text searched: label and description together. Queries must repeat the expressions.
CREATE INDEX feature_label_fulltext ON feature_label
    USING gin (to_tsvector('english', label || ' ' || coalesce(description, '')));
CREATE INDEX feature_label_trigram ON feature_label
    USING gin ((label || ' ' || coalesce(description, '')) gin_trgm_ops);

-- the SAE overview sorts features by max activation
CREATE INDEX feature_max_activation ON feature (sae_id, max_activation);
