// The app's keyboard shortcuts, listed once: the help overlay shows this list.
export interface Shortcut {
	keys: string;
	description: string;
	scope: 'Anywhere' | 'Book' | 'Account' | 'Week' | 'QBR';
}

export const SHORTCUTS: Shortcut[] = [
	{ keys: 'Ctrl+K', description: 'Open the command palette', scope: 'Anywhere' },
	{ keys: '?', description: 'Show these shortcuts', scope: 'Anywhere' },
	{ keys: 'Ctrl+Z', description: 'Undo the last action (while its notice shows)', scope: 'Anywhere' },
	{ keys: 'g t', description: 'Go to Today', scope: 'Anywhere' },
	{ keys: 'g w', description: 'Go to the Week', scope: 'Anywhere' },
	{ keys: 'g b', description: 'Go to the Book', scope: 'Anywhere' },
	{ keys: 'g l', description: 'Go to the Timeline', scope: 'Anywhere' },
	{ keys: 'l', description: 'Log a call (on the account you are on, else pick one)', scope: 'Anywhere' },
	{ keys: '/', description: 'Search everything (in the Book: filter it)', scope: 'Anywhere' },
	{ keys: 'Ctrl+Enter', description: 'Save the note being written', scope: 'Anywhere' },
	{ keys: 'g s', description: 'Go to Settings', scope: 'Anywhere' },
	{ keys: 'n', description: 'New account', scope: 'Anywhere' },
	{ keys: 't', description: 'New task (on the account you are viewing)', scope: 'Anywhere' },
	{ keys: 'Ctrl+Shift+L', description: 'Switch light / dark theme', scope: 'Anywhere' },
	{ keys: 'Esc', description: 'Close a dialog or cancel an edit', scope: 'Anywhere' },
	{ keys: '/', description: 'Filter the Book', scope: 'Book' },
	{ keys: '↑ ↓  or  j k', description: 'Move through accounts', scope: 'Book' },
	{ keys: 'Enter', description: 'Open the selected account', scope: 'Book' },
	{ keys: 'Enter', description: 'Save the field being edited', scope: 'Account' },
	{ keys: 'c', description: 'Add a contact', scope: 'Account' },
	{ keys: 'Backspace', description: 'Back to the Book', scope: 'Account' },
	{ keys: '← → ↑ ↓  or  h l k j', description: 'Move between days and items', scope: 'Week' },
	{ keys: 'x  or  Space', description: 'Complete (or reopen) the selected task', scope: 'Week' },
	{ keys: 'Shift+← →', description: 'Move the selected task to the previous / next day', scope: 'Week' },
	{ keys: '← →  or  Page Up/Down', description: 'Previous / next slide', scope: 'QBR' },
	{ keys: 's', description: 'Snooze the selected task', scope: 'Week' },
	{ keys: 'e  or  Enter', description: 'Edit the selected task', scope: 'Week' },
	{ keys: 'Delete', description: 'Cancel the selected task', scope: 'Week' },
	{ keys: 'a  /  d', description: 'Plan / dismiss the selected suggestion', scope: 'Week' },
	{ keys: '[  ]  .', description: 'Previous week, next week, this week', scope: 'Week' }
];

/** True when the key press is typing into a field, where single-key shortcuts must not fire. */
export function isTyping(event: KeyboardEvent): boolean {
	const target = event.target as HTMLElement | null;
	if (!target) return false;
	return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** The palette's ranking: prefix matches first, then word starts, then anywhere. */
export function rank(label: string, query: string): number {
	const text = label
		.normalize('NFD')
		.replace(/\p{Diacritic}/gu, '')
		.toLowerCase();
	const q = query
		.normalize('NFD')
		.replace(/\p{Diacritic}/gu, '')
		.toLowerCase()
		.trim();
	if (!q) return 1;
	if (text.startsWith(q)) return 3;
	if (text.split(/[\s.@-]+/).some((word) => word.startsWith(q))) return 2;
	return text.includes(q) ? 1 : 0;
}
