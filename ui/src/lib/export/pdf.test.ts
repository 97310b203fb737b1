// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { buildPdf } from './pdf';
import { NAME, SLIDES, STYLE, VIEW } from './fixture';
import { fonts, nth, readBack } from './readback';

const squash = (text: string) => text.replace(/\s+/g, '');

describe('PDF export read back by pypdf', () => {
	it('has one page per slide with its title and text, CJK, emoji and quotes included', async () => {
		const read = readBack<{ pages: string[] }>(await buildPdf(VIEW, STYLE, fonts()), 'pdf');
		expect(read.pages.length).toBe(SLIDES.length);
		SLIDES.forEach((slide, i) => {
			const page = squash(nth(read.pages, i));
			expect(page).toContain(squash(slide.title));
			for (const bullet of slide.bullets) expect(page).toContain(squash(bullet));
			for (const row of slide.table?.rows ?? []) expect(page).toContain(squash(row.cells[2] ?? ''));
		});
		expect(squash(nth(read.pages, 0))).toContain(squash(NAME));
	}, 30_000);

	it('wraps a very long line inside the page instead of running off it', async () => {
		const long = { ...nth(SLIDES, 5), bullets: ['word '.repeat(60).trim(), '長'.repeat(150)] };
		const read = readBack<{ pages: string[] }>(await buildPdf({ ...VIEW, slides: [long] }, STYLE, fonts()), 'pdf');
		const page = nth(read.pages, 0);
		expect(squash(page)).toContain('長'.repeat(150));
		expect(page.split('\n').length).toBeGreaterThan(4);
	}, 30_000);
});
