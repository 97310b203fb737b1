//! Reading a file or a folder calendar from disk: size-limited, any encoding read as UTF-8 with
//! what is not replaced, a folder's `.ics` files merged, and a folder read again only when its
//! files changed (their names, sizes and times: the fingerprint).

use std::fs;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::Store;
use crate::calendar::{self, ParsedCalendar, Window};
use crate::error::{Error, Result};
use crate::model::{CalendarKind, CalendarSource};

/// A calendar file larger than this is refused (a year of a busy calendar is a few MB).
const FILE_MAX_BYTES: u64 = 64 * 1024 * 1024;
/// A folder's first files by name, at most.
const FOLDER_MAX_FILES: usize = 2_000;

/// A calendar's text as fetched (an address) or read.
pub struct CalendarText(pub String);

fn read_file(path: &Path) -> std::result::Result<String, String> {
    let meta = fs::metadata(path).map_err(|e| format!("Cannot read {}: {e}.", path.display()))?;
    if meta.len() > FILE_MAX_BYTES {
        return Err(format!("{} is larger than {} MB.", path.display(), FILE_MAX_BYTES / 1024 / 1024));
    }
    let bytes = fs::read(path).map_err(|e| format!("Cannot read {}: {e}.", path.display()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn folder_files(dir: &Path) -> std::result::Result<Vec<(String, u64, i64)>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("Cannot read the folder {}: {e}.", dir.display()))?;
    let mut files: Vec<(String, u64, i64)> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x.eq_ignore_ascii_case("ics")))
        .filter_map(|e| {
            let meta = e.metadata().ok().filter(|m| m.is_file())?;
            let modified = meta.modified().ok().map(|t| DateTime::<Utc>::from(t).timestamp_millis()).unwrap_or(0);
            Some((e.file_name().to_string_lossy().into_owned(), meta.len(), modified))
        })
        .collect();
    files.sort();
    files.truncate(FOLDER_MAX_FILES);
    Ok(files)
}

fn fingerprint(files: &[(String, u64, i64)]) -> String {
    files.iter().map(|(n, s, t)| format!("{n}:{s}:{t}")).collect::<Vec<_>>().join("|")
}

/// Every file of a folder read and merged (one UID in two files: the later file's wins).
fn read_folder(dir: &Path, files: &[(String, u64, i64)], zone: Tz, window: Window) -> ParsedCalendar {
    let mut merged = ParsedCalendar::default();
    let mut keys = std::collections::HashMap::new();
    for (name, ..) in files {
        match read_file(&dir.join(name)) {
            Ok(text) => {
                let one = calendar::read(&text, zone, window);
                merged.events += one.events;
                merged.skipped.extend(one.skipped.into_iter().map(|s| format!("{name}: {s}")));
                for o in one.occurrences {
                    match keys.get(&o.key) {
                        Some(&at) => merged.occurrences[at] = o,
                        None => {
                            keys.insert(o.key.clone(), merged.occurrences.len());
                            merged.occurrences.push(o);
                        }
                    }
                }
            }
            Err(why) => merged.skipped.push(why),
        }
    }
    merged
}

impl Store {
    /// Reads a file or folder calendar again (a folder only when its files changed, unless
    /// `force`). A file that cannot be read keeps the last good copy and says why.
    pub fn refresh_local_calendar(
        &self,
        id: &str,
        zone: Tz,
        today: NaiveDate,
        now: DateTime<Utc>,
        force: bool,
    ) -> Result<CalendarSource> {
        let calendar = self.calendar(id)?;
        let window = Window::around(today);
        let location = calendar.location.clone().unwrap_or_default();
        let path = Path::new(&location);
        match calendar.kind {
            CalendarKind::File => match read_file(path) {
                Ok(text) => self.store_calendar_read(id, &calendar::read(&text, zone, window), zone, None, now),
                Err(why) => self.calendar_read_failed(id, &why, now),
            },
            CalendarKind::Folder => match folder_files(path) {
                Ok(files) => {
                    let print = fingerprint(&files);
                    if !force && self.calendar_fingerprint(id)?.as_deref() == Some(print.as_str()) {
                        return Ok(calendar);
                    }
                    let read = read_folder(path, &files, zone, window);
                    self.store_calendar_read(id, &read, zone, Some(&print), now)
                }
                Err(why) => self.calendar_read_failed(id, &why, now),
            },
            CalendarKind::Address => Err(Error::invalid("id", "An address calendar is fetched by the app.")),
        }
    }

    /// Stores an address calendar's text as just fetched.
    pub fn store_fetched_calendar(
        &self,
        id: &str,
        text: &CalendarText,
        zone: Tz,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<CalendarSource> {
        let read = calendar::read(&text.0, zone, Window::around(today));
        if read.events == 0 && read.skipped.iter().any(|s| s.contains("not a calendar")) {
            // A login page or an error page instead of the calendar: keep the last good copy.
            return self.calendar_read_failed(
                id,
                "The address answered with something that is not a calendar (a sign-in page?). The last copy is kept.",
                now,
            );
        }
        self.store_calendar_read(id, &read, zone, None, now)
    }
}
