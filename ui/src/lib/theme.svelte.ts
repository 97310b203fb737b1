// Light and dark themes following the system, with a manual choice kept on this machine.
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'csm-desk.theme';

function systemDark(): boolean {
	return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
}

class Theme {
	choice = $state<ThemeChoice>('system');
	private systemIsDark = $state(false);
	resolved = $derived<'light' | 'dark'>(this.choice === 'system' ? (this.systemIsDark ? 'dark' : 'light') : this.choice);

	init() {
		const saved = localStorage.getItem(KEY);
		if (saved === 'light' || saved === 'dark' || saved === 'system') this.choice = saved;
		this.systemIsDark = systemDark();
		if (typeof matchMedia === 'function') {
			matchMedia('(prefers-color-scheme: dark)').addEventListener('change', (e) => (this.systemIsDark = e.matches));
		}
	}

	set(choice: ThemeChoice) {
		this.choice = choice;
		localStorage.setItem(KEY, choice);
	}

	/** Flips between light and dark (leaving "follow the system"). */
	toggle() {
		this.set(this.resolved === 'dark' ? 'light' : 'dark');
	}
}

export const theme = new Theme();
