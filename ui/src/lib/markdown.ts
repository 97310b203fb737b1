// Markdown from notes, rendered safely: raw HTML in a note is shown as text (escaped, never
// parsed), the result goes through DOMPurify, and links are marked to open in the system browser.
import DOMPurify from 'dompurify';
import { Marked } from 'marked';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const marked = new Marked({
	gfm: true,
	breaks: true,
	renderer: {
		// HTML typed into a note is text, not markup.
		html: ({ text }) => escape(text)
	}
});

const ALLOWED_TAGS = [
	'p',
	'br',
	'strong',
	'em',
	'del',
	'code',
	'pre',
	'blockquote',
	'ul',
	'ol',
	'li',
	'input',
	'a',
	'h1',
	'h2',
	'h3',
	'h4',
	'h5',
	'h6',
	'hr',
	'table',
	'thead',
	'tbody',
	'tr',
	'th',
	'td'
];

/** Safe HTML for a note's Markdown. Links with a scheme other than http(s) or mailto are dropped. */
export function renderMarkdown(markdown: string): string {
	const html = marked.parse(markdown, { async: false });
	return DOMPurify.sanitize(html, {
		ALLOWED_TAGS,
		ALLOWED_ATTR: ['href', 'title', 'type', 'checked', 'disabled'],
		// DOMPurify's default narrowed to web and mail schemes (and relative links); a scheme's name
		// may hold digits, so "a0http:" is a scheme too, and refused (found by the fuzz test).
		ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto):|[^a-z]|[a-z][a-z0-9+.-]*(?:[^a-z0-9+.\-:]|$))/i
	});
}

/** Clicks on links inside rendered notes open in the system browser (never inside the app). */
export function linkHandler(open: (url: string) => unknown) {
	return (event: MouseEvent) => {
		const link = (event.target as HTMLElement | null)?.closest('a');
		if (!link) return;
		event.preventDefault();
		const href = link.getAttribute('href');
		if (href) open(href);
	};
}
