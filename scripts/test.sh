#!/usr/bin/env bash
# Sets up everything that is missing, then runs every check and test: formatting, lints, type
# checks, UI unit tests, the Rust suites, Tauri command tests on the mock runtime, and the real
# app driven through WebDriver under Xvfb. The Tauri crate is built once, with the same features
# for its tests and for the binary the WebDriver suite drives.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
exec > >(tee "$log") 2>&1
scripts/setup.sh test
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "UI: format (prettier), type check, lint, unit tests, build"
(cd ui && npm run format:check && npm run check && npm run lint && npm test && npm run build)

step "Rust: format, lints and unused dependencies"
cargo fmt --all --check
cargo clippy --workspace --all-targets --features csm-desk/e2e -- -D warnings
cargo machete

step "Rust: csm-core and csm-crm (no webview)"
cargo test -p csm-core -p csm-crm --lib
# Its own process: it measures the peak memory of reading the largest CSV files allowed.
cargo test -p csm-core --test import_memory

step "CRM sync scenarios against the fake HubSpot and the fake Salesforce (127.0.0.1)"
cargo test -p csm-e2e --test sync

step "Tauri commands on the mock runtime; TypeScript bindings drift check"
cargo test -p csm-desk --features e2e --lib

# A private D-Bus session with an unlocked gnome-keyring: the real OS keychain, for the CRM token.
with_keychain() {
  dbus-run-session -- sh -c 'export $(echo -n test | gnome-keyring-daemon --unlock --components=secrets) && exec "$@"' sh "$@"
}

step "The CRM token in a real Secret Service (gnome-keyring)"
with_keychain cargo test -p csm-desk --features e2e --lib keychain -- --ignored

step "Reminders through a real notification service (dunst) on a private D-Bus session"
dbus-run-session -- xvfb-run -a scripts/with-notifications.sh \
  cargo test -p csm-desk --features e2e --lib reminders -- --ignored

step "The real app through WebDriver under Xvfb"
cargo build -p csm-desk --features e2e
export NO_AT_BRIDGE=1 WEBKIT_DISABLE_DMABUF_RENDERER=1 TAURI_WEBVIEW_AUTOMATION=true
with_keychain xvfb-run -a --server-args='-screen 0 1280x820x24' \
  cargo test -p csm-e2e --test real_app -- --test-threads=1

# The release build the package ships (stripped, thin LTO): the one optimised build of the run.
# (The benchmarks are type-checked by clippy --all-targets above; scripts/bench.sh runs them.)
step "The package: build the .deb and .rpm, check them, install, start, reinstall and remove the .deb"
scripts/test-package.sh

step "Fuzz the CSV reader, note text, search queries, restore files, CRM JSON pages and calendar files briefly (longer: scripts/fuzz.sh SECONDS)"
scripts/fuzz.sh --quick 15

# One closing line over every suite: Vitest's files and each cargo test binary.
sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '
  /^test result: /     { passed += $4; failed += $6 }
  /^ +Tests +[0-9]+ passed/ { passed += $2 }
  END { printf "\nAll checks passed.\n%d passed, %d failed\n", passed, failed }'
