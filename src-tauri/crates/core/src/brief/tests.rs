use std::collections::HashSet;

use chrono::NaiveDate;

use super::*;
use crate::model::{MeetingAttendee, MeetingMatchKind};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn note(id: &str, d: NaiveDate, first: &str, contacts: &[&str]) -> NoteFact {
    NoteFact {
        id: id.into(),
        day: d,
        first_line: first.into(),
        contact_ids: contacts.iter().map(|c| c.to_string()).collect(),
    }
}

fn meeting(title: &str, attendees: &[(&str, Option<&str>)]) -> Meeting {
    Meeting {
        id: "cal/uid#1".into(),
        calendar_id: "cal".into(),
        calendar_name: "Work".into(),
        title: title.into(),
        location: None,
        day: day(12, 3),
        time: Some("15:00".into()),
        minutes: 30,
        starts_at: None,
        attendees: attendees
            .iter()
            .map(|(e, n)| MeetingAttendee { email: e.to_string(), name: n.map(str::to_owned) })
            .collect(),
        account_id: Some("acme".into()),
        account_name: Some("Acme".into()),
        match_kind: MeetingMatchKind::Contact,
        domain: None,
    }
}

fn facts() -> BriefFacts {
    BriefFacts {
        account_id: "acme".into(),
        account_name: "Acme <Corp>".into(),
        meeting: Some(meeting("Acme weekly", &[("priya@acme.example", Some("Priya N"))])),
        notes: vec![
            note("n3", day(11, 28), "Budget talk with finance", &["c-sam"]),
            note("n2", day(11, 12), "Rollout review with Priya", &["c-priya"]),
            note("n1", day(10, 1), "Kick-off", &["c-priya", "c-sam"]),
        ],
        health_then: Some(HealthMark {
            day: day(11, 12),
            score: 74,
            band: Band::Green,
            measures: vec![(Measure::Adoption, 85.0), (Measure::Support, 60.0)],
        }),
        health_now: Some(HealthMark {
            day: day(12, 3),
            score: 58,
            band: Band::Yellow,
            measures: vec![(Measure::Adoption, 40.0), (Measure::Support, 55.0)],
        }),
        tickets: vec![
            TicketReading { signal_id: "s1".into(), critical: false, day: day(11, 10), open: 3.0 },
            TicketReading { signal_id: "s2".into(), critical: false, day: day(12, 1), open: 5.0 },
        ],
        overdue_tasks: vec![Item { id: "t1".into(), text: "Send the SSO guide".into(), day: Some(day(11, 30)) }],
        next_steps: vec![Item { id: "t2".into(), text: "Book the exec call".into(), day: None }],
        metrics: vec![
            Item { id: "m1".into(), text: "Tickets deflected".into(), day: Some(day(6, 1)) },
            Item { id: "m2".into(), text: "Weekly active users".into(), day: Some(day(11, 20)) },
        ],
        renewal: Some(RenewalFact {
            date: day(12, 31),
            arr: Money::new(4_000_000, "EUR"),
            forecast: Some("At risk".into()),
        }),
        risks: vec![Item { id: "r1".into(), text: "Budget cut — plan in place".into(), day: None }],
        people: vec![PersonFact {
            contact_id: Some("c-priya".into()),
            name: "Priya N".into(),
            email: "priya@acme.example".into(),
            role: Some("champion".into()),
            stance: Some("skeptic".into()),
            last_touch: Some(day(11, 12)),
        }],
    }
}

#[test]
fn the_last_touch_is_with_these_attendees_else_the_latest_note() {
    let f = facts();
    let priya: HashSet<String> = ["c-priya".to_owned()].into();
    assert_eq!(last_touch(&f.notes, &priya).unwrap().id, "n2");
    assert_eq!(last_touch(&f.notes, &HashSet::new()).unwrap().id, "n3");
    assert!(last_touch(&[], &priya).is_none());
}

#[test]
fn the_brief_says_what_changed_what_is_open_and_who_is_coming_each_line_traceable() {
    let f = facts();
    let b = brief(&f, &["c-priya".to_owned()].into(), day(12, 3));
    assert_eq!(b.since, Some(day(11, 12)));
    let all: Vec<&BriefLine> = b.sections.iter().flat_map(|s| &s.lines).collect();
    let find =
        |needle: &str| all.iter().find(|l| l.text.contains(needle)).unwrap_or_else(|| panic!("{needle}: {all:#?}"));
    assert_eq!(find("Last touch 12 Nov 2026 (21 days ago)").source_id, "n2");
    let health = find("Health 58 (yellow) now, 74 (green) on 12 Nov 2026; Adoption moved most (85 → 40)");
    assert_eq!(health.source, BriefSource::Health);
    assert_eq!(find("Tickets open: 3 on 10 Nov 2026 → 5 on 1 Dec 2026 (2 more)").source_id, "s2");
    assert_eq!(find("Overdue: Send the SSO guide (due 30 Nov 2026, 3 days ago)").source, BriefSource::Task);
    assert_eq!(find("Next step from the last note: Book the exec call").source_id, "t2");
    assert_eq!(find("Success metric to confirm: Tickets deflected (last confirmed 1 Jun 2026)").source_id, "m1");
    assert!(!all.iter().any(|l| l.text.contains("Weekly active users")), "confirmed 13 days ago");
    assert_eq!(find("Renewal 31 Dec 2026").text, "Renewal 31 Dec 2026 (in 28 days), 40,000 EUR ARR, forecast At risk");
    assert_eq!(find("Open risk: Budget cut").source_id, "r1");
    assert_eq!(find("Priya N <priya@acme.example>, champion: last in a note 12 Nov 2026").source, BriefSource::Contact);
    assert!(find("stance: skeptic").private);
    assert_eq!(b.sections[4].lines.len(), 3, "the last three notes");
}

#[test]
fn the_markdown_leaves_out_stances_and_shows_text_as_written() {
    let b = brief(&facts(), &HashSet::new(), day(12, 3));
    assert!(b.markdown.starts_with("# Brief: Acme \\<Corp\\>\n"), "{}", b.markdown);
    assert!(b.markdown.contains("Acme weekly — 3 Dec 2026 15:00"));
    assert!(b.markdown.contains("## Renewal and risks"));
    assert!(!b.markdown.contains("skeptic"), "private");
    assert!(b.markdown.contains("- Last touch 28 Nov 2026"), "no attendees given: the latest note");
}

#[test]
fn an_empty_account_still_gets_a_brief() {
    let f = BriefFacts { account_id: "x".into(), account_name: "New".into(), ..BriefFacts::default() };
    let b = brief(&f, &HashSet::new(), day(12, 3));
    assert_eq!(b.sections[0].lines[0].text, "No note on this account yet.");
    assert!(b.sections[1..].iter().all(|s| s.lines.is_empty()));
}

#[test]
fn a_held_meeting_prefills_its_note() {
    let m = meeting(
        "Acme Q4 Business Review",
        &[("dana@csmdesk.example", Some("Dana")), ("priya@acme.example", Some("P. N.")), ("new@acme.example", None)],
    );
    let contacts = [("c-priya".to_owned(), "Priya Natarajan".to_owned(), "Priya@Acme.example".to_owned())];
    let input = note_prefill(&m, "acme", &contacts, &["csmdesk.example".to_owned()]);
    assert_eq!(
        (input.account_id.as_str(), input.occurred_at.as_str(), input.template.as_str()),
        ("acme", "2026-12-03T15:00", "qbr")
    );
    let names: Vec<(&Option<String>, &str)> =
        input.attendees.iter().map(|a| (&a.contact_id, a.name.as_str())).collect();
    assert_eq!(names, [(&Some("c-priya".to_owned()), "Priya Natarajan"), (&None, "new@acme.example")]);
    assert!(input.private, "a note starts private, as in the editor");
    for (title, template) in [
        ("Renewal prep", "renewal"),
        ("Kick-off call", "onboarding"),
        ("P1 incident follow-up", "escalation"),
        ("Weekly sync", "check_in"),
    ] {
        assert_eq!(template_for(title), template, "{title}");
    }
}
