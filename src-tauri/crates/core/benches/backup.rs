//! Backup and export benchmarks on the scaled-up sample book (5,000 accounts, 50,000 contacts,
//! their signals and 100,000 tasks). Target (issue: data in and out): a backup < 2 s. Criterion
//! reports medians.

use std::hint::black_box;

use chrono::{DateTime, NaiveDate, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
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
    group.finish();
}

criterion_group!(benches, backup);
criterion_main!(benches);
