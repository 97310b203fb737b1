//! The CSM's calendars from the app's side: their time zone, an address calendar's secret kept in
//! the keychain and fetched over https, and the minute-by-minute look while the app is open (a
//! watched folder read again when its files change, an address every N minutes, and reminders).

use std::collections::HashSet;
use std::time::Duration;

use chrono::{Local, Utc};
use chrono_tz::Tz;
use csm_core::model::{CalendarKind, CalendarSource};
use csm_core::store::CalendarText;
use csm_core::Store;
use csm_crm::calendar_feed::{CalendarFeed, FEED_TIMEOUT};
use csm_crm::CrmError;
use tauri::{AppHandle, Manager, Runtime};

use crate::{secrets, AppState, CommandError};

/// How often calendars and reminders are looked at while the app is open.
const TICK: Duration = Duration::from_secs(60);

/// The CSM's time zone: `TZ` when set, else the system's; UTC when neither names an IANA zone.
pub fn local_zone() -> Tz {
    let named = std::env::var("TZ").ok().map(|z| z.trim_start_matches(':').to_owned());
    named
        .and_then(|z| z.parse().ok())
        .or_else(|| iana_time_zone::get_timezone().ok().and_then(|z| z.parse().ok()))
        .unwrap_or(Tz::UTC)
}

/// Reads a calendar again: a file or folder from disk, an address over https with its secret from
/// the keychain. A failure keeps the last good copy and is recorded on the calendar.
pub fn refresh(store: &Store, calendar: &CalendarSource, force: bool) -> Result<CalendarSource, CommandError> {
    let (zone, today, now) = (local_zone(), Local::now().date_naive(), Utc::now());
    if calendar.kind != CalendarKind::Address {
        return Ok(store.refresh_local_calendar(&calendar.id, zone, today, now, force)?);
    }
    let Some(address) = secrets::load_calendar_address(&store.book_id()?, &calendar.id)? else {
        let why = "The address is not in the keychain any more: remove this calendar and add it again.";
        return Ok(store.calendar_read_failed(&calendar.id, why, now)?);
    };
    match fetch(&address) {
        Ok(text) => Ok(store.store_fetched_calendar(&calendar.id, &CalendarText(text), zone, today, now)?),
        Err(why) => Ok(store.calendar_read_failed(&calendar.id, &why, now)?),
    }
}

/// Reads every calendar again (after a book is started: the sample's), logging what fails.
pub fn refresh_all(store: &Store) {
    let Ok(list) = store.calendars(Local::now().date_naive()) else { return };
    for calendar in list.calendars {
        if let Err(err) = refresh(store, &calendar, true) {
            log::warn!("calendar refresh failed: {}", err.message);
        }
    }
}

/// The address's calendar text, or why not in words (never the address: it is a secret).
fn fetch(address: &str) -> Result<String, String> {
    let feed = CalendarFeed::new(FEED_TIMEOUT, test_root().as_deref()).map_err(|e| e.to_string())?;
    feed.fetch(address).map_err(|e| match e {
        CrmError::Rejected(status, why) => format!("The calendar address answered {status}: {why}."),
        other => other.to_string(),
    })
}

/// Builds with `e2e` trust one more certificate (a test server's self-signed one).
fn test_root() -> Option<Vec<u8>> {
    #[cfg(feature = "e2e")]
    if let Some(path) = std::env::var_os("CSM_DESK_E2E_CA") {
        return std::fs::read(path).ok();
    }
    None
}

/// Once a minute while the app is open: the calendars that are due, then the reminders. Never
/// returns, so it runs on a thread of its own.
pub fn keep_calendars_fresh<R: Runtime>(app: &AppHandle<R>) {
    let mut reminded: HashSet<String> = HashSet::new();
    loop {
        std::thread::sleep(TICK);
        let state = app.state::<AppState>();
        let Ok(store) = state.store() else { continue };
        match store.calendars_due(Utc::now()) {
            Ok(due) => {
                for calendar in due {
                    if let Err(err) = refresh(&store, &calendar, false) {
                        log::warn!("calendar refresh failed: {}", err.message);
                    }
                }
            }
            Err(err) => log::warn!("calendars unreadable: {err}"),
        }
        crate::reminders::remind(app, &store, &mut reminded);
        state.announce_changes();
    }
}
