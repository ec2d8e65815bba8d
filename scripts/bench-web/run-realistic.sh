#!/usr/bin/env bash
# Issue 17's web benchmark (docs/benchmarks.md, "Web at team scale"): a realistic seed (seed-realistic.sql:
# d_in 768, 100 000 features, distinct contexts, interval examples), 'lumen map' (exact neighbour lists + map,
# timed), then two apps side by side, one with the server-side cache off and one with it on, and ROUNDS rounds
# of wrk, interleaved so that a changing machine load hits every case alike: cold (random pages, no server cache,
# no revalidation) at 32 connections and at 1, a team on 20 shared permalinks with revalidation (304s) at 32, and
# the same as plain GETs (rendered-answer cache) at 32. Prints per case the median p50 / p99 over the rounds
# with their min-max, and the load average at each round. Every run fails on an answer other than 2xx/304
# (status-check.lua) or a socket error.
#
#   scripts/bench-web/run-realistic.sh [--reseed] [--sql-neighbours]
#   LUMEN_BENCH_ROUNDS=5 LUMEN_BENCH_DURATION=30s scripts/bench-web/run-realistic.sh --sql-neighbours   # quiet machine
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
DURATION=${LUMEN_BENCH_DURATION:-20s}
ROUNDS=${LUMEN_BENCH_ROUNDS:-3}
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

start_app() { # $1: port, $2: rendered-answer cache in MiB (0 = off); sets APP_PID
  java -Xmx2g -jar backend/target/lumen.jar serve --port "$1" $DB --spring.datasource.hikari.maximum-pool-size=16 \
    --lumen.search.embeddings.backfill-on-start=false --lumen.web.rendered-cache-mb="$2" > "$OUT/app-$2.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$1/actuator/health" >/dev/null && return; sleep 1; done
  echo "app did not start (see $OUT/app-$2.log)" >&2; exit 1
}
COLD="http://127.0.0.1:$PORT" WARM="http://127.0.0.1:$((PORT + 1))"
start_app "$PORT" 0; COLD_PID=$APP_PID
trap 'kill $COLD_PID ${WARM_PID:-} 2>/dev/null || true' EXIT
start_app "$((PORT + 1))" 64; WARM_PID=$APP_PID
PAGE=/bench-web-768/bench-768-100k/12345
echo "page size: $(curl -sf "$COLD$PAGE" | wc -c) bytes; HEAD: $(curl -sfI "$WARM$PAGE" | grep -i '^etag' | tr -d '\r')"
# warm-up: JIT, connection pools, the database's own caches
wrk -t2 -c8 -d15s -s scripts/bench-web/cold.lua "$COLD" > /dev/null
wrk -t2 -c8 -d5s -s scripts/bench-web/permalinks.lua "$WARM" > /dev/null

run() { # $1: case name, $2: round, rest: wrk arguments; keeps "case round p50_ms p99_ms req/s load1"
  local file="$OUT/$1-$2.txt" load
  load=$(cut -d' ' -f1 /proc/loadavg)
  wrk "${@:3}" > "$file"
  awk -v c="$1" -v r="$2" -v l="$load" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) } $1 == "Requests/sec:" { rps = $2 }
    END { printf "%s %s %.2f %.2f %s %s\n", c, r, p50, p99, rps, l }' "$file" | tee -a "$OUT/rounds.txt"
}
: > "$OUT/rounds.txt"
echo "case round p50_ms p99_ms req/s load1"
for r in $(seq 1 "$ROUNDS"); do
  run cold-32 "$r" -t2 -c32 -d"$DURATION" --latency -s scripts/bench-web/cold.lua "$COLD"
  run revalidate-32 "$r" -t2 -c32 -d"$DURATION" --latency -s scripts/bench-web/permalinks.lua "$WARM"
  REVALIDATE=0 run cached-32 "$r" -t2 -c32 -d"$DURATION" --latency -s scripts/bench-web/permalinks.lua "$WARM"
  run cold-1 "$r" -t1 -c1 -d"$DURATION" --latency -s scripts/bench-web/cold.lua "$COLD"
done
echo "== medians over $ROUNDS rounds (min-max) =="
python3 - "$OUT/rounds.txt" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
for case in dict.fromkeys(r[0] for r in rows):
    got = [r for r in rows if r[0] == case]
    def col(i):
        v = [float(r[i]) for r in got]
        return "%.1f (%.1f-%.1f)" % (statistics.median(v), min(v), max(v))
    print("%-14s p50 %s ms  p99 %s ms  %s req/s  load %s" % (case, col(2), col(3), col(4), col(5)))
PY
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load now $(cut -d' ' -f1-3 /proc/loadavg)"
