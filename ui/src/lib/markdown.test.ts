// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
	it('renders the Markdown a CSM writes', () => {
		const html = renderMarkdown('## Next steps\n- [ ] Send the **deck**\n- [x] Done\n\n[site](https://example.com)');
		expect(html).toContain('<h2>Next steps</h2>');
		expect(html).toContain('<strong>deck</strong>');
		expect(html).toContain('type="checkbox"');
		expect(html).toContain('href="https://example.com"');
	});

	it('shows HTML and script payloads as text and drops dangerous links', () => {
		const payloads = [
			'<img src=x onerror=alert(1)>',
			'<script>alert(1)</script>',
			'[click](javascript:alert(1))',
			'<a href="javascript:alert(1)">x</a>',
			'[data](data:text/html;base64,PHNjcmlwdD4=)',
			'<iframe src="https://evil.example"></iframe>'
		];
		for (const payload of payloads) {
			const html = renderMarkdown(payload);
			const box = document.createElement('div');
			box.innerHTML = html;
			expect(box.querySelector('img, script, iframe')).toBeNull();
			for (const a of box.querySelectorAll('a')) expect(a.getAttribute('href') ?? '').toMatch(/^(https?:|mailto:|$)/);
			const attributes = [...box.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.name));
			expect(attributes.filter((name) => name.startsWith('on'))).toEqual([]);
		}
		expect(renderMarkdown('<img src=x onerror=alert(1)>')).toContain('&lt;img');
	});

	it('drops an autolink whose scheme has digits in its name', () => {
		// Found by the fuzz test: "<A0http://a.aa>" is a link with the scheme "a0http".
		expect(renderMarkdown('<A0http://a.aa> ')).not.toContain('href');
		expect(renderMarkdown('[guide](docs/setup.md)')).toContain('href="docs/setup.md"');
	});

	it('copes with unbalanced Markdown and a 1 MB note', () => {
		expect(() => renderMarkdown('**bold _italic ` code [link(')).not.toThrow();
		const big = 'lorem ipsum dolor sit amet '.repeat(40_000);
		expect(renderMarkdown(big).length).toBeGreaterThan(1_000_000);
	});
});
