//! Lays the deck out on slides: one or more per visible section. Text that does not fit goes on
//! to a next slide (a long line is split between words), so nothing overflows; the preview, the
//! PPTX and the PDF all draw these same slides.

use crate::model::{Deck, DeckRow, DeckSection, DeckTable, Slide, SlideLayout};

/// Lines of body text a slide holds, and characters per line full width and beside a chart.
const LINES: usize = 13;
const CHARS_WIDE: usize = 92;
const CHARS_NARROW: usize = 46;
/// A table row takes the height of two text lines (padding); so does the header.
const ROW_LINES: usize = 2;
/// Characters a table row shows before it wraps onto a second row's height.
const ROW_CHARS: usize = 110;

pub fn slides(deck: &Deck) -> Vec<Slide> {
    let mut out = vec![title_slide(deck)];
    for section in deck.sections.iter().filter(|s| !s.hidden && has_content(s)) {
        out.extend(section_slides(section));
    }
    out
}

fn title_slide(deck: &Deck) -> Slide {
    let meeting = deck.meeting_at.as_deref().map(|m| format!("Meeting: {}", m.replace('T', " "))).into_iter();
    Slide {
        layout: SlideLayout::Title,
        section: None,
        title: deck.account_name.clone(),
        subtitle: format!("Quarterly business review · {}", deck.period_label),
        story: String::new(),
        bullets: meeting.collect(),
        table: None,
        chart: None,
        continued: false,
    }
}

/// Lines a text takes at `width` characters a line (at least one).
fn lines(text: &str, width: usize) -> usize {
    text.split('\n').map(|l| l.chars().count().div_ceil(width).max(1)).sum()
}

/// Splits text so the first part fits in `budget` lines, between words where it can.
fn split_at_lines(text: &str, width: usize, budget: usize) -> (String, String) {
    let max_chars = width * budget;
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max_chars {
        return (text.to_owned(), String::new());
    }
    let cut = chars[..max_chars].iter().rposition(|c| c.is_whitespace()).filter(|&i| i > max_chars / 2);
    let at = cut.unwrap_or(max_chars);
    let head: String = chars[..at].iter().collect();
    let tail: String = chars[at..].iter().collect();
    (head.trim_end().to_owned(), tail.trim_start().to_owned())
}

struct Pager<'a> {
    section: &'a DeckSection,
    slides: Vec<Slide>,
    used: usize,
}

impl<'a> Pager<'a> {
    fn new(section: &'a DeckSection) -> Self {
        let mut pager = Pager { section, slides: Vec::new(), used: 0 };
        let layout = match (&section.table, &section.chart) {
            (Some(_), _) => SlideLayout::Table,
            (None, Some(_)) => SlideLayout::TextChart,
            (None, None) => SlideLayout::Text,
        };
        pager.start(layout);
        pager.slides[0].chart = section.chart.clone();
        pager
    }

    fn start(&mut self, layout: SlideLayout) {
        let continued = !self.slides.is_empty();
        let title = if continued { format!("{} (continued)", self.section.title) } else { self.section.title.clone() };
        self.slides.push(Slide {
            layout,
            section: Some(self.section.key),
            title,
            subtitle: String::new(),
            story: String::new(),
            bullets: Vec::new(),
            table: None,
            chart: None,
            continued,
        });
        self.used = 0;
    }

    fn current(&mut self) -> &mut Slide {
        self.slides.last_mut().expect("a pager always has a slide")
    }

    fn width(&self) -> usize {
        match self.slides.last().map(|s| s.layout) {
            Some(SlideLayout::TextChart) => CHARS_NARROW,
            _ => CHARS_WIDE,
        }
    }

    /// Adds text (the story or a bullet), going on to new slides as it fills them.
    fn text(&mut self, text: &str, story: bool) {
        let mut rest = text.to_owned();
        while !rest.is_empty() {
            let width = self.width();
            let free = LINES.saturating_sub(self.used);
            let fits_fresh = lines(&rest, CHARS_WIDE) <= LINES;
            if free == 0 || (lines(&rest, width) > free && fits_fresh && self.used > 0) {
                self.start(SlideLayout::Text);
                continue;
            }
            let (head, tail) = split_at_lines(&rest, width, free);
            self.used += lines(&head, width);
            let slide = self.current();
            if story {
                if !slide.story.is_empty() {
                    slide.story.push('\n');
                }
                slide.story.push_str(&head);
            } else {
                slide.bullets.push(head);
            }
            rest = tail;
        }
    }

    fn table(&mut self, table: &DeckTable) {
        let mut rows: Vec<DeckRow> = Vec::new();
        for row in &table.rows {
            let header = if rows.is_empty() { ROW_LINES } else { 0 };
            if self.used + header + row_lines(row) > LINES && self.used > 0 {
                if !rows.is_empty() {
                    self.current().table =
                        Some(DeckTable { columns: table.columns.clone(), rows: std::mem::take(&mut rows) });
                }
                self.start(SlideLayout::Table);
            }
            self.used += row_lines(row) + if rows.is_empty() { ROW_LINES } else { 0 };
            rows.push(row.clone());
        }
        self.current().table = Some(DeckTable { columns: table.columns.clone(), rows });
    }
}

fn row_lines(row: &DeckRow) -> usize {
    ROW_LINES * row.cells.iter().map(|c| c.chars().count()).sum::<usize>().div_ceil(ROW_CHARS).max(1)
}

fn section_slides(section: &DeckSection) -> Vec<Slide> {
    let mut pager = Pager::new(section);
    if !section.story.trim().is_empty() {
        pager.text(section.story.trim(), true);
    }
    if let Some(table) = &section.table {
        pager.table(table);
    }
    for item in section.items.iter().filter(|i| !i.hidden) {
        pager.text(&item.text, false);
    }
    pager.slides
}

/// A section with nothing to show is left out of the deck: its empty note coaches the CSM in
/// the editor and never reaches a customer's slide.
fn has_content(section: &DeckSection) -> bool {
    !section.story.trim().is_empty()
        || section.table.is_some()
        || section.chart.is_some()
        || section.items.iter().any(|i| !i.hidden)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_text_is_split_between_words_and_fits() {
        let text = "word ".repeat(400);
        let (head, tail) = split_at_lines(text.trim(), 50, 3);
        assert!(head.chars().count() <= 150 && !head.ends_with(' '));
        assert!(head.ends_with("word") && tail.starts_with("word"));
        let (all, none) = split_at_lines("short", 50, 1);
        assert_eq!((all.as_str(), none.as_str()), ("short", ""));
    }

    #[test]
    fn text_without_spaces_is_cut_at_the_line_end() {
        let text = "字".repeat(300);
        let (head, tail) = split_at_lines(&text, 40, 2);
        assert_eq!(head.chars().count(), 80);
        assert_eq!(tail.chars().count(), 220);
    }
}
