//! Renewal deals pulled from the CRM, matched to each account's coming renewal (a deal closing
//! within four months of its date), and what each suggests. Nothing here writes: the CSM picks
//! a suggestion on the Sync or Renewals page and it goes through the usual commands.

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, Utc};

use super::{calls, next_renewal, open_line, Call};
use crate::error::Result;
use crate::model::{Deal, DealKind, Money, RenewalSuggestion, SuggestedChange};
use crate::renewal::deal_suggests;
use crate::store::columns::date;
use crate::store::planner::account_facts;
use crate::store::Store;

/// A deal closing this many days from the renewal date is about that renewal.
const MATCH_DAYS: u64 = 120;

/// Each linked account's renewal deals, with the CRM they came from.
fn renewal_deals(conn: &rusqlite::Connection) -> Result<HashMap<String, Vec<(String, Deal)>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.local_id, d.system, d.remote_id, d.company_remote_id, d.name, d.amount_minor, d.currency, d.close_date, \
         d.stage, d.pipeline, d.closed, d.won, d.forecast_category, d.probability, d.modified_at \
         FROM deals d JOIN crm_links l ON l.entity = 'account' AND l.system = d.system AND l.remote_id = d.company_remote_id \
         WHERE d.kind = 'renewal' ORDER BY d.modified_at DESC",
    )?;
    let mut out: HashMap<String, Vec<(String, Deal)>> = HashMap::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let minor: Option<i64> = r.get(5)?;
        let currency: Option<String> = r.get(6)?;
        let deal = Deal {
            remote_id: r.get(2)?,
            company_remote_id: r.get(3)?,
            name: r.get(4)?,
            amount: minor.zip(currency).map(|(minor, currency)| Money { minor, currency }),
            close_date: date(r, 7)?,
            stage: r.get(8)?,
            pipeline: r.get(9)?,
            kind: DealKind::Renewal,
            closed: r.get(10)?,
            won: r.get(11)?,
            forecast_category: r.get(12)?,
            probability: r.get(13)?,
            modified_at: r.get::<_, DateTime<Utc>>(14).unwrap_or_default(),
        };
        out.entry(r.get(0)?).or_default().push((r.get(1)?, deal));
    }
    Ok(out)
}

fn near(close: NaiveDate, renewal: NaiveDate) -> bool {
    (renewal - Days::new(MATCH_DAYS)..=renewal + Days::new(MATCH_DAYS)).contains(&close)
}

impl Store {
    /// What the CRM's renewal deals suggest for the coming renewals: every closed deal (an
    /// outcome to record), and open deals whose forecast differs from the CSM's call.
    pub fn renewal_suggestions(&self, today: NaiveDate) -> Result<Vec<RenewalSuggestion>> {
        let conn = self.conn();
        let deals = renewal_deals(&conn)?;
        if deals.is_empty() {
            return Ok(Vec::new());
        }
        let facts = self.facts.get(&conn, today, || account_facts(&conn, today))?;
        let calls = calls(&conn)?;
        let mut out = Vec::new();
        for a in facts.iter() {
            let (Some(renews), Some(deals)) = (next_renewal(a), deals.get(&a.id)) else { continue };
            // The latest modified deal closing near this renewal speaks for it.
            let Some((system, deal)) = deals.iter().find(|(_, d)| d.close_date.is_some_and(|c| near(c, renews))) else {
                continue;
            };
            let line = open_line(a, renews, calls.get(&a.id).unwrap_or(&Call::default()), today);
            let change = deal_suggests(deal, &line.current_arr);
            let wanted = match &change {
                SuggestedChange::Outcome { .. } => true,
                SuggestedChange::Category { category } => line.category_set && *category != line.category,
                SuggestedChange::Unclear { .. } => deal.closed || line.category_set,
            };
            if wanted {
                out.push(RenewalSuggestion {
                    system: system.clone(),
                    deal_name: deal.name.clone(),
                    deal_stage: deal.stage.clone(),
                    deal_amount: deal.amount.clone(),
                    close_date: deal.close_date.unwrap_or(renews),
                    change,
                    line,
                });
            }
        }
        out.sort_by(|a, b| (a.line.renews_on, &a.line.account_name).cmp(&(b.line.renews_on, &b.line.account_name)));
        Ok(out)
    }
}
