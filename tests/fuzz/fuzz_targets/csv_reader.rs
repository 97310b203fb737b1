//! Any bytes given to the CSV reader are either refused with a reason or read into rows, and
//! every row turns into form input without panicking.
#![no_main]

use csm_core::exchange::{csv_read, import};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(table) = csv_read::read(bytes) else { return };
    for kind in [import::ImportKind::Accounts, import::ImportKind::Contacts, import::ImportKind::Signals] {
        let mapping = import::propose_mapping(kind, &table.headers);
        for (_, cells) in &table.rows {
            let row = import::Row::from_record(&mapping, cells);
            let _ = (import::account_input(&row), import::contact_input(&row), import::signal_input(&row), row.formulas());
        }
    }
});
