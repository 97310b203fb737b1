//! Where CSM Desk keeps its files: the folder `--data-dir` names, else `$CSM_DESK_DATA_DIR`, else
//! the user's data directory (`$XDG_DATA_HOME/csm-desk`, `~/.local/share/csm-desk`).

use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

pub const DATA_DIR_ENV: &str = "CSM_DESK_DATA_DIR";

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AppPaths {
    #[ts(type = "string")]
    pub data_dir: PathBuf,
    #[ts(type = "string")]
    pub database: PathBuf,
    #[ts(type = "string")]
    pub log_dir: PathBuf,
    #[ts(type = "string")]
    pub backup_dir: PathBuf,
}

impl AppPaths {
    /// Resolves the folders and creates the data folder.
    pub fn resolve(explicit: Option<&Path>) -> std::io::Result<AppPaths> {
        let data_dir = data_dir(explicit)?;
        private_dir(&data_dir)?;
        Ok(Self::in_dir(data_dir))
    }

    pub fn in_dir(data_dir: PathBuf) -> AppPaths {
        AppPaths {
            database: data_dir.join("csm-desk.sqlite"),
            log_dir: data_dir.join("logs"),
            backup_dir: data_dir.join("backups"),
            data_dir,
        }
    }
}

/// The book's folder, absolute: `explicit` (from `--data-dir`), else `$CSM_DESK_DATA_DIR`, else
/// `csm-desk` in the XDG data directory (what Tauri's path resolver answers on Linux).
pub fn data_dir(explicit: Option<&Path>) -> std::io::Result<PathBuf> {
    let named = explicit.map(Path::to_path_buf).or_else(|| env_dir(DATA_DIR_ENV));
    let dir = match named {
        Some(dir) => dir,
        None => env_dir("XDG_DATA_HOME")
            .filter(|dir| dir.is_absolute())
            .or_else(|| env_dir("HOME").map(|home| home.join(".local/share")))
            .ok_or_else(|| std::io::Error::other("the user's data directory is unknown; set CSM_DESK_DATA_DIR"))?
            .join("csm-desk"),
    };
    std::path::absolute(dir)
}

fn env_dir(name: &str) -> Option<PathBuf> {
    std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// Creates the data folder readable by its owner only (0700 on Unix): the book, its backups and
/// logs hold customer data, and other local users must not read them.
pub fn private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// The log folder and the files in it readable by their owner only (0700, 0600): logs name
/// accounts. Run at start, after the log file is opened (rotated files land in the 0700 folder).
pub fn private_logs(dir: &std::path::Path) -> std::io::Result<()> {
    private_dir(dir)?;
    for file in std::fs::read_dir(dir)?.flatten() {
        csm_core::backup::owner_only(&file.path());
    }
    Ok(())
}

/// Logs go to a file in the data directory (and to stderr in debug builds). Nothing secret is
/// ever logged: no tokens, no note text.
pub fn log_plugin<R: tauri::Runtime>(paths: &AppPaths) -> tauri::plugin::TauriPlugin<R> {
    use tauri_plugin_log::{RotationStrategy, Target, TargetKind};
    let mut builder = tauri_plugin_log::Builder::new()
        .clear_targets()
        .target(Target::new(TargetKind::Folder { path: paths.log_dir.clone(), file_name: Some("csm-desk".into()) }))
        .level(log::LevelFilter::Info)
        .max_file_size(2_000_000)
        .rotation_strategy(RotationStrategy::KeepSome(5));
    if cfg!(debug_assertions) {
        builder = builder.target(Target::new(TargetKind::Stderr));
    }
    builder.build()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_folder_named_on_the_command_line_is_made_absolute() {
        let dir = super::data_dir(Some(std::path::Path::new("books/other"))).expect("resolved");
        assert_eq!(dir, std::env::current_dir().expect("cwd").join("books/other"));
    }

    #[cfg(unix)]
    #[test]
    fn the_data_folder_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let home = tempfile::tempdir().expect("dir");
        let data = home.path().join("csm-desk");
        super::private_dir(&data).expect("made");
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).expect("loosened");
        super::private_dir(&data).expect("tightened again");
        let mode = std::fs::metadata(&data).expect("metadata").permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
    }

    #[cfg(unix)]
    #[test]
    fn log_files_are_readable_by_their_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let home = tempfile::tempdir().expect("dir");
        let logs = home.path().join("logs");
        std::fs::create_dir_all(&logs).expect("made");
        std::fs::write(logs.join("csm-desk.log"), "started").expect("log");
        std::fs::set_permissions(logs.join("csm-desk.log"), std::fs::Permissions::from_mode(0o644)).expect("open");
        super::private_logs(&logs).expect("tightened");
        let mode = |p: &std::path::Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
        assert_eq!((mode(&logs), mode(&logs.join("csm-desk.log"))), (0o700, 0o600));
    }
}
