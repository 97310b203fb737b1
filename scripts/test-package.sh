#!/usr/bin/env bash
# The package as a user gets it: builds and checks it (scripts/package.sh), installs the .deb
# with apt, starts the installed /usr/bin/csm-desk through WebDriver (tests/e2e/installed_app.rs),
# installs the same package again over it and checks the book is intact, then removes and purges
# it and checks the user's data is still there. The package is never left installed.
# Needs root or sudo; runs under its own Xvfb and D-Bus session when there is no display.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DISPLAY:-}" ]; then
  exec dbus-run-session -- xvfb-run -a --server-args='-screen 0 1280x820x24' "$0" "$@"
fi
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { echo "test-package: $*" >&2; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt() { as_root env DEBIAN_FRONTEND=noninteractive apt-get -y -qq "$@"; }
installed() { dpkg-query -W -f='${Status}' csm-desk 2>/dev/null | grep -q "install ok installed"; }

installed && fail "csm-desk is installed on this machine; this test installs and removes it: remove it first"
scripts/package.sh
deb=$(realpath target/release/bundle/deb/*.deb)

home=$(mktemp -d)
chmod 755 "$home"
trap 'installed && as_root dpkg --purge csm-desk >/dev/null; rm -rf "$home"' EXIT
export CSM_DESK_BIN=/usr/bin/csm-desk CSM_DESK_PACKAGE_HOME="$home"
export NO_AT_BRIDGE=1 WEBKIT_DISABLE_DMABUF_RENDERER=1 TAURI_WEBVIEW_AUTOMATION=true
installed_app() {
  cargo test -q -p csm-e2e --test installed_app -- --ignored --exact "$1"
}
book="$home/xdg-data/csm-desk/csm-desk.sqlite"

say "Installing $(basename "$deb") with apt"
apt install "$deb"
[ -x /usr/bin/csm-desk ] || fail "apt installed no /usr/bin/csm-desk"
installed_app a_first_start_of_the_installed_app_creates_the_sample_book_and_another_book_opens_beside_it

say "Installing it again over itself"
before=$(sha256sum "$book")
apt install --reinstall "$deb"
[ "$(sha256sum "$book")" = "$before" ] || fail "reinstalling changed the book"
installed_app after_reinstalling_the_package_the_book_is_intact

say "Removing and purging it"
apt remove csm-desk
[ ! -e /usr/bin/csm-desk ] || fail "/usr/bin/csm-desk is still there after removal"
as_root dpkg --purge csm-desk
dpkg-query -W csm-desk >/dev/null 2>&1 && fail "csm-desk is still installed"
[ -s "$book" ] || fail "the book is gone after the package was purged"
ls "$home/xdg-data/csm-desk/backups/"*.sqlite >/dev/null || fail "the backups are gone after the package was purged"
say "Installed, started, reinstalled over itself, removed and purged; the book stayed"
