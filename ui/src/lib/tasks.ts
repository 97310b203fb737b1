// Task actions shared by the Week, Today and account views: call the backend, tell the CSM what
// happened, and let every view showing tasks reload.
import { api } from '$lib/api';
import { app } from '$lib/app.svelte';
import type { PlaybookRun } from '$lib/bindings/PlaybookRun';
import type { Task } from '$lib/bindings/Task';
import { date } from '$lib/format';

async function act(work: () => Promise<unknown>, message?: string, undo?: () => Promise<unknown>): Promise<boolean> {
	try {
		await work();
		if (message) app.notify(message, 'info', undo);
		return true;
	} catch (error) {
		app.fail(error);
		return false;
	}
}

export const tasks = {
	toggleDone: async (task: Task) => {
		if (task.status === 'done') return act(() => api.reopenTask(task.id));
		const logged = await act(
			() => api.completeTask(task.id),
			task.is_touch ? `Touch with ${task.account_name} logged.` : `“${task.title}” done.`,
			() => api.reopenTask(task.id)
		);
		return logged;
	},
	move: (task: Task, day: string) => {
		const back = task.due_date;
		return act(
			() => api.moveTask(task.id, day),
			`“${task.title}” moved to ${date(day)}.`,
			back ? () => api.moveTask(task.id, back) : undefined
		);
	},
	/** Moves several tasks to one day, with one notice whose Undo puts each back. */
	moveAll: (list: Task[], day: string) => {
		const moved = list.filter((t) => t.due_date && t.due_date !== day);
		return act(
			() => Promise.all(moved.map((t) => api.moveTask(t.id, day))),
			`${moved.length} task${moved.length === 1 ? '' : 's'} moved to ${date(day)}.`,
			() => Promise.all(moved.map((t) => api.moveTask(t.id, t.due_date as string)))
		);
	},
	snooze: (task: Task, until: string) =>
		act(
			() => api.snoozeTask(task.id, until),
			`Snoozed until ${date(until)}.`,
			() => api.reopenTask(task.id)
		),
	cancel: (task: Task) =>
		act(
			() => api.cancelTask(task.id),
			`“${task.title}” cancelled.`,
			() => api.reopenTask(task.id)
		),
	reopen: (task: Task) => act(() => api.reopenTask(task.id))
};

/** What a playbook run did, in words. */
export function playbookRunText(run: PlaybookRun): string {
	const held = run.held_back ? ` ${run.held_back} held back (daily limit or no room).` : '';
	return run.created || run.updated
		? `Playbooks: ${run.created} new task${run.created === 1 ? '' : 's'}, ${run.updated} updated.${held}`
		: `Playbooks: nothing new.${held || ' Every task they ask for is already planned.'}`;
}

/** Runs the playbooks (or plans the next batch of the tasks they held back) and says what it did. */
export async function runPlaybooks(heldBack = false): Promise<void> {
	try {
		const run = heldBack ? await api.planHeldBackTasks() : await api.runPlaybooks();
		app.notify(playbookRunText(run));
	} catch (error) {
		app.fail(error);
	}
}
