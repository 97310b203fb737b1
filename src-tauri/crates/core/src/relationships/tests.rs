use super::*;
use crate::health::default_scorecard;
use crate::model::{StakeholderField, Stance};
use crate::org_chart::tests::person;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).expect("day")
}

fn today() -> NaiveDate {
    day(3)
}

fn ago(days: u64) -> NaiveDate {
    today() - chrono::Days::new(days)
}

fn at(account: &str, id: &str, name: &str, role: ContactRole) -> Contact {
    Contact { account_id: account.into(), name: name.into(), role, ..person(id, None) }
}

fn touch(account: &str, on: NaiveDate, who: &[(&str, &str)]) -> Touch {
    let attendees = who
        .iter()
        .map(|(id, name)| Attendee { contact_id: (!id.is_empty()).then(|| (*id).to_owned()), name: (*name).to_owned() })
        .collect();
    Touch { account_id: account.into(), day: on, attendees }
}

fn segments(ids: &[&str]) -> HashMap<String, Segment> {
    ids.iter().map(|id| ((*id).to_owned(), Segment::HighTouch)).collect()
}

fn persons(people: &[Contact]) -> Vec<Person> {
    people.iter().map(Person::from).collect()
}

/// An account's relationship, owning its people's ids.
struct Assessed {
    coverage: Coverage,
    engagement: HashMap<String, Engagement>,
}

fn assess_at(people: &[Contact], touches: &[Touch]) -> HashMap<String, Assessed> {
    let people = persons(people);
    let all = assess(&segments(&["a", "b"]), &people, touches, &default_scorecard().cadence_days, today());
    all.into_iter()
        .map(|(id, r)| {
            let engagement = r.engagement.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            (id, Assessed { coverage: r.coverage, engagement })
        })
        .collect()
}

#[test]
fn every_touch_with_one_person_is_single_threaded_and_lowers_the_relationship() {
    let people = vec![
        at("a", "ana", "Ana Ruiz", ContactRole::Champion),
        at("a", "cfo", "Carl Fox", ContactRole::ExecutiveSponsor),
    ];
    let touches = vec![touch("a", ago(5), &[("ana", "Ana Ruiz")]), touch("a", ago(40), &[("ana", "Ana Ruiz")])];
    let a = &assess_at(&people, &touches)["a"].coverage;
    assert_eq!(a.single_threaded.as_deref(), Some("Ana Ruiz"));
    assert_eq!((a.touches_90d, a.people_touched_90d), (2, 1));
    assert_eq!(a.level, Some(1), "a sponsor is known, but every touch was Ana");
    let sponsor = &a.key_roles[1];
    assert_eq!(
        (sponsor.role, sponsor.people.clone(), sponsor.engaged),
        (DealRole::ExecutiveSponsor, vec!["Carl Fox".to_owned()], false)
    );
    assert!(!a.sponsor_engaged);

    let mut more = touches.clone();
    more.push(touch("a", ago(10), &[("cfo", "Carl Fox"), ("ana", "Ana Ruiz")]));
    let a = &assess_at(&people, &more)["a"].coverage;
    assert_eq!((a.single_threaded.clone(), a.level, a.sponsor_engaged), (None, Some(2), true));
}

#[test]
fn one_touch_alone_is_not_single_threaded_and_no_roles_is_unknown() {
    let people = vec![at("a", "x", "Xia", ContactRole::Other)];
    let touches = vec![touch("a", ago(5), &[("x", "Xia")])];
    let a = &assess_at(&people, &touches)["a"].coverage;
    assert_eq!((a.single_threaded.clone(), a.level), (None, None));
    assert_eq!(assess_at(&[], &[])["b"].coverage.level, None, "an account with no one");
}

#[test]
fn people_who_left_cover_no_role_but_their_past_touches_stay() {
    let mut gone = at("a", "eb", "Eve Baker", ContactRole::Other);
    gone.deal_roles = vec![DealRole::EconomicBuyer];
    gone.left_on = Some(ago(20));
    let people = vec![gone, at("a", "u", "Uma", ContactRole::User)];
    let touches = vec![touch("a", ago(60), &[("eb", "Eve Baker")])];
    let result = &assess_at(&people, &touches)["a"];
    assert!(result.coverage.key_roles[0].people.is_empty(), "the economic buyer left");
    assert_eq!(result.coverage.level, Some(0));
    assert_eq!(result.engagement["eb"].last_touch_on, Some(ago(60)));
    assert!(!result.engagement["eb"].gone_quiet, "someone who left is not expected to be met");
}

#[test]
fn renamed_contacts_and_free_names_are_recognised() {
    // The note still carries the old name; the link is by id. A free name matches by name.
    let people =
        vec![at("a", "ana", "Ana Ruiz-Lopez", ContactRole::Champion), at("a", "bo", "Bo Chen", ContactRole::User)];
    let touches = vec![touch("a", ago(3), &[("ana", "Ana Ruiz")]), touch("a", ago(4), &[("", "  bo   CHEN ")])];
    let result = &assess_at(&people, &touches)["a"];
    assert_eq!(result.engagement["ana"].touches_30d, 1);
    assert_eq!(result.engagement["bo"].last_touch_on, Some(ago(4)));
    assert_eq!(result.coverage.people_touched_90d, 2);
}

#[test]
fn attendees_from_another_account_are_met_but_cover_nothing_here() {
    let people =
        vec![at("a", "ana", "Ana", ContactRole::Champion), at("b", "zed", "Zed", ContactRole::ExecutiveSponsor)];
    let touches = vec![touch("a", ago(3), &[("ana", "Ana"), ("zed", "Zed")]), touch("a", ago(9), &[("ana", "Ana")])];
    let result = assess_at(&people, &touches);
    assert_eq!(result["a"].coverage.single_threaded.as_deref(), Some("Ana"), "Zed is another account's");
    assert_eq!(result["b"].engagement["zed"].last_touch_on, Some(ago(3)));
    assert_eq!(result["b"].coverage.touches_90d, 0, "b had no touch of its own");
}

#[test]
fn many_meetings_on_one_day_count_once_and_quiet_key_people_are_flagged() {
    let mut cfo = at("a", "cfo", "Carl", ContactRole::Other);
    cfo.influence = Some(Influence::High);
    let people = vec![cfo, at("a", "ana", "Ana", ContactRole::User)];
    let mut touches: Vec<Touch> = (0..5).map(|_| touch("a", ago(2), &[("ana", "Ana")])).collect();
    touches.push(touch("a", ago(160), &[("cfo", "Carl")]));
    touches.push(touch("a", today() + chrono::Days::new(3), &[("cfo", "Carl")]));
    let result = &assess_at(&people, &touches)["a"];
    assert_eq!(result.engagement["ana"].touches_30d, 1);
    assert_eq!(result.coverage.single_threaded, None, "five meetings on one day are one touch");
    let carl = &result.engagement["cfo"];
    assert_eq!(carl.last_touch_on, Some(ago(160)), "a meeting still to come is not a touch");
    assert!(carl.gone_quiet, "influential, not met for 160 days against a 14-day cadence");
    assert!(!result.engagement["ana"].gone_quiet);
}

#[test]
fn free_names_not_yet_contacts_are_suggested_unless_dismissed() {
    let people = vec![at("a", "ana", "Ana", ContactRole::User)];
    let touches = vec![
        touch("a", ago(3), &[("", "Dev Patel"), ("", "ana")]),
        touch("a", ago(8), &[("", "dev patel"), ("", "Lee")]),
        touch("b", ago(8), &[("", "Other Account Person")]),
    ];
    let found = suggested_contacts("a", &persons(&people), &touches, &HashSet::new());
    let names: Vec<(&str, u32)> = found.iter().map(|s| (s.name.as_str(), s.touches)).collect();
    assert_eq!(names, [("Dev Patel", 2), ("Lee", 1)]);
    assert_eq!(found[0].last_seen_on, ago(3));
    let dismissed = HashSet::from(["lee".to_owned()]);
    assert_eq!(suggested_contacts("a", &persons(&people), &touches, &dismissed).len(), 1);
}

#[test]
fn stance_lines_are_read_matched_and_refused_with_a_reason() {
    let body = "## Attendees\n- @Ana stance: Skeptic\n@Ana Lopez influence: high.\n* @Bo stance: hostile\n\
                email me@example.com stance: x\n@Nobody New stance: neutral";
    let lines = stakeholder_lines(body);
    let written: Vec<(&str, StakeholderField, &str)> =
        lines.iter().map(|l| (l.written.as_str(), l.field, l.value.as_str())).collect();
    assert_eq!(
        written,
        [
            ("Ana", StakeholderField::Stance, "skeptic"),
            ("Ana Lopez", StakeholderField::Influence, "high"),
            ("Bo", StakeholderField::Stance, "hostile"),
            ("Nobody New", StakeholderField::Stance, "neutral"),
        ]
    );
    let mut ana = at("a", "ana", "Ana Ruiz", ContactRole::User);
    ana.stance = Some(Stance::Supporter);
    let people = vec![ana, at("a", "al", "Ana Lopez", ContactRole::User), at("a", "bo", "Bo", ContactRole::User)];
    let updates = resolve(&lines, &people);
    assert_eq!(updates[0].problem.as_deref(), Some("@Ana matches Ana Lopez and Ana Ruiz: write the full name"));
    assert_eq!((updates[1].contact_id.as_deref(), updates[1].problem.clone()), (Some("al"), None));
    assert!(updates[2].problem.as_deref().is_some_and(|p| p.starts_with("“hostile” is not a stance")));
    assert_eq!((updates[3].contact_id.clone(), updates[3].problem.clone()), (None, None), "offered as a new contact");

    let one = resolve(&stakeholder_lines("@ana ruiz stance: blocker"), &people);
    assert_eq!((one[0].contact_name.as_deref(), one[0].before.as_deref()), (Some("Ana Ruiz"), Some("supporter")));
}

#[test]
fn a_published_note_leaves_its_stance_lines_behind() {
    let body = "Good call.\n- @Ana stance: skeptic\nEmail ana@acme.com by Friday\n@Bo Chen influence: high";
    assert_eq!(without_stakeholder_lines(body), "Good call.\nEmail ana@acme.com by Friday");
    assert_eq!(without_stakeholder_lines("No people here."), "No people here.");
}
