// Keyboard navigation over a week plan: the items in reading order, grouped by column (the
// overdue list, then each shown day). Pure, so it is unit-tested without a DOM.
import type { Meeting } from '$lib/bindings/Meeting';
import type { PlanDay } from '$lib/bindings/PlanDay';
import type { Suggestion } from '$lib/bindings/Suggestion';
import type { Task } from '$lib/bindings/Task';
import type { WeekPlan } from '$lib/bindings/WeekPlan';

export type Item =
	| { key: string; column: string; kind: 'task'; task: Task }
	| { key: string; column: string; kind: 'meeting'; meeting: Meeting }
	| { key: string; column: string; kind: 'suggestion'; suggestion: Suggestion };

/** Working days always; days off only when something is on them. */
export function shownDays(plan: WeekPlan): PlanDay[] {
	return plan.days.filter((d) => d.work_day || d.appointments.length || d.tasks.length || d.meetings.length);
}

export function items(plan: WeekPlan): Item[] {
	const out: Item[] = plan.overdue.map((task) => ({ key: `t:${task.id}`, column: 'overdue', kind: 'task', task }));
	for (const day of shownDays(plan)) {
		for (const entry of agenda(day)) out.push({ ...entry, column: day.date });
		for (const task of day.tasks) out.push({ key: `t:${task.id}`, column: day.date, kind: 'task', task });
		for (const suggestion of day.suggestions)
			out.push({ key: `s:${suggestion.account_id}`, column: day.date, kind: 'suggestion', suggestion });
	}
	return out;
}

/** A day's meetings and appointments in time order (all-day meetings first). */
export function agenda(day: PlanDay): ({ key: string; kind: 'meeting'; meeting: Meeting } | { key: string; kind: 'task'; task: Task })[] {
	const timed = [
		...day.meetings.map((meeting) => ({ at: meeting.time ?? '', key: `m:${meeting.id}`, kind: 'meeting' as const, meeting })),
		...day.appointments.map((task) => ({ at: task.due_time ?? '', key: `t:${task.id}`, kind: 'task' as const, task }))
	];
	timed.sort((a, b) => a.at.localeCompare(b.at));
	return timed.map(({ at: _, ...entry }) => entry);
}

/** The key selected after moving `by` items within the column (↑ ↓) or `by` columns (← →). */
export function step(list: Item[], current: string | null, by: number, across: boolean): string | null {
	const here = list.find((i) => i.key === current);
	if (!here) return list[0]?.key ?? null;
	if (!across) {
		const next = list[list.indexOf(here) + by];
		return next && next.column === here.column ? next.key : here.key;
	}
	const columns = [...new Set(list.map((i) => i.column))];
	const col = columns.indexOf(here.column) + by;
	const target = columns[Math.min(Math.max(col, 0), columns.length - 1)];
	return list.find((i) => i.column === target)?.key ?? here.key;
}

/** The shown day before or after `day` (for moving a task with Shift+← →); overdue moves to `today`'s column or the first day. */
export function neighbourDay(plan: WeekPlan, day: string, by: number): string | null {
	const days = shownDays(plan).map((d) => d.date);
	if (day === 'overdue') return days.find((d) => d >= plan.today) ?? null;
	const i = days.indexOf(day) + by;
	return days[i] ?? null;
}
