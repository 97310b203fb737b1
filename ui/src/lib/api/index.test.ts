import { afterEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

const { api, ApiError, toApiError } = await import('./index');

describe('api', () => {
	afterEach(() => invoke.mockReset());

	it('passes arguments with the names the commands expect', async () => {
		invoke.mockResolvedValue({ id: 'c1' });
		await api.createContact('a1', { name: 'Ana', email: '', title: '', phone: '', role: 'champion', left_on: '' });
		expect(invoke).toHaveBeenCalledWith('create_contact', {
			accountId: 'a1',
			input: expect.objectContaining({ name: 'Ana' })
		});
	});

	it('turns a command error into an ApiError with its fields', async () => {
		const refusal = {
			kind: 'invalid',
			message: 'ARR must not be negative.',
			fields: [{ field: 'arr', message: 'ARR must not be negative.' }]
		};
		invoke.mockImplementation(async () => Promise.reject(refusal));
		const error = (await api.book().catch((e: unknown) => e)) as InstanceType<typeof ApiError>;
		expect(error instanceof ApiError).toBe(true);
		expect(error.kind).toBe('invalid');
		expect(error.fieldMessage('arr')).toBe('ARR must not be negative.');
		expect(error.fieldMessage('name')).toBeUndefined();
	});

	it('wraps anything else in plain words', () => {
		const error = toApiError('IPC channel closed');
		expect(error.kind).toBe('internal');
		expect(error.message).toContain('IPC channel closed');
	});
});
