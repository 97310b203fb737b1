#!/usr/bin/env sh
# Runs a command with a real notification service (dunst) on the current session bus and checks
# that the reminder test's `Notify` call reached it, captured by dbus-monitor. scripts/test.sh runs
# it inside a private D-Bus session under Xvfb:
#   dbus-run-session -- xvfb-run -a scripts/with-notifications.sh cargo test … reminders -- --ignored
set -u
dunst >/dev/null 2>&1 &
dunst_pid=$!
capture=$(mktemp)
dbus-monitor --session "type='method_call',interface='org.freedesktop.Notifications',member='Notify'" >"$capture" 2>&1 &
monitor=$!
sleep 1
"$@"
rc=$?
sleep 0.5
kill "$monitor" "$dunst_pid" 2>/dev/null
if grep -q 'string "15:00 Acme weekly sync"' "$capture" && grep -q 'string "open-brief"' "$capture"; then
  echo "Notify captured: \"15:00 Acme weekly sync\" with its Open brief action"
else
  echo "No Notify call reached the notification service:" >&2
  cat "$capture" >&2
  rc=1
fi
rm -f "$capture"
exit "$rc"
