//! Events to occurrences in the window: a later SEQUENCE of the same UID replaces the earlier
//! (an update), a cancelled event has none, a series is expanded by `rrule` with its EXDATEs and
//! RDATEs, and a RECURRENCE-ID override replaces (or cancels) the occurrence it names.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use rrule::{RRule, RRuleSet, Unvalidated};

use super::parse::{Event, Stamp};
use super::{
    Occurrence, ParsedCalendar, When, Window, DEFAULT_MEETING_MINUTES, MAX_OCCURRENCES, MAX_OCCURRENCES_PER_SERIES,
};

/// A series: its main event (the latest sequence) and its overridden occurrences by original start.
#[derive(Default)]
struct Series {
    main: Option<Event>,
    overrides: BTreeMap<i64, Event>,
}

pub(super) fn occurrences(events: Vec<Event>, zone: Tz, window: Window, out: &mut ParsedCalendar) {
    let mut order: Vec<String> = Vec::new();
    let mut series: HashMap<String, Series> = HashMap::new();
    for event in events {
        let entry = series.entry(event.uid.clone()).or_insert_with(|| {
            order.push(event.uid.clone());
            Series::default()
        });
        match event.recurrence_id {
            Some(id) => {
                let key = instant(id, zone).timestamp();
                if entry.overrides.get(&key).is_none_or(|o| o.sequence <= event.sequence) {
                    entry.overrides.insert(key, event);
                }
            }
            None if entry.main.as_ref().is_none_or(|m| m.sequence <= event.sequence) => entry.main = Some(event),
            None => {}
        }
    }
    out.events = series.len();
    let mut truncated = false;
    for uid in order {
        let Some(s) = series.remove(&uid) else { continue };
        let before = out.occurrences.len();
        expand_series(s, zone, window, out);
        if out.occurrences.len() > MAX_OCCURRENCES {
            out.occurrences.truncate(before);
            truncated = true;
            break;
        }
    }
    if truncated {
        out.skipped.push(format!("More than {MAX_OCCURRENCES} meetings in the window: the rest were not imported."));
    }
    out.occurrences.sort_by(|a, b| (start_of(a), &a.key).cmp(&(start_of(b), &b.key)));
}

fn start_of(o: &Occurrence) -> DateTime<Utc> {
    match o.when {
        When::Timed { start, .. } => start,
        When::AllDay { first, .. } => first.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
    }
}

fn expand_series(mut s: Series, zone: Tz, window: Window, out: &mut ParsedCalendar) {
    let Some(main) = s.main.take() else {
        // Only overrides (an invite for one occurrence): each is a meeting of its own.
        for o in s.overrides.into_values().filter(|o| !o.cancelled) {
            push(&o, o.start, zone, window, out);
        }
        return;
    };
    if main.cancelled {
        return;
    }
    let Some(rule) = main.rrule.as_deref() else {
        push(&main, main.start, zone, window, out);
        for o in s.overrides.into_values().filter(|o| !o.cancelled) {
            push(&o, o.start, zone, window, out);
        }
        return;
    };
    let starts = match guarded_recurrences(&main, rule, window) {
        Ok(starts) => starts,
        Err(why) => {
            out.skipped.push(format!(
                "“{}”: its repeat rule could not be read ({why}); only its first occurrence was imported.",
                main.title
            ));
            vec![main.start]
        }
    };
    for start in starts {
        let key = instant(start, zone).timestamp();
        match s.overrides.remove(&key) {
            Some(o) if o.cancelled => {}
            Some(o) => push_keyed(&o, o.start, Some(key), zone, window, out),
            None => push_keyed(&main, start, Some(key), zone, window, out),
        }
    }
    // Overrides whose original start is outside the expanded window but were moved into it.
    for (key, o) in s.overrides.into_iter().filter(|(_, o)| !o.cancelled) {
        push_keyed(&o, o.start, Some(key), zone, window, out);
    }
}

/// `recurrences`, with what `rrule` cannot take refused first (a rule is ASCII by RFC 5545: the
/// crate slices non-ASCII text mid-character and panics), and any other panic of the crate turned
/// into a skipped rule rather than a crashed import.
fn guarded_recurrences(main: &Event, rule: &str, window: Window) -> Result<Vec<Stamp>, String> {
    if !rule.is_ascii() {
        return Err("it has characters a rule cannot have".to_owned());
    }
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| recurrences(main, rule, window)))
        .unwrap_or_else(|_| Err("the recurrence library could not read it".to_owned()))
}

/// The series' starts in the window (a little before it too, so a long meeting is not lost).
fn recurrences(main: &Event, rule: &str, window: Window) -> Result<Vec<Stamp>, String> {
    let rrule_zone = |s: Stamp| match s {
        Stamp::At(t, tz) => (t, tz),
        Stamp::Day(d) => (d.and_hms_opt(0, 0, 0).unwrap_or_default(), Tz::UTC),
    };
    let (start, tz) = rrule_zone(main.start);
    let tz_r = rrule::Tz::Tz(tz);
    let at = |t: chrono::NaiveDateTime, z: Tz| {
        z.from_local_datetime(&t).earliest().map(|d| d.with_timezone(&rrule::Tz::Tz(z)))
    };
    let dt_start = at(start, tz).ok_or("its start does not exist in its time zone")?;
    let parsed: RRule<Unvalidated> = rule.parse().map_err(|e: rrule::RRuleError| e.to_string())?;
    let mut set: RRuleSet = parsed.build(dt_start).map_err(|e| e.to_string())?;
    for ex in &main.exdates {
        let (t, z) = rrule_zone(*ex);
        if let Some(d) = at(t, z) {
            set = set.exdate(d.with_timezone(&tz_r));
        }
    }
    for r in &main.rdates {
        let (t, z) = rrule_zone(*r);
        if let Some(d) = at(t, z) {
            set = set.rdate(d.with_timezone(&tz_r));
        }
    }
    let from = (window.from - Duration::days(1)).with_timezone(&tz_r);
    let result = set.after(from).before(window.to.with_timezone(&tz_r)).all(MAX_OCCURRENCES_PER_SERIES);
    Ok(result
        .dates
        .into_iter()
        .map(|d| match main.start {
            Stamp::Day(_) => Stamp::Day(d.date_naive()),
            Stamp::At(_, z) => Stamp::At(d.with_timezone(&z).naive_local(), z),
        })
        .collect())
}

fn instant(s: Stamp, zone: Tz) -> DateTime<Utc> {
    match s {
        Stamp::At(t, tz) => {
            tz.from_local_datetime(&t).earliest().map_or_else(|| t.and_utc(), |d| d.with_timezone(&Utc))
        }
        Stamp::Day(d) => zone
            .from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .map_or_else(|| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(), |d| d.with_timezone(&Utc)),
    }
}

fn push(e: &Event, start: Stamp, zone: Tz, window: Window, out: &mut ParsedCalendar) {
    let key = e.recurrence_id.map(|r| instant(r, zone).timestamp());
    push_keyed(e, start, key, zone, window, out);
}

fn push_keyed(e: &Event, start: Stamp, key: Option<i64>, zone: Tz, window: Window, out: &mut ParsedCalendar) {
    let when = when(e, start, zone);
    let (first, last) = match when {
        When::Timed { start, end } => (start, end.max(start)),
        When::AllDay { first, last } => (day_start(first), day_start(last) + Duration::days(1)),
    };
    if last < window.from || first > window.to {
        return;
    }
    out.occurrences.push(Occurrence {
        uid: e.uid.clone(),
        key: match key {
            Some(k) => format!("{}#{k}", e.uid),
            None => e.uid.clone(),
        },
        title: e.title.clone(),
        location: e.location.clone(),
        when,
        attendees: e.attendees.clone(),
    });
}

fn day_start(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// When an occurrence starting at `start` runs: its end from DTEND's offset, DURATION, or defaults.
fn when(e: &Event, start: Stamp, zone: Tz) -> When {
    match start {
        Stamp::Day(first) => {
            let days = match (e.start, e.end) {
                (Stamp::Day(s), Some(Stamp::Day(end))) => (end - s).num_days().max(1),
                _ => e.duration.map_or(1, |d| d.num_days().max(1)),
            };
            When::AllDay { first, last: first + Duration::days(days - 1) }
        }
        Stamp::At(..) => {
            let begins = instant(start, zone);
            let length = match e.end {
                Some(end) => instant(end, zone) - instant(e.start, zone),
                None => e.duration.unwrap_or(Duration::minutes(DEFAULT_MEETING_MINUTES)),
            };
            let length = if length < Duration::zero() || length > Duration::days(14) {
                Duration::minutes(DEFAULT_MEETING_MINUTES)
            } else {
                length
            };
            When::Timed { start: begins, end: begins + length }
        }
    }
}
