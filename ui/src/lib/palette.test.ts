import { describe, expect, it } from 'vitest';
import { rankItems, type PaletteItem } from './palette';

const item = (id: string, label: string, extra: Partial<PaletteItem> = {}): PaletteItem => ({
	id,
	label,
	hint: '',
	group: 'Accounts',
	keywords: '',
	run: () => {},
	...extra
});

describe('palette ranking', () => {
	it('ranks prefix matches over word starts over anywhere, and drops the rest', () => {
		const items = [item('1', 'Northwind Foods'), item('2', 'Globex North'), item('3', 'Acme Northern'), item('4', 'Initech')];
		expect(rankItems(items, 'north', []).map((i) => i.id)).toEqual(['1', '2', '3']);
	});

	it('puts recently used items first among equally good matches', () => {
		const items = [item('1', 'Acme Labs'), item('2', 'Acme Corp'), item('3', 'Acme Health')];
		expect(rankItems(items, 'acme', ['3', '2']).map((i) => i.id)).toEqual(['3', '2', '1']);
		expect(rankItems(items, 'acme labs', ['3', '2']).map((i) => i.id)).toEqual(['1']);
	});

	it('keeps full-text hits (a note that mentions the word) after label matches, in search order', () => {
		const items = [
			item('n1', 'Monthly check-in', { group: 'Notes', searched: true }),
			item('a1', 'Pricing Partners'),
			item('n2', 'Renewal prep', { group: 'Notes', searched: true })
		];
		expect(rankItems(items, 'pricing', []).map((i) => i.id)).toEqual(['a1', 'n1', 'n2']);
	});

	it('ignores accents and case', () => {
		expect(rankItems([item('1', 'Société Générale')], 'societe gen', []).map((i) => i.id)).toEqual(['1']);
	});
});
