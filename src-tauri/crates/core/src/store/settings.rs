//! Small key/value settings kept in the database (so they travel with the book).

use rusqlite::{params, Connection, OptionalExtension};

use super::Store;
use crate::error::Result;

/// Set once the CSM chose how to start (sample book or empty): first run is over.
pub const BOOK_STARTED: &str = "book.started_at";

pub(super) fn read(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| row.get(0)).optional()?)
}

pub(super) fn write(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

/// A setting saved as JSON; a value that no longer parses (a hand-edited file) counts as unset.
pub(super) fn remove(conn: &Connection, key: &str) -> Result<()> {
    conn.execute("DELETE FROM settings WHERE key = ?1", [key])?;
    Ok(())
}

pub(super) fn read_json<T: serde::de::DeserializeOwned>(conn: &Connection, key: &str) -> Result<Option<T>> {
    Ok(read(conn, key)?.and_then(|json| serde_json::from_str(&json).ok()))
}

pub(super) fn write_json<T: serde::Serialize>(conn: &Connection, key: &str, value: &T) -> Result<()> {
    let json = serde_json::to_string(value)
        .map_err(|e| crate::Error::Invalid(vec![crate::FieldError::new(key, e.to_string())]))?;
    write(conn, key, &json)
}

impl Store {
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        read(&self.conn(), key)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        write(&self.conn(), key, value)
    }

    /// True until the CSM has chosen a sample book or an empty one, and the book has no accounts.
    pub fn is_first_run(&self) -> Result<bool> {
        Ok(self.setting(BOOK_STARTED)?.is_none() && self.account_count()? == 0)
    }
}
