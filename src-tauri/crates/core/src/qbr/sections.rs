//! The eight sections of the draft, each from the account's own records and traceable to them.

use chrono::NaiveDate;

use super::{health_on, reading_on, Period, QbrNote, QbrSource, QbrTask};
use crate::facts::day_text;
use crate::model::{
    AskStatus, Band, ChartAxis, ChartKind, ChartSeries, DeckChart, DeckItem, DeckRow, DeckSection, DeckTable,
    MilestoneStatus, SectionKey, Signal, SignalKind, SourceKind, SourceRef, TaskStatus, TimelineKind,
};

const WIN_TAGS: [&str; 2] = ["win", "success"];
const ASK_TAGS: [&str; 3] = ["feedback", "feature-request", "request"];
const RISK_TAGS: [&str; 3] = ["risk", "escalation", "issue"];
/// The next-quarter section lists at most this many open tasks (the earliest due).
const MAX_ACTION_ITEMS: usize = 12;

pub(super) fn all(source: &QbrSource, period: Period) -> Vec<DeckSection> {
    vec![
        goals(source, period),
        value(source, period),
        health(source, period),
        support(source, period),
        risks(source, period),
        asks(source, period),
        delivered(source, period),
        next_quarter(source, period),
    ]
    .into_iter()
    .chain(stakeholders(source))
    .chain(renewal(source, period))
    .chain([appendix(source, period)])
    .collect()
}

/// Who attended the period's meetings with their roles, stance and influence, for an internal
/// deck (the source holds them only then).
fn stakeholders(source: &QbrSource) -> Option<DeckSection> {
    let people = source.stakeholders.as_ref()?;
    let items = people
        .iter()
        .map(|s| {
            let c = &s.contact;
            let roles: Vec<&str> = c.roles().iter().map(|r| r.label()).collect();
            let mut read = Vec::new();
            if let Some(stance) = c.stance {
                read.push(stance.as_str().to_owned());
            }
            if let Some(influence) = c.influence {
                read.push(format!("{} influence", influence.as_str()));
            }
            let times = if s.meetings == 1 { "once".to_owned() } else { format!("{}×", s.meetings) };
            let roles = if roles.is_empty() { String::new() } else { format!(" ({})", roles.join(", ")) };
            let read = if read.is_empty() { String::new() } else { format!(" · {}", read.join(", ")) };
            let text = format!("{}{roles}: met {times}, last {}{read}", c.name, day_text(s.last_met));
            item(format!("stakeholder:{}", c.id), text, Vec::new())
        })
        .collect();
    Some(section(
        SectionKey::Stakeholders,
        "Who attended (internal)",
        items,
        "No contact of the account attended a logged call or meeting in this period.",
    ))
}

/// The renewal forecast, for an internal deck (the source holds it only then): the CSM's call,
/// the likelihood and why, the next step, and the outcomes decided in the period.
fn renewal(source: &QbrSource, period: Period) -> Option<DeckSection> {
    let r = source.renewal.as_ref()?;
    let name = |c: crate::model::ForecastCategory| r.category_names.get(c.index()).cloned().unwrap_or(c.label().into());
    let mut items = Vec::new();
    if let Some(l) = &r.line {
        let renews = format!(
            "Renews on {}: expected {} against {} today",
            day_text(l.renews_on),
            l.expected_arr.text(),
            l.current_arr.text()
        );
        items.push(item("renewal-date", renews, Vec::new()));
        let called = if l.category_set { name(l.category) } else { format!("{} (suggested)", name(l.category)) };
        let why: Vec<String> = l.reasons.iter().take(3).map(|r| format!("{:+} {}", r.points, r.reason)).collect();
        let stage = crate::model::words(l.stage.as_str());
        let forecast = format!("{called} · {stage} · likelihood {} % ({})", l.likelihood, why.join(", "));
        items.push(item("renewal-forecast", forecast, Vec::new()));
        if let Some(d) = &l.disagreement {
            items.push(item("renewal-disagreement", d.clone(), Vec::new()));
        }
        if !l.next_step.is_empty() {
            let on = l.next_step_on.map(|d| format!(" by {}", day_text(d))).unwrap_or_default();
            items.push(item("renewal-next-step", format!("Next step: {}{on}", l.next_step), Vec::new()));
        }
    }
    for o in r.outcomes.iter().filter(|o| period.contains(o.decided_on)) {
        let why = if o.reasons.is_empty() { String::new() } else { format!(" ({})", o.reasons.join(", ")) };
        let text = format!(
            "{}: {} → {} on {}{why}",
            crate::model::words(o.kind.as_str()),
            o.arr_before.text(),
            o.arr_after.text(),
            day_text(o.decided_on)
        );
        items.push(item(format!("renewal-outcome:{}", o.id), text, Vec::new()));
    }
    Some(section(
        SectionKey::Renewal,
        "Renewal forecast (internal)",
        items,
        "No renewal ahead and none decided in this period.",
    ))
}

fn section(key: SectionKey, title: &str, items: Vec<DeckItem>, empty: &str) -> DeckSection {
    DeckSection {
        key,
        title: title.to_owned(),
        story: String::new(),
        empty_note: items.is_empty().then(|| empty.to_owned()),
        items,
        table: None,
        chart: None,
        hidden: false,
    }
}

fn item(key: impl Into<String>, text: impl Into<String>, sources: Vec<SourceRef>) -> DeckItem {
    DeckItem { key: key.into(), text: text.into(), sources, hidden: false }
}

fn cite(kind: SourceKind, id: &str, label: impl Into<String>) -> SourceRef {
    SourceRef { kind, id: id.to_owned(), label: label.into() }
}

fn note_source(note: &QbrNote) -> SourceRef {
    cite(SourceKind::Note, &note.id, format!("{} · {}", note.title, day_text(note.day)))
}

fn signal_source(signal: &Signal) -> SourceRef {
    cite(
        SourceKind::Signal,
        &signal.id,
        format!("{} {} · {}", signal.kind.label(), number(signal.value), day_text(signal.recorded_on)),
    )
}

fn task_source(task: &QbrTask) -> SourceRef {
    cite(SourceKind::Task, &task.id, task.title.clone())
}

/// A number as a slide shows it: whole numbers without decimals, others with one.
pub(crate) fn number(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    let text = if rounded.fract() == 0.0 { format!("{rounded:.0}") } else { format!("{rounded:.1}") };
    crate::model::money::group_thousands(&text)
}

fn with_unit(value: Option<f64>, unit: &str) -> String {
    match value {
        None => "—".to_owned(),
        Some(v) if unit.is_empty() => number(v),
        Some(v) if unit == "%" => format!("{}%", number(v)),
        Some(v) => format!("{} {unit}", number(v)),
    }
}

fn tagged<'a>(notes: &'a [QbrNote], period: Period, tags: &[&str]) -> impl Iterator<Item = &'a QbrNote> {
    let tags: Vec<String> = tags.iter().map(|t| (*t).to_owned()).collect();
    notes.iter().filter(move |n| period.contains(n.day) && n.tags.iter().any(|t| tags.contains(&t.to_lowercase())))
}

fn note_line(note: &QbrNote) -> String {
    if note.excerpt.is_empty() {
        format!("{} ({})", note.title, day_text(note.day))
    } else {
        format!("{}: {} ({})", note.title, note.excerpt, day_text(note.day))
    }
}

fn goals(source: &QbrSource, period: Period) -> DeckSection {
    let mut items = Vec::new();
    let mut rows = Vec::new();
    for m in &source.metrics {
        let sources = vec![cite(SourceKind::Metric, &m.id, m.name.clone())];
        let progress = m.progress_of();
        rows.push(DeckRow {
            cells: vec![
                m.name.clone(),
                with_unit(m.baseline, &m.unit),
                with_unit(m.target, &m.unit),
                with_unit(m.current, &m.unit),
                progress.map_or("—".to_owned(), |p| format!("{}%", number(p.round()))),
                m.confirmed_on.map_or("not yet".to_owned(), day_text),
            ],
            sources: sources.clone(),
        });
        let stale = m.confirmed_on.is_none_or(|d| (period.end - d).num_days() > 90);
        if stale {
            let text = format!("{}: not confirmed with the sponsor in the last 90 days — does it still fit?", m.name);
            items.push(item(format!("metric-stale:{}", m.id), text, sources));
        } else if progress.is_some_and(|p| p >= 100.0) {
            items.push(item(format!("metric-met:{}", m.id), format!("{}: target reached.", m.name), sources));
        }
    }
    let mut goals = section(SectionKey::Goals, "Goals and success metrics", items, "");
    goals.empty_note = rows.is_empty().then(|| {
        "No success metrics yet: agree baseline, target and how to measure them with the sponsor, then add them \
         to the account's success plan."
            .to_owned()
    });
    if !rows.is_empty() {
        let columns = ["Metric", "Baseline", "Target", "Current", "Progress", "Confirmed"];
        goals.table = Some(DeckTable { columns: columns.map(str::to_owned).to_vec(), rows });
    }
    goals
}

fn value(source: &QbrSource, period: Period) -> DeckSection {
    let mut items = Vec::new();
    for m in &source.milestones {
        if m.status == MilestoneStatus::Reached && m.reached_on.is_some_and(|d| period.contains(d)) {
            let day = m.reached_on.map(day_text).unwrap_or_default();
            let sources = vec![cite(SourceKind::Milestone, &m.id, m.title.clone())];
            items.push(item(format!("milestone:{}", m.id), format!("Milestone reached: {} ({day})", m.title), sources));
        }
    }
    for note in tagged(&source.notes, period, &WIN_TAGS) {
        items.push(item(format!("win:{}", note.id), format!("Win — {}", note_line(note)), vec![note_source(note)]));
    }
    items.extend(adoption_items(source, period));
    let mut value = section(
        SectionKey::Value,
        "Value delivered",
        items,
        "No milestones reached, wins or usage readings in this period. Tag call notes \"win\" and record usage \
         on the account to show the value delivered.",
    );
    value.chart = adoption_chart(source, period);
    value
}

fn adoption_items(source: &QbrSource, period: Period) -> Vec<DeckItem> {
    let mut items = Vec::new();
    for kind in [SignalKind::LicencesUsed, SignalKind::ActiveUsers] {
        let Some(end) = reading_on(&source.signals, kind, period.end) else { continue };
        if end.recorded_on < period.start {
            continue; // nothing read in the period: the older value says nothing about it
        }
        let start = reading_on(&source.signals, kind, period.start).filter(|s| s.id != end.id);
        let mut text = match start {
            Some(s) => format!("{}: {} → {}", kind.label(), number(s.value), number(end.value)),
            None => format!("{}: {}", kind.label(), number(end.value)),
        };
        if let (SignalKind::LicencesUsed, Some(bought)) = (kind, source.account.licences_purchased.filter(|b| *b > 0)) {
            let share = (end.value / bought as f64 * 100.0).round();
            text.push_str(&format!(" of {} licences ({}%)", number(bought as f64), number(share)));
        }
        let sources = start.into_iter().chain([end]).map(signal_source).collect();
        items.push(item(format!("adoption:{}", kind.as_str()), text, sources));
    }
    items
}

fn chart_categories(period: Period) -> (Vec<NaiveDate>, Vec<String>) {
    let days = period.chart_days();
    let long = (period.end - period.start).num_days() > 120;
    let labels = days.iter().map(|d| d.format(if long { "%b %Y" } else { "%-d %b" }).to_string()).collect();
    (days, labels)
}

/// A series of readings sampled on the chart's days; `None` where nothing had been read yet.
fn sampled(signals: &[Signal], kind: SignalKind, days: &[NaiveDate]) -> Option<ChartSeries> {
    let values: Vec<Option<f64>> = days.iter().map(|d| reading_on(signals, kind, *d).map(|s| s.value)).collect();
    values.iter().any(Option::is_some).then(|| ChartSeries { name: kind.label().to_owned(), values })
}

/// The axis that holds every value of the series.
fn axis_for(series: &[ChartSeries]) -> ChartAxis {
    let top = series.iter().flat_map(|s| s.values.iter().flatten()).copied().fold(0.0, f64::max);
    ChartAxis::for_values(top)
}

fn read_in(signals: &[Signal], kinds: &[SignalKind], period: Period) -> bool {
    signals.iter().any(|s| kinds.contains(&s.kind) && period.contains(s.recorded_on))
}

fn adoption_chart(source: &QbrSource, period: Period) -> Option<DeckChart> {
    let kinds = [SignalKind::LicencesUsed, SignalKind::ActiveUsers];
    if !read_in(&source.signals, &kinds, period) {
        return None;
    }
    let (days, categories) = chart_categories(period);
    let series: Vec<ChartSeries> = kinds.iter().filter_map(|k| sampled(&source.signals, *k, &days)).collect();
    let axis = axis_for(&series);
    Some(DeckChart { title: "Adoption".to_owned(), kind: ChartKind::Line, categories, series, axis })
}

fn band_word(band: Band) -> &'static str {
    match band {
        Band::Red => "red",
        Band::Yellow => "yellow",
        Band::Green => "green",
    }
}

fn health(source: &QbrSource, period: Period) -> DeckSection {
    let in_period: Vec<_> = source.health.iter().filter(|p| period.contains(p.day)).collect();
    let mut items = Vec::new();
    let health_ref = |label: String| vec![cite(SourceKind::Health, &source.account.id, label)];
    if let (Some(first), Some(last)) = (in_period.first(), in_period.last()) {
        let start = health_on(&source.health, period.start).unwrap_or(first);
        let change = i64::from(last.score) - i64::from(start.score);
        let text = format!(
            "Health {} ({}) on {} → {} ({}) on {}: {}",
            start.score,
            band_word(start.band),
            day_text(start.day),
            last.score,
            band_word(last.band),
            day_text(last.day),
            match change {
                0 => "steady".to_owned(),
                c if c > 0 => format!("up {c} points"),
                c => format!("down {} points", -c),
            }
        );
        items.push(item("health:change", text, health_ref(format!("Health history to {}", day_text(last.day)))));
        let mut measures: Vec<_> = last.measures.iter().collect();
        measures.sort_by(|a, b| a.1.total_cmp(b.1).then(a.0.cmp(b.0)));
        let describe = |list: &[(&crate::model::Measure, &f64)]| {
            list.iter().map(|(m, v)| format!("{} {}", m.label(), number(v.round()))).collect::<Vec<_>>().join(", ")
        };
        if measures.len() >= 2 {
            let weakest = &measures[..measures.len().min(2)];
            let strongest: Vec<_> = measures.iter().rev().take(2).copied().collect();
            let drivers = health_ref(format!("Health drivers on {}", day_text(last.day)));
            items.push(item("health:strong", format!("Strongest: {} (of 100)", describe(&strongest)), drivers.clone()));
            items.push(item("health:weak", format!("Weakest: {} (of 100)", describe(weakest)), drivers));
        }
    }
    let mut health = section(
        SectionKey::Health,
        "Health and its trend",
        items,
        "No health scores in this period yet: they are computed daily once the account has signals.",
    );
    if !in_period.is_empty() {
        let (days, categories) = chart_categories(period);
        let values = days.iter().map(|d| health_on(&source.health, *d).map(|p| f64::from(p.score))).collect();
        let series = vec![ChartSeries { name: "Health score".to_owned(), values }];
        health.chart = Some(DeckChart {
            title: "Health score".to_owned(),
            kind: ChartKind::Line,
            categories,
            series,
            axis: ChartAxis::fixed(100.0, 20.0),
        });
    }
    health
}

/// Ticket counts between readings: rises are tickets opened (at least), falls tickets closed.
fn ticket_flow(readings: &[&Signal]) -> (f64, f64) {
    readings.windows(2).fold((0.0, 0.0), |(opened, closed), pair| {
        let delta = pair[1].value - pair[0].value;
        if delta > 0.0 {
            (opened + delta, closed)
        } else {
            (opened, closed - delta)
        }
    })
}

/// P1 episodes: from a reading above zero to the next reading at zero, in days (None: still open).
fn p1_episodes(readings: &[&Signal]) -> Vec<(NaiveDate, Option<i64>)> {
    let mut episodes = Vec::new();
    let mut open_since: Option<NaiveDate> = None;
    for r in readings {
        match (open_since, r.value > 0.0) {
            (None, true) => open_since = Some(r.recorded_on),
            (Some(since), false) => {
                episodes.push((since, Some((r.recorded_on - since).num_days())));
                open_since = None;
            }
            _ => {}
        }
    }
    episodes.extend(open_since.map(|since| (since, None)));
    episodes
}

/// The readings of a kind that describe the period: the last one before it, then those in it.
fn period_readings(signals: &[Signal], kind: SignalKind, period: Period) -> Vec<&Signal> {
    let before = reading_on(signals, kind, period.start).filter(|s| s.recorded_on < period.start);
    let mut readings: Vec<&Signal> =
        before.into_iter().chain(signals.iter().filter(|s| s.kind == kind && period.contains(s.recorded_on))).collect();
    readings.sort_by_key(|s| s.recorded_on);
    readings
}

fn any_open(readings: &[&Signal]) -> bool {
    readings.iter().any(|s| s.value > 0.0)
}

/// Open tickets from start to end with the peak, and the flow between readings.
fn ticket_items(tickets: &[&Signal]) -> Vec<DeckItem> {
    let sources: Vec<SourceRef> = tickets.iter().map(|s| signal_source(s)).collect();
    let (Some(first), Some(last)) = (tickets.first(), tickets.last()) else { return Vec::new() };
    if !any_open(tickets) {
        return vec![item("support:open", "No open tickets in the period", sources)];
    }
    let peak = tickets.iter().max_by(|a, b| a.value.total_cmp(&b.value)).unwrap_or(last);
    let text = format!(
        "Open tickets: {} → {} (peak {} on {})",
        number(first.value),
        number(last.value),
        number(peak.value),
        day_text(peak.recorded_on)
    );
    let mut items = vec![item("support:open", text, sources.clone())];
    let (opened, closed) = ticket_flow(tickets);
    if opened + closed > 0.0 {
        let text =
            format!("At least {} opened and {} closed (from the open-ticket readings)", number(opened), number(closed));
        items.push(item("support:flow", text, sources));
    }
    items
}

/// How often P1/P2 tickets were open and how long they took to resolve.
fn p1_item(p1: &[&Signal]) -> DeckItem {
    let sources: Vec<_> = p1.iter().map(|s| signal_source(s)).collect();
    let episodes = p1_episodes(p1);
    let resolved: Vec<i64> = episodes.iter().filter_map(|e| e.1).collect();
    let mut text = match episodes.len() {
        0 => "No P1/P2 tickets".to_owned(),
        n => format!("P1/P2 tickets open at {n} time{}", if n == 1 { "" } else { "s" }),
    };
    if !resolved.is_empty() {
        text.push_str(&format!("; resolved in {} days (median)", median(&resolved)));
    }
    if let Some((since, _)) = episodes.iter().find(|e| e.1.is_none()) {
        text.push_str(&format!("; still open since {}", day_text(*since)));
    }
    item("support:p1", text, sources)
}

fn support(source: &QbrSource, period: Period) -> DeckSection {
    let tickets = period_readings(&source.signals, SignalKind::TicketsOpen, period);
    let p1 = period_readings(&source.signals, SignalKind::CriticalTicketsOpen, period);
    let mut items = Vec::new();
    if read_in(&source.signals, &[SignalKind::TicketsOpen], period) {
        items.extend(ticket_items(&tickets));
    }
    if read_in(&source.signals, &[SignalKind::CriticalTicketsOpen], period) {
        items.push(p1_item(&p1));
    }
    let mut support = section(
        SectionKey::Support,
        "Support summary",
        items,
        "No support readings in this period: record open tickets on the account (or pull them from the CRM).",
    );
    // A chart of zeros says nothing the lines above do not.
    if any_open(&tickets) || any_open(&p1) {
        let kinds = [SignalKind::TicketsOpen, SignalKind::CriticalTicketsOpen];
        let (days, categories) = chart_categories(period);
        let series: Vec<ChartSeries> = kinds.iter().filter_map(|k| sampled(&source.signals, *k, &days)).collect();
        let axis = axis_for(&series);
        support.chart =
            Some(DeckChart { title: "Open tickets".to_owned(), kind: ChartKind::Bar, categories, series, axis });
    }
    support
}

fn median(values: &[i64]) -> i64 {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2
    } else {
        sorted[mid]
    }
}

fn open_at_end(task: &QbrTask) -> bool {
    matches!(task.status, TaskStatus::Open | TaskStatus::Snoozed)
}

fn due_text(task: &QbrTask) -> String {
    task.due_date.map_or(String::new(), |d| format!(" (due {})", day_text(d)))
}

fn risks(source: &QbrSource, period: Period) -> DeckSection {
    let mut items = Vec::new();
    if let Some(p) = health_on(&source.health, period.end).filter(|p| p.band != Band::Green && period.contains(p.day)) {
        let text = format!("Health is {} ({}) at the end of the period", band_word(p.band), p.score);
        items.push(item("risk:health", text, vec![cite(SourceKind::Health, &source.account.id, "Health")]));
    }
    let end_reading = |kind| reading_on(&source.signals, kind, period.end).filter(|s| period.contains(s.recorded_on));
    let signal_risks = [
        (SignalKind::CriticalTicketsOpen, 0.5, "P1/P2 tickets still open"),
        (SignalKind::InvoiceOverdueDays, 30.5, "Invoice overdue (days)"),
    ];
    for (kind, above, words) in signal_risks {
        if let Some(s) = end_reading(kind).filter(|s| s.value > above) {
            items.push(item(
                format!("risk:{}", kind.as_str()),
                format!("{words}: {}", number(s.value)),
                vec![signal_source(s)],
            ));
        }
    }
    if let Some(s) = end_reading(SignalKind::Nps).filter(|s| s.value <= 6.0) {
        items.push(item("risk:nps", format!("Detractor: NPS {}", number(s.value)), vec![signal_source(s)]));
    }
    if let Some(s) = end_reading(SignalKind::Sentiment).filter(|s| s.value <= 2.0) {
        let why = if s.comment.is_empty() { String::new() } else { format!(": {}", s.comment) };
        items.push(item("risk:sentiment", format!("CSM is worried{why}"), vec![signal_source(s)]));
    }
    for m in &source.milestones {
        let late = m.status == MilestoneStatus::Planned && m.due_on.is_some_and(|d| d <= period.end);
        if late || (m.status == MilestoneStatus::Missed && m.due_on.is_some_and(|d| period.contains(d))) {
            let due = m.due_on.map(day_text).unwrap_or_default();
            let sources = vec![cite(SourceKind::Milestone, &m.id, m.title.clone())];
            items.push(item(
                format!("risk-milestone:{}", m.id),
                format!("Milestone late: {} (due {due})", m.title),
                sources,
            ));
        }
    }
    for note in tagged(&source.notes, period, &RISK_TAGS) {
        let mut sources = vec![note_source(note)];
        let mitigations: Vec<&QbrTask> =
            source.tasks.iter().filter(|t| t.note_id.as_deref() == Some(note.id.as_str())).collect();
        sources.extend(mitigations.iter().map(|t| task_source(t)));
        let mut text = note_line(note);
        if !mitigations.is_empty() {
            let list: Vec<String> = mitigations.iter().map(|t| format!("{}{}", t.title, status_words(t))).collect();
            text.push_str(&format!(" — mitigation: {}", list.join("; ")));
        }
        items.push(item(format!("risk-note:{}", note.id), text, sources));
    }
    for detail in source.risks.iter().flatten() {
        items.push(register_item(detail));
    }
    for task in source.tasks.iter().filter(|t| t.risk_response && open_at_end(t)) {
        let text = format!("Mitigation in progress: {}{}", task.title, due_text(task));
        items.push(item(format!("risk-task:{}", task.id), text, vec![task_source(task)]));
    }
    section(
        SectionKey::Risks,
        "Risks and open issues",
        items,
        "No open risks recorded: health held, no escalations, no late milestones.",
    )
}

/// A risk of the register with its save plan: "Budget cut — saving, 40,000 EUR at risk; plan:
/// CFO call (done); Usage review (open, due 10 Dec 2026)".
fn register_item(detail: &crate::model::RiskDetail) -> DeckItem {
    let r = &detail.risk;
    let mut text = format!("{} — {}, {} at risk", r.title, r.stage.label(), r.arr_at_risk.text());
    let steps: Vec<String> = detail
        .plan
        .iter()
        .map(|t| {
            let state = match t.status {
                TaskStatus::Done => "done".to_owned(),
                TaskStatus::Cancelled => "dropped".to_owned(),
                _ => t.due_date.map_or("open".to_owned(), |d| format!("open, due {}", day_text(d))),
            };
            format!("{} ({state})", t.title)
        })
        .collect();
    if steps.is_empty() {
        text.push_str("; no save plan yet");
    } else {
        text.push_str(&format!("; plan: {}", steps.join("; ")));
    }
    let mut sources = vec![cite(SourceKind::Risk, &r.id, r.title.clone())];
    sources.extend(detail.plan.iter().map(|t| cite(SourceKind::Task, &t.id, t.title.clone())));
    item(format!("risk-register:{}", r.id), text, sources)
}

fn status_words(task: &QbrTask) -> String {
    match task.status {
        TaskStatus::Done => " (done)".to_owned(),
        TaskStatus::Cancelled => " (dropped)".to_owned(),
        _ => format!(" (open{})", due_text(task).replace(" (", ", ").replace(')', "")),
    }
}

fn asks(source: &QbrSource, period: Period) -> DeckSection {
    let mut items = Vec::new();
    for note in tagged(&source.notes, period, &ASK_TAGS) {
        let follow_ups: Vec<&QbrTask> =
            source.tasks.iter().filter(|t| t.note_id.as_deref() == Some(note.id.as_str())).collect();
        let status = if follow_ups.is_empty() {
            "no follow-up yet".to_owned()
        } else if follow_ups.iter().all(|t| !open_at_end(t)) {
            "followed up".to_owned()
        } else {
            follow_ups
                .iter()
                .filter(|t| open_at_end(t))
                .map(|t| format!("open: {}", t.title))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let mut sources = vec![note_source(note)];
        sources.extend(follow_ups.iter().map(|t| task_source(t)));
        items.push(item(format!("ask:{}", note.id), format!("{} — {status}", note_line(note)), sources));
    }
    // Shipped asks have their own section; a declined one is told in person, not on a slide.
    for ask in source.asks.iter().filter(|a| !matches!(a.status, AskStatus::Shipped | AskStatus::Declined)) {
        let asked = ask.accounts.iter().find(|a| a.account_id == source.account.id).map(|a| a.asked_on);
        if asked.is_none_or(|d| d <= period.end) {
            let text = format!("{} — {}", ask.title, ask.status.label());
            items.push(item(
                format!("ask-record:{}", ask.id),
                text,
                vec![cite(SourceKind::Ask, &ask.id, ask.title.clone())],
            ));
        }
    }
    section(
        SectionKey::Asks,
        "What you asked for",
        items,
        "No product feedback recorded in this period. Tag call notes \"feedback\" to collect the customer's asks here.",
    )
}

/// "You asked, we did": the account's asks shipped since the period began.
fn delivered(source: &QbrSource, period: Period) -> DeckSection {
    let items = source
        .asks
        .iter()
        .filter(|a| a.status == AskStatus::Shipped && a.status_on >= period.start)
        .map(|a| {
            let text = format!("{} — shipped {}", a.title, day_text(a.status_on));
            item(format!("delivered:{}", a.id), text, vec![cite(SourceKind::Ask, &a.id, a.title.clone())])
        })
        .collect();
    section(
        SectionKey::Delivered,
        "You asked, we did",
        items,
        "Nothing you asked for shipped in this period yet. Asks marked shipped on the Asks page show here.",
    )
}

fn next_quarter(source: &QbrSource, period: Period) -> DeckSection {
    let next = period.next_90_days();
    let mut items = Vec::new();
    for m in &source.milestones {
        if m.status == MilestoneStatus::Planned && m.due_on.is_none_or(|d| d > period.end && d <= next.end) {
            let due = m.due_on.map_or(" (no date yet)".to_owned(), |d| format!(" by {}", day_text(d)));
            let sources = vec![cite(SourceKind::Milestone, &m.id, m.title.clone())];
            items.push(item(format!("next-milestone:{}", m.id), format!("Milestone: {}{due}", m.title), sources));
        }
    }
    if let Some(renewal) = source.account.renewal_date.filter(|d| next.contains(*d)) {
        let arr = &source.account.arr;
        let text = format!("Renewal on {} ({} ARR)", day_text(renewal), arr.text());
        items.push(item("next-renewal", text, vec![cite(SourceKind::Health, &source.account.id, "Account")]));
    }
    // Action items are the next steps agreed in the period's conversations; the CSM's own
    // to-dos (playbooks, QBR preparation) are not the customer's business.
    let agreed = |t: &QbrTask| {
        t.note_id.as_ref().is_some_and(|id| source.notes.iter().any(|n| &n.id == id && period.contains(n.day)))
    };
    let mut open: Vec<&QbrTask> = source
        .tasks
        .iter()
        .filter(|t| open_at_end(t) && agreed(t) && t.due_date.is_none_or(|d| d <= next.end))
        .collect();
    open.sort_by(|a, b| (a.due_date.is_none(), a.due_date, &a.id).cmp(&(b.due_date.is_none(), b.due_date, &b.id)));
    for task in open.into_iter().take(MAX_ACTION_ITEMS) {
        let text = format!("Action: {}{}", task.title, due_text(task));
        items.push(item(format!("next-task:{}", task.id), text, vec![task_source(task)]));
    }
    for m in &source.metrics {
        if m.progress_of().is_some_and(|p| p < 100.0) {
            let text = format!(
                "Goal for the next QBR: {} from {} to {}",
                m.name,
                with_unit(m.current, &m.unit),
                with_unit(m.target, &m.unit)
            );
            items.push(item(
                format!("next-goal:{}", m.id),
                text,
                vec![cite(SourceKind::Metric, &m.id, m.name.clone())],
            ));
        }
    }
    section(
        SectionKey::NextQuarter,
        "The next 90 days",
        items,
        "Nothing planned yet for the next 90 days: add milestones to the success plan and agree action items.",
    )
}

fn appendix(source: &QbrSource, period: Period) -> DeckSection {
    let mut touches: Vec<_> = source.touches.iter().filter(|t| period.contains(t.day)).collect();
    touches.sort_by(|a, b| (a.day, &a.id).cmp(&(b.day, &b.id)));
    let rows: Vec<DeckRow> = touches
        .iter()
        .map(|t| {
            let sources = vec![match &t.note_id {
                Some(note) => cite(SourceKind::Note, note, t.title.clone()),
                None => cite(SourceKind::Event, &t.id, t.title.clone()),
            }];
            DeckRow { cells: vec![day_text(t.day), kind_word(t.kind).to_owned(), t.title.clone()], sources }
        })
        .collect();
    let mut appendix = section(SectionKey::Appendix, "Appendix: touchpoints", Vec::new(), "");
    appendix.empty_note = rows.is_empty().then(|| "No calls, meetings or notes logged in this period.".to_owned());
    if !rows.is_empty() {
        appendix.table = Some(DeckTable { columns: vec!["Date".into(), "Type".into(), "Touchpoint".into()], rows });
    }
    appendix
}

fn kind_word(kind: TimelineKind) -> &'static str {
    match kind {
        TimelineKind::Call => "Call",
        TimelineKind::Meeting => "Meeting",
        TimelineKind::Email => "Email",
        TimelineKind::Qbr => "QBR",
        _ => "Note",
    }
}
