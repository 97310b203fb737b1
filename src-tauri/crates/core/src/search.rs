//! Full-text search as pure functions: how text is prepared for the FTS5 index, how what the CSM
//! typed becomes a safe match expression, and how highlighted snippets come back as text parts.
//!
//! The index uses SQLite's unicode61 tokenizer (accents folded) with U+200B as an extra
//! separator. Chinese, Japanese and Korean are written without spaces between words, so each CJK
//! character is indexed as its own token; a CJK search term becomes a phrase of its characters,
//! which matches it anywhere inside a word.

use crate::model::TextPart;

/// The separator put around CJK characters in indexed text and queries.
pub const SEPARATOR: char = '\u{200B}';
/// Marks around a matched term in snippets (private-use characters, never in real text).
pub const HIT_START: char = '\u{E000}';
pub const HIT_END: char = '\u{E001}';

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x2E80..=0x2FDF | 0x3040..=0x30FF | 0x3130..=0x318F | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F
        | 0x20000..=0x2FFFF)
}

/// Text as the index stores it: CJK characters separated, the hit markers and separators that
/// could be in the input removed, and NUL and other control characters (pasted binary) dropped.
pub fn index_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut previous_cjk = false;
    for c in text.chars() {
        if c == SEPARATOR || c == HIT_START || c == HIT_END || (c.is_control() && !c.is_whitespace()) {
            continue;
        }
        let cjk = is_cjk(c);
        if cjk && previous_cjk {
            out.push(SEPARATOR);
        }
        out.push(c);
        previous_cjk = cjk;
    }
    out
}

/// A match expression for what the CSM typed: every word must appear, the last letters of each
/// may still be missing (prefix search), and nothing typed is read as FTS5 syntax — quotes,
/// `*`, `-`, `:`, `NEAR`, `AND`/`OR`/`NOT` and brackets are all searched as text. `None` when
/// nothing searchable was typed.
pub fn match_expression(typed: &str, tag: &str) -> Option<String> {
    let mut terms: Vec<String> = typed.split_whitespace().filter_map(term).collect();
    if terms.is_empty() {
        return None;
    }
    if let Some(tag) = term(tag.trim()) {
        terms.push(format!("tags : {}", tag.trim_end_matches('*')));
    }
    Some(terms.join(" AND "))
}

/// One typed word as a quoted phrase with a prefix star; none when it has no letters or digits.
fn term(word: &str) -> Option<String> {
    if !word.chars().any(char::is_alphanumeric) {
        return None;
    }
    let text = index_text(word).replace('"', "\"\"");
    Some(format!("\"{text}\"*"))
}

/// Splits FTS5 `snippet()`/`highlight()` output on the hit markers, dropping the separators the
/// index added.
pub fn parts(marked: &str) -> Vec<TextPart> {
    let mut out: Vec<TextPart> = Vec::new();
    let mut hit = false;
    let mut current = String::new();
    let flush = |current: &mut String, hit: bool, out: &mut Vec<TextPart>| {
        if !current.is_empty() {
            out.push(TextPart { text: std::mem::take(current), hit });
        }
    };
    for c in marked.chars() {
        match c {
            HIT_START => {
                flush(&mut current, hit, &mut out);
                hit = true;
            }
            HIT_END => {
                flush(&mut current, hit, &mut out);
                hit = false;
            }
            SEPARATOR => {}
            c => current.push(c),
        }
    }
    flush(&mut current, hit, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_characters_are_indexed_one_by_one_and_other_text_is_kept() {
        assert_eq!(index_text("한빛물류 renewal"), "한\u{200B}빛\u{200B}물\u{200B}류 renewal");
        assert_eq!(index_text("東京オフィス"), "東\u{200B}京\u{200B}オ\u{200B}フ\u{200B}ィ\u{200B}ス");
        assert_eq!(index_text("café\0\u{1}ok\ttab"), "caféok\ttab");
    }

    #[test]
    fn typed_text_never_becomes_fts_syntax() {
        assert_eq!(match_expression("pricing sheet", "").as_deref(), Some("\"pricing\"* AND \"sheet\"*"));
        assert_eq!(match_expression("\"unbalanced", "").as_deref(), Some("\"\"\"unbalanced\"*"));
        assert_eq!(match_expression("a NEAR b", "").as_deref(), Some("\"a\"* AND \"NEAR\"* AND \"b\"*"));
        assert_eq!(match_expression("- * : ( )", ""), None);
        assert_eq!(match_expression("   ", ""), None);
        assert_eq!(match_expression("한빛", "win").as_deref(), Some("\"한\u{200B}빛\"* AND tags : \"win\""));
    }

    #[test]
    fn snippets_come_back_as_text_parts() {
        let marked = format!("the {HIT_START}pri\u{200B}cing{HIT_END} sheet");
        assert_eq!(
            parts(&marked),
            [
                TextPart { text: "the ".into(), hit: false },
                TextPart { text: "pricing".into(), hit: true },
                TextPart { text: " sheet".into(), hit: false }
            ]
        );
    }
}
