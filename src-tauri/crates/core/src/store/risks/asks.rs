//! The customers' asks: one ask shared by every account asking, its status with the product
//! team, and the Asks page ranked by the ARR of the accounts asking.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, Transaction};

use super::super::columns::date;
use super::super::renewals::{rates_on, settings_in};
use super::super::{enum_column, search, timeline, Store};
use super::{offers, query_all};
use crate::asks::{best_match, rank_by_demand, words};
use crate::error::{Error, Result};
use crate::model::{new_id, Ask, AskAccount, AskStatus, AsksView, Money, SearchKind, TimelineKind, TimelineRef};
use crate::validate::ValidAsk;

/// Which asks to read.
#[derive(Clone, Copy)]
enum Which<'a> {
    All,
    Ask(&'a str),
    /// Those the account asks for.
    AskedBy(&'a str),
}

impl Which<'_> {
    /// The condition on `asks x` and on `ask_accounts k`, and the argument of both.
    fn filters(&self) -> (&'static str, &'static str, Option<&str>) {
        match *self {
            Which::All => ("?1 IS NULL", "?1 IS NULL", None),
            Which::Ask(id) => ("x.id = ?1", "k.ask_id = ?1", Some(id)),
            Which::AskedBy(account) => (
                "x.id IN (SELECT ask_id FROM ask_accounts WHERE account_id = ?1)",
                "k.ask_id IN (SELECT ask_id FROM ask_accounts WHERE account_id = ?1)",
                Some(account),
            ),
        }
    }
}

/// The asks, each with the accounts asking (the biggest first). Set-based: the asks, the
/// accounts and the askings are each read once and joined here, not looked up row by row.
fn load(conn: &Connection, which: Which<'_>) -> Result<Vec<Ask>> {
    let (asks_filter, askers_filter, arg) = which.filters();
    let mut asks: Vec<Ask> = query_all(
        conn,
        &format!("SELECT x.id, x.title, x.problem, x.status, x.reference, x.status_on FROM asks x WHERE {asks_filter}"),
        [arg],
        |r| {
            Ok(Ask {
                id: r.get(0)?,
                title: r.get(1)?,
                problem: r.get(2)?,
                status: enum_column(r, 3, AskStatus::parse)?,
                reference: r.get(4)?,
                status_on: date(r, 5)?.unwrap_or_default(),
                accounts: Vec::new(),
                demand_minor: 0,
            })
        },
    )?;
    let accounts_filter = match which {
        Which::All => "?1 IS NULL".to_owned(),
        _ => format!("id IN (SELECT k.account_id FROM ask_accounts k WHERE {askers_filter})"),
    };
    let accounts: HashMap<String, (String, Money)> = query_all(
        conn,
        &format!("SELECT id, name, arr_minor, currency FROM accounts WHERE {accounts_filter}"),
        [arg],
        |r| Ok((r.get(0)?, (r.get(1)?, Money::new(r.get(2)?, &r.get::<_, String>(3)?)))),
    )?
    .into_iter()
    .collect();
    let index: HashMap<String, usize> = asks.iter().enumerate().map(|(i, a)| (a.id.clone(), i)).collect();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT k.ask_id, k.account_id, k.contact_id, c.name, k.note_id, k.asked_on FROM ask_accounts k \
         LEFT JOIN contacts c ON c.id = k.contact_id WHERE {askers_filter}"
    ))?;
    let mut rows = stmt.query([arg])?;
    while let Some(r) = rows.next()? {
        let Some(&i) = index.get(r.get_ref(0)?.as_str().unwrap_or_default()) else { continue };
        let account_id: String = r.get(1)?;
        let Some((name, arr)) = accounts.get(&account_id) else { continue };
        asks[i].accounts.push(AskAccount {
            account_id,
            account_name: name.clone(),
            arr: arr.clone(),
            contact_id: r.get(2)?,
            contact_name: r.get(3)?,
            note_id: r.get(4)?,
            asked_on: date(r, 5)?.unwrap_or_default(),
        });
    }
    for ask in &mut asks {
        ask.accounts.sort_by(|a, b| b.arr.minor.cmp(&a.arr.minor).then_with(|| a.account_name.cmp(&b.account_name)));
    }
    Ok(asks)
}

fn get(conn: &Connection, id: &str) -> Result<Ask> {
    load(conn, Which::Ask(id))?.pop().ok_or(Error::NotFound("ask"))
}

/// The asks an account made, newest status first.
pub(crate) fn of_account(conn: &Connection, account_id: &str) -> Result<Vec<Ask>> {
    let mut asks = load(conn, Which::AskedBy(account_id))?;
    asks.sort_by(|a, b| b.status_on.cmp(&a.status_on).then(a.title.cmp(&b.title)));
    Ok(asks)
}

pub(super) fn write_words(tx: &Transaction<'_>, id: &str, title: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM ask_words WHERE ask_id = ?1")?.execute([id])?;
    let mut insert = tx.prepare_cached("INSERT OR IGNORE INTO ask_words (word, ask_id) VALUES (?1, ?2)")?;
    for word in words(title) {
        insert.execute(params![word, id])?;
    }
    Ok(())
}

/// The recorded ask a typed one is the same as: candidates sharing a word, then `best_match`.
pub(super) fn matching(conn: &Connection, text: &str) -> Result<Option<(String, String)>> {
    let typed: Vec<String> = words(text).into_iter().collect();
    if typed.is_empty() {
        return Ok(None);
    }
    let json = serde_json::to_string(&typed).unwrap_or_default();
    let candidates: Vec<(String, String)> = conn
        .prepare_cached(
            "SELECT a.id, a.title FROM (SELECT ask_id, count(*) AS shared FROM ask_words \
             WHERE word IN (SELECT value FROM json_each(?1)) GROUP BY ask_id HAVING shared >= min(2, ?2) \
             ORDER BY shared DESC LIMIT 50) w JOIN asks a ON a.id = w.ask_id",
        )?
        .query_map(params![json, typed.len()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let best = best_match(text, candidates.iter().map(|(id, title)| (id.as_str(), title.as_str())));
    Ok(best.and_then(|id| candidates.iter().find(|(i, _)| i == id).cloned()))
}

/// Accounts asking for it: the account joins (or its ask is dated again), on its timeline.
pub(super) fn join(
    tx: &Transaction<'_>,
    ask_id: &str,
    account_id: &str,
    contact_id: Option<&str>,
    day: NaiveDate,
    note_id: Option<&str>,
    at: DateTime<Utc>,
) -> Result<()> {
    let title: String = tx.query_row("SELECT title FROM asks WHERE id = ?1", [ask_id], |r| r.get(0))?;
    tx.prepare_cached(
        "INSERT INTO ask_accounts (ask_id, account_id, contact_id, note_id, asked_on) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (ask_id, account_id) DO UPDATE SET contact_id = coalesce(excluded.contact_id, contact_id), \
         note_id = coalesce(excluded.note_id, note_id), asked_on = max(asked_on, excluded.asked_on)",
    )?
    .execute(params![ask_id, account_id, contact_id, note_id, day])?;
    let event = timeline::event(account_id, TimelineKind::Ask, at, format!("Asked for: {title}"), String::new());
    timeline::insert_about(tx, &event, Some((TimelineRef::Ask, ask_id)))?;
    Ok(())
}

pub(super) fn insert(tx: &Transaction<'_>, d: &ValidAsk, today: NaiveDate, now: DateTime<Utc>) -> Result<String> {
    let id = new_id();
    tx.prepare_cached(
        "INSERT INTO asks (id, title, problem, status, reference, status_on, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![id, d.title, d.problem, d.status.as_str(), d.reference, today, now])?;
    write_words(tx, &id, &d.title)?;
    search::reindex(tx, SearchKind::Ask, &id)?;
    Ok(id)
}

/// Who asked, as the store takes it: account, contact, day, and the note it came from.
pub struct Asker<'a> {
    pub account_id: &'a str,
    pub contact_id: Option<&'a str>,
    pub asked_on: NaiveDate,
    pub note_id: Option<&'a str>,
}

impl Store {
    /// The Asks page: every ask with the accounts asking, most ARR-weighted demand first.
    pub fn asks(&self, today: NaiveDate) -> Result<AsksView> {
        let conn = self.conn();
        let mut asks = load(&conn, Which::All)?;
        let settings = settings_in(&conn)?;
        let (rates, _) = rates_on(&conn, &settings.reporting_currency, today)?;
        let missing_rates = match rank_by_demand(&mut asks, &rates) {
            Ok(()) => Vec::new(),
            Err(missing) => missing.0.into_iter().collect(),
        };
        Ok(AsksView {
            reporting_currency: settings.reporting_currency,
            asks,
            missing_rates,
            offers: offers(&conn, "ask", None)?,
        })
    }

    pub fn ask(&self, id: &str) -> Result<Ask> {
        get(&self.conn(), id)
    }

    /// Records an ask, with the account that asked first when given.
    pub fn create_ask(
        &self,
        d: &ValidAsk,
        asker: Option<&Asker<'_>>,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<Ask> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let id = insert(&tx, d, today, now)?;
        if let Some(a) = asker {
            join_checked(&tx, &id, a, now)?;
        }
        let ask = get(&tx, &id)?;
        tx.commit()?;
        Ok(ask)
    }

    /// Edits an ask; a new status is dated today and goes on every asking account's timeline.
    pub fn update_ask(&self, id: &str, d: &ValidAsk, now: DateTime<Utc>, today: NaiveDate) -> Result<Ask> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let before = get(&tx, id)?;
        tx.prepare_cached(
            "UPDATE asks SET title = ?2, problem = ?3, status = ?4, reference = ?5, \
             status_on = iif(status = ?4, status_on, ?6), updated_at = ?7 WHERE id = ?1",
        )?
        .execute(params![id, d.title, d.problem, d.status.as_str(), d.reference, today, now])?;
        write_words(&tx, id, &d.title)?;
        if before.status != d.status {
            for a in &before.accounts {
                let title = format!("Ask {}: {}", d.status.label(), d.title);
                let event = timeline::event(&a.account_id, TimelineKind::Ask, now, title, d.reference.clone());
                timeline::insert_about(&tx, &event, Some((TimelineRef::Ask, id)))?;
            }
        }
        search::reindex(&tx, SearchKind::Ask, id)?;
        let ask = get(&tx, id)?;
        tx.commit()?;
        Ok(ask)
    }

    /// An account asks for it too (or again).
    pub fn add_asker(&self, ask_id: &str, asker: &Asker<'_>, now: DateTime<Utc>) -> Result<Ask> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        get(&tx, ask_id)?;
        join_checked(&tx, ask_id, asker, now)?;
        let ask = get(&tx, ask_id)?;
        tx.commit()?;
        Ok(ask)
    }

    pub fn remove_asker(&self, ask_id: &str, account_id: &str) -> Result<Ask> {
        let conn = self.conn();
        conn.execute("DELETE FROM ask_accounts WHERE ask_id = ?1 AND account_id = ?2", params![ask_id, account_id])?;
        get(&conn, ask_id)
    }

    pub fn delete_ask(&self, id: &str) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        if tx.execute("DELETE FROM asks WHERE id = ?1", [id])? == 0 {
            return Err(Error::NotFound("ask"));
        }
        tx.execute("DELETE FROM timeline_events WHERE ref_kind = 'ask' AND ref_id = ?1", [id])?;
        search::unindex(&tx, SearchKind::Ask, id)?;
        tx.commit()?;
        Ok(())
    }
}

/// Joins an account to an ask after checking the account (and contact) exist and belong together.
fn join_checked(tx: &Transaction<'_>, ask_id: &str, a: &Asker<'_>, now: DateTime<Utc>) -> Result<()> {
    if !super::super::accounts::exists(tx, a.account_id)? {
        return Err(Error::invalid("account_id", "That account doesn't exist."));
    }
    if let Some(contact) = a.contact_id {
        let same: bool = tx.query_row(
            "SELECT count(*) FROM contacts WHERE id = ?1 AND account_id = ?2",
            [contact, a.account_id],
            |r| r.get(0),
        )?;
        if !same {
            return Err(Error::invalid("contact_id", "That person is not a contact of this account."));
        }
    }
    if let Some(note) = a.note_id {
        tx.execute("DELETE FROM tagged_note_offers WHERE note_id = ?1 AND kind = 'ask'", [note])?;
    }
    join(tx, ask_id, a.account_id, a.contact_id, a.asked_on, a.note_id, super::at_day(a.asked_on, now))
}
