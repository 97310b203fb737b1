//! A calendar as the CSM adds it, the domains they call their company's, and reminder settings.

use std::path::Path;

use crate::error::Error;
use crate::model::{CalendarInput, CalendarKind, ReminderSettings};

const NAME_MAX: usize = 100;
const DEFAULT_REFRESH_MINUTES: u32 = 30;
const DOMAINS_MAX: usize = 20;

#[derive(Debug, Clone, PartialEq)]
pub struct ValidCalendar {
    pub name: String,
    pub kind: CalendarKind,
    /// The file or folder (an address is kept apart: it is a secret).
    pub location: Option<String>,
    /// The https address, for the keychain only.
    pub address: Option<String>,
    pub refresh_minutes: u32,
}

pub fn calendar(input: &CalendarInput) -> Result<ValidCalendar, Error> {
    let kind = CalendarKind::parse(input.kind.trim())
        .ok_or_else(|| Error::invalid("kind", "Choose a file, a folder or an address."))?;
    let location = input.location.trim();
    if location.is_empty() {
        return Err(Error::invalid("location", "Say where the calendar is."));
    }
    let (path, address) = match kind {
        CalendarKind::File if !Path::new(location).is_file() => {
            return Err(Error::invalid("location", "No calendar file is there."));
        }
        CalendarKind::Folder if !Path::new(location).is_dir() => {
            return Err(Error::invalid("location", "No folder is there."));
        }
        CalendarKind::Address => (None, Some(calendar_address(location)?)),
        _ => (Some(location.to_owned()), None),
    };
    let refresh_minutes = match input.refresh_minutes.trim() {
        "" => DEFAULT_REFRESH_MINUTES,
        text => text
            .parse()
            .ok()
            .filter(|m| (5..=1440).contains(m))
            .ok_or_else(|| Error::invalid("refresh_minutes", "Refresh every 5 to 1,440 minutes."))?,
    };
    let default_name = || match (&path, kind) {
        (Some(p), _) => Path::new(p).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
        (None, _) => "Calendar".to_owned(),
    };
    let name = match input.name.trim() {
        "" => default_name(),
        typed => typed.to_owned(),
    };
    if name.chars().count() > NAME_MAX {
        return Err(Error::invalid("name", format!("Keep the name under {NAME_MAX} characters.")));
    }
    Ok(ValidCalendar { name, kind, location: path, address, refresh_minutes })
}

/// A subscription address: https only (http only for this computer), as Google's and Outlook's
/// "secret address in iCal format" are. `webcal://` is https under another name.
pub fn calendar_address(text: &str) -> Result<String, Error> {
    let text = text.trim();
    let text = match text.get(..9) {
        Some(scheme) if scheme.eq_ignore_ascii_case("webcal://") => format!("https://{}", &text[9..]),
        _ => text.to_owned(),
    };
    super::secure_address("location", &text, "A calendar address must start with https:// (or webcal://).")?;
    Ok(text)
}

/// The CSM's company domains, one per line or comma-separated ("@acme.com" and "acme.com" alike).
pub fn internal_domains(text: &str) -> Result<Vec<String>, Error> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split([',', '\n', ';', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
        let domain = part.trim_start_matches('@').to_lowercase();
        let ok = domain.contains('.')
            && domain.len() <= 253
            && domain.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        if !ok {
            return Err(Error::invalid("internal_domains", format!("“{part}” is not an email domain.")));
        }
        if !out.contains(&domain) {
            out.push(domain);
        }
    }
    if out.len() > DOMAINS_MAX {
        return Err(Error::invalid("internal_domains", format!("At most {DOMAINS_MAX} domains.")));
    }
    Ok(out)
}

/// A meeting's id: its calendar's id, `/`, and its occurrence key (the UID as the calendar wrote it).
pub fn meeting_id(text: &str) -> Result<String, Error> {
    let bad = || Error::invalid("meeting_id", "That is not a meeting.");
    let (calendar, key) = text.split_once('/').ok_or_else(bad)?;
    super::id("meeting_id", calendar).map_err(|_| bad())?;
    if key.is_empty() || key.len() > 1_000 || key.chars().any(char::is_control) {
        return Err(bad());
    }
    Ok(text.to_owned())
}

pub fn reminders(s: &ReminderSettings) -> Result<ReminderSettings, Error> {
    if !(1..=120).contains(&s.minutes_before) {
        return Err(Error::invalid("minutes_before", "Remind 1 to 120 minutes before."));
    }
    Ok(s.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kind: &str, location: &str) -> CalendarInput {
        CalendarInput {
            name: String::new(),
            kind: kind.into(),
            location: location.into(),
            refresh_minutes: String::new(),
        }
    }

    #[test]
    fn an_address_is_https_and_a_file_or_folder_must_exist() {
        let ok =
            calendar(&input("address", "webcal://calendar.google.com/calendar/ical/x/private-abc/basic.ics")).unwrap();
        assert_eq!(ok.address.as_deref(), Some("https://calendar.google.com/calendar/ical/x/private-abc/basic.ics"));
        assert_eq!((ok.location, ok.refresh_minutes), (None, 30));
        assert!(calendar(&input("address", "http://calendar.example/x.ics")).is_err());
        assert!(calendar(&input("address", "http://127.0.0.1:8080/x.ics")).is_ok());
        assert!(calendar(&input("address", "ftp://x")).is_err());
        assert!(calendar(&input("file", "/no/such/file.ics")).is_err());
        let dir = tempfile::tempdir().unwrap();
        assert!(calendar(&input("file", dir.path().to_str().unwrap())).is_err(), "a folder is not a file");
        let folder = calendar(&input("folder", dir.path().to_str().unwrap())).unwrap();
        assert_eq!(folder.kind, CalendarKind::Folder);
        assert!(calendar(&input("shared", "x")).is_err());
        let mut bad = input("folder", dir.path().to_str().unwrap());
        bad.refresh_minutes = "2".into();
        assert!(calendar(&bad).is_err());
    }

    #[test]
    fn company_domains_are_read_loosely_and_checked() {
        assert_eq!(
            internal_domains("@CSMDesk.example, csmdesk.example\nops.example").unwrap(),
            ["csmdesk.example", "ops.example"]
        );
        assert!(internal_domains("not a domain!").is_err());
        assert_eq!(internal_domains("").unwrap(), Vec::<String>::new());
        assert!(reminders(&ReminderSettings { minutes_before: 0, ..ReminderSettings::default() }).is_err());
        let calendar = "0192f1c2-7d3e-7abc-8def-0123456789ab";
        assert!(meeting_id(&format!("{calendar}/040000008200E00074C5B7101A82E008#1765375200")).is_ok());
        assert!(meeting_id("no-slash").is_err());
        assert!(meeting_id(&format!("{calendar}/")).is_err());
        assert!(meeting_id("../etc/passwd").is_err());
        assert!(meeting_id(&format!("{calendar}/a\u{7}b")).is_err());
    }
}
