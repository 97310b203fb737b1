// Test helper: reads an exported deck back with the independent Python readers in
// tests/deck/read_deck.py (python-pptx, pypdf), installed by `scripts/setup.sh test`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../../..');
const PYTHON = process.env.CSM_DESK_PYTHON ?? join(ROOT, '.venv-test/bin/python');

export function readBack<T>(bytes: Uint8Array, extension: 'pptx' | 'pdf'): T {
	const file = join(mkdtempSync(join(tmpdir(), 'deck-')), `deck.${extension}`);
	writeFileSync(file, bytes);
	const out = execFileSync(PYTHON, [join(ROOT, 'tests/deck/read_deck.py'), file], { encoding: 'utf8' });
	return JSON.parse(out) as T;
}

/** The i-th entry, failing the test when it is missing. */
export function nth<T>(list: readonly T[], i: number): T {
	const value = list[i];
	if (value === undefined) throw new Error(`entry ${i} is missing (${list.length} entries)`);
	return value;
}
