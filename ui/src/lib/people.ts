// Words for the stakeholder map: how often a person was met, and the account's coverage.
import type { Coverage } from '$lib/bindings/Coverage';
import type { Engagement } from '$lib/bindings/Engagement';
import { DEAL_ROLES } from '$lib/labels';

/** "met 2× in 30 days", "met once in 30 days", "last met 160 days ago", "never met". */
export function metText(e: Engagement): string {
	if (e.touches_30d >= 2) return `met ${e.touches_30d}× in 30 days`;
	if (e.touches_30d === 1) return 'met once in 30 days';
	if (e.days_since_touch === null) return 'never met';
	if (e.days_since_touch === 0) return 'met today';
	return `last met ${e.days_since_touch} day${e.days_since_touch === 1 ? '' : 's'} ago`;
}

/** One line on who carries the relationship, for the coverage strip. */
export function threadsText(c: Coverage): string {
	if (c.single_threaded) return `Single-threaded: every touch in 90 days was with ${c.single_threaded}.`;
	if (c.people_touched_90d === 0) return 'No one at this account was met in 90 days.';
	return `${c.people_touched_90d} people met over ${c.touches_90d} touch days in 90 days.`;
}

/** "Economic buyer: Dana Lee, engaged" — or "not covered". */
export function roleText(r: Coverage['key_roles'][number]): string {
	const role = DEAL_ROLES[r.role];
	if (r.people.length === 0) return `${role}: not covered`;
	return `${role}: ${r.people.join(', ')}${r.engaged ? '' : ' (not engaged)'}`;
}
