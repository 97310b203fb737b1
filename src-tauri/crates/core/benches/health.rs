//! Health benchmarks on the scaled-up sample book (5,000 accounts with their signals).
//! Targets: rescore every account < 100 ms (measured both ways: same day, and a new day's writes); rescore one < 1 ms; the Book's trend query over two
//! years of daily snapshots (3.65 million rows) < 20 ms. Criterion reports medians.

use std::hint::black_box;

use chrono::{NaiveDate, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use csm_core::sample::{self, SampleSpec};
use csm_core::Store;

const ACCOUNTS: usize = 5_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
}

fn scaled_store(dir: &tempfile::TempDir) -> (Store, std::path::PathBuf) {
    let path = dir.path().join("health.sqlite");
    let store = Store::open(&path).expect("open");
    let book = sample::generate(&SampleSpec::scaled(ACCOUNTS, 10), today());
    store.start_book(Some(&book), Utc::now()).expect("load");
    (store, path)
}

fn rescore(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("dir");
    let (store, _) = scaled_store(&dir);
    let some_account = store.book(today()).expect("book")[ACCOUNTS / 2].id.clone();
    let mut group = c.benchmark_group("health 5k");
    group.sample_size(30);
    store.recompute_all(today()).expect("first");
    group.bench_function("rescore every account, same day (unchanged snapshots not rewritten)", |b| {
        b.iter(|| black_box(store.recompute_all(today()).expect("recompute")))
    });
    let day = std::cell::Cell::new(today());
    group.bench_function("rescore every account on a new day (writes 5,000 snapshots)", |b| {
        b.iter(|| {
            day.set(day.get() + chrono::Days::new(1));
            black_box(store.recompute_all(day.get()).expect("recompute"))
        })
    });
    group.bench_function("rescore one account after an input change", |b| {
        b.iter(|| store.rescore_account(black_box(&some_account), today()).expect("rescore"))
    });
    group.finish();
}

/// Two years of daily snapshots for every account, written straight into the table.
fn two_years_of_history(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).expect("raw");
    conn.execute_batch("PRAGMA synchronous = OFF;").expect("pragma");
    conn.execute(
        "WITH RECURSIVE d(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM d WHERE n < 730) \
         INSERT OR REPLACE INTO health_snapshots (account_id, day, score, band, explanation) \
         SELECT id, day, score, CASE WHEN score < 50 THEN 'red' WHEN score > 75 THEN 'green' ELSE 'yellow' END, '{}' \
         FROM (SELECT a.id, date(?1, '-' || d.n || ' days') AS day, abs(random()) % 101 AS score FROM accounts a, d)",
        [today().to_string()],
    )
    .expect("history");
    // The app checkpoints as it goes; a 3.65-million-row fixture written in one go must too.
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").expect("checkpoint");
}

fn trend_query(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("dir");
    let (store, path) = scaled_store(&dir);
    store.recompute_all(today()).expect("today");
    two_years_of_history(&path);
    let summaries = store.health_summaries(today()).expect("summaries");
    assert_eq!(summaries.len(), ACCOUNTS);
    assert!(summaries.values().all(|s| s.sparkline.len() == 7 && s.trend_30d.is_some()));
    c.bench_function("health 5k/Book trend query over 2 years of daily snapshots", |b| {
        b.iter(|| black_box(store.health_summaries(today()).expect("summaries")))
    });
}

criterion_group!(benches, rescore, trend_query);
criterion_main!(benches);
