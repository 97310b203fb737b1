// The QBR deck as a PDF (pdf-lib): the same slides as the PPTX, drawn as real text with embedded
// font subsets. The Linux webview cannot print to PDF, so the pages are composed here. Each
// character is drawn with the first font that has it (Latin, then CJK, then symbols and emoji).
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFImage, type PDFPage, type RGB } from 'pdf-lib';
import type { DeckChart } from '$lib/bindings/DeckChart';
import type { DeckStyle } from '$lib/bindings/DeckStyle';
import type { DeckTable } from '$lib/bindings/DeckTable';
import type { QbrView } from '$lib/bindings/QbrView';
import type { Slide } from '$lib/bindings/Slide';
import {
	BODY,
	CHART,
	deckTitle,
	FONT_SIZE,
	FOOTER_Y,
	footerText,
	GRID,
	hex,
	INK,
	MARGIN,
	MUTED,
	NARROW_W,
	axisLabel,
	axisTicks,
	seriesColours,
	SLIDE,
	TITLE
} from './deck';

/** Font files for the PDF, from the backend: the first is the main one. */
export type FontFiles = { regular: Uint8Array; bold?: Uint8Array; fallbacks: Uint8Array[] };

const PT = 72; // points per inch
const W = SLIDE.w * PT;
const H = SLIDE.h * PT;
const LINE = 1.25; // line height, in font sizes
/** pdf-lib's subsetter loses the glyphs of the large CJK fallback (they draw blank), so a font
 *  this big is embedded whole; the others are subset to the characters used. */
const SUBSET_MAX_BYTES = 2 * 1024 * 1024;

type Face = { pdf: PDFFont; has: (cp: number) => boolean };
type Run = { text: string; font: PDFFont };

function colour(hexText: string): RGB {
	const n = parseInt(hexText, 16);
	return rgb(((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255);
}

/** Fonts in fallback order; splits text into runs each drawn by one font. */
export class Typesetter {
	constructor(
		private readonly main: Face,
		private readonly regular: Face[],
		private readonly bold: Face[]
	) {}

	runs(text: string, bold = false): Run[] {
		const faces = bold ? this.bold : this.regular;
		const runs: Run[] = [];
		for (const char of text) {
			const cp = char.codePointAt(0) ?? 32;
			if (cp === 0xfe0f || cp === 0x200d || cp === 0x200b) continue; // joiners and selectors draw nothing
			const face = faces.find((f) => f.has(cp)) ?? this.main;
			const last = runs.at(-1);
			if (last && last.font === face.pdf) last.text += char;
			else runs.push({ text: char, font: face.pdf });
		}
		return runs;
	}

	width(text: string, size: number, bold = false): number {
		return this.runs(text, bold).reduce((sum, r) => sum + r.font.widthOfTextAtSize(r.text, size), 0);
	}

	/** Breaks text into lines no wider than `max`, between words (or anywhere in a long word). */
	wrap(text: string, size: number, max: number, bold = false): string[] {
		const lines: string[] = [];
		for (const paragraph of text.split('\n')) {
			let line = '';
			for (const word of paragraph.split(/(\s+)/)) {
				const candidate = line + word;
				if (this.width(candidate, size, bold) <= max || line.trim() === '') {
					line = candidate;
					while (this.width(line, size, bold) > max && [...line].length > 1) {
						const chars = [...line];
						let cut = chars.length - 1;
						while (cut > 1 && this.width(chars.slice(0, cut).join(''), size, bold) > max) cut--;
						lines.push(chars.slice(0, cut).join(''));
						line = chars.slice(cut).join('');
					}
				} else {
					lines.push(line.trimEnd());
					line = word.trimStart();
				}
			}
			lines.push(line.trimEnd());
		}
		return lines;
	}

	draw(page: PDFPage, text: string, x: number, y: number, size: number, color: RGB, bold = false) {
		let at = x;
		for (const run of this.runs(text, bold)) {
			page.drawText(run.text, { x: at, y, size, font: run.font, color });
			at += run.font.widthOfTextAtSize(run.text, size);
		}
	}
}

/** Every character the deck draws, to embed only the fallback fonts it needs. */
function codePoints(view: QbrView, style: DeckStyle): Set<number> {
	const texts = [footerText(view, style), style.company_name];
	for (const slide of view.slides) {
		texts.push(slide.title, slide.subtitle, slide.story, ...slide.bullets);
		texts.push(...(slide.table?.columns ?? []), ...(slide.table?.rows.flatMap((r) => r.cells) ?? []));
		if (slide.chart) texts.push(slide.chart.title, ...slide.chart.categories, ...slide.chart.series.map((s) => s.name));
	}
	return new Set(texts.flatMap((t) => [...t].map((c) => c.codePointAt(0) ?? 32)));
}

export async function typesetter(doc: PDFDocument, files: FontFiles, used: Set<number>): Promise<Typesetter> {
	doc.registerFontkit(fontkit);
	// Each font file is parsed once: for its glyph coverage, and again by pdf-lib only if embedded.
	const face = async (bytes: Uint8Array, kit = fontkit.create(bytes)): Promise<Face> => {
		const pdf = await doc.embedFont(bytes, { subset: bytes.length <= SUBSET_MAX_BYTES });
		return { pdf, has: (cp) => kit.hasGlyphForCodePoint(cp) };
	};
	const regular = await face(files.regular);
	const bold = files.bold ? await face(files.bold) : regular;
	const fallbacks: Face[] = [];
	for (const bytes of files.fallbacks) {
		const kit = fontkit.create(bytes);
		const covered = (cp: number) => regular.has(cp) || bold.has(cp) || fallbacks.some((f) => f.has(cp));
		if ([...used].some((cp) => !covered(cp) && kit.hasGlyphForCodePoint(cp))) fallbacks.push(await face(bytes, kit));
	}
	return new Typesetter(regular, [regular, ...fallbacks], [bold, ...fallbacks]);
}

/** Inches from the top-left (the slide geometry) to points from the bottom-left (PDF). */
const px = (inches: number) => inches * PT;
const py = (inches: number) => H - inches * PT;

type Ctx = { doc: PDFDocument; page: PDFPage; type: Typesetter; style: DeckStyle; logo: PDFImage | null };

async function embedLogo(doc: PDFDocument, dataUrl: string): Promise<PDFImage | null> {
	const match = /^data:image\/(png|jpeg);base64,(.+)$/.exec(dataUrl);
	if (!match?.[2]) return null;
	const bytes = Uint8Array.from(atob(match[2]), (c) => c.charCodeAt(0));
	try {
		return match[1] === 'png' ? await doc.embedPng(bytes) : await doc.embedJpg(bytes);
	} catch {
		return null; // a logo pdf-lib cannot read is left out rather than failing the export
	}
}

function drawLogo(ctx: Ctx, top: number) {
	if (!ctx.logo) return;
	const box = { w: px(1.8), h: px(0.7) };
	const scale = Math.min(box.w / ctx.logo.width, box.h / ctx.logo.height);
	const w = ctx.logo.width * scale;
	const h = ctx.logo.height * scale;
	ctx.page.drawImage(ctx.logo, { x: W - px(MARGIN) - w, y: py(top) - h, width: w, height: h });
}

function cover(ctx: Ctx, slide: Slide) {
	const { page, type, style } = ctx;
	page.drawRectangle({ x: 0, y: 0, width: W, height: H, color: colour(hex(style.primary_color, '1F3A5F')) });
	page.drawRectangle({ x: 0, y: py(5.28), width: W, height: px(0.08), color: colour(hex(style.accent_color, '2E86AB')) });
	const white = rgb(1, 1, 1);
	const titleLines = type.wrap(slide.title, FONT_SIZE.cover, W - px(1.6), true).slice(0, 2);
	let y = py(3.6) + (titleLines.length - 1) * FONT_SIZE.cover * LINE;
	for (const line of titleLines) {
		type.draw(page, line, px(0.8), y, FONT_SIZE.cover, white, true);
		y -= FONT_SIZE.cover * LINE;
	}
	y = py(3.7) - FONT_SIZE.subtitle;
	const lines = [slide.subtitle, ...slide.bullets, style.company_name.trim()].filter(Boolean);
	lines.forEach((line, i) => {
		const size = i === 0 ? FONT_SIZE.subtitle : 14;
		type.draw(page, line, px(0.8), y, size, white);
		y -= size * LINE * 1.2;
	});
	drawLogo(ctx, 0.5);
}

function sectionFrame(ctx: Ctx, slide: Slide, number: number, footer: string) {
	const { page, type, style } = ctx;
	const primary = colour(hex(style.primary_color, '1F3A5F'));
	page.drawRectangle({ x: 0, y: py(0.12), width: W, height: px(0.12), color: primary });
	const size = FONT_SIZE.title;
	const title = type.wrap(slide.title, size, px(TITLE.w - 2), true)[0] ?? '';
	type.draw(page, title, px(TITLE.x), py(TITLE.y + TITLE.h / 2) - size / 3, size, primary, true);
	page.drawLine({
		start: { x: px(MARGIN), y: py(TITLE.y + TITLE.h + 0.05) },
		end: { x: px(MARGIN + 1.2), y: py(TITLE.y + TITLE.h + 0.05) },
		thickness: 2,
		color: colour(hex(style.accent_color, '2E86AB'))
	});
	const muted = colour(MUTED);
	type.draw(page, footer, px(MARGIN), py(FOOTER_Y + 0.2), FONT_SIZE.footer, muted);
	const num = String(number);
	type.draw(page, num, W - px(MARGIN) - type.width(num, FONT_SIZE.footer), py(FOOTER_Y + 0.2), FONT_SIZE.footer, muted);
	drawLogo(ctx, 0.3);
}

/** Draws the story and bullets from `top` (inches), `width` wide; returns where it ended. */
function paragraphs(ctx: Ctx, slide: Slide, top: number, width: number): number {
	const size = FONT_SIZE.body;
	let y = py(top) - size;
	const muted = colour(MUTED);
	const ink = colour(INK);
	for (const line of slide.story ? ctx.type.wrap(slide.story, size, px(width)) : []) {
		ctx.type.draw(ctx.page, line, px(BODY.x), y, size, muted);
		y -= size * LINE;
	}
	if (slide.story) y -= 4;
	const indent = 16;
	for (const bullet of slide.bullets) {
		ctx.type.draw(ctx.page, '•', px(BODY.x), y, size, ink);
		for (const line of ctx.type.wrap(bullet, size, px(width) - indent)) {
			ctx.type.draw(ctx.page, line, px(BODY.x) + indent, y, size, ink);
			y -= size * LINE;
		}
		y -= 4;
	}
	return (H - y - size) / PT;
}

function table(ctx: Ctx, data: DeckTable, top: number): number {
	const { page, type, style } = ctx;
	const size = FONT_SIZE.table;
	const widths =
		data.columns.length === 3
			? [1.6, 1.4, BODY.w - 3.0]
			: data.columns.map((_, i) => (i === 0 ? 3.6 : (BODY.w - 3.6) / (data.columns.length - 1)));
	const pad = 5;
	let y = py(top);
	const rows = [data.columns, ...data.rows.map((r) => r.cells)];
	rows.forEach((cells, r) => {
		const wrapped = cells.map((cell, c) => type.wrap(cell, size, px(widths[c] ?? 1) - 2 * pad, r === 0));
		const height = Math.max(...wrapped.map((l) => l.length)) * size * LINE + 2 * pad;
		let x = px(BODY.x);
		if (r === 0) page.drawRectangle({ x, y: y - height, width: px(BODY.w), height, color: colour(hex(style.primary_color, '1F3A5F')) });
		wrapped.forEach((lines, c) => {
			lines.forEach((line, i) =>
				type.draw(page, line, x + pad, y - pad - size - i * size * LINE + 2, size, r === 0 ? rgb(1, 1, 1) : colour(INK), r === 0)
			);
			x += px(widths[c] ?? 1);
		});
		y -= height;
		page.drawLine({ start: { x: px(BODY.x), y }, end: { x: px(BODY.x + BODY.w), y }, thickness: 0.5, color: colour(GRID) });
	});
	return (H - y) / PT + 0.2;
}

function chart(ctx: Ctx, data: DeckChart) {
	const { page, type } = ctx;
	const colours = seriesColours(ctx.style).map(colour);
	const ink = colour(INK);
	const left = px(CHART.x) + 30;
	const right = px(CHART.x + CHART.w) - 8;
	const top = py(CHART.y) - 26;
	const bottom = py(CHART.y + CHART.h) + 46;
	const title = data.title;
	type.draw(page, title, (left + right) / 2 - type.width(title, 12, true) / 2, py(CHART.y) - 14, 12, ink, true);
	const y = (v: number) => bottom + ((top - bottom) * v) / data.axis.max;
	for (const v of axisTicks(data.axis)) {
		page.drawLine({ start: { x: left, y: y(v) }, end: { x: right, y: y(v) }, thickness: 0.5, color: colour(GRID) });
		const label = axisLabel(v);
		type.draw(page, label, left - 4 - type.width(label, 8), y(v) - 3, 8, colour(MUTED));
	}
	const n = data.categories.length;
	const slot = (right - left) / Math.max(1, n);
	const every = Math.ceil(n / 8);
	data.categories.forEach((label, i) => {
		if (i % every === 0) type.draw(page, label, left + slot * (i + 0.5) - type.width(label, 8) / 2, bottom - 12, 8, colour(MUTED));
	});
	data.series.forEach((series, s) => {
		const c = colours[s % colours.length];
		if (data.kind === 'bar') {
			const bar = (slot * 0.7) / data.series.length;
			series.values.forEach((v, i) => {
				if (v !== null && v > 0)
					page.drawRectangle({ x: left + slot * i + slot * 0.15 + bar * s, y: bottom, width: bar, height: y(v) - bottom, color: c });
			});
		} else {
			let previous: { x: number; y: number } | null = null;
			series.values.forEach((v, i) => {
				if (v === null) return void (previous = null);
				const point = { x: left + slot * (i + 0.5), y: y(v) };
				if (previous) page.drawLine({ start: previous, end: point, thickness: 2, color: c });
				page.drawCircle({ x: point.x, y: point.y, size: 2.5, color: c });
				previous = point;
			});
		}
	});
	if (data.series.length > 1) {
		let x = left;
		for (const [s, series] of data.series.entries()) {
			page.drawRectangle({ x, y: bottom - 34, width: 8, height: 8, color: colours[s % colours.length] });
			type.draw(page, series.name, x + 12, bottom - 33, 9, ink);
			x += 24 + type.width(series.name, 9);
		}
	}
}

/** Builds the deck's PDF: one page per slide, the same slides as the PPTX. */
export async function buildPdf(view: QbrView, style: DeckStyle, fonts: FontFiles): Promise<Uint8Array> {
	const doc = await PDFDocument.create();
	doc.setTitle(deckTitle(view));
	doc.setSubject('Quarterly business review');
	if (style.company_name) doc.setAuthor(style.company_name);
	doc.setCreator('CSM Desk');
	const type = await typesetter(doc, fonts, codePoints(view, style));
	const logo = style.logo_data_url ? await embedLogo(doc, style.logo_data_url) : null;
	const footer = footerText(view, style);
	view.slides.forEach((slide, i) => {
		const ctx: Ctx = { doc, page: doc.addPage([W, H]), type, style, logo };
		if (slide.layout === 'title') return cover(ctx, slide);
		sectionFrame(ctx, slide, i + 1, footer);
		const width = slide.layout === 'text_chart' ? NARROW_W : BODY.w;
		if (slide.table) {
			const afterStory = slide.story ? paragraphs(ctx, { ...slide, bullets: [] }, BODY.y, width) : BODY.y;
			const afterTable = table(ctx, slide.table, afterStory);
			paragraphs(ctx, { ...slide, story: '' }, afterTable, width);
		} else {
			paragraphs(ctx, slide, BODY.y, width);
		}
		if (slide.chart) chart(ctx, slide.chart);
	});
	return doc.save();
}
