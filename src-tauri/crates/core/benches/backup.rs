//! Backup, export and import benchmarks on the scaled-up sample book (5,000 accounts, 50,000
//! contacts, their signals and 100,000 tasks). Targets (issue: data in and out): a backup < 2 s;
//! previewing and applying an import of 50,000 contacts < 3 s in total. Criterion reports medians.

use std::hint::black_box;

use chrono::{DateTime, NaiveDate, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use csm_core::exchange::{csv_read, import};
use csm_core::model::ImportKind;
use csm_core::sample::{self, SampleSpec};
use csm_core::Store;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
}

fn now() -> DateTime<Utc> {
    today().and_hms_opt(9, 0, 0).expect("time").and_utc()
}

fn backup(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open(&dir.path().join("book.sqlite")).expect("open");
    let book = sample::generate(&SampleSpec::scaled(5_000, 10).with_tasks(20), today());
    store.start_book(Some(&book), now()).expect("load");
    store.recompute_all(today()).expect("health");
    let backups = dir.path().join("backups");
    let exports = dir.path().join("exports");
    std::fs::create_dir_all(&exports).expect("exports");

    let mut group = c.benchmark_group("data 5k");
    group.sample_size(10);
    group.bench_function("back up the book (consistent copy, checked)", |b| {
        b.iter(|| black_box(store.back_up(&backups, now(), "").expect("backup")))
    });
    let mut n = 0;
    group.bench_function("export everything (5 CSV files and JSON)", |b| {
        b.iter(|| {
            n += 1;
            black_box(store.export_book(&exports, now() + chrono::TimeDelta::seconds(n)).expect("export"))
        })
    });
    // 50,000 contacts as a CRM exports them, 10 per account, imported into a fresh copy of the
    // scaled book each time (the copy is made outside the timing).
    let accounts = store.book(today()).expect("book");
    let mut csv = String::from("First Name,Last Name,Email,Account Name,Job Title,Phone\n");
    for i in 0..50_000 {
        let account = &accounts[i % accounts.len()].name;
        csv.push_str(&format!("Person,Number {i},p{i}@import.example,\"{account}\",Director,+1 555 {i:07}\n"));
    }
    let bytes = csv.into_bytes();
    let base = dir.path().join("book.sqlite");
    drop(store);
    let mut run = 0;
    group.bench_function("import 50,000 contacts into the book: read, preview and apply", |b| {
        b.iter_batched(
            || {
                run += 1;
                let copy = dir.path().join(format!("copy-{run}.sqlite"));
                std::fs::copy(&base, &copy).expect("copy");
                Store::open(&copy).expect("open copy")
            },
            |book| {
                let table = csv_read::read(&bytes).expect("read");
                let mapping = import::propose_mapping(ImportKind::Contacts, &table.headers);
                let preview = book.preview_import(ImportKind::Contacts, &table, &mapping, today()).expect("preview");
                assert_eq!((preview.creates, preview.skips), (50_000, 0));
                let result = book.apply_import(ImportKind::Contacts, &table, &mapping, now(), today()).expect("apply");
                // Returned so the store is closed after the timing, not within it.
                (book, black_box(result))
            },
            criterion::BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, backup);
criterion_main!(benches);
