import { describe, expect, it } from 'vitest';
import type { Risk } from '$lib/bindings/Risk';
import { ages, barWidth, shortAges, isClosed, riskInputOf, stageForKey, statusForKey } from './risks';

const risk: Risk = {
	id: 'r1',
	account_id: 'a1',
	account_name: 'Acme',
	title: 'Budget cut',
	reasons: ['budget cut'],
	severity: 'high',
	arr_at_risk: { minor: 4_000_000, currency: 'EUR' },
	stage: 'saving',
	help_needed: ['executive'],
	opened_on: '2026-11-20',
	stage_since: '2026-11-25',
	last_update_on: null,
	closed_on: null,
	days_in_stage: 8,
	days_since_update: 13,
	stale: true,
	plan_open: 1,
	plan_steps: 2
};

describe('the risk register', () => {
	it('maps the number keys to stages and statuses in order', () => {
		expect(stageForKey('1')).toBe('identified');
		expect(stageForKey('5')).toBe('lost');
		expect(stageForKey('6')).toBeUndefined();
		expect(statusForKey('4')).toBe('shipped');
		expect(isClosed('recovered')).toBe(true);
	});

	it('sends the risk back as the form would, with a change', () => {
		const input = riskInputOf(risk, { stage: 'plan_in_place' });
		expect(input).toMatchObject({ stage: 'plan_in_place', arr_at_risk: '40000', reasons: ['budget cut'] });
		input.reasons.push('price');
		expect(risk.reasons).toEqual(['budget cut']);
	});

	it('says how old the risk and its last update are', () => {
		expect(ages(risk)).toBe('8 days in stage · no update in 13 days');
		expect(ages({ ...risk, last_update_on: '2026-12-02', days_since_update: 1 })).toBe('8 days in stage · updated 1 day ago');
		expect(ages({ ...risk, stage: 'lost', closed_on: '2026-12-03', days_in_stage: 1 })).toBe('lost after 1 day');
		expect(shortAges(risk)).toBe('8 d in stage · no update');
		expect(barWidth(5, 10)).toBe('50%');
		expect(barWidth(0, 0)).toBe('0%');
	});
});
