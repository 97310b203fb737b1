//! Calendars and call prep on the scaled book (5,000 accounts). Targets (issue: call prep):
//! importing a 20,000-event calendar (10 MB, one event in twenty a weekly series expanded over a
//! year) < 1 s; the brief of an account with 5 years of history < 30 ms; the Week with 200
//! meetings matched < 50 ms. Baselines in the same run: scanning the same text line by line, the
//! account's overview, and the same Week without a calendar. Criterion reports medians.

use std::hint::black_box;

use chrono::{DateTime, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use csm_core::calendar::{self, Window};
use csm_core::model::CalendarInput;
use csm_core::sample::{self, SampleSpec};
use csm_core::{validate, Store};
use rusqlite::{params, Connection};

const ACCOUNTS: usize = 5_000;
const EVENTS: usize = 20_000;
const WEEK_MEETINGS: usize = 200;
const ZONE: Tz = Tz::Europe__Berlin;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("a Monday")
}

fn now() -> DateTime<Utc> {
    today().and_hms_opt(8, 0, 0).expect("time").and_utc()
}

fn scaled_book(path: &std::path::Path) {
    let store = Store::open(path).expect("open");
    store.start_book(Some(&sample::generate(&SampleSpec::scaled(ACCOUNTS, 2), today())), now()).expect("load");
}

/// Five years of one account's life: weekly notes with an attendee, daily health scores, weekly
/// ticket readings, tasks from the notes, metrics.
fn five_years(path: &std::path::Path) -> String {
    let mut conn = Connection::open(path).expect("open");
    let tx = conn.transaction().expect("tx");
    let (account, contact): (String, String) = tx
        .query_row(
            "SELECT a.id, c.id FROM accounts a JOIN contacts c ON c.account_id = a.id ORDER BY a.arr_minor DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("an account with people");
    for week in 0..260u64 {
        let day = today() - Days::new(week * 7 + 1);
        let id = format!("bench-note-{week}");
        tx.execute(
            "INSERT INTO notes (id, account_id, occurred_at, body_md, private, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, 1, ?3, ?3)",
            params![
                id,
                account,
                format!("{day}T10:00:00Z"),
                format!("Weekly call {week}: adoption and tickets.\n\n- [ ] Follow up {week}")
            ],
        )
        .expect("note");
        tx.execute(
            "INSERT INTO note_attendees (note_id, contact_id, name) VALUES (?1, ?2, 'Bench')",
            params![id, contact],
        )
        .expect("attendee");
        tx.execute(
            "INSERT INTO tasks (id, account_id, note_id, title, due_date, status, source, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'note', ?7, ?7)",
            params![
                format!("bench-task-{week}"),
                account,
                id,
                format!("Follow up {week}"),
                day + Days::new(7),
                if week < 3 { "open" } else { "done" },
                now()
            ],
        )
        .expect("task");
        tx.execute(
            "INSERT INTO signals (id, account_id, kind, value, recorded_on) VALUES (?1, ?2, 'tickets_open', ?3, ?4)",
            params![format!("bench-signal-{week}"), account, (week % 9) as f64, day],
        )
        .expect("signal");
    }
    for d in 0..1_826u64 {
        tx.execute(
            "INSERT OR REPLACE INTO health_snapshots (account_id, day, score, band, explanation) VALUES (?1, ?2, ?3, 'yellow', ?4)",
            params![account, today() - Days::new(d), 60 + (d % 20) as i64, r#"{"adoption":70.0,"support":55.0,"engagement":80.0}"#],
        )
        .expect("score");
    }
    tx.commit().expect("commit");
    account
}

/// 200 meetings this week with the book's contacts, as a calendar file would bring them.
fn week_calendar(store: &Store, path: &std::path::Path) {
    let conn = Connection::open(path).expect("open");
    let emails: Vec<String> = conn
        .prepare("SELECT email FROM contacts WHERE email IS NOT NULL LIMIT ?1")
        .expect("sql")
        .query_map([WEEK_MEETINGS], |r| r.get(0))
        .expect("rows")
        .collect::<rusqlite::Result<_>>()
        .expect("emails");
    let mut text = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
    for (n, email) in emails.iter().enumerate() {
        let day = today() + Days::new((n % 5) as u64);
        text.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:week-{n}\r\nDTSTART:{}T{:02}0000\r\nDURATION:PT30M\r\nSUMMARY:Call {n}\r\n\
             ORGANIZER:mailto:csm@csmdesk.example\r\nATTENDEE:mailto:{email}\r\nEND:VEVENT\r\n",
            day.format("%Y%m%d"),
            8 + n % 9
        ));
    }
    text.push_str("END:VCALENDAR\r\n");
    let file = path.with_file_name("week.ics");
    std::fs::write(&file, text).expect("write");
    let input = CalendarInput {
        name: "Work".into(),
        kind: "file".into(),
        location: file.to_string_lossy().into_owned(),
        refresh_minutes: String::new(),
    };
    let cal = store.add_calendar(&validate::calendar(&input).expect("valid"), now()).expect("add");
    let read = store.refresh_local_calendar(&cal.id, ZONE, today(), now(), true).expect("read");
    assert_eq!(read.meetings as usize, WEEK_MEETINGS);
}

fn calendars(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("calendar.sqlite");
    scaled_book(&path);
    let account = five_years(&path);
    let plain = dir.path().join("plain.sqlite");
    std::fs::copy(&path, &plain).expect("a copy without a calendar");
    let store = Store::open(&path).expect("reopen");
    let without = Store::open(&plain).expect("open the copy");
    week_calendar(&store, &path);

    let domains: Vec<String> = (0..50).map(|n| format!("customer{n}.example")).collect();
    let text = sample::calendar::synthetic(EVENTS, today() - Days::new(30), &domains);
    assert!(text.len() > 10_000_000, "{} bytes", text.len());
    let window = Window::around(today());
    let read = calendar::read(&text, ZONE, window);
    assert!(read.skipped.is_empty() && read.occurrences.len() > 40_000, "{} occurrences", read.occurrences.len());
    let address = |name: &str| {
        let input = CalendarInput {
            name: name.into(),
            kind: "address".into(),
            location: "https://calendar.example/big.ics".into(),
            refresh_minutes: String::new(),
        };
        store.add_calendar(&validate::calendar(&input).expect("valid"), now()).expect("add")
    };
    let brief = store.brief(Some(&account), None, today()).expect("brief");
    assert!(brief.sections.iter().map(|s| s.lines.len()).sum::<usize>() >= 8, "{brief:#?}");
    let plan = store.week_plan(today(), today()).expect("plan");
    assert!(plan.days.iter().map(|d| d.meetings.len()).sum::<usize>() >= WEEK_MEETINGS, "and the sample calendar's");

    let mut group = c.benchmark_group("calendar 5k");
    group.sample_size(10);
    group.bench_function("baseline: scan the 10 MB calendar's lines", |b| {
        b.iter(|| black_box(text.lines().filter(|l| l.starts_with("BEGIN:VEVENT")).count()))
    });
    group.bench_function("read 20,000 events, series expanded over a year", |b| {
        b.iter(|| black_box(calendar::read(&text, ZONE, window).occurrences.len()))
    });
    // A first import: a new calendar each time (the previous one removed, untimed).
    let previous = std::cell::RefCell::new(None::<String>);
    group.bench_function("import 20,000 events into the book (read, store, match)", |b| {
        b.iter_batched(
            || {
                if let Some(id) = previous.borrow_mut().take() {
                    store.delete_calendar(&id).expect("delete");
                }
                address("Big").id
            },
            |id| {
                let read = calendar::read(&text, ZONE, window);
                black_box(store.store_calendar_read(&id, &read, ZONE, None, now()).expect("stored"));
                *previous.borrow_mut() = Some(id);
            },
            BatchSize::PerIteration,
        )
    });
    let again = previous.borrow_mut().take().unwrap_or_else(|| address("Big").id);
    group.bench_function("refresh the same 20,000 events (every meeting replaced)", |b| {
        b.iter(|| {
            let read = calendar::read(&text, ZONE, window);
            black_box(store.store_calendar_read(&again, &read, ZONE, None, now()).expect("stored"))
        })
    });
    group.finish();
    // The big calendar out again: the Week benchmarks see the 200 meetings only.
    store.delete_calendar(&again).expect("delete");

    let mut group = c.benchmark_group("call prep 5k");
    group.bench_function("baseline: the account's overview", |b| {
        b.iter(|| black_box(store.account_overview(&account, today()).expect("overview")))
    });
    group.bench_function("brief of an account with 5 years of history", |b| {
        b.iter(|| black_box(store.brief(Some(&account), None, today()).expect("brief")))
    });
    group.bench_function("baseline: the Week without a calendar", |b| {
        b.iter(|| black_box(without.week_plan(today(), today()).expect("plan")))
    });
    group.bench_function("the Week with 200 meetings matched", |b| {
        b.iter(|| black_box(store.week_plan(today(), today()).expect("plan")))
    });
    group.finish();
}

criterion_group!(benches, calendars);
criterion_main!(benches);
