//! Opening the database file safely: classify every way it can fail, never overwrite or
//! "repair" a file we do not understand, and back it up before upgrading its schema.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::migrate::{self, Migration, APPLICATION_ID};
use crate::error::OpenError;

pub(crate) fn open_file(
    path: &Path,
    busy_timeout: Duration,
    migrations: &[Migration],
) -> Result<Connection, OpenError> {
    if path.is_dir() {
        return Err(unreadable(path, "it is a folder, not a file"));
    }
    let existed = path.exists();
    let fail = |err: rusqlite::Error| classify(path, err);
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags).map_err(fail)?;
    conn.busy_timeout(busy_timeout).map_err(fail)?;

    // The first read: a damaged file, a foreign file or a lock shows here, before any write.
    let app_id: i32 = conn.pragma_query_value(None, "application_id", |row| row.get(0)).map_err(fail)?;
    let version: u32 = conn.pragma_query_value(None, "user_version", |row| row.get(0)).map_err(fail)?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0)).map_err(fail)?;
    let supported = migrate::latest(migrations);
    let foreign = if app_id == 0 { tables > 0 } else { app_id != APPLICATION_ID };
    if foreign {
        return Err(OpenError::Foreign { path: path.to_owned() });
    }
    if version > supported {
        return Err(OpenError::TooNew { path: path.to_owned(), found: version, supported });
    }

    conn.pragma_update(None, "foreign_keys", true).map_err(fail)?;
    // WAL with FULL sync: a killed process or a power cut never loses a committed edit.
    conn.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(())).map_err(fail)?;
    conn.pragma_update(None, "synchronous", "FULL").map_err(fail)?;
    // 32 MB of page cache (default 2 MB): a large book stays in memory between reads.
    conn.pragma_update(None, "cache_size", -32_000).map_err(fail)?;

    if existed && version > 0 && version < supported {
        backup_before_migration(&conn, path, version)?;
    }
    migrate::apply(&mut conn, migrations).map_err(|err| upgrade_failed(path, err))?;
    // Prove we can write now, so a lock or a read-only file is reported at start, not mid-edit.
    conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;").map_err(fail)?;
    Ok(conn)
}

/// Copies the database beside itself (`csm-desk.sqlite.v1-20261122T101500.bak`).
fn backup_before_migration(conn: &Connection, path: &Path, from_version: u32) -> Result<PathBuf, OpenError> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let backup = path.with_file_name(format!("{name}.v{from_version}-{stamp}.bak"));
    conn.execute("VACUUM INTO ?1", [backup.to_string_lossy()]).map_err(|err| OpenError::Migration {
        path: path.to_owned(),
        reason: format!("could not write the backup {}: {err}", backup.display()),
    })?;
    log::info!("backed up {} to {} before migrating", path.display(), backup.display());
    Ok(backup)
}

fn unreadable(path: &Path, reason: &str) -> OpenError {
    OpenError::Unreadable { path: path.to_owned(), reason: reason.to_owned() }
}

/// An error while bringing the book up to date: damage or a lock is reported as such, anything
/// else as a failed upgrade.
pub(super) fn upgrade_failed(path: &Path, err: rusqlite::Error) -> OpenError {
    match classify(path, err) {
        OpenError::Unreadable { reason, .. } => OpenError::Migration { path: path.to_owned(), reason },
        other => other,
    }
}

fn classify(path: &Path, err: rusqlite::Error) -> OpenError {
    let code = err.sqlite_error_code();
    match code {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => OpenError::Corrupt { path: path.to_owned() },
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => OpenError::Locked { path: path.to_owned() },
        Some(ErrorCode::ReadOnly) => unreadable(path, "the file or its folder is read-only"),
        Some(ErrorCode::PermissionDenied) => unreadable(path, "permission denied"),
        Some(ErrorCode::CannotOpen) => unreadable(path, "the file or its folder cannot be opened"),
        Some(ErrorCode::DiskFull) => unreadable(path, "the disk is full"),
        _ => unreadable(path, &err.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    const SHORT: Duration = Duration::from_millis(100);

    fn temp_db() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("csm-desk.sqlite");
        (dir, path)
    }

    fn backups(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".bak"))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_new_file_gets_the_latest_schema_in_wal_mode() {
        let (_dir, path) = temp_db();
        let store = Store::open(&path).expect("open");
        assert_eq!(store.schema_version().expect("version"), migrate::LATEST_VERSION);
        let conn = store.conn();
        let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).expect("mode");
        let fks: bool = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0)).expect("fk");
        assert_eq!((mode.as_str(), fks), ("wal", true));
    }

    #[test]
    fn reopening_an_up_to_date_file_migrates_nothing_and_backs_up_nothing() {
        let (dir, path) = temp_db();
        drop(Store::open(&path).expect("first open"));
        let store = Store::open(&path).expect("second open");
        assert_eq!(store.schema_version().expect("version"), migrate::LATEST_VERSION);
        assert!(backups(dir.path()).is_empty());
    }

    #[test]
    fn an_existing_file_is_backed_up_before_a_migration_runs() {
        let (dir, path) = temp_db();
        let v1 = &migrate::MIGRATIONS[..1];
        let conn = open_file(&path, SHORT, v1).expect("v1");
        conn.execute("INSERT INTO settings (key, value) VALUES ('marker', 'kept')", []).expect("insert");
        drop(conn);

        let v2 = [
            Migration { version: 1, sql: v1[0].sql },
            Migration { version: 2, sql: "ALTER TABLE settings ADD COLUMN note TEXT" },
        ];
        let conn = open_file(&path, SHORT, &v2).expect("v2");
        let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).expect("version");
        assert_eq!(version, 2);

        let names = backups(dir.path());
        assert_eq!(names.len(), 1, "{names:?}");
        assert!(names[0].starts_with("csm-desk.sqlite.v1-"));
        let backup = Connection::open(dir.path().join(&names[0])).expect("backup opens");
        let marker: String =
            backup.query_row("SELECT value FROM settings WHERE key='marker'", [], |r| r.get(0)).expect("marker");
        assert_eq!(marker, "kept");
        let old_version: u32 = backup.pragma_query_value(None, "user_version", |r| r.get(0)).expect("v");
        assert_eq!(old_version, 1);
    }

    #[test]
    fn a_failing_migration_leaves_the_file_as_it_was() {
        let (_dir, path) = temp_db();
        drop(open_file(&path, SHORT, &migrate::MIGRATIONS[..1]).expect("v1"));
        let broken = [
            Migration { version: 1, sql: migrate::MIGRATIONS[0].sql },
            Migration { version: 2, sql: "CREATE TABLE half (x INTEGER); SELECT * FROM no_such_table;" },
        ];
        let err = open_file(&path, SHORT, &broken).expect_err("must fail");
        assert!(matches!(err, OpenError::Migration { .. }), "{err:?}");
        let conn = Connection::open(&path).expect("raw");
        let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).expect("v");
        let half: i64 =
            conn.query_row("SELECT count(*) FROM sqlite_schema WHERE name='half'", [], |r| r.get(0)).expect("q");
        assert_eq!((version, half), (1, 0));
    }

    #[test]
    fn a_file_from_a_newer_version_is_refused_untouched() {
        let (_dir, path) = temp_db();
        drop(Store::open(&path).expect("open"));
        Connection::open(&path).expect("raw").pragma_update(None, "user_version", 99).expect("bump");
        let before = std::fs::read(&path).expect("read");
        let err = Store::open(&path).err().expect("refused");
        assert!(matches!(err, OpenError::TooNew { found: 99, .. }), "{err:?}");
        assert!(err.to_string().contains("newer version"));
        assert_eq!(std::fs::read(&path).expect("read"), before);
    }

    #[test]
    fn a_garbage_file_is_reported_as_damaged_and_left_alone() {
        let (_dir, path) = temp_db();
        let garbage = b"this is not a database, it is a shopping list\n".repeat(200);
        std::fs::write(&path, &garbage).expect("write");
        let err = Store::open(&path).err().expect("refused");
        assert!(matches!(err, OpenError::Corrupt { .. }), "{err:?}");
        assert!(err.to_string().contains(&path.display().to_string()));
        assert_eq!(std::fs::read(&path).expect("read"), garbage);
    }

    #[test]
    fn a_database_of_another_program_is_refused() {
        let (_dir, path) = temp_db();
        Connection::open(&path).expect("raw").execute_batch("CREATE TABLE recipes (name TEXT)").expect("create");
        assert!(matches!(Store::open(&path).err(), Some(OpenError::Foreign { .. })));
    }

    #[test]
    fn a_folder_in_place_of_the_file_is_unreadable() {
        let (dir, _) = temp_db();
        let err = Store::open(dir.path()).err().expect("refused");
        assert_eq!(err.kind(), "database_unreadable");
    }

    #[test]
    fn a_file_locked_by_another_process_is_reported_as_locked() {
        let (_dir, path) = temp_db();
        drop(Store::open(&path).expect("create"));
        let holder = Connection::open(&path).expect("holder");
        holder.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;").expect("lock");
        let err = Store::open_with_timeout(&path, SHORT).err().expect("refused");
        assert!(matches!(err, OpenError::Locked { .. }), "{err:?}");
        holder.execute_batch("COMMIT").expect("unlock");
        drop(holder);
        Store::open(&path).expect("opens once the lock is gone");
    }

    #[test]
    fn pages_damaged_inside_a_sound_header_are_reported_as_damage() {
        let (_dir, path) = temp_db();
        let store = Store::open(&path).expect("book");
        let today = chrono::Utc::now().date_naive();
        let sample = crate::sample::generate(&crate::sample::SampleSpec::DEMO, today);
        store.start_book(Some(&sample), chrono::Utc::now()).expect("sample");
        drop(store);
        let mut bytes = std::fs::read(&path).expect("bytes");
        let end = bytes.len().min(4096 * 12);
        bytes[4096 * 2..end].fill(0xA5);
        std::fs::write(&path, &bytes).expect("damage");
        let err = Store::open(&path).err().expect("refused");
        assert!(matches!(err, OpenError::Corrupt { .. }), "damage, the one thing a backup mends: {err:?}");
    }
}
