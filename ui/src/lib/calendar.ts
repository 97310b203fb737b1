// The CSM's calendars in the UI: how a meeting says where it comes from and who it is with, how
// old a calendar's copy is, and where a brief line's record opens. Pure, so it is unit-tested.
import type { BriefLine } from '$lib/bindings/BriefLine';
import type { CalendarSource } from '$lib/bindings/CalendarSource';
import type { Meeting } from '$lib/bindings/Meeting';

/** Who a meeting is with, in a few words. */
export function meetingWith(m: Meeting): string {
	if (m.account_name) return m.account_name;
	if (m.match_kind === 'internal') return 'Internal';
	return m.domain ? `${m.domain} (no account)` : 'No account';
}

/** Why the meeting is linked to its account, for a tooltip. */
export function matchReason(m: Meeting): string {
	switch (m.match_kind) {
		case 'contact':
			return 'An attendee is one of the account’s contacts';
		case 'domain':
			return 'An attendee’s email is at the account’s web domain';
		case 'assigned':
			return `You assigned ${m.domain ?? 'this domain'} to the account`;
		case 'internal':
			return 'Only people of your company: counted as busy time';
		default:
			return 'No account found: assign its domain in Settings → Calendars';
	}
}

/** "12 min ago", "3 h ago", "2 days ago" from an instant, as of `now`. */
export function ago(instant: string | null, now = new Date()): string {
	if (!instant) return 'never';
	const minutes = Math.max(0, Math.round((now.getTime() - new Date(instant).getTime()) / 60_000));
	if (minutes < 1) return 'just now';
	if (minutes < 60) return `${minutes} min ago`;
	const hours = Math.round(minutes / 60);
	if (hours < 48) return `${hours} h ago`;
	return `${Math.round(hours / 24)} days ago`;
}

/** A calendar's state in one line: how old the copy in use is, and why the last refresh failed. */
export function freshness(c: CalendarSource, now = new Date()): string {
	const copy = c.refreshed_at ? `read ${ago(c.refreshed_at, now)}` : 'not read yet';
	if (c.kind === 'file') return `${copy} (imported file)`;
	return c.last_error ? `${copy}; last refresh failed: ${c.last_error}` : copy;
}

/** Calendars whose copy is stale (a failed refresh, or an address not read for two refreshes). */
export function staleCalendars(list: CalendarSource[], now = new Date()): CalendarSource[] {
	return list.filter((c) => {
		if (c.kind === 'file') return false;
		if (c.last_error) return true;
		const age = c.refreshed_at ? (now.getTime() - new Date(c.refreshed_at).getTime()) / 60_000 : Infinity;
		return c.kind === 'address' && age > 2 * c.refresh_minutes;
	});
}

/** Where a brief line's record opens: a note, else the account page at the right section. */
export function briefLink(line: BriefLine, accountId: string): { route: 'note' | 'account'; id: string; section?: string } {
	switch (line.source) {
		case 'note':
			return { route: 'note', id: line.source_id };
		case 'health':
		case 'signal':
			return { route: 'account', id: accountId, section: 'health' };
		case 'task':
			return { route: 'account', id: accountId, section: 'tasks' };
		case 'metric':
			return { route: 'account', id: accountId, section: 'success-plan' };
		case 'renewal':
			return { route: 'account', id: accountId, section: 'renewal' };
		case 'risk':
			return { route: 'account', id: accountId, section: 'risks' };
		case 'contact':
			return { route: 'account', id: accountId, section: 'people' };
		default:
			return { route: 'account', id: accountId };
	}
}

/** The brief as plain text to paste: the Markdown the backend wrote, without its escapes. */
export function briefText(markdown: string): string {
	return markdown.replace(/\\([\\`*_{}[\]<>#|!])/g, '$1');
}
