#!/usr/bin/env bash
# SAE training throughput: tokens/s and the fraction of this machine's measured matmul FLOP/s, and the hand-written
# gradients against DJL autograd. RUNS processes (default 5), one after another; each times the matmul, the
# training step and both gradient versions in turn, so every figure is measured RUNS times, interleaved. Reported:
# medians with min-max spread, "parity" when two figures cannot be told apart (scripts/bench-lib.sh).
# Usage: scripts/bench-sae-train.sh [dIn dSae batch steps [standard|topk k]]
# Defaults: 128 1024 4096 40 standard (the demo SAE's shape on tinystories-1m). Environment: RUNS.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
# shellcheck source=bench-lib.sh
source scripts/bench-lib.sh
./mvnw -q -pl sae-engine compile
./mvnw -q -pl sae-engine dependency:build-classpath -Dmdep.outputFile="$BENCH_SAMPLES/cp.txt" -Dmdep.includeScope=runtime >/dev/null

train_round() {
	local out=$BENCH_SAMPLES/out
	java -Dai.djl.offline=true -cp "sae-engine/target/classes:$(cat "$BENCH_SAMPLES/cp.txt")" \
		dev.lumen.engine.sae.training.SaeTrainBenchmark "$@" 2>/dev/null > "$out"
	cat "$out" >&2
	bench_record matmul "$(sed -n 's/^matmul .*: \([0-9.]*\) GFLOP\/s.*/\1/p' "$out")"
	bench_record step_ms "$(sed -n 's/^sae train step .*: \([0-9.]*\) ms\/step.*/\1/p' "$out")"
	bench_record step_gflops "$(sed -n 's/^sae train step .* tokens\/s, \([0-9.]*\) GFLOP\/s.*/\1/p' "$out")"
	bench_record tokens "$(sed -n 's/^sae train step .* ms\/step, \([0-9.]*\) tokens\/s.*/\1/p' "$out")"
	bench_record hand "$(sed -n 's/^loss + gradients .*: hand-written \([0-9.]*\) ms.*/\1/p' "$out")"
	bench_record autograd "$(sed -n 's/^loss + gradients .*, DJL autograd \([0-9.]*\) ms.*/\1/p' "$out")"
}

args=("$@")
train_round_with_args() { train_round "${args[@]}"; }
load_before=$(bench_load)
bench_interleave "$RUNS" train_round_with_args
echo "SAE training (${*:-128 1024 4096 40 standard}), $RUNS runs; medians (min-max)"
echo "matmul:           $(bench_summary matmul GFLOP/s)"
echo "training step:    $(bench_summary step_ms ms), $(bench_summary tokens tokens/s), $(bench_summary step_gflops GFLOP/s)"
echo "achieved / matmul: $(python3 -c 'import sys; print(f"{100 * float(sys.argv[1]) / float(sys.argv[2]):.0f} %")' \
	"$(bench_median step_gflops)" "$(bench_median matmul)") (ratio of medians)"
echo "loss + gradients: $(bench_compare hand autograd hand-written autograd ms --lower-is-better)"
echo "machine: $(nproc) cores, load average before $load_before, after $(bench_load)"
