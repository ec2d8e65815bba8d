#!/usr/bin/env bash
# Benchmarks the sae-engine against llama2.c's run.c on the same machine, in the same run.
#
#   scripts/bench-engine.sh /path/to/llama2.c [model.bin] [tokenizer.bin]
#
# (a) prefill: engine forward over a 32 x 128 token batch, tokens/s
# (b) generation: greedy tokens at batch 1 with the KV cache, tokens/s, vs run.c's "achieved tok/s"
# run.c is built from the given checkout (a copy whose timer reads nanoseconds instead of whole milliseconds: a
# 240-token run lasts ~15 ms, so run.c's own millisecond timer would be off by up to 7 %) with
# gcc -Ofast -fopenmp -march=native; nothing of it is vendored. For each thread count, run.c and the engine each
# run RUNS times, interleaved (run.c, engine, run.c, engine, ...), one process per run: run.c times one generation,
# the engine one prefill and one generation after its JIT warm-up. Reported: medians with min-max spread, and
# "parity" when the two sides cannot be told apart (scripts/bench-lib.sh, scripts/bench_stats.py).
# Environment: RUNS (default 7), THREADS (default "1 $(nproc)"), STEPS (default 240), JAVA_OPTS.
set -euo pipefail

LLAMA2C=${1:?usage: scripts/bench-engine.sh /path/to/llama2.c [model.bin] [tokenizer.bin]}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MODEL=${2:-$ROOT/demo/models/tinystories-1m/model.bin}
TOKENIZER=${3:-$(dirname "$MODEL")/tokenizer.bin}
RUNS=${RUNS:-${ROUNDS:-7}}
THREADS=${THREADS:-"1 $(nproc)"}
STEPS=${STEPS:-240}
# extra JVM options for the engine, e.g. JAVA_OPTS=-Dlumen.engine.jvmDecode=false to time the DJL decode path
JAVA_OPTS=${JAVA_OPTS:-}
# shellcheck source=bench-lib.sh
source "$ROOT/scripts/bench-lib.sh"
WORK=$BENCH_SAMPLES/work
mkdir -p "$WORK"

echo "building run.c from $LLAMA2C (timer in nanoseconds)" >&2
# run.c's time_in_ms() truncates to whole milliseconds; the copy keeps the fraction (and a monotonic clock).
# Each edit must apply exactly once, so a changed upstream file stops the script instead of timing it wrongly.
sed -e 's/^long time_in_ms() {/double time_in_ms() {/' \
	-e 's/clock_gettime(CLOCK_REALTIME, &time);/clock_gettime(CLOCK_MONOTONIC, \&time);/' \
	-e 's|return time.tv_sec \* 1000 + time.tv_nsec / 1000000;|return time.tv_sec * 1000.0 + time.tv_nsec / 1e6;|' \
	-e 's/long start = 0;  \/\/ used to time our code/double start = 0;  \/\/ used to time our code/' \
	-e 's/long end = time_in_ms();/double end = time_in_ms();/' \
	"$LLAMA2C/run.c" > "$WORK/run.c"
for edit in '^double time_in_ms() {' 'CLOCK_MONOTONIC' 'tv_sec \* 1000.0' '^ *double start = 0;' '^ *double end = time_in_ms();'; do
	[ "$(grep -c "$edit" "$WORK/run.c")" = 1 ] || { echo "run.c changed upstream: cannot apply the timer edit '$edit'" >&2; exit 1; }
done
gcc -Ofast -fopenmp -march=native -o "$WORK/run" "$WORK/run.c" -lm

echo "building sae-engine" >&2
(cd "$ROOT" && ./mvnw -q -pl sae-engine compile \
	&& ./mvnw -q -pl sae-engine dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=runtime)
CP="$ROOT/sae-engine/target/classes:$(cat "$WORK/cp.txt")"

runc_run() {
	bench_record "runc_$t" "$(OMP_NUM_THREADS=$t "$WORK/run" "$MODEL" -z "$TOKENIZER" -t 0 -n "$STEPS" -i "Once upon a time" \
		2>&1 >/dev/null | sed -n 's/achieved tok\/s: //p')"
}

engine_run() {
	# shellcheck disable=SC2086
	java --add-modules jdk.incubator.vector $JAVA_OPTS -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$t" \
		-Dai.djl.pytorch.num_interop_threads=1 -Dlumen.engine.decodeThreads="$t" \
		-cp "$CP" dev.lumen.engine.bench.EngineBenchmark "$MODEL" --reps 1 --gen "$STEPS" > "$WORK/out" 2>/dev/null
	bench_record "prefill_$t" "$(sed -n 's/^prefill_tok_per_s \([0-9.]*\).*/\1/p' "$WORK/out")"
	bench_record "engine_$t" "$(sed -n 's/^generate_tok_per_s \([0-9.]*\).*/\1/p' "$WORK/out")"
}

load_before=$(bench_load)
for t in $THREADS; do
	bench_interleave "$RUNS" runc_run engine_run
done
echo
echo "$RUNS interleaved runs per side and thread count; medians (min-max)"
echo
echo "| threads | engine prefill tok/s (32x128) | engine generate tok/s | run.c generate tok/s | generate ratio (medians) | verdict |"
echo "|---|---|---|---|---|---|"
for t in $THREADS; do
	verdict=$(bench_compare "engine_$t" "runc_$t" engine run.c tok/s | sed 's/.*; //')
	ratio=$(python3 -c 'import sys; print(f"{float(sys.argv[1]) / float(sys.argv[2]):.2f}x")' \
		"$(bench_median "engine_$t")" "$(bench_median "runc_$t")")
	echo "| $t | $(bench_summary "prefill_$t") | $(bench_summary "engine_$t") | $(bench_summary "runc_$t") | $ratio | $verdict |"
done
echo
for t in $THREADS; do
	echo "threads $t: $(bench_compare "engine_$t" "runc_$t" engine run.c tok/s)"
done
echo "(model $MODEL; $(nproc) cores; load average before $load_before, after $(bench_load); JAVA_OPTS=$JAVA_OPTS)"
