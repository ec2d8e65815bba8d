#!/usr/bin/env bash
# Benchmarks the sae-engine against llama2.c's run.c on the same machine, in the same run.
#
#   scripts/bench-engine.sh /path/to/llama2.c [model.bin] [tokenizer.bin]
#
# (a) prefill: engine forward over a 32 x 128 token batch, tokens/s
# (b) generation: greedy tokens at batch 1 with the KV cache, tokens/s, vs run.c's "achieved tok/s"
# run.c is built from the given checkout with gcc -Ofast -fopenmp -march=native (nothing is vendored).
# Each configuration runs ROUNDS times, alternating engine and run.c; the best of each is reported,
# because other processes on the machine only ever make a run slower.
set -euo pipefail

LLAMA2C=${1:?usage: scripts/bench-engine.sh /path/to/llama2.c [model.bin] [tokenizer.bin]}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MODEL=${2:-$ROOT/demo/models/tinystories-1m/model.bin}
TOKENIZER=${3:-$(dirname "$MODEL")/tokenizer.bin}
ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-"1 $(nproc)"}
STEPS=${STEPS:-240}
# extra JVM options for the engine, e.g. JAVA_OPTS=-Dlumen.engine.jvmDecode=false to time the DJL decode path
JAVA_OPTS=${JAVA_OPTS:-}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "building run.c from $LLAMA2C" >&2
gcc -Ofast -fopenmp -march=native -o "$WORK/run" "$LLAMA2C/run.c" -lm

echo "building sae-engine" >&2
(cd "$ROOT" && ./mvnw -q -pl sae-engine compile \
	&& ./mvnw -q -pl sae-engine dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=runtime)
CP="$ROOT/sae-engine/target/classes:$(cat "$WORK/cp.txt")"

best() { sort -g | tail -1; }

echo "| threads | engine prefill tok/s (32x128) | engine generate tok/s | run.c generate tok/s | generate ratio | prefill / run.c generate |"
echo "|---|---|---|---|---|---|"
for t in $THREADS; do
	: > "$WORK/prefill" ; : > "$WORK/gen" ; : > "$WORK/runc"
	for r in $(seq "$ROUNDS"); do
		OMP_NUM_THREADS=$t "$WORK/run" "$MODEL" -z "$TOKENIZER" -t 0 -n "$STEPS" -i "Once upon a time" 2>&1 >/dev/null \
			| sed -n 's/achieved tok\/s: //p' >> "$WORK/runc"
		java --add-modules jdk.incubator.vector $JAVA_OPTS -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$t" -Dai.djl.pytorch.num_interop_threads=1 -Dlumen.engine.decodeThreads="$t" \
			-cp "$CP" dev.lumen.engine.bench.EngineBenchmark "$MODEL" --reps 5 --gen "$STEPS" > "$WORK/out" 2>/dev/null
		sed -n 's/^prefill_tok_per_s \([0-9.]*\).*/\1/p' "$WORK/out" >> "$WORK/prefill"
		sed -n 's/^generate_tok_per_s \([0-9.]*\).*/\1/p' "$WORK/out" >> "$WORK/gen"
	done
	P=$(best < "$WORK/prefill"); G=$(best < "$WORK/gen"); C=$(best < "$WORK/runc")
	awk -v t="$t" -v p="$P" -v g="$G" -v c="$C" \
		'BEGIN { printf "| %s | %.0f | %.0f | %.0f | %.2fx | %.1fx |\n", t, p, g, c, g / c, p / c }'
done
echo "(model $MODEL; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); JAVA_OPTS=$JAVA_OPTS)"
