//! What `csm-desk` answers on the terminal before any window opens: `--version`, `--help`
//! (with the folders it uses) and `--data-dir PATH` to open another book.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::paths::{self, DATA_DIR_ENV};

/// What a launch asks for.
#[derive(Debug, PartialEq)]
pub enum Launch {
    /// Open the app; `data_dir` is the book's folder when `--data-dir` names one.
    App {
        data_dir: Option<PathBuf>,
    },
    Help,
    Version,
}

/// Reads the arguments after the program's name. `--automation` is what WebKitWebDriver adds
/// when it starts the app for a test; it changes nothing here.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Launch, String> {
    let mut data_dir = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy();
        match text.as_ref() {
            "-h" | "--help" => return Ok(Launch::Help),
            "-V" | "--version" => return Ok(Launch::Version),
            "--automation" => {}
            "--data-dir" => {
                let path = args.next().ok_or("--data-dir needs a folder: csm-desk --data-dir PATH")?;
                data_dir = Some(non_empty(PathBuf::from(path))?);
            }
            _ if text.starts_with("--data-dir=") => {
                data_dir = Some(non_empty(PathBuf::from(&text["--data-dir=".len()..]))?);
            }
            _ => return Err(format!("unknown argument “{text}”; csm-desk --help lists what it understands")),
        }
    }
    Ok(Launch::App { data_dir })
}

fn non_empty(path: PathBuf) -> Result<PathBuf, String> {
    if path.as_os_str().is_empty() {
        return Err("--data-dir needs a folder: csm-desk --data-dir PATH".into());
    }
    Ok(path)
}

pub fn version() -> String {
    format!("CSM Desk {}", env!("CARGO_PKG_VERSION"))
}

/// The help, naming the folders this launch would use.
pub fn help() -> String {
    let data = match paths::data_dir(None) {
        Ok(dir) => dir.display().to_string(),
        Err(err) => format!("unknown ({err})"),
    };
    format!(
        "Usage: csm-desk [--data-dir PATH]

Opens {version}, a local-first desk for Customer Success Managers, on your book of accounts.

Options:
  --data-dir PATH  open the book kept in PATH (created if missing) instead of the usual one
  -h, --help       print this help
  -V, --version    print the version

Files:
  data folder  ${DATA_DIR_ENV} if set, else $XDG_DATA_HOME/csm-desk (~/.local/share/csm-desk)
               here: {data}
  the book     <data folder>/csm-desk.sqlite (backups in <data folder>/backups)
  logs         <data folder>/logs/csm-desk.log

CRM tokens and calendar addresses are kept in the desktop's keychain (Secret Service), never in
the data folder. Uninstalling the app leaves the data folder; delete it to remove your book.
",
        version = version()
    )
}

/// The D-Bus name suffix that keeps one window per book: a second launch on the same folder
/// hands over to the open window, a launch on another folder opens its own.
pub fn instance_id(identifier: &str, data_dir: &Path) -> String {
    // FNV-1a: stable across builds, so an upgraded binary still finds the running one.
    let hash = data_dir
        .as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3));
    format!("{identifier}.book_{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(args: &[&str]) -> Result<Launch, String> {
        parse(args.iter().map(OsString::from))
    }

    #[test]
    fn no_argument_opens_the_usual_book() {
        assert_eq!(parsed(&[]), Ok(Launch::App { data_dir: None }));
        assert_eq!(parsed(&["--automation"]), Ok(Launch::App { data_dir: None }));
    }

    #[test]
    fn data_dir_names_another_book_in_either_spelling() {
        let other = Ok(Launch::App { data_dir: Some(PathBuf::from("/tmp/other book")) });
        assert_eq!(parsed(&["--data-dir", "/tmp/other book"]), other);
        assert_eq!(parsed(&["--data-dir=/tmp/other book"]), other);
    }

    #[test]
    fn help_and_version_answer_whatever_follows() {
        assert_eq!(parsed(&["--help", "--bogus"]), Ok(Launch::Help));
        assert_eq!(parsed(&["-V"]), Ok(Launch::Version));
        assert!(version().starts_with("CSM Desk "));
        assert!(help().contains("CSM_DESK_DATA_DIR") && help().contains("logs/csm-desk.log"));
    }

    #[test]
    fn a_missing_folder_or_an_unknown_argument_is_refused_with_the_way_out() {
        for args in [&["--data-dir"][..], &["--data-dir="], &["--data-dir", ""]] {
            assert!(parsed(args).is_err_and(|e| e.contains("csm-desk --data-dir PATH")), "{args:?}");
        }
        assert!(parsed(&["--frobnicate"]).is_err_and(|e| e.contains("--frobnicate") && e.contains("--help")));
    }

    #[test]
    fn each_book_folder_has_its_own_instance_name() {
        let a = instance_id("app.csmdesk.desktop", Path::new("/home/a/.local/share/csm-desk"));
        assert_eq!(a, instance_id("app.csmdesk.desktop", Path::new("/home/a/.local/share/csm-desk")));
        assert_ne!(a, instance_id("app.csmdesk.desktop", Path::new("/tmp/other")));
        // A D-Bus name element: letters, digits and underscores, not starting with a digit.
        let last = a.rsplit('.').next().expect("element");
        assert!(last.starts_with("book_") && last.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    }
}
