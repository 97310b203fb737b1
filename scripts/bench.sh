#!/usr/bin/env bash
# Criterion benchmarks on the scaled-up sample book (5,000 accounts, 50,000 contacts), then a
# summary of the medians and of the Book load as a ratio of the raw SQL baseline of the same run.
# Targets (issue: foundation): Book < 20 ms and within 1.5x of raw SQL; open < 50 ms.
# (issue: week planner): plan a week < 50 ms; run all playbooks < 200 ms.
# (issue: notes): search 200,000 notes < 10 ms (p95 < 30 ms, printed by the bench); a timeline
# page < 5 ms; saving a note < 5 ms.
# (issue: QBR workspace): the draft of an account with 5 years of history < 50 ms; exporting a
# 12-slide deck with 3 charts < 2 s (the UI's Vitest bench, medians printed after Criterion's).
# (issue: CRM sync): applying pulled records >= 20,000/s; the first sync of 10,000 companies and
# 50,000 contacts under 100 requests / 10 s within 1.1x of the minimum the limit allows (~75 s).
# (issue: Salesforce): the same apply rate; the first sync of 10,000 accounts and 50,000 contacts
# in API calls against the fewest batches of 2,000 allow, and against the daily allocation.
# (issue: a real book): the first hour on a 5,000-company portal (30,000 records): the preview's
# first page and a cached page (interactions < 100 ms), applying it all, the Week's first open of
# the day against a second open, and a sync with nothing changed (< 10 s).
# (issue: renewal desk): the Renewals page's data for 12 months < 30 ms; retention for a quarter
# and a year (book and segments) < 10 ms each; what changed since last week < 20 ms; recording an
# outcome < 5 ms (the store, `renewal_desk`), and the rules alone (`renewals`).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
rm -rf target/criterion
cargo bench -p csm-core -- "$@"
cargo bench -p csm-e2e --bench sync

python3 - <<'PY'
import glob, json, os
medians = {}
for path in glob.glob("target/criterion/**/new/estimates.json", recursive=True):
    name = os.path.relpath(os.path.dirname(os.path.dirname(path)), "target/criterion")
    medians[name] = json.load(open(path))["median"]["point_estimate"] / 1e6
print("\nMedians")
for name, ms in sorted(medians.items()):
    print(f"  {name:<50} {ms:9.3f} ms")
book, raw = medians.get("book 5k/Store__book"), medians.get("book 5k/raw SQL baseline")
if book and raw:
    print(f"  Book load / raw SQL: {book / raw:.2f}x (target <= 1.5x)")
plan, tasks = medians.get("planner 5k/plan a week (100,000 tasks)"), medians.get("planner 5k/raw SQL baseline_ the week's tasks")
if plan and tasks:
    print(f"  Week plan / raw SQL read of the week's tasks: {plan / tasks:.2f}x (target: plan < 50 ms)")
PY

echo
echo "Deck export (Vitest bench, 15 runs each)"
(cd ui && npx vitest bench --run --outputJson ../target/export-bench.json > /dev/null)
python3 - <<'PY'
import json
for f in json.load(open("target/export-bench.json"))["files"]:
    for group in f["groups"]:
        for b in group["benchmarks"]:
            print(f"  export/{b['name']:<45} {b['median']:9.1f} ms median")
PY

echo
echo "First sync under HubSpot's rate limit (fake enforcing 100 requests / 10 s)"
cargo run --release -q -p csm-e2e --bin sync-rate-bench hubspot
echo "First sync from Salesforce (batches of at most 2,000; a 15,000-call daily allocation)"
cargo run --release -q -p csm-e2e --bin sync-rate-bench salesforce
