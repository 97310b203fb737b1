#!/usr/bin/env bash
# Coverage-guided fuzzing of the CSV reader (cargo-fuzz, libFuzzer). The test command runs it
# briefly; run it longer on demand:  scripts/fuzz.sh 600   (seconds; default 300).
# Seeds: src-tauri/crates/core/tests/csv. New inputs go to fuzz/corpus/csv_reader, crashes to
# fuzz/artifacts/ (both git-ignored).
set -euo pipefail
cd "$(dirname "$0")/../src-tauri/crates/core"
export PATH="$HOME/.cargo/bin:$PATH"
seconds="${1:-300}"
mkdir -p fuzz/corpus/csv_reader
cargo +nightly fuzz run csv_reader fuzz/corpus/csv_reader tests/csv -- \
  -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1
