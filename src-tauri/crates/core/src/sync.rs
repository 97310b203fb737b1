//! Three-way merge of a record's fields between what the CSM has, what the CRM has, and what both
//! had at the last sync (`crm_links.last_synced_values`). A field changed on both sides is never
//! overwritten: it is a conflict the CSM resolves.

use std::collections::BTreeMap;

use crate::error::Error;
use crate::model::{
    AccountInput, Choice, ContactInput, DealKind, FieldAction, FieldChange, RecordAction, RecordChange, RemoteFields,
    Resolution, SyncEntity, SyncField,
};
use crate::validate;

pub type Values = BTreeMap<String, String>;

/// Same value in the words of the forms: trimmed text, or the same number written differently
/// ("120000" and "120000.00").
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    if a == b {
        return true;
    }
    let number = |t: &str| t.replace(',', "").parse::<f64>().ok();
    matches!((number(a), number(b)), (Some(x), Some(y)) if (x - y).abs() < 1e-9)
}

/// What a CRM deal is to a CSM, from its type and name (neither CRM has a field for it): a
/// renewal when either says so, an upsell when it is existing business or an expansion, new
/// business otherwise. Both connectors use this one rule.
pub fn deal_kind(deal_type: &str, name: &str) -> DealKind {
    let words = format!("{deal_type} {name}").to_lowercase();
    if words.contains("renew") {
        DealKind::Renewal
    } else if ["upsell", "upgrade", "expansion", "existing"].iter().any(|w| words.contains(w)) {
        DealKind::Upsell
    } else {
        DealKind::NewBusiness
    }
}

/// A support ticket priority that counts as critical for health: HubSpot's HIGH and URGENT,
/// Salesforce's High and Critical.
pub fn critical_priority(priority: &str) -> bool {
    ["high", "urgent", "critical"].contains(&priority.trim().to_lowercase().as_str())
}

/// What to do with each field the CRM sent. Fields equal on both sides are left out.
pub fn merge(base: Option<&Values>, local: &Values, remote: &RemoteFields) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    for (&field, theirs) in remote {
        let mine = local.get(field.as_str()).map(String::as_str).unwrap_or_default();
        if same(mine, theirs) {
            continue;
        }
        let before = base.and_then(|b| b.get(field.as_str())).map(String::as_str);
        let action = match before {
            None if mine.trim().is_empty() => FieldAction::Pull,
            None => FieldAction::Conflict,
            Some(b) if same(mine, b) => FieldAction::Pull,
            Some(b) if same(theirs, b) => FieldAction::KeepLocal,
            Some(_) => FieldAction::Conflict,
        };
        changes.push(FieldChange { field, local: mine.to_owned(), remote: theirs.to_string(), action });
    }
    changes
}

/// A CRM record's fields keyed by the forms' names (as the last synced values are kept).
pub fn named(fields: &RemoteFields) -> Values {
    fields.iter().map(|(field, value)| (field.as_str().to_owned(), value.clone())).collect()
}

/// A form's values as text, field by field (lists joined with commas).
pub fn to_values<T: serde::Serialize>(input: &T) -> Values {
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

/// A form from text values (unknown fields left at their defaults).
pub fn from_values<T: serde::de::DeserializeOwned + Default>(values: &Values) -> T {
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

/// The local form's values after the pull: the CRM's value where it comes in (or the CSM chose
/// theirs), the local one elsewhere.
pub fn merged(local: &Values, change: &RecordChange, resolutions: &[Resolution]) -> Values {
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
            values.insert(f.field.as_str().to_owned(), f.remote.clone());
        }
    }
    values
}

/// A record new to the book gets what the forms require and the CRM may not say: it is then a
/// low-touch account in adoption, a contact of no particular role (the CSM reclassifies them).
pub fn with_defaults(entity: SyncEntity, mut values: Values) -> Values {
    let defaults: &[(SyncField, &str)] = match entity {
        SyncEntity::Account => {
            &[(SyncField::Segment, "low_touch"), (SyncField::LifecycleStage, "adoption"), (SyncField::Currency, "USD")]
        }
        SyncEntity::Contact => &[(SyncField::Role, "other")],
    };
    for (field, value) in defaults {
        let entry = values.entry(field.as_str().to_owned()).or_default();
        if entry.trim().is_empty() {
            *entry = (*value).to_owned();
        }
    }
    values
}

/// The values a record is written with: merged, and completed when it is new.
pub fn final_values(local: &Values, change: &RecordChange, resolutions: &[Resolution]) -> Values {
    let values = merged(local, change, resolutions);
    if change.action == RecordAction::Create {
        with_defaults(change.entity, values)
    } else {
        values
    }
}

/// Why the forms would refuse these values, in the CSM's words (empty when they accept them).
pub fn problems(entity: SyncEntity, values: &Values) -> Vec<String> {
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

/// Names compared as people read them: "Contoso 104" before "Contoso 1004", case aside.
pub fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deal_is_a_renewal_an_upsell_or_new_business_by_its_type_and_name() {
        assert_eq!(deal_kind("newbusiness", "Renewal 2027 — Acme"), DealKind::Renewal);
        assert_eq!(deal_kind("Renewal", "Acme FY27"), DealKind::Renewal);
        assert_eq!(deal_kind("existingbusiness", "Acme seats"), DealKind::Upsell);
        assert_eq!(deal_kind("Existing Customer - Upgrade", "Acme"), DealKind::Upsell);
        assert_eq!(deal_kind("newbusiness", "Acme pilot"), DealKind::NewBusiness);
        assert_eq!(deal_kind("", ""), DealKind::NewBusiness);
    }

    #[test]
    fn high_urgent_and_critical_tickets_are_critical_in_either_crm() {
        for p in ["HIGH", "URGENT", "High", "Critical", " urgent "] {
            assert!(critical_priority(p), "{p}");
        }
        for p in ["MEDIUM", "LOW", "Normal", "Medium", ""] {
            assert!(!critical_priority(p), "{p}");
        }
    }

    fn values(pairs: &[(&str, &str)]) -> Values {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    fn remote(pairs: &[(&str, &str)]) -> RemoteFields {
        pairs.iter().map(|(k, v)| (SyncField::parse(k).expect("a synced field"), (*v).to_owned())).collect()
    }

    fn actions(changes: &[FieldChange]) -> Vec<(&str, FieldAction)> {
        changes.iter().map(|c| (c.field.as_str(), c.action)).collect()
    }

    #[test]
    fn a_field_changed_on_one_side_follows_that_side() {
        let base = values(&[("name", "Acme"), ("industry", "Retail"), ("arr", "100000")]);
        let local = values(&[("name", "Acme"), ("industry", "Food retail"), ("arr", "100000")]);
        let remote = remote(&[("name", "Acme Inc"), ("industry", "Retail"), ("arr", "100000.00")]);
        let changes = merge(Some(&base), &local, &remote);
        // In the forms' order.
        assert_eq!(actions(&changes), [("name", FieldAction::Pull), ("industry", FieldAction::KeepLocal)]);
    }

    #[test]
    fn a_field_changed_on_both_sides_is_a_conflict_never_an_overwrite() {
        let base = values(&[("name", "Acme")]);
        let changes = merge(Some(&base), &values(&[("name", "Acme Ltd")]), &remote(&[("name", "Acme Inc")]));
        assert_eq!(actions(&changes), [("name", FieldAction::Conflict)]);
        assert_eq!((changes[0].local.as_str(), changes[0].remote.as_str()), ("Acme Ltd", "Acme Inc"));
    }

    #[test]
    fn without_a_previous_sync_only_empty_local_fields_are_filled() {
        let local = values(&[("name", "Acme"), ("domain", "")]);
        let remote = remote(&[("name", "ACME Corp"), ("domain", "acme.com")]);
        let changes = merge(None, &local, &remote);
        assert_eq!(actions(&changes), [("name", FieldAction::Conflict), ("domain", FieldAction::Pull)]);
    }

    #[test]
    fn numbers_written_differently_are_the_same() {
        assert!(same("120,000", "120000.0") && same(" x ", "x") && !same("1", "2") && !same("a", "b"));
    }
}
