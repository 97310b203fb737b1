//! The sync log (one row per run) and each CRM's connection settings.

use chrono::{DateTime, Utc};
use rusqlite::params;

use crate::error::Result;
use crate::model::{new_id, CrmSettings, SyncRun, SyncStatus};
use crate::store::{settings, Store};

impl Store {
    pub fn start_sync_run(&self, system: &str, now: DateTime<Utc>) -> Result<String> {
        let id = new_id();
        self.conn()
            .execute("INSERT INTO sync_runs (id, system, started_at) VALUES (?1, ?2, ?3)", params![id, system, now])?;
        Ok(id)
    }

    pub fn finish_sync_run(&self, run: &SyncRun) -> Result<()> {
        let errors = serde_json::to_string(&run.errors).unwrap_or_else(|_| "[]".to_owned());
        self.conn().execute(
            "UPDATE sync_runs SET finished_at = ?2, pulled = ?3, pushed = ?4, conflicts = ?5, errors = ?6, status = ?7 \
             WHERE id = ?1",
            params![run.id, run.finished_at, run.pulled, run.pushed, run.conflicts, errors, run.status.as_str()],
        )?;
        Ok(())
    }

    /// The sync log, newest first.
    pub fn sync_runs(&self, limit: u32) -> Result<Vec<SyncRun>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, system, started_at, finished_at, pulled, pushed, conflicts, errors, status FROM sync_runs \
             ORDER BY started_at DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], |r| {
            let errors: String = r.get(7)?;
            Ok(SyncRun {
                id: r.get(0)?,
                system: r.get(1)?,
                started_at: r.get(2)?,
                finished_at: r.get(3)?,
                pulled: r.get(4)?,
                pushed: r.get(5)?,
                conflicts: r.get(6)?,
                errors: serde_json::from_str(&errors).unwrap_or_default(),
                status: crate::store::enum_column(r, 8, SyncStatus::parse)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The connection settings of a CRM (`None` until the CSM connects it).
    pub fn crm_settings(&self, system: &str) -> Result<Option<CrmSettings>> {
        settings::read_json(&self.conn(), &format!("crm.{system}"))
    }

    pub fn save_crm_settings(&self, system: &str, value: Option<&CrmSettings>) -> Result<()> {
        let conn = self.conn();
        match value {
            Some(v) => settings::write_json(&conn, &format!("crm.{system}"), v),
            None => settings::remove(&conn, &format!("crm.{system}")),
        }
    }
}
