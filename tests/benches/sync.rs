//! Sync throughput against the fakes with no added latency (issues: CRM sync, Salesforce):
//! applying pulled records, target at least 20,000 records/s, for each connector. 2,500 accounts
//! with 3 contacts each (10,000 records), pulled once through the connector, then applied from a
//! copy of the staged book per iteration. Medians.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use csm_core::model::{PreviewQuery, SyncEntity};
use csm_core::Store;
use csm_crm::connector::FieldMap;
use csm_crm::http::Limits;
use csm_crm::hubspot::HubSpot;
use csm_crm::oauth::Tokens;
use csm_crm::salesforce::{Salesforce, Session};
use csm_crm::{engine, Connector};
use csm_e2e::fake_hubspot::FakeHubSpot;
use csm_e2e::fake_salesforce::FakeSalesforce;

const RECORDS: u64 = 10_000;

fn unpaced() -> Limits {
    Limits { per_window: 1_000_000, ..Limits::default() }
}

/// Pulls everything from `crm` into a new book under `dir`; returns the book's path.
fn staged(dir: &Path, crm: &dyn Connector) -> PathBuf {
    let path = dir.join(format!("staged-{}.sqlite", crm.system().as_str()));
    let store = Store::open(&path).expect("store");
    store.start_book(None, Utc::now()).expect("book");
    let started = Instant::now();
    let run = engine::pull_run(&store, crm, &mut |_| {}).expect("run");
    assert_eq!(run.pulled as u64, RECORDS, "{:?}", run.errors);
    eprintln!(
        "sync/{} pull and stage {RECORDS} records: {:.2} s",
        crm.system().as_str(),
        started.elapsed().as_secs_f64()
    );
    path
}

fn sync(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("dir");
    let hubspot = FakeHubSpot::start("bench");
    hubspot.seed(2_500, 3);
    let client = HubSpot::new(&hubspot.url, "bench", FieldMap::hubspot(), unpaced(), Arc::default()).expect("client");
    let hubspot_book = staged(dir.path(), &client);

    let salesforce = FakeSalesforce::start("bench");
    salesforce.seed(2_500, 3);
    let (access, refresh) = salesforce.lock().issue();
    let tokens = Tokens { access_token: access, refresh_token: refresh, instance_url: salesforce.url.clone() };
    let session = Session::new(&salesforce.url, "bench", tokens, Box::new(|_| Ok(())));
    let sf = Salesforce::new(session, FieldMap::salesforce(), unpaced(), Arc::default()).expect("client");
    let salesforce_book = staged(dir.path(), &sf);

    let mut group = c.benchmark_group("sync");
    group.sample_size(10);
    let mut n = 0;
    for (system, book) in [("hubspot", &hubspot_book), ("salesforce", &salesforce_book)] {
        let name = if system == "hubspot" {
            "apply 10,000 pulled records".to_owned()
        } else {
            format!("apply 10,000 pulled records ({system})")
        };
        group.bench_function(name, |b| {
            b.iter_batched(
                || {
                    n += 1;
                    let copy = dir.path().join(format!("apply-{n}.sqlite"));
                    std::fs::copy(book, &copy).expect("copy");
                    Store::open(&copy).expect("store")
                },
                |store| {
                    black_box(store.apply_sync(system, None, &[], Utc::now(), Utc::now().date_naive()).expect("apply"))
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

/// A CSM's first hour at real size (issue: a real book): 5,000 companies with 5 people each
/// (30,000 records) pulled from the fake HubSpot once, then per iteration on a copy of that book:
/// the preview's first page (worked out from scratch) and the next page (cached), applying all
/// of it, the Week's first open of the day on the synced book (health snapshot and playbooks
/// included) against a second open, and a sync with nothing changed.
fn first_hour(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("dir");
    let fake = FakeHubSpot::start("bench");
    fake.seed(5_000, 5);
    let crm = || HubSpot::new(&fake.url, "bench", FieldMap::hubspot(), unpaced(), Arc::default()).expect("client");
    let staged = dir.path().join("first-hour-staged.sqlite");
    let store = Store::open(&staged).expect("store");
    store.start_book(None, Utc::now()).expect("book");
    let run = engine::pull_run(&store, &crm(), &mut |_| {}).expect("pull");
    assert_eq!(run.pulled, 30_000, "{:?}", run.errors);
    drop(store);
    let synced = dir.path().join("first-hour-synced.sqlite");
    std::fs::copy(&staged, &synced).expect("copy");
    let store = Store::open(&synced).expect("store");
    store.apply_sync("hubspot", None, &[], Utc::now(), Utc::now().date_naive()).expect("apply");
    drop(store);

    let mut n = 0;
    let mut copy_of = |book: &Path| {
        n += 1;
        let copy = dir.path().join(format!("first-hour-{n}.sqlite"));
        std::fs::copy(book, &copy).expect("copy");
        Store::open(&copy).expect("store")
    };
    let today = Utc::now().date_naive();
    let mut group = c.benchmark_group("first hour");
    group.sample_size(10);
    group.bench_function("preview 30,000 staged records: first page", |b| {
        b.iter_batched(
            || copy_of(&staged),
            |store| black_box(store.sync_preview_page("hubspot", &PreviewQuery::default()).expect("page")),
            BatchSize::PerIteration,
        )
    });
    let warm = copy_of(&staged);
    warm.sync_preview_page("hubspot", &PreviewQuery::default()).expect("page");
    let next = PreviewQuery { entity: Some(SyncEntity::Contact), offset: 50, ..PreviewQuery::default() };
    group.bench_function("preview 30,000 staged records: another page (cached)", |b| {
        b.iter(|| black_box(warm.sync_preview_page("hubspot", &next).expect("page")))
    });
    group.bench_function("apply 30,000 records", |b| {
        b.iter_batched(
            || copy_of(&staged),
            |store| black_box(store.apply_sync("hubspot", None, &[], Utc::now(), today).expect("apply")),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("start of day: 5,000 snapshots and the day's playbooks", |b| {
        b.iter_batched(
            || copy_of(&synced),
            |store| black_box(store.start_of_day(today, Utc::now()).expect("day")),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("Week: first open of the day on the synced book", |b| {
        b.iter_batched(
            || copy_of(&synced),
            |store| black_box(store.week_plan(today, today).expect("week")),
            BatchSize::PerIteration,
        )
    });
    let opened = copy_of(&synced);
    opened.week_plan(today, today).expect("week");
    group.bench_function("Week: opened again (baseline)", |b| {
        b.iter(|| black_box(opened.week_plan(today, today).expect("week")))
    });
    group.bench_function("sync with nothing changed, 5,000 companies", |b| {
        b.iter_batched(
            || copy_of(&synced),
            |store| black_box(engine::run(&store, &crm(), &mut |_| {}).expect("run")),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, sync, first_hour);
criterion_main!(benches);
