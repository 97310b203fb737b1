//! Managed state: where the files are, and the store (or why it could not be opened).

use std::path::Path;
use std::sync::Arc;

use parking_lot::RwLock;
use std::time::{Duration, Instant};

use csm_core::error::ErrorKind;
use csm_core::model::{BackupInfo, Topic};
use csm_core::{backup, Store};
use serde::Serialize;
use ts_rs::TS;

use crate::{AppPaths, CommandError};

pub struct AppState {
    pub paths: AppPaths,
    store: RwLock<Result<Arc<Store>, CommandError>>,
    /// The CSV file being imported: read once, previewed as the mapping changes, then applied.
    pub pending_import: parking_lot::Mutex<Option<PendingImport>>,
    /// CRM sync: connection, credentials, the sync under way and its cancel switch.
    pub sync: Arc<csm_crm::service::SyncService>,
    /// Tells the web view what writes changed (set once the app runs; none in tests).
    announcer: RwLock<Option<Announcer>>,
}

/// The event the web view hears after writes, with the topics they changed.
pub const CHANGED: &str = "changed";

pub type Announcer = Box<dyn Fn(&[Topic]) + Send + Sync>;

pub struct PendingImport {
    pub kind: csm_core::model::ImportKind,
    pub table: Arc<csm_core::exchange::csv_read::CsvTable>,
}

/// What the UI shows first: the book, the first-run choice, or why the database is unavailable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BookState {
    Ready,
    FirstRun,
    Unavailable,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AppStatus {
    pub state: BookState,
    /// Why the database is unavailable, when it is.
    pub error: Option<CommandError>,
    pub paths: AppPaths,
    pub version: String,
    pub schema_version: Option<u32>,
    /// When the database cannot be opened: the newest sound backup, to offer restoring it.
    pub last_good_backup: Option<BackupInfo>,
}

/// Daily backups kept unless the CSM says otherwise (Settings).
pub const BACKUPS_KEPT: usize = 7;
const BACKUPS_KEPT_KEY: &str = "backup.keep";

impl AppState {
    /// Opens the database; a failure is kept and shown by the UI rather than crashing the app.
    pub fn open(paths: AppPaths) -> AppState {
        let store = Self::open_store(&paths);
        AppState {
            paths,
            store: RwLock::new(store),
            pending_import: Default::default(),
            sync: crate::crm::sync_service(),
            announcer: RwLock::default(),
        }
    }

    /// Opens the book and checks its pages: a file damaged inside is reported like one damaged
    /// at its header, and the start screen offers the last good backup.
    fn open_store(paths: &AppPaths) -> Result<Arc<Store>, CommandError> {
        let store = Store::open(&paths.database).map_err(CommandError::from)?;
        match store.quick_check() {
            Ok(check) if check == "ok" => Ok(Arc::new(store)),
            Ok(check) => {
                log::error!("integrity check failed: {check}");
                Err(CommandError::from(csm_core::OpenError::Corrupt { path: paths.database.clone() }))
            }
            Err(err) => Err(err.into()),
        }
    }

    /// Tries again, e.g. after the CSM closed the program that held a lock.
    pub fn reopen(&self) {
        let mut slot = self.store.write();
        if slot.is_err() {
            *slot = Self::open_store(&self.paths);
        }
    }

    /// Replaces the book with a backup. No sync may run meanwhile, and the backup is checked
    /// first. A book that opens is backed up before it is replaced (before taking the book from
    /// the other commands, so they are not held up by the copy); one that does not is replaced
    /// only when it is damaged (set aside with its WAL, listed with the backups) — a locked, newer
    /// or foreign book is healthy and stays. The store is closed once in-flight work has finished,
    /// the file swapped under an exclusive lock, and the store reopened.
    pub fn restore(&self, from: &Path) -> Result<(), CommandError> {
        let _no_sync = self.sync.hold()?;
        backup::inspect(from)?;
        let damaged_aside = match self.store() {
            Ok(current) => {
                current.back_up(&self.paths.backup_dir, chrono::Utc::now(), backup::BEFORE_RESTORE)?;
                backup::prune_undo_points(&self.paths.backup_dir)?;
                None
            }
            Err(problem) if !self.paths.database.exists() || is_damage(&problem) => {
                Some(self.paths.backup_dir.join(backup::set_aside_name(chrono::Utc::now())))
            }
            Err(problem) => {
                let message = format!(
                    "{} A backup would replace a book that is not damaged, so it is not restored.",
                    problem.message
                );
                return Err(CommandError::new(ErrorKind::RestoreRefused, message));
            }
        };
        let mut slot = self.store.write();
        let closing = CommandError::new(ErrorKind::Restoring, "The book is being restored from a backup.");
        if let Ok(store) = std::mem::replace(&mut *slot, Err(closing)) {
            // Commands hold the store only for the length of one call.
            let deadline = Instant::now() + Duration::from_secs(10);
            while Arc::strong_count(&store) > 1 && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            if Arc::strong_count(&store) > 1 {
                *slot = Ok(store);
                return Err(CommandError::new(ErrorKind::Busy, "The book is busy; try restoring again in a moment."));
            }
        }
        let restored =
            backup::restore_file(from, &self.paths.database, damaged_aside.as_deref()).map_err(CommandError::from);
        *slot = Self::open_store(&self.paths);
        restored
    }

    /// Today's backup, if not taken yet, and pruning to the number kept. Run once at start.
    pub fn daily_backup(&self) -> Result<Option<BackupInfo>, CommandError> {
        let store = self.store()?;
        if store.is_first_run()? {
            return Ok(None);
        }
        let keep = self.backups_kept()?;
        Ok(store.ensure_daily_backup(&self.paths.backup_dir, chrono::Utc::now(), keep)?)
    }

    pub fn backups_kept(&self) -> Result<usize, CommandError> {
        let saved = self.store()?.setting(BACKUPS_KEPT_KEY)?;
        Ok(saved.and_then(|v| v.parse().ok()).unwrap_or(BACKUPS_KEPT))
    }

    pub fn set_backups_kept(&self, keep: u32) -> Result<(), CommandError> {
        let keep = csm_core::validate::backups_kept(keep)?;
        self.store()?.set_setting(BACKUPS_KEPT_KEY, &keep.to_string())?;
        Ok(backup::prune(&self.paths.backup_dir, keep)?)
    }

    pub fn set_announcer(&self, announce: Announcer) {
        *self.announcer.write() = Some(announce);
    }

    /// Announces what the book's writes changed since the last announcement (nothing after reads).
    pub fn announce_changes(&self) {
        if let Ok(store) = self.store() {
            self.announce(&store.take_changes());
        }
    }

    pub fn announce(&self, topics: &[Topic]) {
        if topics.is_empty() {
            return;
        }
        if let Some(announce) = self.announcer.read().as_ref() {
            announce(topics);
        }
    }

    pub fn store(&self) -> Result<Arc<Store>, CommandError> {
        self.store.read().clone()
    }

    pub fn status(&self) -> Result<AppStatus, CommandError> {
        let mut last_good_backup = None;
        let (state, error, schema_version) = match self.store() {
            Err(err) => {
                // Restoring is offered for damage only: it would replace a locked or newer book.
                if is_damage(&err) {
                    last_good_backup = backup::last_good(&self.paths.backup_dir);
                }
                (BookState::Unavailable, Some(err), None)
            }
            Ok(store) => {
                let state = if store.is_first_run()? { BookState::FirstRun } else { BookState::Ready };
                (state, None, Some(store.schema_version()?))
            }
        };
        Ok(AppStatus {
            state,
            error,
            paths: self.paths.clone(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            schema_version,
            last_good_backup,
        })
    }
}

/// A book that opens wrong because its file is damaged, the one problem a backup mends.
fn is_damage(problem: &CommandError) -> bool {
    problem.kind == ErrorKind::DatabaseCorrupt
}
