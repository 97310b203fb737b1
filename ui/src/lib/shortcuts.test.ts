import { describe, expect, it } from 'vitest';
import { rank } from './shortcuts';

describe('palette ranking', () => {
	it('prefers prefix, then word start, then anywhere', () => {
		expect(rank('Globex Analytics', 'glo')).toBe(3);
		expect(rank('Globex Analytics', 'ana')).toBe(2);
		expect(rank('Globex Analytics', 'lyt')).toBe(1);
		expect(rank('Globex Analytics', 'zzz')).toBe(0);
		expect(rank('Chloé Foods', 'chloe')).toBe(3);
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
