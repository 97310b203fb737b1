// The app's keyboard shortcuts, listed once: the help overlay shows this list, and the shortcuts
// that work anywhere are dispatched from it (`anywhere`), so the help cannot promise a key that
// does nothing. Page shortcuts are handled by their pages.

/** What a shortcut that works anywhere does; the layout has one handler for each. */
export type GlobalAction =
	| 'palette'
	| 'help'
	| 'undo'
	| 'theme'
	| 'go-today'
	| 'go-week'
	| 'go-renewals'
	| 'go-risks'
	| 'go-asks'
	| 'go-book'
	| 'go-timeline'
	| 'go-settings'
	| 'log-call'
	| 'search'
	| 'new-account'
	| 'new-task'
	| 'brief';

export interface Shortcut {
	keys: string;
	description: string;
	scope: 'Anywhere' | 'Book' | 'Account' | 'Week' | 'QBR' | 'Renewals' | 'Risks' | 'Asks' | 'Brief';
	/** Set on shortcuts the layout dispatches; `keys` is then what is matched. */
	action?: GlobalAction;
}

export const SHORTCUTS: Shortcut[] = [
	{ keys: 'Ctrl+K', description: 'Open the command palette', scope: 'Anywhere', action: 'palette' },
	{ keys: '?', description: 'Show these shortcuts', scope: 'Anywhere', action: 'help' },
	{ keys: 'Ctrl+Z', description: 'Undo the last action (while its notice shows)', scope: 'Anywhere', action: 'undo' },
	{ keys: 'g t', description: 'Go to Today', scope: 'Anywhere', action: 'go-today' },
	{ keys: 'g w', description: 'Go to the Week', scope: 'Anywhere', action: 'go-week' },
	{ keys: 'g b', description: 'Go to the Book', scope: 'Anywhere', action: 'go-book' },
	{ keys: 'g r', description: 'Go to Renewals', scope: 'Anywhere', action: 'go-renewals' },
	{ keys: 'g k', description: 'Go to Risks', scope: 'Anywhere', action: 'go-risks' },
	{ keys: 'g a', description: 'Go to Asks (product feedback)', scope: 'Anywhere', action: 'go-asks' },
	{ keys: 'g l', description: 'Go to the Timeline', scope: 'Anywhere', action: 'go-timeline' },
	{ keys: 'l', description: 'Log a call (on the account you are on, else pick one)', scope: 'Anywhere', action: 'log-call' },
	{ keys: '/', description: 'Search everything (in the Book: filter it)', scope: 'Anywhere', action: 'search' },
	{ keys: 'Ctrl+Enter', description: 'Save the note being written', scope: 'Anywhere' },
	{ keys: 'g s', description: 'Go to Settings', scope: 'Anywhere', action: 'go-settings' },
	{ keys: 'n', description: 'New account (on Renewals: the next step; on Asks: a new ask)', scope: 'Anywhere', action: 'new-account' },
	{ keys: 't', description: 'New task (on the account you are viewing)', scope: 'Anywhere', action: 'new-task' },
	{
		keys: 'b',
		description: 'Brief before a meeting (the account you are on; on the Week and Today: the selected meeting), else pick an account',
		scope: 'Anywhere',
		action: 'brief'
	},
	{ keys: 'Ctrl+Shift+L', description: 'Switch light / dark theme', scope: 'Anywhere', action: 'theme' },
	{ keys: 'Esc', description: 'Close a dialog or cancel an edit', scope: 'Anywhere' },
	{ keys: '/', description: 'Filter the Book', scope: 'Book' },
	{ keys: '↑ ↓  or  j k', description: 'Move through accounts', scope: 'Book' },
	{ keys: 'Enter', description: 'Open the selected account', scope: 'Book' },
	{ keys: 'Enter', description: 'Save the field being edited', scope: 'Account' },
	{ keys: 'c', description: 'Add a contact', scope: 'Account' },
	{ keys: 'o', description: 'People: switch between the list and the org chart', scope: 'Account' },
	{ keys: 'r', description: "Open a risk (the suggestion's reason filled in, when there is one)", scope: 'Account' },
	{ keys: '← → ↑ ↓', description: 'Org chart: move between people (↑ manager, ↓ reports)', scope: 'Account' },
	{ keys: 'Enter  /  e', description: 'Org chart: open / edit the selected person on the map', scope: 'Account' },
	{ keys: 'Space', description: 'Org chart: fold or unfold the selected branch', scope: 'Account' },
	{ keys: 'Backspace', description: 'Back to the Book', scope: 'Account' },
	{ keys: '← → ↑ ↓  or  h l k j', description: 'Move between days and items', scope: 'Week' },
	{ keys: 'x  or  Space', description: 'Complete (or reopen) the selected task', scope: 'Week' },
	{ keys: 'Shift+← →', description: 'Move the selected task to the previous / next day', scope: 'Week' },
	{ keys: '← →  or  Page Up/Down', description: 'Previous / next slide', scope: 'QBR' },
	{ keys: 's', description: 'Snooze the selected task', scope: 'Week' },
	{ keys: 'e  or  Enter', description: 'Edit the selected task', scope: 'Week' },
	{ keys: 'Delete', description: 'Cancel the selected task', scope: 'Week' },
	{ keys: 'a  /  d', description: 'Plan / dismiss the selected suggestion', scope: 'Week' },
	{ keys: '[  ]  .', description: 'Previous week, next week, this week', scope: 'Week' },
	{ keys: 'b  /  Enter', description: 'Brief for the selected meeting (or suggested account)', scope: 'Week' },
	{ keys: 'l', description: 'Log the selected meeting as a call (prefilled)', scope: 'Week' },
	{ keys: 'c  /  m  /  p  /  l', description: 'Brief: copy as text, save Markdown, save PDF, log this call', scope: 'Brief' },
	{ keys: '↑ ↓  or  j k', description: 'Move through renewals', scope: 'Renewals' },
	{ keys: '1 2 3 4', description: 'Set the category: Commit, Probable, At risk, Churn expected', scope: 'Renewals' },
	{ keys: 'e', description: 'Edit the renewal (expected ARR, stage, confidence)', scope: 'Renewals' },
	{ keys: 'n', description: 'Set the next step', scope: 'Renewals' },
	{ keys: 'o', description: 'Record the outcome (renewed, up, down, churned)', scope: 'Renewals' },
	{ keys: 'Enter', description: 'Open the account', scope: 'Renewals' },
	{ keys: '↑ ↓  or  j k', description: 'Move through open risks', scope: 'Risks' },
	{ keys: '1 2 3 4 5', description: 'Move the risk: identified, plan in place, saving, recovered, lost', scope: 'Risks' },
	{ keys: 'e', description: 'Edit the risk', scope: 'Risks' },
	{ keys: 'p  /  u', description: 'Add a save-plan step / a weekly update', scope: 'Risks' },
	{ keys: 'Enter', description: 'Open the account', scope: 'Risks' },
	{ keys: 'a  /  d', description: 'Open / dismiss the selected "Open a risk?" suggestion', scope: 'Risks' },
	{ keys: '↑ ↓  or  j k', description: 'Move through asks', scope: 'Asks' },
	{ keys: '1 2 3 4 5', description: 'Set the status: new, sent to product, planned, shipped, declined', scope: 'Asks' },
	{ keys: 'e  or  Enter', description: 'Edit the ask and who asks', scope: 'Asks' },
	{ keys: 'n', description: 'New ask', scope: 'Asks' }
];

/** Whether a key press is the combination `combo` ("Ctrl+Shift+L", "?", "g"). */
function pressed(event: KeyboardEvent, combo: string): boolean {
	const parts = combo.split('+');
	const key = parts.pop() ?? '';
	const ctrl = parts.includes('Ctrl');
	if (ctrl !== (event.ctrlKey || event.metaKey)) return false;
	if (ctrl && parts.includes('Shift') !== event.shiftKey) return false;
	// With Ctrl the letter's case does not matter (Shift or Caps Lock); alone it does ("n" is not "N").
	return ctrl ? event.key.toLowerCase() === key.toLowerCase() : event.key === key;
}

/**
 * The action a key press triggers anywhere, given the first key of a sequence already pressed
 * (`prefix`, e.g. "g"); `{ prefix }` when the press starts a sequence. Shortcuts with Ctrl come
 * first: they work while a page is busy with its own keys.
 */
export function anywhere(event: KeyboardEvent, prefix: string | null, withModifier: boolean): { action?: GlobalAction; prefix?: string } {
	let startsSequence = false;
	for (const shortcut of SHORTCUTS) {
		if (!shortcut.action || shortcut.keys.includes('Ctrl') !== withModifier) continue;
		const [first = '', second] = shortcut.keys.split(' ');
		if (second === undefined) {
			if (prefix === null && pressed(event, first)) return { action: shortcut.action };
		} else if (prefix === first && pressed(event, second)) {
			return { action: shortcut.action };
		} else if (prefix === null && pressed(event, first)) {
			startsSequence = true;
		}
	}
	return startsSequence ? { prefix: event.key } : {};
}

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
