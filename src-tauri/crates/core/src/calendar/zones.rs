//! A TZID as calendars write it, to an IANA zone: IANA names as they are; Windows names (Outlook's
//! "W. Europe Standard Time") through CLDR's table; a VTIMEZONE's `X-LIC-LOCATION`; old prefixed
//! ids ("/mozilla.org/20050126_1/Europe/Berlin"). What none of these know is read in the CSM's zone.

use std::collections::{BTreeSet, HashMap};

use chrono_tz::Tz;
use windows_timezones::WindowsTimezone;

pub(super) struct Zones {
    local: Tz,
    locations: HashMap<String, String>,
    known: HashMap<String, Tz>,
    unknown: BTreeSet<String>,
}

impl Zones {
    pub fn new(locations: HashMap<String, String>) -> Self {
        Self { local: Tz::UTC, locations, known: HashMap::new(), unknown: BTreeSet::new() }
    }

    pub fn with_local(mut self, local: Tz) -> Self {
        self.local = local;
        self
    }

    pub fn local(&self) -> Tz {
        self.local
    }

    pub fn resolve(&mut self, id: &str) -> Tz {
        if let Some(tz) = self.known.get(id) {
            return *tz;
        }
        let found = lookup(id).or_else(|| self.locations.get(id).and_then(|l| lookup(l)));
        if found.is_none() {
            self.unknown.insert(id.chars().take(80).collect());
        }
        let tz = found.unwrap_or(self.local);
        self.known.insert(id.to_owned(), tz);
        tz
    }

    pub fn unknown(&self) -> impl Iterator<Item = &String> {
        self.unknown.iter()
    }
}

pub(super) fn lookup(id: &str) -> Option<Tz> {
    let id = id.trim().trim_matches('"');
    if let Ok(tz) = id.parse::<Tz>() {
        return Some(tz);
    }
    if let Ok(windows) = id.parse::<WindowsTimezone>() {
        return windows.tzdb_id().parse().ok();
    }
    if let Ok(tz) = Tz::from_str_insensitive(id) {
        return Some(tz);
    }
    // "/mozilla.org/20050126_1/Europe/Berlin", "/softwarestudio.org/Olson_20011030_5/America/New_York"
    let parts: Vec<&str> = id.split('/').filter(|p| !p.is_empty()).collect();
    (1..parts.len()).rev().find_map(|n| parts[parts.len() - n..].join("/").parse().ok())
}
