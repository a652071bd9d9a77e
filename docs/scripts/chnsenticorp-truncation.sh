#!/usr/bin/env bash
# Reproduces the "Truncation" rows of docs/MODELS.md: ChnSentiCorp hotel reviews (most longer than 64 tokens)
# on the frozen bge-small-zh encoder at 64 tokens, once keeping the first tokens (right) and once the head and
# tail (head-tail). Trains on train.tsv, early-stops and selects on dev.tsv, reports dev.
# Needs ../shared/datasets beside the project.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
D="${BERT_STREAM_DATASETS:-$ROOT/../shared/datasets}/chnsenticorp_htl"
OUT="${1:-$ROOT/target/trunc}"
BS="$ROOT/bert-stream"
mkdir -p "$OUT"
[ -d "$OUT/bge-zh" ] || "$BS" models import --from bge-small-zh --out "$OUT/bge-zh" --max-len 64

: > "$OUT/summary.txt"
for t in right head-tail; do
  start=$(date +%s)
  "$BS" models train --encoder "$OUT/bge-zh" --task "sentiment=$D/train.tsv,$D/dev.tsv" --truncation "$t" \
    --out "$OUT/chnsenticorp-$t" --name "chnsenticorp-$t" 2> "$OUT/chnsenticorp-$t.train.log"
  end=$(date +%s)
  "$BS" models eval --model "$OUT/chnsenticorp-$t" --task "sentiment=$D/dev.tsv" --out "$OUT/chnsenticorp-$t-eval" \
    2>/dev/null | sed "s/^/$t (train+embed $((end-start)) s): /" | tee -a "$OUT/summary.txt"
done
