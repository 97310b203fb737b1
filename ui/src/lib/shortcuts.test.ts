import { describe, expect, it } from 'vitest';
import { anywhere, rank, SHORTCUTS } from './shortcuts';

describe('palette ranking', () => {
	it('prefers prefix, then word start, then anywhere', () => {
		expect(rank('Globex Analytics', 'glo')).toBe(3);
		expect(rank('Globex Analytics', 'ana')).toBe(2);
		expect(rank('Globex Analytics', 'lyt')).toBe(1);
		expect(rank('Globex Analytics', 'zzz')).toBe(0);
		expect(rank('Chloé Foods', 'chloe')).toBe(3);
	});
});

describe('shortcuts that work anywhere', () => {
	const key = (key: string, init: KeyboardEventInit = {}) => new KeyboardEvent('keydown', { key, ...init });

	it('are dispatched from the list the help shows', () => {
		expect(anywhere(key('k', { ctrlKey: true }), null, true)).toEqual({ action: 'palette' });
		expect(anywhere(key('L', { ctrlKey: true, shiftKey: true }), null, true)).toEqual({ action: 'theme' });
		expect(anywhere(key('z', { ctrlKey: true, shiftKey: true }), null, true)).toEqual({});
		expect(anywhere(key('n'), null, false)).toEqual({ action: 'new-account' });
		expect(anywhere(key('N', { shiftKey: true }), null, false)).toEqual({});
		expect(anywhere(key('g'), null, false)).toEqual({ prefix: 'g' });
		expect(anywhere(key('t'), 'g', false)).toEqual({ action: 'go-today' });
		expect(anywhere(key('t'), null, false)).toEqual({ action: 'new-task' });
		expect(anywhere(key('x'), 'g', false)).toEqual({});
	});

	it('each key sequence names one action', () => {
		const keys = SHORTCUTS.filter((s) => s.action).map((s) => s.keys);
		expect(new Set(keys).size).toBe(keys.length);
	});
});

describe('the one keyboard guard', () => {
	it('lets pages act on a plain key, not while an overlay is open, a field is typed in or a modifier is held', async () => {
		const { app } = await import('./app.svelte');
		const key = (init: KeyboardEventInit = {}, target: EventTarget = document.body) => {
			const event = new KeyboardEvent('keydown', { key: 'j', ...init });
			Object.defineProperty(event, 'target', { value: target });
			return event;
		};
		expect(app.pageMayAct(key())).toBe(true);
		expect(app.pageMayAct(key({ ctrlKey: true }))).toBe(false);
		expect(app.pageMayAct(key({}, document.createElement('input')))).toBe(false);
		app.taskDialog = { mode: 'new' };
		expect(app.pageMayAct(key())).toBe(false);
		app.taskDialog = null;
		app.helpOpen = true;
		expect(app.overlayOpen).toBe(true);
		app.helpOpen = false;
	});
});
