import { LANGUAGES, type Lang } from '../../platform/i18n.ts';
import { defineMessages } from './define.ts';

/** Texts of the resident portal's frame, front page and search that common.ts and portal.ts lack. */
export const portalShell = defineMessages({
  fi: {
    // The footer's links are not the main menu; a screen reader lists both landmarks by name.
    footerNav: 'Tietoa palvelusta',
    resultCountOne: '1 tulos',
    frontIntro: 'Löydä palvelut, aukioloajat ja yhteystiedot yhdestä paikasta.',
    languagesSentence: 'Voit asioida {list}.',
    or: 'tai',
    contactUs: 'Asiakaspalvelu',
  },
  sv: {
    footerNav: 'Om tjänsten',
    resultCountOne: '1 resultat',
    frontIntro: 'Hitta tjänster, öppettider och kontaktuppgifter på ett ställe.',
    languagesSentence: 'Du kan uträtta ärenden på {list}.',
    or: 'eller',
    contactUs: 'Kundtjänst',
  },
  en: {
    footerNav: 'About this service',
    resultCountOne: '1 result',
    frontIntro: 'Find services, opening hours and contact details in one place.',
    languagesSentence: 'You can use the service in {list}.',
    or: 'or',
    contactUs: 'Customer service',
  },
});

/** How each page language names the languages a resident can use ("suomeksi", "på svenska"). */
const LANGUAGE_WORDS: Record<Lang, Record<Lang, string>> = {
  fi: { fi: 'suomeksi', sv: 'ruotsiksi', en: 'englanniksi' },
  sv: { fi: 'finska', sv: 'svenska', en: 'engelska' },
  en: { fi: 'Finnish', sv: 'Swedish', en: 'English' },
};

/** "suomeksi, ruotsiksi tai englanniksi" for the tenant's languages; '' for one language. */
export function languageList(lang: Lang, languages: readonly Lang[], or: string): string {
  const words = LANGUAGES.filter((l) => languages.includes(l)).map((l) => LANGUAGE_WORDS[lang][l]);
  if (words.length < 2) return '';
  return `${words.slice(0, -1).join(', ')} ${or} ${words[words.length - 1]}`;
}
