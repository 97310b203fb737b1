//! The CRM's open tickets as health signals on the linked accounts.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

use crate::error::Result;
use crate::model::{new_id, CrmSystem, Signal, SignalKind};
use crate::store::{health, Store};

impl Store {
    /// Records the CRM's open-ticket counts as health signals on the linked accounts (open and
    /// urgent), when they differ from the latest reading; accounts with none get 0. Rescores.
    pub fn record_crm_signals(
        &self,
        system: &str,
        open: &BTreeMap<String, (u32, u32)>,
        today: NaiveDate,
    ) -> Result<u32> {
        let source = CrmSystem::parse(system).map_or("From the CRM's open tickets", CrmSystem::tickets_source);
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let linked: Vec<(String, String)> = {
            let mut stmt =
                tx.prepare("SELECT local_id, remote_id FROM crm_links WHERE system = ?1 AND entity = 'account'")?;
            let rows = stmt.query_map([system], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut written = 0;
        for (account, remote) in linked {
            let (tickets, urgent) = open.get(&remote).copied().unwrap_or((0, 0));
            for (kind, value) in [(SignalKind::TicketsOpen, tickets), (SignalKind::CriticalTicketsOpen, urgent)] {
                let latest: Option<f64> = tx
                    .query_row(
                        "SELECT value FROM signals WHERE account_id = ?1 AND kind = ?2 ORDER BY recorded_on DESC, id DESC LIMIT 1",
                        params![account, kind.as_str()],
                        |r| r.get(0),
                    )
                    .optional()?;
                if latest.map_or(value == 0, |l| (l - f64::from(value)).abs() < f64::EPSILON) {
                    continue;
                }
                let signal = Signal {
                    id: new_id(),
                    account_id: account.clone(),
                    kind,
                    value: f64::from(value),
                    recorded_on: today,
                    expires_on: None,
                    comment: source.into(),
                };
                health::insert_signal(&tx, &signal, "crm")?;
                written += 1;
            }
        }
        health::rescore_all_in(&tx, today)?;
        tx.commit()?;
        Ok(written)
    }
}
