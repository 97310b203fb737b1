import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Suggestion } from '$lib/bindings/Suggestion';
import CapacityBar from './CapacityBar.svelte';
import SuggestionCard from './SuggestionCard.svelte';

afterEach(cleanup);

const suggestion: Suggestion = {
	account_id: 'a1',
	account_name: 'Hanbit Logistics',
	segment: 'high_touch',
	points: 63,
	reasons: [
		{ kind: 'renewal', text: 'renewal in 41 days', points: 26 },
		{ kind: 'health', text: 'health 48, down 12 in 30 days', points: 37 }
	],
	summary: 'renewal in 41 days · health 48, down 12 in 30 days',
	effort_minutes: 30,
	day: '2026-11-23'
};

describe('SuggestionCard', () => {
	it('spells out every reason with its points, and plans or dismisses', async () => {
		const onaccept = vi.fn();
		const ondismiss = vi.fn();
		render(SuggestionCard, { suggestion, onaccept, ondismiss });
		const reasons = screen.getByRole('list', { name: 'Why this account' });
		expect(reasons.textContent).toContain('renewal in 41 days');
		expect(reasons.textContent).toContain('+37');
		await fireEvent.click(screen.getByTestId('accept-suggestion'));
		await fireEvent.click(screen.getByTestId('dismiss-suggestion'));
		expect(onaccept).toHaveBeenCalledOnce();
		expect(ondismiss).toHaveBeenCalledOnce();
	});

	it('never renders a name as HTML', () => {
		render(SuggestionCard, {
			suggestion: { ...suggestion, account_name: '<img src=x onerror=alert(1)>' },
			onaccept: () => {},
			ondismiss: () => {}
		});
		expect(document.querySelector('img')).toBeNull();
		expect(screen.getByText('<img src=x onerror=alert(1)>')).toBeTruthy();
	});
});

describe('CapacityBar', () => {
	it('says how much is free, full, over, or a day off', () => {
		const { rerender } = render(CapacityBar, { planned: 120, suggested: 60, capacity: 360 });
		expect(screen.getByTestId('capacity').textContent).toContain('3h free');
		void rerender({ planned: 420, suggested: 0, capacity: 360 });
		expect(screen.getByTestId('capacity').textContent).toContain('1h over');
		expect(screen.getByTestId('capacity').classList.contains('over')).toBe(true);
		void rerender({ planned: 0, suggested: 0, capacity: 0 });
		expect(screen.getByTestId('capacity').textContent).toContain('day off');
	});
});
