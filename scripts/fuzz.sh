#!/usr/bin/env bash
# Coverage-guided fuzzing (cargo-fuzz, libFuzzer) of what reads outside input: the CSV reader,
# a call note's text (next steps and their dates, excerpts, index text), search queries run against
# the index, and files given to restore. The test command runs each briefly; longer on demand:
#   scripts/fuzz.sh 600            (seconds per target; default 300)
#   scripts/fuzz.sh 600 note_text  (one target)
# Seeds for the CSV reader: src-tauri/crates/core/tests/csv. New inputs go to fuzz/corpus/<target>,
# crashes to fuzz/artifacts/ (both git-ignored).
set -euo pipefail
cd "$(dirname "$0")/../src-tauri/crates/core"
export PATH="$HOME/.cargo/bin:$PATH"
seconds="${1:-300}"
targets=("${@:2}")
[ "${#targets[@]}" -gt 0 ] || targets=(csv_reader note_text search_query backup_file)
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target"
  seeds=()
  [ "$target" = csv_reader ] && seeds=(tests/csv)
  cargo +nightly fuzz run "$target" "fuzz/corpus/$target" "${seeds[@]}" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1
done
