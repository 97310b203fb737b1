//! Backups of the book: consistent copies taken while the app runs, a daily one kept for N days,
//! and restoring one — only after checking it is a sound CSM Desk database this version can open.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, OpenError, Result};
use crate::model::BackupInfo;
use crate::store::{Store, LATEST_VERSION};

const PREFIX: &str = "csm-desk-";
const SUFFIX: &str = ".sqlite";
/// A damaged book moved out of the way by a restore: `damaged-<stamp>.sqlite`.
const SET_ASIDE_PREFIX: &str = "damaged-";
/// The files SQLite keeps beside a database: a WAL may hold committed transactions.
const SIDE_FILES: [&str; 2] = ["-wal", "-shm"];

/// The file name of a backup taken at `at`, with an optional reason ("before-restore").
fn file_name(at: DateTime<Utc>, reason: &str) -> String {
    let stamp = at.format("%Y-%m-%d-%H%M%S");
    if reason.is_empty() {
        format!("{PREFIX}{stamp}{SUFFIX}")
    } else {
        format!("{PREFIX}{stamp}-{reason}{SUFFIX}")
    }
}

impl Store {
    /// Writes a consistent copy of the book into `dir` (`VACUUM INTO` a temporary file, then a
    /// rename): concurrent writes wait or land after it, and no half-written backup is ever left.
    pub fn back_up(&self, dir: &Path, now: DateTime<Utc>, reason: &str) -> Result<BackupInfo> {
        let fail = |reason: String| Error::Export { path: dir.to_owned(), reason };
        std::fs::create_dir_all(dir).map_err(|e| fail(e.to_string()))?;
        let target = dir.join(file_name(now, reason));
        let temp = dir.join(format!(".{}.part", file_name(now, reason)));
        let _ = std::fs::remove_file(&temp);
        let written = self.vacuum_into(&temp);
        if let Err(err) = written {
            let _ = std::fs::remove_file(&temp);
            return Err(err);
        }
        std::fs::rename(&temp, &target).map_err(|e| fail(e.to_string()))?;
        owner_only(&target);
        inspect(&target)
    }

    /// Takes today's backup if there is none yet, then keeps only the newest `keep` daily ones
    /// (backups taken for a reason, like before a restore, are kept apart and never pruned).
    pub fn ensure_daily_backup(&self, dir: &Path, now: DateTime<Utc>, keep: usize) -> Result<Option<BackupInfo>> {
        let today = now.date_naive();
        let taken_today = list(dir)?.iter().any(|b| b.daily && b.created_at.date_naive() == today);
        let made = if taken_today { None } else { Some(self.back_up(dir, now, "")?) };
        prune(dir, keep.max(1))?;
        Ok(made)
    }
}

/// Checks a file is a sound CSM Desk database this version can open, and says what is in it.
pub fn inspect(path: &Path) -> Result<BackupInfo> {
    read_info(path, true)
}

/// What a database file holds; `check` also reads every page (`quick_check`), which listing the
/// backups at start-up skips — a restore always checks.
fn read_info(path: &Path, check: bool) -> Result<BackupInfo> {
    let open_error = |e: rusqlite::Error| OpenError::Unreadable { path: path.to_owned(), reason: e.to_string() };
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(open_error)?;
    let header = |pragma: &str| conn.pragma_query_value(None, pragma, |r| r.get::<_, i64>(0));
    let (app_id, version) = match (header("application_id"), header("user_version")) {
        (Ok(app), Ok(version)) => (app, version),
        _ => return Err(OpenError::Corrupt { path: path.to_owned() }.into()),
    };
    if app_id != i64::from(crate::store::APPLICATION_ID) {
        return Err(OpenError::Foreign { path: path.to_owned() }.into());
    }
    if version > i64::from(LATEST_VERSION) {
        return Err(
            OpenError::TooNew { path: path.to_owned(), found: version as u32, supported: LATEST_VERSION }.into()
        );
    }
    let sound = !check || conn.query_row("PRAGMA quick_check", [], |r| r.get::<_, String>(0)).is_ok_and(|c| c == "ok");
    if !sound {
        return Err(OpenError::Corrupt { path: path.to_owned() }.into());
    }
    let count = |table: &str| -> u64 {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap_or(0)
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let created_at = created_at(&name).or_else(|| modified(path)).unwrap_or_default();
    Ok(BackupInfo {
        path: path.display().to_string(),
        daily: name.starts_with(PREFIX) && name.len() == PREFIX.len() + 17 + SUFFIX.len(),
        set_aside: false,
        file_name: name,
        created_at,
        bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        schema_version: version as u32,
        accounts: count("accounts"),
        contacts: count("contacts"),
        notes: count("notes"),
        tasks: count("tasks"),
    })
}

fn created_at(name: &str) -> Option<DateTime<Utc>> {
    let stamp = name.strip_prefix(PREFIX)?.get(..17)?;
    chrono::NaiveDateTime::parse_from_str(stamp, "%Y-%m-%d-%H%M%S").ok().map(|t| t.and_utc())
}

fn modified(path: &Path) -> Option<DateTime<Utc>> {
    std::fs::metadata(path).ok()?.modified().ok().map(DateTime::<Utc>::from)
}

/// The backups in `dir`, newest first. Files that are not sound CSM Desk databases are left out.
pub fn list(dir: &Path) -> Result<Vec<BackupInfo>> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(Vec::new()) };
    let named = |p: &Path, prefix: &str| {
        p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(prefix) && n.to_string_lossy().ends_with(SUFFIX))
    };
    let mut out: Vec<BackupInfo> = entries
        .flatten()
        .map(|e| e.path())
        .filter_map(|p| {
            if named(&p, PREFIX) {
                read_info(&p, false).ok()
            } else if named(&p, SET_ASIDE_PREFIX) {
                Some(set_aside_info(&p))
            } else {
                None
            }
        })
        .collect();
    out.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| b.file_name.cmp(&a.file_name)));
    Ok(out)
}

/// What the list says of a damaged book set aside: its name, when and its size (with its WAL).
fn set_aside_info(path: &Path) -> BackupInfo {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stamp = name.strip_prefix(SET_ASIDE_PREFIX).and_then(|rest| rest.get(..17));
    let created_at = stamp
        .and_then(|s| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d-%H%M%S").ok())
        .map(|t| t.and_utc())
        .or_else(|| modified(path))
        .unwrap_or_default();
    let bytes = std::iter::once(path.to_owned())
        .chain(SIDE_FILES.iter().map(|side| side_file(path, side)))
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    BackupInfo {
        path: path.display().to_string(),
        file_name: name,
        created_at,
        daily: false,
        set_aside: true,
        bytes,
        schema_version: 0,
        accounts: 0,
        contacts: 0,
        notes: 0,
        tasks: 0,
    }
}

fn side_file(database: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", database.display()))
}

/// The name a damaged book is set aside under.
pub fn set_aside_name(now: DateTime<Utc>) -> String {
    format!("{SET_ASIDE_PREFIX}{}{SUFFIX}", now.format("%Y-%m-%d-%H%M%S"))
}

/// Deletes the oldest daily backups beyond `keep`.
pub fn prune(dir: &Path, keep: usize) -> Result<()> {
    remove(list(dir)?.into_iter().filter(|b| b.daily).skip(keep))
}

/// The reason of the backup taken before a restore replaces the book (an undo point).
pub const BEFORE_RESTORE: &str = "before-restore";
/// Undo points kept: the newest, so repeated restores do not fill the disk.
pub const UNDO_POINTS_KEPT: usize = 5;

/// Keeps the newest [`UNDO_POINTS_KEPT`] backups taken before a restore.
pub fn prune_undo_points(dir: &Path) -> Result<()> {
    let suffix = format!("-{BEFORE_RESTORE}{SUFFIX}");
    remove(list(dir)?.into_iter().filter(|b| b.file_name.ends_with(&suffix)).skip(UNDO_POINTS_KEPT))
}

fn remove(backups: impl Iterator<Item = BackupInfo>) -> Result<()> {
    for old in backups {
        std::fs::remove_file(&old.path)
            .map_err(|e| Error::Export { path: PathBuf::from(&old.path), reason: e.to_string() })?;
    }
    Ok(())
}

/// Puts a backup in place of the database file. The store must be closed. The backup is checked
/// first, and no other program may hold the book: an exclusive lock is taken (and held until the
/// swap) or the restore is refused. A damaged book is moved to `damaged_aside` with its WAL, which
/// may hold committed transactions; a sound one (backed up before) loses only its side files, so
/// they cannot be replayed over the backup. The copy goes to a temporary file beside the
/// database, is flushed, and replaces it in one rename.
pub fn restore_file(backup: &Path, database: &Path, damaged_aside: Option<&Path>) -> Result<()> {
    inspect(backup)?;
    let fail = |reason: String| Error::Export { path: database.to_owned(), reason };
    let _lock = lock_exclusively(database)?;
    let temp = database.with_extension("sqlite.restoring");
    std::fs::copy(backup, &temp).map_err(|e| fail(e.to_string()))?;
    std::fs::File::open(&temp).and_then(|f| f.sync_all()).map_err(|e| fail(e.to_string()))?;
    match damaged_aside {
        Some(aside) if database.exists() => {
            for suffix in std::iter::once("").chain(SIDE_FILES) {
                let from = side_file(database, suffix);
                if from.exists() {
                    move_file(&from, &side_file(aside, suffix))
                        .map_err(|e| fail(format!("setting the damaged book aside: {e}")))?;
                }
            }
        }
        _ => {
            for suffix in SIDE_FILES {
                let side = side_file(database, suffix);
                if side.exists() {
                    std::fs::remove_file(&side).map_err(|e| fail(e.to_string()))?;
                }
            }
        }
    }
    std::fs::rename(&temp, database).map_err(|e| fail(e.to_string()))?;
    owner_only(database);
    Ok(())
}

/// Makes a book or backup file readable and writable by its owner only (0600; SQLite gives the
/// WAL the book's mode). Best effort: the data folder itself is already the owner's only.
pub fn owner_only(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Err(err) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
            log::warn!("could not make {} private: {err}", path.display());
        }
    }
}

/// Renames, or copies and deletes where a rename cannot cross file systems.
fn move_file(from: &Path, to: &Path) -> std::io::Result<()> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::rename(from, to).or_else(|_| std::fs::copy(from, to).and_then(|_| std::fs::remove_file(from)))
}

/// An exclusive SQLite lock on the book for as long as the connection lives; refused (Locked)
/// while another program has it open. A file too damaged to lock cannot be in use as a book.
fn lock_exclusively(database: &Path) -> Result<Option<Connection>> {
    if !database.exists() {
        return Ok(None);
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let Ok(conn) = Connection::open_with_flags(database, flags) else { return Ok(None) };
    let _ = conn.busy_timeout(std::time::Duration::from_millis(500));
    // Closing must not checkpoint a WAL into a file that has meanwhile been set aside or replaced.
    let _ = conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true);
    match conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;") {
        Ok(()) => Ok(Some(conn)),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) =>
        {
            Err(OpenError::Locked { path: database.to_owned() }.into())
        }
        Err(_) => Ok(None),
    }
}

/// The newest readable backup, for a damaged database: what the start screen offers (restoring
/// it checks every page first).
pub fn last_good(dir: &Path) -> Option<BackupInfo> {
    list(dir).ok()?.into_iter().find(|b| !b.set_aside)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::AccountInput;
    use crate::sample::{generate, SampleSpec};
    use crate::validate;

    fn now() -> DateTime<Utc> {
        "2026-11-22T09:30:00Z".parse().unwrap()
    }

    fn book(dir: &Path) -> Store {
        let store = Store::open(&dir.join("book.sqlite")).unwrap();
        store.start_book(Some(&generate(&SampleSpec::DEMO, now().date_naive())), now()).unwrap();
        store
    }

    /// Every table's rows, as text, for comparing two databases exactly.
    fn dump(path: &Path) -> Vec<String> {
        let conn = Connection::open(path).unwrap();
        let mut out = Vec::new();
        for table in
            ["accounts", "contacts", "tasks", "notes", "note_tags", "signals", "timeline_events", "health_snapshots"]
        {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2")).unwrap();
            let width = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    Ok((0..width).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect::<Vec<_>>().join("|"))
                })
                .unwrap();
            out.extend(rows.map(|r| format!("{table}: {}", r.unwrap())));
        }
        out
    }

    #[test]
    fn a_backup_taken_during_writes_is_consistent_and_restores_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(book(dir.path()));
        let writer = {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                for i in 0..200 {
                    let input = AccountInput {
                        name: format!("Concurrent {i}"),
                        segment: "low_touch".into(),
                        lifecycle_stage: "value".into(),
                        ..Default::default()
                    };
                    store.create_account(&validate::account(&input).unwrap(), now()).unwrap();
                }
            })
        };
        let backups = dir.path().join("backups");
        let taken = store.back_up(&backups, now(), "").unwrap();
        writer.join().unwrap();
        assert!(taken.accounts >= 40 && taken.accounts <= 240, "{}", taken.accounts);
        assert_eq!(
            inspect(Path::new(&taken.path)).unwrap().accounts,
            taken.accounts,
            "a committed state, checked sound"
        );

        // Restore over the live file (store closed first): exactly the backup's data comes back.
        let expected = dump(Path::new(&taken.path));
        let database = dir.path().join("book.sqlite");
        drop(Arc::try_unwrap(store).ok().expect("the only handle"));
        restore_file(Path::new(&taken.path), &database, None).unwrap();
        let reopened = Store::open(&database).unwrap();
        assert_eq!(reopened.account_count().unwrap(), taken.accounts);
        drop(reopened);
        assert_eq!(dump(&database), expected);
    }

    #[test]
    fn daily_backups_are_taken_once_a_day_and_pruned_to_the_number_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = book(dir.path());
        let backups = dir.path().join("backups");
        for day in 0..5 {
            let at = now() + chrono::TimeDelta::days(day);
            assert!(store.ensure_daily_backup(&backups, at, 3).unwrap().is_some());
            assert!(store.ensure_daily_backup(&backups, at + chrono::TimeDelta::hours(1), 3).unwrap().is_none());
        }
        store.back_up(&backups, now(), "before-restore").unwrap();
        let kept = list(&backups).unwrap();
        assert_eq!(kept.iter().filter(|b| b.daily).count(), 3);
        assert_eq!(kept.iter().filter(|b| !b.daily).count(), 1, "backups taken for a reason are kept");
        assert_eq!(kept[0].created_at, now() + chrono::TimeDelta::days(4), "newest first");
    }

    #[test]
    fn only_the_newest_undo_points_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = book(dir.path());
        let backups = dir.path().join("backups");
        store.back_up(&backups, now(), "manual").unwrap();
        for minute in 0..8 {
            store.back_up(&backups, now() + chrono::TimeDelta::minutes(minute), BEFORE_RESTORE).unwrap();
            prune_undo_points(&backups).unwrap();
        }
        let kept = list(&backups).unwrap();
        let undo: Vec<_> = kept.iter().filter(|b| b.file_name.ends_with("-before-restore.sqlite")).collect();
        assert_eq!(undo.len(), UNDO_POINTS_KEPT);
        assert_eq!(undo[0].created_at, now() + chrono::TimeDelta::minutes(7), "the newest kept");
        assert!(kept.iter().any(|b| b.file_name.ends_with("-manual.sqlite")), "the CSM's own backups stay");
    }

    #[test]
    fn a_file_that_is_not_a_sound_csm_desk_database_is_refused_and_nothing_is_touched() {
        let dir = tempfile::tempdir().unwrap();
        let store = book(dir.path());
        let database = dir.path().join("book.sqlite");
        drop(store);
        let before = std::fs::read(&database).unwrap();

        let garbage = dir.path().join("csm-desk-2026-11-01-000000.sqlite");
        std::fs::write(&garbage, b"PK\x03\x04 not a database".repeat(100)).unwrap();
        let foreign = dir.path().join("foreign.sqlite");
        Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
        let newer = dir.path().join("newer.sqlite");
        std::fs::copy(&database, &newer).unwrap();
        Connection::open(&newer).unwrap().pragma_update(None, "user_version", LATEST_VERSION + 1).unwrap();

        for (file, kind) in
            [(&garbage, "database_corrupt"), (&foreign, "database_foreign"), (&newer, "database_too_new")]
        {
            let err = restore_file(file, &database, None).unwrap_err();
            assert_eq!(err.kind(), kind, "{}", file.display());
        }
        assert_eq!(std::fs::read(&database).unwrap(), before);
        assert!(list(dir.path()).unwrap().is_empty(), "unsound files are not offered as backups");
    }

    #[test]
    fn a_book_another_program_holds_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let store = book(dir.path());
        let taken = store.back_up(&dir.path().join("backups"), now(), "").unwrap();
        drop(store);
        let database = dir.path().join("book.sqlite");
        let before = std::fs::read(&database).unwrap();
        let other = Connection::open(&database).unwrap();
        other.execute_batch("BEGIN EXCLUSIVE;").unwrap();

        let err = restore_file(Path::new(&taken.path), &database, None).unwrap_err();
        assert_eq!(err.kind(), "database_locked");
        assert_eq!(std::fs::read(&database).unwrap(), before);
        assert!(!database.with_extension("sqlite.restoring").exists(), "no partial copy left behind");
        drop(other);
        restore_file(Path::new(&taken.path), &database, None).unwrap();
    }

    #[test]
    fn a_damaged_book_is_set_aside_with_its_wal_and_listed_never_offered_for_restore() {
        let dir = tempfile::tempdir().unwrap();
        let store = book(dir.path());
        let backups = dir.path().join("backups");
        let taken = store.back_up(&backups, now(), "").unwrap();
        drop(store);
        let database = dir.path().join("book.sqlite");
        std::fs::write(&database, b"damaged ".repeat(512)).unwrap();
        let wal = b"committed transactions the damaged file does not hold".repeat(10);
        std::fs::write(side_file(&database, "-wal"), &wal).unwrap();

        let aside = backups.join(set_aside_name(now()));
        restore_file(Path::new(&taken.path), &database, Some(&aside)).unwrap();
        assert_eq!(std::fs::read(&aside).unwrap(), b"damaged ".repeat(512), "the damaged file is kept as it was");
        assert_eq!(std::fs::read(side_file(&aside, "-wal")).unwrap(), wal, "with its WAL");
        assert!(!side_file(&database, "-wal").exists());
        assert_eq!(Store::open(&database).unwrap().account_count().unwrap(), taken.accounts);

        let listed = list(&backups).unwrap();
        let kept = listed.iter().find(|b| b.set_aside).expect("the set-aside copy is listed");
        assert_eq!(kept.bytes, 8 * 512 + wal.len() as u64);
        assert_eq!(kept.created_at, now());
        assert_eq!(last_good(&backups).map(|b| b.set_aside), Some(false), "never offered for restoring");
    }

    #[test]
    fn the_book_and_its_backups_are_readable_by_their_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = book(dir.path());
        let taken = store.back_up(&dir.path().join("backups"), now(), "").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir.path().join("book.sqlite")), 0o600);
        assert_eq!(mode(Path::new(&taken.path)), 0o600);
    }
}
