#!/usr/bin/env bash
# Writes the full-sentence rows of an SST-2 TSV (header kept) to OUT: the shared SST-2 splits are mostly
# sub-sentence phrases, and docs/MODELS.md selects and reports SST-2 on sentences. A row is a sentence when it
# ends in . ! or ?, does not start with punctuation or a clitic ('s, n't, 're, 'll) and has at least 6 tokens.
# Usage: docs/scripts/sst2-sentences.sh IN.tsv OUT.tsv
set -euo pipefail
awk -F'\t' 'NR == 1 || ($1 ~ /[.!?] *$/ && $1 !~ /^[^a-z0-9`]/ && $1 !~ /^(\x27s|n\x27t|\x27re|\x27ll) / &&
  split($1, w, " ") >= 6)' "$1" > "$2"
