#!/usr/bin/env bash
# Measures the release app as a CSM gets it: the binary's size (and the packages', when
# scripts/package.sh built them), start-up (launch to the first view painted, as the app logs it)
# over several launches, and the idle memory (RSS and PSS) of the app and its WebKit processes
# with the sample book open. Targets (issue: packaging): start < 1 s, idle RSS < 250 MB.
#   scripts/measure.sh [BINARY]   default target/release/csm-desk (scripts/package.sh builds it)
# Runs under its own Xvfb and D-Bus session when there is no display.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=$(realpath "${1:-target/release/csm-desk}")
[ -x "$binary" ] || { echo "no app at $binary: run scripts/package.sh first" >&2; exit 1; }
if [ -z "${DISPLAY:-}" ]; then
  exec dbus-run-session -- xvfb-run -a --server-args='-screen 0 1280x820x24' "$0" "$binary"
fi
export PATH="$HOME/.cargo/bin:$PATH" NO_AT_BRIDGE=1
LAUNCHES=5
IDLE_SECONDS=15

book=$(mktemp -d)
trap 'pkill -f -- "--data-dir $book" || true; rm -rf "$book"' EXIT
cargo run -q -p csm-e2e --bin book-work -- "$book/csm-desk.sqlite" sample "$(date +%F)"
log="$book/logs/csm-desk.log"

now_ms() { date +%s%3N; }

# Starts the app on the sample book; prints its pid once it logs the first view painted, and
# how long that took from launch (the app's own unix-ms timestamp, against ours before exec).
launch() {
  local seen before pid painted
  seen=$(grep -c "first view painted" "$log" 2>/dev/null || true)
  before=$(now_ms)
  "$binary" --data-dir "$book" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 600); do
    if [ "$(grep -c "first view painted" "$log" 2>/dev/null || true)" -gt "${seen:-0}" ]; then
      painted=$(grep "first view painted" "$log" | tail -1 | sed 's/.*unix ms \([0-9]*\).*/\1/')
      echo "$pid $((painted - before))"
      return
    fi
    sleep 0.05
  done
  echo "the app did not paint within 30 s" >&2
  exit 1
}

quit() {
  kill "$1"
  while kill -0 "$1" 2>/dev/null; do sleep 0.05; done
}

# Memory in MB of a process and the processes under it (WebKit's web and network processes):
# "name rss pss" per process. RSS counts the libraries both processes map once each; PSS shares
# them out, so its sum is what the app costs the machine.
memory_mb() {
  local pid
  for pid in "$1" $(pgrep -P "$1" || true); do
    awk -v name="$(cat "/proc/$pid/comm")" '/^Rss:/ {rss = $2} /^Pss:/ {pss = $2}
      END {printf "%s %.0f %.0f\n", name, rss / 1024, pss / 1024}' "/proc/$pid/smaps_rollup"
  done
}

starts=()
for _ in $(seq $LAUNCHES); do
  read -r pid ms < <(launch)
  starts+=("$ms")
  quit "$pid"
done
read -r pid _ < <(launch)
sleep $IDLE_SECONDS
memory=$(memory_mb "$pid")
quit "$pid"

sorted=($(printf '%s\n' "${starts[@]}" | sort -n))
median=${sorted[$((LAUNCHES / 2))]}
size() { du -m "$1" | cut -f1; }
echo
echo "CSM Desk $("$binary" --version | cut -d' ' -f3) on $(nproc) cores"
echo "binary                $(size "$binary") MB ($binary)"
for package in target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm; do
  [ -f "$package" ] && echo "package               $(size "$package") MB ($(basename "$package"))"
done
echo "start (first launch)  ${starts[0]} ms"
echo "start (median of $LAUNCHES) ${median} ms (all: ${starts[*]})"
echo "idle memory after ${IDLE_SECONDS} s on the sample book, MB:"
awk '{printf "  %-16s RSS %4d  PSS %4d\n", $1, $2, $3}
  $1 !~ /Network/ {rss += $2; pss += $3}
  END {printf "  app + web process RSS %4d  PSS %4d (target: RSS < 250)\n", rss, pss}' <<<"$memory"
