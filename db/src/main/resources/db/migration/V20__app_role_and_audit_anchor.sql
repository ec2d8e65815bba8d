-- Lumen schema v20: least privilege for the application's database role, and an anchor for the audit chain.
--
-- Two roles: the owner (runs these migrations, owns every table, may disable triggers) and the application role
-- (spring.datasource.username; placeholder app_role, default lumen_app) with only what the app needs: SELECT,
-- INSERT, UPDATE, DELETE on the tables, and SELECT + INSERT on audit_event. The grants are (re)applied after every
-- migration by grant_app_role (callback afterMigrate.sql), so a role created later gets them at the next start.

-- What the app role cannot do itself (it owns no table): create an SAE's partial HNSW index over its decoder
-- vectors. The function builds the statement from the sae row alone (integers and a checked enum), never from
-- caller text. Expressions and operator classes as in catalog/VectorIndexKind; m = 24, ef_construction = 128.
CREATE FUNCTION create_sae_decoder_index(p_sae_id bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    s record;
    expr text;
    opclass text;
BEGIN
    SELECT id, d_in, d_sae, vector_index INTO s FROM sae WHERE id = p_sae_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no SAE with id %', p_sae_id;
    END IF;
    CASE s.vector_index
        WHEN 'VECTOR' THEN expr := format('(decoder::vector(%s))', s.d_in); opclass := 'vector_cosine_ops';
        WHEN 'HALFVEC' THEN expr := format('(decoder::halfvec(%s))', s.d_in); opclass := 'halfvec_cosine_ops';
        ELSE expr := format('(binary_quantize(decoder)::bit(%s))', s.d_in); opclass := 'bit_hamming_ops';
    END CASE;
    -- an HNSW build whose graph fits in maintenance_work_mem is many times faster than one that spills (pgvector's
    -- notice says so); the graph is about d_sae x (4 d_in + 8 m + 64) bytes. For this transaction only.
    PERFORM set_config('maintenance_work_mem',
        greatest(64, least(2048, ((s.d_sae::bigint * (4 * s.d_in + 8 * 24 + 64)) >> 20) + 16)) || 'MB', true);
    -- decoder vectors live in feature_decoder (V10), written once at registration
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON feature_decoder USING hnsw (%s %s) WITH (m = 24, ef_construction = 128) '
                   'WHERE sae_id = %s', 'feature_decoder_sae_' || s.id, expr, opclass, s.id);
END
$$;
REVOKE ALL ON FUNCTION create_sae_decoder_index(bigint) FROM PUBLIC;

-- The audit chain's anchor: the id and hash of the newest row, written by the insert trigger (which now runs as
-- the owner) in a table the app role cannot touch. A deleted tail, or rows appended with the triggers disabled,
-- no longer match it, and audit_chain_breaks reports that.
CREATE TABLE audit_anchor (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_id    bigint NOT NULL,
    last_hash  bytea NOT NULL
);
INSERT INTO audit_anchor (last_id, last_hash) SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1;

CREATE OR REPLACE FUNCTION audit_event_chain() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    -- one writer at a time, so every row links to its true predecessor
    PERFORM pg_advisory_xact_lock(hashtext('lumen.audit_event'));
    -- ids are taken under the lock, so id order is commit order and the chain follows it
    NEW.id := nextval(pg_get_serial_sequence('audit_event', 'id'));
    NEW.occurred_at := clock_timestamp();
    SELECT hash INTO NEW.prev_hash FROM audit_event ORDER BY id DESC LIMIT 1;
    NEW.hash := sha256(coalesce(NEW.prev_hash, ''::bytea) || convert_to(audit_event_payload(NEW), 'UTF8'));
    INSERT INTO audit_anchor (last_id, last_hash) VALUES (NEW.id, NEW.hash)
        ON CONFLICT (singleton) DO UPDATE SET last_id = EXCLUDED.last_id, last_hash = EXCLUDED.last_hash;
    RETURN NEW;
END
$$;

-- Rows whose hash does not match their content or whose link to the previous row is broken, and a newest row
-- that is not the one the anchor names (a deleted tail, or rows appended behind the trigger's back).
CREATE OR REPLACE FUNCTION audit_chain_breaks() RETURNS TABLE (id bigint, problem text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT * FROM (
        SELECT c.id, CASE WHEN c.prev_hash IS DISTINCT FROM c.expected_prev THEN 'link to previous row broken'
                          ELSE 'content changed' END
        FROM (SELECT e.id, e.prev_hash, e.hash,
                     lag(e.hash) OVER (ORDER BY e.id) AS expected_prev,
                     sha256(coalesce(e.prev_hash, ''::bytea) || convert_to(audit_event_payload(e), 'UTF8')) AS expected_hash
              FROM audit_event e) c
        WHERE c.prev_hash IS DISTINCT FROM c.expected_prev OR c.hash <> c.expected_hash
        UNION ALL
        SELECT a.last_id, CASE WHEN t.id IS NULL OR t.id < a.last_id THEN 'tail deleted: the anchor names a newer row'
                               WHEN t.id > a.last_id THEN 'rows after the anchor were added without the trigger'
                               ELSE 'newest row differs from the anchor' END
        FROM audit_anchor a
        LEFT JOIN LATERAL (SELECT e.id, e.hash FROM audit_event e ORDER BY e.id DESC LIMIT 1) t ON true
        WHERE t.id IS DISTINCT FROM a.last_id OR t.hash IS DISTINCT FROM a.last_hash
    ) breaks
    ORDER BY 1
$$;

-- Grants for the app role (idempotent; called after every migration). Nothing happens when the role does not
-- exist or is the owner itself (a single-role deployment keeps working as before).
CREATE FUNCTION grant_app_role(p_role text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_role IS NULL OR p_role = '' OR p_role = current_user
            OR NOT EXISTS (SELECT FROM pg_roles WHERE rolname = p_role) THEN
        RETURN;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', p_role);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', p_role);
    EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %I', p_role);
    -- the log is append-only for the app: it may read and add, never change or remove
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_event FROM %I', p_role);
    EXECUTE format('REVOKE ALL ON audit_anchor FROM %I', p_role);
    EXECUTE format('REVOKE ALL ON flyway_schema_history FROM %I', p_role);
    EXECUTE format('GRANT SELECT ON flyway_schema_history TO %I', p_role);
    EXECUTE format('GRANT EXECUTE ON FUNCTION create_sae_decoder_index(bigint) TO %I', p_role);
END
$$;
