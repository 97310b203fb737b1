//! Who the CSM really talks to at a customer: the stakeholder map (deal roles, influence, stance,
//! reports-to, private notes), each person's engagement, the account's coverage of key roles,
//! and the org chart drawn from reports-to. Stance and private notes never leave the machine.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Contact;

text_enum! {
    /// A part a person plays in the renewal; a person may hold several.
    DealRole {
        EconomicBuyer = "economic_buyer",
        ExecutiveSponsor = "executive_sponsor",
        Champion = "champion",
        DecisionMaker = "decision_maker",
        Admin = "admin",
        User = "user",
    }
}

impl DealRole {
    /// The roles whose coverage the account's relationship rests on, in the order shown.
    pub const KEY: [DealRole; 3] = [Self::EconomicBuyer, Self::ExecutiveSponsor, Self::Champion];

    pub fn label(self) -> &'static str {
        match self {
            Self::EconomicBuyer => "economic buyer",
            Self::ExecutiveSponsor => "executive sponsor",
            Self::Champion => "champion",
            Self::DecisionMaker => "decision maker",
            Self::Admin => "admin",
            Self::User => "user",
        }
    }
}

text_enum! {
    /// How much a person weighs on the renewal.
    Influence {
        High = "high",
        Medium = "medium",
        Low = "low",
    }
}

text_enum! {
    /// Where a person stands on the product, in the CSM's private judgement.
    Stance {
        Champion = "champion",
        Supporter = "supporter",
        Neutral = "neutral",
        Skeptic = "skeptic",
        Blocker = "blocker",
    }
}

text_enum! {
    /// A stakeholder field a call note can set with a line such as `@Ana stance: skeptic`.
    StakeholderField {
        Stance = "stance",
        Influence = "influence",
    }
}

/// A person's place on the stakeholder map as typed; checked by `validate::stakeholder`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct StakeholderInput {
    /// The contact id of their manager, or empty.
    pub reports_to: String,
    pub influence: String,
    pub stance: String,
    pub deal_roles: Vec<String>,
    pub private_notes: String,
}

/// How often the CSM has met a person, from the notes they attended.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct Engagement {
    pub last_touch_on: Option<NaiveDate>,
    #[ts(type = "number | null")]
    pub days_since_touch: Option<i64>,
    /// Days with a touch in the last 30 and 90 days (many meetings on one day count once).
    pub touches_30d: u32,
    pub touches_90d: u32,
    /// An influential person or key-role holder not met for twice the segment's cadence.
    pub gone_quiet: bool,
}

/// A contact on the stakeholder map with their deal roles (their role included) and engagement.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Stakeholder {
    pub contact: Contact,
    pub roles: Vec<DealRole>,
    pub engagement: Engagement,
}

/// Who covers one key role, and whether any of them is engaged (met within twice the cadence).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RoleCoverage {
    pub role: DealRole,
    pub people: Vec<String>,
    pub engaged: bool,
    pub last_touch_on: Option<NaiveDate>,
}

/// An account's relationship at a glance: key roles covered, how many people the CSM talks to,
/// and whether every touch of the last 90 days involved one person (single-threaded).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Coverage {
    pub key_roles: Vec<RoleCoverage>,
    pub people_touched_90d: u32,
    pub touches_90d: u32,
    /// The one person every recent touch involved, when the account is single-threaded.
    pub single_threaded: Option<String>,
    /// An executive sponsor or economic buyer is known and engaged.
    pub sponsor_engaged: bool,
    /// The Relationship health measure: 2 a sponsor (or economic buyer) and several threads;
    /// 1 only a champion, or single-threaded; 0 neither; unknown while no one has a role.
    pub level: Option<u8>,
}

/// A free name typed as an attendee that is not a contact of the account yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SuggestedContact {
    pub name: String,
    pub touches: u32,
    pub last_seen_on: NaiveDate,
}

/// One box of the org chart, in grid units (the UI scales them): `x` is the column of its
/// centre, `y` its row. People with no manager and no reports are laid out apart (`placed` false).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct OrgNode {
    pub contact_id: String,
    pub x: f64,
    pub y: f64,
    pub manager_id: Option<String>,
    pub reports: u32,
    /// People hidden under this box while its branch is collapsed.
    pub hidden: u32,
    pub placed: bool,
}

/// The org chart's layout: the same people and reports-to always give the same picture.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct OrgChart {
    pub nodes: Vec<OrgNode>,
    pub width: f64,
    pub height: f64,
    /// The branches drawn collapsed (chosen, or by default on a large chart).
    pub collapsed: Vec<String>,
}

/// The account's people page: the stakeholders, coverage, suggested contacts and the chart.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Relationships {
    pub stakeholders: Vec<Stakeholder>,
    pub coverage: Coverage,
    pub suggested: Vec<SuggestedContact>,
    pub chart: OrgChart,
}

/// A `@name field: value` line of a note as it will apply when the note is saved.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct StakeholderUpdate {
    /// The name as typed after `@`.
    pub written: String,
    pub field: StakeholderField,
    pub value: String,
    /// The contact it matched, when exactly one did.
    pub contact_id: Option<String>,
    pub contact_name: Option<String>,
    pub before: Option<String>,
    /// Why it cannot apply ("matches Ana Ruiz and Ana Lopez"); an unknown name is not a problem
    /// but an offer to add the person (`contact_id` empty, no problem).
    pub problem: Option<String>,
}
