#!/usr/bin/env bash
# Reproduces docs/MODELS.md "Continued pre-training": bge-small-zh fine-tuned on ChnSentiCorp (hotel reviews)
# as it comes, and after masked-language-model pre-training on the train texts of ChnSentiCorp (no labels used;
# the dev texts are not pre-trained on). MLM_EXTRA_TEXT adds more unlabeled text, e.g.
# MLM_EXTRA_TEXT="--text ../shared/datasets/waimai_10k/train.tsv" (three times the pre-training time). Both arms fine-tune with the same recipe and seed;
# train on train.tsv, best checkpoint on dev.tsv, report on dev.tsv. Needs ../shared/datasets.
# Usage: docs/scripts/chnsenticorp-mlm.sh [OUT]   (about an hour on an idle 2-core machine)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
D="${BERT_STREAM_DATASETS:-$ROOT/../shared/datasets}"
OUT="${1:-$ROOT/target/models-mlm}"
BS="$ROOT/bert-stream"
mkdir -p "$OUT"
[ -d "$OUT/bge-zh" ] || "$BS" models import --from bge-small-zh --out "$OUT/bge-zh" --max-len 160
finetune() { # encoder bundle name
  local enc=$1 start end
  start=$(date +%s)
  "$BS" models train --fine-tune --encoder "$OUT/$enc" \
    --task "sentiment=$D/chnsenticorp_htl/train.tsv,$D/chnsenticorp_htl/dev.tsv" --out "$OUT/ft-$enc" \
    --epochs 1 --evals-per-epoch 4 --lr 1e-4 --max-len 160 --no-class-weights --dropout 0 --label-smoothing 0.1 \
    --no-warm-start --no-temperature \
    2> "$OUT/ft-$enc.train.log"
  end=$(date +%s)
  "$BS" models eval --model "$OUT/ft-$enc" --task "sentiment=$D/chnsenticorp_htl/dev.tsv" --out "$OUT/ft-$enc-eval" \
    2>/dev/null | sed "s/^/$enc (fine-tune $((end-start)) s): /" | tee -a "$OUT/summary.txt"
}
[ -d "$OUT/ft-bge-zh" ] || finetune bge-zh
[ -d "$OUT/bge-zh-mlm" ] || "$BS" models pretrain --encoder "$OUT/bge-zh" --whole-word --epochs 1 --max-len 128 \
  --lr 5e-5 --text "$D/chnsenticorp_htl/train.tsv" ${MLM_EXTRA_TEXT:-} --out "$OUT/bge-zh-mlm" \
  2> "$OUT/pretrain.log"
[ -d "$OUT/ft-bge-zh-mlm" ] || finetune bge-zh-mlm
