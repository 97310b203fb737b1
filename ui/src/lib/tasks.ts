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
	toggleDone: (task: Task) =>
		task.status === 'done'
			? act(() => api.reopenTask(task.id))
			: act(() => api.completeTask(task.id), task.is_touch ? `Touch with ${task.account_name} logged.` : undefined),
	move: (task: Task, day: string) => act(() => api.moveTask(task.id, day)),
	snooze: (task: Task, until: string) => act(() => api.snoozeTask(task.id, until), `Snoozed until ${until}.`),
	cancel: (task: Task) => act(() => api.cancelTask(task.id), `“${task.title}” cancelled.`),
	reopen: (task: Task) => act(() => api.reopenTask(task.id))
};

