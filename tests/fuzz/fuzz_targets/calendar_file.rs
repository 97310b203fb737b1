//! Any file given as a calendar (imported, in a watched folder, or answered by a subscription's
//! address): read without panicking or hanging, and every meeting it yields is sound: an end not
//! before its start, inside the kept window, with a key of its own.
#![no_main]

use std::collections::HashSet;

use chrono::NaiveDate;
use chrono_tz::Tz;
use csm_core::calendar::{self, When, Window};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let window = Window::around(NaiveDate::from_ymd_opt(2026, 12, 1).expect("day"));
    let read = calendar::read(&text, Tz::Europe__Berlin, window);
    assert!(read.occurrences.len() <= calendar::MAX_OCCURRENCES);
    let mut keys = HashSet::new();
    for o in &read.occurrences {
        match o.when {
            When::Timed { start, end } => assert!(start <= end && end >= window.from && start <= window.to),
            When::AllDay { first, last } => assert!(first <= last),
        }
        assert!(keys.insert(o.key.clone()), "a key twice: {}", o.key);
    }
});
