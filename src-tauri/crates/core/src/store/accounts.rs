//! Accounts: create, read, update, archive, delete, and the Book.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::columns::{date, instant};
use super::renewals::history::{self, ArrSource};
use super::{enum_column, health, search, Store};
use crate::error::{Error, Result};
use crate::model::{
    new_id, Account, AccountOverview, BookRow, ForecastCategory, LifecycleStage, Money, SearchKind, Segment,
};
use crate::validate::ValidAccount;

pub(crate) const COLUMNS: &str = "id, name, domain, segment, lifecycle_stage, industry, region, employees, owner, \
     arr_minor, currency, contract_start, contract_end, renewal_date, contract_term_months, products, \
     licences_purchased, discount_bps, customer_since, last_touch_at, archived_at, created_at, updated_at";

pub(crate) fn from_row(row: &Row<'_>) -> rusqlite::Result<Account> {
    let products: String = row.get(15)?;
    Ok(Account {
        id: row.get(0)?,
        name: row.get(1)?,
        domain: row.get(2)?,
        segment: enum_column(row, 3, Segment::parse)?,
        lifecycle_stage: enum_column(row, 4, LifecycleStage::parse)?,
        industry: row.get(5)?,
        region: row.get(6)?,
        employees: row.get(7)?,
        owner: row.get(8)?,
        arr: Money { minor: row.get(9)?, currency: row.get(10)? },
        contract_start: date(row, 11)?,
        contract_end: date(row, 12)?,
        renewal_date: date(row, 13)?,
        contract_term_months: row.get(14)?,
        products: serde_json::from_str(&products).unwrap_or_default(),
        licences_purchased: row.get(16)?,
        discount_bps: row.get(17)?,
        customer_since: date(row, 18)?,
        last_touch_at: instant(row, 19)?,
        archived_at: instant(row, 20)?,
        created_at: instant(row, 21)?.unwrap_or_default(),
        updated_at: instant(row, 22)?.unwrap_or_default(),
    })
}

/// Inserts a complete account row, its ARR a new logo in the ARR history.
pub(crate) fn insert(conn: &Connection, a: &Account, source: ArrSource) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO accounts ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, \
         ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)"
    ))?
    .execute(params![
        a.id,
        a.name,
        a.domain,
        a.segment.as_str(),
        a.lifecycle_stage.as_str(),
        a.industry,
        a.region,
        a.employees,
        a.owner,
        a.arr.minor,
        a.arr.currency,
        a.contract_start,
        a.contract_end,
        a.renewal_date,
        a.contract_term_months,
        products_json(&a.products),
        a.licences_purchased,
        a.discount_bps,
        a.customer_since,
        a.last_touch_at,
        a.archived_at,
        a.created_at,
        a.updated_at,
    ])?;
    history::record_new(conn, a, source)
}

fn products_json(products: &[String]) -> String {
    serde_json::to_string(products).unwrap_or_else(|_| "[]".to_owned())
}

/// Replaces an account's editable fields, keeping a change of ARR in the ARR history; the number
/// of rows changed.
pub(crate) fn write_update(
    conn: &Connection,
    id: &str,
    d: &ValidAccount,
    now: DateTime<Utc>,
    source: ArrSource,
) -> Result<usize> {
    let Some(before) = history::arr_now(conn, id)? else { return Ok(0) };
    let changed = conn.execute(
        "UPDATE accounts SET name = ?2, domain = ?3, segment = ?4, lifecycle_stage = ?5, industry = ?6, \
         region = ?7, employees = ?8, owner = ?9, arr_minor = ?10, currency = ?11, contract_start = ?12, \
         contract_end = ?13, renewal_date = ?14, contract_term_months = ?15, products = ?16, \
         licences_purchased = ?17, discount_bps = ?18, customer_since = ?19, updated_at = ?20 WHERE id = ?1",
        params![
            id,
            d.name,
            d.domain,
            d.segment.as_str(),
            d.lifecycle_stage.as_str(),
            d.industry,
            d.region,
            d.employees,
            d.owner,
            d.arr.minor,
            d.arr.currency,
            d.contract_start,
            d.contract_end,
            d.renewal_date,
            d.contract_term_months,
            products_json(&d.products),
            d.licences_purchased,
            d.discount_bps,
            d.customer_since,
            now,
        ],
    )?;
    history::record_change(conn, id, &before, &d.arr, now.date_naive(), source)?;
    Ok(changed)
}

/// Whether an account with this id is in the book.
pub(crate) fn exists(conn: &Connection, id: &str) -> Result<bool> {
    let found: Option<i64> =
        conn.prepare_cached("SELECT 1 FROM accounts WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?;
    Ok(found.is_some())
}

/// A new account from a checked draft.
pub(crate) fn new_account(draft: &ValidAccount, now: DateTime<Utc>) -> Account {
    Account {
        id: new_id(),
        name: draft.name.clone(),
        domain: draft.domain.clone(),
        segment: draft.segment,
        lifecycle_stage: draft.lifecycle_stage,
        industry: draft.industry.clone(),
        region: draft.region.clone(),
        employees: draft.employees,
        owner: draft.owner.clone(),
        arr: draft.arr.clone(),
        contract_start: draft.contract_start,
        contract_end: draft.contract_end,
        renewal_date: draft.renewal_date,
        contract_term_months: draft.contract_term_months,
        products: draft.products.clone(),
        licences_purchased: draft.licences_purchased,
        discount_bps: draft.discount_bps,
        customer_since: draft.customer_since,
        last_touch_at: None,
        archived_at: None,
        created_at: now,
        updated_at: now,
    }
}

impl Store {
    pub fn create_account(&self, draft: &ValidAccount, now: DateTime<Utc>) -> Result<Account> {
        let account = new_account(draft, now);
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        insert(&tx, &account, ArrSource::Edit)?;
        search::reindex(&tx, SearchKind::Account, &account.id)?;
        tx.commit()?;
        Ok(account)
    }

    pub fn account(&self, id: &str) -> Result<Account> {
        self.conn()
            .query_row(&format!("SELECT {COLUMNS} FROM accounts WHERE id = ?1"), [id], from_row)
            .optional()?
            .ok_or(Error::NotFound("account"))
    }

    /// Saves an edit and rescores the account for `today` (segment and licences feed its health),
    /// in one transaction.
    pub fn update_account(&self, id: &str, d: &ValidAccount, now: DateTime<Utc>, today: NaiveDate) -> Result<Account> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let changed = write_update(&tx, id, d, now, ArrSource::Edit)?;
        if changed == 0 {
            return Err(Error::NotFound("account"));
        }
        health::rescore_in(&tx, id, today)?;
        search::reindex(&tx, SearchKind::Account, id)?;
        tx.commit()?;
        drop(conn);
        self.account(id)
    }

    /// Archives (`archived = true`) or restores an account. Archived accounts keep all their data.
    pub fn set_account_archived(&self, id: &str, archived: bool, now: DateTime<Utc>) -> Result<Account> {
        let archived_at = archived.then_some(now);
        let changed = self.conn().execute(
            "UPDATE accounts SET archived_at = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, archived_at, now],
        )?;
        if changed == 0 {
            return Err(Error::NotFound("account"));
        }
        self.account(id)
    }

    /// Deletes an account with its contacts, notes, tasks and history (one statement, cascading).
    pub fn delete_account(&self, id: &str) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        if tx.execute("DELETE FROM accounts WHERE id = ?1", [id])? == 0 {
            return Err(Error::NotFound("account"));
        }
        search::unindex_account(&tx, id)?;
        tx.commit()?;
        Ok(())
    }

    pub fn account_count(&self) -> Result<u64> {
        Ok(self.conn().query_row("SELECT count(*) FROM accounts", [], |row| row.get(0))?)
    }

    pub fn account_overview(&self, id: &str, today: NaiveDate) -> Result<AccountOverview> {
        let account = self.account(id)?;
        let contacts = self.contacts(id)?;
        let tenure_months = account.customer_since.map(|since| months_between(since, today));
        Ok(AccountOverview {
            mrr: account.arr.monthly_from_annual(),
            days_to_renewal: account.days_to_renewal(today),
            days_since_touch: account.last_touch_at.map(|t| days_since(t, today)),
            tenure_months,
            input: account.to_input(),
            contacts,
            account,
        })
    }

    /// Every account as a Book row, by name. `today` is the CSM's local calendar day.
    pub fn book(&self, today: NaiveDate) -> Result<Vec<BookRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT a.id, a.name, a.domain, a.segment, a.lifecycle_stage, a.arr_minor, a.currency, \
             a.renewal_date, a.owner, a.last_touch_at, a.archived_at IS NOT NULL, \
             (SELECT count(*) FROM contacts c WHERE c.account_id = a.id), \
             (SELECT r.category FROM renewals r WHERE r.account_id = a.id), \
             coalesce(v.single_threaded, 0), coalesce(v.sponsor_engaged, 0) \
             FROM accounts a LEFT JOIN account_coverage v ON v.account_id = a.id ORDER BY a.name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([], |row| {
            let renewal_date = date(row, 7)?;
            let last_touch_at = instant(row, 9)?;
            Ok(BookRow {
                id: row.get(0)?,
                name: row.get(1)?,
                domain: row.get(2)?,
                segment: enum_column(row, 3, Segment::parse)?,
                lifecycle_stage: enum_column(row, 4, LifecycleStage::parse)?,
                arr: Money { minor: row.get(5)?, currency: row.get(6)? },
                renewal_date,
                days_to_renewal: renewal_date.map(|d| (d - today).num_days()),
                owner: row.get(8)?,
                last_touch_at,
                days_since_touch: last_touch_at.map(|t| days_since(t, today)),
                archived: row.get(10)?,
                contact_count: row.get(11)?,
                forecast: row.get::<_, Option<String>>(12)?.as_deref().and_then(ForecastCategory::parse),
                single_threaded: row.get(13)?,
                sponsor_engaged: row.get(14)?,
                health: None,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn days_since(instant: DateTime<Utc>, today: NaiveDate) -> i64 {
    (today - instant.date_naive()).num_days().max(0)
}

fn months_between(from: NaiveDate, to: NaiveDate) -> i64 {
    use chrono::Datelike;
    let months = (to.year() - from.year()) as i64 * 12 + to.month() as i64 - from.month() as i64;
    let months = if to.day() < from.day() { months - 1 } else { months };
    months.max(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AccountInput, ContactInput};
    use crate::validate;

    fn now() -> DateTime<Utc> {
        "2026-11-22T09:30:00Z".parse().expect("instant")
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
    }

    fn draft(name: &str) -> ValidAccount {
        validate::account(&AccountInput {
            name: name.into(),
            segment: "low_touch".into(),
            lifecycle_stage: "adoption".into(),
            arr: "60000".into(),
            renewal_date: "2027-01-21".into(),
            customer_since: "2024-08-30".into(),
            products: vec!["Core".into()],
            ..Default::default()
        })
        .expect("valid")
    }

    #[test]
    fn create_read_update_round_trips_every_field() {
        let store = Store::open_in_memory().expect("store");
        let created = store.create_account(&draft("Globex"), now()).expect("create");
        assert_eq!(store.account(&created.id).expect("read"), created);
        assert_eq!(uuid::Uuid::parse_str(&created.id).expect("uuid").get_version_num(), 7);

        let mut changed = draft("Globex Corporation");
        changed.discount_bps = Some(750);
        changed.arr = Money::new(7_500_000, "EUR");
        let later = now() + chrono::Duration::hours(1);
        let updated = store.update_account(&created.id, &changed, later, today()).expect("update");
        assert_eq!(updated.name, "Globex Corporation");
        assert_eq!(updated.arr, Money::new(7_500_000, "EUR"));
        assert_eq!(updated.discount_bps, Some(750));
        assert_eq!((updated.created_at, updated.updated_at), (now(), later));
        assert_eq!(validate::account(&updated.to_input()).expect("round trip"), changed);
    }

    #[test]
    fn the_overview_derives_mrr_renewal_and_tenure() {
        let store = Store::open_in_memory().expect("store");
        let id = store.create_account(&draft("Initech"), now()).expect("create").id;
        let overview = store.account_overview(&id, today()).expect("overview");
        assert_eq!(overview.mrr, Money::new(500_000, "USD"));
        assert_eq!(overview.days_to_renewal, Some(60));
        assert_eq!(overview.tenure_months, Some(26));
        assert_eq!(overview.days_since_touch, None);
    }

    #[test]
    fn archive_restore_and_delete() {
        let store = Store::open_in_memory().expect("store");
        let id = store.create_account(&draft("Umbrella"), now()).expect("create").id;
        let contact =
            validate::contact(&ContactInput { name: "Ada".into(), role: "champion".into(), ..Default::default() })
                .expect("valid");
        store.create_contact(&id, &contact, now(), today()).expect("contact");

        assert!(store.set_account_archived(&id, true, now()).expect("archive").archived_at.is_some());
        assert!(store.book(today()).expect("book")[0].archived);
        assert!(store.set_account_archived(&id, false, now()).expect("restore").archived_at.is_none());

        store.delete_account(&id).expect("delete");
        assert!(matches!(store.account(&id), Err(Error::NotFound("account"))));
        assert!(store.contacts(&id).expect("contacts").is_empty(), "contacts go with the account");
        assert!(matches!(store.delete_account(&id), Err(Error::NotFound(_))));
        assert!(matches!(store.update_account(&id, &draft("X"), now(), today()), Err(Error::NotFound(_))));
    }

    #[test]
    fn the_book_lists_accounts_by_name_with_derived_days() {
        let store = Store::open_in_memory().expect("store");
        for name in ["zeta", "Alpha", "beta"] {
            store.create_account(&draft(name), now()).expect("create");
        }
        let book = store.book(today()).expect("book");
        let names: Vec<&str> = book.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, vec!["Alpha", "beta", "zeta"]);
        assert_eq!(book[0].days_to_renewal, Some(60));
        assert_eq!(book[0].contact_count, 0);
    }

    #[test]
    fn the_schema_refuses_what_validation_would_refuse() {
        let store = Store::open_in_memory().expect("store");
        let mut bad = draft("Negative");
        bad.arr.minor = -1;
        assert!(matches!(store.create_account(&bad, now()), Err(Error::Database(_))));
        assert_eq!(store.account_count().expect("count"), 0);
    }
}
