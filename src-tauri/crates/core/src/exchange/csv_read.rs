//! Reading a CSV file as Excel, Google Sheets, HubSpot or Salesforce wrote it: UTF-8 (with or
//! without BOM), UTF-16 (with BOM) or Windows-1252; comma, semicolon, tab or pipe; quoted fields
//! with newlines; ragged rows. A file that cannot be read at all is refused with the reason.

use std::borrow::Cow;

use crate::error::{Error, FieldError};

/// A CSV file as text rows: its header, its data rows (with their line numbers), and how it was
/// read.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvTable {
    pub headers: Vec<String>,
    /// (line number in the file, cells); rows may be shorter or longer than the header. A row
    /// keeps its cells in one buffer (a `StringRecord`): a string per cell would take dozens of
    /// times the file's size for short cells.
    pub rows: Vec<(usize, csv::StringRecord)>,
    pub encoding: &'static str,
    pub delimiter: char,
}

/// What one import may hold, checked while reading so that no file within the size cap can
/// exhaust memory (each cell is its own string: a file of one-character rows would otherwise take
/// dozens of times its size).
pub const MAX_ROWS: usize = 250_000;
pub const MAX_COLUMNS: usize = 200;
pub const MAX_CELL_BYTES: usize = 100_000;
pub const MAX_CELLS: usize = 5_000_000;

fn refuse(message: &str) -> Error {
    Error::Invalid(vec![FieldError::new("file", message)])
}

/// Decodes the bytes: a BOM decides; else valid UTF-8 is UTF-8; else Windows-1252 (what Excel
/// writes on Windows for "CSV").
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (text, encoding.name());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), "UTF-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text, "windows-1252")
        }
    }
}

/// The delimiter that splits the first lines most consistently (outside quotes).
fn delimiter(text: &str) -> char {
    let sample: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(20).collect();
    let count = |line: &str, d: char| {
        let mut quoted = false;
        line.chars()
            .filter(|c| {
                if *c == '"' {
                    quoted = !quoted;
                }
                !quoted && *c == d
            })
            .count()
    };
    let score = |d: char| -> (usize, usize) {
        let counts: Vec<usize> = sample.iter().map(|l| count(l, d)).collect();
        let first = counts.first().copied().unwrap_or(0);
        let consistent = counts.iter().filter(|c| **c == first && first > 0).count();
        (consistent, first)
    };
    [',', ';', '\t', '|'].into_iter().max_by_key(|d| score(*d)).unwrap_or(',')
}

/// The header: the first row at least as filled as the typical (median) one of the first ten,
/// so a title line such as "Contacts export, March" above it is skipped.
fn header_row(records: &[(usize, csv::StringRecord)]) -> Option<usize> {
    let filled = |cells: &csv::StringRecord| cells.iter().filter(|c| !c.is_empty()).count();
    let mut counts: Vec<usize> = records.iter().take(10).map(|(_, c)| filled(c)).collect();
    counts.sort_unstable();
    let typical = *counts.get(counts.len().saturating_sub(1) / 2)?;
    records.iter().position(|(_, c)| filled(c) >= typical)
}

/// Refuses a record that would take the table past its bounds, naming the line.
fn within_bounds(record: &csv::StringRecord, line: usize, rows: usize, cells_read: &mut usize) -> Result<(), Error> {
    if rows >= MAX_ROWS {
        return Err(refuse(&format!("The file has more than {MAX_ROWS} rows; split it into smaller files.")));
    }
    if record.len() > MAX_COLUMNS {
        return Err(refuse(&format!("Line {line} has more than {MAX_COLUMNS} columns: is this the right file?")));
    }
    if record.iter().any(|cell| cell.len() > MAX_CELL_BYTES) {
        return Err(refuse(&format!("Line {line} has a value longer than {MAX_CELL_BYTES} characters.")));
    }
    *cells_read += record.len();
    if *cells_read > MAX_CELLS {
        return Err(refuse(&format!("The file has more than {MAX_CELLS} values; split it into smaller files.")));
    }
    Ok(())
}

/// Reads a CSV file; the header row is found among the first rows.
pub fn read(bytes: &[u8]) -> Result<CsvTable, Error> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(refuse("The file is empty."));
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(refuse("This is a spreadsheet workbook, not a CSV file: save it as CSV first."));
    }
    let (text, encoding) = decode(bytes);
    if text.contains('\0') {
        return Err(refuse("The file holds binary data, not text."));
    }
    let delimiter = delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter as u8)
        .from_reader(text.as_bytes());
    let mut records: Vec<(usize, csv::StringRecord)> = Vec::new();
    let mut cells_read = 0usize;
    // Lines counted as the reader moves on (records come in order), never from the start again.
    let (mut counted_to, mut line_count) = (0usize, 1usize);
    for record in reader.records() {
        let mut record = record.map_err(|e| refuse(&format!("The file could not be read as CSV: {e}.")))?;
        // The line a record starts on, counted in the text (the reader skips blank lines).
        let bytes = text.as_bytes();
        let mut start = record.position().map_or(0, |p| p.byte() as usize).min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        line_count += bytes[counted_to..start].iter().filter(|b| **b == b'\n').count();
        counted_to = start;
        let line = line_count;
        within_bounds(&record, line, records.len(), &mut cells_read)?;
        record.trim();
        if !record.iter().all(str::is_empty) {
            records.push((line, record));
        }
    }
    let at = header_row(&records).ok_or_else(|| refuse("The file has no header row."))?;
    let mut rows = records.split_off(at);
    let headers = rows.remove(0).1.iter().map(str::to_owned).collect();
    Ok(CsvTable { headers, rows, encoding, delimiter })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_and_crm_files_are_read_whatever_their_encoding_and_delimiter() {
        let utf8_bom = b"\xEF\xBB\xBFName;Email\nJos\xC3\xA9;jose@example.com\n";
        let t = read(utf8_bom).unwrap();
        assert_eq!((t.encoding, t.delimiter), ("UTF-8", ';'));
        assert_eq!(t.rows[0].1, vec!["José", "jose@example.com"]);

        let cp1252 = b"Name,City\nM\xFCller,K\xF6ln\n";
        let t = read(cp1252).unwrap();
        assert_eq!(t.encoding, "windows-1252");
        assert_eq!(t.rows[0].1, vec!["Müller", "Köln"]);

        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "Name\tTitle\r\n김민수\tCTO\r\n".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        let t = read(&utf16).unwrap();
        assert_eq!((t.encoding, t.delimiter), ("UTF-16LE", '\t'));
        assert_eq!(t.rows[0].1, vec!["김민수", "CTO"]);
    }

    #[test]
    fn quoted_newlines_ragged_rows_and_blank_lines_are_kept_with_their_line_numbers() {
        let text = "name,notes,extra\n\"Acme, Inc.\",\"line one\nline two\"\n\nShort\nToo,many,cells,here\n";
        let t = read(text.as_bytes()).unwrap();
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[0].1, vec!["Acme, Inc.", "line one\nline two"]);
        assert_eq!((t.rows[1].0, &t.rows[1].1), (5, &csv::StringRecord::from(vec!["Short"])));
        assert_eq!(t.rows[2].1.len(), 4);
    }

    #[test]
    fn files_that_cannot_be_read_are_refused_with_the_reason() {
        for (bytes, why) in [
            (&b""[..], "empty"),
            (&b"   \n\n"[..], "empty"),
            (&b"PK\x03\x04xlsx"[..], "workbook"),
            (&b"a,b\n1,\x00\x00"[..], "binary"),
        ] {
            let err = read(bytes).unwrap_err().to_string();
            assert!(err.contains(why), "{err}");
        }
        let header_only = read(b"Name,Email\n").unwrap();
        assert!(header_only.rows.is_empty());
        let titled = read(b"Contacts export, March\n\nName,Email,Title\nAna,ana@example.com,CTO\n").unwrap();
        assert_eq!(titled.headers, ["Name", "Email", "Title"]);
        assert_eq!(titled.rows, [(4, csv::StringRecord::from(vec!["Ana", "ana@example.com", "CTO"]))]);
    }

    /// The corpus in tests/csv (also the fuzz target's seeds): `ok-*` files are read, `bad-*`
    /// files refused; none panics.
    #[test]
    fn the_corpus_of_real_world_and_hostile_files_is_read_or_refused() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/csv");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let result = read(&std::fs::read(&path).unwrap());
            assert_eq!(result.is_ok(), name.starts_with("ok-"), "{name}: {result:?}");
            seen += 1;
        }
        assert!(seen >= 10);
    }
}
