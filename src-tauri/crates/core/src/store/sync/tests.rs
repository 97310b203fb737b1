//! Store-level sync tests: staging, preview, apply, outbox and the indexes they use.

use chrono::{DateTime, Utc};

use crate::model::{
    AccountInput, Choice, FieldAction, NoteInput, PreviewQuery, RecordAction, RemoteRecord, Resolution, SyncEntity,
    SyncField,
};
use crate::store::Store;
use crate::sync::natural_order;
use crate::validate;

use super::apply::unlinked_sql;

fn now() -> DateTime<Utc> {
    "2026-11-22T10:00:00Z".parse().unwrap()
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn company(id: &str, modified: &str, fields: &[(&str, &str)]) -> RemoteRecord {
    RemoteRecord {
        entity: SyncEntity::Account,
        remote_id: id.into(),
        parent_remote_id: None,
        modified_at: at(modified),
        archived: false,
        fields: fields.iter().map(|(k, v)| (SyncField::parse(k).expect("a synced field"), (*v).to_owned())).collect(),
    }
}

fn person(id: &str, company: &str, email: &str) -> RemoteRecord {
    RemoteRecord {
        entity: SyncEntity::Contact,
        parent_remote_id: Some(company.into()),
        ..company_named(id, &[("name", "Ana Lima"), ("email", email)])
    }
}

fn company_named(id: &str, fields: &[(&str, &str)]) -> RemoteRecord {
    company(id, "2026-11-01T00:00:00Z", fields)
}

fn store() -> Store {
    let store = Store::open_in_memory().unwrap();
    store.start_book(None, now()).unwrap();
    store
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

const HS: &str = "hubspot";

#[test]
fn pulled_companies_and_contacts_are_previewed_then_created_and_linked() {
    let store = store();
    let acme = company_named("c1", &[("name", "Acme 株式会社"), ("domain", "acme.com"), ("arr", "120000")]);
    store.stage_remote(HS, "companies", &[acme], now()).unwrap();
    store.stage_remote(HS, "contacts", &[person("p1", "c1", "ana@acme.com")], now()).unwrap();
    let preview = store.sync_preview(HS).unwrap();
    assert_eq!(preview.records.len(), 2);
    assert_eq!(preview.records[0].action, RecordAction::Create);
    assert!(preview.records[0].fields.iter().all(|f| f.action == FieldAction::Pull));
    assert_eq!(count(&store, "SELECT count(*) FROM accounts"), 0, "a preview writes nothing");
    let applied = store.apply_sync(HS, None, &[], now(), now().date_naive()).unwrap();
    assert_eq!((applied.created, applied.left), (2, 0));
    assert_eq!(count(&store, "SELECT count(*) FROM crm_links WHERE system = 'hubspot'"), 2);
    assert_eq!(count(&store, "SELECT count(*) FROM contacts c JOIN accounts a ON a.id = c.account_id"), 1);
    assert_eq!(count(&store, "SELECT count(*) FROM sync_staged"), 0);
    assert_eq!(store.watermark(HS, "companies").unwrap(), Some(at("2026-11-01T00:00:00Z")));
}

#[test]
fn a_watermark_only_moves_forward_and_is_kept_per_system() {
    let store = store();
    store.advance_watermark(HS, "removed_companies", at("2026-11-02T00:00:00Z")).unwrap();
    store.advance_watermark(HS, "removed_companies", at("2026-11-01T00:00:00Z")).unwrap();
    assert_eq!(store.watermark(HS, "removed_companies").unwrap(), Some(at("2026-11-02T00:00:00Z")));
    assert_eq!(store.watermark("salesforce", "removed_companies").unwrap(), None);
}

#[test]
fn an_older_or_same_version_is_not_staged_again() {
    let store = store();
    store.stage_remote(HS, "companies", &[company_named("c1", &[("name", "Acme")])], now()).unwrap();
    store.apply_sync(HS, None, &[], now(), now().date_naive()).unwrap();
    assert_eq!(store.stage_remote(HS, "companies", &[company_named("c1", &[("name", "Acme")])], now()).unwrap(), 0);
    let newer = company("c1", "2026-11-02T00:00:00Z", &[("name", "Acme Inc")]);
    assert_eq!(store.stage_remote(HS, "companies", &[newer], now()).unwrap(), 1);
}

#[test]
fn both_sides_changed_is_a_conflict_left_staged_until_resolved() {
    let store = store();
    store
        .stage_remote(HS, "companies", &[company_named("c1", &[("name", "Acme"), ("industry", "Retail")])], now())
        .unwrap();
    store.apply_sync(HS, None, &[], now(), now().date_naive()).unwrap();
    let id: String = store.conn().query_row("SELECT id FROM accounts", [], |r| r.get(0)).unwrap();
    let mut input: AccountInput = store.account(&id).unwrap().to_input();
    input.industry = "Food retail".into();
    store.update_account(&id, &validate::account(&input).unwrap(), now(), now().date_naive()).unwrap();
    let remote = company("c1", "2026-11-03T00:00:00Z", &[("name", "Acme"), ("industry", "E-commerce")]);
    store.stage_remote(HS, "companies", &[remote], now()).unwrap();
    let preview = store.sync_preview(HS).unwrap();
    assert_eq!(preview.conflicts, 1);
    let applied = store.apply_sync(HS, None, &[], now(), now().date_naive()).unwrap();
    assert_eq!(applied.left, 1);
    assert_eq!(store.account(&id).unwrap().industry.as_deref(), Some("Food retail"), "never overwritten silently");
    let theirs = Resolution {
        remote_id: "c1".into(),
        field: SyncField::parse("industry").expect("field"),
        choice: Choice::Theirs,
    };
    store.apply_sync(HS, None, &[theirs], now(), now().date_naive()).unwrap();
    assert_eq!(store.account(&id).unwrap().industry.as_deref(), Some("E-commerce"));
}

#[test]
fn a_matching_local_account_is_linked_not_duplicated_and_a_removed_one_archived() {
    let store = store();
    let input = AccountInput {
        name: "Globex".into(),
        domain: "globex.com".into(),
        segment: "high_touch".into(),
        lifecycle_stage: "adoption".into(),
        ..Default::default()
    };
    let local = store.create_account(&validate::account(&input).unwrap(), now()).unwrap();
    store
        .stage_remote(HS, "companies", &[company_named("g1", &[("name", "Globex"), ("domain", "GLOBEX.com")])], now())
        .unwrap();
    store.apply_sync(HS, None, &[], now(), now().date_naive()).unwrap();
    assert_eq!(count(&store, "SELECT count(*) FROM accounts"), 1);
    let mut gone = company("g1", "2026-11-05T00:00:00Z", &[("name", "Globex")]);
    gone.archived = true;
    store.stage_remote(HS, "companies", &[gone], now()).unwrap();
    assert_eq!(store.apply_sync(HS, None, &[], now(), now().date_naive()).unwrap().archived, 1);
    assert!(store.account(&local.id).unwrap().archived_at.is_some(), "archived, not deleted");
}

#[test]
fn a_value_the_forms_refuse_stays_staged_and_a_contact_waits_for_its_company() {
    let store = store();
    store.stage_remote(HS, "companies", &[company_named("c1", &[("name", "Acme"), ("arr", "lots")])], now()).unwrap();
    store.stage_remote(HS, "contacts", &[person("p1", "c1", "ana@acme.com")], now()).unwrap();
    let preview = store.sync_preview(HS).unwrap();
    assert!(!preview.records[0].problems.is_empty());
    let applied = store.apply_sync(HS, None, &[], now(), now().date_naive()).unwrap();
    assert_eq!((applied.created, applied.left), (0, 2));
    assert_eq!(count(&store, "SELECT count(*) FROM accounts") + count(&store, "SELECT count(*) FROM contacts"), 0);
}

#[test]
fn published_notes_and_tasks_on_linked_accounts_wait_to_be_pushed_until_pushed() {
    let store = store();
    store
        .stage_remote(HS, "companies", &[company_named("c1", &[("name", "Acme"), ("domain", "acme.com")])], now())
        .unwrap();
    store.apply_sync(HS, None, &[], now(), now().date_naive()).unwrap();
    let account: String = store.conn().query_row("SELECT id FROM accounts", [], |r| r.get(0)).unwrap();
    for private in [true, false] {
        let input =
            NoteInput { account_id: account.clone(), body_md: "QBR went well".into(), private, ..Default::default() };
        store.create_note(&validate::note(&input, now(), &Utc).unwrap(), None, now(), now().date_naive()).unwrap();
    }
    let notes = store.notes_to_push(HS).unwrap();
    assert_eq!(notes.len(), 1, "only the note marked to publish");
    assert_eq!(notes[0].account_remote_id, "c1");
    store.record_pushed(HS, "note", &notes[0].local_id, "n-1", &notes[0].version).unwrap();
    assert!(store.notes_to_push(HS).unwrap().is_empty());
    assert_eq!(store.remote_id(HS, "note", &notes[0].local_id).unwrap().as_deref(), Some("n-1"));
}

/// The tables a query reads in full (SQLite's "SCAN"), by name or alias.
fn scans(store: &Store, sql: &str) -> Vec<String> {
    let conn = store.conn();
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).expect("plan");
    let params = vec!["hubspot"; stmt.parameter_count()];
    let details = stmt.query_map(rusqlite::params_from_iter(params), |r| r.get::<_, String>(3)).expect("rows");
    details
        .map(|d| d.expect("detail"))
        .filter_map(|d| d.strip_prefix("SCAN ").map(|t| t.split(' ').next().unwrap_or_default().to_owned()))
        .collect()
}

#[test]
fn every_lookup_sync_makes_per_record_uses_an_index() {
    let store = store();
    // Matching unlinked records: one pass over the table, never a scan of crm_links per row.
    for (table, entity, column) in
        [("accounts", "account", "domain"), ("accounts", "account", "name"), ("contacts", "contact", "email")]
    {
        assert_eq!(scans(&store, &unlinked_sql(table, entity, column)), ["t"], "{table}.{column}");
    }
    // Per record: its link, its local values, staging it.
    let per_record = [
        "SELECT local_id, last_synced_values FROM crm_links WHERE system = 'hubspot' AND entity = 'account' AND remote_id = 'x'",
        "SELECT id FROM accounts WHERE id = 'x'",
        "SELECT id FROM contacts WHERE id = 'x'",
        "SELECT payload FROM sync_staged WHERE system = 'hubspot' AND entity = 'contact' AND remote_id = 'x'",
        "SELECT remote_id FROM crm_links WHERE system = 'hubspot' AND entity = 'task' AND local_id = 'x'",
    ];
    for sql in per_record {
        assert!(scans(&store, sql).is_empty(), "{sql}: {:?}", scans(&store, sql));
    }
}

#[test]
fn a_large_preview_is_read_a_page_at_a_time_filtered_and_counted() {
    let store = store();
    let companies: Vec<RemoteRecord> = (0..300)
        .map(|i| company_named(&format!("c{i}"), &[("name", &format!("Company {i:03}")), ("arr", "1000")]))
        .collect();
    let odd = company_named("c-odd", &[("name", "Odd Values"), ("arr", "lots")]);
    store.stage_remote(HS, "companies", &companies, now()).unwrap();
    store.stage_remote(HS, "companies", &[odd], now()).unwrap();
    let people: Vec<RemoteRecord> =
        (0..120).map(|i| person(&format!("p{i}"), &format!("c{i}"), &format!("p{i}@x.example"))).collect();
    store.stage_remote(HS, "contacts", &people, now()).unwrap();

    let first = store.sync_preview_page(HS, &PreviewQuery::default()).unwrap();
    assert_eq!((first.records.len(), first.matching), (50, 421), "a page of 50 by default");
    assert_eq!(first.records[0].name, "Odd Values", "what needs the CSM comes first");
    let by_kind: Vec<(SyncEntity, u32, u32)> = first.counts.iter().map(|c| (c.entity, c.records, c.waiting)).collect();
    assert_eq!(by_kind, [(SyncEntity::Account, 301, 1), (SyncEntity::Contact, 120, 0)]);

    let contacts = PreviewQuery { entity: Some(SyncEntity::Contact), offset: 100, limit: 500, ..Default::default() };
    let page = store.sync_preview_page(HS, &contacts).unwrap();
    assert_eq!((page.records.len(), page.matching), (20, 120), "the page is capped and offset");
    assert!(page.records.iter().all(|r| r.entity == SyncEntity::Contact));
    let found = store.sync_preview_page(HS, &PreviewQuery { text: "company 29".into(), ..Default::default() }).unwrap();
    assert_eq!(found.matching, 10, "Company 290 to 299");
    let attention = store.sync_preview_page(HS, &PreviewQuery { attention: true, ..Default::default() }).unwrap();
    assert_eq!(attention.matching, 1);

    // The worked-out preview is kept until the book changes, then worked out again.
    let applied = store.apply_sync(HS, Some(&["c1".to_owned()]), &[], now(), now().date_naive()).unwrap();
    assert_eq!(applied.created, 1);
    let after = store.sync_preview_page(HS, &PreviewQuery::default()).unwrap();
    assert_eq!(after.matching, 420);
    assert_eq!(store.staged_ids(HS).unwrap().len(), 420);
}

#[test]
fn names_are_ordered_as_people_read_them() {
    let mut names = vec!["Contoso 1004", "contoso 104", "Contoso 11", "Acme", "Contoso 2"];
    names.sort_by(|a, b| natural_order(a, b));
    assert_eq!(names, ["Acme", "Contoso 2", "Contoso 11", "contoso 104", "Contoso 1004"]);
}
