//! One sync run: pull (companies, then contacts, then companies archived in the CRM) into the
//! staging area page by page, then push what waits (published notes, tasks on linked accounts).
//! Every page is committed with its watermark, every push recorded as it lands, so a run stopped
//! anywhere (error, cancel, killed process) leaves the book consistent and the next run carries on.

use std::collections::HashSet;

use chrono::Utc;
use csm_core::model::{SyncEntity, SyncRun};
use csm_core::Store;

use crate::hubspot::{HubSpot, Page};
use crate::{CrmError, CrmSystem};

/// What the run has done so far, for a progress bar.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Progress {
    pub phase: String,
    pub pulled: u64,
    pub pushed: u64,
    pub requests: u64,
}

const SYSTEM: &str = "hubspot";

fn stage(store: &Store, object: &str, page: Page, run: &mut SyncRun) -> Result<(), CrmError> {
    run.errors.extend(page.rejected.into_iter().map(|why| format!("Skipped {why}.")));
    let staged = store.stage_remote(SYSTEM, object, &page.records, Utc::now())?;
    run.pulled += staged as u32;
    Ok(())
}

/// Pulls everything changed since the last run into the staging area.
pub fn pull(
    store: &Store,
    hs: &HubSpot,
    run: &mut SyncRun,
    progress: &mut dyn FnMut(&Progress),
) -> Result<(), CrmError> {
    *hs.owner_names.lock().unwrap_or_else(|e| e.into_inner()) = hs.owners()?;
    let since = store.watermark(SYSTEM, "companies")?;
    hs.pull_companies(since, &mut |page| {
        stage(store, "companies", page, run)?;
        report(progress, "Pulling companies", run, hs);
        Ok(())
    })?;
    // With a scope, only the people of companies in the book (or on their way to it) come in.
    let in_scope = match hs.owner {
        Some(_) => Some(store.known_remote_ids(SYSTEM, SyncEntity::Account)?),
        None => None,
    };
    let since = store.watermark(SYSTEM, "contacts")?;
    hs.pull_contacts(since, &mut |mut page| {
        if let Some(known) = &in_scope {
            page.records.retain(|r| r.parent_remote_id.as_ref().is_some_and(|p| known.contains(p)));
        }
        stage(store, "contacts", page, run)?;
        report(progress, "Pulling contacts", run, hs);
        Ok(())
    })?;
    // Only removals of records the book has (or is about to have) matter here.
    for (object, entity) in [("companies", SyncEntity::Account), ("contacts", SyncEntity::Contact)] {
        let known = store.known_remote_ids(SYSTEM, entity)?;
        hs.archived(object, &mut |mut page| {
            page.records.retain(|r| known.contains(&r.remote_id));
            stage(store, &format!("archived_{object}"), page, run)?;
            report(progress, "Checking what was removed", run, hs);
            Ok(())
        })?;
    }
    let since = store.watermark(SYSTEM, "deals")?;
    hs.pull_deals(since, &mut |deals, rejected| {
        run.errors.extend(rejected.into_iter().map(|why| format!("Skipped {why}.")));
        store.upsert_deals(SYSTEM, &deals)?;
        report(progress, "Pulling deals", run, hs);
        Ok(())
    })?;
    report(progress, "Counting open tickets", run, hs);
    let tickets = hs.open_tickets()?;
    store.record_crm_signals(SYSTEM, &tickets, Utc::now().date_naive())?;
    Ok(())
}

/// Pushes published notes and tasks (all, or the local ids in `only`); each is recorded as soon
/// as HubSpot has it. A push that fails is logged and retried on the next run (upserts make the
/// retry safe).
pub fn push(
    store: &Store,
    hs: &HubSpot,
    only: Option<&HashSet<String>>,
    run: &mut SyncRun,
    progress: &mut dyn FnMut(&Progress),
) -> Result<(), CrmError> {
    let chosen = |id: &str| only.map_or(true, |ids| ids.contains(id));
    for note in store.notes_to_push(SYSTEM)?.into_iter().filter(|n| chosen(&n.local_id)) {
        match hs.push_note(&note) {
            Ok(remote) => {
                store.record_pushed(SYSTEM, "note", &note.local_id, &remote, &note.version)?;
                run.pushed += 1;
            }
            Err(e @ (CrmError::Rejected(..) | CrmError::Malformed(_))) => {
                run.errors.push(format!("Note “{}” was not pushed: {e}", note.title));
            }
            Err(other) => return Err(other),
        }
        report(progress, "Pushing notes", run, hs);
    }
    for task in store.tasks_to_push(SYSTEM)?.into_iter().filter(|t| chosen(&t.local_id)) {
        match hs.push_task(&task) {
            Ok(remote) => {
                store.record_pushed(SYSTEM, "task", &task.local_id, &remote, &task.version)?;
                run.pushed += 1;
            }
            Err(e @ (CrmError::Rejected(..) | CrmError::Malformed(_))) => {
                run.errors.push(format!("Task “{}” was not pushed: {e}", task.title));
            }
            Err(other) => return Err(other),
        }
        report(progress, "Pushing tasks", run, hs);
    }
    Ok(())
}

fn report(progress: &mut dyn FnMut(&Progress), phase: &str, run: &SyncRun, hs: &HubSpot) {
    progress(&Progress {
        phase: phase.into(),
        pulled: run.pulled.into(),
        pushed: run.pushed.into(),
        requests: hs.http.requests(),
    });
}

/// Runs `work` as one logged run: its status says how it ended, its errors list what was skipped
/// or why it stopped.
fn logged(store: &Store, work: &mut dyn FnMut(&mut SyncRun) -> Result<(), CrmError>) -> Result<SyncRun, CrmError> {
    let id = store.start_sync_run(CrmSystem::Hubspot.as_str(), Utc::now())?;
    let mut run = SyncRun {
        id,
        system: SYSTEM.into(),
        started_at: Utc::now(),
        finished_at: None,
        pulled: 0,
        pushed: 0,
        conflicts: 0,
        errors: Vec::new(),
        status: "running".into(),
    };
    let outcome = work(&mut run);
    run.status = match &outcome {
        Ok(()) => "done".into(),
        Err(CrmError::Cancelled) => "cancelled".into(),
        Err(_) => "failed".into(),
    };
    if let Err(e) = &outcome {
        run.errors.push(e.to_string());
    }
    run.conflicts = store.sync_preview(SYSTEM).map(|p| p.conflicts).unwrap_or(0);
    run.finished_at = Some(Utc::now());
    store.finish_sync_run(&run)?;
    Ok(run)
}

/// Pulls what changed into the preview; nothing in the book changes until the CSM applies it.
pub fn pull_run(store: &Store, hs: &HubSpot, progress: &mut dyn FnMut(&Progress)) -> Result<SyncRun, CrmError> {
    logged(store, &mut |run| pull(store, hs, run, progress))
}

/// Pushes what the CSM chose (all when `only` is None).
pub fn push_run(
    store: &Store,
    hs: &HubSpot,
    only: Option<&HashSet<String>>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<SyncRun, CrmError> {
    logged(store, &mut |run| push(store, hs, only, run, progress))
}

/// Pull then push everything, as one logged run (the command-line tools and tests).
pub fn run(store: &Store, hs: &HubSpot, progress: &mut dyn FnMut(&Progress)) -> Result<SyncRun, CrmError> {
    logged(store, &mut |run| {
        pull(store, hs, run, progress)?;
        push(store, hs, None, run, progress)
    })
}
