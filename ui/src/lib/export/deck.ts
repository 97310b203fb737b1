// What the PPTX and PDF writers share: the slide's geometry (inches, 16:9), colours, and the
// words around a slide. The slides themselves (what goes where, continued slides) come from Rust.
import type { ChartAxis } from '$lib/bindings/ChartAxis';
import type { DeckStyle } from '$lib/bindings/DeckStyle';
import type { QbrView } from '$lib/bindings/QbrView';

export const SLIDE = { w: 13.333, h: 7.5 };
export const MARGIN = 0.5;
export const TITLE = { x: MARGIN, y: 0.35, w: SLIDE.w - 2 * MARGIN, h: 0.8 };
export const BODY = { x: MARGIN, y: 1.4, w: SLIDE.w - 2 * MARGIN, h: 5.5 };
/** Beside a chart the text takes the left half; the chart the right. */
export const NARROW_W = 6.0;
export const CHART = { x: MARGIN + NARROW_W + 0.4, y: 1.4, w: SLIDE.w - 2 * MARGIN - NARROW_W - 0.4, h: 5.0 };
export const FOOTER_Y = 7.0;
export const FONT_SIZE = { title: 26, cover: 36, subtitle: 18, body: 16, table: 11, footer: 9 };
export const INK = '222222';
export const MUTED = '6B6B6B';
export const GRID = 'D9D9D9';

/** "#1f3a5f" → "1F3A5F"; anything else falls back. */
export function hex(colour: string, fallback: string): string {
	const m = /^#?([0-9a-f]{6})$/i.exec(colour.trim());
	return m?.[1] ? m[1].toUpperCase() : fallback;
}

/** The series colours: the company's two, then calm neutrals. */
export function seriesColours(style: DeckStyle): string[] {
	return [hex(style.primary_color, '1F3A5F'), hex(style.accent_color, '2E86AB'), 'E07A5F', '81B29A', 'F2CC8F'];
}

export function footerText(view: QbrView, style: DeckStyle): string {
	const parts = [view.deck.account_name, `QBR ${view.deck.period_label}`];
	if (style.company_name.trim()) parts.unshift(style.company_name.trim());
	return parts.join(' · ');
}

/** The file name the PPTX/PDF bytes are offered under is chosen in Rust; this is the deck's title. */
export function deckTitle(view: QbrView): string {
	return `${view.deck.account_name} — QBR ${view.deck.period_label}`;
}

/** An axis label as the PPTX's number format `#,##0` writes it. */
export function axisLabel(value: number): string {
	return value.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

/** The values at which a chart's axis has a gridline: zero to the axis' max in its steps. */
export function axisTicks(axis: ChartAxis): number[] {
	const count = Math.max(1, Math.round(axis.max / axis.step));
	return Array.from({ length: count + 1 }, (_, i) => i * axis.step);
}
