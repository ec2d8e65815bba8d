-- Issue 17: a feature's nearest decoder directions in each sibling SAE (same model, hook and d_in), stored like
-- the same-SAE lists (V30) so that a feature page runs no vector query. 'lumen map' of either SAE writes both
-- directions exactly; a page that finds no current list computes it once through the sibling's HNSW index and
-- stores it. sibling_content is the sibling's content version (sae_page_version) the list was computed against:
-- a list is used only while it is still the sibling's current one, so re-extracting or re-mapping the sibling
-- retires it.
CREATE TABLE feature_sibling_neighbour_list (
    sae_id             bigint NOT NULL,
    feature_index      integer NOT NULL,
    sibling_sae_id     bigint NOT NULL REFERENCES sae (id) ON DELETE CASCADE,
    sibling_content    bigint NOT NULL,
    exact              boolean NOT NULL,      -- exact top-N by cosine ('lumen map'), or from the HNSW index
    neighbour_indices  integer[] NOT NULL,
    cosines            real[] NOT NULL,
    PRIMARY KEY (sae_id, feature_index, sibling_sae_id),
    FOREIGN KEY (sae_id, feature_index) REFERENCES feature (sae_id, feature_index) ON DELETE CASCADE
);
CREATE INDEX feature_sibling_neighbour_list_sibling ON feature_sibling_neighbour_list (sibling_sae_id);
