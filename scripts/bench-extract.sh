#!/usr/bin/env bash
# Extraction benchmark: tokens/s of an extraction's corpus pass against the bare model-forward + SAE-encode
# throughput over the same windows (all of them, same batches, measured first in the same process:
# `lumen extract --baseline`), plus register, logit-effect and database-load times and peak heap.
# RUNS extractions (default 3), one process each, so baseline and pass alternate (baseline, pass, baseline, ...).
# Reported: medians with min-max spread, "parity" when the pass and its baseline cannot be told apart
# (scripts/bench-lib.sh).
# Usage: scripts/bench-extract.sh [tokens]   (default: the whole demo corpus, 1.31M tokens; 0 = all)
# Uses the demo model, demo SAE and demo corpus; stores under a separate SAE name so the demo is untouched.
# The database of ./lumen db, unless SPRING_DATASOURCE_URL (+ _USERNAME, _PASSWORD) names another.
set -euo pipefail
cd "$(dirname "$0")/.."
tokens=${1:-0}
RUNS=${RUNS:-3}
# shellcheck source=bench-lib.sh
source scripts/bench-lib.sh
[ -n "${SPRING_DATASOURCE_URL:-}" ] || bash db/scripts/local-db.sh start >/dev/null
[ -f backend/target/lumen.jar ] || ./lumen build

# "1,234,567" -> 1234567
plain() { tr -d ','; }

extract_round() {
	local out=$BENCH_SAMPLES/out
	/usr/bin/time -f "wall %e s, max RSS %M KiB" java -Dai.djl.offline=true --add-modules jdk.incubator.vector ${LUMEN_JAVA_OPTS:-} \
		-jar backend/target/lumen.jar extract --model demo/models/tinystories-1m/model.bin \
		--sae demo/sae/tinystories-1m-blocks.1.hook_resid_post-1024 --corpus demo/corpus/tinystories.txt \
		--model-name tinystories-1m --sae-name bench-extract --tokens "$tokens" --force --baseline 2>&1 \
		| tr '\r' '\n' | grep -E "^(extracted|register|baseline|wall)" > "$out"
	cat "$out" >&2
	bench_record baseline "$(sed -n 's/^baseline forward + encode: \([0-9,.]*\) tokens\/s.*/\1/p' "$out" | plain)"
	bench_record pass "$(sed -n 's/^register .* = \([0-9,.]*\) tokens\/s.*/\1/p' "$out" | plain)"
	bench_record register "$(sed -n 's/^register \([0-9.]*\) s;.*/\1/p' "$out")"
	bench_record logits "$(sed -n 's/.*logit effects \([0-9.]*\) s;.*/\1/p' "$out")"
	bench_record load "$(sed -n 's/.*database load \([0-9.]*\) s;.*/\1/p' "$out")"
	bench_record heap "$(sed -n 's/.*peak heap \([0-9,]*\) MiB.*/\1/p' "$out" | plain)"
	bench_record wall "$(sed -n 's/^wall \([0-9.]*\) s.*/\1/p' "$out")"
	bench_record rss "$(sed -n 's/.*max RSS \([0-9]*\) KiB.*/\1/p' "$out" | awk '{ print $1 / 1024 }')"
	sed -n 's/^extracted [^:]*: \([0-9,]*\) tokens in \([0-9,]*\) windows.*/\1 tokens in \2 windows/p' "$out" > "$BENCH_SAMPLES/corpus"
}

load_before=$(bench_load)
bench_interleave "$RUNS" extract_round
echo "corpus: $(cat "$BENCH_SAMPLES/corpus"); $RUNS runs; medians (min-max)"
echo "bare forward + encode (same windows):  $(bench_summary baseline tokens/s)"
echo "extraction pass:                       $(bench_summary pass tokens/s)"
echo "pass / baseline:                       $(python3 -c 'import sys; print(f"{100 * float(sys.argv[1]) / float(sys.argv[2]):.0f} %")' \
	"$(bench_median pass)" "$(bench_median baseline)") (ratio of medians)"
echo "pass vs baseline:  $(bench_compare pass baseline pass baseline tokens/s)"
echo "register $(bench_summary register s); logit effects $(bench_summary logits s); database load $(bench_summary load s)"
echo "whole run $(bench_summary wall s); peak heap $(bench_summary heap MiB); max RSS $(bench_summary rss MiB)"
echo "machine: $(nproc) cores, load average before $load_before, after $(bench_load)"
# the benchmark's SAE is not part of the demo: remove it (its contexts go with the next extraction's clean-up)
if [ -n "${SPRING_DATASOURCE_URL:-}" ]; then
	db=${SPRING_DATASOURCE_URL#jdbc:postgresql://}
	db=postgresql://${SPRING_DATASOURCE_USERNAME:-lumen_app}:${SPRING_DATASOURCE_PASSWORD:-lumen_app}@$db
else
	db=postgresql://lumen:${LUMEN_DB_PASSWORD:-lumen}@127.0.0.1:${LUMEN_DB_PORT:-54329}/lumen
fi
psql "$db" -q -c "DELETE FROM sae s USING model m WHERE s.model_id = m.id AND m.name = 'tinystories-1m' AND s.name = 'bench-extract'"
