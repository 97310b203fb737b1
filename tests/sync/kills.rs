//! Killed mid-write: an import, the start-of-day job and a restore, each killed at random points
//! in another process (with the sync's pull, apply and push in the scenarios, over 100 kills in
//! all). After each kill the book is sound and holds nothing twice; the next run converges.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate, Utc};
use csm_core::sample::{self, SampleSpec};
use csm_core::Store;

/// Kills per kind of work here.
const KILLS: usize = 40;

/// Runs `book-work` and kills it after `after`; true when it finished first (and succeeded).
fn work_killed_after(book: &Path, work: &str, with: &str, after: Duration) -> bool {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_book-work"))
        .args([book.to_str().expect("path"), work, with])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("book-work runs");
    let deadline = Instant::now() + after;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().expect("wait") {
            assert!(status.success(), "book-work {work} failed on its own");
            return true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = child.kill();
    let _ = child.wait();
    false
}

/// How long the work takes uninterrupted, measured on a copy of the book: the kills fall within it.
fn duration_ms(book: &Path, work: &str, with: &str) -> u64 {
    let copy = book.with_extension("timing.sqlite");
    std::fs::copy(book, &copy).expect("copy");
    let started = Instant::now();
    assert!(work_killed_after(&copy, work, with, Duration::from_secs(60)), "{work} finishes");
    let _ = std::fs::remove_file(&copy);
    (started.elapsed().as_millis() as u64).max(2)
}

fn count(book: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(book).expect("raw").query_row(sql, [], |r| r.get(0)).expect("count")
}

fn sound(book: &Path) {
    let check: String = rusqlite::Connection::open(book)
        .expect("raw")
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check");
    assert_eq!(check, "ok");
}

/// Kill points that differ between runs of the test, and that is the point.
fn kill_points() -> impl FnMut(u64) -> u64 {
    let mut seed =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(7, |d| d.subsec_nanos() as u64);
    move |max| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % max
    }
}

#[test]
fn an_import_the_days_job_and_a_restore_killed_at_random_points_leave_a_sound_book_that_converges() {
    let dir = tempfile::tempdir().expect("dir");
    let book = dir.path().join("book.sqlite");
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("day");
    let store = Store::open(&book).expect("book");
    store.start_book(Some(&sample::generate(&SampleSpec::DEMO, today)), Utc::now()).expect("sample");
    let taken = store.back_up(&dir.path().join("backups"), Utc::now(), "").expect("backup");
    drop(store);
    let mut next = kill_points();

    // An import of 3,000 accounts: all or nothing, however often it is killed.
    let csv = dir.path().join("accounts.csv");
    let rows: String =
        (0..3_000).map(|i| format!("Imported {i},imported{i}.example,low_touch,{}\n", 1000 + i)).collect();
    std::fs::write(&csv, format!("Name,Domain,Segment,ARR\n{rows}")).expect("csv");
    let csv = csv.to_str().expect("path");
    let mut killed = 0;
    let took = duration_ms(&book, "import", csv);
    for _ in 0..KILLS {
        killed += usize::from(!work_killed_after(&book, "import", csv, Duration::from_millis(1 + next(took))));
        sound(&book);
        let imported = count(&book, "SELECT count(*) FROM accounts WHERE domain LIKE 'imported%'");
        assert!(imported == 0 || imported == 3_000, "half an import: {imported}");
    }
    assert!(work_killed_after(&book, "import", csv, Duration::from_secs(60)), "an uninterrupted import finishes");
    assert_eq!(count(&book, "SELECT count(*) FROM accounts"), 40 + 3_000, "every account once");

    // The start-of-day job on successive days: never two snapshots of an account on one day.
    let mut day = today;
    for _ in 0..KILLS {
        day = day + Days::new(1);
        killed += usize::from(!work_killed_after(
            &book,
            "start-of-day",
            &day.to_string(),
            Duration::from_millis(5 + next(300)),
        ));
        sound(&book);
        let twice =
            "SELECT count(*) FROM (SELECT 1 FROM health_snapshots GROUP BY account_id, day HAVING count(*) > 1)";
        assert_eq!(count(&book, twice), 0);
    }
    assert!(work_killed_after(&book, "start-of-day", &day.to_string(), Duration::from_secs(60)));
    let scored = format!("SELECT count(DISTINCT account_id) FROM health_snapshots WHERE day = '{day}'");
    assert!(count(&book, &scored) >= 40, "the day's snapshots are all there after the next run");

    // A restore: the book is the old one or the backup, never a mix.
    let before = count(&book, "SELECT count(*) FROM accounts");
    let took = duration_ms(&book, "restore", &taken.path);
    for _ in 0..KILLS {
        killed += usize::from(!work_killed_after(&book, "restore", &taken.path, Duration::from_millis(1 + next(took))));
        sound(&book);
        let accounts = count(&book, "SELECT count(*) FROM accounts");
        assert!(accounts == before || accounts == 40, "a mix of two books: {accounts}");
    }
    assert!(work_killed_after(&book, "restore", &taken.path, Duration::from_secs(60)));
    assert_eq!(count(&book, "SELECT count(*) FROM accounts"), 40);
    assert!(Store::open(&book).is_ok(), "the restored book opens");
    eprintln!("{killed} of {} runs killed midway", 3 * KILLS);
    assert!(killed >= KILLS, "the kill points reach into the work: {killed}");
}
