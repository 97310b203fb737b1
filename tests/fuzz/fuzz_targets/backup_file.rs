//! Any file given to restore is inspected without panicking: refused with a reason, or read as a
//! sound CSM Desk book.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let dir = std::env::temp_dir().join(format!("csm-fuzz-backup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("candidate.sqlite");
    std::fs::write(&file, bytes).expect("write");
    let _ = csm_core::backup::inspect(&file);
    let _ = std::fs::remove_dir_all(&dir);
});
