//! Sync throughput against the fakes with no added latency (issues: CRM sync, Salesforce):
//! applying pulled records, target at least 20,000 records/s, for each connector. 2,500 accounts
//! with 3 contacts each (10,000 records), pulled once through the connector, then applied from a
//! copy of the staged book per iteration. Medians.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use csm_core::Store;
use csm_crm::connector::FieldMap;
use csm_crm::http::{Http, Limits};
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
    let http = Http::new(&hubspot.url, "bench", unpaced(), Arc::new(AtomicBool::new(false))).expect("client");
    let hubspot_book = staged(dir.path(), &HubSpot::new(http, FieldMap::hubspot()));

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

criterion_group!(benches, sync);
criterion_main!(benches);
