//! The fonts a PDF deck embeds, found among the system's fonts (setup.sh installs them): a
//! Latin/Greek/Cyrillic family, a CJK fallback and a symbols font for emoji.

use parking_lot::Mutex;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each role and the file names that can fill it, best first.
const ROLES: [(&str, &[&str]); 4] = [
    ("regular", &["DejaVuSans.ttf"]),
    ("bold", &["DejaVuSans-Bold.ttf"]),
    ("cjk", &["DroidSansFallbackFull.ttf", "DroidSansFallback.ttf"]),
    ("symbols", &["Symbola.ttf", "Symbola_hint.ttf"]),
];

fn font_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from("/usr/share/fonts"), PathBuf::from("/usr/local/share/fonts")];
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".local/share/fonts"));
        dirs.push(Path::new(&home).join(".fonts"));
    }
    dirs
}

fn find(dir: &Path, name: &str, depth: u32) -> Option<PathBuf> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut subdirs = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.file_name().is_some_and(|n| n == name) && path.is_file() {
            return Some(path);
        }
        if depth > 0 && path.is_dir() {
            subdirs.push(path);
        }
    }
    subdirs.sort();
    subdirs.iter().find_map(|d| find(d, name, depth - 1))
}

/// The font file for a role ("regular", "bold", "cjk", "symbols"), if one is installed. The font
/// folders are searched once per role; a font found is remembered (one PDF asks four times),
/// one missing is looked for again next time (it may have been installed since).
pub fn font_for(role: &str) -> Option<PathBuf> {
    static FOUND: Mutex<BTreeMap<&str, PathBuf>> = Mutex::new(BTreeMap::new());
    let (role, names) = ROLES.iter().find(|(r, _)| *r == role)?;
    if let Some(path) = FOUND.lock().get(role) {
        return Some(path.clone());
    }
    let dirs = font_dirs();
    let path = names.iter().find_map(|name| dirs.iter().find_map(|dir| find(dir, name, 4)))?;
    FOUND.lock().insert(role, path.clone());
    Some(path)
}

#[cfg(test)]
mod tests {
    #[test]
    fn unknown_roles_have_no_font() {
        assert_eq!(super::font_for("../../etc/passwd"), None);
    }

    #[test]
    fn the_regular_font_is_found_when_installed() {
        // setup.sh installs fonts-dejavu-core; the test machine has it.
        let path = super::font_for("regular").expect("DejaVu Sans is installed");
        assert!(path.ends_with("DejaVuSans.ttf"));
    }
}
