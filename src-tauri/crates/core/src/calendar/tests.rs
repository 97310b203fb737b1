use std::collections::HashSet;

use chrono::{NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use super::matching::{guess_internal_domain, normalize_domain};
use super::*;
use crate::model::MeetingMatchKind;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn corpus(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/calendars").join(name);
    String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned()
}

fn read_corpus(name: &str, zone: Tz) -> ParsedCalendar {
    read(&corpus(name), zone, Window::around(day(2026, 12, 1)))
}

fn titled<'a>(cal: &'a ParsedCalendar, title: &str) -> Vec<&'a Occurrence> {
    cal.occurrences.iter().filter(|o| o.title == title).collect()
}

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

#[test]
fn a_google_export_expands_the_series_with_its_exceptions_moves_cancellations_and_updates() {
    let cal = read_corpus("google-export.ics", Tz::Europe__Berlin);
    assert_eq!(cal.name.as_deref(), Some("dana@csmdesk.example"));
    assert!(cal.skipped.is_empty(), "{:?}", cal.skipped);
    let weekly = titled(&cal, "Acme / CSM Desk weekly sync");
    let starts: Vec<_> = weekly.iter().map(|o| o.when).collect();
    // Mondays 10:00 New York (15:00 UTC in winter): 2 Nov, 9 Nov; 16 Nov excluded; 23 Nov moved;
    // 30 Nov cancelled; 7, 14, 21, 28 Dec (UNTIL 31 Dec).
    let expect = [(11, 2), (11, 9), (12, 7), (12, 14), (12, 21), (12, 28)];
    assert_eq!(starts.len(), expect.len(), "{starts:?}");
    for ((m, d), when) in expect.iter().zip(&starts) {
        assert_eq!(*when, When::Timed { start: utc(2026, *m, *d, 15, 0), end: utc(2026, *m, *d, 15, 30) });
    }
    let moved = titled(&cal, "Acme / CSM Desk weekly sync (moved)");
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].when, When::Timed { start: utc(2026, 11, 25, 19, 0), end: utc(2026, 11, 25, 19, 30) });
    assert_eq!(moved[0].uid, weekly[0].uid, "the override is an occurrence of the series");
    let emails: Vec<&str> = weekly[0].attendees.iter().map(|a| a.email.as_str()).collect();
    assert_eq!(emails, ["dana@csmdesk.example", "priya.natarajan@acme-corp.example"], "the room is left out");
    assert_eq!(weekly[0].attendees[1].name.as_deref(), Some("Priya Natarajan"));
    assert_eq!(weekly[0].location.as_deref(), Some("Google Meet"));

    assert!(titled(&cal, "Globex QBR").is_empty(), "the later SEQUENCE replaces the first");
    assert_eq!(titled(&cal, "Globex QBR (new time)").len(), 1);
    let offsite = titled(&cal, "Team offsite");
    assert_eq!(offsite[0].when, When::AllDay { first: day(2026, 12, 4), last: day(2026, 12, 4) });
    let keys: HashSet<_> = cal.occurrences.iter().map(|o| &o.key).collect();
    assert_eq!(keys.len(), cal.occurrences.len(), "occurrence keys are unique");
    assert_eq!(cal.events, 3);
}

#[test]
fn outlook_windows_zone_names_are_read_through_cldr() {
    let cal = read_corpus("outlook-invite-windows-tz.ics", Tz::America__New_York);
    assert!(cal.skipped.is_empty(), "{:?}", cal.skipped);
    let call = titled(&cal, "Initech renewal call");
    // 14:00 in Berlin in December is 13:00 UTC.
    assert_eq!(call[0].when, When::Timed { start: utc(2026, 12, 10, 13, 0), end: utc(2026, 12, 10, 14, 0) });
    assert_eq!(call[0].attendees[0].name.as_deref(), Some("Jonas Müller"));
    assert_eq!(call[0].attendees.len(), 3);

    let cal = read_corpus("outlook-export-recurring.ics", Tz::Europe__London);
    let standups = titled(&cal, "Umbrella onboarding stand-up");
    // Ten Thursdays from 5 Nov, two excluded; 9:00 Pacific = 17:00 UTC.
    assert_eq!(standups.len(), 8);
    assert!(standups
        .iter()
        .all(|o| matches!(o.when, When::Timed { start, .. } if start.format("%H:%M").to_string() == "17:00")));
    let hooli = titled(&cal, "Hooli check-in");
    assert_eq!(
        hooli[0].when,
        When::Timed { start: utc(2026, 12, 8, 9, 0), end: utc(2026, 12, 8, 10, 0) },
        "mozilla-prefixed id"
    );
    // A zone nobody knows is read in the CSM's, and said so.
    let legacy = titled(&cal, "Internal pipeline review");
    assert_eq!(legacy[0].when, When::Timed { start: utc(2026, 12, 7, 10, 0), end: utc(2026, 12, 7, 11, 0) });
    assert_eq!(cal.skipped.len(), 1, "{:?}", cal.skipped);
    assert!(cal.skipped[0].contains("(UTC+01:00) Amsterdam"), "{:?}", cal.skipped);
}

#[test]
fn floating_times_missing_ends_and_all_day_events() {
    let cal = read_corpus("no-dtend-floating.ics", Tz::Europe__Berlin);
    assert!(cal.skipped.is_empty(), "{:?}", cal.skipped);
    let floating = titled(&cal, "Floating call with no end")[0];
    // 9:00 wherever the CSM is (Berlin: 8:00 UTC), the default 30 minutes long.
    assert_eq!(floating.when, When::Timed { start: utc(2026, 12, 9, 8, 0), end: utc(2026, 12, 9, 8, 30) });
    assert_eq!(floating.local(Tz::Europe__Berlin), (day(2026, 12, 9), Some("09:00".to_owned()), 30));
    let workshop = titled(&cal, "Workshop with a duration")[0];
    assert_eq!(workshop.when, When::Timed { start: utc(2026, 12, 9, 13, 0), end: utc(2026, 12, 9, 14, 30) });
    assert_eq!(
        titled(&cal, "Public holiday")[0].when,
        When::AllDay { first: day(2026, 12, 11), last: day(2026, 12, 11) }
    );
    assert_eq!(titled(&cal, "Conference")[0].when, When::AllDay { first: day(2026, 12, 14), last: day(2026, 12, 16) });
}

#[test]
fn malformed_lines_and_events_are_skipped_and_said() {
    let cal = read_corpus("malformed-lines.ics", Tz::UTC);
    assert_eq!(titled(&cal, "Survives a broken line").len(), 1, "{:?}", cal.skipped);
    assert_eq!(titled(&cal, "Survives a broken line")[0].attendees.len(), 1);
    let said = cal.skipped.join(" | ");
    assert!(said.contains("no DTSTART"), "{said}");
    assert!(said.contains("“tomorrow at ten” is not a date"), "{said}");
    assert!(said.contains("repeat rule could not be read"), "{said}");
    assert!(said.contains("malformed line"), "{said}");
    // The nonsense rule still gives its first occurrence.
    assert_eq!(titled(&cal, "Rule is nonsense").len(), 1);
}

#[test]
fn what_is_not_a_calendar_gives_nothing_and_says_so() {
    for name in ["not-a-calendar.ics", "bad-binary.ics"] {
        let cal = read_corpus(name, Tz::UTC);
        assert!(cal.occurrences.is_empty(), "{name}");
        assert!(cal.skipped[0].contains("not a calendar"), "{name}: {:?}", cal.skipped);
    }
    let cal = read_corpus("cancelled-invite.ics", Tz::UTC);
    assert!(cal.occurrences.is_empty());
    assert_eq!(cal.events, 1);
}

#[test]
fn every_corpus_file_reads_without_panicking() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/calendars");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = String::from_utf8_lossy(&std::fs::read(entry.unwrap().path()).unwrap()).into_owned();
        for cut in [text.len(), text.len() / 2, text.len() / 3] {
            let cut = (0..=cut).rev().find(|i| text.is_char_boundary(*i)).unwrap();
            read(&text[..cut], Tz::UTC, Window::around(day(2026, 12, 1)));
        }
        seen += 1;
    }
    assert!(seen >= 8);
}

/// Found by fuzzing: `rrule` sliced a non-ASCII BYDAY mid-character and panicked.
#[test]
fn a_rule_with_non_ascii_text_is_skipped_not_a_crash() {
    let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20261201T090000Z\nRRULE:FREQ=WEEKLY;BYDAY=1\u{e9}MO\nSUMMARY:Odd\nEND:VEVENT\nEND:VCALENDAR\n";
    let cal = read(text, Tz::UTC, Window::around(day(2026, 12, 1)));
    assert_eq!(cal.occurrences.len(), 1, "its first occurrence");
    assert!(cal.skipped[0].contains("repeat rule could not be read"), "{:?}", cal.skipped);
}

#[test]
fn a_series_without_end_stops_at_the_window_and_the_cap() {
    let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:daily\nDTSTART:20200101T090000Z\nRRULE:FREQ=MINUTELY\nSUMMARY:Too often\nEND:VEVENT\nEND:VCALENDAR\n";
    let cal = read(text, Tz::UTC, Window::around(day(2026, 12, 1)));
    assert!(cal.occurrences.len() <= usize::from(MAX_OCCURRENCES_PER_SERIES));
    let text = text.replace("FREQ=MINUTELY", "FREQ=DAILY");
    let cal = read(&text, Tz::UTC, Window::around(day(2026, 12, 1)));
    assert!((420..=430).contains(&cal.occurrences.len()), "{}", cal.occurrences.len());
}

#[test]
fn a_large_calendar_reads_whole() {
    let text = crate::sample::calendar::synthetic(20_000, day(2026, 11, 1), &["acme.example".to_owned()]);
    assert!(text.len() > 10_000_000, "{}", text.len());
    let cal = read(&text, Tz::Europe__Berlin, Window::around(day(2026, 12, 1)));
    assert_eq!(cal.events, 20_000);
    assert!(cal.skipped.is_empty(), "{:?}", cal.skipped);
    assert!(cal.occurrences.len() > 20_000);
}

fn attendee(email: &str) -> MeetingAttendee {
    MeetingAttendee { email: email.to_owned(), name: None }
}

fn directory() -> Directory {
    let mut dir = Directory::default();
    dir.contacts.insert("priya@acme.example".into(), "acme".into());
    dir.contacts.insert("sam@globex.example".into(), "globex".into());
    dir.domains.insert("acme.example".into(), "acme".into());
    dir.domains.insert("initech.example".into(), "initech".into());
    dir.assigned.insert("umbrella.example".into(), "umbrella".into());
    dir.assigned.insert("kim@gmail.com".into(), "stark".into());
    dir.internal.insert("csmdesk.example".into());
    dir
}

#[test]
fn a_meeting_is_matched_by_contact_then_domain_then_the_csms_choice() {
    let dir = directory();
    let m = |emails: &[&str]| match_meeting(&emails.iter().map(|e| attendee(e)).collect::<Vec<_>>(), &dir);
    let me = "dana@csmdesk.example";
    assert_eq!(m(&[me, "priya@acme.example"]).kind, MeetingMatchKind::Contact);
    // A known contact wins over another attendee's domain.
    let both = m(&[me, "new@initech.example", "sam@globex.example"]);
    assert_eq!((both.kind, both.account_id.as_deref()), (MeetingMatchKind::Contact, Some("globex")));
    let by_domain = m(&[me, "someone.new@initech.example"]);
    assert_eq!((by_domain.kind, by_domain.account_id.as_deref()), (MeetingMatchKind::Domain, Some("initech")));
    assert_eq!(m(&["x@umbrella.example"]).account_id.as_deref(), Some("umbrella"));
    assert_eq!(m(&["kim@gmail.com"]).kind, MeetingMatchKind::Assigned);
    let other_gmail = m(&["lee@gmail.com"]);
    assert_eq!((other_gmail.kind, other_gmail.domain.as_deref()), (MeetingMatchKind::Unmatched, Some("lee@gmail.com")));
    assert_eq!(m(&[me, "lead@csmdesk.example"]).kind, MeetingMatchKind::Internal);
    assert_eq!(m(&[]).kind, MeetingMatchKind::Internal, "no attendees: the CSM's own time");
    let unknown = m(&[me, "a@hooli.example"]);
    assert_eq!((unknown.kind, unknown.domain.as_deref()), (MeetingMatchKind::Unmatched, Some("hooli.example")));
}

#[test]
fn the_csms_domain_is_guessed_from_the_meetings_and_domains_are_normalised() {
    let dana = || attendee("dana@csmdesk.example");
    let mut meetings = vec![
        vec![dana(), attendee("p@acme.example")],
        vec![dana(), attendee("s@globex.example")],
        vec![dana()],
        vec![],
    ];
    let dir = directory();
    let guess =
        |m: &[Vec<MeetingAttendee>], name: Option<&str>| guess_internal_domain(name, m.iter().map(Vec::as_slice), &dir);
    assert_eq!(guess(&meetings, None), None, "three meetings say too little");
    meetings.extend([vec![dana(), attendee("x@hooli.example")], vec![dana(), attendee("y@hooli.example")]]);
    assert_eq!(guess(&meetings, None).as_deref(), Some("csmdesk.example"));
    assert_eq!(guess(&meetings, Some("Dana@Ops.example")).as_deref(), Some("ops.example"), "Google names the export");
    // A customer's domain in every meeting is never taken for the CSM's.
    let acme_only: Vec<Vec<MeetingAttendee>> = (0..6).map(|_| vec![attendee("p@acme.example")]).collect();
    assert_eq!(guess(&acme_only, None), None);
    assert_eq!(guess(&acme_only, Some("priya@acme.example")), None);
    let gmail: Vec<Vec<MeetingAttendee>> = (0..6).map(|_| vec![attendee("a@gmail.com")]).collect();
    assert_eq!(guess(&gmail, None), None);
    assert_eq!(normalize_domain("https://www.Acme.com/about").as_deref(), Some("acme.com"));
    assert_eq!(normalize_domain("acme.com").as_deref(), Some("acme.com"));
    assert_eq!(normalize_domain("localhost"), None);
}

#[test]
fn durations_as_rfc_5545_writes_them() {
    use super::parse::duration;
    assert_eq!(duration("PT1H30M"), Some(chrono::Duration::minutes(90)));
    assert_eq!(duration("P1D"), Some(chrono::Duration::days(1)));
    assert_eq!(duration("P2W"), Some(chrono::Duration::weeks(2)));
    assert_eq!(duration("P0DT0H10M0S"), Some(chrono::Duration::minutes(10)));
    assert_eq!(duration("-PT15M"), None);
    assert_eq!(duration("PT"), Some(chrono::Duration::zero()));
    assert_eq!(duration("P1H"), None);
}
