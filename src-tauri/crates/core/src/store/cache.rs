//! A value worked out from the book and reused until the book changes: neither this connection
//! (its `total_changes`) nor another (SQLite's `data_version`) has written since.

use std::sync::Arc;

use parking_lot::Mutex;

use rusqlite::Connection;

use crate::error::Result;

/// The key a value was worked out for, with the book's `total_changes` and `data_version` then.
type Stamp<K> = (K, u64, i64);

/// The last value worked out for `K` (a day, a CRM…) and the state of the book it was made from.
pub(super) struct UntilWritten<K, T>(Mutex<Option<(Stamp<K>, Arc<T>)>>);

impl<K, T> Default for UntilWritten<K, T> {
    fn default() -> Self {
        Self(Mutex::new(None))
    }
}

impl<K: PartialEq, T> UntilWritten<K, T> {
    /// The cached value when `key` and the book are as they were, else `make`'s, kept.
    pub(super) fn get(&self, conn: &Connection, key: K, make: impl FnOnce() -> Result<T>) -> Result<Arc<T>> {
        let data_version: i64 = conn.pragma_query_value(None, "data_version", |r| r.get(0))?;
        let key = (key, conn.total_changes(), data_version);
        let mut cached = self.0.lock();
        if let Some((_, value)) = cached.as_ref().filter(|(k, _)| *k == key) {
            return Ok(Arc::clone(value));
        }
        let value = Arc::new(make()?);
        *cached = Some((key, Arc::clone(&value)));
        Ok(value)
    }
}
