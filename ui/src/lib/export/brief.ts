// The brief as a one-page (or longer) A4 PDF: the same lines as on screen, stances left out (they
// are the CSM's private judgement), drawn as real text with the deck's fonts.
import { PDFDocument, rgb, type PDFPage } from 'pdf-lib';
import type { Brief } from '$lib/bindings/Brief';
import { typesetter, type FontFiles } from './pdf';

const A4 = { w: 595.28, h: 841.89 };
const MARGIN = 50;
const WIDTH = A4.w - 2 * MARGIN;
const INK = rgb(0.13, 0.15, 0.18);
const MUTED = rgb(0.4, 0.43, 0.48);

/** What the PDF says, in order: the title, the meeting line, then each section with its lines. */
export function briefBlocks(brief: Brief): { kind: 'title' | 'meeting' | 'section' | 'line'; text: string }[] {
	const blocks: { kind: 'title' | 'meeting' | 'section' | 'line'; text: string }[] = [
		{ kind: 'title', text: `Brief: ${brief.account_name}` }
	];
	const m = brief.meeting;
	if (m) blocks.push({ kind: 'meeting', text: `${m.title} — ${m.day}${m.time ? ` ${m.time}` : ''}` });
	for (const section of brief.sections) {
		const lines = section.lines.filter((l) => !l.private);
		if (!lines.length) continue;
		blocks.push({ kind: 'section', text: section.title });
		for (const line of lines) blocks.push({ kind: 'line', text: line.text });
	}
	return blocks;
}

export async function buildBriefPdf(brief: Brief, fonts: FontFiles): Promise<Uint8Array> {
	const doc = await PDFDocument.create();
	doc.setTitle(`Brief: ${brief.account_name}`);
	doc.setProducer('CSM Desk');
	const blocks = briefBlocks(brief);
	const used = new Set(blocks.flatMap((b) => [...b.text].map((c) => c.codePointAt(0) ?? 32)));
	const type = await typesetter(doc, fonts, used);
	let page: PDFPage = doc.addPage([A4.w, A4.h]);
	let y = A4.h - MARGIN;
	const write = (text: string, size: number, opts: { bold?: boolean; muted?: boolean; indent?: number; before?: number } = {}) => {
		const indent = opts.indent ?? 0;
		y -= opts.before ?? 0;
		for (const [i, line] of type.wrap(text, size, WIDTH - indent, opts.bold).entries()) {
			if (y - size < MARGIN) {
				page = doc.addPage([A4.w, A4.h]);
				y = A4.h - MARGIN;
			}
			y -= size * 1.3;
			if (i === 0 && indent) type.draw(page, '•', MARGIN + indent - 10, y, size, MUTED);
			type.draw(page, line, MARGIN + indent, y, size, opts.muted ? MUTED : INK, opts.bold);
		}
	};
	for (const block of blocks) {
		if (block.kind === 'title') write(block.text, 18, { bold: true });
		else if (block.kind === 'meeting') write(block.text, 11, { muted: true, before: 4 });
		else if (block.kind === 'section') write(block.text.toUpperCase(), 9.5, { bold: true, muted: true, before: 12 });
		else write(block.text, 10.5, { indent: 14, before: 2 });
	}
	return doc.save();
}
