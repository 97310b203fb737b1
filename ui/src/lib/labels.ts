// Display names for the domain's enums.
import type { ContactRole } from '$lib/bindings/ContactRole';
import type { LifecycleStage } from '$lib/bindings/LifecycleStage';
import type { Segment } from '$lib/bindings/Segment';

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

export function options<K extends string>(labels: Record<K, string>): { value: K; label: string }[] {
	return (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
}
