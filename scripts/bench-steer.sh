#!/usr/bin/env bash
# Steered vs unsteered generation speed, and time to first token for a 50-token prompt, steered and unsteered
# (dev.lumen.playground.SteeringBenchmark). RUNS processes (default 5), one after another; each warms up every
# configuration, then times one generation of each in turn (default path, DJL path, steered) and the median of 11
# first tokens, so every configuration is measured RUNS times, interleaved. Reported: medians with min-max spread,
# "parity" when two configurations cannot be told apart (scripts/bench-lib.sh), and the load average.
# Usage: scripts/bench-steer.sh [model.bin sae-dir new-tokens]
# Defaults: the demo model and SAE, 200 new tokens. Environment: RUNS.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
MODEL=${1:-demo/models/tinystories-1m/model.bin}
SAE=${2:-demo/sae/tinystories-1m-blocks.1.hook_resid_post-1024}
TOKENS=${3:-200}
# shellcheck source=bench-lib.sh
source scripts/bench-lib.sh
./mvnw -q -pl backend -am package -DskipTests

steer_round() {
	local out=$BENCH_SAMPLES/out
	java --add-modules jdk.incubator.vector -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dloader.main=dev.lumen.playground.SteeringBenchmark \
		-cp backend/target/lumen.jar org.springframework.boot.loader.launch.PropertiesLauncher "$MODEL" "$SAE" "$TOKENS" 1 > "$out" 2>/dev/null
	bench_record plain "$(sed -n 's/^unsteered (default path) *\([0-9.]*\) tokens.*/\1/p' "$out")"
	bench_record djl "$(sed -n 's/^unsteered (DJL, identity hook) *\([0-9.]*\) tokens.*/\1/p' "$out")"
	bench_record steered "$(sed -n 's/^steered (clamp 1 feature) *\([0-9.]*\) tokens.*/\1/p' "$out")"
	bench_record ttft_plain "$(sed -n 's/^time to first token.*: unsteered \([0-9.]*\) ms.*/\1/p' "$out")"
	bench_record ttft_steered "$(sed -n 's/^time to first token.*, steered \([0-9.]*\) ms.*/\1/p' "$out")"
}

load_before=$(bench_load)
bench_interleave "$RUNS" steer_round
echo "$MODEL, SAE $(basename "$SAE"), $TOKENS new tokens (sampling), $RUNS runs; medians (min-max)"
echo "unsteered, default path:        $(bench_summary plain tokens/s)"
echo "unsteered, DJL path:            $(bench_summary djl tokens/s)"
echo "steered (1 clamped feature):    $(bench_summary steered tokens/s)"
echo "steered / default path:         $(python3 -c 'import sys; print(f"{100 * float(sys.argv[1]) / float(sys.argv[2]):.0f} %")' \
	"$(bench_median steered)" "$(bench_median plain)") (ratio of medians)"
echo "steered vs default:  $(bench_compare steered plain steered default tokens/s)"
echo "time to first token, 50 tokens: $(bench_compare ttft_steered ttft_plain steered unsteered ms --lower-is-better)"
echo "machine: $(nproc) cores, load average before $load_before, after $(bench_load)"
