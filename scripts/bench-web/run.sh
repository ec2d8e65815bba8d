#!/usr/bin/env bash
# Web benchmark (docs/benchmarks.md, "Web"): seeds 100k features x (32 top + 80 interval) examples, starts the
# app, measures random feature pages with wrk at 32 connections, and the decoder-neighbour query with pgbench.
#
#   scripts/bench-web/run.sh            # seed (if the bench model is missing), build, measure
#   scripts/bench-web/run.sh --reseed   # drop and re-seed first
#
# Database: PGHOST/PGPORT/PGDATABASE/PGUSER/PGPASSWORD (default: the local cluster's lumen_test database).
# EF_SEARCH: hnsw.ef_search of the pgbench neighbour query (default 160, as feature/FeatureNeighbourRepository).
# The app starts without the label-embedding backfill: embedding 100k bench labels would compete with the load.
# Needs wrk (apt-get install wrk) and pgbench (postgresql-client).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-54329} PGDATABASE=${PGDATABASE:-lumen_test} PGUSER=${PGUSER:-lumen}
export PGPASSWORD=${PGPASSWORD:-lumen}
PORT=${LUMEN_BENCH_PORT:-18080}
DURATION=${LUMEN_BENCH_DURATION:-30s}
OUT=${LUMEN_BENCH_OUT:-target/bench-web}
mkdir -p "$OUT"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
command -v pgbench >/dev/null || { echo "pgbench is missing: apt-get install postgresql-client" >&2; exit 1; }

seeded=$(psql -Atc "SELECT count(*) FROM feature f JOIN sae s ON s.id = f.sae_id WHERE s.name = 'bench-100k'" || echo 0)
if [[ "${1:-}" == "--reseed" || "$seeded" != "100000" ]]; then
  echo "seeding (several minutes) ..."
  psql -q -v ON_ERROR_STOP=1 -f scripts/bench-web/seed.sql > "$OUT/seed.log"
fi
SAE_ID=$(psql -Atc "SELECT id FROM sae WHERE name = 'bench-100k'")

[[ -f backend/target/lumen.jar ]] || ./mvnw -q -DskipTests package
java -Xmx2g -jar backend/target/lumen.jar serve --port "$PORT" \
  --spring.datasource.url="jdbc:postgresql://$PGHOST:$PGPORT/$PGDATABASE" --spring.datasource.username="$PGUSER" \
  --spring.datasource.password="$PGPASSWORD" --spring.datasource.hikari.maximum-pool-size=16 \
  --lumen.search.embeddings.backfill-on-start=false > "$OUT/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null && break
  sleep 1
done

BASE="http://127.0.0.1:$PORT"
echo "page size: $(curl -s "$BASE/bench-web/bench-100k/12345" | wc -c) bytes"
echo "warm-up ..."
wrk -t2 -c8 -d15s -s scripts/bench-web/feature.lua "$BASE" > /dev/null
echo "== feature pages, 32 connections =="
wrk -t2 -c32 -d"$DURATION" --latency -s scripts/bench-web/feature.lua "$BASE" | tee "$OUT/feature-pages.txt"
echo "== feature pages, 4 connections =="
wrk -t2 -c4 -d"$DURATION" --latency -s scripts/bench-web/feature.lua "$BASE" | tee "$OUT/feature-pages-4.txt"
echo "== feature pages, 1 connection =="
wrk -t1 -c1 -d"$DURATION" --latency -s scripts/bench-web/feature.lua "$BASE" | tee "$OUT/feature-pages-1.txt"
echo "== neighbour API, 32 connections =="
wrk -t2 -c32 -d"$DURATION" --latency -s scripts/bench-web/neighbours.lua "$BASE" | tee "$OUT/neighbours-api.txt"

# The neighbour query as the app runs it: fetch the decoder, then the HNSW query with the SAE id and dimension
# written into the SQL (catalog/VectorIndexKind, feature/FeatureNeighbourRepository), one client.
cat > "$OUT/neighbours.sql" <<SQL
\set idx random(0, 99999)
SELECT decoder::text AS q FROM feature_decoder WHERE sae_id = $SAE_ID AND feature_index = :idx \gset
BEGIN;
SET LOCAL hnsw.ef_search = ${EF_SEARCH:-160};
SELECT feature_index, 1 - (decoder <=> ':q'::vector(64)) AS cosine FROM feature_decoder WHERE sae_id = $SAE_ID ORDER BY (decoder::vector(64)) <=> (':q')::vector(64) LIMIT 11;
COMMIT;
SQL
rm -f "$OUT"/pgbench_log.*
(cd "$OUT" && pgbench -n -c1 -T 20 -f neighbours.sql -l > pgbench.txt)
echo "== neighbour query (pgbench, 1 client, decoder fetch + HNSW top-11) =="
cat "$OUT"/pgbench_log.* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {printf "n=%d p50=%.2f ms p99=%.2f ms\n", NR, a[int(NR*0.5)]/1000, a[int(NR*0.99)]/1000}' | tee "$OUT/neighbour-query.txt"
psql -Atc "EXPLAIN SELECT feature_index FROM feature_decoder WHERE sae_id = $SAE_ID ORDER BY (decoder::vector(64)) <=> (SELECT decoder FROM feature_decoder WHERE sae_id = $SAE_ID AND feature_index = 1)::vector(64) LIMIT 11" | grep -i "index scan" | head -2
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
