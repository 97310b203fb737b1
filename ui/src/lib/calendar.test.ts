import { describe, expect, it } from 'vitest';
import type { CalendarSource } from '$lib/bindings/CalendarSource';
import type { Meeting } from '$lib/bindings/Meeting';
import { ago, briefLink, briefText, freshness, matchReason, meetingWith, staleCalendars } from './calendar';

const meeting = (over: Partial<Meeting> = {}): Meeting => ({
	id: 'cal/uid',
	calendar_id: 'cal',
	calendar_name: 'Work',
	title: 'Sync',
	location: null,
	day: '2026-12-03',
	time: '15:00',
	minutes: 30,
	starts_at: null,
	attendees: [],
	account_id: null,
	account_name: null,
	match_kind: 'unmatched',
	domain: 'hooli.example',
	...over
});

const calendar = (over: Partial<CalendarSource> = {}): CalendarSource => ({
	id: 'c',
	name: 'Google',
	kind: 'address',
	location: null,
	refresh_minutes: 30,
	refreshed_at: '2026-12-03T09:00:00Z',
	last_error: null,
	events: 10,
	meetings: 12,
	skipped: [],
	...over
});

const now = new Date('2026-12-03T10:00:00Z');

describe('calendar', () => {
	it('says who a meeting is with and why', () => {
		expect(meetingWith(meeting({ account_name: 'Acme', match_kind: 'contact' }))).toBe('Acme');
		expect(meetingWith(meeting({ match_kind: 'internal', domain: null }))).toBe('Internal');
		expect(meetingWith(meeting())).toBe('hooli.example (no account)');
		expect(matchReason(meeting({ match_kind: 'assigned' }))).toContain('hooli.example');
	});

	it('says how old a copy is and flags a stale one', () => {
		expect(ago('2026-12-03T09:48:00Z', now)).toBe('12 min ago');
		expect(ago('2026-12-03T07:00:00Z', now)).toBe('3 h ago');
		expect(ago('2026-11-30T10:00:00Z', now)).toBe('3 days ago');
		expect(ago(null, now)).toBe('never');
		expect(freshness(calendar({ last_error: 'The calendar address did not answer in time' }), now)).toBe(
			'read 1 h ago; last refresh failed: The calendar address did not answer in time'
		);
		expect(staleCalendars([calendar(), calendar({ id: 'x', refreshed_at: '2026-12-03T08:00:00Z' })], now).map((c) => c.id)).toEqual(['x']);
		expect(staleCalendars([calendar({ kind: 'file', refreshed_at: null })], now)).toEqual([]);
	});

	it('opens each brief line where its record is, and copies text without escapes', () => {
		const line = (source: 'note' | 'risk' | 'contact') => ({ text: 'x', source, source_id: 'r1', private: false });
		expect(briefLink(line('note'), 'a1')).toEqual({ route: 'note', id: 'r1' });
		expect(briefLink(line('risk'), 'a1')).toEqual({ route: 'account', id: 'a1', section: 'risks' });
		expect(briefLink(line('contact'), 'a1').section).toBe('people');
		expect(briefText('# Brief: Acme \\<Corp\\>\n- 3 \\* 4')).toBe('# Brief: Acme <Corp>\n- 3 * 4');
	});
});
