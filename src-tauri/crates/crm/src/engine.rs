//! One sync run, the same for every CRM: pull (accounts, contacts, what was removed, deals, open
//! tickets) into the staging area page by page, then push what waits (published notes, tasks on
//! linked accounts) in batches. Every page is committed with its watermark and every push recorded
//! as it lands, so a run stopped anywhere (error, cancel, killed process) leaves the book
//! consistent and the next run carries on.

use std::collections::HashSet;

use chrono::Utc;
use csm_core::model::{SyncEntity, SyncRun, SyncStatus};
use csm_core::store::{PushNote, PushTask};
use csm_core::Store;

use crate::connector::{Connector, Page, Pushed};
use crate::CrmError;

/// What the run has done so far, for a progress bar.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Progress {
    pub phase: String,
    pub pulled: u64,
    pub pushed: u64,
    pub requests: u64,
}

fn stage(store: &Store, system: &str, object: &str, page: Page, run: &mut SyncRun) -> Result<(), CrmError> {
    run.errors.extend(page.rejected.into_iter().map(|why| format!("Skipped {why}.")));
    let staged = store.stage_remote(system, object, &page.records, Utc::now())?;
    run.pulled += staged as u32;
    Ok(())
}

/// Pulls everything changed since the last run into the staging area.
pub fn pull(
    store: &Store,
    crm: &dyn Connector,
    run: &mut SyncRun,
    progress: &mut dyn FnMut(&Progress),
) -> Result<(), CrmError> {
    let system = crm.system().as_str();
    crm.prepare()?;
    let since = store.watermark(system, "companies")?;
    crm.pull_accounts(since, &mut |page| {
        stage(store, system, "companies", page, run)?;
        report(progress, "Pulling accounts", run, crm);
        Ok(())
    })?;
    // With a scope, only the people of accounts in the book (or on their way to it) come in.
    let in_scope = match crm.scoped() {
        true => Some(store.known_remote_ids(system, SyncEntity::Account)?),
        false => None,
    };
    let since = store.watermark(system, "contacts")?;
    crm.pull_contacts(since, &mut |mut page| {
        if let Some(known) = &in_scope {
            page.records.retain(|r| r.parent_remote_id.as_ref().is_some_and(|p| known.contains(p)));
        }
        stage(store, system, "contacts", page, run)?;
        report(progress, "Pulling contacts", run, crm);
        Ok(())
    })?;
    // Only removals of records the book has (or is about to have) matter here.
    for (object, entity) in [("companies", SyncEntity::Account), ("contacts", SyncEntity::Contact)] {
        let known = store.known_remote_ids(system, entity)?;
        let mark = format!("removed_{object}");
        let since = store.watermark(system, &mark)?;
        let covered = crm.removed(entity, since, &known, &mut |mut page| {
            page.records.retain(|r| known.contains(&r.remote_id));
            stage(store, system, &format!("archived_{object}"), page, run)?;
            report(progress, "Checking what was removed", run, crm);
            Ok(())
        })?;
        if let Some(at) = covered {
            store.advance_watermark(system, &mark, at)?;
        }
    }
    let since = store.watermark(system, "deals")?;
    crm.pull_deals(since, &mut |deals, rejected| {
        run.errors.extend(rejected.into_iter().map(|why| format!("Skipped {why}.")));
        store.upsert_deals(system, &deals)?;
        report(progress, "Pulling renewals and opportunities", run, crm);
        Ok(())
    })?;
    report(progress, "Counting open tickets", run, crm);
    let tickets = crm.open_tickets()?;
    store.record_crm_signals(system, &tickets, Utc::now().date_naive())?;
    Ok(())
}

/// What waits to be pushed: published notes and tasks on linked accounts.
pub struct Outbox {
    pub notes: Vec<PushNote>,
    pub tasks: Vec<PushTask>,
}

impl Outbox {
    /// Everything waiting for `system`, or only the local ids in `only`.
    pub fn load(store: &Store, system: &str, only: Option<&HashSet<String>>) -> csm_core::Result<Outbox> {
        let chosen = |id: &str| only.is_none_or(|ids| ids.contains(id));
        Ok(Outbox {
            notes: store.notes_to_push(system)?.into_iter().filter(|n| chosen(&n.local_id)).collect(),
            tasks: store.tasks_to_push(system)?.into_iter().filter(|t| chosen(&t.local_id)).collect(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.notes.is_empty() && self.tasks.is_empty()
    }
}

/// Pushes the outbox in the CRM's batch size; each item is recorded as soon as the CRM has it. A
/// push that fails is logged and retried on the next run (upserts by our own id make the retry
/// safe).
pub fn push(
    store: &Store,
    crm: &dyn Connector,
    outbox: &Outbox,
    run: &mut SyncRun,
    progress: &mut dyn FnMut(&Progress),
) -> Result<(), CrmError> {
    let system = crm.system().as_str();
    for batch in outbox.notes.chunks(crm.push_batch().max(1)) {
        let outcomes = crm.push_notes(batch)?;
        let items = batch.iter().map(|n| (n.local_id.as_str(), n.version.as_str(), n.title.as_str()));
        record(store, system, "note", items, outcomes, run)?;
        report(progress, "Pushing notes", run, crm);
    }
    for batch in outbox.tasks.chunks(crm.push_batch().max(1)) {
        let outcomes = crm.push_tasks(batch)?;
        let items = batch.iter().map(|t| (t.local_id.as_str(), t.version.as_str(), t.title.as_str()));
        record(store, system, "task", items, outcomes, run)?;
        report(progress, "Pushing tasks", run, crm);
    }
    Ok(())
}

/// Records what landed; what the CRM refused is logged with its reason and waits for the next run.
fn record<'a>(
    store: &Store,
    system: &str,
    entity: &str,
    items: impl ExactSizeIterator<Item = (&'a str, &'a str, &'a str)>,
    outcomes: Pushed,
    run: &mut SyncRun,
) -> Result<(), CrmError> {
    if outcomes.len() != items.len() {
        return Err(CrmError::Malformed("The CRM's reply does not account for every item pushed.".into()));
    }
    for ((local_id, version, title), outcome) in items.zip(outcomes) {
        match outcome {
            Ok(remote) => {
                store.record_pushed(system, entity, local_id, &remote, version)?;
                run.pushed += 1;
            }
            Err(why) => {
                let kind = if entity == "note" { "Note" } else { "Task" };
                run.errors.push(format!("{kind} “{title}” was not pushed: {why}"));
            }
        }
    }
    Ok(())
}

fn report(progress: &mut dyn FnMut(&Progress), phase: &str, run: &SyncRun, crm: &dyn Connector) {
    progress(&Progress {
        phase: phase.into(),
        pulled: run.pulled.into(),
        pushed: run.pushed.into(),
        requests: crm.http().requests(),
    });
}

/// Runs `work` as one logged run: its status says how it ended, its errors list what was skipped
/// or why it stopped.
fn logged(
    store: &Store,
    crm: &dyn Connector,
    work: &mut dyn FnMut(&mut SyncRun) -> Result<(), CrmError>,
) -> Result<SyncRun, CrmError> {
    let system = crm.system().as_str();
    let id = store.start_sync_run(system, Utc::now())?;
    let mut run = SyncRun {
        id,
        system: system.into(),
        started_at: Utc::now(),
        finished_at: None,
        pulled: 0,
        pushed: 0,
        conflicts: 0,
        errors: Vec::new(),
        status: SyncStatus::Running,
    };
    let outcome = work(&mut run);
    run.status = match &outcome {
        Ok(()) => SyncStatus::Done,
        Err(CrmError::Cancelled) => SyncStatus::Cancelled,
        Err(_) => SyncStatus::Failed,
    };
    if let Err(e) = &outcome {
        run.errors.push(e.to_string());
    }
    run.conflicts = store.sync_conflicts(system).unwrap_or(0);
    run.finished_at = Some(Utc::now());
    store.finish_sync_run(&run)?;
    Ok(run)
}

/// Pulls what changed into the preview; nothing in the book changes until the CSM applies it.
pub fn pull_run(store: &Store, crm: &dyn Connector, progress: &mut dyn FnMut(&Progress)) -> Result<SyncRun, CrmError> {
    logged(store, crm, &mut |run| pull(store, crm, run, progress))
}

/// Pushes what the CSM chose (all when `only` is None).
pub fn push_run(
    store: &Store,
    crm: &dyn Connector,
    only: Option<&HashSet<String>>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<SyncRun, CrmError> {
    let outbox = Outbox::load(store, crm.system().as_str(), only)?;
    push_outbox(store, crm, &outbox, progress)
}

/// Pushes an outbox already read (the shell reads it first to know whether to connect at all).
pub fn push_outbox(
    store: &Store,
    crm: &dyn Connector,
    outbox: &Outbox,
    progress: &mut dyn FnMut(&Progress),
) -> Result<SyncRun, CrmError> {
    logged(store, crm, &mut |run| push(store, crm, outbox, run, progress))
}

/// Pull then push everything, as one logged run (the command-line tools and tests).
pub fn run(store: &Store, crm: &dyn Connector, progress: &mut dyn FnMut(&Progress)) -> Result<SyncRun, CrmError> {
    logged(store, crm, &mut |run| {
        pull(store, crm, run, progress)?;
        push(store, crm, &Outbox::load(store, crm.system().as_str(), None)?, run, progress)
    })
}
