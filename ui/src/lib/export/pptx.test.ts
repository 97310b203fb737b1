// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { buildPptx } from './pptx';
import { NAME, STYLE, VIEW } from './fixture';
import { nth, readBack } from './readback';

type Read = {
	slides: {
		title: string | null;
		texts: string[];
		tables: string[][][];
		charts: { type: string; categories: string[]; series: { name: string; values: (number | null)[] }[] }[];
	}[];
};

describe('PPTX export read back by python-pptx', () => {
	it('has every slide with its title, text, tables and native charts', async () => {
		const read = readBack<Read>(await buildPptx(VIEW, STYLE), 'pptx');
		expect(read.slides.map((s) => s.title)).toEqual(VIEW.slides.map((s) => s.title));
		expect(nth(read.slides, 0).title).toBe(NAME);
		VIEW.slides.forEach((slide, i) => {
			const got = nth(read.slides, i);
			const text = got.texts.join('\n');
			for (const bullet of slide.bullets) expect(text).toContain(bullet);
			if (slide.story) expect(text).toContain(slide.story);
			if (slide.table) {
				const table = nth(got.tables, 0);
				expect(table[0]).toEqual(slide.table.columns);
				expect(table.slice(1)).toEqual(slide.table.rows.map((r) => r.cells));
			}
			const charts = got.charts;
			expect(charts.length).toBe(slide.chart ? 1 : 0);
			if (slide.chart) {
				const chart = nth(charts, 0);
				expect(chart.categories).toEqual(slide.chart.categories);
				expect(chart.series.map((s) => s.name)).toEqual(slide.chart.series.map((s) => s.name));
				expect(chart.series.map((s) => s.values)).toEqual(slide.chart.series.map((s) => s.values));
			}
		});
		const types = read.slides.flatMap((s) => s.charts.map((c) => c.type));
		expect(types).toEqual(['LINE_MARKERS', 'LINE_MARKERS', 'COLUMN_CLUSTERED']);
	}, 30_000);
});
