// How dates and times are written everywhere in the app: the system's locale, or the CSM's
// choice in Settings, kept on this machine like the theme.
const KEY = 'csm-desk.date-style';

export type DateStyle = 'system' | 'en-GB' | 'en-US' | 'de-DE' | 'fr-FR' | 'iso';

export const DATE_STYLES: { value: DateStyle; label: string }[] = [
	{ value: 'system', label: 'Follow the system' },
	{ value: 'en-GB', label: '2 Dec 2026, 16:13' },
	{ value: 'en-US', label: 'Dec 2, 2026, 4:13 PM' },
	{ value: 'de-DE', label: '2. Dez. 2026, 16:13' },
	{ value: 'fr-FR', label: '2 déc. 2026, 16:13' },
	{ value: 'iso', label: '2026-12-02 16:13' }
];

/** The locale this computer is set to (as the web view reports it). */
export function systemLocale(): string {
	const wanted = typeof navigator === 'undefined' ? 'en-GB' : navigator.language;
	try {
		return Intl.DateTimeFormat.supportedLocalesOf([wanted])[0] ?? 'en-GB';
	} catch {
		return 'en-GB';
	}
}

class DateLocale {
	choice = $state<DateStyle>('system');
	/** The BCP 47 tag dates are written in, or 'iso'. */
	tag = $derived(this.choice === 'system' ? systemLocale() : this.choice);

	init() {
		const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY);
		if (DATE_STYLES.some((s) => s.value === saved)) this.choice = saved as DateStyle;
	}

	set(choice: DateStyle) {
		this.choice = choice;
		localStorage.setItem(KEY, choice);
	}
}

export const dateLocale = new DateLocale();
