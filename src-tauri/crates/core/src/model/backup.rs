use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

/// A backup of the book: where it is, when it was taken, and what is in it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BackupInfo {
    pub path: String,
    pub file_name: String,
    pub created_at: DateTime<Utc>,
    /// A daily backup (pruned to the number kept); others were taken for a reason and are kept.
    pub daily: bool,
    /// A damaged book set aside when a backup replaced it (with its WAL beside it): kept for
    /// recovery by hand, never offered for restoring; its counts are unknown (0).
    pub set_aside: bool,
    #[ts(type = "number")]
    pub bytes: u64,
    pub schema_version: u32,
    #[ts(type = "number")]
    pub accounts: u64,
    #[ts(type = "number")]
    pub contacts: u64,
    #[ts(type = "number")]
    pub notes: u64,
    #[ts(type = "number")]
    pub tasks: u64,
}

/// One file of an export and how many records it holds.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ExportedFile {
    pub name: String,
    #[ts(type = "number")]
    pub rows: u64,
}

/// Where an export was written and what it holds.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ExportSummary {
    pub folder: String,
    pub files: Vec<ExportedFile>,
}
