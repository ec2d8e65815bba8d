#!/usr/bin/env bash
# Times `lumen import saedashboard` and `lumen export neuronpedia` on a synthetic SAEDashboard run made of the real
# batch's two features (backend/src/test/resources/interop/saedashboard/batch-1.json) repeated under new indices:
# N_FEATURES features (default 512) in batches of 128, ~48 windows of 127 tokens each.
#
#   scripts/bench-interop.sh            # needs backend/target/lumen.jar (./lumen build) and the database of ./lumen db
#
# SPRING_DATASOURCE_URL/USERNAME/PASSWORD choose another database (PSQL_URL the same one for psql). The model and SAE
# it creates (bench-interop-<pid>-<round>) are deleted after each round. RUNS rounds (default 3), each an import
# then an export (import, export, import, export, ...); reported: medians with min-max spread (scripts/bench-lib.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${N_FEATURES:-512}
RUNS=${RUNS:-3}
# shellcheck source=bench-lib.sh
source "$ROOT/scripts/bench-lib.sh"
WORK=$BENCH_SAMPLES/work
mkdir -p "$WORK"
FIX=$ROOT/backend/src/test/resources/interop
python3 - "$FIX/saedashboard/batch-1.json" "$WORK/run" "$N" <<'PY'
import json, os, sys
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
batch = json.load(open(src))
os.makedirs(out)
features = []
for i in range(n):
    f = dict(batch["features"][i % 2])
    f["feature_index"] = 100 + i
    features.append(f)
for b in range(0, n, 128):
    json.dump(dict(batch, features=features[b:b + 128]), open(f"{out}/batch-{b // 128}.json", "w"))
PY
JAVA=(java -jar "$ROOT/backend/target/lumen.jar")
round=0

import_round() {
	round=$((round + 1))
	NAME=bench-interop-$$-$round
	local start end
	start=$(date +%s.%N)
	"${JAVA[@]}" import saedashboard "$WORK/run" --model "$NAME" --sae res-jb --model-config "$FIX/gpt2-config.json" \
		--sae-dir "$FIX/gpt2-small-res-jb-0" >/dev/null 2>&1
	end=$(date +%s.%N)
	bench_record import "$(echo "$end - $start" | bc)"
}

export_round() {
	local start end
	rm -rf "$WORK/out"
	start=$(date +%s.%N)
	"${JAVA[@]}" export neuronpedia --model "$NAME" --sae res-jb "$WORK/out" >/dev/null 2>&1
	end=$(date +%s.%N)
	bench_record export "$(echo "$end - $start" | bc)"
	psql "${PSQL_URL:-postgresql://lumen:lumen@127.0.0.1:54329/lumen}" -qc "DELETE FROM model WHERE name = '$NAME'" || true
}

load_before=$(bench_load)
bench_interleave "$RUNS" import_round export_round
echo "$N features, $RUNS runs each (JVM + Spring start included); medians (min-max)"
echo "import saedashboard: $(bench_summary import s)"
echo "export neuronpedia:  $(bench_summary export s)"
echo "machine: $(nproc) cores, load average before $load_before, after $(bench_load)"
