import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import InlineField from './InlineField.svelte';

afterEach(cleanup);

describe('InlineField', () => {
	it('shows the value and offers to add one when empty', () => {
		render(InlineField, { label: 'Region', name: 'region', value: '', onsave: vi.fn() });
		expect(screen.getByRole('button', { name: /add region/i })).toBeTruthy();
	});

	it('saves on Enter and closes the editor', async () => {
		const onsave = vi.fn().mockResolvedValue(null);
		render(InlineField, { label: 'Region', name: 'region', value: 'EMEA', onsave });
		await fireEvent.click(screen.getByTitle('Edit Region'));
		const input = screen.getByLabelText<HTMLInputElement>('Region');
		await fireEvent.input(input, { target: { value: 'APAC' } });
		await fireEvent.keyDown(input, { key: 'Enter' });
		expect(onsave).toHaveBeenCalledWith('region', 'APAC');
		await vi.waitFor(() => expect(screen.queryByLabelText('Region')).toBeNull());
	});

	it('keeps the editor open with the reason next to the field when the save is refused', async () => {
		const onsave = vi.fn().mockResolvedValue("ARR can't be negative.");
		render(InlineField, { label: 'ARR', name: 'arr', value: '1000', onsave });
		await fireEvent.click(screen.getByTitle('Edit ARR'));
		const input = screen.getByLabelText<HTMLInputElement>('ARR');
		await fireEvent.input(input, { target: { value: '-5' } });
		await fireEvent.keyDown(input, { key: 'Enter' });
		const alert = await screen.findByRole('alert');
		expect(alert.textContent).toBe("ARR can't be negative.");
		expect(input.getAttribute('aria-invalid')).toBe('true');
	});

	it('cancels on Escape without saving', async () => {
		const onsave = vi.fn();
		render(InlineField, { label: 'Owner', name: 'owner', value: 'Jordan', onsave });
		await fireEvent.click(screen.getByTitle('Edit Owner'));
		const input = screen.getByLabelText('Owner');
		await fireEvent.input(input, { target: { value: 'Sam' } });
		await fireEvent.keyDown(input, { key: 'Escape' });
		expect(onsave).not.toHaveBeenCalled();
		expect(screen.getByTitle('Edit Owner').textContent?.trim()).toBe('Jordan');
	});
});
