import { describe, expect, it } from 'vitest';
import { continueList, expandCheckbox, firstSection, indent, wrap } from './editor';

describe('note editor shortcuts', () => {
	it('continues lists and checklists, and ends them on an empty item', () => {
		const text = 'Next steps\n- [ ] Send the deck';
		const edit = continueList(text, text.length);
		expect(edit?.text).toBe('Next steps\n- [ ] Send the deck\n- [ ] ');
		const ended = continueList(edit!.text, edit!.start);
		expect(ended?.text).toBe('Next steps\n- [ ] Send the deck\n');
		expect(continueList('1. one', 6)?.text).toBe('1. one\n2. ');
		expect(continueList('  * nested', 10)?.text).toBe('  * nested\n  * ');
		expect(continueList('plain text', 10)).toBeNull();
	});

	it('indents, outdents, wraps and expands checkboxes', () => {
		expect(indent('- a', 3, false)).toEqual({ text: '  - a', start: 5, end: 5 });
		expect(indent('  - a', 5, true)).toEqual({ text: '- a', start: 3, end: 3 });
		expect(wrap('make this bold', 5, 9, '**')).toEqual({ text: 'make **this** bold', start: 7, end: 11 });
		expect(expandCheckbox('notes\n[] ', 9)?.text).toBe('notes\n- [ ] ');
		expect(expandCheckbox('a [] ', 5)).toBeNull();
	});
});

describe('firstSection', () => {
	it('puts the caret on the line under the first heading, not in the closing checklist', () => {
		const template = '## How things are going\n\n\n## Risks\n\n\n## Next steps\n- [ ] ';
		expect(firstSection(template)).toBe('## How things are going\n'.length);
		expect(firstSection('free text')).toBe('free text'.length);
		expect(firstSection('')).toBe(0);
	});
});
