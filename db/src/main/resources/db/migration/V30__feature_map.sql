-- Issue 17: the feature map (a 2-D UMAP layout of decoder directions, clustered), decoder-neighbour lists
-- computed once per extraction, and the versions that strong ETags of feature pages and JSON answers derive from.

-- One row per SAE that has a map: how it was computed, and each cluster's label (JSON array, cluster order).
CREATE TABLE sae_map (
    sae_id        bigint PRIMARY KEY REFERENCES sae (id) ON DELETE CASCADE,
    method        text NOT NULL,             -- e.g. umap(k=15,min_dist=0.1,epochs=200)+kmeans(k=24)
    seed          bigint NOT NULL,
    n_features    integer NOT NULL,
    n_laid_out    integer NOT NULL,          -- points the SGD layout optimised; the rest were placed by transform
    clusters      jsonb NOT NULL,            -- [{"id":0,"label":"...","size":123,"x":..,"y":..}, ...]
    seconds       real NOT NULL,
    computed_at   timestamptz NOT NULL DEFAULT now()
);

-- Map position and cluster of every feature (coordinates scaled to [0, 1000] on both axes).
CREATE TABLE feature_map_point (
    sae_id         bigint NOT NULL,
    feature_index  integer NOT NULL,
    x              real NOT NULL,
    y              real NOT NULL,
    cluster        integer NOT NULL,
    PRIMARY KEY (sae_id, feature_index),
    FOREIGN KEY (sae_id, feature_index) REFERENCES feature (sae_id, feature_index) ON DELETE CASCADE
);

-- Exact top-N decoder neighbours by cosine in the same SAE, nearest first (computed blockwise, not by HNSW).
CREATE TABLE feature_neighbour_list (
    sae_id             bigint NOT NULL,
    feature_index      integer NOT NULL,
    neighbour_indices  integer[] NOT NULL,
    cosines            real[] NOT NULL,
    PRIMARY KEY (sae_id, feature_index),
    FOREIGN KEY (sae_id, feature_index) REFERENCES feature (sae_id, feature_index) ON DELETE CASCADE
);
-- which pages list feature i as a neighbour (label changes invalidate them)
CREATE INDEX feature_neighbour_list_reverse ON feature_neighbour_list USING gin (neighbour_indices);
CREATE INDEX feature_cooccurrence_reverse ON feature_cooccurrence USING gin (other_indices);

-- Versions behind ETags. content: bumped when what extraction or 'lumen map' stored changes; labels: bumped by
-- any label or flag change in the SAE (the map page and sibling-neighbour lists show labels of many features).
CREATE TABLE sae_page_version (
    sae_id    bigint PRIMARY KEY REFERENCES sae (id) ON DELETE CASCADE,
    content   bigint NOT NULL DEFAULT 1,
    labels    bigint NOT NULL DEFAULT 1
);

-- Per feature page: bumped when a label, rating or flag shown on that page changes.
CREATE TABLE feature_page_revision (
    sae_id         bigint NOT NULL REFERENCES sae (id) ON DELETE CASCADE,
    feature_index  integer NOT NULL,
    revision       bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (sae_id, feature_index)
);

-- The triggers are per statement, over transition tables: autointerp and imports write thousands of labels
-- in one statement, and bumping the SAE's row once per label row would rewrite that row thousands of times.
-- Every bump joins sae: deleting an SAE cascades to its labels and flags, whose triggers must not write
-- versions for it.

-- The pages that show a changed feature's label: its own, those listing it among their 10 nearest
-- neighbours (the page shows 10 of the stored list), and those listing it as co-occurring.
CREATE FUNCTION lumen_labels_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO feature_page_revision (sae_id, feature_index, revision)
    SELECT p.sae_id, p.feature_index, 2 FROM (
        SELECT c.sae_id, c.feature_index FROM changed c
        UNION SELECT l.sae_id, l.feature_index FROM (SELECT DISTINCT sae_id, feature_index FROM changed) c
              JOIN feature_neighbour_list l ON l.sae_id = c.sae_id AND l.neighbour_indices @> ARRAY[c.feature_index]
              AND array_position(l.neighbour_indices, c.feature_index) <= 10
        UNION SELECT o.sae_id, o.feature_index FROM (SELECT DISTINCT sae_id, feature_index FROM changed) c
              JOIN feature_cooccurrence o ON o.sae_id = c.sae_id AND o.other_indices @> ARRAY[c.feature_index]
    ) p JOIN sae s ON s.id = p.sae_id
    ON CONFLICT (sae_id, feature_index) DO UPDATE SET revision = feature_page_revision.revision + 1;
    INSERT INTO sae_page_version (sae_id, labels)
    SELECT DISTINCT c.sae_id, 2 FROM changed c JOIN sae s ON s.id = c.sae_id
    ON CONFLICT (sae_id) DO UPDATE SET labels = sae_page_version.labels + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER feature_label_pages_insert AFTER INSERT ON feature_label REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION lumen_labels_changed();
CREATE TRIGGER feature_label_pages_update AFTER UPDATE ON feature_label REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION lumen_labels_changed();
CREATE TRIGGER feature_label_pages_delete AFTER DELETE ON feature_label REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION lumen_labels_changed();
CREATE TRIGGER flag_pages_insert AFTER INSERT ON flag REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION lumen_labels_changed();
CREATE TRIGGER flag_pages_update AFTER UPDATE ON flag REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION lumen_labels_changed();
CREATE TRIGGER flag_pages_delete AFTER DELETE ON flag REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION lumen_labels_changed();

-- Specificity ratings draw the histogram of their label's feature only.
CREATE FUNCTION lumen_ratings_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO feature_page_revision (sae_id, feature_index, revision)
    SELECT DISTINCT l.sae_id, l.feature_index, 2 FROM changed c JOIN feature_label l ON l.id = c.label_id
    JOIN sae s ON s.id = l.sae_id
    ON CONFLICT (sae_id, feature_index) DO UPDATE SET revision = feature_page_revision.revision + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER specificity_rating_pages_insert AFTER INSERT ON specificity_rating REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION lumen_ratings_changed();
CREATE TRIGGER specificity_rating_pages_update AFTER UPDATE ON specificity_rating REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION lumen_ratings_changed();
CREATE TRIGGER specificity_rating_pages_delete AFTER DELETE ON specificity_rating REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION lumen_ratings_changed();

-- An extraction job that starts, finishes or fails changes what every page of its SAE shows.
CREATE FUNCTION lumen_job_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind = 'extract' AND NEW.sae_id IS NOT NULL AND NEW.status IS DISTINCT FROM OLD.status THEN
        INSERT INTO sae_page_version (sae_id, content) SELECT NEW.sae_id, 2 WHERE EXISTS (SELECT 1 FROM sae WHERE id = NEW.sae_id)
        ON CONFLICT (sae_id) DO UPDATE SET content = sae_page_version.content + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER job_pages AFTER UPDATE ON job FOR EACH ROW EXECUTE FUNCTION lumen_job_changed();
