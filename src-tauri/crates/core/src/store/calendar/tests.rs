//! Calendars in the store: a read replaces the calendar's meetings matched to accounts, the Week
//! counts them, a failed read keeps the last copy, a deleted calendar takes its meetings only,
//! assignments are remembered, and the brief and note start come from the account's records.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::model::{AccountInput, CalendarInput, ContactInput, MeetingMatchKind, NoteInput, TaskInput};
use crate::store::{CalendarText, Store};
use crate::validate;

fn now() -> DateTime<Utc> {
    "2026-12-03T10:00:00Z".parse().expect("instant")
}

fn today() -> NaiveDate {
    now().date_naive()
}

const ZONE: Tz = Tz::Europe__Berlin;

fn account(store: &Store, name: &str, domain: &str) -> String {
    let input = AccountInput {
        name: name.into(),
        domain: domain.into(),
        segment: "high_touch".into(),
        lifecycle_stage: "value".into(),
        arr: "40000".into(),
        currency: "EUR".into(),
        ..Default::default()
    };
    store.create_account(&validate::account(&input).expect("valid"), now()).expect("account").id
}

fn contact(store: &Store, account: &str, name: &str, email: &str) -> String {
    let input = ContactInput { name: name.into(), email: email.into(), role: "champion".into(), ..Default::default() };
    store.create_contact(account, &validate::contact(&input).expect("valid"), now(), today()).expect("contact").id
}

fn event(uid: &str, start: &str, title: &str, attendees: &[&str]) -> String {
    let people: String = attendees.iter().map(|a| format!("ATTENDEE:mailto:{a}\n")).collect();
    format!("BEGIN:VEVENT\nUID:{uid}\nDTSTART:{start}\nDURATION:PT45M\nSUMMARY:{title}\nORGANIZER:mailto:dana@csmdesk.example\n{people}END:VEVENT\n")
}

fn calendar_text(events: &[String]) -> String {
    format!("BEGIN:VCALENDAR\nVERSION:2.0\n{}END:VCALENDAR\n", events.concat())
}

fn add_file(store: &Store, dir: &std::path::Path, text: &str) -> String {
    let path = dir.join("work.ics");
    std::fs::write(&path, text).expect("write");
    let input = CalendarInput {
        name: String::new(),
        kind: "file".into(),
        location: path.to_string_lossy().into_owned(),
        refresh_minutes: String::new(),
    };
    let calendar = store.add_calendar(&validate::calendar(&input).expect("valid"), now()).expect("added");
    store.refresh_local_calendar(&calendar.id, ZONE, today(), now(), true).expect("read").id
}

struct Book {
    store: Store,
    acme: String,
    initech: String,
    priya: String,
    dir: tempfile::TempDir,
}

fn book() -> Book {
    let store = Store::open_in_memory().expect("store");
    let acme = account(&store, "Acme", "https://www.acme.example/");
    let initech = account(&store, "Initech", "initech.example");
    let priya = contact(&store, &acme, "Priya Natarajan", "Priya@acme.example");
    Book { store, acme, initech, priya, dir: tempfile::tempdir().expect("dir") }
}

fn week_text() -> String {
    calendar_text(&[
        // Thursday 3 Dec 15:00 UTC = 16:00 Berlin.
        event("acme-sync", "20261203T150000Z", "Acme sync", &["dana@csmdesk.example", "priya@acme.example"]),
        event("initech", "20261204T090000Z", "Initech intro", &["dana@csmdesk.example", "new.person@initech.example"]),
        event("hooli", "20261204T130000Z", "Hooli chat", &["dana@csmdesk.example", "gavin@hooli.example"]),
        event("team", "20261202T080000Z", "Team stand-up", &["dana@csmdesk.example", "lead@csmdesk.example"]),
        event("one-on-one", "20261201T080000Z", "1:1", &["dana@csmdesk.example", "lead@csmdesk.example"]),
    ])
}

#[test]
fn a_read_stores_meetings_matched_to_accounts_and_the_week_counts_them() {
    let b = book();
    let id = add_file(&b.store, b.dir.path(), &week_text());
    let view = b.store.calendars(today()).expect("view");
    assert_eq!(view.internal_domains, ["csmdesk.example"], "guessed from the meetings");
    let cal = &view.calendars[0];
    assert_eq!((cal.name.as_str(), cal.events, cal.meetings), ("work", 5, 5));
    assert_eq!(view.unmatched.len(), 1);
    assert_eq!(view.unmatched[0].domain.as_deref(), Some("hooli.example"));

    let plan = b.store.week_plan(today(), today()).expect("plan");
    let thursday = plan.days.iter().find(|d| d.date == today()).expect("thursday");
    let sync = &thursday.meetings[0];
    assert_eq!((sync.title.as_str(), sync.time.as_deref(), sync.minutes), ("Acme sync", Some("16:00"), 45));
    assert_eq!((sync.match_kind, sync.account_id.as_deref()), (MeetingMatchKind::Contact, Some(b.acme.as_str())));
    assert_eq!(sync.calendar_name, "work");
    assert!(thursday.planned_minutes >= 45, "capacity counts the meeting");
    let friday = plan.days.iter().find(|d| d.date == today().succ_opt().unwrap()).expect("friday");
    let intro = friday.meetings.iter().find(|m| m.title == "Initech intro").expect("intro");
    assert_eq!((intro.match_kind, intro.account_id.as_deref()), (MeetingMatchKind::Domain, Some(b.initech.as_str())));
    let wednesday = &plan.days[2];
    assert_eq!(wednesday.meetings[0].match_kind, MeetingMatchKind::Internal);
    let suggested: Vec<&str> = plan.days.iter().flat_map(|d| &d.suggestions).map(|s| s.account_id.as_str()).collect();
    assert!(!suggested.contains(&b.acme.as_str()), "an account with a meeting this week is not suggested");
    assert!(b.store.take_changes().contains(&crate::model::Topic::Calendar));
    assert_eq!(b.store.calendar(&id).expect("calendar").meetings, 5);
}

#[test]
fn an_assigned_domain_is_remembered_and_a_new_read_keeps_it() {
    let b = book();
    let id = add_file(&b.store, b.dir.path(), &week_text());
    let matched = b.store.assign_meeting_domain("hooli.example", &b.initech).expect("assigned");
    assert_eq!(matched, 1);
    assert_eq!(b.store.calendars(today()).expect("view").unmatched_total, 0);
    b.store.refresh_local_calendar(&id, ZONE, today(), now(), true).expect("read again");
    let friday = b.store.week_plan(today(), today()).expect("plan").days[4].meetings.clone();
    let hooli = friday.iter().find(|m| m.title == "Hooli chat").expect("hooli");
    assert_eq!((hooli.match_kind, hooli.account_id.as_deref()), (MeetingMatchKind::Assigned, Some(b.initech.as_str())));
    assert!(b.store.assign_meeting_domain("hooli.example", "no-such-account").is_err());
    assert!(b.store.assign_meeting_domain("  ", &b.initech).is_err());
}

#[test]
fn a_failed_read_keeps_the_last_copy_and_a_deleted_calendar_takes_only_its_meetings() {
    let b = book();
    let id = add_file(&b.store, b.dir.path(), &week_text());
    let task = TaskInput {
        account_id: b.acme.clone(),
        title: "Prep the Acme sync".into(),
        due_date: today().to_string(),
        ..Default::default()
    };
    let task = b.store.create_task(&validate::task(&task, today()).expect("valid").0, now()).expect("task");
    std::fs::remove_file(b.dir.path().join("work.ics")).expect("gone");
    let after = b.store.refresh_local_calendar(&id, ZONE, today(), now(), true).expect("kept");
    assert!(after.last_error.as_deref().unwrap_or_default().contains("Cannot read"), "{after:?}");
    assert_eq!(after.meetings, 5, "the last good copy stays");
    // An address that answers with a sign-in page keeps the copy too.
    let page = CalendarText("<html><body>Sign in</body></html>".into());
    let after = b.store.store_fetched_calendar(&id, &page, ZONE, today(), now()).expect("kept");
    assert!(after.last_error.as_deref().unwrap_or_default().contains("not a calendar"));
    assert_eq!(after.meetings, 5);

    b.store.delete_calendar(&id).expect("deleted");
    let plan = b.store.week_plan(today(), today()).expect("plan");
    assert!(plan.days.iter().all(|d| d.meetings.is_empty()));
    assert_eq!(b.store.task(&task.id).expect("the task stays").title, "Prep the Acme sync");
    assert!(b.store.delete_calendar(&id).is_err());
}

#[test]
fn a_folder_is_read_again_only_when_its_files_change() {
    let b = book();
    let folder = b.dir.path().join("calendars");
    std::fs::create_dir(&folder).expect("folder");
    std::fs::write(folder.join("a.ics"), week_text()).expect("a");
    std::fs::write(folder.join("notes.txt"), "not a calendar").expect("txt");
    let input = CalendarInput {
        name: "Shared".into(),
        kind: "folder".into(),
        location: folder.to_string_lossy().into_owned(),
        refresh_minutes: "15".into(),
    };
    let cal = b.store.add_calendar(&validate::calendar(&input).expect("valid"), now()).expect("added");
    let first = b.store.refresh_local_calendar(&cal.id, ZONE, today(), now(), false).expect("read");
    assert_eq!(first.meetings, 5);
    let later: DateTime<Utc> = "2026-12-03T11:00:00Z".parse().unwrap();
    let same = b.store.refresh_local_calendar(&cal.id, ZONE, today(), later, false).expect("unchanged");
    assert_eq!(same.refreshed_at, first.refreshed_at, "nothing changed: not read again");
    std::fs::write(
        folder.join("b.ics"),
        calendar_text(&[event("extra", "20261207T100000Z", "Acme roadmap", &["priya@acme.example"])]),
    )
    .expect("b");
    let changed = b.store.refresh_local_calendar(&cal.id, ZONE, today(), later, false).expect("changed");
    assert_eq!((changed.meetings, changed.refreshed_at), (6, Some(later)));
    assert_eq!(b.store.calendars_due(later).expect("due").len(), 1, "a folder is always looked at");
}

#[test]
fn the_brief_and_the_note_start_come_from_the_accounts_records() {
    let b = book();
    add_file(&b.store, b.dir.path(), &week_text());
    let note = NoteInput {
        account_id: b.acme.clone(),
        occurred_at: "2026-11-20T10:00".into(),
        title: "Rollout review".into(),
        body_md: "Rollout slipped.\n\n## Next steps\n- [ ] Send the SSO guide".into(),
        attendees: vec![crate::model::Attendee { contact_id: Some(b.priya.clone()), name: "Priya Natarajan".into() }],
        action_items: vec![crate::model::ActionItemInput {
            title: "Send the SSO guide".into(),
            due_date: String::new(),
            include: true,
        }],
        ..Default::default()
    };
    b.store
        .create_note(&validate::note(&note, now(), &chrono::Utc).expect("valid"), None, now(), today())
        .expect("note");
    let meeting = b.store.week_plan(today(), today()).expect("plan").days[3].meetings[0].clone();
    let brief = b.store.brief(None, Some(&meeting.id), today()).expect("brief");
    assert_eq!(brief.account_name, "Acme");
    assert_eq!(brief.since, Some(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()));
    let lines: Vec<&str> = brief.sections.iter().flat_map(|s| &s.lines).map(|l| l.text.as_str()).collect();
    assert!(lines.iter().any(|l| l.starts_with("Last touch 20 Nov 2026 (13 days ago): Rollout review")), "{lines:#?}");
    assert!(lines.iter().any(|l| l.starts_with("Next step from the last note: Send the SSO guide")), "{lines:#?}");
    assert!(lines.iter().any(|l| l.starts_with("Priya Natarajan <priya@acme.example>, champion")), "{lines:#?}");
    assert!(!lines.iter().any(|l| l.contains("dana@csmdesk.example")), "the CSM's colleagues are not listed");
    // From the account: the brief is for its next meeting.
    let by_account = b.store.brief(Some(&b.acme), None, today()).expect("brief");
    assert_eq!(by_account.meeting.map(|m| m.title).as_deref(), Some("Acme sync"));

    let start = b.store.meeting_note(&meeting.id).expect("note start");
    assert_eq!((start.account_id.as_str(), start.occurred_at.as_str()), (b.acme.as_str(), "2026-12-03T16:00"));
    assert_eq!(start.attendees[0].contact_id.as_deref(), Some(b.priya.as_str()));
    let unmatched = b.store.calendars(today()).expect("view").unmatched[0].id.clone();
    assert!(b.store.brief(None, Some(&unmatched), today()).is_err(), "no account yet");
    assert!(b.store.meeting_note("no/such").is_err());
}

#[test]
fn the_sample_book_comes_with_a_calendar_file_matched_to_its_accounts() {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open(&dir.path().join("book.sqlite")).expect("store");
    let book = crate::sample::generate(&crate::sample::SampleSpec::DEMO, today());
    store.start_book(Some(&book), now()).expect("sample");
    assert!(dir.path().join("sample-calendar.ics").is_file(), "a real file beside the book");
    let view = store.calendars(today()).expect("view");
    assert_eq!(view.calendars.len(), 1);
    assert_eq!(view.internal_domains, ["csmdesk.example"]);
    let unmatched: Vec<&str> = view.unmatched.iter().map(|m| m.title.as_str()).collect();
    assert_eq!(unmatched, ["Intro: Northwind Traders"]);
    let plan = store.week_plan(today(), today()).expect("plan");
    let meetings: Vec<_> = plan.days.iter().flat_map(|d| &d.meetings).collect();
    assert!(meetings.iter().any(|m| m.title.starts_with("QBR with") && m.match_kind == MeetingMatchKind::Contact));
    assert!(meetings.iter().any(|m| m.title == "Team stand-up" && m.match_kind == MeetingMatchKind::Internal));
    let today_meetings = &plan.days.iter().find(|d| d.is_today).expect("today").meetings;
    assert!(today_meetings.iter().any(|m| m.title.starts_with("Check-in with")), "{today_meetings:#?}");
    // An in-memory book (no folder) gets none.
    let memory = Store::open_in_memory().expect("store");
    memory.start_book(Some(&book), now()).expect("sample");
    assert!(memory.calendars(today()).expect("view").calendars.is_empty());
}
