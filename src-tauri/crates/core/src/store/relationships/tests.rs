//! The stakeholder map in the store: edits refused with their reason and nothing half-saved,
//! history on the timeline, `@name stance:` lines, suggested contacts, and sync leaving the
//! private fields alone.

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::{
    AccountInput, Attendee, ContactInput, DealRole, NoteInput, RemoteRecord, StakeholderInput, Stance, SyncEntity,
    SyncField, TimelineKind,
};
use crate::store::{Store, TimelineFilter};
use crate::validate;

fn now() -> DateTime<Utc> {
    "2026-12-03T10:00:00Z".parse().expect("instant")
}

fn today() -> NaiveDate {
    now().date_naive()
}

fn account(store: &Store, name: &str) -> String {
    let input = AccountInput {
        name: name.into(),
        segment: "high_touch".into(),
        lifecycle_stage: "value".into(),
        ..Default::default()
    };
    store.create_account(&validate::account(&input).expect("valid"), now()).expect("account").id
}

fn person(store: &Store, account: &str, name: &str, role: &str) -> String {
    let input = ContactInput { name: name.into(), role: role.into(), ..Default::default() };
    store.create_contact(account, &validate::contact(&input).expect("valid"), now(), today()).expect("contact").id
}

fn map(store: &Store, id: &str, input: StakeholderInput) -> crate::Result<crate::model::Contact> {
    store.update_stakeholder(id, &validate::stakeholder(&input)?, now(), today())
}

fn reports_to(manager: &str) -> StakeholderInput {
    StakeholderInput { reports_to: manager.into(), ..Default::default() }
}

fn stakeholder_titles(store: &Store, account: &str) -> Vec<String> {
    let filter = TimelineFilter {
        account_id: Some(account.into()),
        kinds: vec![TimelineKind::Stakeholder],
        limit: 50,
        ..Default::default()
    };
    store.timeline(&filter).expect("timeline").entries.into_iter().map(|e| e.title).collect()
}

fn note(store: &Store, account: &str, body: &str, attendees: &[(&str, Option<&str>)], at: &str) -> crate::Result<()> {
    let input = NoteInput {
        account_id: account.into(),
        occurred_at: at.into(),
        body_md: body.into(),
        attendees: attendees
            .iter()
            .map(|(name, id)| Attendee { name: (*name).into(), contact_id: id.map(Into::into) })
            .collect(),
        ..Default::default()
    };
    let valid = validate::note(&input, now(), &chrono::Utc)?;
    store.create_note(&valid, None, now(), today()).map(|_| ())
}

#[test]
fn the_map_is_edited_with_history_and_bad_managers_are_refused_whole() {
    let store = Store::open_in_memory().expect("store");
    let (acme, other) = (account(&store, "Acme"), account(&store, "Other"));
    let ceo = person(&store, &acme, "Carla Ceo", "executive_sponsor");
    let ana = person(&store, &acme, "Ana Ruiz", "champion");
    let stranger = person(&store, &other, "Sam Stranger", "user");

    let edit = StakeholderInput {
        reports_to: ceo.clone(),
        influence: "high".into(),
        stance: "supporter".into(),
        deal_roles: vec!["decision_maker".into()],
        private_notes: "Prefers email.".into(),
    };
    let saved = map(&store, &ana, edit.clone()).expect("saved");
    assert_eq!((saved.reports_to.as_deref(), saved.stance), (Some(ceo.as_str()), Some(Stance::Supporter)));
    assert_eq!(saved.deal_roles, [DealRole::DecisionMaker]);

    let looped = map(&store, &ceo, reports_to(&ana)).expect_err("a loop");
    assert!(looped.to_string().contains("would end up reporting to themselves"), "{looped}");
    let foreign = map(&store, &ana, reports_to(&stranger)).expect_err("another account");
    assert!(foreign.to_string().contains("same account"), "{foreign}");
    assert_eq!(store.contact(&ana).expect("ana"), saved, "nothing half-saved");
    assert!(map(&store, &ana, reports_to(&ana)).is_err(), "no one manages themselves");

    map(&store, &ana, StakeholderInput { stance: "skeptic".into(), ..edit }).expect("stance");
    let titles = stakeholder_titles(&store, &acme);
    assert_eq!(titles[0], "Ana Ruiz: supporter → skeptic", "{titles:?}");
    assert!(titles[1].contains("no stance → supporter") && titles[1].contains("now decision maker"), "{titles:?}");
}

#[test]
fn a_notes_stance_line_updates_the_person_and_an_ambiguous_one_refuses_the_note() {
    let store = Store::open_in_memory().expect("store");
    let acme = account(&store, "Acme");
    let ana = person(&store, &acme, "Ana Ruiz", "champion");
    person(&store, &acme, "Ana Lopez", "user");

    let preview =
        store.stakeholder_updates(&acme, "@Ana Ruiz stance: skeptic\n@New Person influence: low").expect("preview");
    assert_eq!(preview[0].contact_id.as_deref(), Some(ana.as_str()));
    assert_eq!((preview[1].contact_id.clone(), preview[1].problem.clone()), (None, None));

    let refused = note(&store, &acme, "@Ana stance: skeptic", &[], "2026-12-03T09:00").expect_err("ambiguous");
    assert!(refused.to_string().contains("matches Ana Lopez and Ana Ruiz"), "{refused}");
    let notes: i64 = store.conn().query_row("SELECT count(*) FROM notes", [], |r| r.get(0)).expect("count");
    assert_eq!(notes, 0, "the refused note is not half-saved");

    note(&store, &acme, "Went well.\n- @Ana Ruiz stance: skeptic", &[("Ana Ruiz", Some(&ana))], "2026-12-03T09:00")
        .expect("saved");
    assert_eq!(store.contact(&ana).expect("ana").stance, Some(Stance::Skeptic));
    let titles = stakeholder_titles(&store, &acme);
    assert_eq!(titles, ["Ana Ruiz: no stance → skeptic"]);
}

#[test]
fn single_threaded_accounts_show_in_the_book_and_the_health_measure() {
    let store = Store::open_in_memory().expect("store");
    let acme = account(&store, "Acme");
    let ana = person(&store, &acme, "Ana Ruiz", "champion");
    person(&store, &acme, "Carl Fox", "executive_sponsor");
    for day in ["2026-11-20T10:00", "2026-12-01T10:00"] {
        note(&store, &acme, "Check-in", &[("Ana Ruiz", Some(&ana))], day).expect("note");
    }
    let row = store.book(today()).expect("book").into_iter().find(|r| r.id == acme).expect("row");
    assert!(row.single_threaded && !row.sponsor_engaged, "{row:?}");
    let view = store.relationships(&acme, None, today()).expect("view");
    assert_eq!(view.coverage.single_threaded.as_deref(), Some("Ana Ruiz"));
    assert_eq!(view.coverage.level, Some(1));
    let ana_engagement = &view.stakeholders.iter().find(|s| s.contact.id == ana).expect("ana").engagement;
    assert_eq!(ana_engagement.touches_30d, 2);
    let report = store.health_report(&acme, today()).expect("report");
    let relationship = report
        .current
        .iter()
        .flat_map(|h| &h.contributions)
        .find(|c| c.measure == crate::model::Measure::Relationship)
        .and_then(|c| c.raw);
    assert!(relationship.is_none() || relationship == Some(1.0), "{relationship:?}");
}

#[test]
fn a_free_name_attendee_is_suggested_then_added_with_their_notes_or_dismissed() {
    let store = Store::open_in_memory().expect("store");
    let acme = account(&store, "Acme");
    note(&store, &acme, "Intro", &[("Dev Patel", None), ("Lee Wong", None)], "2026-12-01T10:00").expect("note");
    let suggested: Vec<String> =
        store.relationships(&acme, None, today()).expect("view").suggested.into_iter().map(|s| s.name).collect();
    assert_eq!(suggested, ["Dev Patel", "Lee Wong"]);
    let draft =
        validate::contact(&ContactInput { name: " Dev  Patel ".into(), role: "other".into(), ..Default::default() });
    let dev = store.add_suggested_contact(&acme, &draft.expect("valid"), now(), today()).expect("added");
    store.dismiss_suggested_contact(&acme, "lee wong").expect("dismissed");
    let view = store.relationships(&acme, None, today()).expect("view");
    assert!(view.suggested.is_empty());
    let met = &view.stakeholders.iter().find(|s| s.contact.id == dev.id).expect("dev").engagement;
    assert_eq!(met.touches_30d, 1, "the note Dev attended is now linked to him");
}

#[test]
fn a_crm_update_keeps_the_private_fields_and_never_sees_them() {
    let store = Store::open_in_memory().expect("store");
    store.start_book(None, now()).expect("book");
    let company = |modified: &str, name: &str| RemoteRecord {
        entity: SyncEntity::Account,
        remote_id: "c1".into(),
        parent_remote_id: None,
        modified_at: modified.parse().expect("instant"),
        archived: false,
        fields: [(SyncField::Name, name.to_owned())].into_iter().collect(),
    };
    let contact = |modified: &str, title: &str| RemoteRecord {
        entity: SyncEntity::Contact,
        remote_id: "p1".into(),
        parent_remote_id: Some("c1".into()),
        modified_at: modified.parse().expect("instant"),
        archived: false,
        fields: [
            (SyncField::Name, "Ana Lima".to_owned()),
            (SyncField::Email, "ana@acme.com".to_owned()),
            (SyncField::Title, title.to_owned()),
        ]
        .into_iter()
        .collect(),
    };
    store.stage_remote("hubspot", "companies", &[company("2026-11-01T00:00:00Z", "Acme")], now()).expect("stage");
    store.stage_remote("hubspot", "contacts", &[contact("2026-11-01T00:00:00Z", "CTO")], now()).expect("stage");
    store.apply_sync("hubspot", None, &[], now(), today()).expect("apply");
    let id: String = store.conn().query_row("SELECT id FROM contacts", [], |r| r.get(0)).expect("id");
    let private =
        StakeholderInput { stance: "blocker".into(), private_notes: "Wants us out.".into(), ..Default::default() };
    map(&store, &id, private).expect("map");

    store.stage_remote("hubspot", "contacts", &[contact("2026-11-05T00:00:00Z", "CEO")], now()).expect("stage");
    let preview = store.sync_preview("hubspot").expect("preview");
    let text = serde_json::to_string(&preview).expect("json");
    assert!(!text.contains("blocker") && !text.contains("Wants us out"), "private fields are not part of sync");
    store.apply_sync("hubspot", None, &[], now(), today()).expect("apply");
    let acme: String = store.conn().query_row("SELECT id FROM accounts", [], |r| r.get(0)).expect("account");
    let input = NoteInput {
        account_id: acme,
        body_md: "Talked pricing.\n@Ana Lima stance: skeptic".into(),
        private: false,
        ..Default::default()
    };
    store
        .create_note(&validate::note(&input, now(), &chrono::Utc).expect("valid"), None, now(), today())
        .expect("note");
    let pushed = store.notes_to_push("hubspot").expect("outbox");
    assert_eq!(pushed[0].body_md, "Talked pricing.", "a published note leaves its stance line here");
    let ana = store.contact(&id).expect("ana");
    assert_eq!(
        (ana.title.as_deref(), ana.stance, ana.private_notes.as_str()),
        (Some("CEO"), Some(Stance::Skeptic), "Wants us out.")
    );
}

#[test]
fn a_full_rescore_reuses_the_coverage_until_people_notes_or_accounts_change() {
    let store = Store::open_in_memory().expect("store");
    let acme = account(&store, "Acme");
    person(&store, &acme, "Carl Fox", "executive_sponsor");
    store.recompute_all(today()).expect("rescore");
    let level = || -> Option<i64> {
        store
            .conn()
            .query_row("SELECT level FROM account_coverage WHERE account_id = ?1", [&acme], |r| r.get(0))
            .expect("level")
    };
    assert_eq!(level(), Some(2));
    // Nothing the coverage depends on changed: a same-day rescore reads the kept levels.
    store.conn().execute("UPDATE account_coverage SET level = 0, coverage = '{}'", []).expect("plant");
    store.recompute_all(today()).expect("rescore");
    assert_eq!(level(), Some(0), "reused");
    // Any write to the people (here behind the store's back) makes the next one work it out again.
    store.conn().execute("UPDATE contacts SET title = 'CFO'", []).expect("edit");
    store.recompute_all(today()).expect("rescore");
    assert_eq!(level(), Some(2));
    // So does a new day.
    store.conn().execute("UPDATE account_coverage SET level = 0, coverage = '{}'", []).expect("plant");
    store.recompute_all(today() + chrono::Days::new(1)).expect("rescore");
    assert_eq!(level(), Some(2));
}
