// @vitest-environment node
// The PPTX and the PDF of one QBR must look the same: titles placed alike, chart axes alike, and
// each slide as LibreOffice lays the PPTX out close to the PDF's page.
import { describe, expect, it } from 'vitest';
import { buildPdf } from './pdf';
import { buildPptx } from './pptx';
import { STYLE, VIEW } from './fixture';
import { axisLabel, axisTicks, MARGIN } from './deck';
import { compareRenders, fonts, nth, readBack } from './readback';

type Pptx = { slides: { title_align: string | null; charts: { axis: { min: number; max: number; step: number } }[] }[] };
type Pdf = { placed: { text: string; x: number; y: number }[][] };
type Renders = { pptx_pages: number; pdf_pages: number; slides: { difference: number; title_left: [number | null, number | null] }[] };

const POINTS_PER_INCH = 72;

describe('one QBR as PPTX and PDF', () => {
	it('aligns every title left and draws every chart on the same axis', async () => {
		const pptx = readBack<Pptx>(await buildPptx(VIEW, STYLE), 'pptx');
		const pdf = readBack<Pdf>(await buildPdf(VIEW, STYLE, fonts()), 'pdf');
		VIEW.slides.forEach((slide, i) => {
			expect(nth(pptx.slides, i).title_align, `slide ${i + 1}'s title in the PPTX`).toBe('left');
			if (slide.layout === 'title') return;
			const placed = nth(pdf.placed, i);
			const title = placed.find((run) => slide.title.startsWith(run.text.slice(0, 6)));
			expect(title?.x, `slide ${i + 1}'s title in the PDF`).toBeCloseTo(MARGIN * POINTS_PER_INCH, 0);
			if (!slide.chart) return;
			const { axis } = nth(nth(pptx.slides, i).charts, 0);
			expect(axis).toEqual({ min: 0, max: slide.chart.axis.max, step: slide.chart.axis.step });
			const texts = placed.map((run) => run.text);
			for (const tick of axisTicks(slide.chart.axis)) expect(texts).toContain(axisLabel(tick));
		});
	}, 30_000);

	it('looks the same laid out by LibreOffice as drawn in the PDF', async () => {
		const renders = compareRenders<Renders>(await buildPptx(VIEW, STYLE), await buildPdf(VIEW, STYLE, fonts()));
		expect(renders.pptx_pages).toBe(VIEW.slides.length);
		expect(renders.pdf_pages).toBe(VIEW.slides.length);
		renders.slides.forEach((slide, i) => {
			expect(slide.difference, `slide ${i + 1} differs`).toBeLessThan(0.05);
			if (nth(VIEW.slides, i).layout === 'title') return;
			const [pptxLeft, pdfLeft] = slide.title_left;
			expect(pptxLeft, `slide ${i + 1} has a title in the PPTX`).not.toBeNull();
			expect(Math.abs((pptxLeft ?? 1) - (pdfLeft ?? 0)), `slide ${i + 1}: the title starts in the same place`).toBeLessThan(0.02);
		});
	}, 300_000);
});
