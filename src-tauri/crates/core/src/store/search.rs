//! The full-text index, kept in step with notes, accounts, contacts and tasks in the same
//! transaction as each write, and the search over it. Text goes through `search::index_text`
//! (registered as the SQL function `csm_index_text` on the store's connection).

use rusqlite::functions::FunctionFlags;
use rusqlite::{params, Connection};

use super::{enum_column, settings, Store};
use crate::error::Result;
use crate::model::{SearchHit, SearchKind, SearchQuery, SearchResults};
use crate::search::{self, HIT_END, HIT_START};

/// Bumped when what is indexed changes: the index is rebuilt on the next open.
const INDEX_VERSION: &str = "2";
const VERSION_KEY: &str = "search.index_version";

/// Where each kind's text comes from (`x` is the row).
struct Source {
    kind: SearchKind,
    table: &'static str,
    account: &'static str,
    day: &'static str,
    title: &'static str,
    body: &'static str,
    tags: &'static str,
}

const SOURCES: [Source; 6] = [
    Source {
        kind: SearchKind::Account,
        table: "accounts",
        account: "x.id",
        day: "NULL",
        title: "x.name",
        body: "concat_ws(' ', x.domain, x.industry, x.region, x.owner, \
               (SELECT group_concat(value, ' ') FROM json_each(x.products)))",
        tags: "''",
    },
    Source {
        kind: SearchKind::Contact,
        table: "contacts",
        account: "x.account_id",
        day: "NULL",
        title: "x.name",
        body: "concat_ws(' ', x.title, x.email, x.phone, replace(x.role, '_', ' '))",
        tags: "''",
    },
    Source {
        kind: SearchKind::Task,
        table: "tasks",
        account: "x.account_id",
        day: "x.due_date",
        title: "x.title",
        body: "concat_ws(' ', x.details, x.provenance)",
        tags: "''",
    },
    Source {
        kind: SearchKind::Note,
        table: "notes",
        account: "x.account_id",
        day: "substr(x.occurred_at, 1, 10)",
        title: "x.title",
        body: "x.body_md",
        tags: "coalesce((SELECT group_concat(t.tag, ' ') FROM note_tags t WHERE t.note_id = x.id), '')",
    },
    Source {
        kind: SearchKind::Risk,
        table: "risks",
        account: "x.account_id",
        day: "x.opened_on",
        title: "x.title",
        body: "concat_ws(' ', (SELECT group_concat(value, ' ') FROM json_each(x.reasons)), \
               (SELECT group_concat(u.body, ' ') FROM risk_updates u WHERE u.risk_id = x.id))",
        tags: "'risk'",
    },
    Source {
        kind: SearchKind::Ask,
        table: "asks",
        account: "NULL",
        day: "x.status_on",
        title: "x.title",
        body: "concat_ws(' ', x.problem, x.reference)",
        tags: "'ask'",
    },
];

fn source(kind: SearchKind) -> &'static Source {
    SOURCES.iter().find(|s| s.kind == kind).unwrap_or(&SOURCES[0])
}

/// Registers `csm_index_text` on a connection; done when the store opens.
pub(super) fn register(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "csm_index_text",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| Ok(ctx.get::<Option<String>>(0)?.map(|text| search::index_text(&text)).unwrap_or_default()),
    )
}

/// Which records of a source to index.
enum Which<'a> {
    One(&'a str),
    /// A JSON array of ids.
    Many(&'a str),
    All,
}

/// Indexes records of `src`: two set-based statements, each seeking by id (or scanning once).
fn index_rows(conn: &Connection, src: &Source, which: Which<'_>) -> Result<()> {
    let kind = src.kind.as_str();
    let (table, account, day, title, body, tags) = (src.table, src.account, src.day, src.title, src.body, src.tags);
    let (filter, arg) = match which {
        Which::One(id) => ("x.id = ?1", Some(id)),
        Which::Many(ids) => ("x.id IN (SELECT value FROM json_each(?1))", Some(ids)),
        Which::All => ("?1 IS NULL", None),
    };
    // Oldest first, so doc ids (FTS rowids) follow time and "newest first" is the index's own order.
    conn.prepare_cached(&format!(
        "INSERT INTO search_docs (kind, ref_id, account_id, day) SELECT '{kind}', x.id, {account}, {day} \
         FROM {table} x WHERE {filter} ORDER BY {day}"
    ))?
    .execute([arg])?;
    let docs = filter.replace("x.id", "d.ref_id");
    conn.prepare_cached(&format!(
        "INSERT INTO search_index (rowid, title, body, tags) SELECT d.doc, csm_index_text({title}), \
         csm_index_text({body}), csm_index_text({tags}) FROM search_docs d JOIN {table} x ON x.id = d.ref_id \
         WHERE d.kind = '{kind}' AND {docs}"
    ))?
    .execute([arg])?;
    Ok(())
}

/// Brings many records' entries up to date at once (an import).
pub(crate) fn reindex_many(conn: &Connection, kind: SearchKind, ids: &[String]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let json = serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned());
    let mine = "SELECT doc FROM search_docs WHERE kind = ?1 AND ref_id IN (SELECT value FROM json_each(?2))";
    conn.execute(&format!("DELETE FROM search_index WHERE rowid IN ({mine})"), params![kind.as_str(), json])?;
    conn.execute(&format!("DELETE FROM search_docs WHERE doc IN ({mine})"), params![kind.as_str(), json])?;
    index_rows(conn, source(kind), Which::Many(&json))
}

/// Brings one record's entry up to date (or removes it when the record is gone).
pub(crate) fn reindex(conn: &Connection, kind: SearchKind, id: &str) -> Result<()> {
    unindex(conn, kind, id)?;
    index_rows(conn, source(kind), Which::One(id))
}

pub(crate) fn unindex(conn: &Connection, kind: SearchKind, id: &str) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM search_index WHERE rowid IN (SELECT doc FROM search_docs WHERE kind = ?1 AND ref_id = ?2)",
    )?
    .execute(params![kind.as_str(), id])?;
    conn.prepare_cached("DELETE FROM search_docs WHERE kind = ?1 AND ref_id = ?2")?
        .execute(params![kind.as_str(), id])?;
    Ok(())
}

/// Removes an account and everything on it (its contacts, tasks and notes cascade away with it).
pub(crate) fn unindex_account(conn: &Connection, account_id: &str) -> Result<()> {
    conn.execute(
        "DELETE FROM search_index WHERE rowid IN (SELECT doc FROM search_docs WHERE account_id = ?1)",
        [account_id],
    )?;
    conn.execute("DELETE FROM search_docs WHERE account_id = ?1", [account_id])?;
    Ok(())
}

/// Rebuilds the whole index in set-based statements (a new book, or a new index version).
pub(crate) fn rebuild(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM search_index", [])?;
    conn.execute("DELETE FROM search_docs", [])?;
    for src in &SOURCES {
        index_rows(conn, src, Which::All)?;
    }
    settings::write(conn, VERSION_KEY, INDEX_VERSION)
}

/// Builds the index when the file has none yet, or one of an older version, in one transaction.
pub(super) fn ensure_built(conn: &mut Connection) -> Result<()> {
    if settings::read(conn, VERSION_KEY)?.as_deref() == Some(INDEX_VERSION) {
        return Ok(());
    }
    let tx = conn.transaction()?;
    rebuild(&tx)?;
    tx.commit()?;
    Ok(())
}

const MAX_HITS: u32 = 200;
/// Up to this many matches are ranked by relevance; beyond, ranking every match would be slow
/// (bm25 reads each one's size), so the newest come first — which is what a CSM scanning a
/// common word wants anyway.
const RANKED_MATCHES: u32 = 500;

impl Store {
    /// Searches notes, accounts, contacts and tasks. Typed text is never read as query syntax;
    /// results come best first (title matches weigh most), then newest.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        let Some(expression) = search::match_expression(&q.text, &q.tag) else {
            let message =
                if q.text.trim().is_empty() { "Type a word to search." } else { "Type letters or digits to search." };
            return Ok(SearchResults { hits: Vec::new(), message: Some(message.to_owned()) });
        };
        let kinds: Vec<&str> = q.kinds.iter().map(|k| k.as_str()).collect();
        let kinds = serde_json::to_string(&kinds).unwrap_or_else(|_| "[]".to_owned());
        let limit = if q.limit == 0 { 50 } else { q.limit.min(MAX_HITS) };
        let conn = self.conn();
        let matches: u32 = conn
            .prepare_cached("SELECT count(*) FROM (SELECT 1 FROM search_index WHERE search_index MATCH ?1 LIMIT ?2)")?
            .query_row(params![expression, RANKED_MATCHES + 1], |r| r.get(0))
            .or_else(|err| if err.to_string().contains("fts5") { Ok(0) } else { Err(err) })?;
        let ranked = matches <= RANKED_MATCHES;
        let filters = "(?2 = '[]' OR d.kind IN (SELECT value FROM json_each(?2))) AND (?3 = '' OR d.account_id = ?3) \
                       AND (?4 = '' OR d.day >= ?4) AND (?5 = '' OR d.day <= ?5)";
        let columns = format!(
            "d.kind, d.ref_id, d.account_id, a.name, d.day, highlight(search_index, 0, '{HIT_START}', '{HIT_END}'), \
             snippet(search_index, 1, '{HIT_START}', '{HIT_END}', '…', 14)"
        );
        let sql = if ranked {
            // Rank the few matches, then highlight only the best (highlighting every match before
            // sorting is what would make a search slow).
            format!(
                "WITH top AS (SELECT search_index.rowid AS doc, bm25(search_index, 6.0, 1.0, 3.0) AS score \
                   FROM search_index JOIN search_docs d ON d.doc = search_index.rowid \
                   WHERE search_index MATCH ?1 AND {filters} ORDER BY score, d.day DESC LIMIT ?6) \
                 SELECT {columns} FROM top JOIN search_index ON search_index.rowid = top.doc \
                 JOIN search_docs d ON d.doc = top.doc LEFT JOIN accounts a ON a.id = d.account_id \
                 WHERE search_index MATCH ?1 ORDER BY top.score, d.day DESC"
            )
        } else {
            // The index's own order (newest first): it stops after the first page of matches.
            format!(
                "SELECT {columns} FROM search_index JOIN search_docs d ON d.doc = search_index.rowid \
                 LEFT JOIN accounts a ON a.id = d.account_id WHERE search_index MATCH ?1 AND {filters} \
                 ORDER BY search_index.rowid DESC LIMIT ?6"
            )
        };
        let mut stmt = conn.prepare_cached(&sql)?;
        let args = params![expression, kinds, q.account_id.trim(), q.from.trim(), q.to.trim(), limit];
        let rows = stmt.query_map(args, |row| {
            Ok(SearchHit {
                kind: enum_column(row, 0, SearchKind::parse)?,
                ref_id: row.get(1)?,
                account_id: row.get(2)?,
                account_name: row.get(3)?,
                day: super::columns::date(row, 4)?,
                title: search::parts(&row.get::<_, String>(5)?),
                snippet: search::parts(&crate::notes::plain_text(&row.get::<_, String>(6)?)),
            })
        })?;
        match rows.collect::<rusqlite::Result<Vec<_>>>() {
            Ok(hits) => {
                let message = (!ranked).then(|| {
                    format!("More than {RANKED_MATCHES} matches: newest first. Add a word to narrow it down.")
                });
                Ok(SearchResults { hits, message })
            }
            // The expression is built to be valid; should FTS5 still refuse it, say so plainly.
            Err(err) if err.to_string().contains("fts5") => {
                log::warn!("search expression refused: {err}");
                Ok(SearchResults { hits: Vec::new(), message: Some("Nothing can be searched for in that.".to_owned()) })
            }
            Err(err) => Err(err.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::migrate;

    #[test]
    fn a_book_from_before_search_is_indexed_when_it_is_upgraded() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate::apply(&mut conn, &migrate::MIGRATIONS[..3]).unwrap();
        conn.execute(
            "INSERT INTO accounts (id, name, segment, lifecycle_stage, created_at, updated_at) \
             VALUES ('a1', 'Zürich Präzision AG', 'low_touch', 'value', '2026-01-01', '2026-01-01')",
            [],
        )
        .unwrap();
        migrate::apply(&mut conn, migrate::MIGRATIONS).unwrap();
        register(&conn).unwrap();
        ensure_built(&mut conn).unwrap();
        let store = Store::with(conn, None);
        let hits = store.search(&SearchQuery { text: "zurich prazision".into(), ..Default::default() }).unwrap().hits;
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].title.iter().map(|p| p.text.as_str()).collect::<String>(), "Zürich Präzision AG");
    }
}
