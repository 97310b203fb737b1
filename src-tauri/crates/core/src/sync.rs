//! Three-way merge of a record's fields between what the CSM has, what the CRM has, and what both
//! had at the last sync (`crm_links.last_synced_values`). A field changed on both sides is never
//! overwritten: it is a conflict the CSM resolves.

use std::collections::BTreeMap;

use crate::model::{FieldAction, FieldChange};

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

/// What to do with each field the CRM sent. Fields equal on both sides are left out.
pub fn merge(base: Option<&Values>, local: &Values, remote: &Values) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    for (field, theirs) in remote {
        let mine = local.get(field).map(String::as_str).unwrap_or_default();
        if same(mine, theirs) {
            continue;
        }
        let before = base.and_then(|b| b.get(field)).map(String::as_str);
        let action = match before {
            None if mine.trim().is_empty() => FieldAction::Pull,
            None => FieldAction::Conflict,
            Some(b) if same(mine, b) => FieldAction::Pull,
            Some(b) if same(theirs, b) => FieldAction::KeepLocal,
            Some(_) => FieldAction::Conflict,
        };
        changes.push(FieldChange { field: field.clone(), local: mine.to_owned(), remote: theirs.clone(), action });
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> Values {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    fn actions(changes: &[FieldChange]) -> Vec<(&str, FieldAction)> {
        changes.iter().map(|c| (c.field.as_str(), c.action)).collect()
    }

    #[test]
    fn a_field_changed_on_one_side_follows_that_side() {
        let base = values(&[("name", "Acme"), ("industry", "Retail"), ("arr", "100000")]);
        let local = values(&[("name", "Acme"), ("industry", "Food retail"), ("arr", "100000")]);
        let remote = values(&[("name", "Acme Inc"), ("industry", "Retail"), ("arr", "100000.00")]);
        let changes = merge(Some(&base), &local, &remote);
        assert_eq!(actions(&changes), [("industry", FieldAction::KeepLocal), ("name", FieldAction::Pull)]);
    }

    #[test]
    fn a_field_changed_on_both_sides_is_a_conflict_never_an_overwrite() {
        let base = values(&[("name", "Acme")]);
        let changes = merge(Some(&base), &values(&[("name", "Acme Ltd")]), &values(&[("name", "Acme Inc")]));
        assert_eq!(actions(&changes), [("name", FieldAction::Conflict)]);
        assert_eq!((changes[0].local.as_str(), changes[0].remote.as_str()), ("Acme Ltd", "Acme Inc"));
    }

    #[test]
    fn without_a_previous_sync_only_empty_local_fields_are_filled() {
        let local = values(&[("name", "Acme"), ("domain", "")]);
        let remote = values(&[("name", "ACME Corp"), ("domain", "acme.com")]);
        let changes = merge(None, &local, &remote);
        assert_eq!(actions(&changes), [("domain", FieldAction::Pull), ("name", FieldAction::Conflict)]);
    }

    #[test]
    fn numbers_written_differently_are_the_same() {
        assert!(same("120,000", "120000.0") && same(" x ", "x") && !same("1", "2") && !same("a", "b"));
    }
}
