// @vitest-environment jsdom
// Fuzzing the note renderer: random Markdown mixed with hostile fragments (raw HTML, event
// handlers, script URLs in every link form, entities, unicode) never yields a tag outside the
// allowed list, an event handler, a style, or a link to a scheme other than http(s) and mailto.
// The test command runs 1,500 inputs; more on demand: MARKDOWN_FUZZ_RUNS=200000 npx vitest run markdown.fuzz
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';

const ALLOWED = new Set(
	'p br strong em del code pre blockquote ul ol li input a h1 h2 h3 h4 h5 h6 hr table thead tbody tr th td'.split(' ')
);

const hostile = fc.constantFrom(
	'<script>alert(1)</script>',
	'<img src=x onerror=alert(1)>',
	'<svg onload=alert(1)>',
	'<a href="javascript:alert(1)">x</a>',
	'[x](javascript:alert(1))',
	'[x](JaVaScRiPt:alert(1))',
	'[x](java\tscript:alert(1))',
	'[x](&#106;avascript:alert(1))',
	'[x]: vbscript:msgbox(1)\n[x]',
	'<javascript:alert(1)>',
	'![i](data:image/svg+xml;base64,PHN2Zz4=)',
	'[d](data:text/html,<script>alert(1)</script>)',
	'<style>*{}</style>',
	'<iframe src=//evil.example>',
	'<div style="background:url(javascript:alert(1))">',
	'"><img src=x onerror=alert(1)>',
	'`<script>`',
	'<!-- <script> -->',
	'<details open ontoggle=alert(1)>',
	'<input autofocus onfocus=alert(1)>',
	'&lt;script&gt;',
	'\u202e\u0000\ufeff'
);
const markdown = fc.constantFrom(
	'# ',
	'## ',
	'- ',
	'- [ ] ',
	'1. ',
	'> ',
	'**',
	'_',
	'`',
	'```\n',
	'|a|b|\n|-|-|\n',
	'[',
	'](',
	')',
	'\n',
	'\n\n',
	'<',
	'>',
	'"',
	"'",
	'='
);
const piece = fc.oneof(hostile, markdown, fc.string({ maxLength: 12 }), fc.webUrl());
const note = fc.array(piece, { maxLength: 24 }).map((parts) => parts.join(''));

function problems(html: string): string[] {
	const box = document.createElement('div');
	box.innerHTML = html;
	const found: string[] = [];
	for (const element of box.querySelectorAll('*')) {
		const tag = element.tagName.toLowerCase();
		if (!ALLOWED.has(tag)) found.push(`<${tag}>`);
		for (const attribute of element.attributes) {
			const name = attribute.name.toLowerCase();
			if (name.startsWith('on') || name === 'style' || name === 'src') found.push(`${tag}[${name}]`);
			// A link with a scheme must be web or mail; a relative one has none.
			const href = attribute.value.trim();
			if (name === 'href' && /^[a-z][a-z0-9+.-]*:/i.test(href) && !/^(https?|mailto):/i.test(href)) found.push(`href=${href}`);
		}
	}
	return found;
}

describe('renderMarkdown under fuzzing', () => {
	it('never lets markup, handlers or script links through', () => {
		const runs = Number(process.env.MARKDOWN_FUZZ_RUNS ?? 1500);
		fc.assert(
			fc.property(note, (text) => {
				expect(problems(renderMarkdown(text))).toEqual([]);
			}),
			{ numRuns: runs }
		);
	}, 60_000);
});
