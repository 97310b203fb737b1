// @vitest-environment node
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { niceMax } from './deck';
import { buildPdf, type FontFiles } from './pdf';
import { NAME, SLIDES, STYLE, VIEW } from './fixture';
import { nth, readBack } from './readback';

/** The system fonts the app would send (setup.sh installs them), found by file name. */
function font(name: string, dir = '/usr/share/fonts'): Uint8Array {
	for (const entry of readdirSync(dir)) {
		const path = join(dir, entry);
		if (entry === name) return readFileSync(path);
		if (statSync(path).isDirectory()) {
			try {
				return font(name, path);
			} catch {
				/* not under this folder */
			}
		}
	}
	throw new Error(`${name} is not installed (scripts/setup.sh installs it)`);
}

const fonts = (): FontFiles => ({
	regular: font('DejaVuSans.ttf'),
	bold: font('DejaVuSans-Bold.ttf'),
	fallbacks: [font('DroidSansFallbackFull.ttf'), font('Symbola_hint.ttf')]
});

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

	it('rounds the value axis up', () => {
		expect([niceMax(0), niceMax(1), niceMax(7), niceMax(72), niceMax(170), niceMax(1234)]).toEqual([4, 4, 7, 80, 200, 2000]);
	});
});
