#!/usr/bin/env bash
# Steered vs unsteered generation speed, and time to first token for a 50-token prompt, steered and unsteered
# (dev.lumen.playground.SteeringBenchmark). The load average is printed before and after: on a shared machine the
# numbers are only comparable within one run.
# Usage: scripts/bench-steer.sh [model.bin sae-dir new-tokens repetitions]
# Defaults: the demo model and SAE, 200 new tokens, 5 repetitions.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -pl backend -am package -DskipTests
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
java --add-modules jdk.incubator.vector -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dloader.main=dev.lumen.playground.SteeringBenchmark \
	-cp backend/target/lumen.jar org.springframework.boot.loader.launch.PropertiesLauncher "$@" 2>&1 \
	| grep --line-buffered -v -E '^\[main\] (INFO|WARN)|^[0-9:.]+ (INFO|WARN)'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
