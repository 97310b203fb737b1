// Presentation only: numbers arrive computed from the backend; this just writes them for people.
import type { Money } from '$lib/bindings/Money';
import { dateLocale } from '$lib/locale.svelte';

const minorDigits = (currency: string): number => {
	try {
		return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
	} catch {
		return 2;
	}
};

/** "5,000": a count of things. */
export const count = (n: number) => n.toLocaleString('en');

/** "$120,000" (whole amounts drop their cents; compact for tables when asked). */
export function money(value: Money, opts: { compact?: boolean } = {}): string {
	const digits = minorDigits(value.currency);
	const amount = value.minor / 10 ** digits;
	try {
		return new Intl.NumberFormat('en', {
			style: 'currency',
			currency: value.currency,
			notation: opts.compact ? 'compact' : 'standard',
			minimumFractionDigits: opts.compact || Number.isInteger(amount) ? 0 : digits,
			maximumFractionDigits: opts.compact ? 1 : Number.isInteger(amount) ? 0 : digits
		}).format(amount);
	} catch {
		return `${amount.toFixed(digits)} ${value.currency}`;
	}
}

/** An amount as a form field holds it: "130000", "99.5" (no grouping, no symbol). */
export function amountText(value: Money): string {
	const digits = minorDigits(value.currency);
	const text = (value.minor / 10 ** digits).toFixed(digits);
	return digits > 0 ? text.replace(/\.?0+$/, '') : text;
}

/** An amount in the reporting currency's minor units, as money. */
export function reporting(minor: number, currency: string, opts: { compact?: boolean } = {}): string {
	return money({ minor, currency }, opts);
}

/** A calendar day "2027-03-12" as a UTC date, so no time zone can shift it; null if malformed. */
function calendarDay(value: string): Date | null {
	const [y, m, d] = value.slice(0, 10).split('-').map(Number);
	return y && m && d ? new Date(Date.UTC(y, m - 1, d)) : null;
}

/** "12 Mar 2027" from "2027-03-12" (in the CSM's date style); empty for none. */
export function date(value: string | null | undefined): string {
	if (!value) return '';
	const day = calendarDay(value);
	if (!day) return value;
	if (dateLocale.tag === 'iso') return day.toISOString().slice(0, 10);
	return day.toLocaleDateString(dateLocale.tag, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** An instant as the app shows one everywhere: "2 Dec 2026, 16:13" in the CSM's time zone. */
export function dateTime(instant: string | Date): string {
	const at = typeof instant === 'string' ? new Date(instant) : instant;
	if (Number.isNaN(at.getTime())) return '—';
	if (dateLocale.tag === 'iso') return `${localToday(at)} ${clock(at)}`;
	const day = at.toLocaleDateString(dateLocale.tag, { day: 'numeric', month: 'short', year: 'numeric' });
	return `${day}, ${clock(at)}`;
}

/** A time of day in the CSM's style: "16:13" (or "4:13 PM" where the locale says so). */
export function clock(at: Date): string {
	const tag = dateLocale.tag === 'iso' ? 'en-GB' : dateLocale.tag;
	const twelveHour = ['h11', 'h12'].includes(new Intl.DateTimeFormat(tag, { hour: 'numeric' }).resolvedOptions().hourCycle ?? '');
	return at.toLocaleTimeString(tag, { hour: twelveHour ? 'numeric' : '2-digit', minute: '2-digit' });
}

/** "in 41 days", "today", "12 days ago". */
export function relativeDays(days: number | null | undefined, future = true): string {
	if (days === null || days === undefined) return '';
	if (days === 0) return 'today';
	const n = Math.abs(days);
	const unit = n === 1 ? 'day' : 'days';
	if (future) return days > 0 ? `in ${n} ${unit}` : `${n} ${unit} ago`;
	return `${n} ${unit} ago`;
}

/** The compact form tables use: "in 44d", "3d ago", "today". */
export function daysAway(days: number | null | undefined): string {
	if (days === null || days === undefined) return '';
	if (days === 0) return 'today';
	return days > 0 ? `in ${days}d` : `${-days}d ago`;
}

/** "1h 30m", "45m", "6h": durations from minutes. */
export function minutes(total: number): string {
	const h = Math.floor(total / 60);
	const m = Math.round(total % 60);
	if (h && m) return `${h}h ${m}m`;
	return h ? `${h}h` : `${m}m`;
}

/** "Mon 23 Nov" from "2026-11-23" (in the CSM's date style). */
export function weekday(value: string): string {
	const day = calendarDay(value);
	if (!day) return value;
	const tag = dateLocale.tag === 'iso' ? 'en-GB' : dateLocale.tag;
	return day.toLocaleDateString(tag, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/** The calendar day `days` after "2026-11-23", as "YYYY-MM-DD" (no time zone can shift it). */
export function addDays(value: string, days: number): string {
	const [y = 1970, m = 1, d = 1] = value.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Today on this computer's calendar, "YYYY-MM-DD" (the backend uses the same local day). */
export function localToday(now = new Date()): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
