// How the Sync page shows what a sync would change: field names and values in the app's words
// (labels, amounts), and the filter chips from the preview's counts.
import type { ErrorKind } from '$lib/bindings/ErrorKind';
import type { PreviewCount } from '$lib/bindings/PreviewCount';
import type { SyncField } from '$lib/bindings/SyncField';
import { ROLES, SEGMENTS, STAGES } from '$lib/labels';

/** Every synced field's label: a field added or renamed in Rust fails the type check here. */
export const FIELD_LABELS: Record<SyncField, string> = {
	name: 'Name',
	domain: 'Domain',
	industry: 'Industry',
	employees: 'Employees',
	arr: 'ARR',
	currency: 'Currency',
	renewal_date: 'Renewal',
	segment: 'Segment',
	lifecycle_stage: 'Stage',
	licences_purchased: 'Licences',
	owner: 'Owner',
	email: 'Email',
	title: 'Title',
	phone: 'Phone',
	role: 'Role'
};

export const fieldLabel = (field: SyncField): string => FIELD_LABELS[field];

const grouped = new Intl.NumberFormat('en');

/** A synced value as the rest of the app shows it: "High touch", not "high_touch"; "1,250,000". */
export function fieldValue(field: SyncField, value: string): string {
	if (!value) return '—';
	const named: Partial<Record<SyncField, Record<string, string>>> = { segment: SEGMENTS, lifecycle_stage: STAGES, role: ROLES };
	const words = named[field];
	if (words) return words[value] ?? value;
	if (['arr', 'employees', 'licences_purchased'].includes(field) && /^\d+(\.\d+)?$/.test(value)) {
		return grouped.format(Number(value));
	}
	return value;
}

export type Kind = 'account' | 'contact';

/** One chip per kind of record with its total, for filtering the preview. */
export function kinds(counts: PreviewCount[]): { entity: Kind; records: number; waiting: number }[] {
	const out: { entity: Kind; records: number; waiting: number }[] = [];
	for (const c of counts) {
		const found = out.find((k) => k.entity === c.entity);
		if (found) {
			found.records += c.records;
			found.waiting += c.waiting;
		} else out.push({ entity: c.entity, records: c.records, waiting: c.waiting });
	}
	return out;
}

/** More than this many notes and tasks in one push asks the CSM to confirm the count. */
export const CONFIRM_PUSH_OVER = 25;

/** What the CSM can do about a CRM failure, by its kind (the message says what happened). */
const CRM_ADVICE: Partial<Record<ErrorKind, string>> = {
	offline: 'Nothing changed, and the book works offline: sync again once connected.',
	unauthorized: 'Connect again on this page to renew the sign-in.',
	rate_limited: 'The CRM asks to slow down: wait a minute, then sync again.',
	crm_refused: 'Nothing was half-applied; the log has the details.'
};

/** A CRM failure in words: what happened, then what to do about it. */
export function crmProblem(error: { kind: ErrorKind; message: string }): string {
	const advice = CRM_ADVICE[error.kind];
	return advice ? `${error.message} ${advice}` : error.message;
}
