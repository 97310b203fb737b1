//! The first sync of a big CRM under its documented limits (issues: CRM sync, Salesforce).
//!   cargo run --release -p csm-e2e --bin sync-rate-bench [hubspot|salesforce] [accounts] [contacts each]
//! HubSpot: the fake enforces 100 requests per 10 s on every request; reports the requests, the
//! time and its ratio to the minimum the limit allows for that many requests (target ≤ 1.1×).
//! Salesforce: the limit is the daily allocation (a Developer Edition's 15,000 calls) and batches
//! of at most 2,000 records; reports the calls against the fewest the batch size allows and the
//! share of the allocation, and the time against downloading the same batches raw in the same run.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use csm_core::Store;
use csm_crm::connector::{Connector, FieldMap};
use csm_crm::engine;
use csm_crm::http::{Http, Limits, Method};
use csm_crm::hubspot::HubSpot;
use csm_crm::oauth::Tokens;
use csm_crm::salesforce::{self, Salesforce, Session};
use csm_e2e::fake_hubspot::FakeHubSpot;
use csm_e2e::fake_salesforce::FakeSalesforce;

fn book(dir: &tempfile::TempDir) -> Store {
    let store = Store::open(&dir.path().join("book.sqlite")).expect("store");
    store.start_book(None, Utc::now()).expect("book");
    store
}

fn hubspot(accounts: usize, per_account: usize) {
    let fake = FakeHubSpot::start("bench");
    fake.seed(accounts, per_account);
    {
        let mut s = fake.lock();
        s.per_10s = Some(100);
        s.limit_search = true;
    }
    let dir = tempfile::tempdir().expect("dir");
    let store = book(&dir);
    let hs = HubSpot::new(&fake.url, "bench", FieldMap::hubspot(), Limits::default(), Arc::default()).expect("client");
    let started = Instant::now();
    let run = engine::run(&store, &hs, &mut |_| {}).expect("run");
    let elapsed = started.elapsed().as_secs_f64();
    let requests = hs.http().requests();
    // With at most 100 in any 10 s, n requests need at least (ceil(n / 100) - 1) × 10 s.
    let minimum = ((requests as f64 / 100.0).ceil() - 1.0).max(0.0) * 10.0;
    let throttled = fake.lock().throttled;
    println!(
        "HubSpot: {} records pulled ({}); {requests} requests, {throttled} answered 429; {elapsed:.1} s, minimum {minimum:.0} s: {:.3}×",
        run.pulled,
        run.status,
        elapsed / minimum.max(1.0)
    );
}

/// Follows every batch of `soql` without reading the records: the floor for a pull.
fn download(http: &Http, soql: &str) -> u64 {
    let mut url = query_path(soql);
    let mut batches = 0;
    loop {
        let reply = http.json(Method::GET, &url, None).expect("batch");
        batches += 1;
        match reply["nextRecordsUrl"].as_str() {
            Some(next) => url = next.to_owned(),
            None => return batches,
        }
    }
}

fn query_path(soql: &str) -> String {
    let q: String = soql
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect();
    format!("/services/data/{}/query?q={q}", salesforce::API)
}

fn salesforce(accounts: usize, per_account: usize) {
    let fake = FakeSalesforce::start("bench");
    fake.seed(accounts, per_account);
    let (access, refresh) = fake.lock().issue();
    let dir = tempfile::tempdir().expect("dir");
    let store = book(&dir);
    let tokens = Tokens { access_token: access.clone(), refresh_token: refresh, instance_url: fake.url.clone() };
    let session = Session::new(&fake.url, "bench", tokens, Box::new(|_| Ok(())));
    let cancel = Arc::new(AtomicBool::new(false));
    let sf = Salesforce::new(session, FieldMap::salesforce(), salesforce::limits(), cancel.clone()).expect("client");
    let started = Instant::now();
    let run = engine::run(&store, &sf, &mut |_| {}).expect("run");
    let elapsed = started.elapsed().as_secs_f64();
    let calls = sf.http().requests();
    let (allocation, used) = {
        let s = fake.lock();
        (s.daily_limit, s.used)
    };

    // The baseline: the same batches downloaded and thrown away, in this run.
    let raw = Http::new(&fake.url, &access, salesforce::limits(), cancel).expect("raw");
    let started = Instant::now();
    let queries = [
        "SELECT Id, Name, Website, Industry, NumberOfEmployees, OwnerId, Owner.Name, SystemModstamp, AnnualRevenue, Renewal_Date__c, CS_Segment__c, Licences__c FROM Account ORDER BY SystemModstamp, Id",
        "SELECT Id, FirstName, LastName, Email, Title, Phone, AccountId, SystemModstamp FROM Contact WHERE AccountId != null ORDER BY SystemModstamp, Id",
        "SELECT Id, AccountId, Name, Amount, CloseDate, StageName, Type, IsClosed, SystemModstamp FROM Opportunity WHERE AccountId != null ORDER BY SystemModstamp, Id",
        "SELECT Id, AccountId, Priority FROM Case WHERE IsClosed = false AND AccountId != null",
    ];
    // Plus one deleted-records call each for accounts and contacts.
    let fewest: u64 = queries.iter().map(|q| download(&raw, q)).sum::<u64>() + 2;
    let baseline = started.elapsed().as_secs_f64();
    println!(
        "Salesforce: {} records pulled ({}); {calls} API calls, fewest possible (batches of 2,000 and two removal checks): {fewest} ({:.2}×); {used} of a {allocation}-call daily allocation ({:.2} %); {elapsed:.2} s vs {baseline:.2} s to download the same batches raw: {:.2}×",
        run.pulled,
        run.status,
        calls as f64 / fewest as f64,
        100.0 * used as f64 / allocation as f64,
        elapsed / baseline
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let system = args.get(1).map(String::as_str).unwrap_or("hubspot");
    let accounts: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let per_account: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(5);
    match system {
        "salesforce" => salesforce(accounts, per_account),
        _ => hubspot(accounts, per_account),
    }
}
