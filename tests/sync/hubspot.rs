//! Sync scenarios against the fake HubSpot: first sync of a book, incremental sync, push of notes
//! and tasks (idempotent), both-sides edits → conflicts, remote archiving, and every injected
//! fault. The store is a real SQLite file; the fake is a real HTTP server on 127.0.0.1.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use csm_core::model::{
    AccountInput, Choice, DealKind, FieldAction, NoteInput, RecordAction, Resolution, SyncRun, TaskInput,
};
use csm_core::{validate, Store};
use csm_crm::engine;
use csm_crm::http::{Http, Limits};
use csm_crm::hubspot::{FieldMap, HubSpot};
use csm_e2e::fake_hubspot::{FakeHubSpot, Fault};
use serde_json::json;

const TOKEN: &str = "pat-test-123";
const HS: &str = "hubspot";

fn limits() -> Limits {
    Limits { backoff: Duration::from_millis(20), max_backoff: Duration::from_millis(200), ..Limits::default() }
}

fn client(fake: &FakeHubSpot, token: &str) -> HubSpot {
    let http = Http::new(&fake.url, token, limits(), Arc::new(AtomicBool::new(false))).expect("client");
    HubSpot::new(http, FieldMap::hubspot())
}

struct Book {
    _dir: tempfile::TempDir,
    store: Store,
}

fn book() -> Book {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open(&dir.path().join("book.sqlite")).expect("store");
    store.start_book(None, Utc::now()).expect("empty book");
    Book { _dir: dir, store }
}

fn sync(book: &Book, hs: &HubSpot) -> SyncRun {
    engine::run(&book.store, hs, &mut |_| {}).expect("a logged run")
}

fn apply_all(book: &Book) {
    book.store.apply_sync(HS, None, &[], Utc::now(), Utc::now().date_naive()).expect("apply");
}

fn count(book: &Book, sql: &str) -> i64 {
    let path = book.store.path().expect("file").to_owned();
    rusqlite::Connection::open(path).expect("raw").query_row(sql, [], |r| r.get(0)).expect("count")
}

#[test]
fn first_sync_previews_then_fills_the_book_and_the_next_run_pulls_only_changes() {
    let fake = FakeHubSpot::start(TOKEN);
    fake.seed(12, 3);
    let (book, hs) = (book(), client(&fake, TOKEN));
    let run = sync(&book, &hs);
    assert_eq!((run.status.as_str(), run.pulled), ("done", 48), "{:?}", run.errors);
    let preview = book.store.sync_preview(HS).expect("preview");
    assert_eq!(preview.records.iter().filter(|r| r.action == RecordAction::Create).count(), 48);
    assert_eq!(count(&book, "SELECT count(*) FROM accounts"), 0, "nothing applied before the CSM says so");
    apply_all(&book);
    assert_eq!(count(&book, "SELECT count(*) FROM accounts"), 12);
    assert_eq!(count(&book, "SELECT count(*) FROM contacts c JOIN accounts a ON a.id = c.account_id"), 36);
    let segments = count(&book, "SELECT count(*) FROM accounts WHERE segment = 'tech_touch'");
    assert_eq!(segments, 4, "the custom segment property is mapped");

    // Incremental: only what changed since the watermark comes back.
    let first = fake.lock().records("companies")[0].id;
    fake.lock().update("companies", first, json!({ "industry": "Aerospace" }));
    let run = sync(&book, &hs);
    assert_eq!(run.pulled, 1, "{:?}", run.errors);
    apply_all(&book);
    assert_eq!(count(&book, "SELECT count(*) FROM accounts WHERE industry = 'Aerospace'"), 1);
}

#[test]
fn published_notes_and_tasks_are_pushed_once_associated_and_again_only_when_edited() {
    let fake = FakeHubSpot::start(TOKEN);
    fake.seed(2, 1);
    let (book, hs) = (book(), client(&fake, TOKEN));
    sync(&book, &hs);
    apply_all(&book);
    let account: String = rusqlite::Connection::open(book.store.path().expect("path"))
        .expect("raw")
        .query_row("SELECT id FROM accounts ORDER BY name LIMIT 1", [], |r| r.get(0))
        .expect("account");
    let contact = book.store.contacts(&account).expect("contacts").remove(0);
    let note = NoteInput {
        account_id: account.clone(),
        body_md: "QBR went well <script>alert(1)</script>".into(),
        private: false,
        attendees: vec![csm_core::model::Attendee { contact_id: Some(contact.id.clone()), name: contact.name.clone() }],
        ..Default::default()
    };
    let saved = book
        .store
        .create_note(&validate::note(&note, Utc::now(), &Utc).expect("note"), None, Utc::now(), Utc::now().date_naive())
        .expect("save");
    let task = TaskInput { account_id: account.clone(), title: "Send the renewal quote".into(), ..Default::default() };
    let (draft, _) = validate::task(&task, Utc::now().date_naive()).expect("task");
    book.store.create_task(&draft, Utc::now()).expect("task saved");

    // Pulling alone sends nothing; a push of a chosen item sends only that one.
    engine::pull_run(&book.store, &hs, &mut |_| {}).expect("pull");
    assert!(fake.lock().records("notes").is_empty() && fake.lock().records("tasks").is_empty());
    let only_note: std::collections::HashSet<String> = [saved.note.id.clone()].into();
    assert_eq!(engine::push_run(&book.store, &hs, Some(&only_note), &mut |_| {}).expect("push").pushed, 1);
    assert!(fake.lock().records("tasks").is_empty(), "the task was not chosen");
    let run = sync(&book, &hs);
    assert_eq!(run.pushed, 1, "{:?}", run.errors);
    {
        let s = fake.lock();
        let notes = s.records("notes");
        assert_eq!(notes.len(), 1);
        assert!(notes[0].properties["hs_note_body"].as_str().unwrap_or_default().contains("&lt;script&gt;"));
        assert_eq!(s.associated("notes", notes[0].id, "companies").len(), 1);
        assert_eq!(s.associated("notes", notes[0].id, "contacts").len(), 1, "filed under the attendee too");
        assert_eq!(s.records("tasks").len(), 1);
    }
    assert_eq!(sync(&book, &hs).pushed, 0, "nothing new, nothing pushed");
    // A push retried after a crash (the CRM has it, the book did not record it) makes no duplicate.
    let pending = book.store.notes_to_push(HS).expect("none pending");
    assert!(pending.is_empty());
    let again = csm_core::store::PushNote {
        local_id: saved.note.id.clone(),
        account_remote_id: "1".into(),
        contact_remote_ids: vec![],
        occurred_at: Utc::now(),
        title: "t".into(),
        body_md: "retried".into(),
        version: "v".into(),
    };
    hs.push_note(&again).expect("retried push");
    assert_eq!(fake.lock().records("notes").len(), 1, "idempotent by our own id");

    let done = book
        .store
        .account_tasks(&account)
        .expect("tasks")
        .into_iter()
        .find(|t| t.title == "Send the renewal quote")
        .expect("task");
    book.store.complete_task(&done.id, Utc::now(), Utc::now().date_naive()).expect("done");
    assert_eq!(sync(&book, &hs).pushed, 1, "completion is pushed");
    assert_eq!(fake.lock().records("tasks")[0].properties["hs_task_status"], "COMPLETED");
}

#[test]
fn a_field_changed_on_both_sides_waits_for_the_csm_and_an_archived_company_is_archived() {
    let fake = FakeHubSpot::start(TOKEN);
    fake.seed(3, 0);
    let (book, hs) = (book(), client(&fake, TOKEN));
    sync(&book, &hs);
    apply_all(&book);
    let remote = fake.lock().records("companies")[0].id;
    let local = book.store.remote_id(HS, "account", "x").expect("query");
    assert!(local.is_none());
    let id: String = rusqlite::Connection::open(book.store.path().expect("path"))
        .expect("raw")
        .query_row("SELECT local_id FROM crm_links WHERE remote_id = ?1", [remote.to_string()], |r| r.get(0))
        .expect("linked");
    let mut input: AccountInput = book.store.account(&id).expect("account").to_input();
    input.industry = "Mine".into();
    book.store
        .update_account(&id, &validate::account(&input).expect("valid"), Utc::now(), Utc::now().date_naive())
        .expect("edit");
    fake.lock().update("companies", remote, json!({ "industry": "Theirs" }));
    let run = sync(&book, &hs);
    assert_eq!(run.conflicts, 1);
    let preview = book.store.sync_preview(HS).expect("preview");
    let field = preview.records[0].fields.iter().find(|f| f.field == "industry").expect("industry");
    assert_eq!((field.action, field.local.as_str(), field.remote.as_str()), (FieldAction::Conflict, "Mine", "Theirs"));
    apply_all(&book);
    assert_eq!(book.store.account(&id).expect("account").industry.as_deref(), Some("Mine"), "never overwritten");
    let mine = Resolution { remote_id: remote.to_string(), field: "industry".into(), choice: Choice::Mine };
    book.store.apply_sync(HS, None, &[mine], Utc::now(), Utc::now().date_naive()).expect("resolved");
    assert_eq!(book.store.account(&id).expect("account").industry.as_deref(), Some("Mine"));
    assert!(book.store.sync_preview(HS).expect("preview").records.is_empty());

    fake.lock().archive("companies", remote);
    sync(&book, &hs);
    apply_all(&book);
    assert!(book.store.account(&id).expect("account").archived_at.is_some(), "archived, notes kept");
}

#[test]
fn rate_limits_and_server_errors_are_waited_out_and_retried() {
    let fake = FakeHubSpot::start(TOKEN);
    fake.seed(5, 1);
    {
        let mut s = fake.lock();
        s.faults.extend([
            Fault::RateLimited(Some(1)),
            Fault::RateLimited(None),
            Fault::Status(500),
            Fault::Status(503),
            Fault::Truncated,
            Fault::Slow(Duration::from_millis(300)),
        ]);
    }
    let (book, hs) = (book(), client(&fake, TOKEN));
    let started = std::time::Instant::now();
    let run = sync(&book, &hs);
    assert_eq!((run.status.as_str(), run.pulled), ("done", 10), "{:?}", run.errors);
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After was honoured");
}

#[test]
fn a_run_that_cannot_finish_stops_with_a_clear_error_and_keeps_what_it_staged() {
    let fake = FakeHubSpot::start(TOKEN);
    fake.seed(4, 0);
    let (book, hs) = (book(), client(&fake, TOKEN));
    fake.lock().faults.extend(std::iter::repeat_n(Fault::Status(502), 20));
    let run = sync(&book, &hs);
    assert_eq!(run.status, "failed");
    assert!(run.errors.last().is_some_and(|e| e.contains("The CRM had a problem (502)")), "{:?}", run.errors);
    fake.lock().faults.clear();
    assert_eq!(sync(&book, &hs).status, "done", "the next run carries on");
    assert_eq!(book.store.sync_runs(10).expect("log").len(), 2);

    let daily = FakeHubSpot::start(TOKEN);
    daily.lock().faults.push_back(Fault::Daily);
    let run = sync(&book, &client(&daily, TOKEN));
    assert!(run.errors.last().is_some_and(|e| e.contains("daily API limit")), "{:?}", run.errors);
}

#[test]
fn a_wrong_or_expired_token_is_reported_and_never_shown() {
    let fake = FakeHubSpot::start(TOKEN);
    let (book, hs) = (book(), client(&fake, "pat-wrong-secret"));
    let run = sync(&book, &hs);
    assert_eq!(run.status, "failed");
    let text = run.errors.join(" ");
    assert!(text.contains("refused the token"), "{text}");
    assert!(!text.contains("pat-wrong-secret"));
    let db = std::fs::read(book.store.path().expect("path")).expect("file");
    assert!(!db.windows(b"pat-wrong-secret".len()).any(|w| w == b"pat-wrong-secret"), "the token is not in the file");
    fake.lock().expired = true;
    assert!(client(&fake, TOKEN).test_connection().is_err());
}

#[test]
fn odd_values_duplicates_and_an_endless_cursor_are_handled() {
    let fake = FakeHubSpot::start(TOKEN);
    fake.seed(450, 0);
    {
        let mut s = fake.lock();
        let id = s.records("companies")[1].id;
        s.update(
            "companies",
            id,
            json!({ "annualrevenue": "1e300", "renewal_date": "someday", "cs_segment": "platinum" }),
        );
        s.faults.push_back(Fault::Duplicates);
    }
    let (book, hs) = (book(), client(&fake, TOKEN));
    let run = sync(&book, &hs);
    assert_eq!(run.status, "done", "{:?}", run.errors);
    assert_eq!(count(&book, "SELECT count(*) FROM sync_staged"), 450, "duplicates across pages staged once");
    let preview = book.store.sync_preview(HS).expect("preview");
    let odd: Vec<_> = preview.records.iter().filter(|r| !r.problems.is_empty()).collect();
    assert_eq!(odd.len(), 1, "the absurd amount and the odd date are refused with reasons");
    let applied = book.store.apply_sync(HS, None, &[], Utc::now(), Utc::now().date_naive()).expect("apply");
    assert_eq!((applied.created, applied.left), (449, 1), "the odd record waits, the rest is applied");

    let endless = FakeHubSpot::start(TOKEN);
    endless.lock().faults.push_back(Fault::EndlessCursor);
    let run = sync(&book, &client(&endless, TOKEN));
    assert!(run.errors.last().is_some_and(|e| e.contains("without end")), "{:?}", run.errors);
}

#[test]
fn searches_are_sliced_below_the_result_cap() {
    let fake = FakeHubSpot::start(TOKEN);
    fake.seed(1_300, 0);
    fake.lock().search_cap = 500;
    let (book, mut hs) = (book(), client(&fake, TOKEN));
    hs.search_cap = 500;
    let run = sync(&book, &hs);
    assert_eq!((run.status.as_str(), run.pulled), ("done", 1_300), "{:?}", run.errors);
}

/// Runs `sync-once` on the book and kills it after `after`; true when it finished first.
fn sync_killed_after(path: &std::path::Path, fake: &FakeHubSpot, after: Duration) -> bool {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sync-once"))
        .arg(path)
        .arg(&fake.url)
        .arg(TOKEN)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("sync-once runs");
    let deadline = std::time::Instant::now() + after;
    while std::time::Instant::now() < deadline {
        if child.try_wait().expect("wait").is_some() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = child.kill();
    let _ = child.wait();
    false
}

fn integrity(path: &std::path::Path) -> String {
    rusqlite::Connection::open(path).expect("raw").query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("check")
}

#[test]
fn a_sync_killed_at_random_points_converges_without_duplicates_here_or_in_the_crm() {
    let fake = FakeHubSpot::start(TOKEN);
    fake.seed(300, 2);
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("book.sqlite");
    Store::open(&path).expect("store").start_book(None, Utc::now()).expect("empty book");
    // A simple generator: the kill points differ between runs of the test, and that is the point.
    let mut seed =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(7, |d| d.subsec_nanos() as u64);
    let mut next = move |max: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % max
    };
    for _ in 0..12 {
        sync_killed_after(&path, &fake, Duration::from_millis(20 + next(600)));
        assert_eq!(integrity(&path), "ok");
    }
    assert!(sync_killed_after(&path, &fake, Duration::from_secs(120)), "an uninterrupted run finishes");
    let store = Store::open(&path).expect("store");
    let count = |sql: &str| -> i64 {
        rusqlite::Connection::open(&path).expect("raw").query_row(sql, [], |r| r.get(0)).expect("count")
    };
    assert_eq!(count("SELECT count(*) FROM accounts"), 300, "every company once");
    assert_eq!(count("SELECT count(DISTINCT domain) FROM accounts"), 300);
    assert_eq!(count("SELECT count(*) FROM contacts"), 600);
    assert_eq!(count("SELECT count(*) FROM sync_staged"), 0);

    // Pushes killed midway: every published note reaches HubSpot exactly once.
    let accounts: Vec<String> = {
        let conn = rusqlite::Connection::open(&path).expect("raw");
        let mut stmt = conn.prepare("SELECT id FROM accounts ORDER BY name LIMIT 40").expect("sql");
        let rows = stmt.query_map([], |r| r.get(0)).expect("rows");
        rows.collect::<rusqlite::Result<_>>().expect("ids")
    };
    for account in &accounts {
        let input = NoteInput {
            account_id: account.clone(),
            body_md: "Weekly check-in.".into(),
            private: false,
            ..Default::default()
        };
        let draft = validate::note(&input, Utc::now(), &Utc).expect("note");
        store.create_note(&draft, None, Utc::now(), Utc::now().date_naive()).expect("saved");
    }
    drop(store);
    for _ in 0..8 {
        sync_killed_after(&path, &fake, Duration::from_millis(20 + next(300)));
        assert_eq!(integrity(&path), "ok");
    }
    assert!(sync_killed_after(&path, &fake, Duration::from_secs(120)));
    assert_eq!(fake.lock().records("notes").len(), 40, "no note pushed twice");
    assert!(Store::open(&path).expect("store").notes_to_push(HS).expect("pending").is_empty());
}

#[test]
fn open_tickets_become_health_signals_and_owners_name_and_scope_the_companies() {
    let fake = FakeHubSpot::start(TOKEN);
    fake.seed(6, 1);
    let (book, mut hs) = (book(), client(&fake, TOKEN));
    hs.owner = Some("7001".into());
    let run = sync(&book, &hs);
    assert_eq!(
        (run.status.as_str(), run.pulled),
        ("done", 6),
        "3 companies of Jordan and their 3 people: {:?}",
        run.errors
    );
    apply_all(&book);
    assert_eq!(count(&book, "SELECT count(*) FROM accounts WHERE owner = 'Jordan Lee'"), 3);
    // Of Jordan's companies, the first has two open tickets (one urgent) and a closed one.
    sync(&book, &hs);
    assert_eq!(
        count(&book, "SELECT count(*) FROM signals WHERE kind = 'tickets_open' AND value = 2 AND source = 'crm'"),
        1
    );
    assert_eq!(count(&book, "SELECT count(*) FROM signals WHERE kind = 'critical_tickets_open' AND value = 1"), 1);
    let signals = count(&book, "SELECT count(*) FROM signals");
    sync(&book, &hs);
    assert_eq!(count(&book, "SELECT count(*) FROM signals"), signals, "an unchanged count is not recorded again");
    // The urgent ticket closed in HubSpot lowers both readings.
    let ticket = fake
        .lock()
        .records("tickets")
        .iter()
        .find(|t| t.properties["hs_ticket_priority"] == "HIGH")
        .map(|t| t.id)
        .expect("ticket");
    fake.lock().update("tickets", ticket, json!({ "closed_date": "2026-11-20T00:00:00.000Z" }));
    sync(&book, &hs);
    assert_eq!(count(&book, "SELECT count(*) FROM signals WHERE kind = 'tickets_open' AND value = 1"), 1);
    assert_eq!(count(&book, "SELECT count(*) FROM signals WHERE kind = 'critical_tickets_open' AND value = 0"), 1);
}

#[test]
fn renewals_and_upsells_come_with_their_company_even_when_it_is_applied_later() {
    let fake = FakeHubSpot::start(TOKEN);
    fake.seed(4, 0);
    let (book, hs) = (book(), client(&fake, TOKEN));
    sync(&book, &hs);
    apply_all(&book);
    let first: String = rusqlite::Connection::open(book.store.path().expect("path"))
        .expect("raw")
        .query_row("SELECT id FROM accounts WHERE name = 'Northwind 1'", [], |r| r.get(0))
        .expect("account");
    let deals = book.store.account_deals(&first).expect("deals");
    let kinds: Vec<_> = deals.iter().map(|d| (d.kind, d.name.as_str())).collect();
    assert_eq!(
        kinds,
        [(DealKind::Upsell, "Expansion: 20 more seats"), (DealKind::Renewal, "Renewal 2027 — Northwind 1")]
    );
    assert_eq!(deals[1].amount.as_ref().map(|m| m.minor), Some(2_000_000));
    let upsell = fake
        .lock()
        .records("deals")
        .iter()
        .find(|d| d.properties["dealname"] == "Expansion: 20 more seats")
        .map(|d| d.id)
        .expect("deal");
    fake.lock().update("deals", upsell, json!({ "amount": "not much" }));
    let run = sync(&book, &hs);
    assert!(run.errors.iter().any(|e| e.contains("is not a number")), "{:?}", run.errors);
    assert_eq!(
        book.store.account_deals(&first).expect("deals")[0].amount.as_ref().map(|m| m.minor),
        Some(900_000),
        "the last good values stay"
    );
}

#[test]
fn a_cancelled_run_stops_cleanly_and_says_so() {
    let fake = FakeHubSpot::start(TOKEN);
    fake.seed(3, 0);
    let cancel = Arc::new(AtomicBool::new(true));
    let http = Http::new(&fake.url, TOKEN, limits(), cancel.clone()).expect("client");
    let hs = HubSpot::new(http, FieldMap::hubspot());
    let book = book();
    let run = sync(&book, &hs);
    assert_eq!(run.status, "cancelled");
    assert!(run.errors.last().is_some_and(|e| e.contains("cancelled")), "{:?}", run.errors);
    cancel.store(false, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(sync(&book, &hs).pulled, 3, "the next run starts where nothing was applied");
}

#[test]
fn a_person_removed_in_hubspot_is_marked_as_left_and_unknown_removals_are_ignored() {
    let fake = FakeHubSpot::start(TOKEN);
    fake.seed(2, 2);
    let (book, hs) = (book(), client(&fake, TOKEN));
    sync(&book, &hs);
    apply_all(&book);
    let person = fake.lock().records("contacts")[0].id;
    fake.lock().archive("contacts", person);
    let stranger = fake.lock().create("companies", json!({ "name": "Never synced" }), None);
    fake.lock().archive("companies", stranger);
    sync(&book, &hs);
    apply_all(&book);
    assert_eq!(count(&book, "SELECT count(*) FROM contacts WHERE left_on IS NOT NULL"), 1, "kept, marked as left");
    assert_eq!(count(&book, "SELECT count(*) FROM contacts"), 4);
    assert_eq!(count(&book, "SELECT count(*) FROM accounts"), 2, "a removed company never synced is not created");
    assert_eq!(count(&book, "SELECT count(*) FROM sync_staged"), 0);
}
