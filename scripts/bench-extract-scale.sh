#!/usr/bin/env bash
# Extraction at real sizes: throughput of the one corpus pass against the bare forward + encode on the same
# windows (measured first, in the same process: `lumen extract --baseline`), registration and load shares of the
# wall time, and peak heap / RSS across d_sae. Runs are interleaved (round 1: every configuration, round 2: every
# configuration, ...) so that load from other processes hits all configurations alike; the summary gives the median
# and the min–max over rounds.
#
# Usage: scripts/bench-extract-scale.sh WORK_DIR [rounds]
#   WORK_DIR holds the inputs made by scripts/make_bench_models.py (gpt2-small-random, gpt2-sae-*, demo-sae-*).
# Environment: LUMEN_BENCH_DB_URL (default jdbc:postgresql://127.0.0.1:54329/lumen), LUMEN_DB_USER/PASSWORD,
#   GPT2_TOKENS (corpus tokens per GPT-2 run, default 4096), DEMO_TOKENS (default 65536),
#   CONFIGS (default "gpt2:24576 gpt2:131072 demo:4096 demo:24576 demo:131072 demo:262144").
set -euo pipefail
cd "$(dirname "$0")/.."
work=$1
rounds=${2:-3}
db_url=${LUMEN_BENCH_DB_URL:-jdbc:postgresql://127.0.0.1:54329/lumen}
configs=${CONFIGS:-"gpt2:24576 gpt2:131072 demo:4096 demo:24576 demo:131072 demo:262144"}
[ -f backend/target/lumen.jar ] || ./lumen build
out=$work/results.tsv
echo -e "round\tconfig\tl0\tbaseline_tok_s\tpass_tok_s\tratio\tregister_s\tpass_s\tlogit_s\tload_s\twall_s\tpeak_heap_mib\tmax_rss_mib" > "$out"
echo "machine: $(nproc) cores; load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  for config in $configs; do
    kind=${config%%:*}; width=${config##*:}
    if [ "$kind" = gpt2 ]; then
      model=$work/gpt2-small-random; sae=$work/gpt2-sae-$width; tokens=${GPT2_TOKENS:-4096}; mname=bench-gpt2
    else
      model=demo/models/tinystories-1m/model.bin; sae=$work/demo-sae-$width; tokens=${DEMO_TOKENS:-65536}; mname=bench-demo
    fi
    log=$work/run-$round-$kind-$width.log
    /usr/bin/time -f "wall %e s, max RSS %M KiB" java -Dai.djl.offline=true --add-modules jdk.incubator.vector \
      ${LUMEN_JAVA_OPTS:-} -jar backend/target/lumen.jar extract --model "$model" --sae "$sae" \
      --corpus demo/corpus/tinystories.txt --model-name "$mname" --sae-name "sae-$width" --tokens "$tokens" \
      --context 128 --batch 32 --force --baseline --device cpu \
      --spring.datasource.url="$db_url" --spring.datasource.username="${LUMEN_DB_USER:-lumen}" \
      --spring.datasource.password="${LUMEN_DB_PASSWORD:-lumen}" > "$log" 2>&1 || { echo "failed: $log"; tail -5 "$log"; continue; }
    l0=$(PGPASSWORD="${LUMEN_DB_PASSWORD:-lumen}" psql -tAq "${db_url#jdbc:}" -U "${LUMEN_DB_USER:-lumen}" -c \
      "SELECT round(sum(density)::numeric, 1) FROM feature f JOIN sae s ON s.id = f.sae_id JOIN model m ON m.id = s.model_id \
       WHERE m.name = '$mname' AND s.name = 'sae-$width'" 2>/dev/null || echo nan)
    tr '\r' '\n' < "$log" | python3 -c '
import re, sys
t = sys.stdin.read()
def num(p):
    m = re.search(p, t)
    return float(m.group(1).replace(",", "")) if m else float("nan")
base = num(r"baseline forward \+ encode: ([\d,\.]+) tokens/s")
pas = num(r"= ([\d,\.]+) tokens/s; logit")
row = [sys.argv[1], sys.argv[2], sys.argv[3], base, pas, pas / base, num(r"register ([\d\.]+) s"), num(r"in ([\d\.]+) s = "),
       num(r"logit effects ([\d\.]+) s"), num(r"database load ([\d\.]+) s"), num(r"wall ([\d\.]+) s"),
       num(r"peak heap ([\d,]+) MiB"), num(r"max RSS (\d+) KiB") / 1024]
print("\t".join(str(round(v, 3)) if isinstance(v, float) else v for v in row))' "$round" "$config" "$l0" | tee -a "$out"
  done
done
echo "load average at end $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
cols = ["l0", "baseline_tok_s", "pass_tok_s", "ratio", "register_s", "pass_s", "load_s", "wall_s", "peak_heap_mib", "max_rss_mib"]
print("config\t" + "\t".join(cols))
for config in dict.fromkeys(r["config"] for r in rows):
    cells = []
    for c in cols:
        v = [float(r[c]) for r in rows if r["config"] == config and r[c] != "nan"]
        cells.append(f"{statistics.median(v):.3g} [{min(v):.3g}-{max(v):.3g}]" if v else "-")
    print(config + "\t" + "\t".join(cells))
PY
