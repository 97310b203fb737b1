//! A person's place on the stakeholder map as typed. Whether the manager is at the same account
//! and closes no loop is the store's to check, against the people as they are.

use super::Checker;
use crate::error::Error;
use crate::model::{DealRole, Influence, StakeholderInput, Stance};

const PRIVATE_NOTES_MAX: usize = 4_000;

/// A checked stakeholder edit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValidStakeholder {
    pub reports_to: Option<String>,
    pub influence: Option<Influence>,
    pub stance: Option<Stance>,
    pub deal_roles: Vec<DealRole>,
    pub private_notes: String,
}

fn choice<T: Copy>(c: &mut Checker, field: &str, text: &str, parse: fn(&str) -> Option<T>, all: &[&str]) -> Option<T> {
    match text.trim() {
        "" => None,
        typed => parse(typed)
            .or_else(|| c.fail(field, format!("“{}” is not one of: {}.", super::excerpt(typed), all.join(", ")))),
    }
}

pub fn stakeholder(input: &StakeholderInput) -> Result<ValidStakeholder, Error> {
    let mut c = Checker::default();
    let reports_to = match input.reports_to.trim() {
        "" => None,
        id => {
            super::id("reports_to", id).map_err(|_| c.fail::<()>("reports_to", "Choose a manager from the list.")).ok()
        }
    };
    let influences: Vec<&str> = Influence::ALL.iter().map(|i| i.as_str()).collect();
    let stances: Vec<&str> = Stance::ALL.iter().map(|s| s.as_str()).collect();
    let mut deal_roles = Vec::new();
    for typed in &input.deal_roles {
        match DealRole::parse(typed.trim()) {
            Some(role) if !deal_roles.contains(&role) => deal_roles.push(role),
            Some(_) => {}
            None => {
                c.fail::<()>("deal_roles", format!("“{}” is not a role in the deal.", super::excerpt(typed)));
            }
        }
    }
    deal_roles.sort();
    let private_notes = input.private_notes.trim().replace("\r\n", "\n");
    if private_notes.chars().count() > PRIVATE_NOTES_MAX {
        c.fail::<()>("private_notes", format!("Private notes are too long (at most {PRIVATE_NOTES_MAX} characters)."));
    } else if private_notes.chars().any(|ch| ch.is_control() && ch != '\n' && ch != '\t') {
        c.fail::<()>("private_notes", "Private notes contain control characters.");
    }
    let valid = ValidStakeholder {
        reports_to,
        influence: choice(&mut c, "influence", &input.influence, Influence::parse, &influences),
        stance: choice(&mut c, "stance", &input.stance, Stance::parse, &stances),
        deal_roles,
        private_notes,
    };
    c.finish(valid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::tests::fields;

    #[test]
    fn a_stakeholder_is_checked_field_by_field() {
        let input = StakeholderInput {
            reports_to: String::new(),
            influence: " high ".into(),
            stance: "skeptic".into(),
            deal_roles: vec!["economic_buyer".into(), "champion".into(), "economic_buyer".into()],
            private_notes: " New CFO; prefers email. ".into(),
        };
        let valid = stakeholder(&input).expect("valid");
        assert_eq!(valid.influence, Some(Influence::High));
        assert_eq!(valid.deal_roles, vec![DealRole::EconomicBuyer, DealRole::Champion]);
        assert_eq!(valid.private_notes, "New CFO; prefers email.");

        let bad = StakeholderInput {
            reports_to: "../etc".into(),
            influence: "huge".into(),
            stance: "hostile".into(),
            deal_roles: vec!["janitor".into()],
            private_notes: "x\u{7}".into(),
        };
        let err = stakeholder(&bad).expect_err("invalid");
        assert_eq!(fields(err), ["reports_to", "deal_roles", "private_notes", "influence", "stance"]);
    }
}
