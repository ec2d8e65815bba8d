#!/usr/bin/env bash
# Issue 17's web benchmark (docs/benchmarks.md, "Web at team scale"): a realistic seed (seed-realistic.sql:
# d_in 768, 100 000 features, distinct contexts, interval examples), 'lumen map' (exact neighbour lists + map,
# timed), then wrk at 32 connections: cold (random pages, server-side cache off, no revalidation), a team on
# 20 shared permalinks with revalidation (304s), and the same without revalidation (rendered-answer cache).
# Every run fails on an answer other than 2xx/304 (status-check.lua).
#
#   scripts/bench-web/run-realistic.sh [--reseed] [--sql-neighbours]
#
# --sql-neighbours: instead of 'lumen map' (exact top-20 over all 100k decoders: 1.5e13 flops, half an hour on a
# busy 2-core machine), store stand-in lists from seed-realistic-neighbours.sql (exact cosines within each
# feature's centre group); pages cost the same either way.
#
# Database: PGHOST/PGPORT/PGDATABASE/PGUSER/PGPASSWORD (default: the local cluster's lumen_test database); it
# must have the app's schema (start 'lumen serve' against it once). Needs wrk and psql.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-54329} PGDATABASE=${PGDATABASE:-lumen_test} PGUSER=${PGUSER:-lumen}
export PGPASSWORD=${PGPASSWORD:-lumen}
PORT=${LUMEN_BENCH_PORT:-18080}
DURATION=${LUMEN_BENCH_DURATION:-30s}
OUT=${LUMEN_BENCH_OUT:-target/bench-web-realistic}
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
DB="--spring.datasource.url=jdbc:postgresql://$PGHOST:$PGPORT/$PGDATABASE --spring.datasource.username=$PGUSER --spring.datasource.password=$PGPASSWORD"
[[ -f backend/target/lumen.jar ]] || ./mvnw -q -DskipTests package -pl backend -am

seeded=$(psql -Atc "SELECT count(*) FROM feature f JOIN sae s ON s.id = f.sae_id WHERE s.name = 'bench-768-100k'" || echo 0)
if [[ " $* " == *" --reseed "* || "$seeded" != "100000" ]]; then
  echo "seeding (long) ..."
  psql -q -v ON_ERROR_STOP=1 -f scripts/bench-web/seed-realistic.sql > "$OUT/seed.log"
fi
has_map=$(psql -Atc "SELECT count(*) FROM sae_map m JOIN sae s ON s.id = m.sae_id WHERE s.name = 'bench-768-100k'")
lists=$(psql -Atc "SELECT count(*) FROM feature_neighbour_list l JOIN sae s ON s.id = l.sae_id WHERE s.name = 'bench-768-100k'")
if [[ " $* " == *" --sql-neighbours "* && "$lists" != "100000" ]]; then
  echo "stand-in neighbour lists (SQL) ..."
  psql -q -v ON_ERROR_STOP=1 -f scripts/bench-web/seed-realistic-neighbours.sql > "$OUT/neighbours.log"
elif [[ " $* " != *" --sql-neighbours "* && "$has_map" != "1" ]]; then
  echo "lumen map ..."
  /usr/bin/time -v java -Xmx3g -jar backend/target/lumen.jar map --model-name bench-web-768 --sae-name bench-768-100k \
    $DB > "$OUT/map.txt" 2> "$OUT/map-time.txt"
  cat "$OUT/map.txt"; grep -E "Maximum resident|Elapsed" "$OUT/map-time.txt"
fi

start_app() { # $1: rendered-answer cache in MiB (0 = off)
  java -Xmx2g -jar backend/target/lumen.jar serve --port "$PORT" $DB --spring.datasource.hikari.maximum-pool-size=16 \
    --lumen.search.embeddings.backfill-on-start=false --lumen.web.rendered-cache-mb="$1" > "$OUT/app-$1.log" 2>&1 &
  APP=$!
  for _ in $(seq 1 180); do curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null && return; sleep 1; done
  echo "app did not start" >&2; exit 1
}
BASE="http://127.0.0.1:$PORT"
trap 'kill $APP 2>/dev/null || true' EXIT

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
start_app 0
echo "page size: $(curl -s "$BASE/bench-web-768/bench-768-100k/12345" | wc -c) bytes"
wrk -t2 -c8 -d15s -s scripts/bench-web/cold.lua "$BASE" > /dev/null
echo "== cold: random feature pages, no server cache, no revalidation, 32 connections =="
wrk -t2 -c32 -d"$DURATION" --latency -s scripts/bench-web/cold.lua "$BASE" | tee "$OUT/cold-32.txt"
echo "== cold, 1 connection =="
wrk -t1 -c1 -d"$DURATION" --latency -s scripts/bench-web/cold.lua "$BASE" | tee "$OUT/cold-1.txt"
kill $APP; wait $APP 2>/dev/null || true

start_app 64
echo "== 20 shared permalinks, revalidation (If-None-Match), 32 connections =="
wrk -t2 -c32 -d"$DURATION" --latency -s scripts/bench-web/permalinks.lua "$BASE" | tee "$OUT/permalinks-revalidate-32.txt"
echo "== 20 shared permalinks, plain GETs (rendered-answer cache), 32 connections =="
REVALIDATE=0 wrk -t2 -c32 -d"$DURATION" --latency -s scripts/bench-web/permalinks.lua "$BASE" | tee "$OUT/permalinks-cached-32.txt"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
