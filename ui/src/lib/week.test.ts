import { describe, expect, it } from 'vitest';
import type { PlanDay } from '$lib/bindings/PlanDay';
import type { Task } from '$lib/bindings/Task';
import type { WeekPlan } from '$lib/bindings/WeekPlan';
import type { Meeting } from '$lib/bindings/Meeting';
import { agenda, items, neighbourDay, shownDays, step } from './week';

const task = (id: string, due: string): Task => ({
	id,
	account_id: null,
	account_name: null,
	title: id,
	due_date: due,
	due_time: null,
	priority: 'normal',
	effort_minutes: 30,
	status: 'open',
	snoozed_until: null,
	source: 'manual',
	provenance: '',
	is_touch: false,
	details: '',
	completed_at: null,
	created_at: '2026-11-20T09:00:00Z',
	updated_at: '2026-11-20T09:00:00Z'
});

const day = (date: string, work: boolean, tasks: Task[] = []): PlanDay => ({
	date,
	work_day: work,
	is_today: false,
	is_past: false,
	capacity_minutes: work ? 360 : 0,
	planned_minutes: 0,
	suggested_minutes: 0,
	overloaded: false,
	appointments: [],
	meetings: [],
	tasks,
	suggestions: []
});

const plan: WeekPlan = {
	week_start: '2026-11-23',
	today: '2026-11-24',
	days: [
		day('2026-11-23', true, [task('a', '2026-11-23'), task('b', '2026-11-23')]),
		day('2026-11-24', true),
		day('2026-11-25', true, [task('c', '2026-11-25')]),
		day('2026-11-26', true),
		day('2026-11-27', true),
		day('2026-11-28', false, [task('sat', '2026-11-28')]),
		day('2026-11-29', false)
	],
	overdue: [task('late', '2026-11-10')],
	overdue_total: 1,
	overflow: [],
	capacity_minutes: 1800,
	planned_minutes: 120,
	suggested_minutes: 0,
	held_back_tasks: 0
};

describe('week navigation', () => {
	it('shows working days and days off with something on them', () => {
		expect(shownDays(plan).map((d) => d.date)).toEqual([
			'2026-11-23',
			'2026-11-24',
			'2026-11-25',
			'2026-11-26',
			'2026-11-27',
			'2026-11-28'
		]);
	});

	it('moves within a column and across columns, skipping empty days', () => {
		const list = items(plan);
		expect(list.map((i) => i.key)).toEqual(['t:late', 't:a', 't:b', 't:c', 't:sat']);
		expect(step(list, null, 1, false)).toBe('t:late');
		expect(step(list, 't:a', 1, false)).toBe('t:b');
		expect(step(list, 't:b', 1, false)).toBe('t:b');
		expect(step(list, 't:a', 1, true)).toBe('t:c');
		expect(step(list, 't:late', -1, true)).toBe('t:late');
	});

	it('finds the day to move a task to', () => {
		expect(neighbourDay(plan, '2026-11-23', 1)).toBe('2026-11-24');
		expect(neighbourDay(plan, '2026-11-23', -1)).toBeNull();
		expect(neighbourDay(plan, 'overdue', 1)).toBe('2026-11-24');
	});

	it('puts meetings and appointments of a day in time order, meetings selectable like tasks', () => {
		const meeting = (id: string, time: string | null): Meeting => ({
			id,
			calendar_id: 'cal',
			calendar_name: 'Work',
			title: id,
			location: null,
			day: '2026-11-26',
			time,
			minutes: time ? 30 : 0,
			starts_at: null,
			attendees: [],
			account_id: 'acme',
			account_name: 'Acme',
			match_kind: 'contact',
			domain: null
		});
		const thursday = {
			...day('2026-11-26', true),
			appointments: [{ ...task('call', '2026-11-26'), due_time: '11:00' }],
			meetings: [meeting('offsite', null), meeting('sync', '09:30'), meeting('qbr', '14:00')]
		};
		expect(agenda(thursday).map((e) => e.key)).toEqual(['m:offsite', 'm:sync', 't:call', 'm:qbr']);
		const withMeetings = { ...plan, days: plan.days.map((d) => (d.date === thursday.date ? thursday : d)) };
		expect(
			items(withMeetings)
				.filter((i) => i.column === '2026-11-26')
				.map((i) => i.kind)
		).toEqual(['meeting', 'meeting', 'task', 'meeting']);
	});
});
