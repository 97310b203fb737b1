import { describe, expect, it } from 'vitest';
import type { Coverage } from '$lib/bindings/Coverage';
import type { Engagement } from '$lib/bindings/Engagement';
import { metText, roleText, threadsText } from './people';

const met = (extra: Partial<Engagement>): Engagement => ({
	last_touch_on: null,
	days_since_touch: null,
	touches_30d: 0,
	touches_90d: 0,
	gone_quiet: false,
	...extra
});

const coverage = (extra: Partial<Coverage>): Coverage => ({
	key_roles: [],
	people_touched_90d: 0,
	touches_90d: 0,
	single_threaded: null,
	sponsor_engaged: false,
	level: null,
	...extra
});

describe('people words', () => {
	it('says how often a person was met', () => {
		expect(metText(met({ touches_30d: 2, days_since_touch: 3 }))).toBe('met 2× in 30 days');
		expect(metText(met({ touches_30d: 1, days_since_touch: 3 }))).toBe('met once in 30 days');
		expect(metText(met({ days_since_touch: 160 }))).toBe('last met 160 days ago');
		expect(metText(met({}))).toBe('never met');
	});

	it('names a single thread and uncovered roles', () => {
		expect(threadsText(coverage({ single_threaded: 'Ana Ruiz', people_touched_90d: 1, touches_90d: 3 }))).toContain('Ana Ruiz');
		expect(threadsText(coverage({ people_touched_90d: 3, touches_90d: 5 }))).toBe('3 people met over 5 touch days in 90 days.');
		const role = { role: 'economic_buyer' as const, people: [], engaged: false, last_touch_on: null };
		expect(roleText(role)).toBe('Economic buyer: not covered');
		expect(roleText({ ...role, people: ['Dana Lee'] })).toBe('Economic buyer: Dana Lee (not engaged)');
	});
});
