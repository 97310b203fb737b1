//! The success plan (metrics, milestones), QBRs, and the deck a QBR's draft becomes.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An outcome the customer bought the product for: baseline → target, and where it stands now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SuccessMetric {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub current: Option<f64>,
    /// When the sponsor last confirmed the current value.
    pub confirmed_on: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
    /// How far current has come from baseline to target, in percent (see `progress_of`).
    pub progress: Option<f64>,
}

impl SuccessMetric {
    /// How far `current` has come from `baseline` to `target`, in percent; none without all three
    /// or when baseline equals target. Works both ways (a target below the baseline).
    pub fn progress_of(&self) -> Option<f64> {
        let (baseline, target, current) = (self.baseline?, self.target?, self.current?);
        let span = target - baseline;
        (span != 0.0).then(|| ((current - baseline) / span * 100.0).clamp(-999.0, 999.0))
    }

    /// The metric with its progress computed.
    pub fn with_progress(mut self) -> Self {
        self.progress = self.progress_of();
        self
    }
}

/// A success metric as typed in the success plan; numbers and the date are text, checked in Rust.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SuccessMetricInput {
    pub name: String,
    pub unit: String,
    pub baseline: String,
    pub target: String,
    pub current: String,
    pub confirmed_on: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneStatus {
    Planned,
    Reached,
    Missed,
    Dropped,
}

impl MilestoneStatus {
    pub const ALL: [MilestoneStatus; 4] = [Self::Planned, Self::Reached, Self::Missed, Self::Dropped];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Reached => "reached",
            Self::Missed => "missed",
            Self::Dropped => "dropped",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// A step on the customer's path to value ("SSO rolled out to all regions"), with its date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Milestone {
    pub id: String,
    pub account_id: String,
    pub title: String,
    pub due_on: Option<NaiveDate>,
    pub status: MilestoneStatus,
    pub reached_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct MilestoneInput {
    pub title: String,
    pub due_on: String,
    pub status: String,
    pub reached_on: String,
}

/// An account's success plan.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SuccessPlan {
    pub metrics: Vec<SuccessMetric>,
    pub milestones: Vec<Milestone>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum QbrStatus {
    Planned,
    Prepared,
    Held,
    FollowUpSent,
}

impl QbrStatus {
    pub const ALL: [QbrStatus; 4] = [Self::Planned, Self::Prepared, Self::Held, Self::FollowUpSent];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Prepared => "prepared",
            Self::Held => "held",
            Self::FollowUpSent => "follow_up_sent",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// A quarterly business review of one account over a period, and the CSM's edits to its draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Qbr {
    pub id: String,
    pub account_id: String,
    pub account_name: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub status: QbrStatus,
    /// Local date and time of the meeting, "YYYY-MM-DDTHH:MM".
    pub meeting_at: Option<String>,
    pub edits: DeckEdits,
    /// The meeting note written when the QBR was marked held.
    pub note_id: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// A QBR as typed: the period (empty: the last full quarter), the meeting, the status.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct QbrInput {
    pub period_start: String,
    pub period_end: String,
    pub meeting_at: String,
    pub status: String,
}

/// The eight parts of a QBR deck, in order (domain.md §7), and the renewal forecast an internal
/// deck adds before the appendix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SectionKey {
    Goals,
    Value,
    Health,
    Support,
    Risks,
    Asks,
    /// "You asked, we did": the customer's asks that shipped.
    Delivered,
    NextQuarter,
    /// Who attended the period's meetings, with the CSM's private read of them: internal only.
    Stakeholders,
    /// The CSM's forecast of the renewal: internal decks only, never the customer's.
    Renewal,
    Appendix,
}

impl SectionKey {
    pub const ALL: [SectionKey; 11] = [
        Self::Goals,
        Self::Value,
        Self::Health,
        Self::Support,
        Self::Risks,
        Self::Asks,
        Self::Delivered,
        Self::NextQuarter,
        Self::Stakeholders,
        Self::Renewal,
        Self::Appendix,
    ];

    /// Sections only an internal deck carries: never in the customer's.
    pub fn internal(self) -> bool {
        matches!(self, Self::Stakeholders | Self::Renewal)
    }
}

/// What a number or a line in the deck comes from, so the CSM can open it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Note,
    Task,
    Signal,
    Milestone,
    Metric,
    Health,
    Event,
    Risk,
    Ask,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct SourceRef {
    pub kind: SourceKind,
    pub id: String,
    /// How the source reads in a list ("Call note · 3 Oct 2026").
    pub label: String,
}

/// One line of a section; `key` is stable across drafts so the CSM's edits stay attached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DeckItem {
    pub key: String,
    pub text: String,
    pub sources: Vec<SourceRef>,
    pub hidden: bool,
}

/// A table (success metrics, touchpoints); each row with its sources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DeckTable {
    pub columns: Vec<String>,
    pub rows: Vec<DeckRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DeckRow {
    pub cells: Vec<String>,
    pub sources: Vec<SourceRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    Line,
    Bar,
}

/// A chart's data: one value per category for each series (`None` where nothing was known).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DeckChart {
    pub title: String,
    pub kind: ChartKind,
    pub categories: Vec<String>,
    pub series: Vec<ChartSeries>,
    /// The value axis every renderer draws, so the preview, the PPTX and the PDF agree.
    pub axis: ChartAxis,
}

/// A value axis from zero to `max` in whole `step`s (the charts show counts and scores).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct ChartAxis {
    pub max: f64,
    pub step: f64,
}

impl ChartAxis {
    /// Most gridlines a chart draws above zero.
    const MAX_STEPS: f64 = 5.0;

    /// The axis for values up to `top`: the smallest round step (1, 2 or 5 times a power of ten,
    /// at least 1) that reaches `top` in at most five steps; at least four steps of 1 for small counts.
    pub fn for_values(top: f64) -> ChartAxis {
        let top = if top.is_finite() { top.max(0.0) } else { 0.0 };
        if top <= 4.0 {
            return ChartAxis { max: 4.0, step: 1.0 };
        }
        let mut power = 1.0;
        loop {
            for factor in [1.0, 2.0, 5.0] {
                let step = factor * power;
                let steps = (top / step).ceil();
                if steps <= Self::MAX_STEPS {
                    return ChartAxis { max: steps * step, step };
                }
            }
            power *= 10.0;
        }
    }

    /// A fixed scale (health: 0 to 100 in steps of 20).
    pub fn fixed(max: f64, step: f64) -> ChartAxis {
        ChartAxis { max, step }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChartSeries {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// One part of the deck: generated items, a table or chart, and the CSM's own words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DeckSection {
    pub key: SectionKey,
    pub title: String,
    /// The CSM's narrative for the section (empty until they write it).
    pub story: String,
    pub items: Vec<DeckItem>,
    pub table: Option<DeckTable>,
    pub chart: Option<DeckChart>,
    /// Said on the slide when the period has nothing for this section.
    pub empty_note: Option<String>,
    pub hidden: bool,
}

/// The deck model a QBR's draft is: assembled in Rust, laid out and exported by the UI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Deck {
    pub qbr_id: String,
    pub account_id: String,
    pub account_name: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// "Q3 2026" for a calendar quarter, else "1 Jul – 15 Sep 2026".
    pub period_label: String,
    pub meeting_at: Option<String>,
    pub sections: Vec<DeckSection>,
}

/// The CSM's changes to a section of the generated draft.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SectionEdit {
    pub title: Option<String>,
    pub story: String,
    pub hidden: bool,
    pub hidden_items: Vec<String>,
    /// Item key → the CSM's wording.
    pub item_text: BTreeMap<String, String>,
}

/// Everything the CSM changed in a QBR's draft, kept apart from the generated content so a
/// regenerated draft (new notes, a new reading) keeps the edits.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct DeckEdits {
    pub sections: BTreeMap<SectionKey, SectionEdit>,
    /// An internal deck (for the CSM's team) adds the renewal forecast; a customer's deck, the
    /// default, never carries it.
    pub internal: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SlideLayout {
    Title,
    Text,
    TextChart,
    Table,
}

/// One slide, laid out the same for the preview, the PPTX and the PDF.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Slide {
    pub layout: SlideLayout,
    pub section: Option<SectionKey>,
    pub title: String,
    pub subtitle: String,
    /// The CSM's story, first on the section's first slide.
    pub story: String,
    pub bullets: Vec<String>,
    pub table: Option<DeckTable>,
    pub chart: Option<DeckChart>,
    /// The section goes on from the previous slide.
    pub continued: bool,
}

/// A company's look for its decks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct DeckStyle {
    pub company_name: String,
    /// "#RRGGBB".
    pub primary_color: String,
    pub accent_color: String,
    /// A PNG or JPEG as a data URL, or empty.
    pub logo_data_url: String,
}

impl Default for DeckStyle {
    fn default() -> Self {
        DeckStyle {
            company_name: String::new(),
            primary_color: "#1F3A5F".to_owned(),
            accent_color: "#2E86AB".to_owned(),
            logo_data_url: String::new(),
        }
    }
}

/// What the QBR page shows: the QBR, its deck with the CSM's edits, and the slides.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct QbrView {
    pub qbr: Qbr,
    pub deck: Deck,
    pub slides: Vec<Slide>,
}

/// A QBR that was marked held: the QBR and the meeting note with the tasks its next steps became.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct QbrHeld {
    pub qbr: Qbr,
    pub saved: super::NoteSaved,
}
