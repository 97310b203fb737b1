//! The stakeholder map as stored: the people and the notes they attended, loaded in a few
//! set-based queries for `crate::relationships` (pure); each account's coverage as computed with
//! its score; stakeholder edits and `@name stance:` lines with their timeline entries.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Days, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::{contacts, enum_column, health, search, timeline, Store};
use crate::error::{Error, FieldError, Result};
use crate::facts::day_text;
use crate::model::{
    Attendee, Cadence, Contact, ContactRole, Coverage, Influence, Relationships, SearchKind, Segment, Stakeholder,
    StakeholderField, StakeholderUpdate, Stance, TimelineKind,
};
use crate::relationships::{self as pure, name_key, Person, Touch};
use crate::validate::{ValidContact, ValidStakeholder};
use crate::{org_chart, relationships};

fn invalid(field: &str, message: impl Into<String>) -> Error {
    Error::Invalid(vec![FieldError::new(field, message)])
}

/// The people of one account, or of every account.
fn people(conn: &Connection, account: Option<&str>) -> Result<Vec<Contact>> {
    let sql = format!("SELECT {} FROM contacts WHERE account_id = ?1 OR ?1 IS NULL", contacts::COLUMNS);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([account], contacts::from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What reading relationships needs of the people of one account, or of every account: a lean
/// read (the daily rescoring reads every contact of the book).
fn persons(conn: &Connection, account: Option<&str>) -> Result<Vec<Person>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, account_id, name, role, deal_roles, influence, left_on FROM contacts \
         WHERE account_id = ?1 OR ?1 IS NULL",
    )?;
    let rows = stmt.query_map([account], |r| {
        Ok(Person {
            id: r.get(0)?,
            account_id: r.get(1)?,
            name: r.get(2)?,
            role: enum_column(r, 3, ContactRole::parse)?,
            deal_roles: contacts::deal_roles(r.get_ref(4)?.as_str().unwrap_or("[]")),
            influence: r.get::<_, Option<String>>(5)?.as_deref().and_then(Influence::parse),
            left_on: super::columns::date(r, 6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Notes up to `day` with their attendees: of one account (and the other accounts' notes its
/// people attended), or of every account.
fn touches(conn: &Connection, day: NaiveDate, account: Option<&str>) -> Result<Vec<Touch>> {
    let until = (day + Days::new(1)).to_string();
    let select = "SELECT n.id, n.account_id, substr(n.occurred_at, 1, 10), a.contact_id, a.name";
    let sql = match account {
        Some(_) => format!(
            "{select} FROM notes n JOIN note_attendees a ON a.note_id = n.id \
               WHERE n.account_id = ?1 AND n.occurred_at < ?2 \
             UNION ALL \
             {select} FROM contacts c JOIN note_attendees a ON a.contact_id = c.id JOIN notes n ON n.id = a.note_id \
               WHERE c.account_id = ?1 AND n.account_id != ?1 AND n.occurred_at < ?2 \
             ORDER BY 1"
        ),
        None => format!(
            "{select} FROM notes n JOIN note_attendees a ON a.note_id = n.id \
             WHERE ?1 IS NULL AND n.occurred_at < ?2 ORDER BY 1"
        ),
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![account, until])?;
    let mut out: Vec<Touch> = Vec::new();
    let mut last_note = String::new();
    while let Some(row) = rows.next()? {
        let note = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
        let attendee = Attendee { contact_id: row.get(3)?, name: row.get(4)? };
        if note == last_note {
            if let Some(touch) = out.last_mut() {
                touch.attendees.push(attendee);
            }
            continue;
        }
        last_note = note.to_owned();
        let Some(day) = super::columns::date(row, 2)? else { continue };
        out.push(Touch { account_id: row.get(1)?, day, attendees: vec![attendee] });
    }
    Ok(out)
}

fn segments(conn: &Connection, account: Option<&str>) -> Result<HashMap<String, Segment>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, segment FROM accounts WHERE archived_at IS NULL AND (id = ?1 OR ?1 IS NULL)")?;
    let rows = stmt.query_map([account], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = HashMap::new();
    for row in rows {
        let (id, segment) = row?;
        out.insert(id, Segment::parse(&segment).unwrap_or(Segment::LowTouch));
    }
    Ok(out)
}

/// Every account's coverage (or one's) as of `day`.
pub(super) fn coverage_on(
    conn: &Connection,
    cadence: &Cadence,
    day: NaiveDate,
    account: Option<&str>,
) -> Result<HashMap<String, Coverage>> {
    let segments = segments(conn, account)?;
    if segments.is_empty() {
        return Ok(HashMap::new());
    }
    let people = persons(conn, account)?;
    let touches = touches(conn, day, account)?;
    Ok(pure::coverage(&segments, &people, &touches, cadence, day))
}

/// Keeps the coverage computed with the accounts' scores, for the Book's filters and the Week.
/// Only what changed is written: on a new day most accounts' coverage is as it was.
fn write_coverage(tx: &Transaction<'_>, day: NaiveDate, all: &HashMap<String, Coverage>) -> Result<()> {
    let one = if all.len() == 1 { all.keys().next().map(String::as_str) } else { None };
    let mut kept: HashMap<String, String> = HashMap::new();
    let mut stmt =
        tx.prepare_cached("SELECT account_id, coverage FROM account_coverage WHERE account_id = ?1 OR ?1 IS NULL")?;
    let mut rows = stmt.query([one])?;
    while let Some(row) = rows.next()? {
        kept.insert(row.get(0)?, row.get(1)?);
    }
    drop(rows);
    let mut stmt = tx.prepare_cached(
        "INSERT INTO account_coverage (account_id, day, single_threaded, sponsor_engaged, level, coverage) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (account_id) DO UPDATE SET day = excluded.day, \
         single_threaded = excluded.single_threaded, sponsor_engaged = excluded.sponsor_engaged, \
         level = excluded.level, coverage = excluded.coverage",
    )?;
    for (account, coverage) in all {
        let json = serde_json::to_string(coverage).unwrap_or_else(|_| "{}".to_owned());
        if kept.get(account) == Some(&json) {
            continue;
        }
        stmt.execute(params![
            account,
            day.to_string(),
            coverage.single_threaded.is_some(),
            coverage.sponsor_engaged,
            coverage.level,
            json
        ])?;
    }
    Ok(())
}

/// Each account's Relationship level as of `day` (or one account's), for scoring, with the
/// coverage kept for the Book and the Week. A full rescoring on the day the coverage was last
/// worked out, with no write to people, notes or accounts since (`relationship_inputs`), reuses
/// the kept levels instead of reading every person again.
pub(super) fn levels_for_scoring(
    tx: &Transaction<'_>,
    cadence: &Cadence,
    day: NaiveDate,
    account: Option<&str>,
) -> Result<HashMap<String, Option<u8>>> {
    let cadence_text = serde_json::to_string(cadence).unwrap_or_default();
    if account.is_none() {
        let fresh: bool = tx.query_row(
            "SELECT computed_version = version AND computed_on = ?1 AND computed_cadence = ?2 \
             FROM relationship_inputs WHERE id = 1",
            params![day.to_string(), cadence_text],
            |r| Ok(r.get::<_, Option<bool>>(0)?.unwrap_or(false)),
        )?;
        if fresh {
            let mut stmt = tx.prepare_cached("SELECT account_id, level FROM account_coverage")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            return Ok(rows.collect::<rusqlite::Result<_>>()?);
        }
    }
    let coverage = coverage_on(tx, cadence, day, account)?;
    write_coverage(tx, day, &coverage)?;
    if account.is_none() {
        tx.execute(
            "UPDATE relationship_inputs SET computed_version = version, computed_on = ?1, computed_cadence = ?2 \
             WHERE id = 1",
            params![day.to_string(), cadence_text],
        )?;
    }
    Ok(levels(coverage))
}

/// The Relationship level of each account's coverage.
pub(super) fn levels(coverage: HashMap<String, Coverage>) -> HashMap<String, Option<u8>> {
    coverage.into_iter().map(|(id, c)| (id, c.level)).collect()
}

/// The coverage last computed for every account.
pub(super) fn coverage_by_account(conn: &Connection) -> Result<HashMap<String, Coverage>> {
    let mut stmt = conn.prepare_cached("SELECT account_id, coverage FROM account_coverage")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = HashMap::new();
    for row in rows {
        let (id, json) = row?;
        if let Ok(coverage) = serde_json::from_str(&json) {
            out.insert(id, coverage);
        }
    }
    Ok(out)
}

fn dismissed(conn: &Connection, account_id: &str) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare_cached("SELECT name_key FROM dismissed_attendees WHERE account_id = ?1")?;
    let rows = stmt.query_map([account_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn stance_text(s: Option<Stance>) -> &'static str {
    s.map_or("no stance", Stance::as_str)
}

fn influence_text(i: Option<Influence>) -> String {
    i.map_or("no influence set".to_owned(), |i| format!("{} influence", i.as_str()))
}

/// What changed on the map between two versions of a person, in words for the timeline.
fn changes(before: &Contact, after: &ValidStakeholder) -> Vec<String> {
    let mut out = Vec::new();
    if before.stance != after.stance {
        out.push(format!("{} → {}", stance_text(before.stance), stance_text(after.stance)));
    }
    if before.influence != after.influence {
        out.push(format!("{} → {}", influence_text(before.influence), influence_text(after.influence)));
    }
    let added: Vec<&str> =
        after.deal_roles.iter().filter(|r| !before.deal_roles.contains(r)).map(|r| r.label()).collect();
    let removed: Vec<&str> =
        before.deal_roles.iter().filter(|r| !after.deal_roles.contains(r)).map(|r| r.label()).collect();
    if !added.is_empty() {
        out.push(format!("now {}", added.join(", ")));
    }
    if !removed.is_empty() {
        out.push(format!("no longer {}", removed.join(", ")));
    }
    out
}

/// Writes a person's map fields, refusing a manager at another account or one that closes a
/// loop, and puts what changed on the timeline (`why`: "edited", "from the call of 3 Dec 2026").
fn write_stakeholder(
    tx: &Transaction<'_>,
    contact: &Contact,
    d: &ValidStakeholder,
    at: DateTime<Utc>,
    why: &str,
) -> Result<()> {
    if let Some(manager) = &d.reports_to {
        let theirs: Option<String> =
            tx.query_row("SELECT account_id FROM contacts WHERE id = ?1", [manager], |r| r.get(0)).optional()?;
        match theirs {
            None => return Err(invalid("reports_to", "That manager is no longer a contact.")),
            Some(account) if account != contact.account_id => {
                return Err(invalid("reports_to", "A manager must be a person at the same account."))
            }
            Some(_) => {}
        }
        if org_chart::would_loop(&people(tx, Some(&contact.account_id))?, &contact.id, manager) {
            return Err(invalid("reports_to", format!("{} would end up reporting to themselves.", contact.name)));
        }
    }
    tx.execute(
        "UPDATE contacts SET reports_to = ?2, influence = ?3, stance = ?4, deal_roles = ?5, private_notes = ?6, \
         updated_at = ?7 WHERE id = ?1",
        params![
            contact.id,
            d.reports_to,
            d.influence.map(Influence::as_str),
            d.stance.map(Stance::as_str),
            contacts::roles_json(&d.deal_roles),
            d.private_notes,
            at.max(contact.updated_at)
        ],
    )?;
    let mut said = changes(contact, d);
    if contact.reports_to != d.reports_to {
        let manager: Option<String> = match &d.reports_to {
            Some(id) => tx.query_row("SELECT name FROM contacts WHERE id = ?1", [id], |r| r.get(0)).optional()?,
            None => None,
        };
        said.push(manager.map_or("reports to no one here".to_owned(), |m| format!("reports to {m}")));
    }
    if !said.is_empty() {
        let title = format!("{}: {}", contact.name, said.join("; "));
        timeline::insert(
            tx,
            &timeline::event(&contact.account_id, TimelineKind::Stakeholder, at, title, why.to_owned()),
        )?;
    }
    Ok(())
}

/// A person's map fields as a checked edit, to change one of them.
fn as_valid(c: &Contact) -> ValidStakeholder {
    ValidStakeholder {
        reports_to: c.reports_to.clone(),
        influence: c.influence,
        stance: c.stance,
        deal_roles: c.deal_roles.clone(),
        private_notes: c.private_notes.clone(),
    }
}

/// The `@name stance:` lines of a note on `account_id`, matched to its people.
pub(super) fn note_updates(conn: &Connection, account_id: &str, body_md: &str) -> Result<Vec<StakeholderUpdate>> {
    let lines = relationships::stakeholder_lines(body_md);
    if lines.is_empty() {
        return Ok(Vec::new());
    }
    Ok(relationships::resolve(&lines, &people(conn, Some(account_id))?))
}

/// Applies a saved note's `@name stance:` lines; a line that cannot apply refuses the note.
pub(super) fn apply_note_lines(
    tx: &Transaction<'_>,
    account_id: &str,
    body_md: &str,
    occurred_at: DateTime<Utc>,
) -> Result<()> {
    let updates = note_updates(tx, account_id, body_md)?;
    if let Some(problem) = updates.iter().find_map(|u| u.problem.clone()) {
        return Err(invalid("body_md", problem));
    }
    let why = format!("From the call of {}", day_text(occurred_at.date_naive()));
    for update in updates {
        let Some(id) = update.contact_id else { continue };
        let contact = contacts::get(tx, &id)?;
        let mut d = as_valid(&contact);
        match update.field {
            StakeholderField::Stance => d.stance = Stance::parse(&update.value),
            StakeholderField::Influence => d.influence = Influence::parse(&update.value),
        }
        write_stakeholder(tx, &contact, &d, occurred_at, &why)?;
    }
    Ok(())
}

impl Store {
    /// The account's people page: the stakeholders with their engagement, the coverage, the
    /// attendees not yet contacts, and the org chart (`collapsed`: None for the default folds).
    pub fn relationships(
        &self,
        account_id: &str,
        collapsed: Option<&[String]>,
        today: NaiveDate,
    ) -> Result<Relationships> {
        self.account(account_id)?;
        let conn = self.conn();
        let cadence = health::scorecard_in(&conn)?.cadence_days;
        let people = people(&conn, Some(account_id))?;
        let persons: Vec<Person> = people.iter().map(Person::from).collect();
        let touches = touches(&conn, today, Some(account_id))?;
        let segments = segments(&conn, Some(account_id))?;
        let mut assessed =
            pure::assess(&segments, &persons, &touches, &cadence, today).remove(account_id).unwrap_or_default();
        let suggested = pure::suggested_contacts(account_id, &persons, &touches, &dismissed(&conn, account_id)?);
        let chart = org_chart::layout(&people, collapsed);
        let mut stakeholders: Vec<Stakeholder> = people
            .into_iter()
            .map(|contact| Stakeholder {
                roles: contact.roles(),
                engagement: assessed.engagement.remove(contact.id.as_str()).unwrap_or_default(),
                contact,
            })
            .collect();
        stakeholders.sort_by(|a, b| {
            (a.contact.left_on.is_some(), a.contact.name.to_lowercase())
                .cmp(&(b.contact.left_on.is_some(), b.contact.name.to_lowercase()))
        });
        Ok(Relationships { stakeholders, coverage: assessed.coverage, suggested, chart })
    }

    /// Changes a person's place on the stakeholder map; the account is rescored and what changed
    /// lands on its timeline, all or nothing.
    pub fn update_stakeholder(
        &self,
        contact_id: &str,
        d: &ValidStakeholder,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<Contact> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let contact = contacts::get(&tx, contact_id)?;
        write_stakeholder(&tx, &contact, d, now, "Edited on the stakeholder map")?;
        health::rescore_in(&tx, &contact.account_id, today)?;
        let updated = contacts::get(&tx, contact_id)?;
        tx.commit()?;
        Ok(updated)
    }

    /// Moves a person under another manager (or to the top, `None`): the org chart's drag.
    pub fn set_reports_to(&self, contact_id: &str, manager: Option<&str>, now: DateTime<Utc>) -> Result<Contact> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let contact = contacts::get(&tx, contact_id)?;
        let d = ValidStakeholder { reports_to: manager.map(str::to_owned), ..as_valid(&contact) };
        write_stakeholder(&tx, &contact, &d, now, "Moved on the org chart")?;
        let updated = contacts::get(&tx, contact_id)?;
        tx.commit()?;
        Ok(updated)
    }

    /// What a note's `@name stance:` lines will do when it is saved, for the editor's preview.
    pub fn stakeholder_updates(&self, account_id: &str, body_md: &str) -> Result<Vec<StakeholderUpdate>> {
        note_updates(&self.conn(), account_id, body_md)
    }

    /// Adds an attendee typed as a free name as a contact of the account (a checked contact
    /// draft of that name), and links the notes they attended to them. Returns the new contact.
    pub fn add_suggested_contact(
        &self,
        account_id: &str,
        draft: &ValidContact,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<Contact> {
        self.account(account_id)?;
        let key = name_key(&draft.name);
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let contact = contacts::new_contact(account_id, draft, now);
        contacts::insert(&tx, &contact)?;
        let rows: Vec<(i64, String)> = tx
            .prepare_cached(
                "SELECT a.rowid, a.name FROM note_attendees a JOIN notes n ON n.id = a.note_id \
                 WHERE n.account_id = ?1 AND a.contact_id IS NULL",
            )?
            .query_map([account_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (rowid, _) in rows.iter().filter(|(_, n)| name_key(n) == key) {
            tx.execute("UPDATE note_attendees SET contact_id = ?2 WHERE rowid = ?1", params![rowid, contact.id])?;
        }
        search::reindex(&tx, SearchKind::Contact, &contact.id)?;
        health::rescore_in(&tx, account_id, today)?;
        tx.commit()?;
        Ok(contact)
    }

    /// Stops suggesting a free-name attendee as a contact of the account.
    pub fn dismiss_suggested_contact(&self, account_id: &str, name: &str) -> Result<()> {
        let key = name_key(name);
        if key.is_empty() {
            return Err(invalid("name", "Name is required."));
        }
        self.account(account_id)?;
        self.conn().execute(
            "INSERT OR IGNORE INTO dismissed_attendees (account_id, name_key) VALUES (?1, ?2)",
            params![account_id, key],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
