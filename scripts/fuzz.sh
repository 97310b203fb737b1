#!/usr/bin/env bash
# Coverage-guided fuzzing (cargo-fuzz, libFuzzer) of what reads outside input: the CSV reader,
# a call note's text (next steps and their dates, excerpts, index text), search queries run against
# the index, files given to restore, CRM JSON pages given to both connectors' readers, and calendar
# files (imported, watched or fetched). The test command runs each briefly; longer on demand:
#   scripts/fuzz.sh 600                  (seconds per target; default 300)
#   scripts/fuzz.sh 600 note_text        (one target)
#   scripts/fuzz.sh --quick 15           (what the test command runs: cargo-fuzz's dev profile,
#                                         at opt-level 1 in tests/fuzz/Cargo.toml, without
#                                         AddressSanitizer: all six targets build in under 3
#                                         minutes here instead of 12. The brief runs look for panics
#                                         in our code, which forbids unsafe; the longer runs keep
#                                         the release profile and AddressSanitizer)
# Seeds: src-tauri/crates/core/tests/csv (CSV), tests/crm-json (CRM pages),
# src-tauri/crates/core/tests/calendars (calendars). New inputs go to tests/fuzz/corpus/<target>,
# crashes to tests/fuzz/artifacts/ (both git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
build=()
[ "${1:-}" = --quick ] && { build=(--dev --sanitizer none); shift; }
seconds="${1:-300}"
targets=("${@:2}")
[ "${#targets[@]}" -gt 0 ] || targets=(csv_reader note_text search_query backup_file crm_json calendar_file)
# One fuzz crate (tests/fuzz) holds every target: its instrumented dependencies build once, all
# targets together, and each run below reuses that build.
cd tests/fuzz
cargo +nightly fuzz build "${build[@]}"
for target in "${targets[@]}"; do
  seeds=()
  case "$target" in
    csv_reader) seeds=(../../src-tauri/crates/core/tests/csv) ;;
    calendar_file) seeds=(../../src-tauri/crates/core/tests/calendars) ;;
    crm_json) seeds=(../crm-json) ;;
  esac
  mkdir -p "corpus/$target"
  cargo +nightly fuzz run "${build[@]}" "$target" "corpus/$target" "${seeds[@]}" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1
done
