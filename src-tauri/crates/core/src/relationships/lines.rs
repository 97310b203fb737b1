//! The `@Ana stance: skeptic` lines of a call note: read, matched to the account's people, and
//! left out of anything that leaves the machine.

use std::sync::LazyLock;

use regex::Regex;

use super::name_key;
use crate::model::{Contact, Influence, StakeholderField, StakeholderUpdate, Stance};

/// A `@name field: value` line as written in a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StakeholderLine {
    pub written: String,
    pub field: StakeholderField,
    pub value: String,
}

static LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^[ \t]*(?:[-*+][ \t]+)?@([^\s@:][^@:\n]*?)[ \t]+(stance|influence)[ \t]*:[ \t]*([^\s.,;]*)")
        .expect("pattern")
});

/// The `@Ana stance: skeptic` and `@Ana Ruiz influence: high` lines of a note, in order.
pub fn stakeholder_lines(body_md: &str) -> Vec<StakeholderLine> {
    LINE.captures_iter(body_md)
        .filter_map(|c| {
            Some(StakeholderLine {
                written: c[1].trim().to_owned(),
                field: StakeholderField::parse(&c[2].to_lowercase())?,
                value: c[3].trim().to_lowercase(),
            })
        })
        .collect()
}

/// The note without its `@name stance:` lines: what a published note sends to the CRM, so the
/// CSM's read of a person stays on this machine.
pub fn without_stakeholder_lines(body_md: &str) -> String {
    if !body_md.contains('@') {
        return body_md.to_owned();
    }
    let kept: Vec<&str> = body_md.split('\n').filter(|line| !LINE.is_match(line)).collect();
    kept.join("\n")
}

/// Matches each line to the account's people: the whole name, or the first name alone when no
/// one else of the account shares it. Two people matching, or a value that is not a stance or
/// an influence, is a problem to fix before saving; a name matching no one is an offer to add them.
pub fn resolve(lines: &[StakeholderLine], people: &[Contact]) -> Vec<StakeholderUpdate> {
    lines
        .iter()
        .map(|line| {
            let key = name_key(&line.written);
            let mut matches: Vec<&Contact> = people.iter().filter(|p| name_key(&p.name) == key).collect();
            if matches.is_empty() {
                matches = people.iter().filter(|p| name_key(&p.name).split(' ').next() == Some(key.as_str())).collect();
            }
            matches.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
            let valid = match line.field {
                StakeholderField::Stance => Stance::parse(&line.value).is_some(),
                StakeholderField::Influence => Influence::parse(&line.value).is_some(),
            };
            let problem = if !valid {
                Some(format!("“{}” is not a {}: use {}", line.value, line.field.as_str(), choices(line.field)))
            } else if matches.len() > 1 {
                let names: Vec<&str> = matches.iter().map(|p| p.name.as_str()).collect();
                Some(format!("@{} matches {}: write the full name", line.written, names.join(" and ")))
            } else {
                None
            };
            let only = (matches.len() == 1).then(|| matches[0]);
            StakeholderUpdate {
                written: line.written.clone(),
                field: line.field,
                value: line.value.clone(),
                contact_id: only.map(|p| p.id.clone()),
                contact_name: only.map(|p| p.name.clone()),
                before: only.and_then(|p| match line.field {
                    StakeholderField::Stance => p.stance.map(|s| s.as_str().to_owned()),
                    StakeholderField::Influence => p.influence.map(|i| i.as_str().to_owned()),
                }),
                problem,
            }
        })
        .collect()
}

fn choices(field: StakeholderField) -> String {
    let all: Vec<&str> = match field {
        StakeholderField::Stance => Stance::ALL.iter().map(|s| s.as_str()).collect(),
        StakeholderField::Influence => Influence::ALL.iter().map(|i| i.as_str()).collect(),
    };
    all.join(", ")
}
