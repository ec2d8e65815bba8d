-- Interoperability with SAEDashboard / Neuronpedia (docs/interop.md).

-- Features imported without the SAE's weights have no decoder vector: no feature_decoder row (V10), so their
-- pages say so and neighbour search never sees them. Extraction and SAE registration always write one.

-- Where an imported feature's data came from, and what of the source file Lumen has no column for
-- (SAEDashboard's bins, neuron alignment, correlated features, logit histogram, run settings), so pages can
-- mark the source and an export writes the file back exactly.
CREATE TABLE feature_source (
    sae_id         bigint NOT NULL,
    feature_index  integer NOT NULL,
    source         text NOT NULL CHECK (source IN ('saedashboard', 'neuronpedia')),
    origin         text NOT NULL,            -- the file (or export directory) it was read from
    detail         jsonb NOT NULL DEFAULT '{}'::jsonb,
    imported_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sae_id, feature_index),
    FOREIGN KEY (sae_id, feature_index) REFERENCES feature (sae_id, feature_index) ON DELETE CASCADE
);
