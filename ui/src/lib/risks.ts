// The risk register's and the asks' words, and the small pure steps of their keyboard triage.
// Every figure (totals, staleness, demand) comes computed from the backend.
import type { AskInput } from '$lib/bindings/AskInput';
import type { Ask } from '$lib/bindings/Ask';
import type { AskStatus } from '$lib/bindings/AskStatus';
import type { HelpNeeded } from '$lib/bindings/HelpNeeded';
import type { Risk } from '$lib/bindings/Risk';
import type { RiskInput } from '$lib/bindings/RiskInput';
import type { RiskSeverity } from '$lib/bindings/RiskSeverity';
import type { RiskStage } from '$lib/bindings/RiskStage';
import { amountText } from '$lib/format';

export const RISK_STAGES: Record<RiskStage, string> = {
	identified: 'Identified',
	plan_in_place: 'Plan in place',
	saving: 'Saving',
	recovered: 'Recovered',
	lost: 'Lost'
};

export const SEVERITIES: Record<RiskSeverity, string> = {
	low: 'Low',
	medium: 'Medium',
	high: 'High',
	critical: 'Critical'
};

export const HELP: Record<HelpNeeded, string> = {
	executive: 'Executive',
	product: 'Product',
	support: 'Support'
};

export const ASK_STATUSES: Record<AskStatus, string> = {
	new: 'New',
	sent_to_product: 'Sent to product',
	planned: 'Planned',
	shipped: 'Shipped',
	declined: 'Declined'
};

const STAGE_KEYS = Object.keys(RISK_STAGES) as RiskStage[];
const STATUS_KEYS = Object.keys(ASK_STATUSES) as AskStatus[];

/** The stage the keys 1–5 move a risk to. */
export function stageForKey(key: string): RiskStage | undefined {
	return STAGE_KEYS[Number(key) - 1];
}

/** The status the keys 1–5 give an ask. */
export function statusForKey(key: string): AskStatus | undefined {
	return STATUS_KEYS[Number(key) - 1];
}

export function isClosed(stage: RiskStage): boolean {
	return stage === 'recovered' || stage === 'lost';
}

/** The risk as the form sends it, with some fields changed. */
export function riskInputOf(risk: Risk, change: Partial<RiskInput> = {}): RiskInput {
	return {
		account_id: risk.account_id,
		title: risk.title,
		reasons: [...risk.reasons],
		severity: risk.severity,
		arr_at_risk: amountText(risk.arr_at_risk),
		stage: risk.stage,
		help_needed: [...risk.help_needed],
		...change
	};
}

export function askInputOf(ask: Ask, change: Partial<AskInput> = {}): AskInput {
	return { title: ask.title, problem: ask.problem, status: ask.status, reference: ask.reference, ...change };
}

/** "16 d in stage · updated 9 d ago": the ages in the register's narrow column. */
export function shortAges(risk: Risk): string {
	const update = risk.last_update_on ? `updated ${risk.days_since_update} d ago` : 'no update';
	return `${risk.days_in_stage} d in stage · ${update}`;
}

/** "12 days in stage · no update for 9 days" — the ages the register shows. */
export function ages(risk: Risk): string {
	if (risk.closed_on) return `${RISK_STAGES[risk.stage].toLowerCase()} after ${plural(risk.days_in_stage, 'day')}`;
	const update = risk.last_update_on
		? `updated ${plural(risk.days_since_update, 'day')} ago`
		: `no update in ${plural(risk.days_since_update, 'day')}`;
	return `${plural(risk.days_in_stage, 'day')} in stage · ${update}`;
}

/** A share of the largest value as a bar width, 2–100 %. */
export function barWidth(value: number, largest: number): string {
	return largest > 0 ? `${Math.max(2, Math.round((value / largest) * 100))}%` : '0%';
}

function plural(n: number, word: string): string {
	return `${n} ${word}${n === 1 ? '' : 's'}`;
}
