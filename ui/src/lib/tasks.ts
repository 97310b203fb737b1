// Task actions shared by the Week, Today and account views: call the backend, tell the CSM what
// happened, and let every view showing tasks reload.
import { api } from '$lib/api';
import { app } from '$lib/app.svelte';
import type { Task } from '$lib/bindings/Task';

async function act(work: () => Promise<unknown>, message?: string): Promise<boolean> {
	try {
		await work();
		app.tasksChanged();
		if (message) app.notify(message);
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
			task.is_touch ? `Touch with ${task.account_name} logged.` : undefined
		);
		// A done touch moves the account's last touch and health: the Book shows both.
		if (logged && task.is_touch) await app.refreshBook();
		return logged;
	},
	move: (task: Task, day: string) => act(() => api.moveTask(task.id, day)),
	snooze: (task: Task, until: string) => act(() => api.snoozeTask(task.id, until), `Snoozed until ${until}.`),
	cancel: (task: Task) => act(() => api.cancelTask(task.id), `“${task.title}” cancelled.`),
	reopen: (task: Task) => act(() => api.reopenTask(task.id))
};

