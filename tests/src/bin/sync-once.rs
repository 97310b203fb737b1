//! One sync of a book file against a HubSpot address, then applying everything it staged; the
//! kill-and-resume test runs it and kills it at random points.
//!   sync-once <book.sqlite> <base url> <token>

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use chrono::Utc;
use csm_core::Store;
use csm_crm::engine;
use csm_crm::http::{Http, Limits};
use csm_crm::hubspot::{FieldMap, HubSpot};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, path, url, token] = args.as_slice() else {
        eprintln!("usage: sync-once <book.sqlite> <base url> <token>");
        std::process::exit(2);
    };
    let store = Store::open(std::path::Path::new(path)).expect("the book opens");
    let http = Http::new(url, token, Limits::default(), Arc::new(AtomicBool::new(false))).expect("client");
    let hs = HubSpot::new(http, FieldMap::hubspot());
    let run = engine::run(&store, &hs, &mut |_| {}).expect("a logged run");
    store.apply_sync("hubspot", None, &[], Utc::now(), Utc::now().date_naive()).expect("applied");
    println!("{} {} {}", run.status, run.pulled, run.pushed);
}
