// Markdown shortcuts for the note editor, as pure functions of (text, cursor) so they are tested
// without a DOM: Enter continues a list or checklist (and ends it on an empty item), Tab and
// Shift+Tab indent, Ctrl+B / Ctrl+I wrap the selection.

export interface Edit {
	text: string;
	start: number;
	end: number;
}

const LIST_ITEM = /^(\s*)([-*+]|\d+[.)])(\s+\[[ xX]\])?\s+/;

function lineAt(text: string, pos: number): { start: number; end: number; line: string } {
	const start = text.lastIndexOf('\n', pos - 1) + 1;
	const end = text.indexOf('\n', pos);
	const stop = end === -1 ? text.length : end;
	return { start, end: stop, line: text.slice(start, stop) };
}

/** Enter inside a list item: the next item starts with the same marker (a new checkbox is unchecked). */
export function continueList(text: string, cursor: number): Edit | null {
	const { start, line } = lineAt(text, cursor);
	const match = LIST_ITEM.exec(line);
	if (!match) return null;
	if (line.trim() === match[0].trim()) {
		// An empty item ends the list.
		const next = text.slice(0, start) + text.slice(start + line.length);
		return { text: next, start, end: start };
	}
	const [, indent = '', marker = '-', box] = match;
	const number = /^\d+/.exec(marker);
	const nextMarker = number ? `${Number(number[0]) + 1}${marker.slice(number[0].length)}` : marker;
	const insert = `\n${indent}${nextMarker}${box ? ' [ ]' : ''} `;
	return { text: text.slice(0, cursor) + insert + text.slice(cursor), start: cursor + insert.length, end: cursor + insert.length };
}

/** Tab / Shift+Tab: indents or outdents the current line by two spaces. */
export function indent(text: string, cursor: number, outdent: boolean): Edit {
	const { start, line } = lineAt(text, cursor);
	if (outdent) {
		const removed = line.startsWith('  ') ? 2 : line.startsWith(' ') ? 1 : 0;
		const next = text.slice(0, start) + line.slice(removed) + text.slice(start + line.length);
		const pos = Math.max(start, cursor - removed);
		return { text: next, start: pos, end: pos };
	}
	const next = `${text.slice(0, start)}  ${text.slice(start)}`;
	return { text: next, start: cursor + 2, end: cursor + 2 };
}

/** Wraps the selection (or an empty spot) in a Markdown marker: ** for bold, _ for italic. */
export function wrap(text: string, start: number, end: number, marker: string): Edit {
	const inner = text.slice(start, end);
	const next = text.slice(0, start) + marker + inner + marker + text.slice(end);
	return { text: next, start: start + marker.length, end: end + marker.length };
}

/** "[] " typed at the start of a line becomes a checklist item. */
export function expandCheckbox(text: string, cursor: number): Edit | null {
	const { start, line } = lineAt(text, cursor);
	if (line.trimStart() !== '[] ' || cursor !== start + line.length) return null;
	const lead = line.slice(0, line.length - 3);
	const next = `${text.slice(0, start)}${lead}- [ ] ${text.slice(cursor)}`;
	const pos = start + lead.length + 6;
	return { text: next, start: pos, end: pos };
}

/** Where the caret starts in a new note: on the empty line under the first heading of a
 *  template, so the first words typed go into its first section (not into the closing checklist). */
export function firstSection(text: string): number {
	const heading = /^#{1,6} .*\n/m.exec(text);
	if (!heading) return text.length;
	return heading.index + heading[0].length;
}
