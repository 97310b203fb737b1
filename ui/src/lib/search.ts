// Where a search hit leads.
import { resolve } from '$app/paths';
import type { SearchHit } from '$lib/bindings/SearchHit';

export function hitHref(hit: SearchHit): string {
	if (hit.kind === 'note') return resolve('/notes/[id]', { id: hit.ref_id });
	if (hit.kind === 'account') return resolve('/accounts/[id]', { id: hit.ref_id });
	return hit.account_id ? resolve('/accounts/[id]', { id: hit.account_id }) : resolve('/week');
}

export const KIND_LABELS = { note: 'Note', account: 'Account', contact: 'Contact', task: 'Task' } as const;
