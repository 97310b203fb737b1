//! From a calendar file's text to its events, each property read and its times placed in a zone.
//! A VEVENT that cannot be read is skipped (and said so) rather than failing the whole file, and
//! a malformed line inside an event is dropped, keeping the rest of the event.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use icalendar::parser::{read_components, unfold, Component, Property};

use super::zones::Zones;
use super::ParsedCalendar;
use crate::model::MeetingAttendee;

/// An event's start, end or exception date as written: a time in a zone, or a day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Stamp {
    At(NaiveDateTime, Tz),
    Day(NaiveDate),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Event {
    pub uid: String,
    pub sequence: i64,
    pub recurrence_id: Option<Stamp>,
    pub start: Stamp,
    pub end: Option<Stamp>,
    pub duration: Option<Duration>,
    pub rrule: Option<String>,
    pub exdates: Vec<Stamp>,
    pub rdates: Vec<Stamp>,
    pub cancelled: bool,
    pub title: String,
    pub location: Option<String>,
    pub attendees: Vec<MeetingAttendee>,
}

/// The file's events, or none when it is not a calendar at all.
pub(super) fn events(text: &str, zone: Tz, out: &mut ParsedCalendar) -> Option<Vec<Event>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.lines().any(|l| l.trim().eq_ignore_ascii_case("BEGIN:VCALENDAR")) {
        out.skipped.push("This file is not a calendar (no BEGIN:VCALENDAR line): nothing imported.".to_owned());
        return None;
    }
    let unfolded = unfold(&text.replace("\r\n", "\n"));
    let blocks = Blocks::scan(&unfolded);
    out.name = blocks.calendar_name.clone();
    let mut zones = Zones::new(blocks.zone_locations).with_local(zone);
    let mut events = Vec::with_capacity(blocks.events.len());
    let mut malformed = 0;
    for (n, block) in blocks.events.iter().enumerate() {
        match read_event(block, &mut zones, &mut malformed) {
            Ok(event) => events.push(event),
            Err(why) => out.skipped.push(format!("Event {} skipped: {why}.", n + 1)),
        }
    }
    if malformed > 0 {
        out.skipped.push(format!("{malformed} malformed line(s) inside events ignored."));
    }
    out.skipped.extend(zones.unknown().map(|z| format!("Time zone “{z}” is unknown: its times were read in yours.")));
    Some(events)
}

/// The file cut into what we read: each VEVENT's lines, the VTIMEZONEs' locations, the name.
#[derive(Default)]
struct Blocks<'a> {
    events: Vec<Vec<&'a str>>,
    zone_locations: HashMap<String, String>,
    calendar_name: Option<String>,
}

impl<'a> Blocks<'a> {
    fn scan(text: &'a str) -> Self {
        let mut blocks = Self::default();
        let mut event: Option<Vec<&str>> = None;
        let mut zone_id: Option<String> = None;
        let mut depth = 0usize;
        for line in text.lines().map(|l| l.trim_end_matches('\r')).filter(|l| !l.trim().is_empty()) {
            let upper = line.get(..line.len().min(16)).unwrap_or(line).to_ascii_uppercase();
            if let Some(lines) = event.as_mut() {
                lines.push(line);
                if upper.starts_with("BEGIN:") {
                    depth += 1;
                } else if upper.starts_with("END:") {
                    depth -= 1;
                    if depth == 0 {
                        blocks.events.push(event.take().unwrap_or_default());
                    }
                }
            } else if upper.starts_with("BEGIN:VEVENT") {
                event = Some(vec![line]);
                depth = 1;
            } else if upper.starts_with("BEGIN:VTIMEZONE") {
                zone_id = Some(String::new());
            } else if upper.starts_with("END:VTIMEZONE") {
                zone_id = None;
            } else if let Some(id) = zone_id.as_mut() {
                if let Some(value) = value_of(line, "TZID") {
                    *id = value.to_owned();
                } else if let Some(value) = value_of(line, "X-LIC-LOCATION") {
                    blocks.zone_locations.insert(id.clone(), value.to_owned());
                }
            } else if let Some(value) = value_of(line, "X-WR-CALNAME") {
                let name = icalendar::parser::ParseString::from(value).unescape_text().as_str().trim().to_owned();
                blocks.calendar_name = Some(name).filter(|n| !n.is_empty());
            }
        }
        blocks
    }
}

/// The value of a top-level `NAME:value` or `NAME;params:value` line.
fn value_of<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let head = line.get(..name.len())?;
    let rest = &line[name.len()..];
    if !head.eq_ignore_ascii_case(name) || !(rest.starts_with(':') || rest.starts_with(';')) {
        return None;
    }
    rest.split_once(':').map(|(_, v)| v.trim())
}

/// A property line's name is letters, digits and dashes, then `;` or `:`.
fn well_formed(line: &str) -> bool {
    let name_end = line.find([':', ';']).unwrap_or(0);
    name_end > 0 && line.contains(':') && line[..name_end].chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn read_event(lines: &[&str], zones: &mut Zones, malformed: &mut usize) -> Result<Event, String> {
    let kept: Vec<&str> = lines.iter().copied().filter(|l| well_formed(l)).collect();
    *malformed += lines.len() - kept.len();
    let text = kept.join("\n") + "\n";
    let components = read_components(&text).map_err(|_| "not a readable VEVENT".to_owned())?;
    let component = components.first().ok_or("not a readable VEVENT")?;
    Event::from_component(component, zones)
}

impl Event {
    fn from_component(c: &Component<'_>, zones: &mut Zones) -> Result<Self, String> {
        let text = |name: &str| {
            c.find_prop(name)
                .map(|p| p.val.clone().unescape_text().as_str().trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let uid = text("UID").ok_or("no UID")?;
        let start_prop = c.find_prop("DTSTART").ok_or("no DTSTART")?;
        let start =
            stamp(start_prop, zones).ok_or_else(|| format!("start “{}” is not a date", start_prop.val.as_str()))?;
        let end = c.find_prop("DTEND").and_then(|p| stamp(p, zones));
        let title = text("SUMMARY").unwrap_or_else(|| "(no title)".to_owned());
        let status = text("STATUS").unwrap_or_default();
        let mut exdates = Vec::new();
        let mut rdates = Vec::new();
        let mut attendees: Vec<MeetingAttendee> = Vec::new();
        for p in &c.properties {
            match p.name.as_str().to_ascii_uppercase().as_str() {
                "EXDATE" => exdates.extend(stamps(p, zones)),
                "RDATE" => rdates.extend(stamps(p, zones)),
                "ATTENDEE" | "ORGANIZER" => {
                    if let Some(a) = attendee(p).filter(|a| !attendees.iter().any(|b| b.email == a.email)) {
                        attendees.push(a);
                    }
                }
                _ => {}
            }
        }
        Ok(Self {
            uid,
            sequence: text("SEQUENCE").and_then(|s| s.parse().ok()).unwrap_or(0),
            recurrence_id: c.find_prop("RECURRENCE-ID").and_then(|p| stamp(p, zones)),
            start,
            end,
            duration: text("DURATION").and_then(|d| duration(&d)),
            rrule: text("RRULE"),
            exdates,
            rdates,
            cancelled: status.eq_ignore_ascii_case("CANCELLED"),
            title,
            location: text("LOCATION"),
            attendees,
        })
    }
}

fn param<'a>(p: &'a Property<'_>, key: &str) -> Option<&'a str> {
    p.params.iter().find(|x| x.key.as_str().eq_ignore_ascii_case(key)).and_then(|x| x.val.as_ref()).map(|v| v.as_str())
}

fn stamp(p: &Property<'_>, zones: &mut Zones) -> Option<Stamp> {
    stamps(p, zones).into_iter().next()
}

/// A date-time property's values (EXDATE and RDATE may list several, comma-separated).
fn stamps(p: &Property<'_>, zones: &mut Zones) -> Vec<Stamp> {
    let is_date = param(p, "VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE"));
    let zone = param(p, "TZID").map(|id| zones.resolve(id));
    p.val.as_str().split(',').filter_map(|v| one_stamp(v.trim(), is_date, zone, zones.local())).collect()
}

fn one_stamp(v: &str, is_date: bool, zone: Option<Tz>, local: Tz) -> Option<Stamp> {
    if is_date || v.len() == 8 {
        return NaiveDate::parse_from_str(v, "%Y%m%d").ok().map(Stamp::Day);
    }
    if let Some(utc) = v.strip_suffix(['Z', 'z']) {
        return NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S").ok().map(|t| Stamp::At(t, Tz::UTC));
    }
    NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S").ok().map(|t| Stamp::At(t, zone.unwrap_or(local)))
}

fn attendee(p: &Property<'_>) -> Option<MeetingAttendee> {
    let cutype = param(p, "CUTYPE").unwrap_or("INDIVIDUAL");
    if cutype.eq_ignore_ascii_case("ROOM") || cutype.eq_ignore_ascii_case("RESOURCE") {
        return None;
    }
    let value = p.val.as_str().trim();
    let email = value.get(..7).filter(|s| s.eq_ignore_ascii_case("mailto:")).map_or(value, |_| &value[7..]);
    let email = email.trim().to_lowercase();
    if !email.contains('@') || email.len() > 254 {
        return None;
    }
    let name =
        param(p, "CN").map(|n| n.trim().trim_matches('"').trim().to_owned()).filter(|n| !n.is_empty() && *n != email);
    Some(MeetingAttendee { email, name })
}

/// An RFC 5545 duration: `P1D`, `PT1H30M`, `P2W`, `-PT15M` (negative ones are refused).
pub(super) fn duration(text: &str) -> Option<Duration> {
    let rest = text.trim().strip_prefix('+').unwrap_or(text.trim()).strip_prefix('P')?;
    let (mut total, mut number, mut in_time) = (Duration::zero(), String::new(), false);
    for c in rest.chars() {
        match c {
            '0'..='9' => number.push(c),
            'T' => in_time = true,
            unit => {
                let n: i64 = number.parse().ok()?;
                number.clear();
                total += match (unit, in_time) {
                    ('W', false) => Duration::weeks(n),
                    ('D', false) => Duration::days(n),
                    ('H', true) => Duration::hours(n),
                    ('M', true) => Duration::minutes(n),
                    ('S', true) => Duration::seconds(n),
                    _ => return None,
                };
            }
        }
    }
    number.is_empty().then_some(total)
}
