#!/usr/bin/env bash
# Coverage-guided fuzzing (cargo-fuzz, libFuzzer) of what reads outside input: the CSV reader,
# a call note's text (next steps and their dates, excerpts, index text), search queries run against
# the index, files given to restore, CRM JSON pages given to both connectors' readers, and calendar
# files (imported, watched or fetched). The
# test command runs each briefly; longer on demand:
#   scripts/fuzz.sh 600            (seconds per target; default 300)
#   scripts/fuzz.sh 600 note_text  (one target)
# Seeds: src-tauri/crates/core/tests/csv (CSV), tests/crm-json (CRM pages),
# src-tauri/crates/core/tests/calendars (calendars). New inputs go to
# <crate>/fuzz/corpus/<target>, crashes to <crate>/fuzz/artifacts/ (both git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
seconds="${1:-300}"
targets=("${@:2}")
[ "${#targets[@]}" -gt 0 ] || targets=(csv_reader note_text search_query backup_file crm_json calendar_file)
root=$PWD
for target in "${targets[@]}"; do
  crate=src-tauri/crates/core seeds=()
  case "$target" in
    csv_reader) seeds=("$root/src-tauri/crates/core/tests/csv") ;;
    calendar_file) seeds=("$root/src-tauri/crates/core/tests/calendars") ;;
    crm_json) crate=src-tauri/crates/crm seeds=("$root/tests/crm-json") ;;
  esac
  (
    cd "$crate"
    mkdir -p "fuzz/corpus/$target"
    cargo +nightly fuzz run "$target" "fuzz/corpus/$target" "${seeds[@]}" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1
  )
done
