import { describe, expect, it } from 'vitest';
import type { BookRow } from '$lib/bindings/BookRow';
import { EMPTY_FILTER, filterRows, sortRows } from './book';

function row(name: string, extra: Partial<BookRow> = {}): BookRow {
	return {
		id: name,
		name,
		domain: `${name.toLowerCase()}.com`,
		segment: 'low_touch',
		lifecycle_stage: 'adoption',
		arr: { minor: 100, currency: 'USD' },
		renewal_date: null,
		days_to_renewal: null,
		owner: 'Jordan Lee',
		last_touch_at: null,
		days_since_touch: null,
		contact_count: 0,
		forecast: null,
		single_threaded: false,
		sponsor_engaged: false,
		archived: false,
		health: null,
		...extra
	};
}

const rows = [
	row('Acme', { segment: 'high_touch', arr: { minor: 900, currency: 'USD' }, days_to_renewal: 20 }),
	row('Chloé Foods', { days_to_renewal: 200 }),
	row('Globex', { lifecycle_stage: 'renewal', days_to_renewal: -4 }),
	row('Archived Co', { archived: true, days_to_renewal: 10 })
];

const names = (list: BookRow[]) => list.map((r) => r.name);

describe('filterRows', () => {
	it('hides archived accounts unless asked', () => {
		expect(names(filterRows(rows, EMPTY_FILTER))).toEqual(['Acme', 'Chloé Foods', 'Globex']);
		expect(filterRows(rows, { ...EMPTY_FILTER, showArchived: true })).toHaveLength(4);
	});

	it('filters single-threaded accounts and those without an engaged sponsor', () => {
		const book = [row('Acme', { single_threaded: true }), row('Birch', { sponsor_engaged: true }), row('Cedar')];
		expect(names(filterRows(book, { ...EMPTY_FILTER, threads: 'single' }))).toEqual(['Acme']);
		expect(names(filterRows(book, { ...EMPTY_FILTER, threads: 'no_sponsor' }))).toEqual(['Acme', 'Cedar']);
	});

	it('filters by the forecast call the CSM made, or the renewals not called yet', () => {
		const called = [row('Acme', { forecast: 'commit' }), row('Birch', { forecast: 'at_risk' }), row('Cedar')];
		expect(names(filterRows(called, { ...EMPTY_FILTER, forecast: 'at_risk' }))).toEqual(['Birch']);
		expect(names(filterRows(called, { ...EMPTY_FILTER, forecast: 'uncalled' }))).toEqual(['Cedar']);
	});

	it('matches every word of the quick filter, ignoring case and accents', () => {
		expect(names(filterRows(rows, { ...EMPTY_FILTER, text: 'chloe' }))).toEqual(['Chloé Foods']);
		expect(names(filterRows(rows, { ...EMPTY_FILTER, text: 'globex.com' }))).toEqual(['Globex']);
		expect(filterRows(rows, { ...EMPTY_FILTER, text: 'acme nothing' })).toEqual([]);
	});

	it('filters by segment, stage and renewal window', () => {
		expect(names(filterRows(rows, { ...EMPTY_FILTER, segment: 'high_touch' }))).toEqual(['Acme']);
		expect(names(filterRows(rows, { ...EMPTY_FILTER, stage: 'renewal' }))).toEqual(['Globex']);
		expect(names(filterRows(rows, { ...EMPTY_FILTER, renewal: '30' }))).toEqual(['Acme']);
		expect(names(filterRows(rows, { ...EMPTY_FILTER, renewal: 'overdue' }))).toEqual(['Globex']);
	});
});

describe('health', () => {
	const scored = [
		row('Low', { health: { score: 35, band: 'red', trend_30d: -12, sparkline: [], band_a_week_ago: null } }),
		row('High', { health: { score: 88, band: 'green', trend_30d: 3, sparkline: [], band_a_week_ago: null } }),
		row('Unscored')
	];

	it('filters by band and sorts by score with unscored accounts last', () => {
		expect(names(filterRows(scored, { ...EMPTY_FILTER, band: 'red' }))).toEqual(['Low']);
		expect(names(filterRows(scored, { ...EMPTY_FILTER, band: 'unscored' }))).toEqual(['Unscored']);
		expect(names(sortRows(scored, { key: 'health', ascending: true }))).toEqual(['Low', 'High', 'Unscored']);
		expect(names(sortRows(scored, { key: 'trend', ascending: true }))[0]).toBe('Low');
		expect(names(filterRows(scored, { ...EMPTY_FILTER, trend: 'falling' }))).toEqual(['Low']);
		expect(filterRows(scored, { ...EMPTY_FILTER, trend: 'rising' })).toEqual([]);
	});
});

describe('sortRows', () => {
	it('sorts by ARR either way', () => {
		expect(names(sortRows(rows, { key: 'arr', ascending: false }))[0]).toBe('Acme');
	});

	it('puts accounts without a renewal date last in both directions', () => {
		const withNone = [...rows, row('Zed')];
		expect(names(sortRows(withNone, { key: 'renewal', ascending: true })).at(-1)).toBe('Zed');
		expect(names(sortRows(withNone, { key: 'renewal', ascending: false })).at(-1)).toBe('Zed');
		expect(names(sortRows(withNone, { key: 'renewal', ascending: true }))[0]).toBe('Globex');
	});

	it('orders names as people read them, numbers by value', () => {
		const numbered = ['Northwind 109', 'Northwind 1009', 'Northwind 9', 'northwind 10'].map((n) => row(n));
		expect(names(sortRows(numbered, { key: 'name', ascending: true }))).toEqual([
			'Northwind 9',
			'northwind 10',
			'Northwind 109',
			'Northwind 1009'
		]);
	});

	it('stays quick with 5,000 rows', () => {
		const many = Array.from({ length: 5000 }, (_, i) => row(`Account ${i}`, { days_to_renewal: (i * 7919) % 365 }));
		const sorted = sortRows(filterRows(many, { ...EMPTY_FILTER, text: 'account' }), { key: 'renewal', ascending: true });
		expect(sorted).toHaveLength(5000);
		expect(sorted[0]?.days_to_renewal).toBe(0);
	});
});
