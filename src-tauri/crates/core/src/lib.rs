//! The CSM Desk domain and its local store. Knows nothing of Tauri, HTTP or the UI.

pub mod asks;
pub mod backup;
pub mod brief;
pub mod calendar;
pub mod capture;
pub mod error;
pub mod exchange;
pub mod facts;
pub mod forecast;
pub mod health;
pub mod ics;
pub mod model;
pub mod notes;
pub mod org_chart;
pub mod planner;
pub mod playbook;
pub mod qbr;
pub mod rates;
pub mod relationships;
pub mod renewal;
pub mod retention;
pub mod risks;
pub mod sample;
pub mod search;
pub mod store;
pub mod sync;
pub mod validate;

#[cfg(test)]
mod testing;

pub use error::{Error, FieldError, OpenError, Result};
pub use store::Store;
pub mod ts_bindings;
