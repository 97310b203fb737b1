//! HubSpot's JSON in the book's words: pure functions from one record of a search page (or an
//! owners page) to what the sync stages. Nothing here makes a request, so each is unit-tested
//! and fuzzed with arbitrary JSON (`fuzz/crm_json`).

use std::collections::BTreeMap;

use csm_core::model::{Deal, RemoteRecord, SyncEntity, SyncField};
use csm_core::sync::{critical_priority, deal_kind};
use serde_json::Value;

use crate::connector::{FieldMap, Owner};
use crate::fields::{amount, calendar_day, contact_fields, instant, money, text};

fn id_of<'a>(raw: &'a Value, what: &str) -> Result<&'a str, String> {
    raw["id"].as_str().filter(|id| !id.is_empty()).ok_or_else(|| format!("a {what} without an id"))
}

fn modified(raw: &Value, property: &str, what: &str, id: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    instant(&raw["properties"][property])
        .or_else(|| instant(&raw["updatedAt"]))
        .ok_or_else(|| format!("{what} {id}: no readable modification date"))
}

/// A company; its owner named from `owners`, the mapped custom properties read through `map`.
pub fn company(map: &FieldMap, owners: &BTreeMap<String, Owner>, raw: &Value) -> Result<RemoteRecord, String> {
    let id = id_of(raw, "company")?;
    let p = &raw["properties"];
    let modified_at = modified(raw, "hs_lastmodifieddate", "company", id)?;
    let mut fields = BTreeMap::new();
    fields.insert(SyncField::Name, text(p, "name"));
    fields.insert(SyncField::Domain, text(p, "domain"));
    fields.insert(SyncField::Industry, text(p, "industry"));
    fields.insert(SyncField::Employees, amount(&text(p, "numberofemployees")));
    if let Some(owner) = owners.get(&text(p, "hubspot_owner_id")) {
        fields.insert(SyncField::Owner, owner.name.clone());
    }
    map.read_into(p, &mut fields);
    Ok(RemoteRecord {
        entity: SyncEntity::Account,
        remote_id: id.to_owned(),
        parent_remote_id: None,
        modified_at,
        archived: raw["archived"].as_bool().unwrap_or(false),
        fields,
    })
}

/// A contact, filed under `company` (None when HubSpot links it to none).
pub fn contact(raw: &Value, company: Option<&String>) -> Result<RemoteRecord, String> {
    let id = id_of(raw, "contact")?;
    let p = &raw["properties"];
    let modified_at = modified(raw, "lastmodifieddate", "contact", id)?;
    let fields = contact_fields(
        &text(p, "firstname"),
        &text(p, "lastname"),
        text(p, "email"),
        text(p, "jobtitle"),
        text(p, "phone"),
    );
    Ok(RemoteRecord {
        entity: SyncEntity::Contact,
        remote_id: id.to_owned(),
        parent_remote_id: company.cloned(),
        modified_at,
        archived: raw["archived"].as_bool().unwrap_or(false),
        fields,
    })
}

/// A deal of `company`. An amount that is not a sane number is refused with the reason.
pub fn deal(raw: &Value, company: &str) -> Result<Deal, String> {
    let id = id_of(raw, "deal")?;
    let p = &raw["properties"];
    let modified_at = modified(raw, "hs_lastmodifieddate", "deal", id)?;
    let name = text(p, "dealname");
    let amount = money(&text(p, "amount"), &text(p, "deal_currency_code"))
        .ok_or_else(|| format!("deal {id}: the amount “{}” is not a number", text(p, "amount")))?;
    Ok(Deal {
        remote_id: id.to_owned(),
        company_remote_id: company.to_owned(),
        kind: deal_kind(&text(p, "dealtype"), &name),
        name,
        amount,
        close_date: calendar_day(&text(p, "closedate")),
        stage: text(p, "dealstage"),
        pipeline: text(p, "pipeline"),
        closed: text(p, "hs_is_closed") == "true",
        won: match text(p, "hs_is_closed_won").as_str() {
            "true" => Some(true),
            "false" if text(p, "hs_is_closed") == "true" => Some(false),
            _ => None,
        },
        forecast_category: None,
        probability: text(p, "hs_deal_stage_probability").parse::<f64>().ok().filter(|p| (0.0..=1.0).contains(p)),
        modified_at,
    })
}

/// Whether an open ticket is critical for health.
pub fn critical_ticket(raw: &Value) -> bool {
    critical_priority(&text(&raw["properties"], "hs_ticket_priority"))
}

/// A user who owns records, named by first and last name (or email); None without an id.
pub fn owner(raw: &Value) -> Option<Owner> {
    let id = match &raw["id"] {
        Value::String(s) if !s.is_empty() => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let name =
        format!("{} {}", raw["firstName"].as_str().unwrap_or_default(), raw["lastName"].as_str().unwrap_or_default());
    let email = raw["email"].as_str().unwrap_or_default().to_owned();
    let name = if name.trim().is_empty() { email.clone() } else { name.trim().to_owned() };
    Some(Owner { id, name, email })
}
