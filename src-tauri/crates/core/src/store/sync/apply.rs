//! Merge and apply: what each staged record would change (worked out once per state of the book),
//! and applying the chosen records in one transaction.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, Transaction};

use super::outbox::{notes_to_push, outbox_item, tasks_to_push};
use super::staging::staged;
use super::write_link;
use crate::error::{Error, Result};
use crate::model::{
    Account, Contact, FieldAction, OutboxItem, OutboxKind, PreviewCount, PreviewQuery, RecordAction, RecordChange,
    RemoteRecord, Resolution, SearchKind, SyncApplied, SyncEntity, SyncField, SyncPreview,
};
use crate::store::renewals::history::ArrSource;
use crate::store::{accounts, contacts, health, search, Store};
use crate::sync::{final_values, from_values, merge, named, natural_order, problems, to_values, Values};
use crate::validate;

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
        let field = |k: SyncField| r.fields.get(&k).map(|v| v.trim().to_lowercase()).filter(|v| !v.is_empty());
        let found = match r.entity {
            SyncEntity::Account => field(SyncField::Domain)
                .and_then(|d| self.account_by_domain.get(&d))
                .or_else(|| field(SyncField::Name).and_then(|n| self.account_by_name.get(&n))),
            SyncEntity::Contact => field(SyncField::Email).and_then(|e| self.contact_by_email.get(&e)),
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
pub type PreviewCache = crate::store::cache::UntilWritten<String, Vec<RecordChange>>;

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

/// Unlinked records of `table` by `column`: one pass over the table, each row's link found
/// through the primary key (a scan of `crm_links` per row made a re-sync of a real book take
/// minutes).
pub(super) fn unlinked_sql(table: &str, entity: &str, column: &str) -> String {
    format!(
        "SELECT lower({column}), id FROM {table} t WHERE {column} IS NOT NULL AND {column} != '' AND NOT EXISTS \
         (SELECT 1 FROM crm_links l WHERE l.entity = '{entity}' AND l.local_id = t.id AND l.system = ?1)"
    )
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
        name: r.fields.get(&SyncField::Name).cloned().filter(|n| !n.is_empty()).unwrap_or(name),
        action,
        fields,
        problems: Vec::new(),
    };
    if !r.archived {
        change.problems = problems(r.entity, &final_values(&local, &change, &[]));
    }
    Ok((change, local))
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
                accounts::write_update(tx, id, &validate::account(&from_values(values))?, now, ArrSource::Sync)?;
            }
            id.clone()
        }
        (SyncEntity::Account, None) => {
            let account = accounts::new_account(&validate::account(&from_values(values))?, now);
            accounts::insert(tx, &account, ArrSource::Sync)?;
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

impl Store {
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
            query.entity.is_none_or(|e| e == r.entity)
                && query.action.is_none_or(|a| a == r.action)
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
            let resolved =
                |field: SyncField| resolutions.iter().any(|x| x.remote_id == r.remote_id && x.field == field);
            let open_conflict = change.fields.iter().any(|f| f.action == FieldAction::Conflict && !resolved(f.field));
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
            known.linked(r.entity, &r.remote_id, &id, named(&r.fields));
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
}
