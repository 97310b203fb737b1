//! One sync of a book file against a CRM address, then applying everything it staged; the
//! kill-and-resume scenario runs it and kills it at random points.
//!   sync-once <book.sqlite> <hubspot|salesforce> <base url> <token>

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use chrono::Utc;
use csm_core::Store;
use csm_crm::connector::FieldMap;
use csm_crm::http::Limits;
use csm_crm::hubspot::HubSpot;
use csm_crm::oauth::Tokens;
use csm_crm::salesforce::{self, Salesforce, Session};
use csm_crm::{engine, Connector};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, path, system, url, token] = args.as_slice() else {
        eprintln!("usage: sync-once <book.sqlite> <hubspot|salesforce> <base url> <token>");
        std::process::exit(2);
    };
    let store = Store::open(std::path::Path::new(path)).expect("the book opens");
    let cancel = Arc::new(AtomicBool::new(false));
    let crm: Box<dyn Connector> = if system == "salesforce" {
        let tokens = Tokens { access_token: token.clone(), refresh_token: String::new(), instance_url: url.clone() };
        let session = Session::new(url, "sync-once", tokens, Box::new(|_| Ok(())));
        Box::new(Salesforce::new(session, FieldMap::salesforce(), salesforce::limits(), cancel).expect("client"))
    } else {
        Box::new(HubSpot::new(url, token, FieldMap::hubspot(), Limits::default(), cancel).expect("client"))
    };
    let run = engine::run(&store, &*crm, &mut |_| {}).expect("a logged run");
    store.apply_sync(system, None, &[], Utc::now(), Utc::now().date_naive()).expect("applied");
    println!("{} {} {}", run.status, run.pulled, run.pushed);
}
