// Presentation only: numbers arrive computed from the backend; this just writes them for people.
import type { Money } from '$lib/bindings/Money';

const minorDigits = (currency: string): number => {
	try {
		return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
	} catch {
		return 2;
	}
};

/** "$120,000" (whole amounts drop their cents; compact for tables when asked). */
export function money(value: Money, opts: { compact?: boolean } = {}): string {
	const digits = minorDigits(value.currency);
	const amount = value.minor / 10 ** digits;
	try {
		return new Intl.NumberFormat('en', {
			style: 'currency',
			currency: value.currency,
			notation: opts.compact ? 'compact' : 'standard',
			maximumFractionDigits: opts.compact ? 1 : Number.isInteger(amount) ? 0 : digits
		}).format(amount);
	} catch {
		return `${amount.toFixed(digits)} ${value.currency}`;
	}
}

/** "12 Mar 2027" from "2027-03-12"; empty for none. */
export function date(value: string | null | undefined): string {
	if (!value) return '';
	const [y, m, d] = value.slice(0, 10).split('-').map(Number);
	if (!y || !m || !d) return value;
	return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** "in 41 days", "today", "12 days ago". */
/** An instant as the app shows one everywhere: "2 Dec 2026, 16:13" in the CSM's time zone. */
export function dateTime(instant: string | Date): string {
	const at = typeof instant === 'string' ? new Date(instant) : instant;
	if (Number.isNaN(at.getTime())) return '—';
	const day = at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
	return `${day}, ${clock(at)}`;
}

/** A time of day, 24-hour: "16:13". */
export function clock(at: Date): string {
	return at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
}

export function relativeDays(days: number | null | undefined, future = true): string {
	if (days === null || days === undefined) return '';
	if (days === 0) return 'today';
	const n = Math.abs(days);
	const unit = n === 1 ? 'day' : 'days';
	if (future) return days > 0 ? `in ${n} ${unit}` : `${n} ${unit} ago`;
	return `${n} ${unit} ago`;
}

/** "1h 30m", "45m", "6h": durations from minutes. */
export function minutes(total: number): string {
	const h = Math.floor(total / 60);
	const m = Math.round(total % 60);
	if (h && m) return `${h}h ${m}m`;
	return h ? `${h}h` : `${m}m`;
}

/** "Mon 23 Nov" from "2026-11-23". */
export function weekday(value: string): string {
	const [y, m, d] = value.split('-').map(Number);
	if (!y || !m || !d) return value;
	return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', {
		weekday: 'short',
		day: 'numeric',
		month: 'short',
		timeZone: 'UTC'
	});
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
