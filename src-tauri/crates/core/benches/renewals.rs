//! The renewal desk's rules on a scaled book: 5,000 accounts with three years of ARR history
//! (a change a quarter, some churns and returns, three currencies) and a year of renewals.
//! Targets (issue: renewal desk): GRR/NRR/logo retention for a quarter, a year, per segment
//! < 10 ms each; the forecast of 12 months < 30 ms (the roll-up alone here; the page's reads come
//! with the store); "what changed since last week" < 20 ms. Criterion reports medians.

use std::hint::black_box;

use chrono::{Days, NaiveDate};
use criterion::{criterion_group, criterion_main, Criterion};
use csm_core::forecast::{changes, rollup, ForecastLine};
use csm_core::model::Money;
use csm_core::rates::Rates;
use csm_core::renewal::ForecastCategory;
use csm_core::retention::{retention, ArrChange, ArrChangeKind};

const ACCOUNTS: usize = 5_000;
const CURRENCIES: [&str; 3] = ["USD", "EUR", "GBP"];

fn day(text: &str) -> NaiveDate {
    text.parse().expect("day")
}

fn rates() -> Rates {
    Rates { reporting: "USD".into(), per_unit: [("EUR".into(), 1.08), ("GBP".into(), 1.27)].into() }
}

/// A change each quarter over three years; one account in 40 churns a year and one in 200 returns.
fn history() -> Vec<ArrChange> {
    let start = day("2024-01-01");
    let mut out = Vec::new();
    for a in 0..ACCOUNTS {
        let id = format!("acct-{a:05}");
        let currency = CURRENCIES[a % 3];
        let mut arr: i64 = 1_000_000 + (a as i64 % 97) * 50_000;
        out.push(ArrChange {
            account_id: id.clone(),
            on: start,
            kind: ArrChangeKind::New,
            arr: Money::new(arr, currency),
        });
        for q in 1..12u64 {
            let on = start + Days::new(q * 91 + (a as u64 % 60));
            let (kind, next) = match (a + q as usize) % 40 {
                0 => (ArrChangeKind::Churn, 0),
                1 if arr == 0 && a % 200 == 0 => (ArrChangeKind::New, 900_000),
                _ if arr == 0 => continue,
                n if n % 3 == 0 => (ArrChangeKind::Expansion, arr + 100_000),
                n if n % 7 == 0 => (ArrChangeKind::Contraction, arr - 50_000),
                _ => (ArrChangeKind::Renewal, arr),
            };
            arr = next;
            out.push(ArrChange { account_id: id.clone(), on, kind, arr: Money::new(arr, currency) });
        }
    }
    out
}

fn forecast(shift: u64) -> Vec<ForecastLine> {
    let categories = [
        ForecastCategory::Commit,
        ForecastCategory::Probable,
        ForecastCategory::AtRisk,
        ForecastCategory::ChurnExpected,
    ];
    (0..ACCOUNTS)
        .map(|a| ForecastLine {
            account_id: format!("acct-{a:05}"),
            account_name: format!("Account {a:05}"),
            renews_on: day("2027-01-01") + Days::new((a as u64 * 7 + shift * (a as u64 % 5)) % 365),
            current_arr: Money::new(1_000_000 + a as i64 * 100, CURRENCIES[a % 3]),
            expected_arr: Money::new(
                1_000_000 + a as i64 * 100 + (shift as i64) * (a as i64 % 3) * 1_000,
                CURRENCIES[a % 3],
            ),
            category: categories[(a + shift as usize * (a % 2)) % 4],
            likelihood: (a % 90) as u32 + 5,
        })
        .collect()
}

fn renewals(c: &mut Criterion) {
    let history = history();
    let rates = rates();
    let mut group = c.benchmark_group("renewals 5k");
    group.bench_function("GRR/NRR/logo retention for a quarter", |b| {
        b.iter(|| black_box(retention(&history, day("2026-01-01"), day("2026-03-31"), &rates).expect("rates")))
    });
    group.bench_function("GRR/NRR/logo retention for a year", |b| {
        b.iter(|| black_box(retention(&history, day("2025-01-01"), day("2025-12-31"), &rates).expect("rates")))
    });
    // A segment is a third of the book (the store would hand over that segment's history).
    let segment: Vec<ArrChange> = history.iter().filter(|c| c.account_id.ends_with(['0', '3', '6'])).cloned().collect();
    group.bench_function("GRR/NRR/logo retention for a year, one segment", |b| {
        b.iter(|| black_box(retention(&segment, day("2025-01-01"), day("2025-12-31"), &rates).expect("rates")))
    });
    let (last_week, this_week) = (forecast(0), forecast(1));
    group.bench_function("forecast roll-up, 12 months", |b| {
        b.iter(|| black_box(rollup(&this_week, day("2027-01-01"), day("2027-12-31"), &rates).expect("rates")))
    });
    group.bench_function("what changed since last week", |b| b.iter(|| black_box(changes(&last_week, &this_week))));
    group.finish();
}

criterion_group!(benches, renewals);
criterion_main!(benches);
