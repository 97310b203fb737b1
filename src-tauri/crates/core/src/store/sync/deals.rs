//! The CRM's deals (renewals, upsells), kept as the CRM has them and shown on the account.

use chrono::{DateTime, Utc};
use rusqlite::params;

use crate::error::Result;
use crate::model::{Deal, DealKind, Money};
use crate::store::Store;

impl Store {
    /// Writes a page of deals with the watermark, in one transaction.
    pub fn upsert_deals(&self, system: &str, deals: &[Deal]) -> Result<u32> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mut written = 0;
        for d in deals {
            tx.execute(
                "INSERT INTO deals (system, remote_id, company_remote_id, name, amount_minor, currency, close_date, stage, \
                 pipeline, kind, closed, modified_at, won, forecast_category, probability) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) \
                 ON CONFLICT (system, remote_id) DO UPDATE SET company_remote_id = excluded.company_remote_id, name = excluded.name, \
                 amount_minor = excluded.amount_minor, currency = excluded.currency, close_date = excluded.close_date, \
                 stage = excluded.stage, pipeline = excluded.pipeline, kind = excluded.kind, closed = excluded.closed, \
                 modified_at = excluded.modified_at, won = excluded.won, forecast_category = excluded.forecast_category, \
                 probability = excluded.probability",
                params![
                    system,
                                        d.remote_id,
                    d.company_remote_id,
                    d.name,
                    d.amount.as_ref().map(|m| m.minor),
                    d.amount.as_ref().map(|m| m.currency.clone()),
                    d.close_date.map(|x| x.to_string()),
                    d.stage,
                    d.pipeline,
                    d.kind.as_str(),
                    d.closed,
                    d.modified_at.to_rfc3339(),
                    d.won,
                    d.forecast_category,
                    d.probability.filter(|p| (0.0..=1.0).contains(p)),
                ],
            )?;
            written += 1;
        }
        if let Some(latest) = deals.iter().map(|d| d.modified_at).max() {
            tx.execute(
                "INSERT INTO sync_watermarks (system, object, modified_at) VALUES (?1, 'deals', ?2) \
                 ON CONFLICT (system, object) DO UPDATE SET modified_at = max(modified_at, excluded.modified_at)",
                params![system, latest.to_rfc3339()],
            )?;
        }
        tx.commit()?;
        Ok(written)
    }

    /// An account's deals from the CRM: open ones first by close date, then closed.
    pub fn account_deals(&self, account_id: &str) -> Result<Vec<Deal>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
                        "SELECT d.remote_id, d.company_remote_id, d.name, d.amount_minor, d.currency, d.close_date, d.stage, \
                    d.pipeline, d.kind, d.closed, d.modified_at, d.won, d.forecast_category, d.probability \
             FROM deals d JOIN crm_links l ON l.entity = 'account' AND l.remote_id = d.company_remote_id AND l.system = d.system \
             WHERE l.local_id = ?1 ORDER BY d.closed, d.close_date IS NULL, d.close_date, d.remote_id",
        )?;
        let rows = stmt.query_map([account_id], |r| {
            let minor: Option<i64> = r.get(3)?;
            let currency: Option<String> = r.get(4)?;
            let modified: String = r.get(10)?;
            Ok(Deal {
                remote_id: r.get(0)?,
                company_remote_id: r.get(1)?,
                name: r.get(2)?,
                amount: minor.map(|minor| Money { minor, currency: currency.unwrap_or_else(|| "USD".into()) }),
                close_date: crate::store::columns::date(r, 5)?,
                stage: r.get(6)?,
                pipeline: r.get(7)?,
                kind: crate::store::enum_column(r, 8, DealKind::parse)?,
                closed: r.get(9)?,
                won: r.get(11)?,
                forecast_category: r.get(12)?,
                probability: r.get(13)?,
                modified_at: DateTime::parse_from_rfc3339(&modified).map(|t| t.with_timezone(&Utc)).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
