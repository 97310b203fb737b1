//! Contacts of an account, with their roles.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{enum_column, health, search, Store};
use crate::error::{Error, Result};
use crate::model::{new_id, Contact, ContactRole, DealRole, Influence, SearchKind, Stance};
use crate::validate::ValidContact;

pub(crate) const COLUMNS: &str = "id, account_id, name, email, title, phone, role, left_on, created_at, updated_at, \
     reports_to, influence, stance, deal_roles, private_notes";

pub(crate) fn from_row(row: &Row<'_>) -> rusqlite::Result<Contact> {
    Ok(Contact {
        id: row.get(0)?,
        account_id: row.get(1)?,
        name: row.get(2)?,
        email: row.get(3)?,
        title: row.get(4)?,
        phone: row.get(5)?,
        role: enum_column(row, 6, ContactRole::parse)?,
        left_on: row.get(7)?,
        created_at: row.get(8)?,
        updated_at: row.get(9)?,
        reports_to: row.get(10)?,
        influence: row.get::<_, Option<String>>(11)?.as_deref().and_then(Influence::parse),
        stance: row.get::<_, Option<String>>(12)?.as_deref().and_then(Stance::parse),
        deal_roles: deal_roles(row.get_ref(13)?.as_str().unwrap_or("[]")),
        private_notes: row.get(14)?,
    })
}

/// A stored deal-role list; unknown roles are skipped rather than failing the whole read.
pub(crate) fn deal_roles(json: &str) -> Vec<DealRole> {
    if json == "[]" {
        return Vec::new(); // most people: no parse
    }
    let names: Vec<String> = serde_json::from_str(json).unwrap_or_default();
    names.iter().filter_map(|r| DealRole::parse(r)).collect()
}

/// A deal-role list as stored: a JSON array of their names.
pub(crate) fn roles_json(roles: &[DealRole]) -> String {
    serde_json::to_string(&roles.iter().map(|r| r.as_str()).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".to_owned())
}

pub(crate) fn insert(conn: &Connection, c: &Contact) -> rusqlite::Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO contacts ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
    ))?
    .execute(params![
        c.id,
        c.account_id,
        c.name,
        c.email,
        c.title,
        c.phone,
        c.role.as_str(),
        c.left_on,
        c.created_at,
        c.updated_at,
        c.reports_to,
        c.influence.map(Influence::as_str),
        c.stance.map(Stance::as_str),
        roles_json(&c.deal_roles),
        c.private_notes
    ])?;
    Ok(())
}

pub(crate) fn get(conn: &Connection, id: &str) -> Result<Contact> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM contacts WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or(Error::NotFound("contact"))
}

/// A new contact of an account from a checked draft.
pub(crate) fn new_contact(account_id: &str, d: &ValidContact, now: DateTime<Utc>) -> Contact {
    Contact {
        id: new_id(),
        account_id: account_id.to_owned(),
        name: d.name.clone(),
        email: d.email.clone(),
        title: d.title.clone(),
        phone: d.phone.clone(),
        role: d.role,
        left_on: d.left_on,
        reports_to: None,
        influence: None,
        stance: None,
        deal_roles: Vec::new(),
        private_notes: String::new(),
        created_at: now,
        updated_at: now,
    }
}

/// Replaces a contact's editable fields (one statement); the number of rows changed.
pub(crate) fn write_update(conn: &Connection, id: &str, d: &ValidContact, now: DateTime<Utc>) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE contacts SET name = ?2, email = ?3, title = ?4, phone = ?5, role = ?6, left_on = ?7, \
         updated_at = ?8 WHERE id = ?1",
        params![id, d.name, d.email, d.title, d.phone, d.role.as_str(), d.left_on, now],
    )?)
}

impl Store {
    /// The account's contacts: executive sponsors and champions first, then by name.
    pub fn contacts(&self, account_id: &str) -> Result<Vec<Contact>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM contacts WHERE account_id = ?1 ORDER BY left_on IS NOT NULL, \
             CASE role WHEN 'executive_sponsor' THEN 0 WHEN 'champion' THEN 1 WHEN 'decision_maker' THEN 2 ELSE 3 END, \
             name COLLATE NOCASE"
        ))?;
        let rows = stmt.query_map([account_id], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn contact(&self, id: &str) -> Result<Contact> {
        get(&self.conn(), id)
    }

    /// Adds a contact and rescores the account for `today` (sponsors and champions feed its
    /// health), in one transaction. The same holds for editing and removing a contact.
    pub fn create_contact(
        &self,
        account_id: &str,
        d: &ValidContact,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<Contact> {
        self.account(account_id)?;
        let contact = new_contact(account_id, d, now);
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        insert(&tx, &contact)?;
        search::reindex(&tx, SearchKind::Contact, &contact.id)?;
        health::rescore_in(&tx, account_id, today)?;
        tx.commit()?;
        Ok(contact)
    }

    pub fn update_contact(&self, id: &str, d: &ValidContact, now: DateTime<Utc>, today: NaiveDate) -> Result<Contact> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let changed = write_update(&tx, id, d, now)?;
        if changed == 0 {
            return Err(Error::NotFound("contact"));
        }
        let account_id: String = tx.query_row("SELECT account_id FROM contacts WHERE id = ?1", [id], |r| r.get(0))?;
        search::reindex(&tx, SearchKind::Contact, id)?;
        health::rescore_in(&tx, &account_id, today)?;
        tx.commit()?;
        drop(conn);
        self.contact(id)
    }

    pub fn delete_contact(&self, id: &str, today: NaiveDate) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let account_id: String = tx
            .query_row("SELECT account_id FROM contacts WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .ok_or(Error::NotFound("contact"))?;
        tx.execute("DELETE FROM contacts WHERE id = ?1", [id])?;
        search::unindex(&tx, SearchKind::Contact, id)?;
        health::rescore_in(&tx, &account_id, today)?;
        tx.commit()?;
        Ok(())
    }
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

    fn contact(name: &str, role: &str) -> ValidContact {
        validate::contact(&ContactInput { name: name.into(), role: role.into(), ..Default::default() }).expect("valid")
    }

    #[test]
    fn contacts_are_listed_sponsor_first_and_can_be_edited_and_removed() {
        let store = Store::open_in_memory().expect("store");
        let input = AccountInput {
            name: "Hooli".into(),
            segment: "high_touch".into(),
            lifecycle_stage: "value".into(),
            ..Default::default()
        };
        let account = store.create_account(&validate::account(&input).expect("valid"), now()).expect("account");
        let user = store.create_contact(&account.id, &contact("Aaron", "user"), now(), today()).expect("user");
        store.create_contact(&account.id, &contact("Zoe", "executive_sponsor"), now(), today()).expect("sponsor");

        let names: Vec<String> = store.contacts(&account.id).expect("list").into_iter().map(|c| c.name).collect();
        assert_eq!(names, vec!["Zoe", "Aaron"]);

        let edited = store.update_contact(&user.id, &contact("Aaron B.", "champion"), now(), today()).expect("edit");
        assert_eq!((edited.name.as_str(), edited.role), ("Aaron B.", ContactRole::Champion));
        store.delete_contact(&user.id, today()).expect("delete");
        assert_eq!(store.contacts(&account.id).expect("list").len(), 1);
        assert!(matches!(store.delete_contact(&user.id, today()), Err(Error::NotFound("contact"))));
    }

    #[test]
    fn a_contact_needs_an_existing_account() {
        let store = Store::open_in_memory().expect("store");
        let err = store.create_contact("missing", &contact("Ann", "user"), now(), today()).unwrap_err();
        assert!(matches!(err, Error::NotFound("account")));
    }
}
