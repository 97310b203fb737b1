//! A CSV file within the 100 MB cap cannot exhaust memory while it is read: the reader's bounds
//! (rows, columns, cell size, values) hold its peak resident memory under a stated ceiling.
//! Measured as the growth of this process's peak RSS (VmHWM, reset through clear_refs); a test
//! binary of its own so nothing else allocates meanwhile.

use csm_core::exchange::csv_read::{self, MAX_CELLS, MAX_ROWS};

/// The most reading one file may add to the process's peak memory.
const CEILING_MB: f64 = 160.0;

fn status_mb(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = status.lines().find(|l| l.starts_with(field)).expect("field");
    let kb: f64 = line.split_whitespace().nth(1).and_then(|v| v.parse().ok()).expect("kB");
    kb / 1024.0
}

/// Peak memory added by `work`, in MB, above what was resident before it.
fn peak_growth(work: impl FnOnce()) -> f64 {
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak (Linux)");
    let before = status_mb("VmRSS:");
    work();
    status_mb("VmHWM:") - before
}

#[test]
fn files_within_the_size_cap_are_read_or_refused_within_the_memory_ceiling() {
    // 100 MB of one-character rows: 52 million rows, refused at the row bound.
    let tiny_rows = "a\n".repeat(50 * 1024 * 1024);
    let mut refused = None;
    let growth = peak_growth(|| refused = csv_read::read(tiny_rows.as_bytes()).err());
    let message = refused.expect("refused").to_string();
    assert!(message.contains(&format!("more than {MAX_ROWS} rows")), "{message}");
    eprintln!("100 MB of one-character rows: refused, peak +{growth:.0} MB");
    assert!(growth < CEILING_MB, "peak +{growth:.0} MB");
    drop(tiny_rows);

    // The most a file may hold: 250,000 rows of 20 one-character values (5,000,000 values).
    let columns = MAX_CELLS / MAX_ROWS;
    let row = vec!["x"; columns].join(",");
    let mut file = vec!["h"; columns].join(",");
    for _ in 0..MAX_ROWS - 1 {
        file.push('\n');
        file.push_str(&row);
    }
    let mut table = None;
    let growth = peak_growth(|| table = Some(csv_read::read(file.as_bytes()).expect("read")));
    let table = table.expect("table");
    assert_eq!(table.rows.len(), MAX_ROWS - 1);
    eprintln!("{} rows × {columns} values ({} MB): read, peak +{growth:.0} MB", MAX_ROWS, file.len() / 1_000_000);
    assert!(growth < CEILING_MB, "peak +{growth:.0} MB");
}
