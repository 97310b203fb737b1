//! Errors the domain and store report. Messages are written for the CSM, not for a developer.

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

pub type Result<T> = std::result::Result<T, Error>;

/// One problem with one input field, shown next to that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self { field: field.to_owned(), message: message.into() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", invalid_summary(.0))]
    Invalid(Vec<FieldError>),
    #[error("That {0} no longer exists.")]
    NotFound(&'static str),
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error("The database reported an error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("Could not save {path}: {reason}. Nothing was written.")]
    Export { path: PathBuf, reason: String },
}

fn invalid_summary(errors: &[FieldError]) -> String {
    match errors {
        [one] => one.message.clone(),
        many => format!("{} fields need attention.", many.len()),
    }
}

/// Why the database file could not be opened. The file is never changed when one of these occurs.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("The database file at {path} cannot be opened: {reason}.")]
    Unreadable { path: PathBuf, reason: String },
    #[error("The database file at {path} is locked by another program. Close it and try again.")]
    Locked { path: PathBuf },
    #[error("The file at {path} is damaged or is not a database.")]
    Corrupt { path: PathBuf },
    #[error("The file at {path} is an SQLite database, but not one of CSM Desk's.")]
    Foreign { path: PathBuf },
    #[error(
        "The database at {path} was written by a newer version of CSM Desk \
         (schema {found}; this version knows up to {supported}). Update CSM Desk to open it."
    )]
    TooNew { path: PathBuf, found: u32, supported: u32 },
    #[error("Upgrading the database at {path} failed, and it was left as it was: {reason}")]
    Migration { path: PathBuf, reason: String },
}

impl OpenError {
    /// A stable, machine-readable name for the UI.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Unreadable { .. } => "database_unreadable",
            Self::Locked { .. } => "database_locked",
            Self::Corrupt { .. } => "database_corrupt",
            Self::Foreign { .. } => "database_foreign",
            Self::TooNew { .. } => "database_too_new",
            Self::Migration { .. } => "database_migration_failed",
        }
    }
}

impl Error {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "invalid",
            Self::Export { .. } => "export_failed",
            Self::NotFound(_) => "not_found",
            Self::Open(open) => open.kind(),
            Self::Database(_) => "database",
        }
    }

    pub fn fields(&self) -> &[FieldError] {
        match self {
            Self::Invalid(fields) => fields,
            _ => &[],
        }
    }
}
