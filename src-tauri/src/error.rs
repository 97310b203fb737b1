//! The one error shape every command returns: `{ kind, message, fields }`, in plain words.

use csm_core::{FieldError, OpenError};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CommandError {
    /// Stable name the UI can branch on: "invalid", "not_found", "database_locked", …
    pub kind: String,
    /// A sentence for the CSM.
    pub message: String,
    /// For "invalid": the problem with each field, shown next to it.
    pub fields: Vec<FieldError>,
}

impl CommandError {
    pub fn new(kind: &str, message: impl Into<String>) -> Self {
        Self { kind: kind.to_owned(), message: message.into(), fields: Vec::new() }
    }

    pub fn invalid(field: &str, message: &str) -> Self {
        Self { fields: vec![FieldError::new(field, message)], ..Self::new("invalid", message) }
    }
}

impl From<csm_core::Error> for CommandError {
    fn from(err: csm_core::Error) -> Self {
        if let csm_core::Error::Database(inner) = &err {
            log::error!("database error: {inner}");
        }
        Self { kind: err.kind().to_owned(), message: err.to_string(), fields: err.fields().to_vec() }
    }
}

impl From<OpenError> for CommandError {
    fn from(err: OpenError) -> Self {
        log::error!("{err}");
        Self::new(err.kind(), err.to_string())
    }
}

impl From<tauri::Error> for CommandError {
    fn from(err: tauri::Error) -> Self {
        log::error!("internal error: {err}");
        Self::new("internal", format!("Something went wrong inside CSM Desk: {err}"))
    }
}
