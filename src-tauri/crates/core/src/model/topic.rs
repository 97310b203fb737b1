use serde::Serialize;
use ts_rs::TS;

/// What a write changed, as the views know it: the app announces these after each command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    Accounts,
    Contacts,
    Tasks,
    Notes,
    Health,
    Qbrs,
    Timeline,
    Sync,
    Settings,
    Renewals,
    /// The risk register and the customers' asks.
    Risks,
    /// The CSM's calendars and their meetings.
    Calendar,
}

impl Topic {
    /// Everything: what replacing the whole book (a restore) changes.
    pub const ALL: [Topic; 12] = [
        Topic::Accounts,
        Topic::Contacts,
        Topic::Tasks,
        Topic::Notes,
        Topic::Health,
        Topic::Qbrs,
        Topic::Timeline,
        Topic::Sync,
        Topic::Settings,
        Topic::Renewals,
        Topic::Risks,
        Topic::Calendar,
    ];
}
