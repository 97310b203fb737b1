import { describe, expect, it } from 'vitest';
import { FIELD_LABELS, fieldLabel, fieldValue, kinds } from './sync';

describe('sync preview words', () => {
	it('shows values in the app’s words', () => {
		expect(fieldValue('segment', 'low_touch')).toBe('Low touch');
		expect(fieldValue('lifecycle_stage', 'adoption')).toBe('Adoption');
		expect(fieldValue('arr', '1250000')).toBe('1,250,000');
		expect(fieldValue('arr', '12.50')).toBe('12.5');
		expect(fieldValue('domain', '')).toBe('—');
		expect(fieldValue('industry', 'Retail')).toBe('Retail');
		expect(fieldLabel('licences_purchased')).toBe('Licences');
		expect(Object.values(FIELD_LABELS).every((label) => /^[A-Z]/.test(label))).toBe(true);
	});

	it('adds up counts per kind of record', () => {
		const counts = [
			{ entity: 'account', action: 'create', records: 5000, waiting: 2 },
			{ entity: 'contact', action: 'create', records: 24000, waiting: 0 },
			{ entity: 'contact', action: 'update', records: 1000, waiting: 3 }
		] as const;
		expect(kinds([...counts])).toEqual([
			{ entity: 'account', records: 5000, waiting: 2 },
			{ entity: 'contact', records: 25000, waiting: 3 }
		]);
	});
});

describe('crmProblem', () => {
	it('says what to do after what happened, each kind its own way', async () => {
		const { crmProblem } = await import('./sync');
		expect(crmProblem({ kind: 'offline', message: 'Could not reach the CRM.' })).toBe(
			'Could not reach the CRM. Nothing changed, and the book works offline: sync again once connected.'
		);
		expect(crmProblem({ kind: 'unauthorized', message: 'The CRM refused the token.' })).toContain('Connect again');
		expect(crmProblem({ kind: 'cancelled', message: 'The sync was cancelled.' })).toBe('The sync was cancelled.');
	});
});
