//! The `risk:` and `ask:` lines of a call note: what the CSM typed to record a risk update (or a
//! new risk) and a customer's ask without leaving the note.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::CaptureKind;

static LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^[ \t]*(?:[-*+][ \t]+)?(risk|ask)[ \t]*:[ \t]*(.*?)[ \t]*$").expect("capture line")
});

/// A line's text, up to this many characters, is kept.
pub const TEXT_MAX: usize = 200;

/// One `risk:` or `ask:` line: its text, or why it is ignored.
#[derive(Debug, Clone, PartialEq)]
pub struct Captured {
    pub kind: CaptureKind,
    pub text: Result<String, String>,
}

/// Every `risk:` and `ask:` line of a note, in order. A line with nothing but punctuation after
/// the colon is kept as ignored, with the reason, so the preview can say so.
pub fn lines(body_md: &str) -> Vec<Captured> {
    LINE.captures_iter(body_md)
        .map(|c| {
            let kind = if c[1].eq_ignore_ascii_case("risk") { CaptureKind::Risk } else { CaptureKind::Ask };
            let typed = c[2].trim();
            let text = if typed.chars().any(char::is_alphanumeric) {
                Ok(typed.chars().take(TEXT_MAX).collect())
            } else if typed.is_empty() {
                Err("Ignored: nothing after the colon.".to_owned())
            } else {
                Err("Ignored: only punctuation after the colon.".to_owned())
            };
            Captured { kind, text }
        })
        .collect()
}

/// The note without its `risk:` and `ask:` lines, for the CRM and customer-facing excerpts
/// (they are internal records).
pub fn without_lines(body_md: &str) -> String {
    LINE.replace_all(body_md, "").lines().filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risk_and_ask_lines_are_found_anywhere_with_or_without_a_bullet() {
        let body =
            "## Call\nAll good.\nrisk: Budget review may cut the seat count\n- Ask:  SSO with Okta for the EU team \n\
                    * risk: ...\nrisk:\nNot a risk: this line starts with words\n  ASK: Audit log export";
        let found: Vec<(CaptureKind, Result<String, String>)> =
            lines(body).into_iter().map(|c| (c.kind, c.text)).collect();
        assert_eq!(
            found,
            vec![
                (CaptureKind::Risk, Ok("Budget review may cut the seat count".into())),
                (CaptureKind::Ask, Ok("SSO with Okta for the EU team".into())),
                (CaptureKind::Risk, Err("Ignored: only punctuation after the colon.".into())),
                (CaptureKind::Risk, Err("Ignored: nothing after the colon.".into())),
                (CaptureKind::Ask, Ok("Audit log export".into())),
            ]
        );
    }

    #[test]
    fn a_long_line_is_cut_and_the_lines_leave_the_excerpt() {
        let long = format!("ask: {}", "é".repeat(500));
        assert_eq!(lines(&long)[0].text.as_ref().unwrap().chars().count(), TEXT_MAX);
        assert_eq!(without_lines("Hello\nrisk: churn\nBye"), "Hello\nBye");
    }
}
