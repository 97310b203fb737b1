import { describe, expect, it } from 'vitest';
import { rank } from './shortcuts';

describe('palette ranking', () => {
	it('prefers prefix, then word start, then anywhere', () => {
		expect(rank('Globex Analytics', 'glo')).toBe(3);
		expect(rank('Globex Analytics', 'ana')).toBe(2);
		expect(rank('Globex Analytics', 'lyt')).toBe(1);
		expect(rank('Globex Analytics', 'zzz')).toBe(0);
		expect(rank('Chloé Foods', 'chloe')).toBe(3);
	});
});
