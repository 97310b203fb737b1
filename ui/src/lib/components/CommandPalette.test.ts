import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BookRow } from '$lib/bindings/BookRow';

const goto = vi.fn();
vi.mock('$app/navigation', () => ({ goto: (...args: unknown[]) => goto(...args) }));
vi.mock('$app/paths', () => ({ resolve: (route: string, params?: { id: string }) => route.replace('[id]', params?.id ?? '') }));
const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

const { app } = await import('$lib/app.svelte');
const { default: CommandPalette } = await import('./CommandPalette.svelte');

function row(id: string, name: string, domain: string): BookRow {
	return {
		id,
		name,
		domain,
		segment: 'high_touch',
		lifecycle_stage: 'value',
		arr: { minor: 0, currency: 'USD' },
		renewal_date: null,
		days_to_renewal: null,
		owner: null,
		last_touch_at: null,
		days_since_touch: null,
		contact_count: 0,
		forecast: null,
		single_threaded: false,
		sponsor_engaged: false,
		archived: false,
		health: null
	};
}

afterEach(() => {
	cleanup();
	app.paletteOpen = false;
	goto.mockReset();
});

describe('CommandPalette', () => {
	it('finds an account by domain and opens it with Enter', async () => {
		app.rows = [row('a1', 'Globex Analytics', 'globex.com'), row('a2', 'Initech Labs', 'initech.io')];
		app.paletteOpen = true;
		render(CommandPalette);
		const input = screen.getByTestId('palette-input');
		await fireEvent.input(input, { target: { value: 'initech.io' } });
		const options = screen.getAllByRole('option');
		expect(options[0]?.textContent).toContain('Initech Labs');
		await fireEvent.keyDown(input, { key: 'Enter' });
		expect(goto).toHaveBeenCalledWith('/accounts/a2');
		expect(app.paletteOpen).toBe(false);
	});

	it('lists actions, and offers a full search when no name matches', async () => {
		app.rows = [];
		app.paletteOpen = true;
		render(CommandPalette);
		expect(screen.getByText('Log call on…')).toBeTruthy();
		await fireEvent.input(screen.getByTestId('palette-input'), { target: { value: 'zzzz' } });
		const options = screen.getAllByRole('option');
		expect(options).toHaveLength(1);
		expect(options[0]?.textContent).toContain('Search everything for “zzzz”');
	});

	it('Log call on… picks an account and opens the note editor for it', async () => {
		app.rows = [row('a1', 'Globex Analytics', 'globex.com')];
		app.paletteOpen = true;
		render(CommandPalette);
		const input = screen.getByTestId('palette-input');
		await fireEvent.input(input, { target: { value: 'log call' } });
		await fireEvent.keyDown(input, { key: 'Enter' });
		expect(app.paletteOpen).toBe(true);
		expect(app.paletteMode).toBe('log-call');
		await fireEvent.input(input, { target: { value: 'glob' } });
		await fireEvent.keyDown(input, { key: 'Enter' });
		expect(goto).toHaveBeenCalledWith('/notes/new?account=a1');
	});

	it('Prepare a QBR for… drafts one over the last quarter and opens it', async () => {
		app.rows = [row('a1', 'Globex Analytics', 'globex.com')];
		app.paletteOpen = true;
		invoke.mockResolvedValueOnce({ id: 'q1' });
		render(CommandPalette);
		const input = screen.getByTestId('palette-input');
		await fireEvent.input(input, { target: { value: 'prepare a qbr' } });
		await fireEvent.keyDown(input, { key: 'Enter' });
		expect(app.paletteMode).toBe('new-qbr');
		await fireEvent.input(input, { target: { value: 'glob' } });
		await fireEvent.keyDown(input, { key: 'Enter' });
		await vi.waitFor(() => expect(goto).toHaveBeenCalledWith('/qbr/q1'));
		expect(invoke).toHaveBeenCalledWith('create_qbr', {
			accountId: 'a1',
			input: { period_start: '', period_end: '', meeting_at: '', status: 'planned' }
		});
	});

	it('runs an action: New account opens its dialog', async () => {
		app.rows = [];
		app.paletteOpen = true;
		render(CommandPalette);
		const input = screen.getByTestId('palette-input');
		await fireEvent.input(input, { target: { value: 'new acc' } });
		await fireEvent.keyDown(input, { key: 'Enter' });
		expect(app.newAccountOpen).toBe(true);
	});
});
