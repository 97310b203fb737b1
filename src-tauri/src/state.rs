//! Managed state: where the files are, and the store (or why it could not be opened).

use std::sync::{Arc, RwLock};

use csm_core::Store;
use serde::Serialize;
use ts_rs::TS;

use crate::{AppPaths, CommandError};

pub struct AppState {
    pub paths: AppPaths,
    store: RwLock<Result<Arc<Store>, CommandError>>,
}

/// What the UI shows first: the book, the first-run choice, or why the database is unavailable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BookState {
    Ready,
    FirstRun,
    Unavailable,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AppStatus {
    pub state: BookState,
    /// Why the database is unavailable, when it is.
    pub error: Option<CommandError>,
    pub paths: AppPaths,
    pub version: String,
    pub schema_version: Option<u32>,
}

impl AppState {
    /// Opens the database; a failure is kept and shown by the UI rather than crashing the app.
    pub fn open(paths: AppPaths) -> AppState {
        let store = Self::open_store(&paths);
        AppState { paths, store: RwLock::new(store) }
    }

    fn open_store(paths: &AppPaths) -> Result<Arc<Store>, CommandError> {
        Store::open(&paths.database).map(Arc::new).map_err(CommandError::from)
    }

    /// Tries again, e.g. after the CSM closed the program that held a lock.
    pub fn reopen(&self) {
        let mut slot = self.store.write().unwrap_or_else(|p| p.into_inner());
        if slot.is_err() {
            *slot = Self::open_store(&self.paths);
        }
    }

    pub fn store(&self) -> Result<Arc<Store>, CommandError> {
        self.store.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn status(&self) -> Result<AppStatus, CommandError> {
        let (state, error, schema_version) = match self.store() {
            Err(err) => (BookState::Unavailable, Some(err), None),
            Ok(store) => {
                let state = if store.is_first_run()? { BookState::FirstRun } else { BookState::Ready };
                (state, None, Some(store.schema_version()?))
            }
        };
        Ok(AppStatus {
            state,
            error,
            paths: self.paths.clone(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            schema_version,
        })
    }
}
