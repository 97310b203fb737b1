// App-wide state: the backend's status, the Book's rows (shared by the Book and the palette),
// which overlay is open, and messages for the CSM.
import { api, events, toApiError } from '$lib/api';
import type { AppStatus } from '$lib/bindings/AppStatus';
import type { BookRow } from '$lib/bindings/BookRow';
import type { PortfolioHealth } from '$lib/bindings/PortfolioHealth';
import type { Task } from '$lib/bindings/Task';

/** The task dialog: a new task (maybe for an account, on a day), or an existing one to edit. */
export type TaskDialog = { mode: 'new'; accountId?: string; due?: string } | { mode: 'edit'; task: Task };

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
	paletteMode = $state<'all' | 'log-call' | 'new-task' | 'new-qbr'>('all');
	helpOpen = $state(false);
	newAccountOpen = $state(false);
	taskDialog = $state<TaskDialog | null>(null);
	/** Bumped whenever tasks change, so the views showing tasks reload. */
	tasksVersion = $state(0);
	notices = $state<Notice[]>([]);
	private nextNotice = 1;

	/** Refreshes what the start-of-day job changed when it lands (once per app session). */
	private listening = false;
	listenForTheDay() {
		if (this.listening) return;
		this.listening = true;
		events
			.onDayStarted(() => {
				if (this.status?.state !== 'ready') return;
				void this.refreshBook();
				this.tasksChanged();
			})
			.catch(() => (this.listening = false));
	}

	async loadStatus() {
		this.listenForTheDay();
		try {
			this.status = await api.appStatus();
			this.startupError = null;
			if (this.status.state === 'ready') await this.refreshBook();
		} catch (error) {
			this.startupError = toApiError(error).message;
		}
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

	tasksChanged() {
		this.tasksVersion += 1;
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
			this.tasksChanged();
			this.notify('Undone.');
		} catch (error) {
			this.fail(error);
		}
	}

	fail(error: unknown) {
		this.notify(toApiError(error).message, 'error');
	}

	dismiss(id: number) {
		this.notices = this.notices.filter((n) => n.id !== id);
	}
}

export const app = new AppModel();
