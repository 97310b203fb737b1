//! Writing exports to a file the CSM chose: all or nothing. The bytes go to a temporary file in
//! the same folder, are flushed to disk, and only then renamed over the target, so a full disk,
//! a read-only folder or a crash never leaves a half-written file behind. The temporary file has
//! a random name and is created exclusively, so a link planted beside the target is never followed.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let fail = |reason: String| Error::Export { path: path.to_owned(), reason };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| fail("that is a folder, not a file name".to_owned()))?;
    let prefix = format!(".{}.", name.to_string_lossy());
    let mut temp =
        tempfile::Builder::new().prefix(&prefix).suffix(".part").tempfile_in(dir).map_err(|e| fail(reason(&e)))?;
    temp.write_all(bytes).and_then(|()| temp.as_file().sync_all()).map_err(|e| fail(reason(&e)))?;
    // On any failure the temporary file is removed when `temp` is dropped.
    temp.persist(path).map(drop).map_err(|e| fail(reason(&e.error)))
}

fn reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::PermissionDenied => "the folder is not writable".to_owned(),
        std::io::ErrorKind::NotFound => "the folder does not exist".to_owned(),
        _ => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_whole_file_and_replaces_an_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("week.ics");
        std::fs::write(&path, "old").unwrap();
        write_atomically(&path, b"BEGIN:VCALENDAR").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "BEGIN:VCALENDAR");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
    }

    #[test]
    fn a_link_planted_at_a_guessable_temporary_name_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "keep me").unwrap();
        let path = dir.path().join("deck.pdf");
        // The name the temporary file used to have: the target's, the process id, ".part".
        let guessed = dir.path().join(format!(".deck.pdf.{}.part", std::process::id()));
        std::os::unix::fs::symlink(&victim, &guessed).unwrap();
        write_atomically(&path, b"%PDF").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
        assert_eq!(std::fs::read(&path).unwrap(), b"%PDF");
    }

    #[test]
    fn a_folder_that_is_missing_or_not_writable_is_a_clear_error_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope").join("week.ics");
        let err = write_atomically(&missing, b"x").unwrap_err();
        assert_eq!(err.kind(), "export_failed");
        assert!(err.to_string().contains("does not exist"), "{err}");

        let locked = dir.path().join("locked");
        std::fs::create_dir(&locked).unwrap();
        let mut perms = std::fs::metadata(&locked).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o555);
        std::fs::set_permissions(&locked, perms).unwrap();
        let probe = locked.join("probe");
        if std::fs::File::create(&probe).is_ok() {
            std::fs::remove_file(&probe).unwrap();
            return; // running as root: permissions cannot make a folder read-only here
        }
        let err = write_atomically(&locked.join("week.ics"), b"x").unwrap_err();
        assert!(err.to_string().contains("not writable"), "{err}");
        assert_eq!(std::fs::read_dir(&locked).unwrap().count(), 0, "no partial file");
    }
}
