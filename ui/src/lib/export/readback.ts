// Test helper: reads an exported deck back with the independent Python readers in
// tests/deck/read_deck.py (python-pptx, pypdf), installed by `scripts/setup.sh test`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FontFiles } from './pdf';

const ROOT = resolve(__dirname, '../../../..');
const PYTHON = process.env.CSM_DESK_PYTHON ?? join(ROOT, '.venv-test/bin/python');

/** Writes the bytes to a fresh temporary folder and returns the file's path. */
export function tempFile(bytes: Uint8Array, name: string): string {
	const file = join(mkdtempSync(join(tmpdir(), 'deck-')), name);
	writeFileSync(file, bytes);
	return file;
}

export function readBack<T>(bytes: Uint8Array, extension: 'pptx' | 'pdf'): T {
	const file = tempFile(bytes, `deck.${extension}`);
	const out = execFileSync(PYTHON, [join(ROOT, 'tests/deck/read_deck.py'), file], { encoding: 'utf8' });
	return JSON.parse(out) as T;
}

/** Renders the PPTX with LibreOffice and compares each slide with the PDF's page (tests/deck/compare_renders.py). */
export function compareRenders<T>(pptx: Uint8Array, pdf: Uint8Array): T {
	const args = [join(ROOT, 'tests/deck/compare_renders.py'), tempFile(pptx, 'deck.pptx'), tempFile(pdf, 'deck.pdf')];
	return JSON.parse(execFileSync(PYTHON, args, { encoding: 'utf8', timeout: 240_000 })) as T;
}

/** The i-th entry, failing the test when it is missing. */
export function nth<T>(list: readonly T[], i: number): T {
	const value = list[i];
	if (value === undefined) throw new Error(`entry ${i} is missing (${list.length} entries)`);
	return value;
}

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

export const fonts = (): FontFiles => ({
	regular: font('DejaVuSans.ttf'),
	bold: font('DejaVuSans-Bold.ttf'),
	fallbacks: [font('DroidSansFallbackFull.ttf'), font('Symbola_hint.ttf')]
});
