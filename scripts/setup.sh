#!/usr/bin/env bash
# Installs what CSM Desk needs on Debian/Ubuntu and is missing: system packages (apt, via sudo
# when not root), the Rust toolchain (rustup) and the UI's npm packages (npm ci).
#   scripts/setup.sh        what building and running the app needs
#   scripts/setup.sh package  that, plus the package checkers (lintian, desktop-file-validate,
#                             appstreamcli, rpm)
#   scripts/setup.sh test   all of that, plus what the test suite needs (WebDriver, Xvfb, D-Bus,
#                           keychain, a nightly toolchain and cargo-fuzz, python-pptx and pypdf,
#                           LibreOffice)
set -euo pipefail
cd "$(dirname "$0")/.."

# Fonts: the PDF export embeds DejaVu Sans, with Droid Sans Fallback for CJK and Symbola for emoji.
APP_PACKAGES=(build-essential pkg-config curl wget file libwebkit2gtk-4.1-dev libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev libdbus-1-dev fonts-dejavu-core fonts-droid-fallback fonts-symbola)
# python3-venv: the independent readers (python-pptx, pypdf) that check exported decks.
# dunst: a real notification service for the reminders test.
TEST_PACKAGES=(webkit2gtk-driver xvfb xauth dbus procps imagemagick gnome-keyring libsecret-tools
  python3 python3-venv dunst)
# LibreOffice lays the exported PPTX out as a second reader would, and poppler draws PDF pages
# as pictures: the deck test compares the two (installed without recommends: ~10 s, ~150 MB).
DECK_RENDER_PACKAGES=(libreoffice-impress poppler-utils)
# What writes the manual page and checks the .deb and the .rpm scripts/package.sh builds.
PACKAGE_PACKAGES=(lintian desktop-file-utils appstream rpm help2man)
NODE_MIN_MAJOR=20
NODE_MIN_MINOR=19

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing_packages() {
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

install_system_packages() {
  local wanted=("${APP_PACKAGES[@]}")
  [ "${1:-}" = test ] && wanted+=("${TEST_PACKAGES[@]}")
  [ "${1:-}" = test ] || [ "${1:-}" = package ] && wanted+=("${PACKAGE_PACKAGES[@]}")
  command -v node >/dev/null || wanted+=(nodejs npm)
  mapfile -t missing < <(missing_packages "${wanted[@]}")
  if [ "${#missing[@]}" -gt 0 ]; then
    say "Installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
  [ "${1:-}" = test ] || return 0
  mapfile -t missing < <(missing_packages "${DECK_RENDER_PACKAGES[@]}")
  if [ "${#missing[@]}" -gt 0 ]; then
    say "Installing the deck renderers: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

ensure_rust() {
  if ! command -v cargo >/dev/null && [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  if ! command -v cargo >/dev/null; then
    say "Installing Rust with rustup"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c clippy,rustfmt
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  if command -v rustup >/dev/null; then
    rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt
  fi
}

# The test suite fuzzes the CSV reader: cargo-fuzz needs a nightly toolchain.
ensure_fuzzing() {
  if ! command -v rustup >/dev/null; then
    echo "rustup is missing: the CSV fuzz step needs it (nightly toolchain)." >&2
    return
  fi
  rustup toolchain list | grep -q '^nightly' || { say "Installing the nightly toolchain (fuzzing)"; rustup toolchain install nightly --profile minimal; }
  command -v cargo-fuzz >/dev/null || { say "Installing cargo-fuzz"; cargo install cargo-fuzz --locked --debug; }
}

# The test command checks for dependencies no crate uses (cargo-machete, from crates.io).
# Both tools are installed unoptimised (--debug): they build in half the time and run in seconds.
ensure_machete() {
  command -v cargo-machete >/dev/null || { say "Installing cargo-machete"; cargo install cargo-machete --locked --debug; }
}

# Python tools of the tests, in .venv-test: the deck readers (python-pptx, pypdf) that check
# exported decks, and the CRMs' own clients that check the fakes.
ensure_test_python() {
  local wanted=(tests/deck/requirements.txt tests/clients/requirements.txt) newer=0 file
  for file in "${wanted[@]}"; do [ "$file" -nt .venv-test/installed ] && newer=1; done
  if [ ! -x .venv-test/bin/python ] || [ "$newer" = 1 ]; then
    say "Installing the tests' Python tools (deck readers, CRM clients) in .venv-test"
    python3 -m venv .venv-test
    .venv-test/bin/pip install --quiet --disable-pip-version-check "${wanted[@]/#/-r}"
    touch .venv-test/installed
  fi
}

check_node() {
  local version major minor
  version=$(node --version | tr -d v)
  major=${version%%.*}
  minor=$(echo "$version" | cut -d. -f2)
  if [ "$major" -lt "$NODE_MIN_MAJOR" ] || { [ "$major" -eq "$NODE_MIN_MAJOR" ] && [ "$minor" -lt "$NODE_MIN_MINOR" ]; }; then
    echo "CSM Desk's UI needs Node.js ${NODE_MIN_MAJOR}.${NODE_MIN_MINOR} or newer; this machine has $version." >&2
    echo "Install a newer Node.js (e.g. from your distribution's backports) and run this again." >&2
    exit 1
  fi
}

install_ui_packages() {
  if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    say "Installing the UI's npm packages"
    (cd ui && npm ci --no-audit --no-fund)
  fi
}

install_system_packages "${1:-}"
ensure_rust
if [ "${1:-}" = test ]; then ensure_fuzzing; ensure_machete; ensure_test_python; fi
check_node
install_ui_packages
