//! The one error shape every command returns: `{ kind, message, fields }`, in plain words.

use csm_core::error::ErrorKind;
use csm_core::{FieldError, OpenError};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CommandError {
    /// What went wrong, for the UI to branch on: "invalid", "not_found", "offline", …
    pub kind: ErrorKind,
    /// A sentence for the CSM.
    pub message: String,
    /// For "invalid": the problem with each field, shown next to it.
    pub fields: Vec<FieldError>,
}

impl CommandError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), fields: Vec::new() }
    }

    pub fn invalid(field: &str, message: &str) -> Self {
        Self { fields: vec![FieldError::new(field, message)], ..Self::new(ErrorKind::Invalid, message) }
    }
}

impl From<csm_core::Error> for CommandError {
    fn from(err: csm_core::Error) -> Self {
        if let csm_core::Error::Database(inner) = &err {
            log::error!("database error: {inner}");
        }
        Self { kind: err.kind(), message: err.to_string(), fields: err.fields().to_vec() }
    }
}

impl From<OpenError> for CommandError {
    fn from(err: OpenError) -> Self {
        log::error!("{err}");
        Self::new(err.kind(), err.to_string())
    }
}

impl From<tauri::Error> for CommandError {
    /// The details (a panic's text among them) go to the log, never to the window.
    fn from(err: tauri::Error) -> Self {
        log::error!("internal error: {err}");
        Self::new(ErrorKind::Internal, "Something went wrong inside CSM Desk; the details are in the log.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_internal_failure_tells_the_window_nothing_of_its_details() {
        let err = CommandError::from(tauri::Error::AssetNotFound("/secret/path token=abc".into()));
        assert_eq!(err.kind, ErrorKind::Internal);
        assert!(!err.message.contains("secret") && !err.message.contains("token"), "{}", err.message);
    }
}
