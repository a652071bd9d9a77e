#!/usr/bin/env bash
# Reproduces docs/MODELS.md "Default bundles on the shared dev splits": builds both default bundles from the
# seed data alone (models build-default), then scores them on the shared dev splits, which are test data here
# (nothing of them is trained on or tuned against). Needs ../shared/datasets beside the project.
# Labels: OLID offensive -> toxic; Davidson hate and offensive -> toxic, neither -> not_toxic; COLD offensive ->
# toxic; SST-2 and ChnSentiCorp are binary, so the three-class sentiment head is scored as binary: each text
# gets the more probable of negative and positive (--labels negative,positive; neutral is never predicted).
# SST-2 is reported on all dev rows (mostly phrases) and on its full-sentence rows: rows that end in . ! or ?,
# do not start with punctuation or a clitic ('s, n't), and have at least 6 tokens.
# Usage: docs/scripts/default-bundle-eval.sh [OUT]   (about 20 minutes on an idle 2-core machine)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
D="${BERT_STREAM_DATASETS:-$ROOT/../shared/datasets}"
OUT="${1:-$ROOT/target/default-bundle-eval}"
BS="$ROOT/bert-stream"
mkdir -p "$OUT"
: > "$OUT/summary.txt"
if [ ! -f "$OUT/en/bundle.json" ] || [ ! -f "$OUT/zh/bundle.json" ]; then
  "$BS" models build-default --out "$OUT/en" --zh-out "$OUT/zh" 2> "$OUT/build.log" | tee -a "$OUT/summary.txt"
fi
awk -F'\t' 'NR == 1 || ($1 ~ /[.!?] *$/ && $1 !~ /^[^a-z0-9`]/ && $1 !~ /^(\x27s|n\x27t|\x27re|\x27ll) / &&
  split($1, w, " ") >= 6)' "$D/sst2/dev.tsv" > "$OUT/sst2-dev-sentences.tsv"

score() { # name bundle task file eval-options...
  local name=$1 model=$2 task=$3 file=$4
  shift 4
  "$BS" models eval --model "$OUT/$model" --task "$task=$file" --out "$OUT/$name" "$@" 2>/dev/null \
    | grep -v '^Reports written' | sed "s/^/$name: /" | tee -a "$OUT/summary.txt"
}
TOX="offensive=toxic,not_offensive=not_toxic"
score olid en toxicity "$D/olid/dev.tsv" --label-map "$TOX"
score davidson en toxicity "$D/davidson_hate/dev.tsv" --label-map hate=toxic,offensive=toxic,neither=not_toxic
score sst2-sentences en sentiment "$OUT/sst2-dev-sentences.tsv" --labels negative,positive
score sst2 en sentiment "$D/sst2/dev.tsv" --labels negative,positive
score chnsenticorp zh sentiment "$D/chnsenticorp_htl/dev.tsv" --labels negative,positive
score cold zh toxicity "$D/cold/dev.tsv" --label-map "$TOX"
