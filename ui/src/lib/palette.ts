// The command palette's ranking, pure: how well the label (or keywords) match what was typed,
// then how recently the CSM used the thing, then the backend's own search order.
import { rank } from '$lib/shortcuts';

export type PaletteGroup = 'Actions' | 'Accounts' | 'Notes' | 'Contacts' | 'Tasks' | 'Risks' | 'Asks';

export interface PaletteItem {
	id: string;
	label: string;
	hint: string;
	group: PaletteGroup;
	keywords: string;
	/** Found by full-text search: it matched in its text even if not in its label. */
	searched?: boolean;
	/** May be async: the palette shows a failure. */
	run: () => unknown;
}

/** Items matching `query`, best first; `recent` lists ids used lately, most recent first. */
export function rankItems(items: PaletteItem[], query: string, recent: string[], limit = 30): PaletteItem[] {
	const recency = (id: string) => {
		const at = recent.indexOf(id);
		return at < 0 ? 0 : 1 - at / Math.max(recent.length, 1);
	};
	return items
		.map((item, order) => {
			const text = Math.max(rank(item.label, query), rank(item.keywords, query) - 1, item.searched ? 1 : 0);
			return { item, order, score: text === 0 ? 0 : text + recency(item.id) * 0.9 };
		})
		.filter(({ score }) => score > 0)
		.sort((a, b) => b.score - a.score || a.order - b.order)
		.slice(0, limit)
		.map(({ item }) => item);
}
