// Display names for the domain's enums.
import type { ContactRole } from '$lib/bindings/ContactRole';
import type { LifecycleStage } from '$lib/bindings/LifecycleStage';
import type { Band } from '$lib/bindings/Band';
import type { InputStatus } from '$lib/bindings/InputStatus';
import type { Measure } from '$lib/bindings/Measure';
import type { Segment } from '$lib/bindings/Segment';
import type { SignalKind } from '$lib/bindings/SignalKind';
import type { PlaybookTrigger } from '$lib/bindings/PlaybookTrigger';
import type { Priority } from '$lib/bindings/Priority';
import type { TaskStatus } from '$lib/bindings/TaskStatus';
import type { DealRole } from '$lib/bindings/DealRole';
import type { Influence } from '$lib/bindings/Influence';
import type { Stance } from '$lib/bindings/Stance';

export const SEGMENTS: Record<Segment, string> = {
	high_touch: 'High touch',
	low_touch: 'Low touch',
	tech_touch: 'Tech touch'
};

export const STAGES: Record<LifecycleStage, string> = {
	onboarding: 'Onboarding',
	adoption: 'Adoption',
	value: 'Value',
	renewal: 'Renewal',
	expansion: 'Expansion',
	advocacy: 'Advocacy',
	churned: 'Churned'
};

export const ROLES: Record<ContactRole, string> = {
	executive_sponsor: 'Executive sponsor',
	champion: 'Champion',
	decision_maker: 'Decision maker',
	admin: 'Admin',
	user: 'User',
	detractor: 'Detractor',
	promoter: 'Promoter',
	other: 'Other'
};

export const DEAL_ROLES: Record<DealRole, string> = {
	economic_buyer: 'Economic buyer',
	executive_sponsor: 'Executive sponsor',
	champion: 'Champion',
	decision_maker: 'Decision maker',
	admin: 'Admin',
	user: 'User'
};

export const INFLUENCES: Record<Influence, string> = { high: 'High', medium: 'Medium', low: 'Low' };

/** A stance's name; the colour is `--stance-<stance>` in app.css. */
export const STANCES: Record<Stance, string> = {
	champion: 'Champion',
	supporter: 'Supporter',
	neutral: 'Neutral',
	skeptic: 'Skeptic',
	blocker: 'Blocker'
};

export const BANDS: Record<Band, string> = { red: 'Red', yellow: 'Yellow', green: 'Green' };

/** Each measure's name, its input, what it means, and what to add when it has no data. */
export const MEASURES: Record<Measure, { label: string; raw: string; explain: string; needs: string }> = {
	adoption: {
		label: 'Adoption',
		raw: '% licences used',
		explain: 'Licences used as a share of licences purchased.',
		needs: 'licences used'
	},
	support: { label: 'Support', raw: 'open tickets', explain: 'Open support tickets: fewer is healthier.', needs: 'open tickets' },
	critical_tickets: { label: 'P1/P2 tickets', raw: 'open P1/P2', explain: 'Open critical (P1/P2) tickets.', needs: 'P1/P2 tickets' },
	survey: {
		label: 'Survey',
		raw: 'NPS (0–10)',
		explain: 'The latest NPS response: 0–6 detractor, 9–10 promoter.',
		needs: 'an NPS response'
	},
	engagement: {
		label: 'Engagement',
		raw: '× cadence',
		explain: 'Days since the last touch divided by the touch interval the segment expects.',
		needs: 'a touch'
	},
	relationship: {
		label: 'Relationship',
		raw: 'level',
		explain:
			'2: an executive sponsor or economic buyer is known and several people are met; 1: only a champion, or every touch in 90 days was with one person (single-threaded); 0: neither (unknown while no contact has a role).',
		needs: 'contact roles'
	},
	commercial: { label: 'Commercial', raw: 'days overdue', explain: 'Days the oldest invoice is overdue.', needs: 'invoice status' },
	sentiment: {
		label: 'CSM sentiment',
		raw: '1–5',
		explain: 'Your own judgement, with a reason; it expires (30 days by default).',
		needs: 'your sentiment'
	}
};

export const SIGNALS: Record<SignalKind, { label: string; hint: string }> = {
	licences_used: { label: 'Licences used', hint: 'number of seats in use' },
	active_users: { label: 'Active users', hint: 'monthly active users' },
	tickets_open: { label: 'Open tickets', hint: 'support tickets open now' },
	critical_tickets_open: { label: 'Open P1/P2 tickets', hint: 'critical tickets open now' },
	nps: { label: 'NPS response', hint: '0 to 10' },
	csat: { label: 'CSAT', hint: '1 to 5' },
	invoice_overdue_days: { label: 'Invoice overdue', hint: 'days overdue (0 when paid)' },
	sentiment: { label: 'My sentiment', hint: '1 very worried … 5 very confident' }
};

export const STATUS: Record<InputStatus, string> = { fresh: '', stale: 'stale', expired: 'expired', missing: 'no data' };

export function options<K extends string>(labels: Record<K, string>): { value: K; label: string }[] {
	return (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
}

export const PRIORITIES: Record<Priority, string> = { high: 'High', normal: 'Normal', low: 'Low' };

export const TASK_STATUS: Record<TaskStatus, string> = {
	open: 'Open',
	done: 'Done',
	snoozed: 'Snoozed',
	cancelled: 'Cancelled'
};

export const TRIGGERS: Record<PlaybookTrigger, string> = {
	contract_start: 'From the contract start date',
	renewal_date: 'Before the renewal date',
	qbr_cadence: 'Around each QBR, every N days per segment',
	health_risk: 'When health turns red, a critical ticket opens or an invoice is 30+ days late',
	detractor_nps: 'When an NPS of 0–6 comes in',
	sponsor_left: 'When an executive sponsor or champion leaves'
};

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
