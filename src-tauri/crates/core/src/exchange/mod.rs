//! Bringing data in and taking it out: CSV files read whatever way a spreadsheet or a CRM wrote
//! them, CSV and JSON written so that spreadsheet programs never run a cell, and files written
//! all or nothing.

pub mod csv_read;
pub mod csv_write;
pub mod file;
pub mod import;

pub use file::write_atomically;
