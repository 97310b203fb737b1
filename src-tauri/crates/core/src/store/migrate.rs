//! Numbered SQL migrations, each applied in its own transaction with `user_version` bumped inside it.

use rusqlite::{Connection, TransactionBehavior};

/// Marks a file as CSM Desk's (`PRAGMA application_id`): "CSMD".
pub(crate) const APPLICATION_ID: i32 = 0x4353_4D44;

pub(crate) struct Migration {
    pub version: u32,
    pub sql: &'static str,
}

pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, sql: include_str!("../../migrations/0001_initial.sql") },
    Migration { version: 2, sql: include_str!("../../migrations/0002_health.sql") },
    Migration { version: 3, sql: include_str!("../../migrations/0003_planner.sql") },
    Migration { version: 4, sql: include_str!("../../migrations/0004_notes_search.sql") },
    Migration { version: 5, sql: include_str!("../../migrations/0005_qbr.sql") },
    Migration { version: 6, sql: include_str!("../../migrations/0006_sync.sql") },
    Migration { version: 7, sql: include_str!("../../migrations/0007_real_size.sql") },
    Migration { version: 8, sql: include_str!("../../migrations/0008_crm_links_split.sql") },
    Migration { version: 9, sql: include_str!("../../migrations/0009_checked_kinds.sql") },
    Migration { version: 10, sql: include_str!("../../migrations/0010_renewals.sql") },
    Migration { version: 11, sql: include_str!("../../migrations/0011_relationships.sql") },
    Migration { version: 12, sql: include_str!("../../migrations/0012_risks_asks.sql") },
    Migration { version: 13, sql: include_str!("../../migrations/0013_calendars.sql") },
];

pub const LATEST_VERSION: u32 = 13;

pub(crate) fn latest(migrations: &[Migration]) -> u32 {
    migrations.last().map_or(0, |m| m.version)
}

/// Applies every migration newer than the file's `user_version`, oldest first.
pub(crate) fn apply(conn: &mut Connection, migrations: &[Migration]) -> rusqlite::Result<()> {
    let current: u32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    for migration in migrations.iter().filter(|m| m.version > current) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(migration.sql)?;
        tx.pragma_update(None, "user_version", migration.version)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.commit()?;
        log::info!("database migrated to schema {}", migration.version);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_version_matches_the_last_migration() {
        assert_eq!(latest(MIGRATIONS), LATEST_VERSION);
        let versions: Vec<u32> = MIGRATIONS.iter().map(|m| m.version).collect();
        let expected: Vec<u32> = (1..=LATEST_VERSION).collect();
        assert_eq!(versions, expected, "migrations are numbered 1, 2, 3… with no gaps");
    }

    #[test]
    fn every_migration_file_is_registered_and_applied() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
        let files = std::fs::read_dir(dir).expect("migrations dir").filter_map(|e| e.ok()).count();
        assert_eq!(files, MIGRATIONS.len(), "a migration file in {dir} is not in MIGRATIONS");
        let mut conn = Connection::open_in_memory().expect("db");
        apply(&mut conn, MIGRATIONS).expect("apply");
        let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).expect("version");
        assert_eq!(version, LATEST_VERSION);
    }

    #[test]
    fn crm_links_keep_pulled_values_and_pushed_versions_apart_after_the_upgrade() {
        let mut conn = Connection::open_in_memory().expect("db");
        apply(&mut conn, &MIGRATIONS[..7]).expect("a version 7 book");
        conn.execute_batch(
            "INSERT INTO crm_links (entity, local_id, system, remote_id, last_synced_values) VALUES \
               ('account', 'a1', 'hubspot', 'c1', '{\"name\":\"Acme\"}'), \
               ('note', 'n1', 'hubspot', 'r1', '2026-11-01T09:00:00Z');",
        )
        .expect("links");
        apply(&mut conn, MIGRATIONS).expect("upgrade");
        let row = |local: &str| -> (String, Option<String>) {
            conn.query_row(
                "SELECT last_synced_values, pushed_version FROM crm_links WHERE local_id = ?1",
                [local],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("row")
        };
        assert_eq!(row("a1"), ("{\"name\":\"Acme\"}".to_owned(), None));
        assert_eq!(row("n1"), ("{}".to_owned(), Some("2026-11-01T09:00:00Z".to_owned())));
        let refused = conn.execute(
            "INSERT INTO crm_links (entity, local_id, system, remote_id, last_synced_values) \
             VALUES ('invoice', 'x', 'hubspot', 'y', 'not json')",
            [],
        );
        assert!(refused.is_err(), "entities and values are checked");
    }

    #[test]
    fn kinds_are_checked_after_the_upgrade_and_odd_old_values_are_kept_readable() {
        let mut conn = Connection::open_in_memory().expect("db");
        apply(&mut conn, &MIGRATIONS[..8]).expect("a version 8 book");
        conn.execute_batch(
            "INSERT INTO accounts (id, name, segment, lifecycle_stage, currency, created_at, updated_at) \
               VALUES ('a1', 'Acme', 'low_touch', 'adoption', 'USD', '2026-01-01', '2026-01-01'); \
             INSERT INTO timeline_events (id, account_id, kind, occurred_at, title, ref_kind, ref_id) VALUES \
               ('e1', 'a1', 'note', '2026-11-01', 'Call', 'note', 'n1'), \
               ('e2', 'a1', 'crm', '2026-11-02', 'Synced', 'invoice', 'x'); \
             INSERT INTO sync_runs (id, system, started_at, errors, status) VALUES \
               ('r1', 'hubspot', '2026-11-01', 'oops', 'weird');",
        )
        .expect("old rows");
        apply(&mut conn, MIGRATIONS).expect("upgrade");
        let refs: Vec<(Option<String>, Option<String>)> = conn
            .prepare("SELECT ref_kind, ref_id FROM timeline_events ORDER BY id")
            .expect("sql")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("refs");
        assert_eq!(refs, [(Some("note".into()), Some("n1".into())), (None, None)], "an unknown reference is dropped");
        let run: (String, String) =
            conn.query_row("SELECT errors, status FROM sync_runs", [], |r| Ok((r.get(0)?, r.get(1)?))).expect("run");
        assert_eq!(run, ("[]".to_owned(), "failed".to_owned()));
        for refused in [
            "INSERT INTO timeline_events (id, account_id, kind, occurred_at, title) VALUES ('e3', 'a1', 'lunch', 'x', 'y')",
            "INSERT INTO timeline_events (id, account_id, kind, occurred_at, title, ref_kind) VALUES ('e4', 'a1', 'note', 'x', 'y', 'note')",
            "INSERT INTO sync_runs (id, system, started_at, status) VALUES ('r2', 'hubspot', 'x', 'paused')",
            "INSERT INTO sync_watermarks (system, object, modified_at) VALUES ('pipedrive', 'deals', 'x')",
        ] {
            assert!(conn.execute(refused, []).is_err(), "{refused}");
        }
    }

    #[test]
    fn a_version_7_book_upgrades_with_its_people_notes_and_timeline_intact() {
        let mut conn = Connection::open_in_memory().expect("db");
        apply(&mut conn, &MIGRATIONS[..7]).expect("a version 7 book");
        conn.execute_batch(
            "INSERT INTO accounts (id, name, segment, lifecycle_stage, currency, created_at, updated_at) \
               VALUES ('a1', 'Acme', 'high_touch', 'value', 'USD', '2026-01-01', '2026-01-01'); \
             INSERT INTO contacts (id, account_id, name, role, created_at, updated_at) \
               VALUES ('c1', 'a1', 'Ana Ruiz', 'champion', '2026-01-01', '2026-01-01'); \
             INSERT INTO notes (id, account_id, occurred_at, title, body_md, created_at, updated_at) \
               VALUES ('n1', 'a1', '2026-11-01T09:00:00Z', 'Call', 'Hello', '2026-11-01', '2026-11-01'); \
             INSERT INTO note_attendees (note_id, contact_id, name) VALUES ('n1', 'c1', 'Ana Ruiz'); \
             INSERT INTO timeline_events (id, account_id, kind, occurred_at, title, ref_kind, ref_id) \
               VALUES ('e1', 'a1', 'note', '2026-11-01T09:00:00Z', 'Call', 'note', 'n1');",
        )
        .expect("old rows");
        apply(&mut conn, MIGRATIONS).expect("upgrade");
        let person: (String, String, Option<String>, String, String) = conn
            .query_row("SELECT name, role, stance, deal_roles, private_notes FROM contacts WHERE id = 'c1'", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .expect("contact");
        assert_eq!(person, ("Ana Ruiz".into(), "champion".into(), None, "[]".into(), String::new()));
        let kept: (i64, i64) = conn
            .query_row(
                "SELECT (SELECT count(*) FROM note_attendees WHERE contact_id = 'c1'), \
                        (SELECT count(*) FROM timeline_events WHERE ref_id = 'n1')",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("counts");
        assert_eq!(kept, (1, 1));
        conn.execute(
            "INSERT INTO timeline_events (id, account_id, kind, occurred_at, title) \
             VALUES ('e2', 'a1', 'stakeholder', '2026-12-03', 'Ana Ruiz: supporter → skeptic')",
            [],
        )
        .expect("the new kind");
        for refused in [
            "UPDATE contacts SET stance = 'hostile' WHERE id = 'c1'",
            "UPDATE contacts SET deal_roles = 'not json' WHERE id = 'c1'",
            "UPDATE contacts SET influence = 'huge' WHERE id = 'c1'",
        ] {
            assert!(conn.execute(refused, []).is_err(), "{refused}");
        }
    }

    #[test]
    fn a_version_11_book_keeps_its_notes_and_offers_its_tagged_ones_as_risks_and_asks() {
        let mut conn = Connection::open_in_memory().expect("db");
        apply(&mut conn, &MIGRATIONS[..11]).expect("a version 11 book");
        conn.execute_batch(
            "INSERT INTO accounts (id, name, segment, lifecycle_stage, currency, created_at, updated_at) \
               VALUES ('a1', 'Acme', 'high_touch', 'value', 'USD', '2026-01-01', '2026-01-01'); \
             INSERT INTO notes (id, account_id, occurred_at, title, body_md, created_at, updated_at) VALUES \
               ('n1', 'a1', '2026-11-01T09:00:00Z', 'Escalation', 'Exports fail', '2026-11-01', '2026-11-01'), \
               ('n2', 'a1', '2026-11-02T09:00:00Z', 'Feedback', 'Wants SSO', '2026-11-02', '2026-11-02'), \
               ('n3', 'a1', '2026-11-03T09:00:00Z', 'Check-in', 'All good', '2026-11-03', '2026-11-03'); \
             INSERT INTO note_tags (note_id, tag) VALUES ('n1', 'escalation'), ('n1', 'risk'), ('n2', 'feedback'), ('n3', 'win'); \
             INSERT INTO timeline_events (id, account_id, kind, occurred_at, title, ref_kind, ref_id) \
               VALUES ('e1', 'a1', 'note', '2026-11-01T09:00:00Z', 'Escalation', 'note', 'n1'); \
             INSERT INTO search_docs (kind, ref_id, account_id) VALUES ('note', 'n1', 'a1');",
        )
        .expect("old rows");
        apply(&mut conn, MIGRATIONS).expect("upgrade");
        let offers: Vec<(String, String)> = conn
            .prepare("SELECT note_id, kind FROM tagged_note_offers ORDER BY note_id")
            .expect("sql")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("offers");
        assert_eq!(offers, [("n1".to_owned(), "risk".to_owned()), ("n2".to_owned(), "ask".to_owned())]);
        let kept: (i64, i64, i64, i64) = conn
            .query_row(
                "SELECT (SELECT count(*) FROM notes), (SELECT count(*) FROM timeline_events), \
                        (SELECT count(*) FROM search_docs), (SELECT count(*) FROM risks)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .expect("counts");
        assert_eq!(kept, (3, 1, 1, 0), "nothing lost, nothing turned into a risk on its own");
        for refused in [
            "INSERT INTO risks (id, account_id, title, severity, arr_at_risk_minor, currency, stage, opened_on, stage_since, \
             created_at, updated_at) VALUES ('r1', 'a1', 'x', 'low', 0, 'USD', 'lost', '2026-12-01', '2026-12-01', '', '')",
            "INSERT INTO asks (id, title, status, status_on, created_at, updated_at) VALUES ('q', ' ', 'new', '', '', '')",
            "INSERT INTO timeline_events (id, account_id, kind, occurred_at, title) VALUES ('e9', 'a1', 'gossip', '', 'x')",
        ] {
            assert!(conn.execute(refused, []).is_err(), "{refused}");
        }
    }
}
