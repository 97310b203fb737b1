import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	kit: {
		// A static single-page app served by Tauri; hash routes need no server fallback.
		adapter: adapter({ fallback: 'index.html' }),
		router: { type: 'hash' },
		output: { bundleStrategy: 'single' }
	}
};
