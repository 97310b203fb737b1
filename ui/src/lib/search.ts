// Where a search hit leads.
import { resolve } from '$app/paths';
import type { SearchHit } from '$lib/bindings/SearchHit';

export function hitHref(hit: SearchHit): string {
	if (hit.kind === 'note') return resolve('/notes/[id]', { id: hit.ref_id });
	if (hit.kind === 'account') return resolve('/accounts/[id]', { id: hit.ref_id });
	if (hit.kind === 'risk') return `${resolve('/risks')}?${new URLSearchParams({ risk: hit.ref_id })}`;
	if (hit.kind === 'ask') return `${resolve('/asks')}?${new URLSearchParams({ ask: hit.ref_id })}`;
	return hit.account_id ? resolve('/accounts/[id]', { id: hit.account_id }) : resolve('/week');
}

export const KIND_LABELS = { note: 'Note', account: 'Account', contact: 'Contact', task: 'Task', risk: 'Risk', ask: 'Ask' } as const;
