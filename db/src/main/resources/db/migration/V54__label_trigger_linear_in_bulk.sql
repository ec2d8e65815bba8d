-- Issue 17: the label/flag trigger of V30 found the pages that list a changed feature with a join on array
-- containment (other_indices @> ARRAY[i]). For a statement that changes many labels at once (autointerp, an
-- import: 100 000 labels) the planner joins the whole transition table against every row of the SAE's lists with
-- that containment as a filter, 1e10 array tests for 100k labels (measured: over 13 minutes for one INSERT on the
-- realistic bench seed). Now a small change looks each feature up through the GIN indexes (LATERAL, one index
-- probe per changed feature), and a large one unnests the SAEs' lists once and hash-joins them with the changed
-- set: linear either way. Same pages as before: a feature's own page, pages listing it among their 10 nearest
-- neighbours, pages listing it as co-occurring.
CREATE OR REPLACE FUNCTION lumen_labels_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT count(*) > 500 FROM changed) THEN
        INSERT INTO feature_page_revision (sae_id, feature_index, revision)
        WITH cf AS (SELECT DISTINCT c.sae_id, c.feature_index FROM changed c JOIN sae s ON s.id = c.sae_id)
        SELECT p.sae_id, p.feature_index, 2 FROM (
            SELECT sae_id, feature_index FROM cf
            UNION SELECT l.sae_id, l.feature_index FROM feature_neighbour_list l
                  CROSS JOIN LATERAL unnest(l.neighbour_indices[1:10]) u(i)
                  JOIN cf ON cf.sae_id = l.sae_id AND cf.feature_index = u.i
                  WHERE l.sae_id IN (SELECT sae_id FROM cf)
            UNION SELECT o.sae_id, o.feature_index FROM feature_cooccurrence o
                  CROSS JOIN LATERAL unnest(o.other_indices) u(i)
                  JOIN cf ON cf.sae_id = o.sae_id AND cf.feature_index = u.i
                  WHERE o.sae_id IN (SELECT sae_id FROM cf)
        ) p
        ON CONFLICT (sae_id, feature_index) DO UPDATE SET revision = feature_page_revision.revision + 1;
    ELSE
        INSERT INTO feature_page_revision (sae_id, feature_index, revision)
        WITH cf AS (SELECT DISTINCT c.sae_id, c.feature_index FROM changed c JOIN sae s ON s.id = c.sae_id)
        SELECT p.sae_id, p.feature_index, 2 FROM (
            SELECT sae_id, feature_index FROM cf
            UNION SELECT l.sae_id, l.feature_index FROM cf CROSS JOIN LATERAL (
                      SELECT l.sae_id, l.feature_index FROM feature_neighbour_list l WHERE l.sae_id = cf.sae_id
                      AND l.neighbour_indices @> ARRAY[cf.feature_index]
                      AND array_position(l.neighbour_indices, cf.feature_index) <= 10) l
            UNION SELECT o.sae_id, o.feature_index FROM cf CROSS JOIN LATERAL (
                      SELECT o.sae_id, o.feature_index FROM feature_cooccurrence o WHERE o.sae_id = cf.sae_id
                      AND o.other_indices @> ARRAY[cf.feature_index]) o
        ) p
        ON CONFLICT (sae_id, feature_index) DO UPDATE SET revision = feature_page_revision.revision + 1;
    END IF;
    INSERT INTO sae_page_version (sae_id, labels)
    SELECT DISTINCT c.sae_id, 2 FROM changed c JOIN sae s ON s.id = c.sae_id
    ON CONFLICT (sae_id) DO UPDATE SET labels = sae_page_version.labels + 1;
    RETURN NULL;
END $$;
