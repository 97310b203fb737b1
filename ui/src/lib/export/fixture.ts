// A QBR view for the export tests: twelve slides, three charts, a table going on over two
// slides, a gap in a series, and names with quotes, emoji and CJK.
import type { ChartAxis } from '$lib/bindings/ChartAxis';
import type { DeckChart } from '$lib/bindings/DeckChart';
import type { DeckStyle } from '$lib/bindings/DeckStyle';
import type { QbrView } from '$lib/bindings/QbrView';
import type { Slide } from '$lib/bindings/Slide';

export const NAME = 'Acme "Ünïcode" 株式会社 🚀';

const weeks = [
	'1 Jul',
	'8 Jul',
	'15 Jul',
	'22 Jul',
	'29 Jul',
	'5 Aug',
	'12 Aug',
	'19 Aug',
	'26 Aug',
	'2 Sep',
	'9 Sep',
	'16 Sep',
	'23 Sep',
	'30 Sep'
];

function chart(title: string, kind: 'line' | 'bar', series: [string, (number | null)[]][], axis: ChartAxis): DeckChart {
	return { title, kind, categories: weeks, series: series.map(([name, values]) => ({ name, values })), axis };
}

function slide(title: string, fields: Partial<Slide> = {}): Slide {
	return {
		layout: 'text',
		section: 'goals',
		title,
		subtitle: '',
		story: '',
		bullets: [],
		table: null,
		chart: null,
		continued: false,
		...fields
	};
}

const rows = (n: number) =>
	Array.from({ length: n }, (_, i) => ({ cells: [`${i + 1} Aug 2026`, 'Call', `Touchpoint ${i + 1} — “quoted” 会議`], sources: [] }));

export const SLIDES: Slide[] = [
	slide(NAME, { layout: 'title', section: null, subtitle: 'Quarterly business review · Q3 2026', bullets: ['Meeting: 2026-10-14 15:00'] }),
	slide('Goals and success metrics', {
		layout: 'table',
		story: 'We agreed three outcomes with the sponsor.',
		table: {
			columns: ['Metric', 'Baseline', 'Target', 'Current', 'Progress', 'Confirmed'],
			rows: [{ cells: ['Case time', '48 hours', '12 hours', '20 hours', '78%', '10 Sep 2026'], sources: [] }]
		},
		bullets: ['Tickets per month: not confirmed with the sponsor in the last 90 days — does it still fit?']
	}),
	slide('Value delivered', {
		layout: 'text_chart',
		section: 'value',
		bullets: ['Milestone reached: SSO live (3 Aug 2026)', 'Win — 🎉 “Board praised the team” (30 Sep 2026)'],
		chart: chart(
			'Adoption',
			'line',
			[
				['Licences used', [null, null, 120, 120, 130, 130, 150, 150, 150, 160, 160, 170, 170, 170]],
				['Active users', [80, 82, 85, 90, 90, 95, 99, 101, 104, 108, 110, 112, 115, 118]]
			],
			{ max: 200, step: 50 }
		)
	}),
	slide('Health and its trend', {
		layout: 'text_chart',
		section: 'health',
		story: 'Health climbed all quarter.',
		bullets: ['Health 58 (yellow) on 30 Jun 2026 → 72 (green) on 30 Sep 2026: up 14 points'],
		chart: chart('Health score', 'line', [['Health score', [58, 58, 60, 61, 61, 63, 66, 66, 68, 69, 70, 71, 72, 72]]], {
			max: 100,
			step: 20
		})
	}),
	slide('Support summary', {
		layout: 'text_chart',
		section: 'support',
		bullets: ['Open tickets: 4 → 3 (peak 12 on 1 Aug 2026)'],
		chart: chart(
			'Open tickets',
			'bar',
			[
				['Open tickets', [4, 4, 4, 4, 12, 12, 12, 12, 12, 12, 12, 3, 3, 3]],
				['Open P1/P2 tickets', [0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2]]
			],
			{ max: 15, step: 5 }
		)
	}),
	slide('Risks and open issues', { section: 'risks', bullets: ['Detractor: NPS 5', 'Milestone late: Data migration (due 15 Sep 2026)'] }),
	slide('Risks and open issues (continued)', {
		section: 'risks',
		continued: true,
		bullets: ['Mitigation in progress: Weekly risk review (due 8 Oct 2026)']
	}),
	slide('What you asked for', { section: 'asks', bullets: ['Wants Slack alerts <b>now</b> & "soon" — open: Share the Slack roadmap'] }),
	slide('The next 90 days', {
		section: 'next_quarter',
		bullets: ['Milestone: EMEA rollout by 30 Nov 2026', 'Renewal on 15 Nov 2026 (120,000 EUR ARR)']
	}),
	slide('The next 90 days (continued)', {
		section: 'next_quarter',
		continued: true,
		bullets: ['Goal for the next QBR: Case time from 20 hours to 12 hours']
	}),
	slide('Appendix: touchpoints', {
		layout: 'table',
		section: 'appendix',
		table: { columns: ['Date', 'Type', 'Touchpoint'], rows: rows(5) }
	}),
	slide('Appendix: touchpoints (continued)', {
		layout: 'table',
		section: 'appendix',
		continued: true,
		table: { columns: ['Date', 'Type', 'Touchpoint'], rows: rows(3) }
	})
];

export const VIEW: QbrView = {
	qbr: {
		id: 'q1',
		account_id: 'a1',
		account_name: NAME,
		period_start: '2026-07-01',
		period_end: '2026-09-30',
		status: 'prepared',
		meeting_at: '2026-10-14T15:00',
		edits: { sections: {}, internal: false },
		note_id: null,
		updated_at: '2026-10-01T00:00:00Z'
	},
	deck: {
		qbr_id: 'q1',
		account_id: 'a1',
		account_name: NAME,
		period_start: '2026-07-01',
		period_end: '2026-09-30',
		period_label: 'Q3 2026',
		meeting_at: '2026-10-14T15:00',
		sections: []
	},
	slides: SLIDES
};

// A 1×1 transparent PNG.
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

export const STYLE: DeckStyle = {
	company_name: 'Our Co ✨',
	primary_color: '#1F3A5F',
	accent_color: '#2E86AB',
	logo_data_url: `data:image/png;base64,${PIXEL}`
};
