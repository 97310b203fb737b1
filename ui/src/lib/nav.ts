// Navigation to paths built with resolve(), some with a query string (the lint rule cannot see
// through either, hence the one exemption here).
import { goto } from '$app/navigation';
import { resolve } from '$app/paths';

/** Goes to a path that came from resolve() (e.g. a search hit's). */
export function go(path: string) {
	// eslint-disable-next-line svelte/no-navigation-without-resolve -- every caller passes a resolve()d path
	return goto(path);
}

/** Logs a call on an account, restoring a draft when given. */
export function logCall(accountId: string, draftId?: string) {
	const query = new URLSearchParams({ account: accountId, ...(draftId ? { draft: draftId } : {}) });
	return go(`${resolve('/notes/new')}?${query}`);
}

/** "Log this call": the note editor, prefilled from the meeting (account, attendees, time, template). */
export function logMeeting(accountId: string, meetingId: string) {
	const query = new URLSearchParams({ account: accountId, meeting: meetingId });
	return go(`${resolve('/notes/new')}?${query}`);
}

/** Settings, at one of its sections ("calendars"). */
export function openSettings(section: string) {
	return go(`${resolve('/settings')}#${section}`);
}

export function searchFor(text: string) {
	return go(`${resolve('/search')}?${new URLSearchParams({ q: text })}`);
}

/** Opens the Sync page and starts a sync. */
export function syncNow() {
	return go(`${resolve('/sync')}?now=1`);
}
