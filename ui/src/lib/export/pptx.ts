// The QBR deck as an editable PowerPoint file: real title placeholders, text boxes, tables and
// native charts (PptxGenJS), one PowerPoint slide per slide the backend laid out.
import JSZip from 'jszip';
import PptxGenJS from 'pptxgenjs';
import type { DeckChart } from '$lib/bindings/DeckChart';
import type { DeckStyle } from '$lib/bindings/DeckStyle';
import type { DeckTable } from '$lib/bindings/DeckTable';
import type { QbrView } from '$lib/bindings/QbrView';
import type { Slide } from '$lib/bindings/Slide';
import {
	BODY,
	CHART,
	FONT_SIZE,
	FOOTER_Y,
	GRID,
	hex,
	INK,
	MARGIN,
	MUTED,
	NARROW_W,
	seriesColours,
	SLIDE,
	TITLE,
	deckTitle,
	footerText
} from './deck';

const FONT = 'Arial';
type Pres = InstanceType<typeof PptxGenJS>;
type PptSlide = ReturnType<Pres['addSlide']>;

function defineMasters(pptx: Pres, view: QbrView, style: DeckStyle) {
	const primary = hex(style.primary_color, '1F3A5F');
	const accent = hex(style.accent_color, '2E86AB');
	const footer = { x: MARGIN, y: FOOTER_Y, w: SLIDE.w - 2 * MARGIN - 1, h: 0.3, fontSize: FONT_SIZE.footer, color: MUTED, fontFace: FONT };
	pptx.defineSlideMaster({
		title: 'COVER',
		background: { color: primary },
		objects: [
			{ rect: { x: 0, y: 5.2, w: SLIDE.w, h: 0.08, fill: { color: accent } } },
			{
				placeholder: {
					options: {
						name: 'title',
						type: 'title',
						x: 0.8,
						y: 2.2,
						w: SLIDE.w - 1.6,
						h: 1.4,
						fontSize: FONT_SIZE.cover,
						bold: true,
						color: 'FFFFFF',
						fontFace: FONT,
						align: 'left',
						valign: 'bottom'
					},
					text: ''
				}
			}
		]
	});
	pptx.defineSlideMaster({
		title: 'SECTION',
		background: { color: 'FFFFFF' },
		objects: [
			{ rect: { x: 0, y: 0, w: SLIDE.w, h: 0.12, fill: { color: primary } } },
			{ line: { x: MARGIN, y: TITLE.y + TITLE.h + 0.05, w: 1.2, h: 0, line: { color: accent, width: 2 } } },
			{
				placeholder: {
					options: {
						name: 'title',
						type: 'title',
						...TITLE,
						fontSize: FONT_SIZE.title,
						bold: true,
						color: primary,
						fontFace: FONT,
						align: 'left',
						valign: 'middle'
					},
					text: ''
				}
			},
			{ text: { text: footerText(view, style), options: footer } }
		],
		slideNumber: { x: SLIDE.w - MARGIN - 0.6, y: FOOTER_Y, w: 0.6, h: 0.3, fontSize: FONT_SIZE.footer, color: MUTED, align: 'right' }
	});
}

function addLogo(slide: PptSlide, style: DeckStyle, onDark: boolean) {
	if (!style.logo_data_url) return;
	const data = style.logo_data_url.replace(/^data:/, '');
	const y = onDark ? 0.5 : 0.3;
	slide.addImage({ data, x: SLIDE.w - MARGIN - 1.8, y, w: 1.8, h: 0.7, sizing: { type: 'contain', w: 1.8, h: 0.7 } });
}

function cover(pptx: Pres, style: DeckStyle, slide: Slide) {
	const s = pptx.addSlide({ masterName: 'COVER' });
	s.addText(slide.title, { placeholder: 'title', align: 'left' });
	const lines = [slide.subtitle, ...slide.bullets];
	if (style.company_name.trim()) lines.push(style.company_name.trim());
	s.addText(
		lines.map((text, i) => ({ text, options: { breakLine: i < lines.length - 1, fontSize: i === 0 ? FONT_SIZE.subtitle : 14 } })),
		{ x: 0.8, y: 3.7, w: SLIDE.w - 1.6, h: 1.3, color: 'FFFFFF', fontFace: FONT, valign: 'top' }
	);
	addLogo(s, style, true);
}

/** The story (italic) and bullets of a slide as one text box's paragraphs. */
function paragraphs(slide: Slide) {
	const runs: PptxGenJS.TextProps[] = [];
	if (slide.story) {
		for (const line of slide.story.split('\n')) {
			runs.push({ text: line, options: { italic: true, color: MUTED, breakLine: true, paraSpaceAfter: 4 } });
		}
	}
	for (const bullet of slide.bullets) {
		runs.push({ text: bullet, options: { bullet: { indent: 14 }, breakLine: true, paraSpaceAfter: 4 } });
	}
	const last = runs.at(-1);
	if (last?.options) last.options.breakLine = false;
	return runs;
}

function addTable(s: PptSlide, table: DeckTable, style: DeckStyle, y: number) {
	const primary = hex(style.primary_color, '1F3A5F');
	const header = table.columns.map((text) => ({ text, options: { bold: true, color: 'FFFFFF', fill: { color: primary } } }));
	const rows = table.rows.map((row) => row.cells.map((text) => ({ text })));
	const first = table.columns.length > 3 ? 3.6 : 1.6;
	const rest = (BODY.w - first) / Math.max(1, table.columns.length - 1);
	const colW = table.columns.map((_, i) => (i === 0 ? first : rest));
	if (table.columns.length === 3) colW.splice(0, 3, 1.6, 1.4, BODY.w - 3.0);
	s.addTable([header, ...rows], {
		x: BODY.x,
		y,
		w: BODY.w,
		colW,
		fontSize: FONT_SIZE.table,
		fontFace: FONT,
		color: INK,
		border: { type: 'solid', pt: 0.5, color: GRID },
		autoPage: false,
		valign: 'middle'
	});
}

function addChart(pptx: Pres, s: PptSlide, chart: DeckChart, style: DeckStyle) {
	const type = chart.kind === 'bar' ? pptx.ChartType.bar : pptx.ChartType.line;
	const data = chart.series.map((series) => ({ name: series.name, labels: chart.categories, values: series.values }));
	s.addChart(type, data, {
		...CHART,
		barDir: 'col',
		barGrouping: 'clustered',
		chartColors: seriesColours(style).slice(0, Math.max(1, chart.series.length)),
		showTitle: true,
		title: chart.title,
		titleFontSize: 12,
		titleColor: INK,
		showLegend: chart.series.length > 1,
		legendPos: 'b',
		legendFontSize: 10,
		catAxisLabelFontSize: 9,
		valAxisLabelFontSize: 9,
		valGridLine: { color: GRID, size: 0.5 },
		lineSize: 2,
		lineDataSymbolSize: 5,
		displayBlanksAs: 'gap',
		valAxisMinVal: 0,
		valAxisMaxVal: chart.axis.max,
		valAxisMajorUnit: chart.axis.step,
		valAxisLabelFormatCode: '#,##0'
	});
}

function section(pptx: Pres, style: DeckStyle, slide: Slide) {
	const s = pptx.addSlide({ masterName: 'SECTION' });
	s.addText(slide.title, { placeholder: 'title', align: 'left' });
	const text = paragraphs(slide);
	const width = slide.layout === 'text_chart' ? NARROW_W : BODY.w;
	// A table goes under the story; bullets under the table.
	const storyLines = slide.story ? slide.story.split('\n').length : 0;
	let y = BODY.y;
	if (slide.table) {
		if (storyLines > 0) {
			s.addText(paragraphs({ ...slide, bullets: [] }), {
				x: BODY.x,
				y,
				w: width,
				h: 0.4 * storyLines,
				fontSize: FONT_SIZE.body,
				fontFace: FONT,
				color: INK,
				valign: 'top'
			});
			y += 0.4 * storyLines;
		}
		addTable(s, slide.table, style, y);
		y += 0.4 * (slide.table.rows.length + 1) + 0.2;
		if (slide.bullets.length) {
			s.addText(paragraphs({ ...slide, story: '' }), {
				x: BODY.x,
				y,
				w: width,
				h: Math.max(0.5, BODY.y + BODY.h - y),
				fontSize: FONT_SIZE.body,
				fontFace: FONT,
				color: INK,
				valign: 'top'
			});
		}
	} else if (text.length) {
		s.addText(text, { x: BODY.x, y, w: width, h: BODY.h, fontSize: FONT_SIZE.body, fontFace: FONT, color: INK, valign: 'top' });
	}
	if (slide.chart) addChart(pptx, s, slide.chart, style);
	addLogo(s, style, false);
}

/** Builds the deck's PPTX file from the slides the backend laid out. */
export async function buildPptx(view: QbrView, style: DeckStyle): Promise<Uint8Array> {
	const pptx = new PptxGenJS();
	pptx.layout = 'LAYOUT_WIDE';
	pptx.title = deckTitle(view);
	pptx.subject = 'Quarterly business review';
	pptx.company = style.company_name;
	pptx.author = style.company_name || 'CSM Desk';
	defineMasters(pptx, view, style);
	for (const slide of view.slides) {
		if (slide.layout === 'title') cover(pptx, style, slide);
		else section(pptx, style, slide);
	}
	const out = (await pptx.write({ outputType: 'uint8array' })) as Uint8Array;
	return fixUp(out);
}

/** Two fixes to PptxGenJS's output. A missing chart value is written as an empty point, which
 *  readers take for an error; OOXML says "no value" by leaving the point out (drawn as a gap).
 *  Titles get placeholder index 100; index 0 (the default) is what makes a placeholder *the*
 *  slide's title for outline views, screen readers and other tools. */
async function fixUp(pptx: Uint8Array): Promise<Uint8Array> {
	const zip = await JSZip.loadAsync(pptx);
	const edit = async (pattern: RegExp, change: (xml: string) => string) => {
		for (const name of Object.keys(zip.files).filter((n) => pattern.test(n))) {
			zip.file(name, change(await zip.file(name)!.async('string')));
		}
	};
	await edit(/^ppt\/charts\/chart\d+\.xml$/, (xml) => xml.replace(/<c:pt idx="\d+"><c:v><\/c:v><\/c:pt>/g, ''));
	await edit(/^ppt\/(slides|slideLayouts)\/\w+\.xml$/, (xml) => xml.replace(/<p:ph\s+idx="\d+"\s+type="title"/g, '<p:ph type="title"'));
	return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}
