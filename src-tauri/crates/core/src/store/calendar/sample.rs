//! The sample book's calendar: a real `.ics` file written beside the book (so the CSM can see what
//! an import is) and added as an imported calendar, so the Week, Today, the brief and "Log this
//! call" have meetings to show on first run. A book in memory (tests) gets none.

use std::path::Path;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rusqlite::{params, Transaction};

use crate::calendar::{self, Window};
use crate::error::Result;
use crate::model::{new_id, Account, Contact};

pub const FILE_NAME: &str = "sample-calendar.ics";

/// Writes the file and the calendar in the caller's transaction. Its times are floating: they are
/// read in UTC here and again in the CSM's zone by the app right after (a refresh).
pub(crate) fn load(
    tx: &Transaction<'_>,
    folder: Option<&Path>,
    accounts: &[Account],
    contacts: &[Contact],
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(folder) = folder else { return Ok(()) };
    let mut ranked: Vec<&Account> = accounts.iter().filter(|a| a.archived_at.is_none()).collect();
    ranked.sort_by(|a, b| b.arr.minor.cmp(&a.arr.minor).then(a.name.cmp(&b.name)));
    let people: Vec<(String, String, String)> = ranked
        .iter()
        .filter_map(|a| {
            let c = contacts.iter().find(|c| c.account_id == a.id && c.email.is_some() && c.left_on.is_none())?;
            Some((a.name.clone(), c.name.clone(), c.email.clone().unwrap_or_default()))
        })
        .take(6)
        .collect();
    let text = crate::sample::calendar::sample(&people, now.date_naive());
    let path = folder.join(FILE_NAME);
    if std::fs::write(&path, &text).is_err() {
        log::warn!("the sample calendar could not be written beside the book");
        return Ok(());
    }
    let id = new_id();
    tx.execute(
        "INSERT INTO calendars (id, name, kind, location, refresh_minutes, created_at) VALUES (?1, 'Sample calendar', 'file', ?2, 30, ?3)",
        params![id, path.to_string_lossy(), now],
    )?;
    let read = calendar::read(&text, Tz::UTC, Window::around(now.date_naive()));
    super::replace_meetings(tx, &id, &read, Tz::UTC, None, now)?;
    Ok(())
}
