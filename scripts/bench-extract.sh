#!/usr/bin/env bash
# Extraction benchmark: end-to-end tokens/s of both corpus passes against the bare model-forward + SAE-encode
# throughput on the same batches (measured first, in the same process), database load time and peak heap.
# Usage: scripts/bench-extract.sh [tokens]   (default: the whole demo corpus)
# Uses the demo model, demo SAE and demo corpus; stores under a separate SAE name so the demo is untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
tokens=${1:-0}
bash db/scripts/local-db.sh start >/dev/null
[ -f backend/target/lumen.jar ] || ./lumen build
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "wall %e s, max RSS %M KiB" java -Dai.djl.offline=true --add-modules jdk.incubator.vector ${LUMEN_JAVA_OPTS:-} -jar backend/target/lumen.jar \
  extract --model demo/models/tinystories-1m/model.bin \
  --sae demo/sae/tinystories-1m-blocks.1.hook_resid_post-1024 --corpus demo/corpus/tinystories.txt \
  --model-name tinystories-1m --sae-name bench-extract --tokens "$tokens" --force --baseline 2>&1 \
  | tr '\r' '\n' | grep -E "^(extracted|register|baseline|wall)"
# the benchmark's SAE is not part of the demo: remove it (its contexts go with the next extraction's clean-up)
PGPASSWORD=${LUMEN_DB_PASSWORD:-lumen} psql -q -h 127.0.0.1 -p "${LUMEN_DB_PORT:-54329}" -U lumen -d lumen \
  -c "DELETE FROM sae s USING model m WHERE s.model_id = m.id AND m.name = 'tinystories-1m' AND s.name = 'bench-extract'"
