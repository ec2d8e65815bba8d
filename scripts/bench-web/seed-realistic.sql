-- A realistic benchmark catalog (issue 17): model 'bench-web-768' (d_model 768, 32k vocabulary) with SAE
-- 'bench-768-100k': 100 000 features with 768-dim decoders drawn around 400 directions (so the map and the
-- neighbour lists have structure), and per feature 32 top examples in contexts of their own (3.2 M distinct
-- 64-token contexts) plus 10 activation intervals x 8 examples over other features' contexts (distinct
-- within a page), an activation histogram, logit effects, co-occurrence and a label.
-- Activation arrays come from a pool of 20 000: a page's cost depends on their size, not their values.
-- No HNSW index is built: pages read the exact neighbour lists 'lumen map' stores (run-realistic.sh runs it), and
-- the index only serves the fallback when a list is missing.
--
-- Fast bulk load (minutes, not an hour): every row comes from generate_series in one INSERT per table; context
-- ids are assigned here, so examples need no join to find them; feature_example (11.2 M rows, ~4 GB) is loaded
-- UNLOGGED with its primary key, index and foreign keys dropped, which are rebuilt after the load (one sort
-- each; the foreign keys are added NOT VALID and then validated, one join each), and the table is made LOGGED
-- again at the end, so the database is the same as one an extraction wrote.
-- Run: psql -v ON_ERROR_STOP=1 -f seed-realistic.sql (as the database owner, in a database for benchmarks only:
-- it takes feature_example's constraints away while it loads). Re-running replaces the model.
\timing on
SET client_min_messages = warning;
SET maintenance_work_mem = '1GB';
SET work_mem = '256MB';
DELETE FROM model WHERE name = 'bench-web-768';

INSERT INTO model (name, display_name, source, architecture, d_model, n_layers, vocab_size)
VALUES ('bench-web-768', 'Benchmark model (d 768)', 'bench', 'GPT2LMHeadModel', 768, 12, 32000);

INSERT INTO model_token (model_id, token_id, text)
SELECT m.id, t, CASE t % 7 WHEN 0 THEN ' tok' || t WHEN 1 THEN E'\n' ELSE ' w' || t END
FROM model m, generate_series(0, 31999) t WHERE m.name = 'bench-web-768';

INSERT INTO sae (model_id, name, hook_name, hook_layer, d_in, d_sae, architecture, source, vector_index, eval_stats)
SELECT id, 'bench-768-100k', 'blocks.8.hook_resid_post', 8, 768, 100000, 'topk', 'bench', 'VECTOR',
       '{"l0": 64, "explained_variance": 0.82, "dead_fraction": 0.01}'::jsonb
FROM model WHERE name = 'bench-web-768';
SELECT s.id AS sae_id, s.model_id FROM sae s WHERE s.name = 'bench-768-100k' \gset

CREATE TEMP TABLE centres AS
SELECT c, (SELECT array_agg((random() - 0.5 + g * 0 + c * 0)::real) FROM generate_series(1, 768) g) AS v
FROM generate_series(0, 399) c;

INSERT INTO feature (sae_id, feature_index, density, max_activation, mean_activation)
SELECT :sae_id, i, power(10, -6 + 5 * random())::real, (1 + 9 * random())::real, (0.2 + random())::real
FROM generate_series(0, 99999) i;
-- decoder = a centre plus noise of about the same size (vectors live in their own table, V10); the centre is
-- unnested once per row (c.v[g] would detoast the whole array for every element)
INSERT INTO feature_decoder (sae_id, feature_index, decoder)
SELECT :sae_id, i,
       (SELECT array_agg((x + 0.8 * (random() - 0.5) + i * 0)::real ORDER BY g) FROM unnest(c.v) WITH ORDINALITY u(x, g))::vector
FROM generate_series(0, 99999) i JOIN centres c ON c.c = (i * 7) % 400;

-- 32 distinct 64-token contexts per feature, with ids first_context + n (context n = 32 f + r)
SELECT coalesce(max(id), 0) + 1 AS first_context FROM context \gset
INSERT INTO context (id, model_id, corpus, doc_index, start_pos, token_ids)
SELECT :first_context + c, :model_id, 'bench768', c, 0,
       (SELECT array_agg((random() * 31999)::int + g * 0 + c * 0) FROM generate_series(1, 64) g)
FROM generate_series(0, 3199999) c;
SELECT setval(pg_get_serial_sequence('context', 'id'), :first_context + 3199999);

CREATE TEMP TABLE act_pool AS
SELECT p, (SELECT array_agg((CASE WHEN random() < 0.8 THEN 0 ELSE random() * 5 END + g * 0 + p * 0)::real) FROM generate_series(1, 64) g) AS acts
FROM generate_series(0, 19999) p;
ANALYZE act_pool;

-- bulk load of the examples: no constraints or indexes while rows go in, no WAL
ALTER TABLE feature_example DROP CONSTRAINT IF EXISTS feature_example_context_id_fkey;
ALTER TABLE feature_example DROP CONSTRAINT IF EXISTS feature_example_sae_id_feature_index_fkey;
ALTER TABLE feature_example DROP CONSTRAINT IF EXISTS feature_example_pkey;
DROP INDEX IF EXISTS feature_example_context;
ALTER TABLE feature_example SET UNLOGGED;

-- top examples: feature f's own contexts 32f .. 32f+31; interval examples: the top contexts of feature
-- (f + 1 + interval) mod 100000, so a page's 112 contexts are all different. Written in feature order, as
-- extraction writes them.
INSERT INTO feature_example (sae_id, feature_index, kind, interval_index, rank, context_id, max_position, max_activation, activations)
SELECT :sae_id, f, CASE WHEN k < 32 THEN 'top' ELSE 'interval' END,
       CASE WHEN k < 32 THEN 0 ELSE (k - 32) / 8 END, CASE WHEN k < 32 THEN k ELSE (k - 32) % 8 END,
       :first_context + CASE WHEN k < 32 THEN f * 32 + k ELSE ((f + 1 + (k - 32) / 8) % 100000) * 32 + (k - 32) % 8 END,
       (f + k) % 64, 5 - k * 0.04, a.acts
FROM generate_series(0, 99999) f CROSS JOIN generate_series(0, 111) k JOIN act_pool a ON a.p = (f * 7 + k) % 20000
ORDER BY f, k;

-- the schema back as V1/V2 define it
ALTER TABLE feature_example SET LOGGED;
ALTER TABLE feature_example ADD PRIMARY KEY (sae_id, feature_index, kind, interval_index, rank);
CREATE INDEX feature_example_context ON feature_example (context_id);
ALTER TABLE feature_example ADD CONSTRAINT feature_example_context_id_fkey FOREIGN KEY (context_id)
    REFERENCES context (id) ON DELETE CASCADE NOT VALID;
ALTER TABLE feature_example ADD CONSTRAINT feature_example_sae_id_feature_index_fkey FOREIGN KEY (sae_id, feature_index)
    REFERENCES feature (sae_id, feature_index) ON DELETE CASCADE NOT VALID;
ALTER TABLE feature_example VALIDATE CONSTRAINT feature_example_context_id_fkey;
ALTER TABLE feature_example VALIDATE CONSTRAINT feature_example_sae_id_feature_index_fkey;

INSERT INTO feature_histogram (sae_id, feature_index, kind, bin_edges, counts)
SELECT :sae_id, f, 'activation',
       (SELECT array_agg(power(10, -2 + 3 * b / 40.0)::real ORDER BY b) FROM generate_series(0, 40) b),
       (SELECT array_agg((1000 * exp(-b / 8.0))::bigint + f % 3 ORDER BY b) FROM generate_series(0, 39) b)
FROM generate_series(0, 99999) f;

INSERT INTO feature_logit_effect
SELECT :sae_id, f, (SELECT array_agg(((f * 31 + j * 97) % 32000) ORDER BY j) FROM generate_series(0, 9) j),
       (SELECT array_agg((1 - j * 0.05)::real ORDER BY j) FROM generate_series(0, 9) j),
       (SELECT array_agg(((f * 17 + j * 89) % 32000) ORDER BY j) FROM generate_series(0, 9) j),
       (SELECT array_agg((-1 + j * 0.05)::real ORDER BY j) FROM generate_series(0, 9) j)
FROM generate_series(0, 99999) f;

INSERT INTO feature_cooccurrence
SELECT :sae_id, f, (SELECT array_agg(((f + j * 1013) % 100000) ORDER BY j) FROM generate_series(1, 10) j),
       (SELECT array_agg((0.5 - j * 0.03)::real ORDER BY j) FROM generate_series(1, 10) j)
FROM generate_series(0, 99999) f;

-- labels name the feature's centre, so the map's clusters get words
INSERT INTO feature_label (sae_id, feature_index, label, description, explainer, is_heuristic)
SELECT :sae_id, f, (ARRAY['dialogue', 'animal names', 'past tense verbs', 'numbers', 'colours', 'the end of a story',
                      'family members', 'food', 'weather', 'feelings'])[1 + ((f * 7) % 400) % 10] || ' ' ||
                (ARRAY['in titles', 'after commas', 'in questions', 'at line starts'])[1 + ((f * 7) % 400) / 100] || ' ' || f,
       'Fires on ' || (ARRAY['quoted speech', 'cats and dogs', 'verbs ending in -ed', 'digits', 'red, green and blue',
                             'final sentences', 'mum and dad', 'cake and apples', 'rain and sun', 'happy and sad'])[1 + f % 10],
       'heuristic', true
FROM generate_series(0, 99999) f;

ANALYZE feature; ANALYZE feature_decoder; ANALYZE feature_example; ANALYZE feature_label; ANALYZE context;
