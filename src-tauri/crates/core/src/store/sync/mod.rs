//! CRM sync in the store, one file per concern: pulled records are staged page by page with the
//! watermark (`staging`), previewed field by field against the local records and the last synced
//! values and applied when the CSM says so (`apply`); what waits to be pushed is read from the
//! records themselves (`outbox`); the run log and connection settings (`runs`), the CRM's deals
//! (`deals`) and its open tickets as health signals (`signals`). The rules (merge, defaults for
//! new records, validation problems) are pure functions in `crate::sync`.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::error::Result;
use crate::sync::Values;

mod apply;
mod deals;
mod outbox;
mod runs;
mod signals;
mod staging;
#[cfg(test)]
mod tests;

pub(super) use apply::PreviewCache;
pub use outbox::{PushNote, PushTask};

/// The link of a remote record: (local id, values last synced, remote modification time).
pub(super) fn link(
    conn: &Connection,
    system: &str,
    entity: &str,
    remote_id: &str,
) -> Result<Option<(String, Values, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT local_id, last_synced_values, coalesce(remote_modified_at, '') FROM crm_links \
             WHERE system = ?1 AND entity = ?2 AND remote_id = ?3",
        )?
        .query_row(params![system, entity, remote_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })
        .optional()?
        .map(|(id, json, modified)| (id, serde_json::from_str(&json).unwrap_or_default(), modified)))
}

pub(super) fn write_link(
    tx: &Transaction<'_>,
    system: &str,
    entity: &str,
    local_id: &str,
    remote_id: &str,
    modified_at: Option<DateTime<Utc>>,
    values: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO crm_links (entity, local_id, system, remote_id, remote_modified_at, last_synced_values) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (entity, local_id, system) DO UPDATE SET \
         remote_id = excluded.remote_id, remote_modified_at = excluded.remote_modified_at, \
                  last_synced_values = excluded.last_synced_values",
    )?
    .execute(params![entity, local_id, system, remote_id, modified_at.map(|t| t.to_rfc3339()), values])?;
    Ok(())
}
