//! CRM sync in the store: pulled records are staged page by page (with the watermark, in one
//! transaction), previewed field by field against the local records and the last synced values,
//! and applied when the CSM says so; what waits to be pushed is read from the records themselves.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::{accounts, contacts, health, search, settings, Store};
use crate::error::{Error, Result};
use crate::model::{
    new_id, Account, AccountInput, Choice, Contact, ContactInput, CrmSettings, CrmSystem, Deal, DealKind, FieldAction,
    Money, OutboxItem, OutboxKind, PreviewCount, PreviewQuery, RecordAction, RecordChange, RemoteRecord, Resolution,
    SearchKind, Signal, SignalKind, SyncApplied, SyncEntity, SyncPreview, SyncRun, SyncStatus,
};
use crate::sync::{merge, Values};
use crate::validate;

/// A note waiting to be pushed, with what the CRM needs to file it.
#[derive(Debug, Clone, PartialEq)]
pub struct PushNote {
    pub local_id: String,
    pub account_remote_id: String,
    pub account_name: String,
    pub contact_remote_ids: Vec<String>,
    pub occurred_at: DateTime<Utc>,
    pub title: String,
    pub body_md: String,
    /// The version pushed, kept on the link so a later edit is pushed again.
    pub version: String,
}

/// A task waiting to be pushed (new, edited or completed).
#[derive(Debug, Clone, PartialEq)]
pub struct PushTask {
    pub local_id: String,
    pub account_remote_id: String,
    /// The account's name, for the CSM's list of what will be pushed.
    pub account_name: String,
    pub title: String,
    pub details: String,
    pub due_date: Option<NaiveDate>,
    pub done: bool,
    pub priority: String,
    pub version: String,
}

fn to_values<T: serde::Serialize>(input: &T) -> Values {
    let json = serde_json::to_value(input).unwrap_or_default();
    let object = json.as_object().cloned().unwrap_or_default();
    object
        .into_iter()
        .map(|(k, v)| {
            let text = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Array(items) => {
                    items.iter().filter_map(|i| i.as_str()).collect::<Vec<_>>().join(", ")
                }
                other => other.to_string(),
            };
            (k, text)
        })
        .collect()
}

fn from_values<T: serde::de::DeserializeOwned + Default>(values: &Values) -> T {
    let object: serde_json::Map<String, serde_json::Value> = values
        .iter()
        .map(|(k, v)| {
            let value = if k == "products" {
                serde_json::Value::from(v.split(',').map(str::trim).filter(|p| !p.is_empty()).collect::<Vec<_>>())
            } else {
                serde_json::Value::from(v.clone())
            };
            (k.clone(), value)
        })
        .collect();
    serde_json::from_value(serde_json::Value::Object(object)).unwrap_or_default()
}

fn link(conn: &Connection, system: &str, entity: &str, remote_id: &str) -> Result<Option<(String, Values, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT local_id, last_synced_values, coalesce(remote_modified_at, '') FROM crm_links \
             WHERE system = ?1 AND entity = ?2 AND remote_id = ?3",
        )?
        .query_row(params![system, entity, remote_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })
        .optional()?
        .map(|(id, json, modified)| (id, serde_json::from_str(&json).unwrap_or_default(), modified)))
}

fn write_link(
    tx: &Transaction<'_>,
    system: &str,
    entity: &str,
    local_id: &str,
    remote_id: &str,
    modified_at: Option<DateTime<Utc>>,
    values: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO crm_links (entity, local_id, system, remote_id, remote_modified_at, last_synced_values) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (entity, local_id, system) DO UPDATE SET \
         remote_id = excluded.remote_id, remote_modified_at = excluded.remote_modified_at, \
                  last_synced_values = excluded.last_synced_values",
    )?
    .execute(params![entity, local_id, system, remote_id, modified_at.map(|t| t.to_rfc3339()), values])?;
    Ok(())
}

/// What the book knows to match remote records with, loaded once per preview or apply: the
/// links to this CRM (with the values last synced) and the unlinked records by domain, name, email.
#[derive(Default)]
struct Known {
    links: HashMap<(String, String), (String, Values)>,
    account_by_domain: HashMap<String, String>,
    account_by_name: HashMap<String, String>,
    contact_by_email: HashMap<String, String>,
}

impl Known {
    fn load(conn: &Connection, system: &str) -> Result<Known> {
        let mut known = Known::default();
        let mut stmt =
            conn.prepare("SELECT entity, remote_id, local_id, last_synced_values FROM crm_links WHERE system = ?1")?;
        let rows =
            stmt.query_map([system], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get::<_, String>(3)?)))?;
        for row in rows {
            let (entity, remote, local, base) = row?;
            known.links.insert((entity, remote), (local, serde_json::from_str(&base).unwrap_or_default()));
        }
        let unlinked = |table: &str, entity: &str, column: &str| -> Result<HashMap<String, String>> {
            let mut stmt = conn.prepare(&unlinked_sql(table, entity, column))?;
            let rows = stmt.query_map([system], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        known.account_by_domain = unlinked("accounts", "account", "domain")?;
        known.account_by_name = unlinked("accounts", "account", "name")?;
        known.contact_by_email = unlinked("contacts", "contact", "email")?;
        Ok(known)
    }

    /// The local record a remote one is: linked before, or the same domain / name / email.
    fn find(&self, r: &RemoteRecord) -> Option<(String, Option<Values>)> {
        if let Some((id, base)) = self.links.get(&(r.entity.as_str().to_owned(), r.remote_id.clone())) {
            return Some((id.clone(), Some(base.clone())));
        }
        let field = |k: &str| r.fields.get(k).map(|v| v.trim().to_lowercase()).filter(|v| !v.is_empty());
        let found = match r.entity {
            SyncEntity::Account => field("domain")
                .and_then(|d| self.account_by_domain.get(&d))
                .or_else(|| field("name").and_then(|n| self.account_by_name.get(&n))),
            SyncEntity::Contact => field("email").and_then(|e| self.contact_by_email.get(&e)),
        };
        found.map(|id| (id.clone(), None))
    }

    /// Remembers a record just linked, so the rest of the run matches it.
    fn linked(&mut self, entity: SyncEntity, remote: &str, local: &str, base: Values) {
        self.links.insert((entity.as_str().to_owned(), remote.to_owned()), (local.to_owned(), base));
        for map in [&mut self.account_by_domain, &mut self.account_by_name, &mut self.contact_by_email] {
            map.retain(|_, id| id != local);
        }
    }
}

fn local_values(conn: &Connection, entity: SyncEntity, id: &str) -> Result<(Values, String)> {
    match entity {
        SyncEntity::Account => {
            let sql = format!("SELECT {} FROM accounts WHERE id = ?1", accounts::COLUMNS);
            let a: Account = conn.prepare_cached(&sql)?.query_row([id], accounts::from_row)?;
            Ok((to_values(&a.to_input()), a.name))
        }
        SyncEntity::Contact => {
            let sql = format!("SELECT {} FROM contacts WHERE id = ?1", contacts::COLUMNS);
            let c: Contact = conn.prepare_cached(&sql)?.query_row([id], contacts::from_row)?;
            Ok((to_values(&c.to_input()), c.name))
        }
    }
}

fn outbox_item(kind: OutboxKind, local_id: String, label: String, account: String) -> OutboxItem {
    OutboxItem { kind, local_id, label, account }
}

/// A record the CSM must look at before it can be applied: a conflict or a refused value.
fn needs_attention(r: &RecordChange) -> bool {
    !r.problems.is_empty() || r.fields.iter().any(|f| f.action == FieldAction::Conflict)
}

/// Conflicting fields over the staged records.
fn conflicts(all: &[RecordChange]) -> u32 {
    all.iter().flat_map(|r| &r.fields).filter(|f| f.action == FieldAction::Conflict).count() as u32
}

/// Staged records by kind and action, in a fixed order.
fn counts(all: &[RecordChange]) -> Vec<PreviewCount> {
    let mut counts: BTreeMap<(SyncEntity, u8), PreviewCount> = BTreeMap::new();
    for r in all {
        let order = r.action as u8;
        let count = counts.entry((r.entity, order)).or_insert(PreviewCount {
            entity: r.entity,
            action: r.action,
            records: 0,
            waiting: 0,
        });
        count.records += 1;
        count.waiting += u32::from(needs_attention(r));
    }
    counts.into_values().collect()
}

/// The changes of every staged record, worked out once per state of the book (per CRM).
pub(super) type PreviewCache = super::cache::UntilWritten<String, Vec<RecordChange>>;

/// What applying each staged record would do: those that need the CSM first, then by kind and
/// name (numbers in names by value).
fn staged_changes(conn: &Connection, system: &str) -> Result<Vec<RecordChange>> {
    let known = Known::load(conn, system)?;
    let mut changes = Vec::new();
    for r in staged(conn, system)? {
        changes.push(record_change(conn, &known, &r)?.0);
    }
    changes.sort_by(|a, b| {
        (!needs_attention(a), a.entity)
            .cmp(&(!needs_attention(b), b.entity))
            .then_with(|| natural_order(&a.name, &b.name))
    });
    Ok(changes)
}

/// Names compared as people read them: "Contoso 104" before "Contoso 1004", case aside.
fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn chunks(text: &str) -> Vec<(u8, u128, String)> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(first) = rest.chars().next() {
            let digits = first.is_ascii_digit();
            let end = rest.find(|c: char| c.is_ascii_digit() != digits).unwrap_or(rest.len());
            let (chunk, tail) = rest.split_at(end);
            out.push(match digits {
                true => (0, chunk.parse().unwrap_or(u128::MAX), String::new()),
                false => (1, 0, chunk.to_lowercase()),
            });
            rest = tail;
        }
        out
    }
    chunks(a).cmp(&chunks(b))
}

/// Unlinked records of `table` by `column`: one pass over the table, each row's link found
/// through the primary key (a scan of `crm_links` per row made a re-sync of a real book take
/// minutes).
fn unlinked_sql(table: &str, entity: &str, column: &str) -> String {
    format!(
        "SELECT lower({column}), id FROM {table} t WHERE {column} IS NOT NULL AND {column} != '' AND NOT EXISTS \
         (SELECT 1 FROM crm_links l WHERE l.entity = '{entity}' AND l.local_id = t.id AND l.system = ?1)"
    )
}

/// The local form's values after the pull: the CRM's value where it comes in (or the CSM chose
/// theirs), the local one elsewhere.
fn merged(local: &Values, change: &RecordChange, resolutions: &[Resolution]) -> Values {
    let mut values = local.clone();
    for f in &change.fields {
        let theirs = match f.action {
            FieldAction::Pull => true,
            FieldAction::KeepLocal => false,
            FieldAction::Conflict => resolutions
                .iter()
                .any(|r| r.remote_id == change.remote_id && r.field == f.field && r.choice == Choice::Theirs),
        };
        if theirs {
            values.insert(f.field.clone(), f.remote.clone());
        }
    }
    values
}

/// A record new to the book gets what the forms require and the CRM may not say: it is then a
/// low-touch account in adoption, a contact of no particular role (the CSM reclassifies them).
fn with_defaults(entity: SyncEntity, mut values: Values) -> Values {
    let defaults: &[(&str, &str)] = match entity {
        SyncEntity::Account => &[("segment", "low_touch"), ("lifecycle_stage", "adoption"), ("currency", "USD")],
        SyncEntity::Contact => &[("role", "other")],
    };
    for (field, value) in defaults {
        let entry = values.entry((*field).to_owned()).or_default();
        if entry.trim().is_empty() {
            *entry = (*value).to_owned();
        }
    }
    values
}

/// The values a record is written with: merged, and completed when it is new.
fn final_values(local: &Values, change: &RecordChange, resolutions: &[Resolution]) -> Values {
    let values = merged(local, change, resolutions);
    if change.action == RecordAction::Create {
        with_defaults(change.entity, values)
    } else {
        values
    }
}

fn problems_of(entity: SyncEntity, values: &Values) -> Vec<String> {
    let checked = match entity {
        SyncEntity::Account => validate::account(&from_values::<AccountInput>(values)).map(|_| ()),
        SyncEntity::Contact => validate::contact(&from_values::<ContactInput>(values)).map(|_| ()),
    };
    match checked {
        Ok(()) => Vec::new(),
        Err(Error::Invalid(fields)) => fields.into_iter().map(|f| format!("{}: {}", f.field, f.message)).collect(),
        Err(other) => vec![other.to_string()],
    }
}

/// What applying a staged record would do, and the local values it starts from.
fn record_change(conn: &Connection, known: &Known, r: &RemoteRecord) -> Result<(RecordChange, Values)> {
    let found = known.find(r);
    let (local, name) = match &found {
        Some((id, _)) => local_values(conn, r.entity, id)?,
        None => (Values::new(), String::new()),
    };
    let base = found.as_ref().and_then(|(_, base)| base.as_ref());
    let fields = merge(base, &local, &r.fields);
    let action = match (&found, r.archived) {
        (_, true) => RecordAction::Archive,
        (None, false) => RecordAction::Create,
        (Some(_), false) => RecordAction::Update,
    };
    let mut change = RecordChange {
        entity: r.entity,
        remote_id: r.remote_id.clone(),
        local_id: found.map(|(id, _)| id),
        name: r.fields.get("name").cloned().filter(|n| !n.is_empty()).unwrap_or(name),
        action,
        fields,
        problems: Vec::new(),
    };
    if !r.archived {
        change.problems = problems_of(r.entity, &final_values(&local, &change, &[]));
    }
    Ok((change, local))
}

fn staged(conn: &Connection, system: &str) -> Result<Vec<RemoteRecord>> {
    let mut stmt = conn.prepare(
        "SELECT payload FROM sync_staged WHERE system = ?1 ORDER BY entity = 'contact', staged_at, remote_id",
    )?;
    let rows = stmt.query_map([system], |r| r.get::<_, String>(0))?;
    let mut records = Vec::new();
    for json in rows {
        // A payload this version cannot read is dropped with the next staging, never half-applied.
        if let Ok(record) = serde_json::from_str::<RemoteRecord>(&json?) {
            records.push(record);
        }
    }
    Ok(records)
}

/// Writes one record and its link; the caller reindexes search and rescores in bulk.
fn apply_one(
    tx: &Transaction<'_>,
    system: &str,
    known: &Known,
    r: &RemoteRecord,
    change: &RecordChange,
    values: &Values,
    now: DateTime<Utc>,
) -> Result<String> {
    let id = match (r.entity, &change.local_id) {
        (SyncEntity::Account, Some(id)) => {
            if r.archived {
                tx.execute(
                    "UPDATE accounts SET archived_at = ?2 WHERE id = ?1 AND archived_at IS NULL",
                    params![id, now],
                )?;
            } else {
                accounts::write_update(tx, id, &validate::account(&from_values(values))?, now)?;
            }
            id.clone()
        }
        (SyncEntity::Account, None) => {
            let account = accounts::new_account(&validate::account(&from_values(values))?, now);
            accounts::insert(tx, &account)?;
            account.id
        }
        (SyncEntity::Contact, Some(id)) if r.archived => {
            tx.execute(
                "UPDATE contacts SET left_on = coalesce(left_on, ?2) WHERE id = ?1",
                params![id, now.date_naive()],
            )?;
            id.clone()
        }
        (SyncEntity::Contact, local) => {
            let parent = r.parent_remote_id.as_deref().unwrap_or_default();
            let Some((account_id, _)) = known.links.get(&("account".to_owned(), parent.to_owned())) else {
                return Err(Error::Invalid(vec![crate::FieldError::new(
                    "company",
                    "Its company is not in the book yet.",
                )]));
            };
            let draft = validate::contact(&from_values(values))?;
            match local {
                Some(id) => {
                    contacts::write_update(tx, id, &draft, now)?;
                    id.clone()
                }
                None => {
                    let contact = contacts::new_contact(account_id, &draft, now);
                    contacts::insert(tx, &contact)?;
                    contact.id
                }
            }
        }
    };
    let base = serde_json::to_string(&r.fields).unwrap_or_else(|_| "{}".to_owned());
    write_link(tx, system, r.entity.as_str(), &id, &r.remote_id, Some(r.modified_at), &base)?;
    Ok(id)
}

fn notes_to_push(conn: &Connection, system: &str) -> Result<Vec<PushNote>> {
    let mut stmt = conn.prepare(
        "SELECT n.id, l.remote_id, n.occurred_at, n.title, n.body_md, n.updated_at, \
                (SELECT json_group_array(cl.remote_id) FROM note_attendees a \
                   JOIN crm_links cl ON cl.entity = 'contact' AND cl.local_id = a.contact_id AND cl.system = ?1 \
                  WHERE a.note_id = n.id), \
                (SELECT name FROM accounts WHERE id = n.account_id) \
         FROM notes n JOIN crm_links l ON l.entity = 'account' AND l.local_id = n.account_id AND l.system = ?1 \
         LEFT JOIN crm_links pushed ON pushed.entity = 'note' AND pushed.local_id = n.id AND pushed.system = ?1 \
         WHERE n.private = 0 AND (pushed.local_id IS NULL OR pushed.pushed_version IS NOT n.updated_at) \
         ORDER BY n.occurred_at, n.id",
    )?;
    let rows = stmt.query_map([system], |r| {
        let contacts: String = r.get(6)?;
        Ok(PushNote {
            local_id: r.get(0)?,
            account_remote_id: r.get(1)?,
            occurred_at: r.get(2)?,
            title: r.get(3)?,
            body_md: r.get(4)?,
            version: r.get(5)?,
            contact_remote_ids: serde_json::from_str(&contacts).unwrap_or_default(),
            account_name: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Tasks on linked accounts not yet pushed (or changed since); tasks the playbooks made only when
/// the CSM chose to push them (Settings), so generated work never reaches the CRM unasked.
fn tasks_to_push(conn: &Connection, system: &str) -> Result<Vec<PushTask>> {
    let with_playbooks = super::planner::settings_in(conn)?.push_playbook_tasks;
    let mut stmt = conn.prepare(
        "SELECT t.id, l.remote_id, t.title, t.details, t.due_date, t.status = 'done', t.priority, t.updated_at, \
                (SELECT name FROM accounts WHERE id = t.account_id) \
         FROM tasks t JOIN crm_links l ON l.entity = 'account' AND l.local_id = t.account_id AND l.system = ?1 \
         LEFT JOIN crm_links pushed ON pushed.entity = 'task' AND pushed.local_id = t.id AND pushed.system = ?1 \
         WHERE t.source != 'crm' AND (t.source != 'playbook' OR ?2) AND t.status != 'cancelled' \
           AND (pushed.local_id IS NULL OR pushed.pushed_version IS NOT t.updated_at) \
           AND (pushed.local_id IS NOT NULL OR t.status != 'done') \
         ORDER BY t.created_at, t.id",
    )?;
    let rows = stmt.query_map(params![system, with_playbooks], |r| {
        Ok(PushTask {
            local_id: r.get(0)?,
            account_remote_id: r.get(1)?,
            account_name: r.get::<_, Option<String>>(8)?.unwrap_or_default(),
            title: r.get(2)?,
            details: r.get(3)?,
            due_date: super::columns::date(r, 4)?,
            done: r.get(5)?,
            priority: r.get(6)?,
            version: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Store {
    /// Stages one page of pulled records and moves the object's watermark with it, in one
    /// transaction: a crash between pages loses nothing and stages nothing twice. Records the
    /// book already has at that version are skipped. Returns how many were staged.
    pub fn stage_remote(
        &self,
        system: &str,
        object: &str,
        records: &[RemoteRecord],
        now: DateTime<Utc>,
    ) -> Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mut staged = 0;
        for r in records {
            if let Some((_, _, modified)) = link(&tx, system, r.entity.as_str(), &r.remote_id)? {
                let known = DateTime::parse_from_rfc3339(&modified).ok().map(|t| t.with_timezone(&Utc));
                if known.is_some_and(|k| k >= r.modified_at) {
                    continue;
                }
            }
            let payload = serde_json::to_string(r)
                .map_err(|e| Error::Invalid(vec![crate::FieldError::new("record", e.to_string())]))?;
            tx.prepare_cached(
                "INSERT INTO sync_staged (system, entity, remote_id, payload, staged_at) VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT (system, entity, remote_id) DO UPDATE SET payload = excluded.payload, staged_at = excluded.staged_at",
            )?
            .execute(params![system, r.entity.as_str(), r.remote_id, payload, now])?;
            staged += 1;
        }
        if let Some(latest) = records.iter().map(|r| r.modified_at).max() {
            tx.execute(
                "INSERT INTO sync_watermarks (system, object, modified_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (system, object) DO UPDATE SET modified_at = max(modified_at, excluded.modified_at)",
                params![system, object, latest.to_rfc3339()],
            )?;
        }
        tx.commit()?;
        Ok(staged)
    }

    /// Moves an object's watermark forward (never back), e.g. to how far the CRM's removals are known.
    pub fn advance_watermark(&self, system: &str, object: &str, at: DateTime<Utc>) -> Result<()> {
        self.conn().execute(
            "INSERT INTO sync_watermarks (system, object, modified_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (system, object) DO UPDATE SET modified_at = max(modified_at, excluded.modified_at)",
            params![system, object, at.to_rfc3339()],
        )?;
        Ok(())
    }

    /// Where the last pull of an object got to.
    pub fn watermark(&self, system: &str, object: &str) -> Result<Option<DateTime<Utc>>> {
        let text: Option<String> = self
            .conn()
            .query_row(
                "SELECT modified_at FROM sync_watermarks WHERE system = ?1 AND object = ?2",
                params![system, object],
                |r| r.get(0),
            )
            .optional()?;
        Ok(text.and_then(|t| DateTime::parse_from_rfc3339(&t).ok()).map(|t| t.with_timezone(&Utc)))
    }

    /// What applying the staged records would change, field by field, and what waits to be
    /// pushed: everything in one answer.
    pub fn sync_preview(&self, system: &str) -> Result<SyncPreview> {
        self.sync_preview_page(system, &PreviewQuery::everything())
    }

    /// One page of the preview. The changes of every staged record are worked out once and
    /// kept until the next write to the book, so paging and filtering a 30,000-record first
    /// sync only slices them.
    pub fn sync_preview_page(&self, system: &str, query: &PreviewQuery) -> Result<SyncPreview> {
        let conn = self.conn();
        let all = self.preview.get(&conn, system.to_owned(), || staged_changes(&conn, system))?;
        let words = query.text.trim().to_lowercase();
        let wanted = |r: &RecordChange| {
            query.entity.map_or(true, |e| e == r.entity)
                && query.action.map_or(true, |a| a == r.action)
                && (!query.attention || needs_attention(r))
                && (words.is_empty() || r.name.to_lowercase().contains(&words))
        };
        let limit = match query.limit {
            0 => 50,
            u32::MAX => u32::MAX,
            n => n.min(PreviewQuery::MAX_PAGE),
        } as usize;
        let matching: Vec<&RecordChange> = all.iter().filter(|r| wanted(r)).collect();
        let records = matching.iter().skip(query.offset as usize).take(limit).map(|r| (*r).clone()).collect();

        let mut outbox: Vec<OutboxItem> = notes_to_push(&conn, system)?
            .into_iter()
            .map(|n| outbox_item(OutboxKind::Note, n.local_id, n.title, n.account_name))
            .collect();
        outbox.extend(
            tasks_to_push(&conn, system)?
                .into_iter()
                .map(|t| outbox_item(OutboxKind::Task, t.local_id, t.title, t.account_name)),
        );
        let outbox_total = outbox.len() as u32;
        let outbox_page = if limit == usize::MAX { usize::MAX } else { PreviewQuery::OUTBOX_PAGE as usize };
        let outbox = outbox.into_iter().skip(query.outbox_offset as usize).take(outbox_page).collect();
        Ok(SyncPreview {
            records,
            matching: matching.len() as u32,
            counts: counts(&all),
            outbox,
            outbox_total,
            conflicts: conflicts(&all),
        })
    }

    /// The remote ids of every staged record, for applying all but the ones the CSM unticked.
    pub fn staged_ids(&self, system: &str) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached("SELECT remote_id FROM sync_staged WHERE system = ?1")?;
        let rows = stmt.query_map([system], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many fields of the staged records are conflicts (the run log's count), without
    /// reading what waits to be pushed.
    pub fn sync_conflicts(&self, system: &str) -> Result<u32> {
        let conn = self.conn();
        Ok(conflicts(&self.preview.get(&conn, system.to_owned(), || staged_changes(&conn, system))?))
    }

    /// Applies the staged records (all, or those named), in one transaction. A record with a
    /// conflict the CSM has not resolved, a value the forms refuse, or a contact whose company is
    /// not in the book stays staged; nothing is half-applied.
    pub fn apply_sync(
        &self,
        system: &str,
        only: Option<&[String]>,
        resolutions: &[Resolution],
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<SyncApplied> {
        let chosen: Option<HashSet<&str>> = only.map(|ids| ids.iter().map(String::as_str).collect());
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mut result = SyncApplied::default();
        let mut known = Known::load(&tx, system)?;
        let mut touched: HashMap<SyncEntity, Vec<String>> = HashMap::new();
        for r in staged(&tx, system)? {
            if chosen.as_ref().is_some_and(|c| !c.contains(r.remote_id.as_str())) {
                result.left += 1;
                continue;
            }
            let (change, local) = record_change(&tx, &known, &r)?;
            let resolved = |field: &str| resolutions.iter().any(|x| x.remote_id == r.remote_id && x.field == field);
            let open_conflict = change.fields.iter().any(|f| f.action == FieldAction::Conflict && !resolved(&f.field));
            if open_conflict {
                result.left += 1;
                continue;
            }
            if r.archived && change.local_id.is_none() {
                // Removed in the CRM and never in the book: nothing to archive here.
                tx.prepare_cached("DELETE FROM sync_staged WHERE system = ?1 AND entity = ?2 AND remote_id = ?3")?
                    .execute(params![system, r.entity.as_str(), r.remote_id])?;
                continue;
            }
            let values = final_values(&local, &change, resolutions);
            // A value the forms refuse (or a contact whose company is not in the book) waits.
            let id = match apply_one(&tx, system, &known, &r, &change, &values, now) {
                Ok(id) => id,
                Err(Error::Invalid(_)) => {
                    result.left += 1;
                    continue;
                }
                Err(other) => return Err(other),
            };
            known.linked(r.entity, &r.remote_id, &id, r.fields.clone());
            touched.entry(r.entity).or_default().push(id);
            match change.action {
                RecordAction::Create => result.created += 1,
                RecordAction::Update => result.updated += 1,
                RecordAction::Archive => result.archived += 1,
            }
            tx.prepare_cached("DELETE FROM sync_staged WHERE system = ?1 AND entity = ?2 AND remote_id = ?3")?
                .execute(params![system, r.entity.as_str(), r.remote_id])?;
        }
        for (entity, ids) in &touched {
            let kind = if *entity == SyncEntity::Account { SearchKind::Account } else { SearchKind::Contact };
            search::reindex_many(&tx, kind, ids)?;
        }
        health::rescore_all_in(&tx, today)?;
        tx.commit()?;
        Ok(result)
    }

    pub fn notes_to_push(&self, system: &str) -> Result<Vec<PushNote>> {
        notes_to_push(&self.conn(), system)
    }

    pub fn tasks_to_push(&self, system: &str) -> Result<Vec<PushTask>> {
        tasks_to_push(&self.conn(), system)
    }

    /// Records that a note or task is in the CRM at `version`, so it is pushed again only after
    /// a later edit.
    pub fn record_pushed(
        &self,
        system: &str,
        kind: &str,
        local_id: &str,
        remote_id: &str,
        version: &str,
    ) -> Result<()> {
        self.conn()
            .prepare_cached(
                "INSERT INTO crm_links (entity, local_id, system, remote_id, pushed_version) VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT (entity, local_id, system) DO UPDATE SET \
                   remote_id = excluded.remote_id, pushed_version = excluded.pushed_version",
            )?
            .execute(params![kind, local_id, system, remote_id, version])?;
        Ok(())
    }

    /// The CRM id of a linked local record.
    pub fn remote_id(&self, system: &str, entity: &str, local_id: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT remote_id FROM crm_links WHERE system = ?1 AND entity = ?2 AND local_id = ?3",
                params![system, entity, local_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn start_sync_run(&self, system: &str, now: DateTime<Utc>) -> Result<String> {
        let id = new_id();
        self.conn()
            .execute("INSERT INTO sync_runs (id, system, started_at) VALUES (?1, ?2, ?3)", params![id, system, now])?;
        Ok(id)
    }

    pub fn finish_sync_run(&self, run: &SyncRun) -> Result<()> {
        let errors = serde_json::to_string(&run.errors).unwrap_or_else(|_| "[]".to_owned());
        self.conn().execute(
            "UPDATE sync_runs SET finished_at = ?2, pulled = ?3, pushed = ?4, conflicts = ?5, errors = ?6, status = ?7 \
             WHERE id = ?1",
            params![run.id, run.finished_at, run.pulled, run.pushed, run.conflicts, errors, run.status.as_str()],
        )?;
        Ok(())
    }

    /// The sync log, newest first.
    pub fn sync_runs(&self, limit: u32) -> Result<Vec<SyncRun>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, system, started_at, finished_at, pulled, pushed, conflicts, errors, status FROM sync_runs \
             ORDER BY started_at DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], |r| {
            let errors: String = r.get(7)?;
            Ok(SyncRun {
                id: r.get(0)?,
                system: r.get(1)?,
                started_at: r.get(2)?,
                finished_at: r.get(3)?,
                pulled: r.get(4)?,
                pushed: r.get(5)?,
                conflicts: r.get(6)?,
                errors: serde_json::from_str(&errors).unwrap_or_default(),
                status: super::enum_column(r, 8, SyncStatus::parse)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The connection settings of a CRM (`None` until the CSM connects it).
    pub fn crm_settings(&self, system: &str) -> Result<Option<CrmSettings>> {
        settings::read_json(&self.conn(), &format!("crm.{system}"))
    }

    pub fn save_crm_settings(&self, system: &str, value: Option<&CrmSettings>) -> Result<()> {
        let conn = self.conn();
        match value {
            Some(v) => settings::write_json(&conn, &format!("crm.{system}"), v),
            None => settings::remove(&conn, &format!("crm.{system}")),
        }
    }

    /// The CRM ids of an entity the book has or is about to have (linked or staged).
    pub fn known_remote_ids(&self, system: &str, entity: SyncEntity) -> Result<HashSet<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT remote_id FROM crm_links WHERE system = ?1 AND entity = ?2 \
             UNION SELECT remote_id FROM sync_staged WHERE system = ?1 AND entity = ?2",
        )?;
        let rows = stmt.query_map(params![system, entity.as_str()], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records the CRM's open-ticket counts as health signals on the linked accounts (open and
    /// urgent), when they differ from the latest reading; accounts with none get 0. Rescores.
    pub fn record_crm_signals(
        &self,
        system: &str,
        open: &BTreeMap<String, (u32, u32)>,
        today: NaiveDate,
    ) -> Result<u32> {
        let source = CrmSystem::parse(system).map_or("From the CRM's open tickets", CrmSystem::tickets_source);
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let linked: Vec<(String, String)> = {
            let mut stmt =
                tx.prepare("SELECT local_id, remote_id FROM crm_links WHERE system = ?1 AND entity = 'account'")?;
            let rows = stmt.query_map([system], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut written = 0;
        for (account, remote) in linked {
            let (tickets, urgent) = open.get(&remote).copied().unwrap_or((0, 0));
            for (kind, value) in [(SignalKind::TicketsOpen, tickets), (SignalKind::CriticalTicketsOpen, urgent)] {
                let latest: Option<f64> = tx
                    .query_row(
                        "SELECT value FROM signals WHERE account_id = ?1 AND kind = ?2 ORDER BY recorded_on DESC, id DESC LIMIT 1",
                        params![account, kind.as_str()],
                        |r| r.get(0),
                    )
                    .optional()?;
                if latest.map_or(value == 0, |l| (l - f64::from(value)).abs() < f64::EPSILON) {
                    continue;
                }
                let signal = Signal {
                    id: new_id(),
                    account_id: account.clone(),
                    kind,
                    value: f64::from(value),
                    recorded_on: today,
                    expires_on: None,
                    comment: source.into(),
                };
                health::insert_signal(&tx, &signal, "crm")?;
                written += 1;
            }
        }
        health::rescore_all_in(&tx, today)?;
        tx.commit()?;
        Ok(written)
    }

    /// Writes a page of deals with the watermark, in one transaction.
    pub fn upsert_deals(&self, system: &str, deals: &[Deal]) -> Result<u32> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mut written = 0;
        for d in deals {
            tx.execute(
                "INSERT INTO deals (system, remote_id, company_remote_id, name, amount_minor, currency, close_date, stage, \
                 pipeline, kind, closed, modified_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
                 ON CONFLICT (system, remote_id) DO UPDATE SET company_remote_id = excluded.company_remote_id, name = excluded.name, \
                 amount_minor = excluded.amount_minor, currency = excluded.currency, close_date = excluded.close_date, \
                 stage = excluded.stage, pipeline = excluded.pipeline, kind = excluded.kind, closed = excluded.closed, \
                 modified_at = excluded.modified_at",
                params![
                    system,
                                        d.remote_id,
                    d.company_remote_id,
                    d.name,
                    d.amount.as_ref().map(|m| m.minor),
                    d.amount.as_ref().map(|m| m.currency.clone()),
                    d.close_date.map(|x| x.to_string()),
                    d.stage,
                    d.pipeline,
                    d.kind.as_str(),
                    d.closed,
                    d.modified_at.to_rfc3339()
                ],
            )?;
            written += 1;
        }
        if let Some(latest) = deals.iter().map(|d| d.modified_at).max() {
            tx.execute(
                "INSERT INTO sync_watermarks (system, object, modified_at) VALUES (?1, 'deals', ?2) \
                 ON CONFLICT (system, object) DO UPDATE SET modified_at = max(modified_at, excluded.modified_at)",
                params![system, latest.to_rfc3339()],
            )?;
        }
        tx.commit()?;
        Ok(written)
    }

    /// An account's deals from the CRM: open ones first by close date, then closed.
    pub fn account_deals(&self, account_id: &str) -> Result<Vec<Deal>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
                        "SELECT d.remote_id, d.company_remote_id, d.name, d.amount_minor, d.currency, d.close_date, d.stage, \
                    d.pipeline, d.kind, d.closed, d.modified_at \
             FROM deals d JOIN crm_links l ON l.entity = 'account' AND l.remote_id = d.company_remote_id AND l.system = d.system \
             WHERE l.local_id = ?1 ORDER BY d.closed, d.close_date IS NULL, d.close_date, d.remote_id",
        )?;
        let rows = stmt.query_map([account_id], |r| {
            let minor: Option<i64> = r.get(3)?;
            let currency: Option<String> = r.get(4)?;
            let modified: String = r.get(10)?;
            Ok(Deal {
                remote_id: r.get(0)?,
                company_remote_id: r.get(1)?,
                name: r.get(2)?,
                amount: minor.map(|minor| Money { minor, currency: currency.unwrap_or_else(|| "USD".into()) }),
                close_date: super::columns::date(r, 5)?,
                stage: r.get(6)?,
                pipeline: r.get(7)?,
                kind: super::enum_column(r, 8, DealKind::parse)?,
                closed: r.get(9)?,
                modified_at: DateTime::parse_from_rfc3339(&modified).map(|t| t.with_timezone(&Utc)).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many pulled records wait to be applied.
    pub fn staged_count(&self, system: &str) -> Result<u32> {
        Ok(self.conn().query_row("SELECT count(*) FROM sync_staged WHERE system = ?1", [system], |r| r.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AccountInput, NoteInput};

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
            fields: fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
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
        let theirs = Resolution { remote_id: "c1".into(), field: "industry".into(), choice: Choice::Theirs };
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
            .stage_remote(
                HS,
                "companies",
                &[company_named("g1", &[("name", "Globex"), ("domain", "GLOBEX.com")])],
                now(),
            )
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
        store
            .stage_remote(HS, "companies", &[company_named("c1", &[("name", "Acme"), ("arr", "lots")])], now())
            .unwrap();
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
            let input = NoteInput {
                account_id: account.clone(),
                body_md: "QBR went well".into(),
                private,
                ..Default::default()
            };
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
        let by_kind: Vec<(SyncEntity, u32, u32)> =
            first.counts.iter().map(|c| (c.entity, c.records, c.waiting)).collect();
        assert_eq!(by_kind, [(SyncEntity::Account, 301, 1), (SyncEntity::Contact, 120, 0)]);

        let contacts =
            PreviewQuery { entity: Some(SyncEntity::Contact), offset: 100, limit: 500, ..Default::default() };
        let page = store.sync_preview_page(HS, &contacts).unwrap();
        assert_eq!((page.records.len(), page.matching), (20, 120), "the page is capped and offset");
        assert!(page.records.iter().all(|r| r.entity == SyncEntity::Contact));
        let found =
            store.sync_preview_page(HS, &PreviewQuery { text: "company 29".into(), ..Default::default() }).unwrap();
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
}
