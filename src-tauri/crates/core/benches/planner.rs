//! Week planner benchmarks on the scaled-up sample book: 5,000 accounts, 50,000 contacts and
//! 100,000 tasks. Targets (issue: week planner): plan a week < 50 ms; run all playbooks < 200 ms;
//! (issue 17) plan a week right after a write < 50 ms, the start-of-day job < 500 ms.
//! Baseline in the same run: reading the week's tasks with plain SQL. Criterion reports medians.
//! The plan is measured twice: moving between weeks (account facts cached) and after a write.

use std::hint::black_box;

use chrono::{DateTime, NaiveDate, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use csm_core::sample::{self, SampleSpec};
use csm_core::Store;

const ACCOUNTS: usize = 5_000;
const TASKS_PER_ACCOUNT: usize = 20;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("a Monday")
}

fn now() -> DateTime<Utc> {
    today().and_hms_opt(8, 0, 0).expect("time").and_utc()
}

fn scaled_store(dir: &tempfile::TempDir) -> (Store, std::path::PathBuf) {
    let path = dir.path().join("planner.sqlite");
    let store = Store::open(&path).expect("open");
    let book = sample::generate(&SampleSpec::scaled(ACCOUNTS, 10).with_tasks(TASKS_PER_ACCOUNT), today());
    assert_eq!(book.tasks.len(), ACCOUNTS * TASKS_PER_ACCOUNT);
    store.start_book(Some(&book), now()).expect("load");
    // Today's health and the day's first playbook run: the start-of-day job's, not the plan's.
    store.start_of_day(today(), now()).expect("the day's job");
    (store, path)
}

fn planner(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("dir");
    let (store, path) = scaled_store(&dir);
    let plan = store.week_plan(today(), today()).expect("plan");
    // 100,000 tasks over a year fill every day, so every suggestion is ranked and overflows.
    assert!(plan.days.iter().all(|d| !d.work_day || d.overloaded));
    assert!(plan.overflow.len() > 100, "{} suggestions ranked", plan.overflow.len());

    let mut group = c.benchmark_group("planner 5k");
    group.sample_size(30);
    group.bench_function("plan a week (100,000 tasks)", |b| {
        b.iter(|| black_box(store.week_plan(black_box(today()), today()).expect("plan")))
    });
    // After any write the account facts are read again (see FactsCache).
    let counter = std::cell::Cell::new(0);
    group.bench_function("plan a week after a write (facts reloaded)", |b| {
        b.iter_batched(
            || {
                counter.set(counter.get() + 1);
                store.set_setting("bench.write", &counter.get().to_string()).expect("write");
            },
            |()| black_box(store.week_plan(today(), today()).expect("plan")),
            criterion::BatchSize::PerIteration,
        )
    });
    group.bench_function("run all playbooks (nothing new)", |b| {
        b.iter(|| black_box(store.run_playbooks(today(), now()).expect("run")))
    });
    let raw = rusqlite::Connection::open(&path).expect("raw");
    group.bench_function("raw SQL baseline: the week's tasks", |b| {
        b.iter(|| {
            let mut stmt = raw
                .prepare_cached(
                    "SELECT id, account_id, title, due_date, due_time, priority, effort_minutes, status FROM tasks \
                     WHERE status = 'open' AND due_date <= ?2 UNION ALL SELECT id, account_id, title, due_date, \
                     due_time, priority, effort_minutes, status FROM tasks WHERE status = 'done' AND due_date \
                     BETWEEN ?1 AND ?2",
                )
                .expect("prepare");
            let rows = stmt.query_map(["2026-11-23", "2026-11-29"], |r| r.get::<_, String>(0)).expect("query").count();
            black_box(rows)
        })
    });
    group.finish();
}

fn first_playbook_run(c: &mut Criterion) {
    let mut group = c.benchmark_group("planner 5k");
    group.sample_size(10);
    group.bench_function("run all playbooks on a new day (creates the day's tasks)", |b| {
        b.iter_batched(
            || {
                let store = Store::open_in_memory().expect("store");
                let book = sample::generate(&SampleSpec::scaled(ACCOUNTS, 10).with_tasks(TASKS_PER_ACCOUNT), today());
                store.start_book(Some(&book), now()).expect("load");
                store.recompute_all(today()).expect("health");
                store
            },
            |store| black_box(store.run_playbooks(today(), now()).expect("run")),
            criterion::BatchSize::PerIteration,
        )
    });
    // The whole start-of-day job on the next day: 5,000 snapshots, then the day's playbook run.
    group.bench_function("start of day on a new day (5,000 snapshots, the day's playbooks)", |b| {
        b.iter_batched(
            || {
                let store = Store::open_in_memory().expect("store");
                let book = sample::generate(&SampleSpec::scaled(ACCOUNTS, 10).with_tasks(TASKS_PER_ACCOUNT), today());
                store.start_book(Some(&book), now()).expect("load");
                store.start_of_day(today(), now()).expect("today");
                store
            },
            |store| {
                let tomorrow = today().succ_opt().expect("tomorrow");
                black_box(store.start_of_day(tomorrow, now()).expect("the day's job"))
            },
            criterion::BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, planner, first_playbook_run);
criterion_main!(benches);
