// The Sync page's state in one place: the connection, the preview page shown, the CSM's choices
// (conflict sides, unticked records, notes and tasks held back), the running sync's progress and
// the log. The page and its parts (connect form, preview, outbox, log) read and act through it.
import { api, events, toApiError } from '$lib/api';
import { app } from '$lib/app.svelte';
import type { Choice } from '$lib/bindings/Choice';
import type { CrmOwner } from '$lib/bindings/CrmOwner';
import type { CrmSettings } from '$lib/bindings/CrmSettings';
import type { CrmStatus } from '$lib/bindings/CrmStatus';
import type { PreviewQuery } from '$lib/bindings/PreviewQuery';
import type { RecordChange } from '$lib/bindings/RecordChange';
import type { SyncField } from '$lib/bindings/SyncField';
import type { SyncPreview } from '$lib/bindings/SyncPreview';
import type { SyncProgress } from '$lib/bindings/SyncProgress';
import type { SyncRun } from '$lib/bindings/SyncRun';
import { count } from '$lib/format';
import { CONFIRM_PUSH_OVER, crmProblem } from '$lib/sync';

export type CrmChoice = 'hubspot' | 'salesforce';
export const CRM_NAMES = { hubspot: 'HubSpot', salesforce: 'Salesforce' } as const;
/** Records per preview page; notes and tasks per outbox page. */
export const PREVIEW_PAGE = 50;
export const OUTBOX_PAGE = 100;

export const conflicts = (r: RecordChange) => r.fields.filter((f) => f.action === 'conflict');

export class SyncDesk {
	status = $state<CrmStatus | null>(null);
	preview = $state<SyncPreview | null>(null);
	log = $state<SyncRun[]>([]);
	progress = $state<SyncProgress | null>(null);
	running = $state(false);
	/** The connection form (before connecting), and the HubSpot token typed into it. */
	form = $state<CrmSettings | null>(null);
	token = $state('');
	errors = $state<Record<string, string>>({});
	/** The CSM's pick per record (by remote id) and conflicting field. */
	choices = $state<Record<string, Partial<Record<SyncField, Choice>>>>({});
	/** Records unticked: left staged by this apply. */
	skipped = $state<Record<string, boolean>>({});
	/** Notes and tasks the CSM keeps back from this push. */
	held = $state<Record<string, boolean>>({});
	owners = $state<CrmOwner[]>([]);
	/** The CRM the connection form is for. */
	system = $state<CrmChoice>('hubspot');
	signingIn = $state(false);
	/** Which page of the preview is shown: a real first sync stages tens of thousands of records. */
	query = $state<PreviewQuery>({
		entity: null,
		action: null,
		attention: false,
		text: '',
		offset: 0,
		limit: PREVIEW_PAGE,
		outbox_offset: 0
	});
	/** Working out the preview (or applying it): the list is replaced by a progress line meanwhile. */
	previewing = $state<string | null>(null);
	confirmingPush = $state(false);

	/** The connected CRM's name (or the form's, before connecting). */
	crm = $derived(
		this.status?.system === 'salesforce' || (!this.status?.connected && this.system === 'salesforce')
			? CRM_NAMES.salesforce
			: CRM_NAMES.hubspot
	);
	skippedCount = $derived(Object.values(this.skipped).filter(Boolean).length);
	heldCount = $derived(Object.values(this.held).filter(Boolean).length);
	toPush = $derived((this.preview?.outbox_total ?? 0) - this.heldCount);
	totalStaged = $derived(this.preview ? this.preview.counts.reduce((n, c) => n + c.records, 0) : 0);

	#asked = 0;
	#typing: ReturnType<typeof setTimeout> | undefined;
	#stopListening: (() => void) | undefined;

	/** Stops listening and typing timers when the page goes. */
	destroy() {
		this.#stopListening?.();
		clearTimeout(this.#typing);
	}

	async loadPreview() {
		const mine = ++this.#asked;
		this.previewing = this.preview ? null : 'Working out what would change…';
		try {
			const page = await api.syncPreview($state.snapshot(this.query));
			if (mine === this.#asked) this.preview = page;
		} catch (e) {
			app.fail(e);
		} finally {
			if (mine === this.#asked) this.previewing = null;
		}
	}

	async load() {
		try {
			this.status = await api.crmStatus();
			if (this.status.system === 'hubspot' || this.status.system === 'salesforce') this.system = this.status.system;
			if (!this.status.connected) this.form ??= { ...this.status.settings };
			else if (!this.owners.length)
				api.crmOwners().then(
					(list) => (this.owners = list),
					() => {}
				);
			const [, runs] = await Promise.all([this.loadPreview(), api.syncLog()]);
			this.log = runs;
		} catch (e) {
			app.fail(e);
		}
	}

	filter(change: Partial<PreviewQuery>) {
		this.query = { ...this.query, offset: 0, ...change };
		void this.loadPreview();
	}

	search(text: string) {
		clearTimeout(this.#typing);
		this.#typing = setTimeout(() => this.filter({ text }), 200);
	}

	turnPage(offset: number, outbox = false) {
		const at = Math.max(0, offset);
		this.query = outbox ? { ...this.query, outbox_offset: at } : { ...this.query, offset: at };
		void this.loadPreview();
	}

	async chooseSystem(next: CrmChoice) {
		this.system = next;
		this.errors = {};
		this.form = await api.crmDefaults(next).catch((e) => (app.fail(e), this.form));
	}

	async connect() {
		if (!this.form) return;
		this.errors = {};
		this.signingIn = this.system === 'salesforce';
		try {
			this.status = this.system === 'salesforce' ? await api.connectSalesforce(this.form) : await api.connectHubspot(this.form, this.token);
			this.token = '';
			this.form = null;
			app.notify(`${this.crm} connected. The ${this.system === 'salesforce' ? 'sign-in' : 'token'} is kept in your system keychain.`);
			await this.load();
		} catch (e) {
			const err = toApiError(e);
			this.errors = err.kind === 'invalid' ? { ...err.fieldMessages(), form: err.message } : { form: crmProblem(err) };
		} finally {
			this.signingIn = false;
		}
	}

	async disconnect() {
		this.status = await api.disconnectCrm().catch((e) => (app.fail(e), this.status));
		const settings = this.status?.settings;
		if (settings && !this.status?.connected) {
			this.owners = [];
			this.form = await api.crmDefaults(this.system).catch(() => ({ ...settings }));
		}
	}

	async setScope(ownerId: string) {
		try {
			this.status = await api.setCrmScope(ownerId);
		} catch (e) {
			app.fail(e);
		}
	}

	async syncNow() {
		if (this.running) return;
		this.running = true;
		this.progress = { phase: 'Starting', pulled: 0, pushed: 0, requests: 0 };
		this.#stopListening = await events.onSyncProgress((p) => (this.progress = p)).catch(() => undefined);
		try {
			const run = await api.syncNow();
			if (run.status === 'done') app.notify(`Pulled ${count(run.pulled)} changes to review. Nothing changes until you apply.`);
			else app.notify(run.errors.at(-1) ?? `Sync ${run.status}.`, run.status === 'cancelled' ? 'info' : 'error');
		} catch (e) {
			const err = toApiError(e);
			app.notify(crmProblem(err), err.kind === 'cancelled' ? 'info' : 'error');
		} finally {
			this.#stopListening?.();
			this.running = false;
			this.progress = null;
			this.preview = null;
			await this.load();
		}
	}

	unresolved(r: RecordChange) {
		return conflicts(r).some((f) => !this.choices[r.remote_id]?.[f.field]);
	}

	choose(r: RecordChange, field: SyncField, choice: Choice) {
		this.choices = { ...this.choices, [r.remote_id]: { ...this.choices[r.remote_id], [field]: choice } };
	}

	/** Every conflict, on every page: they are few, so all of them are fetched at once. */
	async chooseAll(choice: Choice) {
		try {
			// u32::MAX: the whole list (PreviewQuery::everything on the backend), not one page.
			const all = await api.syncPreview({ ...$state.snapshot(this.query), attention: true, text: '', offset: 0, limit: 4294967295 });
			for (const r of all.records) for (const f of conflicts(r)) this.choose(r, f.field, choice);
		} catch (e) {
			app.fail(e);
		}
	}

	async apply(confirmed = false) {
		if (!this.preview) return;
		if (this.toPush > CONFIRM_PUSH_OVER && !confirmed) {
			this.confirmingPush = true;
			return;
		}
		this.confirmingPush = false;
		const skip = Object.keys(this.skipped).filter((id) => this.skipped[id]);
		const keep = Object.keys(this.held).filter((id) => this.held[id]);
		const resolutions = Object.entries(this.choices).flatMap(([remote_id, fields]) =>
			(Object.entries(fields) as [SyncField, Choice][]).map(([field, choice]) => ({ remote_id, field, choice }))
		);
		const pushing = this.toPush > 0 ? ` and pushing ${this.toPush}` : '';
		this.previewing = `Applying ${count(this.totalStaged - skip.length)} records${pushing}…`;
		this.preview = null;
		try {
			const done = await api.applySync(null, resolutions, null, skip, keep);
			const left = done.left ? `; ${done.left} left for later` : '';
			const pushed = done.pushed ? `; ${done.pushed} pushed to ${this.crm}` : '';
			app.notify(`Applied: ${count(done.created)} new, ${count(done.updated)} updated, ${count(done.archived)} archived${left}${pushed}.`);
			if (done.push_errors.length) app.notify(done.push_errors.join(' '), 'error');
			this.choices = {};
			this.skipped = {};
			this.held = {};
			this.query = { ...this.query, offset: 0, outbox_offset: 0 };
		} catch (e) {
			app.fail(e);
		}
		await this.load();
	}
}
