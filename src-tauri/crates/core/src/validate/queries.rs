//! Checks on what the UI asks to read or set outside the forms: record ids, timeline and search
//! queries, and the number of daily backups kept.

use chrono::NaiveDate;

use super::planner::day;
use crate::error::{Error, FieldError};
use crate::model::{SearchQuery, TimelineQuery};
use crate::store::TimelineFilter;

/// Entries a timeline page holds when the UI does not say, and at most.
pub const TIMELINE_PAGE: u32 = 100;
pub const TIMELINE_PAGE_MAX: u32 = 500;
/// Characters a search may hold.
pub const SEARCH_TEXT_MAX: usize = 500;
/// Daily backups the CSM may keep.
pub const BACKUPS_KEPT_RANGE: std::ops::RangeInclusive<u32> = 1..=365;

fn invalid(field: &str, message: &str) -> Error {
    Error::Invalid(vec![FieldError::new(field, message)])
}

/// Ids are UUIDs; anything else cannot name a record and is refused before touching the store.
pub fn id(field: &str, id: &str) -> Result<String, Error> {
    let id = id.trim();
    if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(invalid(field, "That is not a valid id."));
    }
    Ok(id.to_owned())
}

fn optional_day(field: &str, text: &str) -> Result<Option<NaiveDate>, Error> {
    Some(text.trim()).filter(|t| !t.is_empty()).map(|t| day(field, "Date", t)).transpose()
}

/// A timeline query as the store reads it: a real account id, real dates in order, a page size
/// within bounds (the cursor is opaque: one it cannot read starts at the top).
pub fn timeline_query(query: &TimelineQuery) -> Result<TimelineFilter, Error> {
    let account_id =
        Some(query.account_id.trim()).filter(|a| !a.is_empty()).map(|a| id("account_id", a)).transpose()?;
    let (from, to) = (optional_day("from", &query.from)?, optional_day("to", &query.to)?);
    if from.zip(to).is_some_and(|(from, to)| from > to) {
        return Err(invalid("to", "The end date is before the start date."));
    }
    if query.limit > TIMELINE_PAGE_MAX {
        return Err(invalid("limit", "Ask for at most 500 entries at a time."));
    }
    Ok(TimelineFilter {
        account_id,
        kinds: query.kinds.clone(),
        from,
        to,
        before: TimelineFilter::cursor(&query.before),
        limit: if query.limit == 0 { TIMELINE_PAGE } else { query.limit },
    })
}

/// A search the index can run: bounded text, a real account id and real dates, if given.
pub fn search_query(query: &SearchQuery) -> Result<(), Error> {
    if query.text.chars().count() > SEARCH_TEXT_MAX {
        return Err(invalid("text", "Search for at most 500 characters."));
    }
    if !query.account_id.trim().is_empty() {
        id("account_id", &query.account_id)?;
    }
    optional_day("from", &query.from)?;
    optional_day("to", &query.to)?;
    Ok(())
}

/// How many daily backups to keep.
pub fn backups_kept(keep: u32) -> Result<usize, Error> {
    if !BACKUPS_KEPT_RANGE.contains(&keep) {
        return Err(invalid("keep", "Keep 1 to 365 daily backups."));
    }
    Ok(keep as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(err: Error) -> String {
        err.fields()[0].field.clone()
    }

    #[test]
    fn a_timeline_query_is_checked_and_defaults_its_page() {
        let query = TimelineQuery { account_id: "0a1b-2c".into(), from: "2026-01-01".into(), ..Default::default() };
        let filter = timeline_query(&query).expect("valid");
        assert_eq!((filter.account_id.as_deref(), filter.limit), (Some("0a1b-2c"), TIMELINE_PAGE));
        let bad = |q: TimelineQuery| field(timeline_query(&q).expect_err("refused"));
        assert_eq!(bad(TimelineQuery { account_id: "'; DROP".into(), ..Default::default() }), "account_id");
        assert_eq!(bad(TimelineQuery { from: "2026-13-01".into(), ..Default::default() }), "from");
        assert_eq!(
            bad(TimelineQuery { from: "2026-02-01".into(), to: "2026-01-01".into(), ..Default::default() }),
            "to"
        );
        assert_eq!(bad(TimelineQuery { limit: u32::MAX, ..Default::default() }), "limit");
    }

    #[test]
    fn searches_and_backup_counts_are_bounded() {
        assert!(search_query(&SearchQuery { text: "renewal".into(), ..Default::default() }).is_ok());
        let long = SearchQuery { text: "x".repeat(501), ..Default::default() };
        assert_eq!(field(search_query(&long).expect_err("refused")), "text");
        assert_eq!(backups_kept(7).expect("valid"), 7);
        assert_eq!(field(backups_kept(0).expect_err("refused")), "keep");
        assert_eq!(field(backups_kept(366).expect_err("refused")), "keep");
    }
}
