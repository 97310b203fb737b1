use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeZone, Utc};

use super::*;
use crate::model::{
    AccountInput, Band, ChartAxis, DeckSection, Measure, MilestoneStatus, SectionEdit, SectionKey, Signal, SignalKind,
    SlideLayout, SourceKind, SuccessMetric, TaskStatus, TimelineKind,
};

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn q3() -> Period {
    Period { start: day("2026-07-01"), end: day("2026-09-30") }
}

fn account() -> Account {
    let input = AccountInput {
        name: "Acme “Ünïcode” 株式会社 🚀".into(),
        segment: "high_touch".into(),
        lifecycle_stage: "adoption".into(),
        arr: "120000".into(),
        currency: "EUR".into(),
        renewal_date: "2026-11-15".into(),
        licences_purchased: "200".into(),
        ..Default::default()
    };
    let draft = crate::validate::account(&input).unwrap();
    let mut account = crate::store::new_account(&draft, Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap());
    account.id = "acct".into();
    account
}

fn signal(id: &str, kind: SignalKind, value: f64, on: &str) -> Signal {
    Signal {
        id: id.into(),
        account_id: "acct".into(),
        kind,
        value,
        recorded_on: day(on),
        expires_on: None,
        comment: String::new(),
    }
}

fn note(id: &str, on: &str, title: &str, tags: &[&str]) -> QbrNote {
    QbrNote {
        id: id.into(),
        day: day(on),
        title: title.into(),
        excerpt: format!("{title} excerpt"),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
    }
}

fn task(id: &str, title: &str, status: TaskStatus, due: Option<&str>, note: Option<&str>) -> QbrTask {
    QbrTask {
        id: id.into(),
        title: title.into(),
        status,
        due_date: due.map(day),
        completed_on: None,
        note_id: note.map(str::to_owned),
        risk_response: false,
    }
}

fn metric(id: &str, name: &str, values: (f64, f64, f64), confirmed: Option<&str>) -> SuccessMetric {
    SuccessMetric {
        id: id.into(),
        account_id: "acct".into(),
        name: name.into(),
        unit: "days".into(),
        baseline: Some(values.0),
        target: Some(values.1),
        current: Some(values.2),
        confirmed_on: confirmed.map(day),
        updated_at: Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap(),
        progress: None,
    }
}

fn milestone(id: &str, title: &str, status: MilestoneStatus, due: Option<&str>, reached: Option<&str>) -> Milestone {
    Milestone {
        id: id.into(),
        account_id: "acct".into(),
        title: title.into(),
        due_on: due.map(day),
        status,
        reached_on: reached.map(day),
    }
}

fn health_point(on: &str, score: u32) -> HealthPoint {
    let band = if score < 50 {
        Band::Red
    } else if score < 70 {
        Band::Yellow
    } else {
        Band::Green
    };
    let measures = BTreeMap::from([(Measure::Adoption, 80.0), (Measure::Support, 35.0), (Measure::Engagement, 60.0)]);
    HealthPoint { day: day(on), score, band, measures }
}

fn empty_source() -> QbrSource {
    QbrSource {
        renewal: None,
        stakeholders: None,
        risks: None,
        asks: vec![],
        qbr_id: "qbr".into(),
        account: account(),
        meeting_at: Some("2026-10-14T15:00".into()),
        metrics: vec![],
        milestones: vec![],
        notes: vec![],
        tasks: vec![],
        signals: vec![],
        health: vec![],
        touches: vec![],
    }
}

fn full_source() -> QbrSource {
    let mut risk_task = task("t-risk", "Weekly risk review", TaskStatus::Open, Some("2026-10-08"), None);
    risk_task.risk_response = true;
    QbrSource {
        metrics: vec![
            metric("m1", "Onboarding time", (40.0, 10.0, 18.0), Some("2026-09-10")),
            metric("m2", "Tickets per month", (30.0, 10.0, 25.0), Some("2026-02-01")),
        ],
        milestones: vec![
            milestone("ms-in", "SSO live", MilestoneStatus::Reached, Some("2026-08-01"), Some("2026-08-03")),
            milestone("ms-before", "Kickoff", MilestoneStatus::Reached, Some("2026-06-01"), Some("2026-06-30")),
            milestone("ms-late", "Data migration", MilestoneStatus::Planned, Some("2026-09-15"), None),
            milestone("ms-next", "EMEA rollout", MilestoneStatus::Planned, Some("2026-11-30"), None),
        ],
        notes: vec![
            note("n-before", "2026-06-30", "Old win", &["win"]),
            note("n-start", "2026-07-01", "Go-live party", &["win"]),
            note("n-ask", "2026-08-10", "Wants Slack alerts", &["Feedback"]),
            note("n-risk", "2026-09-02", "Escalation on exports", &["escalation"]),
            note("n-end", "2026-09-30", "Board praised the team", &["WIN"]),
            note("n-after", "2026-10-01", "Later win", &["win"]),
        ],
        tasks: vec![
            task("t-ask", "Share the Slack roadmap", TaskStatus::Open, Some("2026-10-20"), Some("n-ask")),
            task("t-mit", "Patch the export job", TaskStatus::Done, Some("2026-09-10"), Some("n-risk")),
            risk_task,
            task("t-far", "Plan next year", TaskStatus::Open, Some("2027-06-01"), None),
        ],
        signals: vec![
            signal("lic-0", SignalKind::LicencesUsed, 120.0, "2026-06-20"),
            signal("lic-1", SignalKind::LicencesUsed, 150.0, "2026-08-15"),
            signal("lic-2", SignalKind::LicencesUsed, 170.0, "2026-09-20"),
            signal("tk-0", SignalKind::TicketsOpen, 4.0, "2026-06-25"),
            signal("tk-1", SignalKind::TicketsOpen, 12.0, "2026-08-01"),
            signal("tk-2", SignalKind::TicketsOpen, 3.0, "2026-09-25"),
            signal("p1-0", SignalKind::CriticalTicketsOpen, 1.0, "2026-07-10"),
            signal("p1-1", SignalKind::CriticalTicketsOpen, 0.0, "2026-07-31"),
            signal("p1-2", SignalKind::CriticalTicketsOpen, 2.0, "2026-09-20"),
            signal("nps", SignalKind::Nps, 5.0, "2026-09-01"),
        ],
        health: vec![health_point("2026-06-30", 58), health_point("2026-08-15", 66), health_point("2026-09-30", 72)],
        touches: vec![
            QbrTouch {
                id: "e1".into(),
                day: day("2026-07-01"),
                kind: TimelineKind::Call,
                title: "Kickoff call".into(),
                note_id: None,
            },
            QbrTouch {
                id: "e2".into(),
                day: day("2026-09-02"),
                kind: TimelineKind::Note,
                title: "Escalation".into(),
                note_id: Some("n-risk".into()),
            },
            QbrTouch {
                id: "e3".into(),
                day: day("2026-10-02"),
                kind: TimelineKind::Call,
                title: "After".into(),
                note_id: None,
            },
        ],
        ..empty_source()
    }
}

fn section(deck: &Deck, key: SectionKey) -> &DeckSection {
    deck.sections.iter().find(|s| s.key == key).unwrap()
}

fn texts(deck: &Deck, key: SectionKey) -> Vec<String> {
    section(deck, key).items.iter().map(|i| i.text.clone()).collect()
}

fn keys(deck: &Deck, key: SectionKey) -> Vec<String> {
    section(deck, key).items.iter().map(|i| i.key.clone()).collect()
}

#[test]
fn goals_show_baseline_target_current_and_flag_unconfirmed_metrics() {
    let deck = draft(&full_source(), q3());
    let goals = section(&deck, SectionKey::Goals);
    let table = goals.table.as_ref().unwrap();
    assert_eq!(table.rows[0].cells, ["Onboarding time", "40 days", "10 days", "18 days", "73%", "10 Sep 2026"]);
    assert_eq!(table.rows[0].sources[0].kind, SourceKind::Metric);
    assert_eq!(keys(&deck, SectionKey::Goals), ["metric-stale:m2"]);
}

#[test]
fn value_counts_what_happened_inside_the_period_edges_included() {
    let deck = draft(&full_source(), q3());
    let value = texts(&deck, SectionKey::Value);
    assert!(value[0].starts_with("Milestone reached: SSO live (3 Aug 2026)"), "{value:?}");
    let wins: Vec<_> = keys(&deck, SectionKey::Value).into_iter().filter(|k| k.starts_with("win:")).collect();
    assert_eq!(wins, ["win:n-start", "win:n-end"], "the first and last day count, the days around do not");
    assert!(value.contains(&"Licences used: 120 → 170 of 200 licences (85%)".to_owned()), "{value:?}");
    let chart = section(&deck, SectionKey::Value).chart.as_ref().unwrap();
    assert_eq!(chart.series[0].name, "Licences used");
    assert_eq!(chart.series[0].values.first(), Some(&Some(120.0)), "the value on the first day is the last reading");
    assert_eq!(chart.series[0].values.last(), Some(&Some(170.0)));
    assert_eq!(chart.categories.len(), chart.series[0].values.len());
}

#[test]
fn health_compares_start_and_end_and_names_drivers() {
    let deck = draft(&full_source(), q3());
    let health = texts(&deck, SectionKey::Health);
    assert_eq!(health[0], "Health 58 (yellow) on 30 Jun 2026 → 72 (green) on 30 Sep 2026: up 14 points");
    assert_eq!(health[1], "Strongest: Adoption 80, Engagement 60 (of 100)");
    assert_eq!(health[2], "Weakest: Support 35, Engagement 60 (of 100)");
    let chart = section(&deck, SectionKey::Health).chart.as_ref().unwrap();
    assert_eq!(chart.axis, ChartAxis::fixed(100.0, 20.0));
    assert_eq!(chart.series[0].values.last(), Some(&Some(72.0)));
}

#[test]
fn support_reads_ticket_flow_and_p1_episodes_from_signals() {
    let deck = draft(&full_source(), q3());
    let support = texts(&deck, SectionKey::Support);
    assert_eq!(support[0], "Open tickets: 4 → 3 (peak 12 on 1 Aug 2026)");
    assert_eq!(support[1], "At least 8 opened and 9 closed (from the open-ticket readings)");
    assert_eq!(support[2], "P1/P2 tickets open at 2 times; resolved in 21 days (median); still open since 20 Sep 2026");
    let sources = &section(&deck, SectionKey::Support).items[0].sources;
    assert_eq!(sources.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["tk-0", "tk-1", "tk-2"]);
}

#[test]
fn a_quiet_support_period_says_so_without_a_chart_of_zeros() {
    let mut source = empty_source();
    source.signals = vec![
        signal("z0", SignalKind::TicketsOpen, 0.0, "2026-07-05"),
        signal("z1", SignalKind::TicketsOpen, 0.0, "2026-09-05"),
    ];
    let deck = draft(&source, q3());
    assert_eq!(texts(&deck, SectionKey::Support), ["No open tickets in the period"]);
    assert!(section(&deck, SectionKey::Support).chart.is_none());
}

#[test]
fn risks_list_health_signals_late_milestones_and_mitigations() {
    let deck = draft(&full_source(), q3());
    let keys = keys(&deck, SectionKey::Risks);
    assert_eq!(
        keys,
        ["risk:critical_tickets_open", "risk:nps", "risk-milestone:ms-late", "risk-note:n-risk", "risk-task:t-risk"]
    );
    let texts = texts(&deck, SectionKey::Risks);
    assert!(texts[3].ends_with("mitigation: Patch the export job (done)"), "{}", texts[3]);
}

#[test]
fn asks_show_their_follow_up_status() {
    let deck = draft(&full_source(), q3());
    assert_eq!(
        texts(&deck, SectionKey::Asks),
        ["Wants Slack alerts: Wants Slack alerts excerpt (10 Aug 2026) — open: Share the Slack roadmap"]
    );
}

#[test]
fn next_quarter_plans_milestones_renewal_actions_and_goals() {
    let deck = draft(&full_source(), q3());
    assert_eq!(
        keys(&deck, SectionKey::NextQuarter),
        ["next-milestone:ms-next", "next-renewal", "next-task:t-ask", "next-goal:m1", "next-goal:m2"]
    );
    assert!(texts(&deck, SectionKey::NextQuarter)[1].starts_with("Renewal on 15 Nov 2026 (120,000 EUR ARR)"));
}

#[test]
fn the_appendix_lists_touchpoints_in_the_period_with_their_sources() {
    let deck = draft(&full_source(), q3());
    let table = section(&deck, SectionKey::Appendix).table.as_ref().unwrap();
    assert_eq!(table.rows.len(), 2);
    assert_eq!(table.rows[1].cells, ["2 Sep 2026", "Note", "Escalation"]);
    assert_eq!(table.rows[1].sources[0].kind, SourceKind::Note);
    assert_eq!(table.rows[1].sources[0].id, "n-risk");
}

#[test]
fn an_empty_period_says_so_in_every_section() {
    let deck = draft(&empty_source(), q3());
    for s in &deck.sections {
        let said = s.empty_note.is_some() || !s.items.is_empty();
        assert!(said, "{:?} says nothing", s.key);
        assert!(s.chart.is_none() && s.table.is_none());
    }
    let slides = slides(&deck);
    let titles: Vec<&str> = slides.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, [deck.account_name.as_str(), "The next 90 days"], "the cover and the renewal ahead");
    let notes: Vec<&String> = deck.sections.iter().filter_map(|s| s.empty_note.as_ref()).collect();
    let said: Vec<&String> = slides.iter().flat_map(|s| &s.bullets).collect();
    assert!(notes.iter().all(|n| !said.contains(n)), "coaching notes never reach a customer's slide");
}

#[test]
fn the_same_source_and_period_give_the_same_deck() {
    assert_eq!(draft(&full_source(), q3()), draft(&full_source(), q3()));
    assert_eq!(slides(&draft(&full_source(), q3())), slides(&draft(&full_source(), q3())));
}

#[test]
fn edits_rename_hide_and_reword_and_survive_a_regenerated_draft() {
    let mut edits = DeckEdits::default();
    edits.sections.insert(
        SectionKey::Value,
        SectionEdit {
            title: Some("What we achieved together".into()),
            story: "A strong quarter.".into(),
            hidden_items: vec!["win:n-start".into(), "gone:x".into()],
            item_text: BTreeMap::from([("win:n-end".to_owned(), "The board praised the team".to_owned())]),
            ..Default::default()
        },
    );
    edits.sections.insert(SectionKey::Appendix, SectionEdit { hidden: true, ..Default::default() });
    let deck = apply_edits(draft(&full_source(), q3()), &edits);
    let value = section(&deck, SectionKey::Value);
    assert_eq!(value.title, "What we achieved together");
    assert!(value.items.iter().find(|i| i.key == "win:n-start").unwrap().hidden);
    assert_eq!(value.items.iter().find(|i| i.key == "win:n-end").unwrap().text, "The board praised the team");
    let slides = slides(&deck);
    assert!(slides.iter().all(|s| s.section != Some(SectionKey::Appendix)));
    let value_slide = slides.iter().find(|s| s.section == Some(SectionKey::Value)).unwrap();
    assert_eq!(value_slide.story, "A strong quarter.");
    assert!(!value_slide.bullets.iter().any(|b| b.contains("Go-live party")));
}

#[test]
fn long_text_continues_on_next_slides_and_never_overflows() {
    let mut source = full_source();
    for i in 0..40 {
        source.notes.push(note(&format!("w{i:02}"), "2026-08-20", &"A very long win story ".repeat(12), &["win"]));
    }
    let mut edits = DeckEdits::default();
    let story = "Our story. ".repeat(300);
    edits.sections.insert(SectionKey::Risks, SectionEdit { story: story.clone(), ..Default::default() });
    let deck = apply_edits(draft(&source, q3()), &edits);
    let slides = slides(&deck);
    for slide in &slides {
        let width = if slide.layout == SlideLayout::TextChart { 46 } else { 92 };
        let table_lines = slide.table.as_ref().map_or(0, |t| 2 + 2 * t.rows.len());
        let text_lines: usize = slide
            .bullets
            .iter()
            .chain([&slide.story])
            .filter(|t| !t.is_empty())
            .map(|t| t.chars().count().div_ceil(width))
            .sum();
        assert!(text_lines + table_lines <= 13, "{} overflows: {text_lines} + {table_lines}", slide.title);
    }
    let value_slides: Vec<_> = slides.iter().filter(|s| s.section == Some(SectionKey::Value)).collect();
    assert!(value_slides.len() > 3 && value_slides[1].continued && value_slides[1].title.ends_with("(continued)"));
    let risk_story: String = slides
        .iter()
        .filter(|s| s.section == Some(SectionKey::Risks))
        .map(|s| s.story.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(risk_story.split_whitespace().count(), story.split_whitespace().count(), "no word lost");
}

#[test]
fn a_long_appendix_table_goes_on_over_several_slides() {
    let mut source = full_source();
    source.touches = (0..30)
        .map(|i| QbrTouch {
            id: format!("e{i:02}"),
            day: day("2026-08-01"),
            kind: TimelineKind::Meeting,
            title: format!("Meeting {i}"),
            note_id: None,
        })
        .collect();
    let slides = slides(&draft(&source, q3()));
    let appendix: Vec<_> = slides.iter().filter(|s| s.section == Some(SectionKey::Appendix)).collect();
    let rows: usize = appendix.iter().map(|s| s.table.as_ref().unwrap().rows.len()).sum();
    assert_eq!(rows, 30);
    assert!(appendix.len() >= 5);
}

#[test]
fn periods_have_labels_chart_days_and_a_default() {
    assert_eq!(q3().label(), "Q3 2026");
    assert_eq!(Period { start: day("2026-07-01"), end: day("2026-09-15") }.label(), "1 Jul – 15 Sep 2026");
    assert_eq!(Period { start: day("2025-12-01"), end: day("2026-02-28") }.label(), "1 Dec 2025 – 28 Feb 2026");
    assert_eq!(last_full_quarter(day("2026-11-22")), q3());
    assert_eq!(last_full_quarter(day("2026-01-01")), Period { start: day("2025-10-01"), end: day("2025-12-31") });
    let weekly = q3().chart_days();
    assert_eq!((weekly[0], *weekly.last().unwrap(), weekly.len()), (day("2026-07-01"), day("2026-09-30"), 14));
    let five_years = Period { start: day("2021-10-01"), end: day("2026-09-30") }.chart_days();
    assert!(five_years.len() <= 22, "{}", five_years.len());
    assert_eq!(Period { start: day("2026-07-01"), end: day("2026-07-01") }.chart_days(), [day("2026-07-01")]);
}

#[test]
fn markdown_keeps_every_section_and_makes_html_inert() {
    let mut source = full_source();
    source.notes.push(note("x", "2026-08-01", "<img src=x onerror=alert(1)> | pipe", &["win"]));
    let md = markdown(&draft(&source, q3()), "Our Co");
    assert!(md.starts_with("# Acme “Ünïcode” 株式会社 🚀 — Q3 2026\n"));
    for title in ["Goals and success metrics", "Value delivered", "Support summary", "Appendix: touchpoints"] {
        assert!(md.contains(&format!("## {title}")), "{title}");
    }
    assert!(!md.contains("<img"));
    assert!(md.contains("&lt;img src=x onerror=alert(1)&gt; | pipe"));
    assert!(md.contains("| Onboarding time | 40 days | 10 days | 18 days | 73% | 10 Sep 2026 |"));
}

#[test]
fn chart_axes_start_at_zero_and_step_in_round_whole_numbers() {
    let axis = |top| {
        let a = ChartAxis::for_values(top);
        (a.max, a.step)
    };
    assert_eq!(axis(0.0), (4.0, 1.0));
    assert_eq!(axis(3.0), (4.0, 1.0));
    assert_eq!(axis(9.0), (10.0, 2.0), "tickets count in whole steps, never 1.8");
    assert_eq!(axis(12.0), (15.0, 5.0));
    assert_eq!(axis(1306.0), (1500.0, 500.0), "adoption reads from zero: no cliff");
    assert_eq!(axis(f64::NAN), (4.0, 1.0));
    for top in [5.0, 17.0, 99.0, 101.0, 4_321.0, 98_765.0] {
        let (max, step) = axis(top);
        assert!(max >= top && max / step <= 5.0 && step.fract() == 0.0, "{top}: {max} by {step}");
    }
}

#[test]
fn action_items_are_the_next_steps_agreed_in_the_period_listed_once() {
    let deck = draft(&full_source(), q3());
    let risks = keys(&deck, SectionKey::Risks);
    let next = keys(&deck, SectionKey::NextQuarter);
    assert!(risks.contains(&"risk-task:t-risk".to_owned()));
    assert!(!next.iter().any(|k| k == "next-task:t-risk"), "a mitigation is not listed again as an action");
    assert!(!next.iter().any(|k| k == "next-task:t-far"), "the CSM's own to-dos stay off the slides");
}

#[test]
fn the_register_is_internal_and_shipped_asks_are_told_to_the_customer() {
    use crate::model::{Ask, AskStatus, Money, Priority, Risk, RiskDetail, RiskSeverity, RiskStage, Task, TaskSource};
    let at = Utc.with_ymd_and_hms(2026, 9, 1, 9, 0, 0).unwrap();
    let step = Task {
        id: "t-cfo".into(),
        account_id: Some("acc".into()),
        account_name: None,
        title: "Exec call with the CFO".into(),
        due_date: Some(day("2026-10-10")),
        due_time: None,
        priority: Priority::High,
        effort_minutes: None,
        status: TaskStatus::Open,
        snoozed_until: None,
        source: TaskSource::Manual,
        provenance: String::new(),
        is_touch: false,
        details: String::new(),
        completed_at: None,
        created_at: at,
        updated_at: at,
    };
    let risk = Risk {
        id: "r1".into(),
        account_id: "acc".into(),
        account_name: "Acme".into(),
        title: "Budget cut".into(),
        reasons: vec!["budget cut".into()],
        severity: RiskSeverity::High,
        arr_at_risk: Money::new(4_000_000, "EUR"),
        stage: RiskStage::PlanInPlace,
        help_needed: vec![],
        opened_on: day("2026-09-01"),
        stage_since: day("2026-09-03"),
        last_update_on: None,
        closed_on: None,
        days_in_stage: 3,
        days_since_update: 5,
        stale: false,
        plan_open: 1,
        plan_steps: 1,
    };
    let ask = |id: &str, status, on: &str| Ask {
        id: id.into(),
        title: format!("Ask {id}"),
        problem: String::new(),
        status,
        reference: "PROD-1".into(),
        status_on: day(on),
        accounts: vec![],
        demand_minor: 0,
    };
    let mut source = full_source();
    source.asks = vec![
        ask("shipped", AskStatus::Shipped, "2026-08-20"),
        ask("old", AskStatus::Shipped, "2026-03-01"),
        ask("planned", AskStatus::Planned, "2026-08-01"),
        ask("no", AskStatus::Declined, "2026-08-01"),
    ];
    let customer = draft(&source, q3());
    assert!(!keys(&customer, SectionKey::Risks).iter().any(|k| k.starts_with("risk-register")));
    assert_eq!(texts(&customer, SectionKey::Delivered), ["Ask shipped — shipped 20 Aug 2026"]);
    let asks = texts(&customer, SectionKey::Asks);
    assert!(
        asks.contains(&"Ask planned — planned".to_owned()) && !asks.iter().any(|t| t.contains("Ask no")),
        "{asks:?}"
    );

    source.risks = Some(vec![RiskDetail { risk, plan: vec![step], updates: vec![] }]);
    let internal = draft(&source, q3());
    let register = texts(&internal, SectionKey::Risks);
    assert!(
        register.contains(
            &"Budget cut — plan in place, 40,000 EUR at risk; plan: Exec call with the CFO (open, due 10 Oct 2026)"
                .to_owned()
        ),
        "{register:?}"
    );
}
