#!/usr/bin/env bash
# Retrains the demo SAE into demo/sae/ (a few minutes on 2 CPU cores). Usage: scripts/train-demo-sae.sh [outdir]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -pl sae-engine compile
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
./mvnw -q -pl sae-engine dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime >/dev/null
java -Dai.djl.offline=true -cp "sae-engine/target/classes:$(cat "$cp_file")" \
	dev.lumen.engine.sae.training.DemoSaeTraining "$@" 2>&1 | grep --line-buffered -v -E '^\[main\] (INFO|WARN)'
