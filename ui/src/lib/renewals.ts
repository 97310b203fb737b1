// The renewal desk's words and the small pure steps of its keyboard triage. Every figure comes
// computed from the backend; this only names and arranges them.
import type { ForecastCategory } from '$lib/bindings/ForecastCategory';
import type { ForecastMonth } from '$lib/bindings/ForecastMonth';
import type { OutcomeKind } from '$lib/bindings/OutcomeKind';
import type { RenewalInput } from '$lib/bindings/RenewalInput';
import type { RenewalLine } from '$lib/bindings/RenewalLine';
import type { RenewalStage } from '$lib/bindings/RenewalStage';
import type { RenewalWindow } from '$lib/bindings/RenewalWindow';
import { amountText } from '$lib/format';

export const CATEGORIES: ForecastCategory[] = ['commit', 'probable', 'at_risk', 'churn_expected'];

export const STAGES: Record<RenewalStage, string> = {
	not_started: 'Not started',
	in_discussion: 'In discussion',
	proposal_sent: 'Proposal sent',
	verbal_yes: 'Verbal yes',
	signed: 'Signed',
	lost: 'Lost'
};

export const WINDOWS: Record<RenewalWindow, string> = {
	this_quarter: 'This quarter',
	next_quarter: 'Next quarter',
	next_12_months: 'Next 12 months',
	last_quarter: 'Last quarter',
	last_12_months: 'Last 12 months'
};

export const OUTCOMES: Record<OutcomeKind, string> = {
	flat: 'Renewed flat',
	expansion: 'Renewed up (expansion)',
	contraction: 'Renewed down (contraction)',
	churn: 'Churned'
};

/** "92 %" from 0.92; "—" when there is no base to divide by. */
export function ratio(value: number | null): string {
	return value === null ? '—' : `${(value * 100).toFixed(1)} %`;
}

/** The category's name as the CSM set it in Settings. */
export function categoryName(names: string[], category: ForecastCategory): string {
	return names[CATEGORIES.indexOf(category)] ?? category;
}

/** The CSM's call as the form sends it, from a line, with some fields changed. */
export function callOf(line: RenewalLine, change: Partial<RenewalInput> = {}): RenewalInput {
	return {
		expected_arr: line.expected_arr.minor === line.current_arr.minor ? '' : amountText(line.expected_arr),
		category: line.category_set ? line.category : '',
		stage: line.stage,
		confidence: line.confidence === null ? '' : String(line.confidence),
		next_step: line.next_step,
		next_step_on: line.next_step_on ?? '',
		notice_days: line.notice_days === null ? '' : String(line.notice_days),
		auto_renews: line.auto_renews,
		...change
	};
}

/** The category a number key sets: 1 Commit … 4 Churn expected. */
export function categoryForKey(key: string): ForecastCategory | null {
	const n = Number(key);
	return (Number.isInteger(n) && CATEGORIES[n - 1]) || null;
}

/** A row of the page's list: a month's heading or one renewal (its index among the lines). */
export type Row = { kind: 'month'; month: string; count: number } | { kind: 'line'; line: RenewalLine; index: number };

/** The lines grouped under their months, in date order. */
export function rows(lines: RenewalLine[]): Row[] {
	const out: Row[] = [];
	let heading: { kind: 'month'; month: string; count: number } | null = null;
	lines.forEach((line, index) => {
		const month = line.renews_on.slice(0, 7);
		if (heading?.month !== month) {
			heading = { kind: 'month', month, count: 0 };
			out.push(heading);
		}
		heading.count += 1;
		out.push({ kind: 'line', line, index });
	});
	return out;
}

/** The chart's stacks: each month's expected ARR by category, and the tallest month's total. */
export function stacks(
	months: ForecastMonth[]
): { month: string; parts: { category: ForecastCategory; minor: number }[]; total: number }[] {
	return months.map((m) => {
		const parts = m.categories.flatMap((c) =>
			c.category && c.expected_minor > 0 ? [{ category: c.category, minor: c.expected_minor }] : []
		);
		return { month: m.month, parts, total: parts.reduce((n, p) => n + p.minor, 0) };
	});
}
