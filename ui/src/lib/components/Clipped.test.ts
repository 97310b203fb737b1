import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import Clipped from './Clipped.svelte';

describe('Clipped', () => {
	it('shows the start of a huge cell and keeps the whole value behind a click', () => {
		const huge = 'x'.repeat(1_000_000);
		const { container } = render(Clipped, { text: huge });
		const summary = container.querySelector('summary');
		expect(summary?.textContent?.length).toBe(81);
		expect(container.querySelector('.whole')?.textContent?.length).toBe(1_000_000);
	});

	it('shows a short value as it is', () => {
		const { container } = render(Clipped, { text: 'Acme' });
		expect(container.textContent?.trim()).toBe('Acme');
		expect(container.querySelector('details')).toBeNull();
	});
});
