//! Staging: pulled records wait in `sync_staged` until the CSM applies them; each page moves the
//! object's watermark in the same transaction.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::link;
use crate::error::{Error, Result};
use crate::model::{RemoteRecord, SyncEntity};
use crate::store::Store;

pub(super) fn staged(conn: &Connection, system: &str) -> Result<Vec<RemoteRecord>> {
    let mut stmt = conn.prepare(
        "SELECT payload FROM sync_staged WHERE system = ?1 ORDER BY entity = 'contact', staged_at, remote_id",
    )?;
    let rows = stmt.query_map([system], |r| r.get::<_, String>(0))?;
    let mut records = Vec::new();
    for json in rows {
        // A payload this version cannot read is dropped with the next staging, never half-applied.
        if let Ok(record) = serde_json::from_str::<RemoteRecord>(&json?) {
            records.push(record);
        }
    }
    Ok(records)
}

impl Store {
    /// Stages one page of pulled records and moves the object's watermark with it, in one
    /// transaction: a crash between pages loses nothing and stages nothing twice. Records the
    /// book already has at that version are skipped. Returns how many were staged.
    pub fn stage_remote(
        &self,
        system: &str,
        object: &str,
        records: &[RemoteRecord],
        now: DateTime<Utc>,
    ) -> Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mut staged = 0;
        for r in records {
            if let Some((_, _, modified)) = link(&tx, system, r.entity.as_str(), &r.remote_id)? {
                let known = DateTime::parse_from_rfc3339(&modified).ok().map(|t| t.with_timezone(&Utc));
                if known.is_some_and(|k| k >= r.modified_at) {
                    continue;
                }
            }
            let payload = serde_json::to_string(r)
                .map_err(|e| Error::Invalid(vec![crate::FieldError::new("record", e.to_string())]))?;
            tx.prepare_cached(
                "INSERT INTO sync_staged (system, entity, remote_id, payload, staged_at) VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT (system, entity, remote_id) DO UPDATE SET payload = excluded.payload, staged_at = excluded.staged_at",
            )?
            .execute(params![system, r.entity.as_str(), r.remote_id, payload, now])?;
            staged += 1;
        }
        if let Some(latest) = records.iter().map(|r| r.modified_at).max() {
            tx.execute(
                "INSERT INTO sync_watermarks (system, object, modified_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (system, object) DO UPDATE SET modified_at = max(modified_at, excluded.modified_at)",
                params![system, object, latest.to_rfc3339()],
            )?;
        }
        tx.commit()?;
        Ok(staged)
    }

    /// Moves an object's watermark forward (never back), e.g. to how far the CRM's removals are known.
    pub fn advance_watermark(&self, system: &str, object: &str, at: DateTime<Utc>) -> Result<()> {
        self.conn().execute(
            "INSERT INTO sync_watermarks (system, object, modified_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (system, object) DO UPDATE SET modified_at = max(modified_at, excluded.modified_at)",
            params![system, object, at.to_rfc3339()],
        )?;
        Ok(())
    }

    /// Where the last pull of an object got to.
    pub fn watermark(&self, system: &str, object: &str) -> Result<Option<DateTime<Utc>>> {
        let text: Option<String> = self
            .conn()
            .query_row(
                "SELECT modified_at FROM sync_watermarks WHERE system = ?1 AND object = ?2",
                params![system, object],
                |r| r.get(0),
            )
            .optional()?;
        Ok(text.and_then(|t| DateTime::parse_from_rfc3339(&t).ok()).map(|t| t.with_timezone(&Utc)))
    }

    /// The remote ids of every staged record, for applying all but the ones the CSM unticked.
    pub fn staged_ids(&self, system: &str) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached("SELECT remote_id FROM sync_staged WHERE system = ?1")?;
        let rows = stmt.query_map([system], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many pulled records wait to be applied.
    pub fn staged_count(&self, system: &str) -> Result<u32> {
        Ok(self.conn().query_row("SELECT count(*) FROM sync_staged WHERE system = ?1", [system], |r| r.get(0))?)
    }

    /// The CRM ids of an entity the book has or is about to have (linked or staged).
    pub fn known_remote_ids(&self, system: &str, entity: SyncEntity) -> Result<HashSet<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT remote_id FROM crm_links WHERE system = ?1 AND entity = ?2 \
             UNION SELECT remote_id FROM sync_staged WHERE system = ?1 AND entity = ?2",
        )?;
        let rows = stmt.query_map(params![system, entity.as_str()], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
