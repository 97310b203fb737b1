import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import DueHint from './DueHint.svelte';
import { dateLocale } from '$lib/locale.svelte';

const plannerSettings = vi.fn(async () => ({ work_days: [true, true, true, true, true, false, false] }));
vi.mock('$lib/api', () => ({ api: { plannerSettings: () => plannerSettings() } }));

afterEach(cleanup);

describe('DueHint', () => {
	it('names the weekday and warns when a next step lands on a day off, asking for the week once', async () => {
		dateLocale.set('en-GB');
		render(DueHint, { due: '2026-12-05', from: 'in 3 days' });
		expect(await screen.findByText(/not a working day/)).toBeTruthy();
		expect(screen.getByTestId('due-hint').textContent).toContain('Sat 5 Dec, from “in 3 days”');
		cleanup();
		render(DueHint, { due: '2026-12-04' });
		await Promise.resolve();
		expect(screen.getByTestId('due-hint').textContent).not.toContain('not a working day');
		expect(plannerSettings).toHaveBeenCalledOnce();
	});
});
