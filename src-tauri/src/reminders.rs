//! Reminders through the desktop's notification service (org.freedesktop.Notifications): a
//! meeting a chosen number of minutes before it starts, with "Open brief", and once a day the
//! tasks due today. Only while the app runs: nothing is scheduled with the system.

use std::collections::HashSet;

use chrono::{Duration, Local, Utc};
use csm_core::model::Meeting;
use csm_core::Store;
use notify_rust::Notification;
use tauri::{AppHandle, Emitter, Manager, Runtime};

/// The event the window hears when the CSM clicks "Open brief": the meeting's id.
pub const OPEN_BRIEF: &str = "open-brief";
const APP_NAME: &str = "CSM Desk";
/// The day the tasks-due reminder was last shown (a setting, so a restart does not repeat it).
const TASKS_REMINDED_ON: &str = "calendar.tasks_reminded_on";

pub fn remind<R: Runtime>(app: &AppHandle<R>, store: &Store, reminded: &mut HashSet<String>) {
    let settings = match store.reminder_settings() {
        Ok(s) if s.enabled => s,
        _ => return,
    };
    let now = Utc::now();
    let lead = Duration::minutes(i64::from(settings.minutes_before));
    // Meetings starting within the lead time that were not announced yet (a minute's slack).
    match store.meetings_starting(now - Duration::minutes(1), now + lead) {
        Ok(meetings) => {
            for meeting in meetings.into_iter().filter(|m| reminded.insert(m.id.clone())) {
                remind_meeting(app, &meeting);
            }
        }
        Err(err) => log::warn!("reminders: {err}"),
    }
    if settings.daily_tasks {
        remind_tasks_once(store);
    }
}

fn remind_tasks_once(store: &Store) {
    let today = Local::now().date_naive().to_string();
    if store.setting(TASKS_REMINDED_ON).ok().flatten().as_deref() == Some(today.as_str()) {
        return;
    }
    let Ok(due) = store.tasks_due_on(Local::now().date_naive()) else { return };
    if due.is_empty() {
        return;
    }
    let first: Vec<&str> = due.iter().take(3).map(|t| t.title.as_str()).collect();
    let more = if due.len() > 3 { format!(" and {} more", due.len() - 3) } else { String::new() };
    let body = format!("{}{more}", first.join(" · "));
    if show(&format!("{} tasks due today", due.len()), &body, None).is_ok() {
        let _ = store.set_setting(TASKS_REMINDED_ON, &today);
    }
}

/// The notification's text for a meeting: its title and time, and its account when known.
pub fn meeting_text(meeting: &Meeting) -> (String, String) {
    let time = meeting.time.clone().unwrap_or_else(|| "today".to_owned());
    let account = meeting.account_name.as_deref().map(|a| format!(" · {a}")).unwrap_or_default();
    (format!("{time} {}", meeting.title), format!("Starts at {time}{account}"))
}

fn remind_meeting<R: Runtime>(app: &AppHandle<R>, meeting: &Meeting) {
    let (summary, body) = meeting_text(meeting);
    let action = meeting.account_id.is_some().then_some(("open-brief", "Open brief"));
    match show(&summary, &body, action) {
        Ok(handle) => {
            let Some(handle) = handle else { return };
            let (app, id) = (app.clone(), meeting.id.clone());
            // Waits on its own thread for the click; the notification service may never answer.
            std::thread::spawn(move || {
                handle.wait_for_action(|action| {
                    if action == "open-brief" {
                        if let Some(window) = app.get_webview_window("main") {
                            let _ = window.unminimize();
                            let _ = window.set_focus();
                        }
                        let _ = app.emit(OPEN_BRIEF, &id);
                    }
                });
            });
        }
        Err(why) => log::warn!("reminder not shown: {why}"),
    }
}

/// Shows a notification; with an action, returns the handle to wait on for its click.
pub fn show(
    summary: &str,
    body: &str,
    action: Option<(&str, &str)>,
) -> Result<Option<notify_rust::NotificationHandle>, String> {
    let mut n = Notification::new();
    n.appname(APP_NAME).summary(summary).body(body).icon("csm-desk");
    if let Some((id, label)) = action {
        n.action(id, label);
    }
    let handle = n.show().map_err(|e| format!("the notification service refused: {e}"))?;
    Ok(action.map(|_| handle))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against a real notification service on a private D-Bus session: scripts/test.sh starts
    /// dunst and dbus-monitor there and checks the `Notify` call this sends.
    #[test]
    #[ignore = "needs a notification service on the session bus; scripts/test.sh provides one"]
    fn notify_a_meeting_with_its_brief_action() {
        let meeting = Meeting {
            id: "cal/uid".into(),
            calendar_id: "cal".into(),
            calendar_name: "Work".into(),
            title: "Acme weekly sync".into(),
            location: None,
            day: Local::now().date_naive(),
            time: Some("15:00".into()),
            minutes: 30,
            starts_at: None,
            attendees: Vec::new(),
            account_id: Some("acme".into()),
            account_name: Some("Acme".into()),
            match_kind: csm_core::model::MeetingMatchKind::Contact,
            domain: None,
        };
        let (summary, body) = meeting_text(&meeting);
        assert_eq!((summary.as_str(), body.as_str()), ("15:00 Acme weekly sync", "Starts at 15:00 · Acme"));
        let handle = show(&summary, &body, Some(("open-brief", "Open brief"))).expect("shown");
        assert!(handle.is_some());
    }
}
