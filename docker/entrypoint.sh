#!/bin/sh
# The container's start, like './lumen demo' (docs/security.md, README): with no arguments, extract and label the
# bundled demo (both steps skip what is already done, so later starts only check), then serve. With arguments it
# runs that CLI command instead. Names as './lumen demo' gives them (its slug function), so both agree, e.g. 'docker compose run app user add alice --admin'.
set -eu
lumen() { java -Dai.djl.offline=true --add-modules jdk.incubator.vector -jar /app/lumen.jar "$@"; }
if [ "$#" -gt 0 ]; then
  exec java -Dai.djl.offline=true --add-modules jdk.incubator.vector -jar /app/lumen.jar "$@"
fi
model=/app/demo/models/tinystories-1m/model.bin
sae=/app/demo/sae/tinystories-1m-blocks.1.hook_resid_post-1024
lumen extract --model "$model" --sae "$sae" --corpus /app/demo/corpus/tinystories.txt \
  --model-name tinystories-1m --sae-name tinystories-1m-blocks.1.hook_resid_post-1024 --context 64
lumen autointerp --model-name tinystories-1m --sae-name tinystories-1m-blocks.1.hook_resid_post-1024 \
  --explainer heuristic --scorer embedding,rule
exec java -Dai.djl.offline=true --add-modules jdk.incubator.vector -jar /app/lumen.jar serve --port 8080
