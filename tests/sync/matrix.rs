//! The fault matrix: each fault a CRM or the network can produce, aimed at each request of a full
//! sync (pull, apply, push of a note and a task) in turn. After every case the book passes
//! SQLite's integrity check, a failed run names its cause, and the next clean run converges: the
//! book holds every account once and the CRM holds the note and the task once.

use std::time::Duration;

use chrono::Utc;
use csm_core::model::{NoteInput, TaskInput};
use csm_core::validate;
use csm_crm::{engine, Connector};
use csm_e2e::fake_hubspot::Fault;

use crate::scenarios::{apply_all, book, count, Book, FakeCrm, TOKEN};

/// The client's timeout in the matrix; `Slow` waits longer than this.
pub const TIMEOUT: Duration = Duration::from_millis(400);
const ACCOUNTS: usize = 3;

/// Each fault, with words the run's error must contain when it stops the run (None: the client
/// must ride it out).
fn faults<F: FakeCrm>() -> Vec<(Fault, Option<&'static str>)> {
    vec![
        (Fault::RateLimited(Some(1)), None),
        (Fault::RateLimited(None), None),
        (Fault::Status(500), None),
        (Fault::Status(503), None),
        (Fault::Slow(TIMEOUT * 3), None),
        (Fault::Truncated, None),
        (Fault::NotJson, Some("could not be read")),
        (Fault::RedirectTo("http://localhost:9/steal".into()), Some("another address")),
        (Fault::Huge(1 << 30), Some("larger than 64 MB")),
        (Fault::Expire, F::EXPIRED),
    ]
}

/// Pull, apply, then write a note and a task on the first account (once) and push: what a CSM's
/// full sync does. Returns the errors of both runs.
fn full_sync<F: FakeCrm>(book: &Book, crm: &dyn Connector) -> Vec<String> {
    let pulled = engine::pull_run(&book.store, crm, &mut |_| {}).expect("a logged pull");
    if pulled.status != "done" {
        return pulled.errors;
    }
    apply_all::<F>(book);
    if count(book, "SELECT count(*) FROM notes") == 0 {
        write_note_and_task(book);
    }
    engine::push_run(&book.store, crm, None, &mut |_| {}).expect("a logged push").errors
}

fn write_note_and_task(book: &Book) {
    let (now, today) = (Utc::now(), Utc::now().date_naive());
    let account = book.store.book_with_health(today).expect("book").rows.remove(0).id;
    let note =
        NoteInput { account_id: account.clone(), body_md: "Call: renewal on track".into(), ..Default::default() };
    let note = validate::note(&note, now, &Utc).expect("note");
    book.store.create_note(&note, None, now, today).expect("note saved");
    let task = TaskInput { account_id: account, title: "Send the renewal quote".into(), ..Default::default() };
    let (task, _) = validate::task(&task, today).expect("task");
    book.store.create_task(&task, now).expect("task saved");
}

fn integrity(book: &Book) -> String {
    let path = book.store.path().expect("file").to_owned();
    rusqlite::Connection::open(path).expect("raw").query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("check")
}

pub fn every_fault_at_every_request_of_a_full_sync_leaves_a_sound_book_that_converges<F: FakeCrm>() {
    let requests = {
        let (fake, book) = (F::start(TOKEN), book());
        fake.seed(ACCOUNTS, 1);
        let errors = full_sync::<F>(&book, &*fake.quick_client(TOKEN));
        assert!(errors.is_empty(), "a clean full sync: {errors:?}");
        fake.requests()
    };
    let mut stopped = 0;
    for at in 1..=requests {
        for (fault, cause) in faults::<F>() {
            let case = format!("{fault:?} at request {at} of {requests}");
            let (fake, book) = (F::start(TOKEN), book());
            fake.seed(ACCOUNTS, 1);
            fake.aim(at, fault);
            // One client per case, as the app keeps one session (a renewed token stays in it).
            let crm = fake.quick_client(TOKEN);
            let errors = full_sync::<F>(&book, &*crm);
            assert_eq!(integrity(&book), "ok", "{case}");
            match (errors.last(), cause) {
                (None, _) => {}
                (Some(error), Some(words)) if error.contains(words) => stopped += 1,
                (Some(error), _) => panic!("{case}: the run stopped with {error:?}, expected {cause:?}"),
            }
            fake.clear_faults();
            let errors = full_sync::<F>(&book, &*crm);
            assert!(errors.is_empty(), "{case}: the next run converges: {errors:?}");
            assert_eq!(count(&book, "SELECT count(*) FROM accounts"), ACCOUNTS as i64, "{case}");
            let links = "SELECT count(*) - count(DISTINCT entity || remote_id) FROM crm_links";
            assert_eq!(count(&book, links), 0, "{case}: no record linked twice");
            assert_eq!((fake.notes().len(), fake.tasks().len()), (1, 1), "{case}: pushed once each");
            assert!(book.store.notes_to_push(F::SYSTEM).expect("outbox").is_empty(), "{case}");
        }
    }
    eprintln!("{} cases over {requests} requests; {stopped} stopped the run with their cause named", requests * 10);
}
