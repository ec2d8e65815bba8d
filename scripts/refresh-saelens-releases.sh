#!/usr/bin/env bash
# Refreshes the vendored SAELens release list that `lumen pull-sae RELEASE --sae-id ID` reads.
# Usage: scripts/refresh-saelens-releases.sh PATH/TO/sae_lens   (a SAELens source tree or installed package,
#        e.g. $(python -c 'import sae_lens, os; print(os.path.dirname(sae_lens.__file__))'))
# The file is MIT-licensed (SAELens); keep backend/src/main/resources/saelens/LICENSE in step with it.
set -euo pipefail
src=${1:?usage: $0 PATH/TO/sae_lens}
here=$(cd "$(dirname "$0")/.." && pwd)
test -f "$src/pretrained_saes.yaml" || { echo "no pretrained_saes.yaml in $src" >&2; exit 1; }
cp "$src/pretrained_saes.yaml" "$here/backend/src/main/resources/saelens/pretrained_saes.yaml"
echo "updated backend/src/main/resources/saelens/pretrained_saes.yaml from $src ($(grep -c '^[^ ].*:$' "$src/pretrained_saes.yaml") releases)"
