import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	kit: {
		// A static single-page app served by Tauri, which answers unknown paths with index.html.
		adapter: adapter({ fallback: 'index.html' }),
		output: { bundleStrategy: 'split' }
	}
};
