// Accounts the CSM opened lately, most recent first (kept in this machine's web storage): the
// palette ranks them above equally good matches.
const KEY = 'csm-desk.recent-accounts';
const KEEP = 20;

export function recentAccounts(): string[] {
	try {
		const value: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
		return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
	} catch {
		return [];
	}
}

export function rememberAccount(id: string) {
	const list = [id, ...recentAccounts().filter((r) => r !== id)].slice(0, KEEP);
	try {
		localStorage.setItem(KEY, JSON.stringify(list));
	} catch {
		// Storage full or unavailable: ranking just loses its recency hint.
	}
}
