#!/usr/bin/env bash
# Criterion benchmarks on the scaled-up sample book (5,000 accounts, 50,000 contacts).
# Reports medians; compare "Store::book" with the "raw SQL baseline" of the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cargo bench -p csm-core --bench store -- "$@"
