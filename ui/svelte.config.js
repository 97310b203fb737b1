import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	kit: {
		// A static single-page app served by Tauri, which answers unknown paths with index.html.
		adapter: adapter({ fallback: 'index.html' }),
		// Split into chunks: the PDF and PowerPoint writers load on the first export, not at start
		// (start-up 1.35 s → 0.76 s, scripts/measure.sh).
		output: { bundleStrategy: 'split' }
	}
};
