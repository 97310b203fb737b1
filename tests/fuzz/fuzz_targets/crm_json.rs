//! Whatever JSON a CRM (or something pretending to be one) answers, each record of the page goes
//! through both connectors' readers without panicking; a record they accept has an id, and its
//! values go through the forms' checks (with the defaults of a new record) without panicking.
#![no_main]

use std::collections::BTreeMap;

use csm_core::sync::{named, problems, with_defaults};
use csm_crm::connector::FieldMap;
use csm_crm::{hubspot, salesforce};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn checked(record: Result<csm_core::model::RemoteRecord, String>) {
    let Ok(record) = record else { return };
    assert!(!record.remote_id.is_empty());
    let _ = problems(record.entity, &with_defaults(record.entity, named(&record.fields)));
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(page) = serde_json::from_slice::<Value>(bytes) else { return };
    let records: Vec<Value> = match (&page["results"], &page["records"]) {
        (Value::Array(items), _) | (_, Value::Array(items)) => items.clone(),
        _ => vec![page.clone()],
    };
    let (hubspot_map, salesforce_map) = (FieldMap::hubspot(), FieldMap::salesforce());
    let owners = BTreeMap::new();
    for raw in &records {
        checked(hubspot::read::company(&hubspot_map, &owners, raw));
        checked(hubspot::read::contact(raw, Some(&"1".to_owned())));
        let _ = hubspot::read::deal(raw, "1");
        let _ = hubspot::read::critical_ticket(raw);
        let _ = hubspot::read::owner(raw);
        checked(salesforce::read::account(&salesforce_map, raw));
        checked(salesforce::read::contact(raw));
        let _ = salesforce::read::deal(raw);
        let _ = salesforce::read::critical_case(raw);
    }
});
