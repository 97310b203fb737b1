//! The sync scenarios every connector must pass, written once against [`FakeCrm`] and run against
//! both fakes (`scenarios!`): first sync of a book, incremental sync, push of notes and tasks
//! (idempotent), both-sides edits → conflicts, remote removals, every injected fault, cancel, and
//! kill-and-resume. The store is a real SQLite file; each fake is a real HTTP server on 127.0.0.1.

use std::collections::HashSet;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use csm_core::model::{
    AccountInput, Choice, DealKind, FieldAction, NoteInput, RecordAction, Resolution, SyncField, SyncRun, TaskInput,
};
use csm_core::{validate, Store};
use csm_crm::http::Limits;
use csm_crm::{engine, Connector};
use csm_e2e::fake_hubspot::Fault;

pub const TOKEN: &str = "pat-test-123";

/// A note or task as the CRM holds it.
pub struct Pushed {
    pub text: String,
    pub account: Option<String>,
    pub contacts: Vec<String>,
    pub done: bool,
}

/// What the scenarios need of a fake CRM, in the CRM's own terms.
pub trait FakeCrm: Sized {
    const SYSTEM: &'static str;
    /// Words of the run's error when the CRM refuses the credentials.
    const REFUSED: &'static str;
    /// Words of the run's error when the access token expires mid-run (None: the client renews it).
    const EXPIRED: Option<&'static str>;
    /// How `<script>` in a note reaches the CRM: escaped HTML, or plain text it shows as text.
    const SCRIPT_AS: &'static str;
    fn start(token: &str) -> Self;
    fn url(&self) -> String;
    /// `accounts` accounts of two owners, `per_account` people each, a renewal each (and an
    /// upsell every fourth), two open tickets (one urgent) and a closed one on every third.
    fn seed(&self, accounts: usize, per_account: usize);
    fn client(&self, token: &str, owner: Option<String>, cancel: Arc<AtomicBool>) -> Box<dyn Connector>;
    /// A client that gives up on an answer after [`crate::matrix::TIMEOUT`].
    fn quick_client(&self, token: &str) -> Box<dyn Connector>;
    /// Requests answered so far.
    fn requests(&self) -> u64;
    /// `fault` answers the `request`th request (counted from the start).
    fn aim(&self, request: u64, fault: Fault);
    /// Remote ids in the order they were made.
    fn accounts(&self) -> Vec<String>;
    fn contacts(&self) -> Vec<String>;
    fn set_industry(&self, account: &str, industry: &str);
    /// An absurd ARR, a renewal date that is not a date and an unknown segment.
    fn set_odd_values(&self, account: &str);
    fn remove_account(&self, id: &str);
    fn remove_contact(&self, id: &str);
    fn create_account(&self, name: &str) -> String;
    fn notes(&self) -> Vec<Pushed>;
    fn tasks(&self) -> Vec<Pushed>;
    fn inject(&self, faults: Vec<Fault>);
    /// No more faults, and an expired token works again (the CSM signed in again).
    fn clear_faults(&self);
    /// Every credential stops working.
    fn revoke(&self);
    /// The owner of the first account (and every other one).
    fn owner(&self) -> String;
    fn close_urgent_ticket(&self, account: &str);
    fn set_upsell_amount(&self, amount: &str);
    /// Closes the first account's renewal deal, won at `amount` or lost.
    fn close_first_renewal(&self, won: bool, amount: &str);
}

pub fn limits() -> Limits {
    Limits { backoff: Duration::from_millis(20), max_backoff: Duration::from_millis(200), ..Limits::default() }
}

pub fn client<F: FakeCrm>(fake: &F, token: &str) -> Box<dyn Connector> {
    fake.client(token, None, Arc::new(AtomicBool::new(false)))
}

pub struct Book {
    _dir: tempfile::TempDir,
    pub store: Store,
}

pub fn book() -> Book {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open(&dir.path().join("book.sqlite")).expect("store");
    store.start_book(None, Utc::now()).expect("empty book");
    Book { _dir: dir, store }
}

pub fn sync(book: &Book, crm: &dyn Connector) -> SyncRun {
    engine::run(&book.store, crm, &mut |_| {}).expect("a logged run")
}

pub fn apply_all<F: FakeCrm>(book: &Book) {
    book.store.apply_sync(F::SYSTEM, None, &[], Utc::now(), Utc::now().date_naive()).expect("apply");
}

pub fn count(book: &Book, sql: &str) -> i64 {
    let path = book.store.path().expect("file").to_owned();
    rusqlite::Connection::open(path).expect("raw").query_row(sql, [], |r| r.get(0)).expect("count")
}

fn local_id(book: &Book, sql: &str, param: &str) -> String {
    rusqlite::Connection::open(book.store.path().expect("path"))
        .expect("raw")
        .query_row(sql, [param], |r| r.get(0))
        .expect("a local id")
}

pub fn first_sync_previews_then_fills_the_book_and_the_next_run_pulls_only_changes<F: FakeCrm>() {
    let fake = F::start(TOKEN);
    fake.seed(12, 3);
    let (book, crm) = (book(), client(&fake, TOKEN));
    let run = sync(&book, &*crm);
    assert_eq!((run.status.as_str(), run.pulled), ("done", 48), "{:?}", run.errors);
    let preview = book.store.sync_preview(F::SYSTEM).expect("preview");
    assert_eq!(preview.records.iter().filter(|r| r.action == RecordAction::Create).count(), 48);
    assert_eq!(count(&book, "SELECT count(*) FROM accounts"), 0, "nothing applied before the CSM says so");
    apply_all::<F>(&book);
    assert_eq!(count(&book, "SELECT count(*) FROM accounts"), 12);
    assert_eq!(count(&book, "SELECT count(*) FROM contacts c JOIN accounts a ON a.id = c.account_id"), 36);
    assert_eq!(count(&book, "SELECT count(*) FROM accounts WHERE segment = 'tech_touch'"), 4, "custom segment mapped");
    assert_eq!(count(&book, "SELECT count(*) FROM accounts WHERE domain = 'company1.example'"), 1);

    // Incremental: only what changed since the watermark comes back.
    fake.set_industry(&fake.accounts()[0], "Aerospace");
    let run = sync(&book, &*crm);
    assert_eq!(run.pulled, 1, "{:?}", run.errors);
    apply_all::<F>(&book);
    assert_eq!(count(&book, "SELECT count(*) FROM accounts WHERE industry = 'Aerospace'"), 1);
}

/// A CSM's first hour with a real-sized CRM (5,000 companies, 5 people each, none with a role):
/// nothing is red for lack of data, generated tasks stay within the day's limit, nothing is
/// queued for the CRM that the CSM did not write, and a sync with nothing changed is quick.
pub fn the_first_hour_at_real_size<F: FakeCrm>() {
    let fake = F::start(TOKEN);
    fake.seed(5_000, 5);
    let (book, crm) = (book(), client(&fake, TOKEN));
    let (now, today) = (Utc::now(), Utc::now().date_naive());
    let run = sync(&book, &*crm);
    assert_eq!((run.status.as_str(), run.pulled), ("done", 30_000), "{:?}", run.errors);
    apply_all::<F>(&book);
    assert_eq!(count(&book, "SELECT count(*) FROM accounts"), 5_000);
    if F::SYSTEM == "hubspot" {
        // Renewals come in several currencies, each in its own minor units (the won has none).
        assert_eq!(count(&book, "SELECT count(DISTINCT currency) FROM deals"), 4);
        let won = "SELECT amount_minor FROM deals WHERE currency = 'KRW' AND name = 'Renewal 2027 — Wingtip 5'";
        assert_eq!(count(&book, won), 26_000);
    }

    let view = book.store.book_with_health(today).expect("book");
    let red = view.portfolio.bands.iter().find(|b| b.band == csm_core::model::Band::Red).expect("red").accounts;
    assert_eq!(red, 0, "no account is red for lack of data");
    assert_eq!(view.portfolio.unscored, 5_000, "{:?}", view.portfolio);
    let health = book.store.health_report(&view.rows[0].id, today).expect("health");
    let why = health.not_scored.expect("says why it is not scored");
    assert!(why.coverage < why.required && !why.missing.is_empty(), "{why:?}");

    book.store.start_of_day(today, now).expect("the day's job");
    let week = book.store.week_plan(today, today).expect("week");
    let limit = book.store.planner_settings().expect("settings").playbook_tasks_per_day;
    let generated = count(&book, "SELECT count(*) FROM tasks WHERE source = 'playbook'");
    assert!(generated > 0 && generated <= i64::from(limit), "{generated} playbook tasks, limit {limit}");
    assert!(
        week.days.iter().all(|d| !d.overloaded || d.is_past),
        "{:?}",
        week.days.iter().map(|d| d.planned_minutes).collect::<Vec<_>>()
    );
    let tasks_queued = book.store.tasks_to_push(F::SYSTEM).expect("outbox").len();
    assert_eq!(tasks_queued, 0, "generated tasks are not pushed unless the CSM chooses");

    let started = std::time::Instant::now();
    let run = sync(&book, &*crm);
    let took = started.elapsed();
    assert_eq!(run.status.as_str(), "done", "{:?}", run.errors);
    assert!(took < Duration::from_secs(10), "a sync with nothing changed took {took:?}");
    let preview = book.store.sync_preview(F::SYSTEM).expect("preview");
    assert!(preview.records.len() < 1_000, "{} records staged again", preview.records.len());
}

pub fn published_notes_and_tasks_are_pushed_once_linked_and_again_only_when_edited<F: FakeCrm>() {
    let fake = F::start(TOKEN);
    fake.seed(2, 1);
    let (book, crm) = (book(), client(&fake, TOKEN));
    sync(&book, &*crm);
    apply_all::<F>(&book);
    let account = local_id(&book, "SELECT id FROM accounts WHERE name LIKE ?1 ORDER BY name LIMIT 1", "%");
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
    engine::pull_run(&book.store, &*crm, &mut |_| {}).expect("pull");
    assert!(fake.notes().is_empty() && fake.tasks().is_empty());
    let only_note: HashSet<String> = [saved.note.id.clone()].into();
    assert_eq!(engine::push_run(&book.store, &*crm, Some(&only_note), &mut |_| {}).expect("push").pushed, 1);
    assert!(fake.tasks().is_empty(), "the task was not chosen");
    let run = sync(&book, &*crm);
    assert_eq!(run.pushed, 1, "{:?}", run.errors);
    let remote_account = book.store.remote_id(F::SYSTEM, "account", &account).expect("query").expect("linked");
    let remote_contact = book.store.remote_id(F::SYSTEM, "contact", &contact.id).expect("query").expect("linked");
    let notes = fake.notes();
    assert_eq!(notes.len(), 1);
    assert!(notes[0].text.contains(F::SCRIPT_AS), "{}", notes[0].text);
    assert_eq!(notes[0].account.as_deref(), Some(remote_account.as_str()));
    assert_eq!(notes[0].contacts, [remote_contact], "filed under the attendee too");
    assert_eq!(fake.tasks().len(), 1);
    assert_eq!(sync(&book, &*crm).pushed, 0, "nothing new, nothing pushed");

    // A push retried after a crash (the CRM has it, the book did not record it) makes no duplicate.
    assert!(book.store.notes_to_push(F::SYSTEM).expect("none pending").is_empty());
    let again = csm_core::store::PushNote {
        local_id: saved.note.id.clone(),
        account_remote_id: remote_account,
        account_name: String::new(),
        contact_remote_ids: vec![],
        occurred_at: Utc::now(),
        title: "t".into(),
        body_md: "retried".into(),
        version: "v".into(),
    };
    let outcome = crm.push_notes(&[again]).expect("retried push");
    assert!(outcome[0].is_ok(), "{outcome:?}");
    assert_eq!(fake.notes().len(), 1, "idempotent by our own id");

    let done =
        book.store.account_tasks(&account).expect("tasks").into_iter().find(|t| t.title == "Send the renewal quote");
    book.store.complete_task(&done.expect("task").id, Utc::now(), Utc::now().date_naive()).expect("done");
    assert_eq!(sync(&book, &*crm).pushed, 1, "completion is pushed");
    assert!(fake.tasks()[0].done);
}

pub fn a_field_changed_on_both_sides_waits_for_the_csm_and_a_removed_account_is_archived<F: FakeCrm>() {
    let fake = F::start(TOKEN);
    fake.seed(3, 0);
    let (book, crm) = (book(), client(&fake, TOKEN));
    sync(&book, &*crm);
    apply_all::<F>(&book);
    let remote = fake.accounts()[0].clone();
    let id = local_id(&book, "SELECT local_id FROM crm_links WHERE remote_id = ?1", &remote);
    let mut input: AccountInput = book.store.account(&id).expect("account").to_input();
    input.industry = "Mine".into();
    book.store
        .update_account(&id, &validate::account(&input).expect("valid"), Utc::now(), Utc::now().date_naive())
        .expect("edit");
    fake.set_industry(&remote, "Theirs");
    let run = sync(&book, &*crm);
    assert_eq!(run.conflicts, 1);
    let preview = book.store.sync_preview(F::SYSTEM).expect("preview");
    let field = preview.records[0].fields.iter().find(|f| f.field == SyncField::Industry).expect("industry");
    assert_eq!((field.action, field.local.as_str(), field.remote.as_str()), (FieldAction::Conflict, "Mine", "Theirs"));
    apply_all::<F>(&book);
    assert_eq!(book.store.account(&id).expect("account").industry.as_deref(), Some("Mine"), "never overwritten");
    let mine = Resolution { remote_id: remote.clone(), field: SyncField::Industry, choice: Choice::Mine };
    book.store.apply_sync(F::SYSTEM, None, &[mine], Utc::now(), Utc::now().date_naive()).expect("resolved");
    assert_eq!(book.store.account(&id).expect("account").industry.as_deref(), Some("Mine"));
    assert!(book.store.sync_preview(F::SYSTEM).expect("preview").records.is_empty());

    fake.remove_account(&remote);
    sync(&book, &*crm);
    apply_all::<F>(&book);
    assert!(book.store.account(&id).expect("account").archived_at.is_some(), "archived, notes kept");
}

pub fn rate_limits_and_server_errors_are_waited_out_and_retried<F: FakeCrm>() {
    let fake = F::start(TOKEN);
    fake.seed(5, 1);
    fake.inject(vec![
        Fault::RateLimited(Some(1)),
        Fault::RateLimited(None),
        Fault::Status(500),
        Fault::Status(503),
        Fault::Truncated,
        Fault::Slow(Duration::from_millis(300)),
    ]);
    let (book, crm) = (book(), client(&fake, TOKEN));
    let started = std::time::Instant::now();
    let run = sync(&book, &*crm);
    assert_eq!((run.status.as_str(), run.pulled), ("done", 10), "{:?}", run.errors);
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After was honoured");
}

/// A redirect to another address is not followed (the listener there sees nothing, least of all
/// the token), and an answer far larger than any page is refused without being held whole.
pub fn a_redirect_elsewhere_and_a_huge_answer_stop_the_run_and_send_nothing_away<F: FakeCrm>() {
    let elsewhere = std::net::TcpListener::bind("127.0.0.1:0").expect("listener");
    elsewhere.set_nonblocking(true).expect("nonblocking");
    let port = elsewhere.local_addr().expect("addr").port();
    let fake = F::start(TOKEN);
    fake.seed(3, 1);
    // "localhost" is another host than the fake's 127.0.0.1 for the client.
    fake.inject(vec![Fault::RedirectTo(format!("http://localhost:{port}/steal"))]);
    let (book, crm) = (book(), client(&fake, TOKEN));
    let run = sync(&book, &*crm);
    assert_eq!(run.status.as_str(), "failed", "{:?}", run.errors);
    assert!(run.errors.iter().any(|e| e.contains("another address")), "{:?}", run.errors);
    std::thread::sleep(Duration::from_millis(200));
    assert!(elsewhere.accept().is_err(), "nothing reached the other address");

    fake.clear_faults();
    fake.inject(vec![Fault::Huge(200 * 1024 * 1024)]);
    let started = std::time::Instant::now();
    let run = sync(&book, &*crm);
    assert_eq!(run.status.as_str(), "failed", "{:?}", run.errors);
    assert!(run.errors.iter().any(|e| e.contains("larger than 64 MB")), "{:?}", run.errors);
    assert!(started.elapsed() < Duration::from_secs(60), "refused once, not retried");
    fake.clear_faults();
    assert_eq!(sync(&book, &*crm).status.as_str(), "done", "the next run converges");
}

pub fn a_run_that_cannot_finish_stops_with_a_clear_error_and_keeps_what_it_staged<F: FakeCrm>() {
    let fake = F::start(TOKEN);
    fake.seed(4, 0);
    let (book, crm) = (book(), client(&fake, TOKEN));
    fake.inject(vec![Fault::Status(502); 20]);
    let run = sync(&book, &*crm);
    assert_eq!(run.status, "failed");
    assert!(run.errors.last().is_some_and(|e| e.contains("The CRM had a problem (502)")), "{:?}", run.errors);
    fake.clear_faults();
    assert_eq!(sync(&book, &*crm).status, "done", "the next run carries on");
    assert_eq!(book.store.sync_runs(10).expect("log").len(), 2);

    let daily = F::start(TOKEN);
    daily.inject(vec![Fault::Daily]);
    let run = sync(&book, &*client(&daily, TOKEN));
    assert!(run.errors.last().is_some_and(|e| e.contains("daily API limit")), "{:?}", run.errors);
}

pub fn a_wrong_or_revoked_credential_is_reported_and_never_shown<F: FakeCrm>() {
    let fake = F::start(TOKEN);
    let (book, crm) = (book(), client(&fake, "pat-wrong-secret"));
    let run = sync(&book, &*crm);
    assert_eq!(run.status, "failed");
    let text = run.errors.join(" ");
    assert!(text.contains(F::REFUSED), "{text}");
    assert!(!text.contains("pat-wrong-secret"));
    let db = std::fs::read(book.store.path().expect("path")).expect("file");
    assert!(!db.windows(b"pat-wrong-secret".len()).any(|w| w == b"pat-wrong-secret"), "the token is not in the file");
    let good = client(&fake, TOKEN);
    assert!(good.test_connection().is_ok());
    fake.revoke();
    let err = good.test_connection().expect_err("revoked");
    assert!(err.to_string().contains(F::REFUSED), "{err}");
}

pub fn odd_values_duplicates_and_an_endless_cursor_are_handled<F: FakeCrm>() {
    let fake = F::start(TOKEN);
    fake.seed(450, 0);
    fake.set_odd_values(&fake.accounts()[1]);
    fake.inject(vec![Fault::Duplicates]);
    let (book, crm) = (book(), client(&fake, TOKEN));
    let run = sync(&book, &*crm);
    assert_eq!(run.status, "done", "{:?}", run.errors);
    assert_eq!(count(&book, "SELECT count(*) FROM sync_staged"), 450, "duplicates across pages staged once");
    let preview = book.store.sync_preview(F::SYSTEM).expect("preview");
    let odd: Vec<_> = preview.records.iter().filter(|r| !r.problems.is_empty()).collect();
    assert_eq!(odd.len(), 1, "the absurd amount and the odd date are refused with reasons");
    let applied = book.store.apply_sync(F::SYSTEM, None, &[], Utc::now(), Utc::now().date_naive()).expect("apply");
    assert_eq!((applied.created, applied.left), (449, 1), "the odd record waits, the rest is applied");

    let endless = F::start(TOKEN);
    endless.inject(vec![Fault::EndlessCursor]);
    let run = sync(&book, &*client(&endless, TOKEN));
    assert!(run.errors.last().is_some_and(|e| e.contains("without end")), "{:?}", run.errors);
}

/// Runs `sync-once` on the book and kills it after `after`; true when it finished first.
fn sync_killed_after<F: FakeCrm>(path: &std::path::Path, fake: &F, after: Duration) -> bool {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sync-once"))
        .arg(path)
        .arg(F::SYSTEM)
        .arg(fake.url())
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

pub fn a_sync_killed_at_random_points_converges_without_duplicates_here_or_in_the_crm<F: FakeCrm>() {
    let fake = F::start(TOKEN);
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
    let mut killed = 0;
    for _ in 0..20 {
        killed += usize::from(!sync_killed_after(&path, &fake, Duration::from_millis(20 + next(600))));
        assert_eq!(integrity(&path), "ok");
    }
    assert!(sync_killed_after(&path, &fake, Duration::from_secs(120)), "an uninterrupted run finishes");
    let store = Store::open(&path).expect("store");
    let count = |sql: &str| -> i64 {
        rusqlite::Connection::open(&path).expect("raw").query_row(sql, [], |r| r.get(0)).expect("count")
    };
    assert_eq!(count("SELECT count(*) FROM accounts"), 300, "every account once");
    assert_eq!(count("SELECT count(DISTINCT domain) FROM accounts"), 300);
    assert_eq!(count("SELECT count(*) FROM contacts"), 600);
    assert_eq!(count("SELECT count(*) FROM sync_staged"), 0);

    // Pushes killed midway: every published note reaches the CRM exactly once.
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
    for _ in 0..15 {
        killed += usize::from(!sync_killed_after(&path, &fake, Duration::from_millis(20 + next(300))));
        assert_eq!(integrity(&path), "ok");
    }
    eprintln!("{}: {killed} of 35 pulls, applies and pushes killed midway", F::SYSTEM);
    assert!(killed >= 10, "the kill points reach into the work: {killed}");
    assert!(sync_killed_after(&path, &fake, Duration::from_secs(120)));
    assert_eq!(fake.notes().len(), 40, "no note pushed twice");
    assert!(Store::open(&path).expect("store").notes_to_push(F::SYSTEM).expect("pending").is_empty());
}

pub fn open_tickets_become_health_signals_and_owners_name_and_scope_the_accounts<F: FakeCrm>() {
    let fake = F::start(TOKEN);
    fake.seed(6, 1);
    let book = book();
    let crm = fake.client(TOKEN, Some(fake.owner()), Arc::new(AtomicBool::new(false)));
    let run = sync(&book, &*crm);
    assert_eq!(
        (run.status.as_str(), run.pulled),
        ("done", 6),
        "3 accounts of Jordan and their 3 people: {:?}",
        run.errors
    );
    apply_all::<F>(&book);
    assert_eq!(count(&book, "SELECT count(*) FROM accounts WHERE owner = 'Jordan Lee'"), 3);
    // Of Jordan's accounts, the first has two open tickets (one urgent) and a closed one.
    sync(&book, &*crm);
    let open = "SELECT count(*) FROM signals WHERE kind = 'tickets_open' AND source = 'crm' AND value = ";
    assert_eq!(count(&book, &format!("{open}2")), 1);
    assert_eq!(count(&book, "SELECT count(*) FROM signals WHERE kind = 'critical_tickets_open' AND value = 1"), 1);
    // Labelled with where they came from, in the CRM's own words.
    let source = if F::SYSTEM == "salesforce" { "From Salesforce's open cases" } else { "From HubSpot's open tickets" };
    let labelled =
        format!("SELECT count(*) FROM signals WHERE source = 'crm' AND comment = '{}'", source.replace('\'', "''"));
    assert_eq!(count(&book, &labelled), count(&book, "SELECT count(*) FROM signals WHERE source = 'crm'"));
    let signals = count(&book, "SELECT count(*) FROM signals");
    sync(&book, &*crm);
    assert_eq!(count(&book, "SELECT count(*) FROM signals"), signals, "an unchanged count is not recorded again");
    // The urgent ticket closed in the CRM lowers both readings.
    fake.close_urgent_ticket(&fake.accounts()[0]);
    sync(&book, &*crm);
    assert_eq!(count(&book, &format!("{open}1")), 1);
    assert_eq!(count(&book, "SELECT count(*) FROM signals WHERE kind = 'critical_tickets_open' AND value = 0"), 1);
}

pub fn renewals_and_upsells_come_with_their_account<F: FakeCrm>() {
    let fake = F::start(TOKEN);
    fake.seed(4, 0);
    let (book, crm) = (book(), client(&fake, TOKEN));
    sync(&book, &*crm);
    apply_all::<F>(&book);
    let first = local_id(&book, "SELECT id FROM accounts WHERE name = ?1", "Northwind 1");
    let deals = book.store.account_deals(&first).expect("deals");
    let kinds: Vec<_> = deals.iter().map(|d| (d.kind, d.name.as_str())).collect();
    assert_eq!(
        kinds,
        [(DealKind::Upsell, "Expansion: 20 more seats"), (DealKind::Renewal, "Renewal 2027 — Northwind 1")]
    );
    assert_eq!(deals[1].amount.as_ref().map(|m| m.minor), Some(2_000_000));
    fake.set_upsell_amount("not much");
    let run = sync(&book, &*crm);
    assert!(run.errors.iter().any(|e| e.contains("is not a number")), "{:?}", run.errors);
    let amount = book.store.account_deals(&first).expect("deals")[0].amount.as_ref().map(|m| m.minor);
    assert_eq!(amount, Some(900_000), "the last good values stay");
}

/// A renewal deal's forecast and its close (won in one CRM, lost in the other: each fake's test
/// says which) come to the renewal desk as suggestions; nothing changes until the CSM picks one.
pub fn a_closed_renewal_deal_is_suggested_as_an_outcome_and_never_applied<F: FakeCrm>(won: bool) {
    use csm_core::model::{OutcomeInput, OutcomeKind, RenewalInput, SuggestedChange};
    let fake = F::start(TOKEN);
    fake.seed(4, 0);
    let (book, crm) = (book(), client(&fake, TOKEN));
    sync(&book, &*crm);
    apply_all::<F>(&book);
    let today = Utc::now().date_naive();
    let first = local_id(&book, "SELECT id FROM accounts WHERE name = ?1", "Northwind 1");
    assert_eq!(book.store.renewal_suggestions(today).expect("suggestions"), [], "no call of the CSM's to question yet");

    let arr = book.store.account(&first).expect("account").arr;
    let call = RenewalInput { category: "at_risk".into(), ..Default::default() };
    book.store.update_renewal(&first, &validate::renewal(&call, &arr).expect("call"), Utc::now()).expect("call");
    let suggested = book.store.renewal_suggestions(today).expect("suggestions");
    assert_eq!(suggested.len(), 1);
    assert!(
        matches!(suggested[0].change, SuggestedChange::Category { .. }),
        "the CRM's forecast differs: {suggested:?}"
    );

    fake.close_first_renewal(won, "26000");
    sync(&book, &*crm);
    let suggested = book.store.renewal_suggestions(today).expect("suggestions");
    let expected = if won {
        SuggestedChange::Outcome {
            outcome: OutcomeKind::Expansion,
            new_arr: csm_core::model::Money::new(2_600_000, "USD"),
        }
    } else {
        SuggestedChange::Outcome { outcome: OutcomeKind::Churn, new_arr: csm_core::model::Money::new(0, "USD") }
    };
    assert_eq!(suggested.iter().map(|s| &s.change).collect::<Vec<_>>(), [&expected]);
    assert_eq!(book.store.account(&first).expect("account").arr, arr, "nothing applied on its own");
    assert_eq!(count(&book, "SELECT count(*) FROM renewal_outcomes"), 0);

    // The CSM records it: the suggestion has done its work.
    let outcome = match expected {
        SuggestedChange::Outcome { outcome: OutcomeKind::Churn, .. } => {
            OutcomeInput { kind: "churn".into(), reasons: vec!["Competitor".into()], ..Default::default() }
        }
        _ => OutcomeInput { kind: "expansion".into(), new_arr: "26000".into(), ..Default::default() },
    };
    book.store.record_outcome(&first, &outcome, today, Utc::now()).expect("recorded");
    assert_eq!(book.store.renewal_suggestions(today).expect("suggestions"), []);
}

pub fn a_cancelled_run_stops_cleanly_and_says_so<F: FakeCrm>() {
    let fake = F::start(TOKEN);
    fake.seed(3, 0);
    let cancel = Arc::new(AtomicBool::new(true));
    let crm = fake.client(TOKEN, None, cancel.clone());
    let book = book();
    let run = sync(&book, &*crm);
    assert_eq!(run.status, "cancelled");
    assert!(run.errors.last().is_some_and(|e| e.contains("cancelled")), "{:?}", run.errors);
    cancel.store(false, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(sync(&book, &*crm).pulled, 3, "the next run starts where nothing was applied");
}

pub fn a_person_removed_in_the_crm_is_marked_as_left_and_unknown_removals_are_ignored<F: FakeCrm>() {
    let fake = F::start(TOKEN);
    fake.seed(2, 2);
    let (book, crm) = (book(), client(&fake, TOKEN));
    sync(&book, &*crm);
    apply_all::<F>(&book);
    fake.remove_contact(&fake.contacts()[0]);
    let stranger = fake.create_account("Never synced");
    fake.remove_account(&stranger);
    sync(&book, &*crm);
    apply_all::<F>(&book);
    assert_eq!(count(&book, "SELECT count(*) FROM contacts WHERE left_on IS NOT NULL"), 1, "kept, marked as left");
    assert_eq!(count(&book, "SELECT count(*) FROM contacts"), 4);
    assert_eq!(count(&book, "SELECT count(*) FROM accounts"), 2, "a removed account never synced is not created");
    assert_eq!(count(&book, "SELECT count(*) FROM sync_staged"), 0);
}

/// One `#[test]` per scenario for a fake CRM type.
macro_rules! scenarios {
    ($fake:ty) => {
        scenarios!(@each $fake;
            first_sync_previews_then_fills_the_book_and_the_next_run_pulls_only_changes,
            the_first_hour_at_real_size,
            published_notes_and_tasks_are_pushed_once_linked_and_again_only_when_edited,
            a_field_changed_on_both_sides_waits_for_the_csm_and_a_removed_account_is_archived,
            rate_limits_and_server_errors_are_waited_out_and_retried,
            a_redirect_elsewhere_and_a_huge_answer_stop_the_run_and_send_nothing_away,
            a_run_that_cannot_finish_stops_with_a_clear_error_and_keeps_what_it_staged,
            a_wrong_or_revoked_credential_is_reported_and_never_shown,
            odd_values_duplicates_and_an_endless_cursor_are_handled,
            a_sync_killed_at_random_points_converges_without_duplicates_here_or_in_the_crm,
            open_tickets_become_health_signals_and_owners_name_and_scope_the_accounts,
            renewals_and_upsells_come_with_their_account,
            a_cancelled_run_stops_cleanly_and_says_so,
            a_person_removed_in_the_crm_is_marked_as_left_and_unknown_removals_are_ignored);
        #[test]
        fn every_fault_at_every_request_of_a_full_sync_leaves_a_sound_book_that_converges() {
            crate::matrix::every_fault_at_every_request_of_a_full_sync_leaves_a_sound_book_that_converges::<$fake>();
        }
    };
    (@each $fake:ty; $($name:ident),*) => {
        $(#[test]
        fn $name() {
            crate::scenarios::$name::<$fake>();
        })*
    };
}
pub(crate) use scenarios;
