// Filtering and sorting the Book's rows. Rows and their figures come from the backend; this
// only decides which to show and in what order.
import type { Band } from '$lib/bindings/Band';
import type { ForecastCategory } from '$lib/bindings/ForecastCategory';
import type { BookRow } from '$lib/bindings/BookRow';
import type { LifecycleStage } from '$lib/bindings/LifecycleStage';
import type { Segment } from '$lib/bindings/Segment';

export type SortKey = 'name' | 'health' | 'trend' | 'segment' | 'lifecycle_stage' | 'arr' | 'renewal' | 'owner' | 'last_touch' | 'contacts';
export type RenewalWindow = 'any' | 'overdue' | '30' | '90' | '180' | '365';
/** Health moving by at least TREND_STEP points over 30 days. */
export type TrendFilter = 'any' | 'falling' | 'rising';
export const TREND_STEP = 5;

export interface BookFilter {
	text: string;
	segment: Segment | 'any';
	stage: LifecycleStage | 'any';
	/** A band, accounts without a score yet, or all. */
	band: Band | 'unscored' | 'any';
	trend: TrendFilter;
	renewal: RenewalWindow;
	/** The CSM's call on the renewal, renewals not called yet, or all. */
	forecast: ForecastCategory | 'uncalled' | 'any';
	/** Who the CSM talks to: single-threaded accounts, or accounts without an engaged sponsor. */
	threads: 'single' | 'no_sponsor' | 'any';
	showArchived: boolean;
}

export const EMPTY_FILTER: BookFilter = {
	text: '',
	segment: 'any',
	stage: 'any',
	band: 'any',
	trend: 'any',
	renewal: 'any',
	forecast: 'any',
	threads: 'any',
	showArchived: false
};

export interface Sort {
	key: SortKey;
	ascending: boolean;
}

function inWindow(days: number | null, window: RenewalWindow): boolean {
	if (window === 'any') return true;
	if (days === null) return false;
	if (window === 'overdue') return days < 0;
	return days >= 0 && days <= Number(window);
}

/** Lower-cased, accent-free text so "chloe" finds "Chloé". */
export function fold(text: string): string {
	return text
		.normalize('NFD')
		.replace(/\p{Diacritic}/gu, '')
		.toLowerCase();
}

export function filterRows(rows: BookRow[], filter: BookFilter): BookRow[] {
	const words = fold(filter.text).split(/\s+/).filter(Boolean);
	return rows.filter((row) => {
		if (row.archived && !filter.showArchived) return false;
		if (filter.segment !== 'any' && row.segment !== filter.segment) return false;
		if (filter.stage !== 'any' && row.lifecycle_stage !== filter.stage) return false;
		const scored = row.health !== null && row.health !== undefined;
		if (filter.band === 'unscored' ? scored : filter.band !== 'any' && row.health?.band !== filter.band) return false;
		if (filter.trend !== 'any') {
			const change = row.health?.trend_30d ?? 0;
			if (filter.trend === 'falling' ? change > -TREND_STEP : change < TREND_STEP) return false;
		}
		if (!inWindow(row.days_to_renewal, filter.renewal)) return false;
		if (filter.forecast === 'uncalled' ? row.forecast !== null : filter.forecast !== 'any' && row.forecast !== filter.forecast)
			return false;
		if (filter.threads === 'single' && !row.single_threaded) return false;
		if (filter.threads === 'no_sponsor' && row.sponsor_engaged) return false;
		if (words.length === 0) return true;
		const haystack = fold(`${row.name} ${row.domain ?? ''} ${row.owner ?? ''}`);
		return words.every((word) => haystack.includes(word));
	});
}

const SEGMENT_ORDER: Segment[] = ['high_touch', 'low_touch', 'tech_touch'];
const STAGE_ORDER: LifecycleStage[] = ['onboarding', 'adoption', 'value', 'renewal', 'expansion', 'advocacy', 'churned'];

type Value = string | number | null;

function sortValue(row: BookRow, key: SortKey): Value {
	switch (key) {
		case 'name':
			return fold(row.name);
		case 'health':
			return row.health?.score ?? null;
		case 'trend':
			return row.health?.trend_30d ?? null;
		case 'segment':
			return SEGMENT_ORDER.indexOf(row.segment);
		case 'lifecycle_stage':
			return STAGE_ORDER.indexOf(row.lifecycle_stage);
		case 'arr':
			return row.arr.minor;
		case 'renewal':
			return row.days_to_renewal;
		case 'owner':
			return row.owner ? fold(row.owner) : null;
		case 'last_touch':
			return row.days_since_touch;
		case 'contacts':
			return row.contact_count;
	}
}

/** Names in the order people read them: "Contoso 9" before "Contoso 10". */
const NAMES = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function compare(x: string | number, y: string | number): number {
	if (typeof x === 'string' && typeof y === 'string') return NAMES.compare(x, y);
	return x === y ? 0 : x < y ? -1 : 1;
}

/** Sorts a copy; empty values always go last, ties fall back to the name. */
export function sortRows(rows: BookRow[], sort: Sort): BookRow[] {
	const direction = sort.ascending ? 1 : -1;
	return [...rows].sort((a, b) => {
		const x = sortValue(a, sort.key);
		const y = sortValue(b, sort.key);
		if (x === null && y !== null) return 1;
		if (y === null && x !== null) return -1;
		const order = x !== null && y !== null ? compare(x, y) : 0;
		return order !== 0 ? order * direction : NAMES.compare(a.name, b.name);
	});
}
