//! The renewal desk through the store, on the scaled book: 5,000 accounts with three years of
//! ARR history (a change a quarter) and two years of weekly forecast snapshots. Targets (issue:
//! renewal desk): the Renewals page's data for 12 months < 30 ms; GRR/NRR/logo retention for a
//! quarter, a year (and per segment, in the same report) < 10 ms each; "what changed since last
//! week" < 20 ms; recording an outcome < 5 ms. Baseline in the same run: counting the history
//! with plain SQL. Criterion reports medians.

use std::hint::black_box;

use chrono::{DateTime, Days, NaiveDate, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use csm_core::model::{OutcomeInput, RenewalWindow};
use csm_core::sample::{self, SampleSpec};
use csm_core::Store;
use rusqlite::{params, Connection};

const ACCOUNTS: usize = 5_000;
const WEEKS: u64 = 104;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("a Monday")
}

fn now() -> DateTime<Utc> {
    today().and_hms_opt(8, 0, 0).expect("time").and_utc()
}

/// Three years of quarterly ARR changes per account and two years of weekly snapshots, written
/// straight into the file (what years of use would have left).
fn add_years(path: &std::path::Path) {
    let mut conn = Connection::open(path).expect("open");
    let tx = conn.transaction().expect("tx");
    let accounts: Vec<(String, i64, String)> = tx
        .prepare("SELECT id, arr_minor, currency FROM accounts")
        .expect("sql")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("rows")
        .collect::<rusqlite::Result<_>>()
        .expect("accounts");
    let start = today() - Days::new(3 * 365);
    let mut history = tx
        .prepare(
            "INSERT INTO arr_history (account_id, on_day, kind, arr_minor, currency, source) \
             VALUES (?1, ?2, ?3, ?4, ?5, 'sample')",
        )
        .expect("sql");
    for (i, (id, arr, currency)) in accounts.iter().enumerate() {
        for q in 0..12u64 {
            let kind = ["renewal", "expansion", "renewal", "contraction"][(i + q as usize) % 4];
            let on = start + Days::new(q * 91 + (i as u64 % 60));
            history.execute(params![id, on, kind, arr + (q as i64 % 3) * 10_000, currency]).expect("history");
        }
    }
    drop(history);
    for week in 0..WEEKS {
        let taken = today() - Days::new(7 * (WEEKS - week));
        tx.execute(
            "INSERT INTO forecast_snapshots (taken_on, taken_at, weekly) VALUES (?1, ?2, 1)",
            params![taken, taken.and_hms_opt(8, 0, 0).expect("time").and_utc()],
        )
        .expect("snapshot");
        let id = tx.last_insert_rowid();
        let mut line = tx
            .prepare_cached(
                "INSERT INTO forecast_lines (snapshot_id, account_id, account_name, renews_on, current_arr_minor, \
                 expected_arr_minor, currency, category, likelihood) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .expect("sql");
        for (i, (account, arr, currency)) in accounts.iter().enumerate() {
            let category = ["commit", "probable", "at_risk", "probable"][(i + week as usize) % 4];
            let renews = taken + Days::new(30 + (i as u64 * 7) % 330);
            line.execute(params![id, account, format!("Account {i}"), renews, arr, arr, currency, category, 70])
                .expect("line");
        }
    }
    tx.commit().expect("commit");
}

fn scaled_store(dir: &tempfile::TempDir) -> (Store, std::path::PathBuf) {
    let path = dir.path().join("renewals.sqlite");
    let store = Store::open(&path).expect("open");
    store.start_book(Some(&sample::generate(&SampleSpec::scaled(ACCOUNTS, 2), today())), now()).expect("load");
    drop(store);
    add_years(&path);
    (Store::open(&path).expect("reopen"), path)
}

fn renewal_desk(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("dir");
    let (store, path) = scaled_store(&dir);
    let sql = Connection::open(&path).expect("a second connection");
    let page = store.renewals(RenewalWindow::Next12Months, today()).expect("page");
    assert!(page.lines.len() > 4_000, "{} renewals in 12 months", page.lines.len());
    let year = (today() - Days::new(364), today());
    let report = store.retention(year.0, year.1).expect("retention");
    assert!(report.book.is_some_and(|b| b.accounts_at_start > 4_000), "a real base");
    assert!(!store.forecast_diff(today()).expect("diff").lines.is_empty());
    // Accounts whose contract has started (an outcome can't be dated before it).
    let ids: Vec<String> = page
        .lines
        .iter()
        .filter(|l| l.contract_start.is_some_and(|s| s <= today()))
        .map(|l| l.account_id.clone())
        .collect();

    let mut group = c.benchmark_group("renewal desk 5k");
    group.bench_function("baseline: count the ARR history with SQL", |b| {
        b.iter(|| {
            let n: i64 = sql.query_row("SELECT count(*) FROM arr_history", [], |r| r.get(0)).expect("count");
            black_box(n)
        })
    });
    group.bench_function("Renewals page, 12 months", |b| {
        b.iter(|| black_box(store.renewals(RenewalWindow::Next12Months, today()).expect("page")))
    });
    group.bench_function("Renewals page, 12 months, right after a write", |b| {
        b.iter(|| {
            store.set_setting("bench.touch", "1").expect("write");
            black_box(store.renewals(RenewalWindow::Next12Months, today()).expect("page"))
        })
    });
    group.bench_function("retention for a quarter (book and segments)", |b| {
        b.iter(|| black_box(store.retention(today() - Days::new(90), today()).expect("retention")))
    });
    group.bench_function("retention for a year (book and segments)", |b| {
        b.iter(|| black_box(store.retention(year.0, year.1).expect("retention")))
    });
    group.bench_function("what changed since last week", |b| {
        b.iter(|| black_box(store.forecast_diff(today()).expect("diff")))
    });
    let flat = OutcomeInput { kind: "flat".into(), ..Default::default() };
    let mut next = 0usize;
    group.bench_function("record an outcome", |b| {
        b.iter_batched(
            || {
                next = (next + 1) % ids.len();
                ids[next].clone()
            },
            |id| black_box(store.record_outcome(&id, &flat, today(), now()).expect("outcome")),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, renewal_desk);
criterion_main!(benches);
