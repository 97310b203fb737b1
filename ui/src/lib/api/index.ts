// The one module that talks to the backend. Every other file calls these typed functions.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { Account } from '$lib/bindings/Account';
import type { AccountInput } from '$lib/bindings/AccountInput';
import type { AccountOverview } from '$lib/bindings/AccountOverview';
import type { AppStatus } from '$lib/bindings/AppStatus';
import type { Relationships } from '$lib/bindings/Relationships';
import type { StakeholderInput } from '$lib/bindings/StakeholderInput';
import type { StakeholderUpdate } from '$lib/bindings/StakeholderUpdate';
import type { BackupInfo } from '$lib/bindings/BackupInfo';
import type { ExportSummary } from '$lib/bindings/ExportSummary';
import type { ImportKind } from '$lib/bindings/ImportKind';
import type { ImportPreview } from '$lib/bindings/ImportPreview';
import type { ImportResult } from '$lib/bindings/ImportResult';
import type { BookView } from '$lib/bindings/BookView';
import type { CommandError } from '$lib/bindings/CommandError';
import type { ErrorKind } from '$lib/bindings/ErrorKind';
import type { Topic } from '$lib/bindings/Topic';
import type { Contact } from '$lib/bindings/Contact';
import type { ContactInput } from '$lib/bindings/ContactInput';
import type { FieldError } from '$lib/bindings/FieldError';
import type { HealthReport } from '$lib/bindings/HealthReport';
import type { Scorecard } from '$lib/bindings/Scorecard';
import type { ScorecardPreview } from '$lib/bindings/ScorecardPreview';
import type { SignalInput } from '$lib/bindings/SignalInput';
import type { PlannerSettings } from '$lib/bindings/PlannerSettings';
import type { Playbook } from '$lib/bindings/Playbook';
import type { PlaybookRun } from '$lib/bindings/PlaybookRun';
import type { Task } from '$lib/bindings/Task';
import type { TaskInput } from '$lib/bindings/TaskInput';
import type { TaskSaved } from '$lib/bindings/TaskSaved';
import type { WeekPlan } from '$lib/bindings/WeekPlan';
import type { ActionItem } from '$lib/bindings/ActionItem';
import type { Note } from '$lib/bindings/Note';
import type { NoteDraft } from '$lib/bindings/NoteDraft';
import type { NoteInput } from '$lib/bindings/NoteInput';
import type { NoteSaved } from '$lib/bindings/NoteSaved';
import type { NoteTemplate } from '$lib/bindings/NoteTemplate';
import type { SearchQuery } from '$lib/bindings/SearchQuery';
import type { SearchResults } from '$lib/bindings/SearchResults';
import type { TimelinePage } from '$lib/bindings/TimelinePage';
import type { TimelineQuery } from '$lib/bindings/TimelineQuery';
import type { DeckEdits } from '$lib/bindings/DeckEdits';
import type { DeckStyle } from '$lib/bindings/DeckStyle';
import type { Milestone } from '$lib/bindings/Milestone';
import type { MilestoneInput } from '$lib/bindings/MilestoneInput';
import type { Qbr } from '$lib/bindings/Qbr';
import type { QbrHeld } from '$lib/bindings/QbrHeld';
import type { QbrInput } from '$lib/bindings/QbrInput';
import type { QbrView } from '$lib/bindings/QbrView';
import type { SuccessMetric } from '$lib/bindings/SuccessMetric';
import type { SuccessMetricInput } from '$lib/bindings/SuccessMetricInput';
import type { SuccessPlan } from '$lib/bindings/SuccessPlan';
import type { CrmSettings } from '$lib/bindings/CrmSettings';
import type { AccountRenewal } from '$lib/bindings/AccountRenewal';
import type { ForecastDiff } from '$lib/bindings/ForecastDiff';
import type { OutcomeInput } from '$lib/bindings/OutcomeInput';
import type { RenewalInput } from '$lib/bindings/RenewalInput';
import type { AccountRisks } from '$lib/bindings/AccountRisks';
import type { Ask } from '$lib/bindings/Ask';
import type { AskInput } from '$lib/bindings/AskInput';
import type { AskerInput } from '$lib/bindings/AskerInput';
import type { AsksView } from '$lib/bindings/AsksView';
import type { CaptureLine } from '$lib/bindings/CaptureLine';
import type { PlanStepInput } from '$lib/bindings/PlanStepInput';
import type { Risk } from '$lib/bindings/Risk';
import type { RiskDetail } from '$lib/bindings/RiskDetail';
import type { RiskInput } from '$lib/bindings/RiskInput';
import type { RisksView } from '$lib/bindings/RisksView';
import type { RenewalOutcome } from '$lib/bindings/RenewalOutcome';
import type { RenewalSettings } from '$lib/bindings/RenewalSettings';
import type { RenewalSuggestion } from '$lib/bindings/RenewalSuggestion';
import type { RenewalSettingsInput } from '$lib/bindings/RenewalSettingsInput';
import type { RenewalWindow } from '$lib/bindings/RenewalWindow';
import type { RenewalsView } from '$lib/bindings/RenewalsView';
import type { RetentionReport } from '$lib/bindings/RetentionReport';
import type { CrmStatus } from '$lib/bindings/CrmStatus';
import type { CrmOwner } from '$lib/bindings/CrmOwner';
import type { Deal } from '$lib/bindings/Deal';
import type { Resolution } from '$lib/bindings/Resolution';
import type { SyncApplied } from '$lib/bindings/SyncApplied';
import type { PreviewQuery } from '$lib/bindings/PreviewQuery';
import type { SyncPreview } from '$lib/bindings/SyncPreview';
import type { SyncProgress } from '$lib/bindings/SyncProgress';
import type { SyncRun } from '$lib/bindings/SyncRun';
import type { Brief } from '$lib/bindings/Brief';
import type { CalendarInput } from '$lib/bindings/CalendarInput';
import type { CalendarSource } from '$lib/bindings/CalendarSource';
import type { CalendarsView } from '$lib/bindings/CalendarsView';
import type { Meeting } from '$lib/bindings/Meeting';
import type { ReminderSettings } from '$lib/bindings/ReminderSettings';

/** A backend error in plain words, with per-field problems for forms. */
export class ApiError extends Error {
	readonly kind: ErrorKind;
	readonly fields: FieldError[];

	constructor(error: CommandError) {
		super(error.message);
		this.kind = error.kind;
		this.fields = error.fields;
	}

	/** Every field's message, keyed by field name, for a form. */
	fieldMessages(): Record<string, string> {
		return Object.fromEntries(this.fields.map((f) => [f.field, f.message]));
	}

	/** The message for one field, if the backend reported one. */
	fieldMessage(field: string): string | undefined {
		return this.fields.find((f) => f.field === field)?.message;
	}
}

function isCommandError(value: unknown): value is CommandError {
	return typeof value === 'object' && value !== null && 'kind' in value && 'message' in value;
}

/** Normalises whatever `invoke` rejected with into an ApiError. */
export function toApiError(error: unknown): ApiError {
	if (error instanceof ApiError) return error;
	if (isCommandError(error)) return new ApiError({ ...error, fields: error.fields ?? [] });
	const message = error instanceof Error ? error.message : String(error);
	return new ApiError({ kind: 'internal', message: `Something went wrong: ${message}`, fields: [] });
}

/** How many commands the UI has sent: the real-app suite reads it (as `window.__csmDeskCalls`)
 *  to check that a page left alone stops calling the backend. */
export const sent = { commands: 0, announcements: 0 };
(globalThis as { __csmDeskCalls?: typeof sent }).__csmDeskCalls = sent;

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
	sent.commands += 1;
	try {
		return await invoke<T>(command, args);
	} catch (error) {
		throw toApiError(error);
	}
}

/** A command whose body is a file's raw bytes (no JSON round trip for large files). */
async function callRaw<T>(command: string, body: Uint8Array, headers: Record<string, string>): Promise<T> {
	sent.commands += 1;
	try {
		return await invoke<T>(command, body, { headers });
	} catch (error) {
		throw toApiError(error);
	}
}

/** What the backend announces on its own. */
export const events = {
	/** What the backend's writes changed (after a command, the start-of-day job, a restore). */
	onChanged: (handler: (topics: Topic[]) => void) =>
		listen<Topic[]>('changed', (e) => {
			sent.announcements += 1;
			handler(e.payload);
		}),
	/** Where the sync under way is, as it goes. */
	onSyncProgress: (handler: (progress: SyncProgress) => void) => listen<SyncProgress>('sync-progress', (e) => handler(e.payload)),
	/** The CSM clicked "Open brief" on a meeting's reminder: the meeting's id. */
	onOpenBrief: (handler: (meetingId: string) => void) => listen<string>('open-brief', (e) => handler(e.payload))
};

export const api = {
	appStatus: () => call<AppStatus>('app_status'),
	reopenDatabase: () => call<AppStatus>('reopen_database'),
	startBook: (sample: boolean) => call<AppStatus>('start_book', { sample }),
	/** The first view is on screen (logged with the start-up time). */
	windowPainted: () => call<void>('window_painted'),

	book: () => call<BookView>('book'),
	accountOverview: (id: string) => call<AccountOverview>('account_overview', { id }),
	createAccount: (input: AccountInput) => call<Account>('create_account', { input }),
	updateAccount: (id: string, input: AccountInput) => call<AccountOverview>('update_account', { id, input }),
	setAccountArchived: (id: string, archived: boolean) => call<Account>('set_account_archived', { id, archived }),
	deleteAccount: (id: string) => call<null>('delete_account', { id }),

	createContact: (accountId: string, input: ContactInput) => call<Contact>('create_contact', { accountId, input }),
	/** The account's people: stakeholders, coverage, suggested contacts and the org chart (`collapsed`: null for the default folds). */
	relationships: (accountId: string, collapsed: string[] | null = null) => call<Relationships>('relationships', { accountId, collapsed }),
	updateStakeholder: (id: string, input: StakeholderInput) => call<Contact>('update_stakeholder', { id, input }),
	/** The org chart's drag: `managerId` null puts the person at the top. */
	setReportsTo: (id: string, managerId: string | null) => call<Contact>('set_reports_to', { id, managerId }),
	/** What a note's `@name stance:` lines will do when it is saved. */
	stakeholderUpdates: (accountId: string, bodyMd: string) => call<StakeholderUpdate[]>('stakeholder_updates', { accountId, bodyMd }),
	addSuggestedContact: (accountId: string, name: string) => call<Contact>('add_suggested_contact', { accountId, name }),
	dismissSuggestedContact: (accountId: string, name: string) => call<null>('dismiss_suggested_contact', { accountId, name }),
	updateContact: (id: string, input: ContactInput) => call<Contact>('update_contact', { id, input }),
	deleteContact: (id: string) => call<null>('delete_contact', { id }),

	healthReport: (accountId: string) => call<HealthReport>('health_report', { accountId }),
	recordSignal: (accountId: string, input: SignalInput) => call<HealthReport>('record_signal', { accountId, input }),
	deleteSignal: (id: string) => call<null>('delete_signal', { id }),
	scorecard: () => call<Scorecard>('scorecard'),
	defaultScorecard: () => call<Scorecard>('default_health_scorecard'),
	previewScorecard: (card: Scorecard) => call<ScorecardPreview>('preview_scorecard', { card }),
	saveScorecard: (card: Scorecard) => call<null>('save_scorecard', { card }),

	createTask: (input: TaskInput) => call<TaskSaved>('create_task', { input }),
	updateTask: (id: string, input: TaskInput) => call<TaskSaved>('update_task', { id, input }),
	completeTask: (id: string) => call<Task>('complete_task', { id }),
	reopenTask: (id: string) => call<Task>('reopen_task', { id }),
	snoozeTask: (id: string, until: string) => call<Task>('snooze_task', { id, until }),
	moveTask: (id: string, day: string) => call<Task>('move_task', { id, day }),
	cancelTask: (id: string) => call<Task>('cancel_task', { id }),
	deleteTask: (id: string) => call<null>('delete_task', { id }),
	accountTasks: (accountId: string) => call<Task[]>('account_tasks', { accountId }),

	/** The week holding `weekOf` ("" for the current week, or the coming one at the weekend). */
	weekPlan: (weekOf: string) => call<WeekPlan>('week_plan', { weekOf }),
	acceptSuggestion: (accountId: string, weekOf: string, day: string | null = null) =>
		call<Task>('accept_suggestion', { accountId, weekOf, day }),
	dismissSuggestion: (accountId: string, weekOf: string) => call<null>('dismiss_suggestion', { accountId, weekOf }),
	restoreSuggestion: (accountId: string, weekOf: string) => call<null>('restore_suggestion', { accountId, weekOf }),
	plannerSettings: () => call<PlannerSettings>('planner_settings'),
	savePlannerSettings: (settings: PlannerSettings) => call<null>('save_planner_settings', { settings }),
	playbooks: () => call<Playbook[]>('playbooks'),
	defaultPlaybooks: () => call<Playbook[]>('default_playbooks'),
	savePlaybooks: (books: Playbook[]) => call<PlaybookRun>('save_playbooks', { books }),
	runPlaybooks: () => call<PlaybookRun>('run_playbooks'),
	/** Creates another day's worth of the playbook tasks held back by the daily limit. */
	planHeldBackTasks: () => call<PlaybookRun>('plan_held_back_tasks'),
	/** Opens a save dialog; resolves to the saved path, or null when the CSM cancels. */
	exportWeekIcs: (weekOf: string) => call<string | null>('export_week_ics', { weekOf }),

	noteTemplates: () => call<NoteTemplate[]>('note_templates'),
	defaultNoteTemplates: () => call<NoteTemplate[]>('default_note_templates'),
	saveNoteTemplates: (templates: NoteTemplate[]) => call<null>('save_note_templates', { templates }),
	/** The next steps in a note's checklist, with due dates read relative to the note's day. */
	actionItems: (bodyMd: string, occurredAt: string) => call<ActionItem[]>('action_items', { bodyMd, occurredAt }),
	createNote: (input: NoteInput, draftId: string | null) => call<NoteSaved>('create_note', { input, draftId }),
	updateNote: (id: string, input: NoteInput) => call<Note>('update_note', { id, input }),
	note: (id: string) => call<Note>('note', { id }),
	deleteNote: (id: string) => call<null>('delete_note', { id }),
	saveDraft: (id: string, accountId: string | null, payload: string) => call<null>('save_draft', { id, accountId, payload }),
	drafts: () => call<NoteDraft[]>('drafts'),
	discardDraft: (id: string) => call<null>('discard_draft', { id }),
	timeline: (query: TimelineQuery) => call<TimelinePage>('timeline', { query }),
	search: (query: SearchQuery) => call<SearchResults>('search', { query }),
	/** Opens an http(s) or mailto link in the system browser. */
	openLink: (url: string) => call<null>('open_link', { url }),

	renewals: (window: RenewalWindow) => call<RenewalsView>('renewals', { window }),
	updateRenewal: (accountId: string, input: RenewalInput) => call<null>('update_renewal', { accountId, input }),
	/** Records what happened at the account's renewal; its ARR and next renewal date follow. */
	recordOutcome: (accountId: string, input: OutcomeInput) => call<RenewalOutcome>('record_outcome', { accountId, input }),
	accountRenewal: (accountId: string) => call<AccountRenewal>('account_renewal', { accountId }),
	/** Retention over a window (a quarter or 12 months), up to today. */
	retention: (window: RenewalWindow) => call<RetentionReport>('retention', { window }),
	forecastDiff: () => call<ForecastDiff>('forecast_diff'),
	/** What the CRM's renewal deals suggest (never applied until the CSM picks one). */
	renewalSuggestions: () => call<RenewalSuggestion[]>('renewal_suggestions'),
	takeForecastSnapshot: () => call<ForecastDiff>('take_forecast_snapshot'),
	renewalSettings: () => call<RenewalSettings>('renewal_settings'),
	saveRenewalSettings: (input: RenewalSettingsInput) => call<RenewalSettings>('save_renewal_settings', { input }),
	/** Asks where to save the window's forecast as CSV; the path, or null when cancelled. */
	exportRenewalsCsv: (window: RenewalWindow) => call<string | null>('export_renewals_csv', { window }),

	risks: () => call<RisksView>('risks'),
	accountRisks: (accountId: string) => call<AccountRisks>('account_risks', { accountId }),
	risk: (id: string) => call<RiskDetail>('risk', { id }),
	riskReasons: () => call<string[]>('risk_reasons'),
	/** The CSM's own list of risk reasons (Settings). */
	configuredRiskReasons: () => call<string[]>('configured_risk_reasons'),
	saveRiskReasons: (reasons: string[]) => call<string[]>('save_risk_reasons', { reasons }),
	/** Opens a risk; `fromNote`: a note tagged "risk" before risks existed, taken up. */
	createRisk: (input: RiskInput, fromNote: string | null = null) => call<Risk>('create_risk', { input, fromNote }),
	updateRisk: (id: string, input: RiskInput) => call<Risk>('update_risk', { id, input }),
	deleteRisk: (id: string) => call<null>('delete_risk', { id }),
	/** A save-plan step: a task of the account. */
	addPlanStep: (riskId: string, input: PlanStepInput) => call<RiskDetail>('add_plan_step', { riskId, input }),
	addRiskUpdate: (riskId: string, body: string, onDay = '') => call<RiskDetail>('add_risk_update', { riskId, body, onDay }),
	dismissRiskSuggestion: (accountId: string, trigger: string) => call<null>('dismiss_risk_suggestion', { accountId, trigger }),
	dismissTaggedNote: (noteId: string, kind: 'risk' | 'ask') => call<null>('dismiss_tagged_note', { noteId, kind }),
	/** What a note's `risk:` and `ask:` lines will do when it is saved. */
	capturePreview: (accountId: string, bodyMd: string) => call<CaptureLine[]>('capture_preview', { accountId, bodyMd }),
	asks: () => call<AsksView>('asks'),
	createAsk: (input: AskInput, asker: AskerInput | null, fromNote: string | null = null) =>
		call<Ask>('create_ask', { input, asker, fromNote }),
	updateAsk: (id: string, input: AskInput) => call<Ask>('update_ask', { id, input }),
	addAsker: (askId: string, asker: AskerInput) => call<Ask>('add_asker', { askId, asker }),
	removeAsker: (askId: string, accountId: string) => call<Ask>('remove_asker', { askId, accountId }),
	deleteAsk: (id: string) => call<null>('delete_ask', { id }),
	/** Asks where to save the ranked asks; the path, or null when cancelled. */
	exportAsks: (format: 'csv' | 'markdown') => call<string | null>('export_asks', { format }),

	backups: () => call<BackupInfo[]>('backups'),
	backUpNow: () => call<BackupInfo>('back_up_now'),
	/** Replaces the book with a backup (the current book is backed up first). */
	restoreBackup: (fileName: string) => call<AppStatus>('restore_backup', { fileName }),
	/** Asks for a database file, then restores it; null when the CSM cancels. */
	restoreFromFile: () => call<AppStatus | null>('restore_from_file'),
	backupsKept: () => call<number>('backups_kept'),
	setBackupsKept: (keep: number) => call<null>('set_backups_kept', { keep }),
	/** Asks for a folder and exports everything into it; null when the CSM cancels. */
	exportBook: () => call<ExportSummary | null>('export_book'),
	/** Asks where to save the account's Markdown dossier; the path, or null when cancelled. */
	exportAccount: (id: string) => call<string | null>('export_account', { id }),

	/** Reads a CSV file's bytes, proposes a column mapping and previews the import. */
	importRead: (kind: ImportKind, bytes: Uint8Array) => callRaw<ImportPreview>('import_read', bytes, { 'x-import-kind': kind }),
	importPreview: (mapping: (string | null)[]) => call<ImportPreview>('import_preview', { mapping }),
	importApply: (mapping: (string | null)[]) => call<ImportResult>('import_apply', { mapping }),
	importCancel: () => call<null>('import_cancel'),

	successPlan: (accountId: string) => call<SuccessPlan>('success_plan', { accountId }),
	createMetric: (accountId: string, input: SuccessMetricInput) => call<SuccessMetric>('create_metric', { accountId, input }),
	updateMetric: (id: string, input: SuccessMetricInput) => call<SuccessMetric>('update_metric', { id, input }),
	deleteMetric: (id: string) => call<null>('delete_metric', { id }),
	createMilestone: (accountId: string, input: MilestoneInput) => call<Milestone>('create_milestone', { accountId, input }),
	updateMilestone: (id: string, input: MilestoneInput) => call<Milestone>('update_milestone', { id, input }),
	deleteMilestone: (id: string) => call<null>('delete_milestone', { id }),
	accountQbrs: (accountId: string) => call<Qbr[]>('account_qbrs', { accountId }),
	/** An empty period is the last full quarter. */
	createQbr: (accountId: string, input: QbrInput) => call<Qbr>('create_qbr', { accountId, input }),
	updateQbr: (id: string, input: QbrInput) => call<Qbr>('update_qbr', { id, input }),
	deleteQbr: (id: string) => call<null>('delete_qbr', { id }),
	/** The QBR, its draft (assembled now from the account's data, with the CSM's edits) and slides. */
	qbrView: (id: string) => call<QbrView>('qbr_view', { id }),
	saveDeckEdits: (id: string, edits: DeckEdits) => call<QbrView>('save_deck_edits', { id, edits }),
	markQbrHeld: (id: string, note: NoteInput) => call<QbrHeld>('mark_qbr_held', { id, note }),
	deckStyle: () => call<DeckStyle>('deck_style'),
	saveDeckStyle: (style: DeckStyle) => call<DeckStyle>('save_deck_style', { style }),
	/** A font file for the PDF ("regular", "bold", "cjk", "symbols"). */
	deckFont: (role: 'regular' | 'bold' | 'cjk' | 'symbols') =>
		call<ArrayBuffer>('deck_font', { role }).then((buffer) => new Uint8Array(buffer)),
	/** Asks where to save the deck the UI built and writes it; the path, or null when cancelled. */
	saveDeck: (id: string, format: 'pptx' | 'pdf', bytes: Uint8Array) =>
		callRaw<string | null>('save_deck', bytes, { 'x-qbr-id': id, 'x-deck-format': format }),
	exportQbrMarkdown: (id: string) => call<string | null>('export_qbr_markdown', { id }),

	crmStatus: () => call<CrmStatus>('crm_status'),
	/** The connection form's defaults for "hubspot" or "salesforce". */
	crmDefaults: (system: 'hubspot' | 'salesforce') => call<CrmSettings>('crm_defaults', { system }),
	/** Checks the token with HubSpot, then keeps it in the OS keychain (never in the book). */
	connectHubspot: (settings: CrmSettings, token: string) => call<CrmStatus>('connect_hubspot', { settings, token }),
	/** Opens Salesforce's sign-in in the browser and resolves once the CSM has signed in (cancelSync stops
	 *  the wait); the tokens go to the OS keychain. */
	connectSalesforce: (settings: CrmSettings) => call<CrmStatus>('connect_salesforce', { settings }),
	/** Forgets the connected CRM's credentials; synced records stay. */
	disconnectCrm: () => call<CrmStatus>('disconnect_crm'),
	/** Pulls what changed into the preview; resolves when the run ends (progress: events.onSyncProgress). */
	syncNow: () => call<SyncRun>('sync_now'),
	cancelSync: () => call<null>('cancel_sync'),
	/** One page of the preview (the whole of it when `query` is null). */
	syncPreview: (query: PreviewQuery | null = null) => call<SyncPreview>('sync_preview', { query }),
	/** Applies all previewed records (or only `remoteIds`, or all but `skipIds`) with the CSM's conflict
	 *  choices, then pushes the notes and tasks in `pushIds` (all waiting ones when null, less `heldIds`). */
	applySync: (
		remoteIds: string[] | null,
		resolutions: Resolution[],
		pushIds: string[] | null = null,
		skipIds: string[] | null = null,
		heldIds: string[] | null = null
	) => call<SyncApplied>('apply_sync', { remoteIds, resolutions, pushIds, skipIds, heldIds }),
	syncLog: () => call<SyncRun[]>('sync_log'),
	crmOwners: () => call<CrmOwner[]>('crm_owners'),
	/** Syncs only the accounts of this owner ("" for all). */
	setCrmScope: (ownerId: string) => call<CrmStatus>('set_crm_scope', { ownerId }),
	accountDeals: (accountId: string) => call<Deal[]>('account_deals', { accountId }),

	calendars: () => call<CalendarsView>('calendars'),
	/** Adds a calendar: a file or folder is picked in a native dialog (null when cancelled); an
	 *  address is kept in the keychain. */
	addCalendar: (input: CalendarInput) => call<CalendarSource | null>('add_calendar', { input }),
	refreshCalendar: (id: string) => call<CalendarSource>('refresh_calendar', { id }),
	deleteCalendar: (id: string) => call<null>('delete_calendar', { id }),
	/** Meetings with this domain belong to the account from now on; how many now do. */
	assignMeetingDomain: (domain: string, accountId: string) => call<number>('assign_meeting_domain', { domain, accountId }),
	setInternalDomains: (text: string) => call<string[]>('set_internal_domains', { text }),
	saveReminderSettings: (settings: ReminderSettings) => call<ReminderSettings>('save_reminder_settings', { settings }),
	testReminder: () => call<null>('test_reminder'),
	/** The brief for a meeting, or for an account (before its next meeting). */
	brief: (target: BriefTarget) => call<Brief>('brief', { ...target }),
	exportBrief: (target: BriefTarget) => call<string | null>('export_brief', { ...target }),
	/** Saves the brief's PDF (drawn here) where the CSM chooses; null when cancelled. */
	saveBriefPdf: (accountId: string, bytes: Uint8Array) => callRaw<string | null>('save_brief_pdf', bytes, { 'x-account-id': accountId }),
	/** "Log this call": the note editor's start for a meeting that happened. */
	meetingNote: (meetingId: string) => call<NoteInput>('meeting_note', { meetingId }),
	accountMeetings: (accountId: string) => call<Meeting[]>('account_meetings', { accountId })
};

/** What a brief is for: a meeting, or an account. */
export type BriefTarget = { meetingId: string; accountId?: undefined } | { accountId: string; meetingId?: undefined };
