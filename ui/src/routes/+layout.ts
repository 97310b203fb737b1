// A single-page app inside the desktop shell: no server rendering, no prerendering.
export const ssr = false;
export const prerender = false;
