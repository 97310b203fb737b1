//! Small key/value settings kept in the database (so they travel with the book).

use rusqlite::{params, OptionalExtension};

use super::Store;
use crate::error::Result;

/// Set once the CSM chose how to start (sample book or empty): first run is over.
pub const BOOK_STARTED: &str = "book.started_at";

impl Store {
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self.conn().query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| row.get(0)).optional()?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn().execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// True until the CSM has chosen a sample book or an empty one, and the book has no accounts.
    pub fn is_first_run(&self) -> Result<bool> {
        Ok(self.setting(BOOK_STARTED)?.is_none() && self.account_count()? == 0)
    }
}
