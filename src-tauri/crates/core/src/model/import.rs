use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use crate::exchange::import::{DateOrder, ImportKind};

/// A field a column can be mapped to.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ImportField {
    pub key: String,
    pub label: String,
}

/// A column of the file: its header, a sample value, and the field it fills (if any).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportColumn {
    pub header: String,
    pub sample: String,
    pub field: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImportAction {
    Create,
    Update,
    Skip,
}

/// What one row of the file would do, and why it would be skipped.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ImportRow {
    pub line: u32,
    pub action: ImportAction,
    pub label: String,
    pub problems: Vec<String>,
}

/// What importing the file would do, before anything is written.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ImportPreview {
    pub kind: ImportKind,
    /// How the file's slashed dates are read (01/02/2027: 2 January, or 1 February).
    pub date_order: DateOrder,
    pub encoding: String,
    pub delimiter: String,
    pub columns: Vec<ImportColumn>,
    pub fields: Vec<ImportField>,
    /// The rows with problems first, then the others (at most 1,000 in all).
    pub rows: Vec<ImportRow>,
    pub creates: u32,
    pub updates: u32,
    pub skips: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct ImportResult {
    pub created: u32,
    pub updated: u32,
    pub skipped: u32,
}
