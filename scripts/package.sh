#!/usr/bin/env bash
# Builds CSM Desk's release binary once and packages it as a .deb and an .rpm with Tauri's own
# bundler (the Tauri CLI pinned in ui/package.json), then checks the packages: lintian,
# desktop-file-validate and appstreamcli on what the .deb installs, the files and dependencies
# of the .rpm. Packages land in target/release/bundle/{deb,rpm}/.
# AppImage is not built: its bundler downloads tools at build time, which this project's
# machines cannot do, and we do not ship what we cannot test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh package
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { echo "package: $*" >&2; exit 1; }

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
metainfo=src-tauri/packaging/metainfo.xml
grep -q "<release version=\"$version\"" "$metainfo" || fail "$metainfo has no <release> for $version: add one"
head -1 src-tauri/packaging/changelog | grep -q "($version)" || fail "src-tauri/packaging/changelog does not start with $version"

say "Building the UI and the release binary"
(cd ui && npm run build)
cargo build --release -p csm-desk --features custom-protocol

say "Writing the manual page from csm-desk --help"
mkdir -p target/release/packaging
# The help's "here:" line names this machine's folder; the page keeps the rule only.
help2man --no-info --version-string="csm-desk $version" --section=1 \
  --name="a local-first desk for Customer Success Managers" target/release/csm-desk |
  sed '/here: /d' | gzip -9n >target/release/packaging/csm-desk.1.gz

say "Bundling the .deb and the .rpm"
rm -rf target/release/bundle
ui/node_modules/.bin/tauri bundle --bundles deb,rpm --ci
deb=$(ls target/release/bundle/deb/*.deb)
rpm=$(ls target/release/bundle/rpm/*.rpm)

say "Checking the .deb (lintian, desktop-file-validate, appstreamcli)"
lintian --fail-on error "$deb"
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
dpkg-deb -x "$deb" "$tree"
desktop-file-validate "$tree"/usr/share/applications/*.desktop
appstreamcli validate --no-net --explain "$tree"/usr/share/metainfo/*.metainfo.xml
for size in 16 24 32 48 64 128 256 512; do
  [ -f "$tree/usr/share/icons/hicolor/${size}x${size}/apps/csm-desk.png" ] || fail "no ${size}px icon in $deb"
done

say "Checking the .rpm (files and dependencies)"
files=$(rpm -qpl "$rpm" 2>/dev/null)
for file in /usr/bin/csm-desk /usr/share/metainfo/ /usr/share/applications/ /usr/share/icons/hicolor/512x512/apps/csm-desk.png; do
  grep -q "^$file" <<<"$files" || fail "$rpm lacks $file"
done
rpm -qp --requires "$rpm" 2>/dev/null | grep -q "libwebkit2gtk-4.1" || fail "$rpm does not require WebKitGTK 4.1"

printf '%s\n' "$deb" "$rpm"
