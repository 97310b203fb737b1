import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BookRow } from '$lib/bindings/BookRow';

vi.mock('$app/paths', () => ({ resolve: (route: string, params?: { id: string }) => route.replace('[id]', params?.id ?? '') }));
const { default: BookTable } = await import('./BookTable.svelte');

function rows(count: number): BookRow[] {
	return Array.from({ length: count }, (_, i) => ({
		id: `id-${i}`,
		name: `Account ${i}`,
		domain: `account${i}.com`,
		segment: 'low_touch',
		lifecycle_stage: 'adoption',
		arr: { minor: i * 100_00, currency: 'USD' },
		renewal_date: '2027-01-01',
		days_to_renewal: 40,
		owner: 'Jordan Lee',
		last_touch_at: null,
		days_since_touch: 45,
		contact_count: 3,
		forecast: null,
		single_threaded: false,
		sponsor_engaged: false,
		archived: false,
		health: { score: 60 + (i % 40), band: 'yellow', trend_30d: (i % 7) - 3, sparkline: [50, 60, 70], band_a_week_ago: null }
	}));
}

afterEach(cleanup);

describe('BookTable', () => {
	it('puts only the rows in view into the page, however long the book', () => {
		render(BookTable, {
			rows: rows(5000),
			sort: { key: 'name', ascending: true },
			selected: 0,
			onsort: vi.fn(),
			onselect: vi.fn(),
			onopen: vi.fn()
		});
		const rendered = screen.getAllByTestId('book-row');
		expect(rendered.length).toBeGreaterThan(0);
		expect(rendered.length).toBeLessThan(60);
		expect(screen.getByText('Account 0')).toBeTruthy();
		expect(screen.queryByText('Account 4999')).toBeNull();
		expect(screen.getByTestId('book-table').getAttribute('aria-rowcount')).toBe('5000');
	});

	it('sorts from the header and opens a row with Enter', async () => {
		const onsort = vi.fn();
		const onopen = vi.fn();
		render(BookTable, { rows: rows(3), sort: { key: 'name', ascending: true }, selected: 0, onsort, onselect: vi.fn(), onopen });
		await fireEvent.click(screen.getByRole('columnheader', { name: /ARR/ }));
		expect(onsort).toHaveBeenCalledWith('arr');
		await fireEvent.keyDown(screen.getAllByTestId('book-row')[1]!, { key: 'Enter' });
		expect(onopen).toHaveBeenCalledWith(expect.objectContaining({ name: 'Account 1' }));
	});
});
