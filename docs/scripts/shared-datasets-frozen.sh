#!/usr/bin/env bash
# Reproduces the frozen-encoder rows of docs/MODELS.md: trains one head per dataset on the shared splits
# (train on train, early-stop and report on dev) and evaluates it. Needs ../shared/datasets beside the project.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
D="${BERT_STREAM_DATASETS:-$ROOT/../shared/datasets}"
OUT="${1:-$ROOT/target/models-eval}"
BS="$ROOT/bert-stream"
mkdir -p "$OUT"
[ -d "$OUT/minilm" ] || "$BS" models import --from minilm-l6 --out "$OUT/minilm" --max-len 128
[ -d "$OUT/bge-zh" ] || "$BS" models import --from bge-small-zh --out "$OUT/bge-zh" --max-len 128

run() { # name encoder task dataset
  local name=$1 enc=$2 task=$3 ds=$4
  local start=$(date +%s)
  "$BS" models train --encoder "$OUT/$enc" --task "$task=$D/$ds/train.tsv,$D/$ds/dev.tsv" --out "$OUT/$name" \
    --name "$name" 2> "$OUT/$name.train.log"
  local end=$(date +%s)
  "$BS" models eval --model "$OUT/$name" --task "$task=$D/$ds/dev.tsv" --out "$OUT/$name-eval" 2>/dev/null \
    | sed "s/^/$name (train+embed $((end-start)) s): /" | tee -a "$OUT/summary.txt"
}
: > "$OUT/summary.txt"
run sst2 minilm sentiment sst2
run banking77 minilm intent banking77
run clinc150 minilm intent clinc150
run davidson minilm toxicity davidson_hate
run olid minilm toxicity olid
run goemotions minilm emotion goemotions  # multi-label (28 labels): per-label thresholds calibrated on dev
run chnsenticorp bge-zh sentiment chnsenticorp_htl
run cold bge-zh toxicity cold  # Chinese offensive language
