//! Sync throughput against the fake HubSpot with no added latency (issue: CRM sync): applying
//! pulled records, target at least 20,000 records/s. 2,500 companies with 3 contacts each
//! (10,000 records). Medians; records/s printed from them.

use std::hint::black_box;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use csm_core::Store;
use csm_crm::engine;
use csm_crm::http::{Http, Limits};
use csm_crm::hubspot::{FieldMap, HubSpot};
use csm_e2e::fake_hubspot::FakeHubSpot;

const RECORDS: u64 = 10_000;

fn client(fake: &FakeHubSpot) -> HubSpot {
    let limits = Limits { per_window: 1_000_000, ..Limits::default() };
    HubSpot::new(
        Http::new(&fake.url, "bench", limits, Arc::new(AtomicBool::new(false))).expect("client"),
        FieldMap::hubspot(),
    )
}

fn sync(c: &mut Criterion) {
    let fake = FakeHubSpot::start("bench");
    fake.seed(2_500, 3);
    let dir = tempfile::tempdir().expect("dir");
    let staged = dir.path().join("staged.sqlite");
    {
        let store = Store::open(&staged).expect("store");
        store.start_book(None, Utc::now()).expect("book");
        let started = Instant::now();
        let run = engine::run(&store, &client(&fake), &mut |_| {}).expect("run");
        assert_eq!(run.pulled as u64, RECORDS, "{:?}", run.errors);
        eprintln!("sync/pull and stage {RECORDS} records (one run): {:.2} s", started.elapsed().as_secs_f64());
    }
    let mut group = c.benchmark_group("sync");
    group.sample_size(10);
    let mut n = 0;
    group.bench_function("apply 10,000 pulled records", |b| {
        b.iter_batched(
            || {
                n += 1;
                let copy = dir.path().join(format!("apply-{n}.sqlite"));
                std::fs::copy(&staged, &copy).expect("copy");
                Store::open(&copy).expect("store")
            },
            |store| {
                black_box(store.apply_sync("hubspot", None, &[], Utc::now(), Utc::now().date_naive()).expect("apply"))
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, sync);
criterion_main!(benches);
