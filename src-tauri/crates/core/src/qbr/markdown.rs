//! The deck as a Markdown document: sections, tables, chart data as tables, and sources.

use super::sections::number;
use crate::model::{Deck, DeckChart, DeckTable};

/// Text from notes or the CRM, made inert: no HTML tags or entities reach a Markdown viewer.
fn inert(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn cell(text: &str) -> String {
    inert(text).replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn table_md(columns: &[String], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut out = format!("| {} |\n", columns.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | "));
    out.push_str(&format!("|{}\n", " --- |".repeat(columns.len())));
    for row in rows {
        out.push_str(&format!("| {} |\n", row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")));
    }
    out
}

fn deck_table(table: &DeckTable) -> String {
    table_md(&table.columns, table.rows.iter().map(|r| r.cells.clone()))
}

fn chart_table(chart: &DeckChart) -> String {
    let mut columns = vec![String::new()];
    columns.extend(chart.series.iter().map(|s| s.name.clone()));
    let rows = chart.categories.iter().enumerate().map(|(i, category)| {
        let mut row = vec![category.clone()];
        row.extend(chart.series.iter().map(|s| s.values.get(i).copied().flatten().map_or("—".to_owned(), number)));
        row
    });
    format!("*{}*\n\n{}", inert(&chart.title), table_md(&columns, rows))
}

pub fn markdown(deck: &Deck, company: &str) -> String {
    let mut out = format!("# {} — {}\n\n", inert(&deck.account_name), inert(&deck.period_label));
    let mut byline = vec![format!("Quarterly business review, {} to {}", deck.period_start, deck.period_end)];
    if let Some(meeting) = &deck.meeting_at {
        byline.push(format!("meeting {}", meeting.replace('T', " ")));
    }
    if !company.trim().is_empty() {
        byline.push(inert(company.trim()));
    }
    out.push_str(&format!("{}\n", byline.join(" · ")));
    for section in deck.sections.iter().filter(|s| !s.hidden) {
        out.push_str(&format!("\n## {}\n\n", inert(&section.title)));
        if !section.story.trim().is_empty() {
            out.push_str(&format!("{}\n\n", inert(section.story.trim())));
        }
        if let Some(table) = &section.table {
            out.push_str(&format!("{}\n", deck_table(table)));
        }
        let items: Vec<_> = section.items.iter().filter(|i| !i.hidden).collect();
        for item in &items {
            out.push_str(&format!("- {}\n", inert(&item.text).replace('\n', " ")));
        }
        if items.is_empty() {
            if let Some(note) = &section.empty_note {
                out.push_str(&format!("_{}_\n", inert(note)));
            }
        }
        if let Some(chart) = &section.chart {
            out.push_str(&format!("\n{}", chart_table(chart)));
        }
    }
    out
}
