//! Writing CSV that spreadsheet programs open safely: a cell that starts like a formula
//! (=, +, -, @, tab, carriage return) is prefixed with an apostrophe so it is shown, not run.

/// A cell as written to CSV, neutralised when a spreadsheet would read it as a formula.
pub fn safe_cell(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_owned(),
    }
}

/// A whole CSV file (UTF-8 with a BOM, so Excel reads accents right) from a header and rows.
pub fn to_csv(headers: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().from_writer(b"\xEF\xBB\xBF".to_vec());
    let _ = writer.write_record(headers);
    for row in rows {
        let _ = writer.write_record(row.iter().map(|c| safe_cell(c)));
    }
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_everything_else_kept() {
        assert_eq!(safe_cell("=HYPERLINK(\"http://evil\",\"x\")"), "'=HYPERLINK(\"http://evil\",\"x\")");
        assert_eq!(safe_cell("+1 555 0100"), "'+1 555 0100");
        assert_eq!(safe_cell("-5"), "'-5");
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell("Acme, \"the best\""), "Acme, \"the best\"");
        let csv =
            String::from_utf8(to_csv(&["name", "note"], [vec!["Zoë".into(), "line\nbreak, quoted".into()]])).unwrap();
        assert_eq!(csv, "\u{feff}name,note\nZoë,\"line\nbreak, quoted\"\n");
    }
}
