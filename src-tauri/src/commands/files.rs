//! Saving what the CSM exports: a native save dialog (the path never comes from the web view),
//! then an atomic write, so a failed or refused write leaves no partial file.

use std::path::PathBuf;

use tauri_plugin_dialog::DialogExt;

use crate::CommandError;

/// A record's name made safe as a file name (letters, digits, spaces and dashes).
pub(super) fn file_name(name: &str, extension: &str) -> String {
    let safe: String =
        name.chars().map(|c| if c.is_alphanumeric() || c == ' ' || c == '-' { c } else { '_' }).collect();
    let safe = safe.trim();
    format!("{}.{extension}", if safe.is_empty() { "export" } else { safe })
}

/// Asks where to save `suggested`; `None` when the CSM cancels. The real-app tests build with
/// `e2e` and set `CSM_DESK_E2E_SAVE_DIR`: the file then goes there without a dialog they could
/// not drive.
pub(super) async fn ask_save_path<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
    suggested: &str,
    filter: &str,
    extensions: &[&str],
) -> Result<Option<PathBuf>, CommandError> {
    #[cfg(feature = "e2e")]
    if let Some(dir) = std::env::var_os("CSM_DESK_E2E_SAVE_DIR") {
        return Ok(Some(PathBuf::from(dir).join(suggested)));
    }
    let dialog = app.dialog().file().set_file_name(suggested).add_filter(filter, extensions);
    let chosen = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file()).await?;
    Ok(chosen.and_then(|p| p.into_path().ok()))
}

/// Asks where to save and writes the bytes atomically; the path saved to, or `None`.
pub(super) async fn save_as<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
    suggested: &str,
    filter: &str,
    extensions: &[&str],
    bytes: Vec<u8>,
) -> Result<Option<String>, CommandError> {
    let Some(path) = ask_save_path(app, suggested, filter, extensions).await? else { return Ok(None) };
    let shown = path.display().to_string();
    tauri::async_runtime::spawn_blocking(move || csm_core::exchange::write_atomically(&path, &bytes)).await??;
    Ok(Some(shown))
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_keep_letters_and_drop_path_characters() {
        assert_eq!(super::file_name("Acme / \"Ünïcode\" 株式会社 🚀", "pptx"), "Acme _ _Ünïcode_ 株式会社 _.pptx");
        assert_eq!(super::file_name("../..", "md"), "_____.md");
        assert_eq!(super::file_name("  ", "pdf"), "export.pdf");
    }
}
