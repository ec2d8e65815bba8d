#!/usr/bin/env bash
# Times `lumen import saedashboard` and `lumen export neuronpedia` on a synthetic SAEDashboard run made of the real
# batch's two features (backend/src/test/resources/interop/saedashboard/batch-1.json) repeated under new indices:
# N_FEATURES features (default 512) in batches of 128, ~48 windows of 127 tokens each.
#
#   scripts/bench-interop.sh            # needs backend/target/lumen.jar (./lumen build) and the database of ./lumen db
#
# SPRING_DATASOURCE_URL/USERNAME/PASSWORD choose another database. The model and SAE it creates
# (bench-interop-<pid>) are deleted at the end.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${N_FEATURES:-512}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
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
NAME=bench-interop-$$
JAVA=(java -jar "$ROOT/backend/target/lumen.jar")
start=$(date +%s.%N)
"${JAVA[@]}" import saedashboard "$WORK/run" --model "$NAME" --sae res-jb --model-config "$FIX/gpt2-config.json" \
	--sae-dir "$FIX/gpt2-small-res-jb-0" 2>/dev/null
mid=$(date +%s.%N)
"${JAVA[@]}" export neuronpedia --model "$NAME" --sae res-jb "$WORK/out" 2>/dev/null
end=$(date +%s.%N)
echo "import: $N features in $(echo "$mid - $start" | bc) s (JVM + Spring start included); export: $(echo "$end - $mid" | bc) s"
psql "${PSQL_URL:-postgresql://lumen:lumen@127.0.0.1:54329/lumen}" -qc "DELETE FROM model WHERE name = '$NAME'" || true
