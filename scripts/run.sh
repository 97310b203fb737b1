#!/usr/bin/env bash
# Sets up everything that is missing, builds CSM Desk (release) and launches it.
# Data lives in $CSM_DESK_DATA_DIR, else $XDG_DATA_HOME/csm-desk (~/.local/share/csm-desk).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"

echo "==> Building the UI"
(cd ui && npm run build)
echo "==> Building CSM Desk (the first build takes a few minutes)"
cargo build --release -p csm-desk --features custom-protocol
echo "==> Launching"
exec target/release/csm-desk "$@"
