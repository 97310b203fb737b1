//! `Store` owns the SQLite file: WAL, foreign keys, numbered migrations, and one module per
//! aggregate with plain SQL. Every write that touches more than one row is one transaction.

mod accounts;
mod book;
mod cache;
mod calendar;
mod changes;
mod columns;
mod contacts;
mod exchange;
mod health;
mod import;
mod migrate;
mod notes;
mod open;
mod planner;
mod qbr;
mod relationships;
mod renewals;
mod risks;
mod search;
mod settings;
mod sync;
mod tasks;
mod timeline;

use parking_lot::{Mutex, MutexGuard};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use crate::error::OpenError;

#[cfg(test)]
pub(crate) use accounts::new_account;
pub use calendar::CalendarText;
pub use health::portfolio;
pub(crate) use migrate::APPLICATION_ID;
pub use migrate::LATEST_VERSION;
pub use risks::Asker;
pub use sync::{PushNote, PushTask};
pub use timeline::TimelineFilter;

/// The local database. Cheap to share behind an `Arc`; calls are serialised on one connection,
/// which is all a single user's book needs and keeps every write ordered.
pub struct Store {
    conn: Mutex<Connection>,
    path: Option<PathBuf>,
    facts: planner::FactsCache,
    preview: sync::PreviewCache,
    arr_history: renewals::HistoryCache,
    changes: changes::Changes,
}

impl Store {
    /// Opens (or creates) the database at `path`, upgrading its schema after backing it up.
    pub fn open(path: &Path) -> Result<Store, OpenError> {
        Self::open_with_timeout(path, Duration::from_secs(3))
    }

    /// As `open`, waiting at most `busy_timeout` for another process's lock.
    pub fn open_with_timeout(path: &Path, busy_timeout: Duration) -> Result<Store, OpenError> {
        let mut conn = open::open_file(path, busy_timeout, migrate::MIGRATIONS)?;
        crate::backup::owner_only(path);
        // The search index is read here first: a page damaged inside the file shows as damage.
        search::register(&conn).map_err(|e| open::upgrade_failed(path, e))?;
        search::ensure_built(&mut conn).map_err(|e| match e {
            crate::Error::Database(e) => open::upgrade_failed(path, e),
            other => OpenError::Migration { path: path.to_owned(), reason: other.to_string() },
        })?;
        Ok(Store::with(conn, Some(path.to_owned())))
    }

    fn with(conn: Connection, path: Option<PathBuf>) -> Store {
        let changes = changes::Changes::default();
        changes.watch(&conn);
        Store {
            conn: Mutex::new(conn),
            path,
            facts: Default::default(),
            preview: Default::default(),
            arr_history: Default::default(),
            changes,
        }
    }

    /// The topics written to since the last call (accounts, tasks, notes…): what the views
    /// showing them must read again.
    pub fn take_changes(&self) -> Vec<crate::model::Topic> {
        self.changes.take()
    }

    /// A private in-memory database, for tests and benchmarks.
    pub fn open_in_memory() -> crate::Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", true)?;
        migrate::apply(&mut conn, migrate::MIGRATIONS)?;
        search::register(&conn)?;
        search::ensure_built(&mut conn)?;
        Ok(Store::with(conn, None))
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn schema_version(&self) -> crate::Result<u32> {
        Ok(self.conn().pragma_query_value(None, "user_version", |row| row.get(0))?)
    }

    /// `PRAGMA quick_check`: "ok" when the file's pages and indexes are sound (a fast check, run
    /// at start).
    pub fn quick_check(&self) -> crate::Result<String> {
        Ok(self.conn().query_row("PRAGMA quick_check", [], |row| row.get(0))?)
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    pub fn integrity_check(&self) -> crate::Result<String> {
        Ok(self.conn().query_row("PRAGMA integrity_check", [], |row| row.get(0))?)
    }

    /// A compact, consistent copy of the database at `target` (which must not exist).
    pub(crate) fn vacuum_into(&self, target: &Path) -> crate::Result<()> {
        self.conn().execute("VACUUM INTO ?1", [target.to_string_lossy()])?;
        Ok(())
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (transactions roll
        // back on drop), so a poisoned lock is safe to reuse.
        self.conn.lock()
    }
}

/// Reads an enum stored as text, failing loudly on a value this version does not know.
fn enum_column<T>(row: &rusqlite::Row<'_>, idx: usize, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let text: String = row.get(idx)?;
    parse(&text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            idx,
            rusqlite::types::Type::Text,
            format!("unknown value {text:?}").into(),
        )
    })
}
