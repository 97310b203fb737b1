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

/// What went wrong, as the UI branches on it (each words its message and advice its own way).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A form's input: the fields say what.
    Invalid,
    NotFound,
    ExportFailed,
    Database,
    DatabaseUnreadable,
    DatabaseLocked,
    DatabaseCorrupt,
    DatabaseForeign,
    DatabaseTooNew,
    DatabaseMigrationFailed,
    /// A restore refused: the book is not damaged.
    RestoreRefused,
    /// The book is being replaced by a backup.
    Restoring,
    Busy,
    OpenFailed,
    /// The CRM could not be reached.
    Offline,
    /// The CRM refused the token or the sign-in expired.
    Unauthorized,
    RateLimited,
    Cancelled,
    /// The CRM answered with an error, or with something that is not its API.
    CrmRefused,
    Internal,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invalid => "invalid",
            Self::NotFound => "not_found",
            Self::ExportFailed => "export_failed",
            Self::Database => "database",
            Self::DatabaseUnreadable => "database_unreadable",
            Self::DatabaseLocked => "database_locked",
            Self::DatabaseCorrupt => "database_corrupt",
            Self::DatabaseForeign => "database_foreign",
            Self::DatabaseTooNew => "database_too_new",
            Self::DatabaseMigrationFailed => "database_migration_failed",
            Self::RestoreRefused => "restore_refused",
            Self::Restoring => "restoring",
            Self::Busy => "busy",
            Self::OpenFailed => "open_failed",
            Self::Offline => "offline",
            Self::Unauthorized => "unauthorized",
            Self::RateLimited => "rate_limited",
            Self::Cancelled => "cancelled",
            Self::CrmRefused => "crm_refused",
            Self::Internal => "internal",
        }
    }
}

impl PartialEq<&str> for ErrorKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
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
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Unreadable { .. } => ErrorKind::DatabaseUnreadable,
            Self::Locked { .. } => ErrorKind::DatabaseLocked,
            Self::Corrupt { .. } => ErrorKind::DatabaseCorrupt,
            Self::Foreign { .. } => ErrorKind::DatabaseForeign,
            Self::TooNew { .. } => ErrorKind::DatabaseTooNew,
            Self::Migration { .. } => ErrorKind::DatabaseMigrationFailed,
        }
    }
}

impl Error {
    /// One field's problem.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, message)])
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid(_) => ErrorKind::Invalid,
            Self::Export { .. } => ErrorKind::ExportFailed,
            Self::NotFound(_) => ErrorKind::NotFound,
            Self::Open(open) => open.kind(),
            Self::Database(_) => ErrorKind::Database,
        }
    }

    pub fn fields(&self) -> &[FieldError] {
        match self {
            Self::Invalid(fields) => fields,
            _ => &[],
        }
    }
}
