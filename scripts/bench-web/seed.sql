-- Seeds a benchmark catalog for the web pages: model 'bench-web' with a 32k vocabulary, SAE 'bench-100k'
-- (d_in 64, the TinyStories-1M residual width) with 100 000 features, each with 32 top + 80 interval examples
-- over 64-token contexts, an activation histogram, logit effects, co-occurrence and a label.
-- (Each random array's aggregate mentions both its own row g and the outer row, so PostgreSQL evaluates it per
-- outer row instead of once.) Activation arrays come from a pool of 2 000 random ones: page cost depends on their size, not their values.
-- Run: psql -v ON_ERROR_STOP=1 -f seed.sql (as the database owner). Re-running replaces the bench model.
\timing on
SET client_min_messages = warning;
DELETE FROM model WHERE name = 'bench-web';

INSERT INTO model (name, display_name, source, architecture, d_model, n_layers, vocab_size)
VALUES ('bench-web', 'Benchmark model', 'bench', 'LlamaForCausalLM', 64, 8, 32000);

INSERT INTO model_token (model_id, token_id, text)
SELECT m.id, t, CASE t % 7 WHEN 0 THEN ' tok' || t WHEN 1 THEN E'\n' ELSE ' w' || t END
FROM model m, generate_series(0, 31999) t WHERE m.name = 'bench-web';

INSERT INTO sae (model_id, name, hook_name, hook_layer, d_in, d_sae, architecture, source, vector_index, eval_stats)
SELECT id, 'bench-100k', 'blocks.4.hook_resid_post', 4, 64, 100000, 'standard', 'bench', 'VECTOR',
       '{"l0": 31.5, "explained_variance": 0.87, "dead_fraction": 0.02}'::jsonb
FROM model WHERE name = 'bench-web';

-- features with random decoder directions and log-uniform densities
INSERT INTO feature (sae_id, feature_index, density, max_activation, mean_activation)
SELECT s.id, i, power(10, -6 + 5 * random())::real, (1 + 9 * random())::real, (0.2 + random())::real
FROM sae s, generate_series(0, 99999) i WHERE s.name = 'bench-100k';
-- decoder vectors live in their own table (V10)
INSERT INTO feature_decoder (sae_id, feature_index, decoder)
SELECT s.id, i, (SELECT array_agg((random() - 0.5 + g * 0 + i * 0)::real) FROM generate_series(1, 64) g)::vector
FROM sae s, generate_series(0, 99999) i WHERE s.name = 'bench-100k';

-- 20 000 contexts of 64 tokens
INSERT INTO context (model_id, corpus, doc_index, start_pos, token_ids)
SELECT m.id, 'bench', c, 0, (SELECT array_agg((random() * 31999)::int + g * 0 + c * 0) FROM generate_series(1, 64) g)
FROM model m, generate_series(0, 19999) c WHERE m.name = 'bench-web';

CREATE TEMP TABLE act_pool AS
SELECT p, (SELECT array_agg((CASE WHEN random() < 0.8 THEN 0 ELSE random() * 5 END + g * 0 + p * 0)::real) FROM generate_series(1, 64) g) AS acts
FROM generate_series(0, 1999) p;
CREATE TEMP TABLE ctx_ids AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM context
WHERE model_id = (SELECT id FROM model WHERE name = 'bench-web');

-- 32 top + 80 interval (10 x 8) examples per feature
INSERT INTO feature_example (sae_id, feature_index, kind, interval_index, rank, context_id, max_position, max_activation, activations)
SELECT s.id, f, CASE WHEN k < 32 THEN 'top' ELSE 'interval' END,
       CASE WHEN k < 32 THEN 0 ELSE (k - 32) / 8 END, CASE WHEN k < 32 THEN k ELSE (k - 32) % 8 END,
       c.id, (f + k) % 64, 5 - k * 0.04, a.acts
FROM sae s, generate_series(0, 99999) f, generate_series(0, 111) k, ctx_ids c, act_pool a
WHERE s.name = 'bench-100k' AND c.n = (f * 112 + k) % 20000 AND a.p = (f * 7 + k) % 2000;

INSERT INTO feature_histogram (sae_id, feature_index, kind, bin_edges, counts)
SELECT s.id, f, 'activation',
       (SELECT array_agg(power(10, -2 + 3 * b / 40.0)::real ORDER BY b) FROM generate_series(0, 40) b),
       (SELECT array_agg((1000 * exp(-b / 8.0))::bigint + f % 3 ORDER BY b) FROM generate_series(0, 39) b)
FROM sae s, generate_series(0, 99999) f WHERE s.name = 'bench-100k';

INSERT INTO feature_logit_effect
SELECT s.id, f, (SELECT array_agg(((f * 31 + j * 97) % 32000) ORDER BY j) FROM generate_series(0, 9) j),
       (SELECT array_agg((1 - j * 0.05)::real ORDER BY j) FROM generate_series(0, 9) j),
       (SELECT array_agg(((f * 17 + j * 89) % 32000) ORDER BY j) FROM generate_series(0, 9) j),
       (SELECT array_agg((-1 + j * 0.05)::real ORDER BY j) FROM generate_series(0, 9) j)
FROM sae s, generate_series(0, 99999) f WHERE s.name = 'bench-100k';

INSERT INTO feature_cooccurrence
SELECT s.id, f, (SELECT array_agg(((f + j * 1013) % 100000) ORDER BY j) FROM generate_series(1, 10) j),
       (SELECT array_agg((0.5 - j * 0.03)::real ORDER BY j) FROM generate_series(1, 10) j)
FROM sae s, generate_series(0, 99999) f WHERE s.name = 'bench-100k';

INSERT INTO feature_label (sae_id, feature_index, label, description, explainer, is_heuristic)
SELECT s.id, f, (ARRAY['dialogue', 'animal names', 'past tense verbs', 'numbers', 'colours', 'the end of a story',
                      'family members', 'food', 'weather', 'feelings'])[1 + f % 10] || ' ' || f,
       'Fires on ' || (ARRAY['quoted speech', 'cats and dogs', 'verbs ending in -ed', 'digits', 'red, green and blue',
                             'final sentences', 'mum and dad', 'cake and apples', 'rain and sun', 'happy and sad'])[1 + f % 10],
       'heuristic', true
FROM sae s, generate_series(0, 99999) f WHERE s.name = 'bench-100k';

-- the SAE's HNSW index, as catalog/SaeRegistrar creates it (built after the load, which is faster)
DO $$
DECLARE sid bigint;
BEGIN
  SELECT id INTO sid FROM sae WHERE name = 'bench-100k';
  EXECUTE format('CREATE INDEX feature_decoder_sae_%s ON feature_decoder USING hnsw ((decoder::vector(64)) vector_cosine_ops) '
                 'WITH (m = 24, ef_construction = 128) WHERE sae_id = %s', sid, sid);
END $$;
ANALYZE feature; ANALYZE feature_example; ANALYZE feature_label; ANALYZE context;
