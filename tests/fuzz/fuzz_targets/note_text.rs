//! Any text typed in a call note: its next steps (with the dates read from their words), its
//! plain-text excerpt and its search index text are worked out without panicking, and every date
//! read is a real calendar day.
#![no_main]

use chrono::NaiveDate;
use csm_core::{notes, search};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let day = NaiveDate::from_ymd_opt(2026, 12, 31).expect("day");
    for item in notes::action_items(&text, day) {
        assert!(!item.title.trim().is_empty());
        if let Some(due) = item.due_date {
            assert!(due.format("%Y-%m-%d").to_string().len() == 10);
        }
    }
    let _ = notes::due_date(&text, day);
    let _ = notes::plain_text(&text);
    let _ = search::index_text(&text);
});
