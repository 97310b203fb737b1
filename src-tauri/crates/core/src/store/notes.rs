//! Call notes with their attendees and tags, the tasks their next steps become, drafts that
//! survive a crash, and the note templates. Saving a note writes the note, its tasks, its timeline
//! entries, the account's last touch and health, and the search index in one transaction.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use super::columns::instant;
use super::tasks::{self, NewTask};
use super::{accounts, health, relationships, risks, search, settings, timeline, Store};
use crate::error::{Error, FieldError, Result};
use crate::facts::day_text;
use crate::model::TimelineRef;
use crate::model::{
    new_id, Attendee, Note, NoteDraft, NoteSaved, NoteTemplate, Priority, SearchKind, Sentiment, TaskSource,
    TimelineKind,
};
use crate::notes::default_templates;
use crate::validate::{self, ValidNote, ValidTask};

const TEMPLATES: &str = "notes.templates";

fn invalid(field: &str, message: &str) -> Error {
    Error::Invalid(vec![FieldError::new(field, message)])
}

fn note_row(row: &Row<'_>) -> rusqlite::Result<Note> {
    Ok(Note {
        id: row.get(0)?,
        account_id: row.get(1)?,
        account_name: row.get(2)?,
        occurred_at: row.get(3)?,
        template: row.get(4)?,
        title: row.get(5)?,
        body_md: row.get(6)?,
        sentiment: row.get::<_, Option<String>>(7)?.as_deref().and_then(Sentiment::parse),
        private: row.get(8)?,
        attendees: Vec::new(),
        tags: Vec::new(),
        created_at: row.get(9)?,
        updated_at: row.get(10)?,
    })
}

fn get(conn: &Connection, id: &str) -> Result<Note> {
    let mut note = conn
        .prepare_cached(
            "SELECT n.id, n.account_id, a.name, n.occurred_at, n.template, n.title, n.body_md, n.sentiment, n.private, \
             n.created_at, n.updated_at FROM notes n JOIN accounts a ON a.id = n.account_id WHERE n.id = ?1",
        )?
        .query_row([id], note_row)
        .optional()?
        .ok_or(Error::NotFound("note"))?;
    note.attendees = conn
        .prepare_cached("SELECT contact_id, name FROM note_attendees WHERE note_id = ?1 ORDER BY rowid")?
        .query_map([id], |r| Ok(Attendee { contact_id: r.get(0)?, name: r.get(1)? }))?
        .collect::<rusqlite::Result<_>>()?;
    note.tags = conn
        .prepare_cached("SELECT tag FROM note_tags WHERE note_id = ?1 ORDER BY tag")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(note)
}

/// A title for a note saved without one: its first line of text, else the template's name.
fn title_for(d: &ValidNote, templates: &[NoteTemplate]) -> String {
    if !d.title.is_empty() {
        return d.title.clone();
    }
    let template = d.template.as_deref().and_then(|id| templates.iter().find(|t| t.id == id));
    let first_line = d
        .body_md
        .lines()
        .map(|l| l.trim().trim_start_matches(['#', '-', '*', '>', ' ']).trim())
        .find(|l| !l.is_empty() && !l.starts_with("[ ]") && template.is_none_or(|t| !t.body_md.contains(*l)));
    match (template, first_line) {
        (Some(t), _) => format!("{} call", t.name),
        (None, Some(line)) => line.chars().take(80).collect(),
        (None, None) => "Call note".to_owned(),
    }
}

/// Writes the note's attendees and tags (replacing any), checking contacts belong to the account.
fn write_people_and_tags(tx: &Transaction<'_>, note_id: &str, d: &ValidNote) -> Result<()> {
    tx.execute("DELETE FROM note_attendees WHERE note_id = ?1", [note_id])?;
    tx.execute("DELETE FROM note_tags WHERE note_id = ?1", [note_id])?;
    for a in &d.attendees {
        if let Some(contact) = &a.contact_id {
            let ok: Option<i64> = tx
                .query_row("SELECT 1 FROM contacts WHERE id = ?1 AND account_id = ?2", [contact, &d.account_id], |r| {
                    r.get(0)
                })
                .optional()?;
            if ok.is_none() {
                return Err(invalid("attendees", "That attendee is not one of the account's contacts."));
            }
        }
        tx.prepare_cached("INSERT INTO note_attendees (note_id, contact_id, name) VALUES (?1, ?2, ?3)")?
            .execute(params![note_id, a.contact_id, a.name])?;
    }
    for tag in &d.tags {
        tx.prepare_cached("INSERT INTO note_tags (note_id, tag) VALUES (?1, ?2)")?.execute(params![note_id, tag])?;
    }
    Ok(())
}

/// The first few hundred characters of a note as plain words, for its timeline entry.
fn excerpt(body: &str) -> String {
    let body = crate::relationships::without_stakeholder_lines(body);
    let text: String = crate::notes::plain_text(&body).split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = text.chars().take(240).collect();
    if text.chars().count() > 240 {
        out.push('…');
    }
    out
}

/// Writes a whole note as it is (the sample book's) with its people, tags and timeline entry.
pub(crate) fn insert_note(tx: &Transaction<'_>, n: &Note) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO notes (id, account_id, occurred_at, template, title, body_md, sentiment, private, created_at, \
         updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        n.id,
        n.account_id,
        n.occurred_at,
        n.template,
        n.title,
        n.body_md,
        n.sentiment.map(Sentiment::as_str),
        n.private,
        n.created_at,
        n.updated_at
    ])?;
    for a in &n.attendees {
        tx.prepare_cached("INSERT INTO note_attendees (note_id, contact_id, name) VALUES (?1, ?2, ?3)")?
            .execute(params![n.id, a.contact_id, a.name])?;
    }
    for tag in &n.tags {
        tx.prepare_cached("INSERT INTO note_tags (note_id, tag) VALUES (?1, ?2)")?.execute(params![n.id, tag])?;
    }
    let event = crate::model::TimelineEvent {
        id: n.id.clone(),
        account_id: n.account_id.clone(),
        kind: TimelineKind::Note,
        occurred_at: n.occurred_at,
        title: n.title.clone(),
        detail: excerpt(&n.body_md),
    };
    timeline::insert_about(tx, &event, Some((TimelineRef::Note, &n.id)))?;
    Ok(())
}

/// Turns the note's confirmed next steps into tasks on its account, each on the timeline.
fn next_steps(
    tx: &Transaction<'_>,
    note_id: &str,
    title: &str,
    d: &ValidNote,
    now: DateTime<Utc>,
) -> Result<Vec<crate::model::Task>> {
    let provenance = format!("Next step from “{title}” on {}", day_text(d.occurred_at.date_naive()));
    let mut out = Vec::new();
    for (step, due) in &d.action_items {
        let draft = ValidTask {
            account_id: Some(d.account_id.clone()),
            title: step.chars().take(200).collect(),
            due_date: *due,
            due_time: None,
            priority: Priority::Normal,
            effort_minutes: None,
            details: String::new(),
        };
        let new = NewTask {
            draft: &draft,
            source: TaskSource::Note,
            source_ref: None,
            provenance: &provenance,
            is_touch: false,
            generated_due: None,
            note_id: Some(note_id),
        };
        let task_id = tasks::insert(tx, &new, now)?;
        let task = tasks::get(tx, &task_id)?;
        tasks::created_on_timeline(tx, &task, now)?;
        out.push(task);
    }
    Ok(out)
}

/// Saves a new note inside the caller's transaction (see `Store::create_note`).
pub(super) fn create_note_in(
    tx: &Transaction<'_>,
    d: &ValidNote,
    templates: &[NoteTemplate],
    draft_id: Option<&str>,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<NoteSaved> {
    if !accounts::exists(tx, &d.account_id)? {
        return Err(invalid("account_id", "That account doesn't exist."));
    }
    let (id, title) = (new_id(), title_for(d, templates));
    tx.execute(
        "INSERT INTO notes (id, account_id, occurred_at, template, title, body_md, sentiment, private, created_at, \
         updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![
            id,
            d.account_id,
            d.occurred_at,
            d.template,
            title,
            d.body_md,
            d.sentiment.map(Sentiment::as_str),
            d.private,
            now
        ],
    )?;
    write_people_and_tags(tx, &id, d)?;
    let event = timeline::event(&d.account_id, TimelineKind::Note, d.occurred_at, title.clone(), excerpt(&d.body_md));
    timeline::insert_about(tx, &event, Some((TimelineRef::Note, &id)))?;
    let tasks = next_steps(tx, &id, &title, d, now)?;
    relationships::apply_note_lines(tx, &d.account_id, &d.body_md, d.occurred_at)?;
    risks::apply_note_lines(tx, &id, d, now, today)?;
    tx.execute(
        "UPDATE accounts SET last_touch_at = ?2 WHERE id = ?1 AND (last_touch_at IS NULL OR last_touch_at < ?2)",
        params![d.account_id, d.occurred_at],
    )?;
    health::rescore_in(tx, &d.account_id, today)?;
    search::reindex(tx, SearchKind::Note, &id)?;
    if let Some(draft) = draft_id {
        tx.execute("DELETE FROM note_drafts WHERE id = ?1", [draft])?;
    }
    let note = get(tx, &id)?;
    Ok(NoteSaved { note, tasks })
}

impl Store {
    pub fn note_templates(&self) -> Result<Vec<NoteTemplate>> {
        Ok(settings::read_json(&self.conn(), TEMPLATES)?.unwrap_or_else(default_templates))
    }

    pub fn save_note_templates(&self, list: &[NoteTemplate]) -> Result<()> {
        validate::note_templates(list)?;
        settings::write_json(&self.conn(), TEMPLATES, &list)
    }

    pub fn note(&self, id: &str) -> Result<Note> {
        get(&self.conn(), id)
    }

    /// Saves a new note, turns its confirmed next steps into tasks, puts both on the timeline,
    /// counts the call as a touch (rescoring the account) and indexes it — all or nothing. The
    /// draft it came from, if any, is discarded in the same transaction.
    pub fn create_note(
        &self,
        d: &ValidNote,
        draft_id: Option<&str>,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<NoteSaved> {
        let templates = self.note_templates()?;
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let saved = create_note_in(&tx, d, &templates, draft_id, now, today)?;
        tx.commit()?;
        Ok(saved)
    }

    /// Edits a note's text, time, people, mood, tags and privacy (next steps, risks and asks were
    /// recorded when it was saved; edit those records themselves).
    pub fn update_note(&self, id: &str, d: &ValidNote, now: DateTime<Utc>) -> Result<Note> {
        let templates = self.note_templates()?;
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let title = title_for(d, &templates);
        let changed = tx.execute(
            "UPDATE notes SET occurred_at = ?2, template = ?3, title = ?4, body_md = ?5, sentiment = ?6, private = ?7, \
             updated_at = ?8 WHERE id = ?1 AND account_id = ?9",
            params![id, d.occurred_at, d.template, title, d.body_md, d.sentiment.map(Sentiment::as_str), d.private, now, d.account_id],
        )?;
        if changed == 0 {
            return Err(Error::NotFound("note"));
        }
        write_people_and_tags(&tx, id, d)?;
        relationships::apply_note_lines(&tx, &d.account_id, &d.body_md, d.occurred_at)?;
        tx.execute(
            "UPDATE timeline_events SET occurred_at = ?2, title = ?3, detail = ?4 WHERE ref_kind = 'note' AND ref_id = ?1",
            params![id, d.occurred_at, title, excerpt(&d.body_md)],
        )?;
        search::reindex(&tx, SearchKind::Note, id)?;
        let note = get(&tx, id)?;
        tx.commit()?;
        Ok(note)
    }

    /// Deletes a note and its timeline entry; the tasks it made stay (unlinked).
    pub fn delete_note(&self, id: &str) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        if tx.execute("DELETE FROM notes WHERE id = ?1", [id])? == 0 {
            return Err(Error::NotFound("note"));
        }
        tx.execute("DELETE FROM timeline_events WHERE ref_kind = 'note' AND ref_id = ?1", [id])?;
        search::unindex(&tx, SearchKind::Note, id)?;
        tx.commit()?;
        Ok(())
    }

    /// Keeps what is being typed. Called continuously by the editor; one row per draft.
    pub fn save_draft(&self, id: &str, account_id: Option<&str>, payload: &str, now: DateTime<Utc>) -> Result<()> {
        validate::draft_payload(payload)?;
        self.conn().execute(
            "INSERT INTO note_drafts (id, account_id, payload, saved_at) \
             VALUES (?1, (SELECT id FROM accounts WHERE id = ?2), ?3, ?4) \
             ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, payload = excluded.payload, \
             saved_at = excluded.saved_at",
            params![id, account_id, payload, now],
        )?;
        Ok(())
    }

    /// Drafts not yet saved as notes, newest first: what a crash or a forced quit left behind.
    /// A draft with nothing typed in it (empty, or a bare template) is not offered back.
    pub fn drafts(&self) -> Result<Vec<NoteDraft>> {
        let templates: Vec<String> = self.note_templates()?.into_iter().map(|t| t.body_md.trim().to_owned()).collect();
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT d.id, d.account_id, a.name, d.payload, d.saved_at FROM note_drafts d \
             LEFT JOIN accounts a ON a.id = d.account_id ORDER BY d.saved_at DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(NoteDraft {
                id: r.get(0)?,
                account_id: r.get(1)?,
                account_name: r.get(2)?,
                payload: r.get(3)?,
                saved_at: instant(r, 4)?.unwrap_or_default(),
            })
        })?;
        let drafts: Vec<NoteDraft> = rows.collect::<rusqlite::Result<_>>()?;
        Ok(drafts.into_iter().filter(|d| !blank_draft(&d.payload, &templates)).collect())
    }

    pub fn discard_draft(&self, id: &str) -> Result<()> {
        self.conn().execute("DELETE FROM note_drafts WHERE id = ?1", [id])?;
        Ok(())
    }
}

/// A draft holding nothing the CSM typed: no title, and a body that is empty or a template as is.
fn blank_draft(payload: &str, templates: &[String]) -> bool {
    let Ok(input) = serde_json::from_str::<crate::model::NoteInput>(payload) else { return false };
    let body = input.body_md.trim();
    input.title.trim().is_empty() && (body.is_empty() || templates.iter().any(|t| t == body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActionItemInput, NoteInput, SearchQuery, TaskStatus};
    use crate::sample::{generate, SampleSpec};
    use crate::store::TimelineFilter;

    fn now() -> DateTime<Utc> {
        "2026-11-19T15:00:00Z".parse().unwrap()
    }

    fn today() -> NaiveDate {
        now().date_naive()
    }

    fn book() -> (Store, String) {
        let store = Store::open_in_memory().unwrap();
        store.start_book(Some(&generate(&SampleSpec::DEMO, today())), now()).unwrap();
        let id = store.book(today()).unwrap()[0].id.clone();
        (store, id)
    }

    fn checked(input: NoteInput) -> ValidNote {
        validate::note(&input, now(), &Utc).unwrap()
    }

    fn search(store: &Store, text: &str) -> Vec<(SearchKind, String)> {
        let hits = store.search(&SearchQuery { text: text.into(), ..Default::default() }).unwrap().hits;
        hits.into_iter().map(|h| (h.kind, h.ref_id)).collect()
    }

    #[test]
    fn a_draft_with_nothing_typed_is_not_offered_back() {
        let (store, account) = book();
        let template = store.note_templates().unwrap()[0].body_md.clone();
        let draft = |body: &str| serde_json::json!({ "account_id": account, "body_md": body }).to_string();
        store.save_draft("bare", Some(&account), &draft(&template), now()).unwrap();
        store.save_draft("empty", Some(&account), &draft("  "), now()).unwrap();
        store.save_draft("typed", Some(&account), &draft(&format!("{template}Send the deck")), now()).unwrap();
        let offered: Vec<String> = store.drafts().unwrap().into_iter().map(|d| d.id).collect();
        assert_eq!(offered, ["typed"]);
    }

    #[test]
    fn saving_a_note_makes_its_tasks_timeline_touch_and_index_together() {
        let (store, account) = book();
        store.save_draft("draft-1", Some(&account), "{\"body_md\":\"half typed\"}", now()).unwrap();
        let input = NoteInput {
            account_id: account.clone(),
            template: "check_in".into(),
            body_md: "Renewal looks solid.\n- [ ] Send the pricing sheet to the sponsor by Friday".into(),
            tags: vec!["win".into()],
            action_items: vec![ActionItemInput {
                title: "Send the pricing sheet to the sponsor by Friday".into(),
                due_date: "2026-11-20".into(),
                include: true,
            }],
            ..Default::default()
        };
        let saved = store.create_note(&checked(input), Some("draft-1"), now(), today()).unwrap();
        assert_eq!(saved.note.title, "Check-in call");
        assert_eq!(saved.tasks.len(), 1);
        let task = &saved.tasks[0];
        assert_eq!((task.source, task.status), (TaskSource::Note, TaskStatus::Open));
        assert!(task.provenance.contains("Check-in call"), "{}", task.provenance);
        assert!(store.drafts().unwrap().is_empty(), "the draft went with the save");
        assert_eq!(store.account(&account).unwrap().last_touch_at, Some(now()));

        let page = store
            .timeline(&TimelineFilter { account_id: Some(account.clone()), limit: 5, ..Default::default() })
            .unwrap();
        let kinds: Vec<TimelineKind> = page.entries.iter().map(|e| e.kind).collect();
        assert!(kinds.contains(&TimelineKind::Note) && kinds.contains(&TimelineKind::TaskCreated), "{kinds:?}");
        assert!(search(&store, "pricing sponsor").contains(&(SearchKind::Note, saved.note.id.clone())));
        assert!(search(&store, "pric").contains(&(SearchKind::Task, task.id.clone())), "prefix search");
    }

    #[test]
    fn search_folds_accents_finds_cjk_inside_words_and_never_errors_on_syntax() {
        let (store, account) = book();
        let body = "Grüñwald questionnaire à Besançon. 솔빛항공 실무자와 통화. 札幌倉庫の打合せ.";
        store
            .create_note(
                &checked(NoteInput { account_id: account, body_md: body.into(), ..Default::default() }),
                None,
                now(),
                today(),
            )
            .unwrap();
        for text in ["grunwald", "BESANCON", "Besançon", "항공", "실무", "倉庫", "打合"] {
            assert_eq!(search(&store, text).len(), 1, "{text}");
        }
        for hostile in ["\"", "*", "NEAR", "-", ":", "a\" OR \"b", "(", "'; DROP TABLE notes; --", "^", "NOT"] {
            let results = store.search(&SearchQuery { text: hostile.into(), ..Default::default() }).unwrap();
            assert!(results.hits.len() <= 50, "{hostile}");
        }
        assert_eq!(store.search(&SearchQuery::default()).unwrap().message.as_deref(), Some("Type a word to search."));
        let hit = &store.search(&SearchQuery { text: "항공".into(), ..Default::default() }).unwrap().hits[0];
        assert!(hit.snippet.iter().any(|p| p.hit && p.text.contains("항")), "{:?}", hit.snippet);
        assert!(!search(&store, "한빛").is_empty(), "the sample's Korean notes");
    }

    #[test]
    fn search_filters_by_kind_account_date_and_tag_and_follows_edits_and_deletes() {
        let (store, account) = book();
        let note = |body: &str, tags: Vec<String>| NoteInput {
            account_id: account.clone(),
            body_md: body.into(),
            tags,
            ..Default::default()
        };
        let win = store
            .create_note(&checked(note("Zebra rollout went live", vec!["win".into()])), None, now(), today())
            .unwrap();
        store.create_note(&checked(note("Zebra outage escalated", vec!["risk".into()])), None, now(), today()).unwrap();
        let tagged = SearchQuery { text: "zebra".into(), tag: "win".into(), ..Default::default() };
        assert_eq!(store.search(&tagged).unwrap().hits.len(), 1);
        let later = SearchQuery { text: "zebra".into(), from: "2026-12-01".into(), ..Default::default() };
        assert!(store.search(&later).unwrap().hits.is_empty());
        let contacts = SearchQuery { text: "zebra".into(), kinds: vec![SearchKind::Contact], ..Default::default() };
        assert!(store.search(&contacts).unwrap().hits.is_empty());

        let edited = checked(note("Giraffe rollout went live", vec!["win".into()]));
        store.update_note(&win.note.id, &edited, now()).unwrap();
        assert_eq!(search(&store, "zebra").len(), 1);
        assert_eq!(search(&store, "giraffe").len(), 1);
        store.delete_note(&win.note.id).unwrap();
        assert!(search(&store, "giraffe").is_empty());
        let name = store.account(&account).unwrap().name;
        assert!(search(&store, &name).iter().any(|(k, id)| *k == SearchKind::Account && *id == account));
        store.delete_account(&account).unwrap();
        assert!(search(&store, "zebra").is_empty(), "an account's records leave the index with it");
    }

    #[test]
    fn the_timeline_pages_newest_first_with_filters() {
        let (store, _) = book();
        let busiest = "SELECT account_id FROM timeline_events GROUP BY account_id ORDER BY count(*) DESC LIMIT 1";
        let account: String = store.conn().query_row(busiest, [], |r| r.get(0)).unwrap();
        let all = TimelineFilter { account_id: Some(account.clone()), limit: 1000, ..Default::default() };
        let everything = store.timeline(&all).unwrap().entries;
        assert!(everything.len() >= 3);
        let mut paged = Vec::new();
        let mut filter = TimelineFilter { account_id: Some(account), limit: 2, ..Default::default() };
        loop {
            let page = store.timeline(&filter).unwrap();
            paged.extend(page.entries.iter().map(|e| e.id.clone()));
            match page.next.as_deref().and_then(TimelineFilter::cursor) {
                Some(cursor) => filter.before = Some(cursor),
                None => break,
            }
        }
        assert_eq!(paged, everything.iter().map(|e| e.id.clone()).collect::<Vec<_>>());
        assert!(everything.windows(2).all(|w| w[0].occurred_at >= w[1].occurred_at));
        let band = TimelineFilter { kinds: vec![TimelineKind::HealthBand], limit: 50, ..Default::default() };
        assert!(store.timeline(&band).unwrap().entries.iter().all(|e| e.kind == TimelineKind::HealthBand));
    }

    #[test]
    fn a_one_megabyte_note_with_pasted_binary_is_saved_found_and_shown_as_text() {
        let (store, account) = book();
        let mut body = "minutes of the steering committee ".repeat(30_000);
        body.push_str("\u{0}\u{1}\u{7f} <script>alert(1)</script> '; DROP TABLE notes; -- quokka");
        let saved = store
            .create_note(
                &checked(NoteInput { account_id: account, body_md: body, ..Default::default() }),
                None,
                now(),
                today(),
            )
            .unwrap();
        assert!(saved.note.body_md.len() > 1_000_000);
        assert!(saved.note.body_md.ends_with("<script>alert(1)</script> '; DROP TABLE notes; -- quokka"));
        assert_eq!(search(&store, "quokka"), [(SearchKind::Note, saved.note.id)]);
    }

    #[test]
    fn an_attendee_from_another_account_is_refused_and_nothing_is_saved() {
        let (store, account) = book();
        let other = store.book(today()).unwrap()[1].id.clone();
        let stranger = store.contacts(&other).unwrap()[0].id.clone();
        let input = NoteInput {
            account_id: account,
            body_md: "Hello".into(),
            attendees: vec![Attendee { contact_id: Some(stranger), name: "Someone".into() }],
            ..Default::default()
        };
        let err = store.create_note(&checked(input), None, now(), today()).unwrap_err();
        assert_eq!(err.fields()[0].field, "attendees");
        assert!(search(&store, "hello").is_empty());
    }
}
