#!/usr/bin/env bash
# SAE training throughput: tokens/s and the fraction of this machine's measured matmul FLOP/s.
# Usage: scripts/bench-sae-train.sh [dIn dSae batch steps [standard|topk k]]
# Defaults: 128 1024 4096 40 standard (the demo SAE's shape on tinystories-1m).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -pl sae-engine compile
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
./mvnw -q -pl sae-engine dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime >/dev/null
java -Dai.djl.offline=true -cp "sae-engine/target/classes:$(cat "$cp_file")" \
	dev.lumen.engine.sae.training.SaeTrainBenchmark "$@" 2>&1 | grep --line-buffered -v -E '^\[main\] (INFO|WARN)'
