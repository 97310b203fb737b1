// @vitest-environment node
// Export of a 12-slide deck with 3 charts (target: under 2 s). `npm run bench` (scripts/bench.sh
// runs it too); Vitest reports the latency percentiles, p50 being the median.
import { readFileSync } from 'node:fs';
import { bench, describe } from 'vitest';
import { buildPdf, type FontFiles } from './pdf';
import { buildPptx } from './pptx';
import { STYLE, VIEW } from './fixture';

const latin = (): FontFiles => ({
	regular: readFileSync('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'),
	bold: readFileSync('/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'),
	fallbacks: []
});
const withFallbacks = (): FontFiles => ({
	...latin(),
	fallbacks: [
		readFileSync('/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf'),
		readFileSync('/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf')
	]
});

describe('export a 12-slide deck with 3 charts', () => {
	bench('PPTX', async () => void (await buildPptx(VIEW, STYLE)), { iterations: 15, time: 0 });
	bench(
		'PDF, Latin text only',
		async () =>
			void (await buildPdf(
				{ ...VIEW, slides: VIEW.slides.map((s) => ({ ...s, title: s.title.replace(/[^\x20-\x7e]/g, '') })) },
				{ ...STYLE, company_name: 'Our Co' },
				latin()
			)),
		{ iterations: 15, time: 0 }
	);
	bench('PDF, CJK and emoji (fonts embedded)', async () => void (await buildPdf(VIEW, STYLE, withFallbacks())), {
		iterations: 15,
		time: 0
	});
});
