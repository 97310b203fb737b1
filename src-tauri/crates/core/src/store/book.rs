//! Starting a book on first run: the generated sample, or empty, in one transaction.

use chrono::{DateTime, Utc};

use super::settings::{self, BOOK_STARTED};
use super::{accounts, calendar, contacts, health, notes, qbr, renewals, risks, search, tasks, timeline, Store};
use crate::error::{Error, FieldError, Result};
use crate::sample::SampleBook;
use crate::store::renewals::history::ArrSource;

/// Where the book keeps its id (see `Store::book_id`).
const BOOK_ID: &str = "book.id";

impl Store {
    /// Starts the book: with the generated sample, or empty (`None`). Refused once a book has
    /// accounts, so a sample can never be mixed into real data. All or nothing.
    /// This book's own random id, made the first time it is asked for: secrets kept outside the
    /// book (the OS keychain) are scoped to it, so two books never share a CRM sign-in.
    pub fn book_id(&self) -> Result<String> {
        let conn = self.conn();
        if let Some(id) = super::settings::read(&conn, BOOK_ID)? {
            return Ok(id);
        }
        let id = crate::model::new_id();
        super::settings::write(&conn, BOOK_ID, &id)?;
        Ok(id)
    }

    pub fn start_book(&self, sample: Option<&SampleBook>, now: DateTime<Utc>) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let existing: i64 = tx.query_row("SELECT count(*) FROM accounts", [], |row| row.get(0))?;
        if existing > 0 && sample.is_some() {
            return Err(Error::Invalid(vec![FieldError::new(
                "book",
                "The sample book can only be loaded into an empty book.",
            )]));
        }
        if let Some(book) = sample {
            for account in &book.accounts {
                accounts::insert(&tx, account, ArrSource::Sample)?;
            }
            for contact in &book.contacts {
                contacts::insert(&tx, contact)?;
            }
            for event in &book.events {
                timeline::insert(&tx, event)?;
            }
            for signal in &book.signals {
                health::insert_signal(&tx, signal, "manual")?;
            }
            for task in &book.tasks {
                tasks::insert_task(&tx, task)?;
            }
            for note in &book.notes {
                notes::insert_note(&tx, note)?;
            }
            for metric in &book.metrics {
                qbr::insert_metric(&tx, metric)?;
            }
            for milestone in &book.milestones {
                qbr::insert_milestone(&tx, milestone, now)?;
            }
            if let Some(from) = book.history_from {
                health::history(&tx, from, now.date_naive())?;
            }
            renewals::sample::load(&tx, &book.accounts, now)?;
            risks::sample::load(&tx, &book.accounts, now)?;
            let folder = self.path().and_then(std::path::Path::parent);
            calendar::sample::load(&tx, folder, &book.accounts, &book.contacts, now)?;
        }
        search::rebuild(&tx)?;
        settings::write(&tx, BOOK_STARTED, &now.to_rfc3339())?;
        tx.commit()?;
        Ok(())
    }
}
