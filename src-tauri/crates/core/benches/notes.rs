//! Notes, timeline and search benchmarks on the scaled-up sample book: 5,000 accounts with 40 call
//! notes each (200,000 notes of about 1 KB). Targets (issue: notes): search median < 10 ms and
//! p95 < 30 ms; one timeline page (100 events) of an account with 5 years of history < 5 ms;
//! saving a note with its index update < 5 ms. Criterion reports medians; the search p95 over a
//! spread of queries is printed alongside.

use std::hint::black_box;
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use csm_core::model::{NoteInput, SearchQuery};
use csm_core::sample::{self, SampleSpec};
use csm_core::store::TimelineFilter;
use csm_core::{validate, Store};

const ACCOUNTS: usize = 5_000;
const NOTES_PER_ACCOUNT: usize = 40;
/// What a CSM searches for: a customer's term, a person, a product or an issue, i.e. words of middling
/// frequency (ranks 100–5,000 of the filler vocabulary), alone, in pairs, or as a prefix.
fn queries() -> Vec<String> {
    let word = sample::vocabulary_word;
    vec![
        word(120),
        word(450),
        word(900),
        word(2_400),
        word(4_800),
        format!("{} {}", word(300), word(700)),
        format!("{} {}", word(65), word(1_500)),
        word(3_000).chars().take(4).collect(),
    ]
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
}

fn now() -> DateTime<Utc> {
    today().and_hms_opt(9, 0, 0).expect("time").and_utc()
}

fn scaled_store(dir: &tempfile::TempDir) -> (Store, String) {
    let path = dir.path().join("notes.sqlite");
    let store = Store::open(&path).expect("open");
    let book = sample::generate(&SampleSpec::scaled(ACCOUNTS, 2).with_notes(NOTES_PER_ACCOUNT), today());
    assert_eq!(book.notes.len(), ACCOUNTS * NOTES_PER_ACCOUNT);
    store.start_book(Some(&book), now()).expect("load");
    let account = book.accounts[ACCOUNTS / 2].id.clone();
    five_years_of_history(&path, &account);
    (store, account)
}

/// Five years of daily events on one account, written straight into the table.
fn five_years_of_history(path: &std::path::Path, account: &str) {
    let conn = rusqlite::Connection::open(path).expect("raw");
    conn.execute(
        "WITH RECURSIVE d(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM d WHERE n < 1825) \
         INSERT INTO timeline_events (id, account_id, kind, occurred_at, title, detail) \
         SELECT printf('bench-%05d', n), ?1, 'call', strftime('%Y-%m-%d %H:%M:%S+00:00', ?2, '-' || n || ' days'), 'Check-in call', '' FROM d",
        rusqlite::params![account, now().to_rfc3339()],
    )
    .expect("history");
}

fn p95(store: &Store, queries: &[String]) -> f64 {
    let mut times: Vec<f64> = (0..10)
        .flat_map(|_| queries.iter())
        .map(|q| {
            let start = Instant::now();
            black_box(store.search(&SearchQuery { text: q.clone(), limit: 50, ..Default::default() }).expect("search"));
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() * 95 / 100]
}

fn notes(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("dir");
    let (store, account) = scaled_store(&dir);

    let mut group = c.benchmark_group("notes 200k");
    group.sample_size(30);
    let queries = queries();
    group.bench_function("search (best 50, highlighted)", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            let q = SearchQuery { text: queries[i % queries.len()].clone(), limit: 50, ..Default::default() };
            black_box(store.search(&q).expect("search"))
        })
    });
    eprintln!("notes 200k/search p95 over {} queries: {:.2} ms", queries.len() * 10, p95(&store, &queries));
    group.bench_function("search for a word in most notes (renewal)", |b| {
        let q = SearchQuery { text: "renewal".into(), limit: 50, ..Default::default() };
        b.iter(|| black_box(store.search(&q).expect("search")))
    });
    group.bench_function("timeline page of 100, account with 5 years", |b| {
        let filter = TimelineFilter { account_id: Some(account.clone()), limit: 100, ..Default::default() };
        b.iter(|| black_box(store.timeline(&filter).expect("page")))
    });
    group.bench_function("timeline page of 100, 5 years back", |b| {
        let first =
            store.timeline(&TimelineFilter { account_id: Some(account.clone()), limit: 1500, ..Default::default() });
        let cursor = first.expect("page").next.and_then(|c| TimelineFilter::cursor(&c));
        let filter =
            TimelineFilter { account_id: Some(account.clone()), limit: 100, before: cursor, ..Default::default() };
        b.iter(|| black_box(store.timeline(&filter).expect("page")))
    });
    let body = "Talked through the SSO migration and the renewal pricing. ".repeat(18);
    group.bench_function("save a 1 KB note (tasks, timeline, touch, health, index)", |b| {
        b.iter(|| {
            let input = NoteInput { account_id: account.clone(), body_md: body.clone(), ..Default::default() };
            let draft = validate::note(&input, now(), &Utc).expect("valid");
            black_box(store.create_note(&draft, None, now(), today()).expect("save"))
        })
    });
    group.finish();
}

criterion_group!(benches, notes);
criterion_main!(benches);
