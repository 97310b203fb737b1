import { describe, expect, it } from 'vitest';
import type { RenewalLine } from '$lib/bindings/RenewalLine';
import { callOf, categoryForKey, rows } from './renewals';

const line = (name: string, on: string, change: Partial<RenewalLine> = {}): RenewalLine => ({
	account_id: name,
	account_name: name,
	segment: 'low_touch',
	band: null,
	renews_on: on,
	days_to_renewal: 30,
	notice_by: null,
	auto_renews: false,
	current_arr: { minor: 12_000_000, currency: 'USD' },
	expected_arr: { minor: 12_000_000, currency: 'USD' },
	category: 'probable',
	category_set: false,
	stage: 'not_started',
	confidence: null,
	likelihood: 80,
	reasons: [],
	disagreement: null,
	next_step: '',
	next_step_on: null,
	outcome_due: false,
	outcome: null,
	contract_start: null,
	notice_days: null,
	...change
});

describe('the renewal desk', () => {
	it('groups renewals under their months in date order', () => {
		const grouped = rows([line('A', '2027-01-05'), line('B', '2027-01-30'), line('C', '2027-03-01')]);
		expect(grouped.map((r) => (r.kind === 'month' ? `${r.month}:${r.count}` : r.line.account_name))).toEqual([
			'2027-01:2',
			'A',
			'B',
			'2027-03:1',
			'C'
		]);
	});

	it('maps the number keys to the four categories and nothing else', () => {
		expect(['1', '2', '3', '4', '0', '5', 'x'].map(categoryForKey)).toEqual([
			'commit',
			'probable',
			'at_risk',
			'churn_expected',
			null,
			null,
			null
		]);
	});

	it('keeps a suggested category unset and sends an unchanged amount as empty', () => {
		expect(callOf(line('A', '2027-01-05'))).toMatchObject({ category: '', expected_arr: '' });
		const called = line('A', '2027-01-05', {
			category: 'commit',
			category_set: true,
			expected_arr: { minor: 13_050_050, currency: 'USD' }
		});
		expect(callOf(called, { stage: 'signed' })).toMatchObject({ category: 'commit', expected_arr: '130500.5', stage: 'signed' });
	});
});
