#!/usr/bin/env bash
# GPU check, for anyone with an NVIDIA GPU: CPU and CUDA agree on a model's logits and an SAE's features
# (fp32: within 1e-4 relative to the largest value), and how much faster forward + sparse encode and a whole
# extraction run on CUDA. UNTESTED by the authors (no GPU was available when it was written); please report
# what it prints.
#
# Usage: scripts/gpu-check.sh [MODEL] [SAE_DIR] [CORPUS]
#   defaults: the demo model, the demo SAE and the demo corpus.
# CUDA libtorch for DJL (the build ships the CPU one), either
#   online:  export PYTORCH_FLAVOR=cu124 (matching your driver) and LUMEN_DJL_OFFLINE=false: DJL downloads it once;
#   offline: export PYTORCH_LIBRARY_PATH=/path/to/libtorch/lib PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu124.
# Optional: LUMEN_BENCH_DB_URL (default jdbc:postgresql://127.0.0.1:54329/lumen) for the extraction timing.
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-demo/models/tinystories-1m/model.bin}
sae=${2:-demo/sae/tinystories-1m-blocks.1.hook_resid_post-1024}
corpus=${3:-demo/corpus/tinystories.txt}
offline=${LUMEN_DJL_OFFLINE:-true}
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader \
  || { echo "nvidia-smi not found: no NVIDIA GPU here"; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./mvnw -B -q -pl sae-engine -am compile -DskipTests
./mvnw -B -q -pl sae-engine dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=runtime
cp="sae-engine/target/classes:$(cat "$work/cp.txt")"
echo "== agreement and forward + sparse encode throughput (fp32)"
java -Dai.djl.offline="$offline" --add-modules jdk.incubator.vector -cp "$cp" dev.lumen.engine.bench.DeviceCheck \
  "$model" "$sae" --device cuda --tolerance 1e-4 --batch 8 --len 128
echo "== extraction, CPU then CUDA (same inputs, --force)"
[ -f backend/target/lumen.jar ] || ./mvnw -B -q -pl backend -am package -DskipTests
db=${LUMEN_BENCH_DB_URL:-jdbc:postgresql://127.0.0.1:54329/lumen}
for device in cpu cuda; do
  java -Dai.djl.offline="$offline" --add-modules jdk.incubator.vector -jar backend/target/lumen.jar extract \
    --model "$model" --sae "$sae" --corpus "$corpus" --model-name gpu-check --sae-name "gpu-check-$device" \
    --tokens "${GPU_CHECK_TOKENS:-200000}" --force --baseline --device "$device" \
    --spring.datasource.url="$db" --spring.datasource.username="${LUMEN_DB_USER:-lumen}" \
    --spring.datasource.password="${LUMEN_DB_PASSWORD:-lumen}" 2>&1 | tr '\r' '\n' | grep -E "^(extracted|register|baseline)" \
    | sed "s/^/[$device] /"
done
