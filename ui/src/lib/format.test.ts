import { beforeEach, describe, expect, it } from 'vitest';
import { clock, date, dateTime, daysAway, money, relativeDays, weekday } from './format';
import { dateLocale } from './locale.svelte';

beforeEach(() => dateLocale.set('en-GB'));

describe('format', () => {
	it('writes money from minor units', () => {
		expect(money({ minor: 12_000_000, currency: 'USD' })).toBe('$120,000');
		expect(money({ minor: 12_000_050, currency: 'USD' })).toBe('$120,000.50');
		expect(money({ minor: 1_250_000, currency: 'KRW' })).toBe('₩1,250,000');
		expect(money({ minor: 150_000_000, currency: 'EUR' }, { compact: true })).toBe('€1.5M');
	});

	it('writes dates and day counts for people', () => {
		expect(date('2027-03-12')).toBe('12 Mar 2027');
		expect(date(null)).toBe('');
		expect(relativeDays(41)).toBe('in 41 days');
		expect(relativeDays(-3)).toBe('3 days ago');
		expect(relativeDays(1)).toBe('in 1 day');
		expect(relativeDays(0)).toBe('today');
		expect(relativeDays(12, false)).toBe('12 days ago');
		expect([daysAway(44), daysAway(-3), daysAway(0), daysAway(null)]).toEqual(['in 44d', '3d ago', 'today', '']);
	});
});

describe('planner formatting', () => {
	it('writes durations and moves calendar days without time zones', async () => {
		const { minutes, addDays, weekday, localToday } = await import('./format');
		expect([minutes(45), minutes(60), minutes(90), minutes(0)]).toEqual(['45m', '1h', '1h 30m', '0m']);
		expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
		expect(addDays('2026-03-02', -1)).toBe('2026-03-01');
		expect(weekday('2026-11-23')).toBe('Mon 23 Nov');
		expect(localToday(new Date(2026, 10, 22, 23, 59))).toBe('2026-11-22');
	});
});

describe('dateTime', () => {
	it('shows every instant the same way: day, short month, year and a 24-hour time', () => {
		const at = new Date(2026, 11, 2, 16, 13, 25);
		expect(dateTime(at)).toBe('2 Dec 2026, 16:13');
		expect(dateTime(at.toISOString())).toBe('2 Dec 2026, 16:13');
		expect(clock(new Date(2026, 0, 5, 9, 4))).toBe('09:04');
		expect(dateTime('not a date')).toBe('—');
	});
});

describe('the date style', () => {
	it('writes every date and time in the chosen style, one style at a time', () => {
		const at = new Date(2026, 11, 2, 16, 13, 25);
		dateLocale.set('en-US');
		expect([date('2026-12-02'), dateTime(at), weekday('2026-11-23')]).toEqual(['Dec 2, 2026', 'Dec 2, 2026, 4:13 PM', 'Mon, Nov 23']);
		dateLocale.set('iso');
		expect([date('2026-12-02'), dateTime(at), clock(at)]).toEqual(['2026-12-02', '2026-12-02 16:13', '16:13']);
		dateLocale.set('de-DE');
		expect(date('2026-12-02')).toBe('2. Dez. 2026');
	});

	it('follows the system unless the CSM chose, and keeps the choice on this machine', () => {
		dateLocale.set('system');
		expect(dateLocale.tag).toBe(Intl.DateTimeFormat.supportedLocalesOf([navigator.language])[0]);
		dateLocale.set('fr-FR');
		dateLocale.choice = 'system';
		dateLocale.init();
		expect(dateLocale.choice).toBe('fr-FR');
	});
});
