import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import HealthBadge from './HealthBadge.svelte';

afterEach(cleanup);

describe('HealthBadge', () => {
	it('shows the score in its band with the 30-day trend', () => {
		render(HealthBadge, { health: { score: 48, band: 'red', trend_30d: -12, sparkline: [70, 62, 55, 48], band_a_week_ago: 'yellow' } });
		const badge = screen.getByTestId('health-badge');
		expect(badge.dataset.band).toBe('red');
		expect(screen.getByTitle('Red health').textContent).toBe('48');
		expect(screen.getByTitle('Change over 30 days').textContent?.trim()).toBe('▼12');
	});

	it('says an account is not scored yet instead of inventing a number', () => {
		render(HealthBadge, { health: null });
		expect(screen.getByTitle(/Not scored yet/).textContent).toBe('—');
	});
});
