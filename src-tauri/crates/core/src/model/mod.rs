//! Plain data types in the CSM's words, shared with the UI through generated TypeScript types.

/// Declares a closed list stored as snake_case text, with `ALL`, `as_str` and `parse`.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
        pub enum $name { $($(#[$vmeta])* #[serde(rename = $text)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }
        }
    };
}

mod account;
mod backup;
mod book;
mod calendar;
mod contact;
mod health;
mod import;
pub(crate) mod money;
mod note;
mod plan;
mod playbook;
mod qbr;
mod relationship;
mod renewal;
mod risk;
mod sync;
mod task;
mod timeline;
mod topic;

pub use account::{Account, AccountInput, AccountOverview, LifecycleStage, Segment};
pub use backup::{BackupInfo, ExportSummary, ExportedFile};
pub use book::{BookRow, BookView};
pub use calendar::{
    Brief, BriefLine, BriefSection, BriefSource, CalendarInput, CalendarKind, CalendarSource, CalendarsView, Meeting,
    MeetingAttendee, MeetingMatchKind, ReminderSettings,
};
pub use contact::{Contact, ContactInput, ContactRole};
pub use health::{
    Band, BandChange, BandTotal, Cadence, Contribution, Driver, HealthPoint, HealthReport, HealthScore, HealthSummary,
    InputStatus, Measure, MeasureConfig, NotScored, PortfolioHealth, Scorecard, ScorecardPreview, Signal, SignalInput,
    SignalKind, Threshold, DEFAULT_MIN_COVERAGE,
};
pub use import::{
    DateOrder, ImportAction, ImportColumn, ImportField, ImportKind, ImportPreview, ImportResult, ImportRow,
};
pub use money::{is_currency, minor_digits, Money};
pub use note::{
    ActionItem, ActionItemInput, Attendee, Note, NoteDraft, NoteInput, NoteSaved, NoteTemplate, SearchHit, SearchKind,
    SearchQuery, SearchResults, Sentiment, TextPart, TimelineEntry, TimelinePage, TimelineQuery,
};
pub use plan::{PlanDay, PlannerSettings, Reason, ReasonKind, Suggestion, WeekPlan};
pub use playbook::{DayStarted, Playbook, PlaybookRun, PlaybookStep, PlaybookTrigger};
pub use qbr::{
    ChartAxis, ChartKind, ChartSeries, Deck, DeckChart, DeckEdits, DeckItem, DeckRow, DeckSection, DeckStyle,
    DeckTable, Milestone, MilestoneInput, MilestoneStatus, Qbr, QbrHeld, QbrInput, QbrStatus, QbrView, SectionEdit,
    SectionKey, Slide, SlideLayout, SourceKind, SourceRef, SuccessMetric, SuccessMetricInput, SuccessPlan,
};
pub use relationship::{
    Coverage, DealRole, Engagement, Influence, OrgChart, OrgNode, Relationships, RoleCoverage, Stakeholder,
    StakeholderField, StakeholderInput, StakeholderUpdate, Stance, SuggestedContact,
};
pub use renewal::{
    AccountRenewal, ArrChangeKind, CategoryTotal, ChangeNote, ContractionBy, ExchangeRate, ForecastCategory,
    ForecastChangeLine, ForecastDiff, ForecastMonth, ForecastPoint, LikelihoodReason, OutcomeInput, OutcomeKind,
    RateInput, RenewalInput, RenewalLine, RenewalOutcome, RenewalSettings, RenewalSettingsInput, RenewalStage,
    RenewalSuggestion, RenewalWindow, RenewalsView, RetentionAccount, RetentionFigures, RetentionReport,
    SuggestedChange, DEFAULT_REASONS,
};
pub use risk::{
    AccountRisks, Ask, AskAccount, AskInput, AskStatus, AskerInput, AsksView, CaptureKind, CaptureLine, HelpNeeded,
    PlanStepInput, Risk, RiskDetail, RiskInput, RiskSeverity, RiskStage, RiskSuggestion, RiskTotal, RiskUpdate,
    RisksView, TaggedNoteOffer, DEFAULT_RISK_REASONS,
};
pub use sync::{
    Choice, CrmOwner, CrmSettings, CrmStatus, CrmSystem, Deal, DealKind, FieldAction, FieldChange, OutboxItem,
    OutboxKind, PreviewCount, PreviewQuery, RecordAction, RecordChange, RemoteFields, RemoteRecord, Resolution,
    SyncApplied, SyncEntity, SyncField, SyncPreview, SyncProgress, SyncRun, SyncStatus,
};
pub use task::{Priority, Task, TaskInput, TaskSaved, TaskSource, TaskStatus};
pub use timeline::{TimelineEvent, TimelineKind, TimelineRef};
pub use topic::Topic;

/// Generates a new UUIDv7 id as text.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A key in the CSM's words: "tech_touch" → "Tech touch", "executive_sponsor" → "Executive sponsor".
pub fn words(key: &str) -> String {
    let spaced = key.replace('_', " ");
    let mut chars = spaced.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
