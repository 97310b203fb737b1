// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { Brief } from '$lib/bindings/Brief';
import { briefBlocks, buildBriefPdf } from './brief';
import { fonts, readBack } from './readback';

const line = (text: string, priv = false) => ({ text, source: 'note' as const, source_id: 'n1', private: priv });

const BRIEF: Brief = {
	account_id: 'a1',
	account_name: 'Acme Analytics',
	meeting: null,
	since: '2026-11-12',
	sections: [
		{ title: 'Since the last touch', lines: [line('Last touch 12 Nov 2026 (21 days ago): Escalation: export timeouts')] },
		{ title: 'Open on our side and theirs', lines: [] },
		{
			title: 'Who is coming',
			lines: [line('Hana Dubois <hana@acme.example>, champion'), line("Hana Dubois's stance: skeptic", true)]
		},
		{ title: 'Latest notes', lines: Array.from({ length: 80 }, (_, i) => line(`Note ${i}: ${'a long first line '.repeat(4)}`)) }
	],
	markdown: ''
};

describe('the brief as a PDF', () => {
	it('leaves out private lines and empty sections', () => {
		const texts = briefBlocks(BRIEF).map((b) => b.text);
		expect(texts).toContain('Hana Dubois <hana@acme.example>, champion');
		expect(texts.join('\n')).not.toContain('skeptic');
		expect(texts).not.toContain('Open on our side and theirs');
	});

	it('reads back with every line, over as many pages as it needs', async () => {
		const read = readBack<{ pages: string[] }>(await buildBriefPdf(BRIEF, fonts()), 'pdf');
		const all = read.pages.join('\n').replace(/\s+/g, ' ');
		expect(read.pages.length).toBeGreaterThan(1);
		expect(all).toContain('Brief: Acme Analytics');
		expect(all).toContain('SINCE THE LAST TOUCH');
		expect(all).toContain('Note 79');
		expect(all).not.toContain('skeptic');
	}, 30_000);
});
