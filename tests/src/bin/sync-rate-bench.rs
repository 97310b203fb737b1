//! The first sync of a big portal under HubSpot's rate limit (issue: CRM sync): the fake enforces
//! 100 requests per 10 s on every request; 10,000 companies and 50,000 contacts. Reports the
//! requests made, the time taken and its ratio to the minimum the limit allows for that many
//! requests (target: within 1.1×).   cargo run --release -p csm-e2e --bin sync-rate-bench

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use csm_core::Store;
use csm_crm::engine;
use csm_crm::http::{Http, Limits};
use csm_crm::hubspot::{FieldMap, HubSpot};
use csm_e2e::fake_hubspot::FakeHubSpot;

fn main() {
    let companies: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let per_company: usize = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(5);
    let fake = FakeHubSpot::start("bench");
    fake.seed(companies, per_company);
    {
        let mut s = fake.lock();
        s.per_10s = Some(100);
        s.limit_search = true;
    }
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open(&dir.path().join("book.sqlite")).expect("store");
    store.start_book(None, Utc::now()).expect("book");
    let http = Http::new(&fake.url, "bench", Limits::default(), Arc::new(AtomicBool::new(false))).expect("client");
    let hs = HubSpot::new(http, FieldMap::hubspot());
    let started = Instant::now();
    let run = engine::run(&store, &hs, &mut |_| {}).expect("run");
    let elapsed = started.elapsed().as_secs_f64();
    let requests = hs.http.requests();
    // With at most 100 in any 10 s, n requests need at least (ceil(n / 100) - 1) × 10 s.
    let minimum = ((requests as f64 / 100.0).ceil() - 1.0).max(0.0) * 10.0;
    let throttled = fake.lock().throttled;
    println!(
        "{} records pulled ({}); {requests} requests, {throttled} answered 429; {elapsed:.1} s, minimum {minimum:.0} s: {:.3}×",
        run.pulled,
        run.status,
        elapsed / minimum.max(1.0)
    );
}
