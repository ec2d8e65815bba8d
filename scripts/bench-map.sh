#!/usr/bin/env bash
# Feature-map timings (docs/benchmarks.md, "Feature map"): exact neighbours, UMAP layout and clusters on
# synthetic decoders (groups of 250 directions around random centres) at the given sizes.
#   scripts/bench-map.sh [SIZES] [D]      # default 1000,16384,131072 and d = 768
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${1:-1000,16384,131072}
D=${2:-768}
./mvnw -B -q -pl backend -am test -Dtest=MapTiming -Dsurefire.failIfNoSpecifiedTests=false \
  -Dlumen.bench.map="$SIZES" -Dlumen.bench.map.d="$D" 2>&1 | tee /tmp/bench-map.log | grep MAPTIMING || true
grep MAPTIMING backend/target/surefire-reports/*MapTiming*-output.txt 2>/dev/null || true
