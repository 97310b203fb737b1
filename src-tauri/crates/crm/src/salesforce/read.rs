//! Salesforce's JSON in the book's words: pure functions from one record of a SOQL batch to what
//! the sync stages. Nothing here makes a request, so each is unit-tested and fuzzed with
//! arbitrary JSON (`fuzz/crm_json`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use csm_core::model::{Deal, RemoteRecord, SyncEntity, SyncField};
use csm_core::sync::{critical_priority, deal_kind};
use serde_json::Value;

use crate::connector::FieldMap;
use crate::fields::{amount, calendar_day, contact_fields, instant, money, text};

pub fn id_of(raw: &Value) -> Option<&str> {
    raw["Id"].as_str().filter(|id| !id.is_empty())
}

fn modified(raw: &Value, what: &str, id: &str) -> Result<DateTime<Utc>, String> {
    instant(&raw["SystemModstamp"]).ok_or_else(|| format!("{what} {id}: no readable modification date"))
}

/// The bare domain of a website ("https://www.acme.example/x" → "acme.example").
pub fn domain_of(website: &str) -> String {
    let w = website.trim().to_lowercase();
    let w = w.strip_prefix("https://").or_else(|| w.strip_prefix("http://")).unwrap_or(&w);
    let host = w.split(['/', '?', '#']).next().unwrap_or_default();
    host.strip_prefix("www.").unwrap_or(host).to_owned()
}

/// An account; the mapped custom fields read through `map`.
pub fn account(map: &FieldMap, raw: &Value) -> Result<RemoteRecord, String> {
    let id = id_of(raw).ok_or("an account without an id")?;
    let mut fields = BTreeMap::from([
        (SyncField::Name, text(raw, "Name")),
        (SyncField::Domain, domain_of(&text(raw, "Website"))),
        (SyncField::Industry, text(raw, "Industry")),
        (SyncField::Employees, amount(&text(raw, "NumberOfEmployees"))),
    ]);
    let owner = text(&raw["Owner"], "Name");
    if !owner.is_empty() {
        fields.insert(SyncField::Owner, owner);
    }
    map.read_into(raw, &mut fields);
    Ok(RemoteRecord {
        entity: SyncEntity::Account,
        remote_id: id.to_owned(),
        parent_remote_id: None,
        modified_at: modified(raw, "account", id)?,
        archived: false,
        fields,
    })
}

/// A contact, filed under its `AccountId`.
pub fn contact(raw: &Value) -> Result<RemoteRecord, String> {
    let id = id_of(raw).ok_or("a contact without an id")?;
    let fields = contact_fields(
        &text(raw, "FirstName"),
        &text(raw, "LastName"),
        text(raw, "Email"),
        text(raw, "Title"),
        text(raw, "Phone"),
    );
    Ok(RemoteRecord {
        entity: SyncEntity::Contact,
        remote_id: id.to_owned(),
        parent_remote_id: Some(text(raw, "AccountId")).filter(|a| !a.is_empty()),
        modified_at: modified(raw, "contact", id)?,
        archived: false,
        fields,
    })
}

/// An opportunity. An amount that is not a sane number is refused with the reason.
pub fn deal(raw: &Value) -> Result<Deal, String> {
    let id = id_of(raw).ok_or("an opportunity without an id")?;
    let name = text(raw, "Name");
    let amount = money(&text(raw, "Amount"), &text(raw, "CurrencyIsoCode"))
        .ok_or_else(|| format!("opportunity {id}: the amount “{}” is not a number", text(raw, "Amount")))?;
    Ok(Deal {
        remote_id: id.to_owned(),
        company_remote_id: text(raw, "AccountId"),
        kind: deal_kind(&text(raw, "Type"), &name),
        name,
        amount,
        close_date: calendar_day(&text(raw, "CloseDate")),
        stage: text(raw, "StageName"),
        pipeline: text(raw, "Type"),
        closed: raw["IsClosed"].as_bool().unwrap_or(false),
        won: raw["IsWon"].as_bool().filter(|_| raw["IsClosed"].as_bool() == Some(true)),
        forecast_category: Some(text(raw, "ForecastCategoryName")).filter(|c| !c.is_empty()),
        probability: raw["Probability"].as_f64().map(|p| p / 100.0).filter(|p| (0.0..=1.0).contains(p)),
        modified_at: modified(raw, "opportunity", id)?,
    })
}

/// Whether an open case is critical for health.
pub fn critical_case(raw: &Value) -> bool {
    critical_priority(&text(raw, "Priority"))
}

#[cfg(test)]
mod tests {
    use csm_core::model::DealKind;
    use serde_json::json;

    use super::*;

    #[test]
    fn opportunities_become_renewals_upsells_or_new_business() {
        let opp = |ty: &str, name: &str| {
            json!({ "Id": "006A", "AccountId": "001A", "Name": name, "Type": ty, "Amount": 1234.5,
                    "CloseDate": "2027-03-31", "StageName": "Negotiation", "IsClosed": false,
                    "SystemModstamp": "2026-05-01T10:00:00.000+0000" })
        };
        let renewal = deal(&opp("Renewal", "Acme 2027")).unwrap();
        assert_eq!((renewal.kind, renewal.amount.unwrap().minor), (DealKind::Renewal, 123_450));
        assert_eq!(deal(&opp("Existing Customer - Upgrade", "More seats")).unwrap().kind, DealKind::Upsell);
        assert_eq!(deal(&opp("New Customer", "Pilot")).unwrap().kind, DealKind::NewBusiness);
        let mut odd = opp("Renewal", "x");
        odd["Amount"] = json!("lots");
        assert!(deal(&odd).unwrap_err().contains("is not a number"));
    }

    #[test]
    fn websites_become_domains() {
        assert_eq!(domain_of("http://www.northwind.example/x?y"), "northwind.example");
        assert_eq!(domain_of("contoso.example"), "contoso.example");
        assert_eq!(domain_of(""), "");
    }
}
