-- Stand-in neighbour lists for the realistic bench SAE when 'lumen map' would take too long on the machine
-- (run-realistic.sh --sql-neighbours): for each feature, the 20 nearest by exact cosine (pgvector <=>) among the
-- 249 other features built around the same centre (seed-realistic.sql: centre (i * 7) mod 400, so features
-- i + 400 m). In this construction those are the nearest decoders; 'lumen map' computes the exact lists over
-- all features. A page's cost does not depend on which 20 features are listed.
\timing on
DELETE FROM feature_neighbour_list WHERE sae_id = (SELECT id FROM sae WHERE name = 'bench-768-100k');
INSERT INTO feature_neighbour_list (sae_id, feature_index, neighbour_indices, cosines)
SELECT f.sae_id, f.feature_index, array_agg(n.j ORDER BY n.cos DESC), array_agg(n.cos::real ORDER BY n.cos DESC)
FROM feature_decoder f
CROSS JOIN LATERAL (
  SELECT g.feature_index AS j, 1 - (g.decoder <=> f.decoder) AS cos
  FROM feature_decoder g
  WHERE g.sae_id = f.sae_id AND g.feature_index % 400 = f.feature_index % 400 AND g.feature_index <> f.feature_index
  ORDER BY g.decoder <=> f.decoder LIMIT 20) n
WHERE f.sae_id = (SELECT id FROM sae WHERE name = 'bench-768-100k')
GROUP BY f.sae_id, f.feature_index;
UPDATE sae_page_version SET content = content + 1 WHERE sae_id = (SELECT id FROM sae WHERE name = 'bench-768-100k');
ANALYZE feature_neighbour_list;
