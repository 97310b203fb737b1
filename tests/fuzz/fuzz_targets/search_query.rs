//! Whatever the CSM types in search (and whatever tag), the query run against the book's index is
//! valid: a search answers or finds nothing, it never fails with a syntax error.
#![no_main]

use std::sync::OnceLock;

use csm_core::model::SearchQuery;
use csm_core::Store;
use libfuzzer_sys::fuzz_target;

fn store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| Store::open_in_memory().expect("store"))
}

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let (typed, tag) = text.split_once('\u{1}').unwrap_or((&text, ""));
    let query = SearchQuery { text: typed.to_owned(), tag: tag.to_owned(), limit: 5, ..Default::default() };
    if let Err(err) = store().search(&query) {
        assert!(err.kind() == "invalid", "{typed:?} / {tag:?}: {err}");
    }
});
