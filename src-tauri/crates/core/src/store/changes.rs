//! What the writes since the last look changed, by topic: SQLite's update hook notes each table a
//! statement writes. The app announces the topics after each command, so every view showing them
//! refreshes itself (no view is told by hand).

use std::collections::BTreeSet;
use std::sync::Arc;

use parking_lot::Mutex;

use rusqlite::hooks::Action;
use rusqlite::Connection;

use crate::model::Topic;

/// The topic a table's rows belong to; `None` for what no view shows (drafts, the search index,
/// the preview's staging).
fn topic_of(table: &str) -> Option<Topic> {
    Some(match table {
        "accounts" => Topic::Accounts,
        "contacts" | "dismissed_attendees" => Topic::Contacts,
        "tasks" | "plan_dismissals" => Topic::Tasks,
        "notes" | "note_tags" | "note_attendees" => Topic::Notes,
        "signals" | "health_snapshots" | "account_coverage" => Topic::Health,
        "qbrs" | "success_metrics" | "milestones" => Topic::Qbrs,
        "timeline_events" => Topic::Timeline,
        "crm_links" | "deals" | "sync_runs" => Topic::Sync,
        "settings" => Topic::Settings,
        "renewals" | "renewal_outcomes" | "arr_history" | "exchange_rates" | "forecast_snapshots"
        | "forecast_lines" => Topic::Renewals,
        "risks"
        | "risk_updates"
        | "risk_plan_steps"
        | "risk_suggestion_dismissals"
        | "asks"
        | "ask_accounts"
        | "tagged_note_offers" => Topic::Risks,
        "calendars" | "meetings" | "meeting_assignments" => Topic::Calendar,
        _ => return None,
    })
}

/// The topics written to since they were last taken.
#[derive(Default)]
pub(super) struct Changes(Arc<Mutex<BTreeSet<Topic>>>);

impl Changes {
    /// Starts noting what `conn` writes.
    pub(super) fn watch(&self, conn: &Connection) {
        let seen = Arc::clone(&self.0);
        conn.update_hook(Some(move |_: Action, _: &str, table: &str, _: i64| {
            if let Some(topic) = topic_of(table) {
                seen.lock().insert(topic);
            }
        }));
    }

    pub(super) fn take(&self) -> Vec<Topic> {
        std::mem::take(&mut *self.0.lock()).into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Utc};

    use crate::model::{TaskInput, Topic};
    use crate::sample::{generate, SampleSpec};
    use crate::store::Store;
    use crate::validate;

    #[test]
    fn writes_are_announced_by_topic_and_reads_and_drafts_are_not() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("day");
        let store = Store::open_in_memory().expect("store");
        store.start_book(Some(&generate(&SampleSpec::DEMO, today)), Utc::now()).expect("sample");
        assert!(store.take_changes().contains(&Topic::Accounts));
        assert_eq!(store.take_changes(), [], "taken once");

        let account = store.book_with_health(today).expect("book").rows[0].id.clone();
        store.week_plan(today, today).expect("week");
        store.save_draft("draft-1", Some(&account), "{\"body_md\":\"typing\"}", Utc::now()).expect("draft");
        assert_eq!(store.take_changes(), [], "reads and drafts change nothing a view shows");

        let input = TaskInput { account_id: account, title: "Send the deck".into(), ..Default::default() };
        store.create_task(&validate::task(&input, today).expect("valid").0, Utc::now()).expect("task");
        assert!(store.take_changes().contains(&Topic::Tasks));
    }
}
