# Shared by the scripts/bench-*.sh that compare two or more things (source it; it is not a script of its own).
#
# The method, the same for every benchmark: each side runs the same number of times, interleaved round by round
# (A, B, A, B, ...), so slow phases of a shared machine hit both sides alike; each side is reported as its median
# with the min-max spread, and two sides are called at "parity" when a rank-sum test cannot tell them apart
# (scripts/bench_stats.py). The load average is printed before and after, next to the figures.
#
#   bench_interleave ROUNDS FN_A FN_B ...   calls the shell functions in turn, once per round each
#   bench_record METRIC VALUE               keeps one sample (call it from the functions)
#   bench_summary METRIC [UNIT]             "median UNIT (min-max, n=N)"
#   bench_compare METRIC_A METRIC_B NAME_A NAME_B [UNIT] [--lower-is-better]
#   bench_median METRIC                     the bare median (for tables)
#   bench_load                              the 1, 5 and 15 minute load averages

BENCH_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_SAMPLES=$(mktemp -d)
trap 'rm -rf "$BENCH_SAMPLES"' EXIT

bench_load() {
	cut -d' ' -f1-3 /proc/loadavg
}

bench_record() {
	case "$2" in
		'' | *[!0-9.eE+-]*) echo "bench: no number for $1 (got '$2')" >&2; return 1 ;;
	esac
	echo "$2" >> "$BENCH_SAMPLES/$1"
}

bench_interleave() {
	local rounds=$1 round fn
	shift
	for round in $(seq "$rounds"); do
		for fn in "$@"; do
			echo "round $round/$rounds: $fn (load average $(bench_load))" >&2
			"$fn"
		done
	done
}

bench_summary() {
	python3 "$BENCH_LIB_DIR/bench_stats.py" summary "$BENCH_SAMPLES/$1" --unit "${2:-}"
}

bench_compare() {
	python3 "$BENCH_LIB_DIR/bench_stats.py" compare "$BENCH_SAMPLES/$1" "$BENCH_SAMPLES/$2" --a "$3" --b "$4" \
		--unit "${5:-}" ${6:+"$6"}
}

bench_median() {
	python3 -c 'import statistics, sys; print(statistics.median(float(l) for l in open(sys.argv[1]) if l.strip()))' \
		"$BENCH_SAMPLES/$1"
}
