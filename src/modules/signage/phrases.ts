import type { Lang } from '../../platform/i18n.ts';

/**
 * What a screen itself says (the screen page is rendered by this module, outside the web
 * bundle): slide labels, opening hours, the urgent notice's heading.
 */
const PHRASES = {
  fi: {
    news: 'Uutinen',
    event: 'Tapahtuma',
    press_release: 'Tiedote',
    bulletin: 'Henkilöstötiedote',
    notice: 'Ilmoitus',
    hoursToday: 'Aukioloajat tänään',
    openNow: 'Avoinna nyt',
    closedNow: 'Suljettu nyt',
    closedToday: 'Tänään suljettu',
    opensAt: 'Avautuu {when}',
    tomorrow: 'huomenna',
    urgent: 'Kiireellinen tiedote',
    warning: 'Tärkeä tiedote',
    info: 'Tiedote',
    noContent: 'Tervetuloa',
    screen: 'Infonäyttö',
  },
  sv: {
    news: 'Nyhet',
    event: 'Evenemang',
    press_release: 'Pressmeddelande',
    bulletin: 'Personalmeddelande',
    notice: 'Meddelande',
    hoursToday: 'Öppettider i dag',
    openNow: 'Öppet nu',
    closedNow: 'Stängt nu',
    closedToday: 'Stängt i dag',
    opensAt: 'Öppnar {when}',
    tomorrow: 'i morgon',
    urgent: 'Brådskande meddelande',
    warning: 'Viktigt meddelande',
    info: 'Meddelande',
    noContent: 'Välkommen',
    screen: 'Infoskärm',
  },
  en: {
    news: 'News',
    event: 'Event',
    press_release: 'Press release',
    bulletin: 'Staff bulletin',
    notice: 'Notice',
    hoursToday: 'Opening hours today',
    openNow: 'Open now',
    closedNow: 'Closed now',
    closedToday: 'Closed today',
    opensAt: 'Opens {when}',
    tomorrow: 'tomorrow',
    urgent: 'Urgent notice',
    warning: 'Important notice',
    info: 'Notice',
    noContent: 'Welcome',
    screen: 'Info screen',
  },
} satisfies Record<Lang, Record<string, string>>;

export type SignagePhrase = keyof (typeof PHRASES)['fi'];

export function phrase(lang: Lang, key: SignagePhrase, vars: Record<string, string> = {}): string {
  return PHRASES[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
}
