//! The QBR draft: `draft(&source, period)` assembles the deck model from an account's own data
//! (success plan, notes, tasks, signals, health history, touchpoints), every line with its sources.
//! Pure and deterministic: the same data and period always give the same deck.

mod markdown;
mod sections;
mod slides;

use chrono::{Datelike, Days, NaiveDate};

pub use markdown::markdown;
pub use slides::slides;

use crate::facts::day_text;
use crate::model::{
    Account, AccountRenewal, Deck, DeckEdits, HealthPoint, Milestone, Signal, SignalKind, SuccessMetric, TaskStatus,
    TimelineKind,
};

/// A note as the draft needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct QbrNote {
    pub id: String,
    pub day: NaiveDate,
    pub title: String,
    pub excerpt: String,
    pub tags: Vec<String>,
}

/// A task as the draft needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct QbrTask {
    pub id: String,
    pub title: String,
    pub status: TaskStatus,
    pub due_date: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
    pub note_id: Option<String>,
    /// Made by the risk-response playbook: a mitigation in progress.
    pub risk_response: bool,
}

/// A touchpoint on the timeline (a call, meeting, email, note or QBR).
#[derive(Debug, Clone, PartialEq)]
pub struct QbrTouch {
    pub id: String,
    pub day: NaiveDate,
    pub kind: TimelineKind,
    pub title: String,
    /// The note it opens, when it is one.
    pub note_id: Option<String>,
}

/// Everything the draft is assembled from; the store loads it for the period (and a margin).
#[derive(Debug, Clone, PartialEq)]
pub struct QbrSource {
    pub qbr_id: String,
    pub account: Account,
    pub meeting_at: Option<String>,
    pub metrics: Vec<SuccessMetric>,
    pub milestones: Vec<Milestone>,
    pub notes: Vec<QbrNote>,
    pub tasks: Vec<QbrTask>,
    /// Sorted by day.
    pub signals: Vec<Signal>,
    /// Daily health snapshots, sorted by day.
    pub health: Vec<HealthPoint>,
    pub touches: Vec<QbrTouch>,
    /// The renewal desk's view of the account: loaded for an internal deck only.
    pub renewal: Option<AccountRenewal>,
    /// The account's people who attended the period's notes, most met first: internal only.
    pub stakeholders: Option<Vec<QbrStakeholder>>,
    /// The account's risks open now or closed in the period, with their plans: internal only.
    pub risks: Option<Vec<crate::model::RiskDetail>>,
    /// The asks the account made (any status).
    pub asks: Vec<crate::model::Ask>,
}

/// A person who attended the period's calls and meetings, and how often.
#[derive(Debug, Clone, PartialEq)]
pub struct QbrStakeholder {
    pub contact: crate::model::Contact,
    pub meetings: u32,
    pub last_met: NaiveDate,
}

/// A QBR's period, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    pub fn contains(&self, day: NaiveDate) -> bool {
        (self.start..=self.end).contains(&day)
    }

    /// The 90 days after the period: what "next quarter" plans for.
    pub fn next_90_days(&self) -> Period {
        Period { start: self.end + Days::new(1), end: self.end + Days::new(90) }
    }

    /// "Q3 2026" for a calendar quarter, else "1 Jul – 15 Sep 2026".
    pub fn label(&self) -> String {
        let quarter_start = |d: NaiveDate| d.day() == 1 && (d.month() - 1).is_multiple_of(3);
        let is_quarter = quarter_start(self.start)
            && self.start.year() == self.end.year()
            && self.end.month() == self.start.month() + 2
            && (self.end + Days::new(1)).day() == 1;
        if is_quarter {
            return format!("Q{} {}", (self.start.month() - 1) / 3 + 1, self.start.year());
        }
        if self.start.year() == self.end.year() {
            format!("{} – {}", self.start.format("%-d %b"), day_text(self.end))
        } else {
            format!("{} – {}", day_text(self.start), day_text(self.end))
        }
    }

    /// The days a chart samples: weekly for a quarter-sized period, monthly up to two years,
    /// quarterly beyond; always the first and last day.
    pub fn chart_days(&self) -> Vec<NaiveDate> {
        let length = (self.end - self.start).num_days();
        let mut days = vec![self.start];
        let mut day = self.start;
        loop {
            day = match length {
                0..=120 => day + Days::new(7),
                121..=730 => next_month_start(day, 1),
                _ => next_month_start(day, 3),
            };
            if day >= self.end {
                break;
            }
            days.push(day);
        }
        if self.end > self.start {
            days.push(self.end);
        }
        days
    }
}

fn next_month_start(day: NaiveDate, months: u32) -> NaiveDate {
    let first = day.with_day(1).unwrap_or(day);
    first.checked_add_months(chrono::Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// The last full calendar quarter before `today`: the default period of a new QBR.
pub fn last_full_quarter(today: NaiveDate) -> Period {
    let this_quarter_start = NaiveDate::from_ymd_opt(today.year(), (today.month() - 1) / 3 * 3 + 1, 1).unwrap_or(today);
    let end = this_quarter_start - Days::new(1);
    let start = NaiveDate::from_ymd_opt(end.year(), (end.month() - 1) / 3 * 3 + 1, 1).unwrap_or(end);
    Period { start, end }
}

/// Assembles the deck for the period from the source: the eight sections of domain.md §7.
pub fn draft(source: &QbrSource, period: Period) -> Deck {
    Deck {
        qbr_id: source.qbr_id.clone(),
        account_id: source.account.id.clone(),
        account_name: source.account.name.clone(),
        period_start: period.start,
        period_end: period.end,
        period_label: period.label(),
        meeting_at: source.meeting_at.clone(),
        sections: sections::all(source, period),
    }
}

/// The deck with the CSM's edits laid over the generated draft: titles, stories, hidden items
/// and sections, reworded items. Edits to items the draft no longer has are ignored.
pub fn apply_edits(mut deck: Deck, edits: &DeckEdits) -> Deck {
    if !edits.internal {
        // A customer's deck never carries the CSM's forecast nor their read of the people,
        // whatever the source held.
        deck.sections.retain(|s| !s.key.internal());
    }
    for section in &mut deck.sections {
        let Some(edit) = edits.sections.get(&section.key) else { continue };
        if let Some(title) = edit.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            section.title = title.to_owned();
        }
        section.story = edit.story.clone();
        section.hidden = edit.hidden;
        for item in &mut section.items {
            item.hidden = edit.hidden_items.contains(&item.key);
            if let Some(text) = edit.item_text.get(&item.key).filter(|t| !t.trim().is_empty()) {
                item.text = text.clone();
            }
        }
    }
    deck
}

/// The value of a kind of signal on a day: its latest reading on or before that day.
pub(crate) fn reading_on(signals: &[Signal], kind: SignalKind, day: NaiveDate) -> Option<&Signal> {
    signals.iter().filter(|s| s.kind == kind && s.recorded_on <= day).max_by_key(|s| s.recorded_on)
}

/// The health snapshot of a day: the latest on or before it.
pub(crate) fn health_on(health: &[HealthPoint], day: NaiveDate) -> Option<&HealthPoint> {
    let after = health.partition_point(|p| p.day <= day);
    after.checked_sub(1).map(|i| &health[i])
}

#[cfg(test)]
mod tests;
