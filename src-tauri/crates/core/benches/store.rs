//! Benchmarks on the scaled-up sample book (5,000 accounts, 50,000 contacts).
//! Run with `cargo bench -p csm-core`; criterion reports medians. The Book load is measured beside
//! a hand-written raw SQL query of the same rows in the same run, so the ratio is what counts.

use std::hint::black_box;

use chrono::{NaiveDate, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use csm_core::sample::{self, SampleSpec};
use csm_core::Store;

const ACCOUNTS: usize = 5_000;
const CONTACTS_PER_ACCOUNT: usize = 10;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
}

fn scaled_book_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.sqlite");
    let store = Store::open(&path).expect("open");
    let book = sample::generate(&SampleSpec::scaled(ACCOUNTS, CONTACTS_PER_ACCOUNT), today());
    store.start_book(Some(&book), Utc::now()).expect("load");
    (dir, path)
}

fn generate(c: &mut Criterion) {
    let mut group = c.benchmark_group("sample");
    group.sample_size(10);
    group.bench_function("generate 5k accounts + 50k contacts", |b| {
        b.iter(|| sample::generate(black_box(&SampleSpec::scaled(ACCOUNTS, CONTACTS_PER_ACCOUNT)), today()))
    });
    group.finish();
}

/// The same rows as `Store::book`, by hand: the floor the Book load is compared against.
fn raw_book(conn: &rusqlite::Connection) -> usize {
    let mut stmt = conn
        .prepare_cached(
            "SELECT a.id, a.name, a.domain, a.segment, a.lifecycle_stage, a.arr_minor, a.currency, \
             a.renewal_date, a.owner, a.last_touch_at, a.archived_at IS NOT NULL, \
             (SELECT count(*) FROM contacts c WHERE c.account_id = a.id) \
             FROM accounts a ORDER BY a.name COLLATE NOCASE",
        )
        .expect("prepare");
    let rows = stmt
        .query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, i64>(5)?,
                row.get::<_, String>(6)?,
                row.get::<_, Option<String>>(7)?,
                row.get::<_, Option<String>>(8)?,
                row.get::<_, Option<String>>(9)?,
                row.get::<_, bool>(10)?,
                row.get::<_, u32>(11)?,
            ))
        })
        .expect("query");
    rows.map(|r| r.expect("row")).collect::<Vec<_>>().len()
}

fn book(c: &mut Criterion) {
    let (_dir, path) = scaled_book_file();
    let store = Store::open(&path).expect("open");
    let raw = rusqlite::Connection::open(&path).expect("raw");
    assert_eq!(store.book(today()).expect("book").len(), ACCOUNTS);
    assert_eq!(raw_book(&raw), ACCOUNTS);

    let mut group = c.benchmark_group("book 5k");
    group.bench_function("raw SQL baseline", |b| b.iter(|| black_box(raw_book(&raw))));
    group.bench_function("Store::book", |b| b.iter(|| black_box(store.book(today()).expect("book"))));
    group.finish();
}

fn open(c: &mut Criterion) {
    let (_dir, path) = scaled_book_file();
    c.bench_function("open existing 5k book with migration check", |b| {
        b.iter(|| black_box(Store::open(&path).expect("open")))
    });
}

criterion_group!(benches, generate, book, open);
criterion_main!(benches);
