#!/usr/bin/env bash
# Reproduces docs/MODELS.md "Default bundles on the shared dev splits": builds both default bundles from the
# seed data alone (models build-default), then scores them on the shared dev splits, which are test data here
# (nothing of them is trained on or tuned against). Needs ../shared/datasets beside the project.
# Labels: OLID offensive -> toxic; Davidson hate and offensive -> toxic, neither -> not_toxic; COLD offensive ->
# toxic; SST-2 and ChnSentiCorp are binary, so the three-class sentiment head is scored as binary: each text
# gets the more probable of negative and positive (--labels negative,positive; neutral is never predicted).
# SST-2 is reported on all dev rows (mostly phrases) and on its full-sentence rows: rows that end in . ! or ?,
# do not start with punctuation or a clitic ('s, n't), and have at least 6 tokens.
# Usage: docs/scripts/default-bundle-eval.sh [OUT [NAME ...]]   (about 20 minutes on an idle 2-core machine)
#   NAME: some of olid davidson sst2-sentences sst2 support-toxicity chnsenticorp cold (default: all; en or zh
#   builds one bundle). support-toxicity is the project's own held-out support-chat set
#   (models/tools/data/holdout, never trained on); it needs no ../shared.
#   COLD_EVERY=N scores every N-th COLD dev row only (6,416 rows take the longest; default 1: all)
#   EN_ENCODER=bge-small-en builds the English bundle on bge-small-en-v1.5 (build-default --en-encoder)
#   FINE_TUNE=1 builds each bundle with `models train --fine-tune` on the same seed files (default flags)
#   instead of build-default's frozen heads (docs/MODELS.md, "Two other English models on the same seed data")
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
D="${BERT_STREAM_DATASETS:-$ROOT/../shared/datasets}"
OUT="${1:-$ROOT/target/default-bundle-eval}"
shift || true
ONLY=" ${*:-olid davidson sst2-sentences sst2 support-toxicity chnsenticorp cold} "
BS="$ROOT/bert-stream"
mkdir -p "$OUT"
wants() { [[ "$ONLY" == *" $1 "* ]]; }
for lang in en zh; do
  case $lang in en) names="olid davidson sst2-sentences sst2 support-toxicity" ;; zh) names="chnsenticorp cold" ;; esac
  need=0; for n in $names; do wants "$n" && need=1; done
  if [ $need = 1 ] && [ ! -f "$OUT/$lang/bundle.json" ]; then
    start=$(date +%s)
    if [ "${FINE_TUNE:-0}" = 1 ]; then
      seeds="$ROOT/models/tools/data"; enc=minilm-l6
      [ $lang = zh ] && seeds="$seeds/zh" && enc=bge-small-zh
      [ -d "$OUT/encoder-$lang" ] || "$BS" models import --from $enc --out "$OUT/encoder-$lang" --max-len 128
      tasks=(); for t in sentiment toxicity intent; do tasks+=(--task "$t=$seeds/$t/train.tsv,$seeds/$t/dev.tsv"); done
      "$BS" models train --fine-tune --encoder "$OUT/encoder-$lang" "${tasks[@]}" --out "$OUT/$lang" \
        --name "seed-fine-tuned-$lang" 2> "$OUT/build-$lang.log"
    else
      opts=(--out "$OUT/$lang"); [ $lang = en ] && [ -n "${EN_ENCODER:-}" ] && opts+=(--en-encoder "$EN_ENCODER")
      [ $lang = zh ] && opts=(--zh-out "$OUT/$lang")
      "$BS" models build-default --only $lang "${opts[@]}" 2> "$OUT/build-$lang.log"
    fi
    echo "build $lang: $(( $(date +%s) - start )) s" | tee -a "$OUT/summary.txt"
  fi
done
"$ROOT/docs/scripts/sst2-sentences.sh" "$D/sst2/dev.tsv" "$OUT/sst2-dev-sentences.tsv"

score() { # name bundle task file eval-options...
  local name=$1 model=$2 task=$3 file=$4 start
  shift 4
  wants "$name" || return 0
  start=$(date +%s)
  local result
  result=$("$BS" models eval --model "$OUT/$model" --task "$task=$file" --out "$OUT/$name" "$@" 2>/dev/null \
    | grep -v '^Reports written')
  echo "$result" | sed "s/^/$name ($(( $(date +%s) - start )) s): /" | tee -a "$OUT/summary.txt"
}
awk -F'\t' -v n="${COLD_EVERY:-1}" 'NR == 1 || (NR - 2) % n == 0' "$D/cold/dev.tsv" > "$OUT/cold-dev.tsv"
TOX="offensive=toxic,not_offensive=not_toxic"
score olid en toxicity "$D/olid/dev.tsv" --label-map "$TOX"
score davidson en toxicity "$D/davidson_hate/dev.tsv" --label-map hate=toxic,offensive=toxic,neither=not_toxic
score sst2-sentences en sentiment "$OUT/sst2-dev-sentences.tsv" --labels negative,positive
score sst2 en sentiment "$D/sst2/dev.tsv" --labels negative,positive
score support-toxicity en toxicity "$ROOT/models/tools/data/holdout/support-toxicity.tsv"
score chnsenticorp zh sentiment "$D/chnsenticorp_htl/dev.tsv" --labels negative,positive
score cold zh toxicity "$OUT/cold-dev.tsv" --label-map "$TOX"
