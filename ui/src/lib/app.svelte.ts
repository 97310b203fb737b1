// App-wide state: the backend's status, the Book's rows (shared by the Book and the palette),
// which overlay is open, and messages for the CSM.
import { api, events, toApiError, type BriefTarget } from '$lib/api';
import { isTyping } from '$lib/shortcuts';
import { tick } from 'svelte';
import type { AppStatus } from '$lib/bindings/AppStatus';
import type { BookRow } from '$lib/bindings/BookRow';
import type { PortfolioHealth } from '$lib/bindings/PortfolioHealth';
import type { Task } from '$lib/bindings/Task';
import type { Topic } from '$lib/bindings/Topic';
import type { RiskInput } from '$lib/bindings/RiskInput';

/** What the Book's rows show: a change to any of these reads the Book again. */
const BOOK_TOPICS: Topic[] = ['accounts', 'contacts', 'health', 'timeline', 'renewals'];

/** The task dialog: a new task (maybe for an account, on a day), or an existing one to edit. */
export type TaskDialog = { mode: 'new'; accountId?: string; due?: string } | { mode: 'edit'; task: Task };

/** A new risk to open on an account, maybe prefilled (a suggestion's reason, a tagged note). */
export interface RiskDialogRequest {
	accountId: string;
	accountName: string;
	prefill?: Partial<RiskInput>;
	/** A note tagged "risk" before risks existed, taken up by this risk. */
	fromNote?: string;
}

export interface Notice {
	id: number;
	kind: 'error' | 'info';
	text: string;
	/** Reverses what the notice reports (its Undo button, or Ctrl+Z while it shows). */
	undo?: () => Promise<unknown>;
}

class AppModel {
	status = $state<AppStatus | null>(null);
	startupError = $state<string | null>(null);
	rows = $state<BookRow[]>([]);
	portfolio = $state<PortfolioHealth | null>(null);
	rowsLoaded = $state(false);
	paletteOpen = $state(false);
	/** What choosing an account in the palette does: open it, log a call on it, or add a task. */
	paletteMode = $state<'all' | 'log-call' | 'new-task' | 'new-qbr' | 'org-chart' | 'new-risk' | 'brief'>('all');
	/** The account page opens its People section on the org chart (set by the palette). */
	peopleChart = $state(false);
	helpOpen = $state(false);
	newAccountOpen = $state(false);
	taskDialog = $state<TaskDialog | null>(null);
	/** A new risk being opened on an account (from the palette, a suggestion or a tagged note). */
	riskDialog = $state<RiskDialogRequest | null>(null);
	/** The brief shown before a meeting (b on a meeting or an account, a reminder's "Open brief"). */
	brief = $state<BriefTarget | null>(null);
	/** Bumped when the backend announces a change, so the views showing the book's records reload. */
	dataVersion = $state(0);
	notices = $state<Notice[]>([]);
	private nextNotice = 1;

	/** Hears what the backend's writes changed (a command, the start-of-day job, a restore) and
	 *  refreshes the views showing it; once per app session. No view is told by hand. */
	private listening = false;
	listenForChanges() {
		if (this.listening) return;
		this.listening = true;
		events.onChanged((topics) => this.changed(topics)).catch(() => (this.listening = false));
		events.onOpenBrief((meetingId) => (this.brief = { meetingId })).catch(() => undefined);
	}

	changed(topics: Topic[]) {
		if (this.status?.state !== 'ready') return;
		if (topics.some((t) => BOOK_TOPICS.includes(t))) void this.refreshBook();
		if (topics.some((t) => t !== 'sync')) this.dataVersion += 1;
	}

	async loadStatus() {
		this.listenForChanges();
		try {
			await this.enter(await api.appStatus());
			this.startupError = null;
			afterPaint(() => void api.windowPainted().catch(() => {}));
		} catch (error) {
			this.startupError = toApiError(error).message;
		}
	}

	/** The book's state as the backend reports it (after start, a first run, a restore); a book
	 *  that becomes ready is read. */
	async enter(status: AppStatus) {
		this.status = status;
		if (status.state === 'ready') await this.refreshBook();
	}

	async refreshBook() {
		try {
			const book = await api.book();
			this.rows = book.rows;
			this.portfolio = book.portfolio;
			this.rowsLoaded = true;
		} catch (error) {
			this.fail(error);
		}
	}

	/** An overlay (the palette, the shortcuts, a dialog) has the keyboard: pages leave keys alone. */
	get overlayOpen(): boolean {
		return this.paletteOpen || this.helpOpen || this.newAccountOpen || !!this.taskDialog || !!this.riskDialog || !!this.brief;
	}

	/** A key press no overlay, field or modifier claims. */
	keyboardFree(event: KeyboardEvent): boolean {
		return !this.overlayOpen && !isTyping(event) && !event.ctrlKey && !event.metaKey && !event.altKey;
	}

	/** Set by the layout while a key sequence ("g …") is being typed. */
	keySequence = false;

	/** A key press a page's single-key shortcuts may act on: the keyboard is free and the key is
	 *  not part of a sequence. The one guard every page uses. */
	pageMayAct(event: KeyboardEvent): boolean {
		return this.keyboardFree(event) && !this.keySequence;
	}

	notify(text: string, kind: Notice['kind'] = 'info', undo?: () => Promise<unknown>) {
		const id = this.nextNotice++;
		this.notices = [...this.notices, { id, kind, text, undo }];
		setTimeout(() => this.dismiss(id), kind === 'error' ? 8000 : undo ? 7000 : 3500);
	}

	/** Undoes what the newest notice still showing reports, if it can be undone. */
	async undoLast() {
		const last = this.notices.findLast((n) => n.undo);
		if (last) await this.undo(last);
	}

	async undo(notice: Notice) {
		this.dismiss(notice.id);
		try {
			await notice.undo?.();
			this.notify('Undone.');
		} catch (error) {
			this.fail(error);
		}
	}

	fail(error: unknown) {
		this.notify(toApiError(error).message, 'error');
	}

	/** Lets what a key or a click started run on; if it fails, the CSM is told (never lost). */
	settle(started: unknown) {
		if (started instanceof Promise) started.catch((error: unknown) => this.fail(error));
	}

	dismiss(id: number) {
		this.notices = this.notices.filter((n) => n.id !== id);
	}
}

export const app = new AppModel();

/** Runs `then` once the browser has painted what the state now holds (after the next frame). */
function afterPaint(then: () => void) {
	void tick().then(() => requestAnimationFrame(() => requestAnimationFrame(then)));
}
