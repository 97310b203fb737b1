// QBR helpers for the UI: labels, the source links behind a line of the deck, and exporting.
import { api } from '$lib/api';
import type { MilestoneStatus } from '$lib/bindings/MilestoneStatus';
import type { QbrStatus } from '$lib/bindings/QbrStatus';
import type { QbrView } from '$lib/bindings/QbrView';
import type { SourceRef } from '$lib/bindings/SourceRef';
import type { FontFiles } from '$lib/export/pdf';

export const QBR_STATUS: Record<QbrStatus, string> = {
	planned: 'Planned',
	prepared: 'Prepared',
	held: 'Held',
	follow_up_sent: 'Follow-up sent'
};

export const MILESTONE_STATUS: Record<MilestoneStatus, string> = {
	planned: 'Planned',
	reached: 'Reached',
	missed: 'Missed',
	dropped: 'Dropped'
};

/** The part of the account page that holds a source of a deck line (notes open on their own). */
export function sourceAnchor(source: SourceRef): string {
	switch (source.kind) {
		case 'metric':
		case 'milestone':
			return 'success-plan';
		case 'task':
			return 'tasks';
		case 'risk':
		case 'ask':
			return 'risks';
		default:
			return 'health';
	}
}

/** The fonts a PDF is drawn with (the deck's, the brief's). */
export async function fonts(): Promise<FontFiles> {
	// Without the CJK or symbols font those characters are drawn as boxes, not refused.
	const optional = (role: 'bold' | 'cjk' | 'symbols') => api.deckFont(role).catch(() => undefined);
	const [regular, bold, cjk, symbols] = await Promise.all([
		api.deckFont('regular'),
		optional('bold'),
		optional('cjk'),
		optional('symbols')
	]);
	const fallbacks: Uint8Array[] = [];
	for (const font of [cjk, symbols]) if (font) fallbacks.push(font);
	return { regular, bold, fallbacks };
}

/** Builds the deck as PPTX or PDF and asks where to save it; the path, or null when cancelled. */
export async function exportDeck(view: QbrView, format: 'pptx' | 'pdf'): Promise<string | null> {
	const style = await api.deckStyle();
	// The writers are loaded when first used: they are large and most sessions never export.
	const bytes =
		format === 'pptx'
			? await (await import('$lib/export/pptx')).buildPptx(view, style)
			: await (await import('$lib/export/pdf')).buildPdf(view, style, await fonts());
	return api.saveDeck(view.qbr.id, format, bytes);
}
