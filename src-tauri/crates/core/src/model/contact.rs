use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{DealRole, Influence, Stance};

/// The part a person plays at the customer (domain.md §2, People).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ContactRole {
    ExecutiveSponsor,
    Champion,
    DecisionMaker,
    Admin,
    User,
    Detractor,
    Promoter,
    Other,
}

impl ContactRole {
    pub const ALL: [ContactRole; 8] = [
        Self::ExecutiveSponsor,
        Self::Champion,
        Self::DecisionMaker,
        Self::Admin,
        Self::User,
        Self::Detractor,
        Self::Promoter,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ExecutiveSponsor => "executive_sponsor",
            Self::Champion => "champion",
            Self::DecisionMaker => "decision_maker",
            Self::Admin => "admin",
            Self::User => "user",
            Self::Detractor => "detractor",
            Self::Promoter => "promoter",
            Self::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// The deal role this role amounts to, if any.
    pub fn deal_role(self) -> Option<DealRole> {
        match self {
            Self::ExecutiveSponsor => Some(DealRole::ExecutiveSponsor),
            Self::Champion => Some(DealRole::Champion),
            Self::DecisionMaker => Some(DealRole::DecisionMaker),
            Self::Admin => Some(DealRole::Admin),
            Self::User => Some(DealRole::User),
            Self::Detractor | Self::Promoter | Self::Other => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Contact {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub email: Option<String>,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub role: ContactRole,
    /// The day the person left the customer, if they did: a risk signal.
    pub left_on: Option<NaiveDate>,
    /// The stakeholder map (see `StakeholderInput`): kept apart from the fields sync reads, so
    /// none of them is ever pushed to a CRM or part of a conflict.
    pub reports_to: Option<String>,
    pub influence: Option<Influence>,
    /// Private to the CSM, as are `private_notes`.
    pub stance: Option<Stance>,
    /// Roles in the deal besides `role`.
    pub deal_roles: Vec<DealRole>,
    pub private_notes: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A contact as typed in the UI; checked by `validate::contact`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ContactInput {
    pub name: String,
    pub email: String,
    pub title: String,
    pub phone: String,
    pub role: String,
    pub left_on: String,
}

impl Contact {
    /// Every deal role the person holds: their role's, then the others, without repeats.
    pub fn roles(&self) -> Vec<DealRole> {
        let mut roles: Vec<DealRole> = self.role.deal_role().into_iter().collect();
        for role in &self.deal_roles {
            if !roles.contains(role) {
                roles.push(*role);
            }
        }
        roles
    }

    /// The contact's fields as editable text (the inverse of `validate::contact`).
    pub fn to_input(&self) -> ContactInput {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        ContactInput {
            name: self.name.clone(),
            email: text(&self.email),
            title: text(&self.title),
            phone: text(&self.phone),
            role: self.role.as_str().to_owned(),
            left_on: self.left_on.map(|d| d.to_string()).unwrap_or_default(),
        }
    }
}
