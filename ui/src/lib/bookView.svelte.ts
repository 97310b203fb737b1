// What the Book shows — filter, sort and the selected row — kept for the session, so coming back
// from an account finds the Book as the CSM left it.
import { EMPTY_FILTER, type BookFilter, type Sort } from '$lib/book';

export const bookView = $state<{ filter: BookFilter; sort: Sort; selected: number }>({
	filter: { ...EMPTY_FILTER },
	sort: { key: 'renewal', ascending: true },
	selected: 0
});
