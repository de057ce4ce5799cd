import { defineMessages } from './define.ts';

/** Texts of the resident portal's frame and search that common.ts and portal.ts lack. */
export const portalShell = defineMessages({
  fi: {
    // The footer's links are not the main menu; a screen reader lists both landmarks by name.
    footerNav: 'Tietoa palvelusta',
    resultCountOne: '1 tulos',
  },
  sv: {
    footerNav: 'Om tjänsten',
    resultCountOne: '1 resultat',
  },
  en: {
    footerNav: 'About this service',
    resultCountOne: '1 result',
  },
});
