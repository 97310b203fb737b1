//! The TypeScript types in `ui/src/lib/bindings/` are generated from these Rust types and
//! committed. This test fails when they drift; `UPDATE_BINDINGS=1 cargo test -p csm-core bindings`
//! rewrites them. The lists name the types the commands take and return; every type they use is
//! exported with them (a new field's type needs no entry of its own).

use std::path::PathBuf;

pub fn bindings_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../ui/src/lib/bindings")
}

/// Compares (or, with UPDATE_BINDINGS=1, writes) one generated file per type.
pub fn check_or_update(generated: Vec<Vec<(String, String)>>) {
    let dir = bindings_dir();
    let update = std::env::var_os("UPDATE_BINDINGS").is_some();
    let mut drifted = Vec::new();
    let unique: std::collections::BTreeMap<String, String> = generated.into_iter().flatten().collect();
    for (name, content) in unique {
        let path = dir.join(format!("{name}.ts"));
        if update {
            std::fs::create_dir_all(&dir).expect("create bindings dir");
            std::fs::write(&path, &content).expect("write binding");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
            drifted.push(name);
        }
    }
    assert!(
        drifted.is_empty(),
        "generated TypeScript types drifted for {drifted:?}; run `UPDATE_BINDINGS=1 cargo test -p csm-core bindings` and commit"
    );
}

/// The generated declarations of a type and of every type it uses, by name.
pub fn declaration<T: ts_rs::TS + ?Sized + 'static>() -> Vec<(String, String)> {
    let mut found = Declarations(ts_rs::Config::default(), Vec::new());
    ts_rs::TypeVisitor::visit::<T>(&mut found);
    found.1
}

/// Collects declarations, following each type's dependencies once.
struct Declarations(ts_rs::Config, Vec<(String, String)>);

impl ts_rs::TypeVisitor for Declarations {
    fn visit<T: ts_rs::TS + 'static + ?Sized>(&mut self) {
        // Only types with a declaration of their own (not String, Vec, Option, …).
        if T::output_path().is_none() {
            return;
        }
        let name = T::ident(&self.0);
        if self.1.iter().any(|(known, _)| *known == name) {
            return;
        }
        self.1.push((name, T::export_to_string(&self.0).expect("a TypeScript declaration")));
        T::visit_dependencies(self);
    }
}

#[test]
fn bindings_match_the_rust_types() {
    use crate::model::*;
    use crate::FieldError;
    use declaration as decl;
    check_or_update(vec![
        decl::<Account>(),
        decl::<AccountInput>(),
        decl::<AccountOverview>(),
        decl::<BookRow>(),
        decl::<BookView>(),
        decl::<Contact>(),
        decl::<ContactInput>(),
        decl::<ContactRole>(),
        decl::<Relationships>(),
        decl::<StakeholderInput>(),
        decl::<StakeholderUpdate>(),
        decl::<DealRole>(),
        decl::<FieldError>(),
        decl::<crate::error::ErrorKind>(),
        decl::<LifecycleStage>(),
        decl::<Money>(),
        decl::<Segment>(),
        decl::<TimelineEvent>(),
        decl::<TimelineKind>(),
        decl::<TimelineRef>(),
        decl::<Band>(),
        decl::<RenewalsView>(),
        decl::<CalendarsView>(),
        decl::<CalendarSource>(),
        decl::<CalendarInput>(),
        decl::<CalendarKind>(),
        decl::<Meeting>(),
        decl::<Brief>(),
        decl::<ReminderSettings>(),
        decl::<RisksView>(),
        decl::<RiskDetail>(),
        decl::<RiskInput>(),
        decl::<PlanStepInput>(),
        decl::<AccountRisks>(),
        decl::<AsksView>(),
        decl::<AskInput>(),
        decl::<AskerInput>(),
        decl::<CaptureLine>(),
        decl::<RenewalWindow>(),
        decl::<RenewalInput>(),
        decl::<OutcomeInput>(),
        decl::<RenewalOutcome>(),
        decl::<AccountRenewal>(),
        decl::<RenewalSuggestion>(),
        decl::<RetentionReport>(),
        decl::<ForecastDiff>(),
        decl::<RenewalSettings>(),
        decl::<RenewalSettingsInput>(),
        decl::<BandChange>(),
        decl::<BandTotal>(),
        decl::<Cadence>(),
        decl::<Contribution>(),
        decl::<Driver>(),
        decl::<HealthPoint>(),
        decl::<HealthReport>(),
        decl::<HealthScore>(),
        decl::<HealthSummary>(),
        decl::<InputStatus>(),
        decl::<Measure>(),
        decl::<MeasureConfig>(),
        decl::<NotScored>(),
        decl::<PortfolioHealth>(),
        decl::<Scorecard>(),
        decl::<ScorecardPreview>(),
        decl::<Signal>(),
        decl::<SignalInput>(),
        decl::<SignalKind>(),
        decl::<Threshold>(),
        decl::<Task>(),
        decl::<TaskInput>(),
        decl::<TaskSaved>(),
        decl::<TaskStatus>(),
        decl::<TaskSource>(),
        decl::<Priority>(),
        decl::<Playbook>(),
        decl::<PlaybookStep>(),
        decl::<PlaybookTrigger>(),
        decl::<PlaybookRun>(),
        decl::<DayStarted>(),
        decl::<Topic>(),
        decl::<PlannerSettings>(),
        decl::<WeekPlan>(),
        decl::<PlanDay>(),
        decl::<Suggestion>(),
        decl::<Reason>(),
        decl::<ReasonKind>(),
        decl::<Note>(),
        decl::<NoteInput>(),
        decl::<NoteSaved>(),
        decl::<NoteDraft>(),
        decl::<NoteTemplate>(),
        decl::<Attendee>(),
        decl::<ActionItem>(),
        decl::<ActionItemInput>(),
        decl::<Sentiment>(),
        decl::<TimelineEntry>(),
        decl::<TimelinePage>(),
        decl::<TimelineQuery>(),
        decl::<SearchQuery>(),
        decl::<SearchResults>(),
        decl::<SearchHit>(),
        decl::<SearchKind>(),
        decl::<TextPart>(),
        decl::<BackupInfo>(),
        decl::<ExportSummary>(),
        decl::<ExportedFile>(),
        decl::<ImportKind>(),
        decl::<DateOrder>(),
        decl::<ImportPreview>(),
        decl::<ImportRow>(),
        decl::<ImportColumn>(),
        decl::<ImportField>(),
        decl::<ImportAction>(),
        decl::<ImportResult>(),
        decl::<SuccessMetric>(),
        decl::<SuccessMetricInput>(),
        decl::<Milestone>(),
        decl::<MilestoneInput>(),
        decl::<MilestoneStatus>(),
        decl::<SuccessPlan>(),
        decl::<Qbr>(),
        decl::<QbrInput>(),
        decl::<QbrStatus>(),
        decl::<QbrHeld>(),
        decl::<QbrView>(),
        decl::<SectionKey>(),
        decl::<SourceKind>(),
        decl::<SourceRef>(),
        decl::<DeckItem>(),
        decl::<DeckTable>(),
        decl::<DeckRow>(),
        decl::<ChartKind>(),
        decl::<DeckChart>(),
        decl::<ChartSeries>(),
        decl::<ChartAxis>(),
        decl::<DeckSection>(),
        decl::<Deck>(),
        decl::<SectionEdit>(),
        decl::<DeckEdits>(),
        decl::<SlideLayout>(),
        decl::<Slide>(),
        decl::<DeckStyle>(),
        decl::<SyncEntity>(),
        decl::<SyncField>(),
        decl::<FieldAction>(),
        decl::<FieldChange>(),
        decl::<RecordAction>(),
        decl::<RecordChange>(),
        decl::<OutboxItem>(),
        decl::<OutboxKind>(),
        decl::<SyncPreview>(),
        decl::<PreviewCount>(),
        decl::<PreviewQuery>(),
        decl::<Choice>(),
        decl::<Resolution>(),
        decl::<SyncApplied>(),
        decl::<SyncRun>(),
        decl::<SyncStatus>(),
        decl::<CrmSettings>(),
        decl::<CrmSystem>(),
        decl::<CrmStatus>(),
        decl::<CrmOwner>(),
        decl::<SyncProgress>(),
        decl::<Deal>(),
        decl::<DealKind>(),
    ]);
}

#[test]
fn a_type_brings_the_types_it_uses() {
    let names: Vec<String> = declaration::<crate::model::SyncPreview>().into_iter().map(|(name, _)| name).collect();
    for used in ["SyncPreview", "RecordChange", "FieldChange", "SyncField", "FieldAction", "OutboxItem", "OutboxKind"] {
        assert!(names.iter().any(|n| n == used), "{used} in {names:?}");
    }
}
