import type { Lang } from '../../platform/i18n.ts';

/**
 * Phrases of the e-mails this module sends (confirmation, campaigns, notifications,
 * digests). They live here, not in src/web, because the compiled server sends them.
 */
export const MAIL_TEXT: Record<Lang, Record<string, string>> = {
  fi: {
    confirmSubject: 'Vahvista tilauksesi: {org}',
    confirmText:
      'Hei,\n\njoku (toivottavasti sinä) tilasi tiedotteita osoitteeseen {email} palvelusta {org}.\nVahvista tilaus avaamalla linkki:\n{link}\n\nJos et tilannut mitään, voit jättää tämän viestin huomiotta: emme lähetä sinulle mitään ilman vahvistusta.',
    footerWhy: 'Saat tämän viestin, koska tilasit tiedotteita palvelusta {org}.',
    footerPrefs: 'Muuta tilauksen asetuksia',
    footerUnsubscribe: 'Peru tilaus',
    readMore: 'Lue lisää',
    digestSubjectDaily: '{org}: päivän uutiset',
    digestSubjectWeekly: '{org}: viikon uutiset',
    digestIntro: 'Uutta tilaamistasi aiheista:',
  },
  sv: {
    confirmSubject: 'Bekräfta din prenumeration: {org}',
    confirmText:
      'Hej,\n\nnågon (förhoppningsvis du) prenumererade på meddelanden till adressen {email} från {org}.\nBekräfta prenumerationen genom att öppna länken:\n{link}\n\nOm du inte har prenumererat på något kan du lämna meddelandet utan åtgärd: vi skickar ingenting utan bekräftelse.',
    footerWhy: 'Du får detta meddelande eftersom du prenumererar på meddelanden från {org}.',
    footerPrefs: 'Ändra inställningarna för prenumerationen',
    footerUnsubscribe: 'Avsluta prenumerationen',
    readMore: 'Läs mer',
    digestSubjectDaily: '{org}: dagens nyheter',
    digestSubjectWeekly: '{org}: veckans nyheter',
    digestIntro: 'Nytt inom de ämnen du prenumererar på:',
  },
  en: {
    confirmSubject: 'Confirm your subscription: {org}',
    confirmText:
      'Hello,\n\nsomeone (hopefully you) subscribed {email} to news from {org}.\nConfirm the subscription by opening the link:\n{link}\n\nIf you did not subscribe, you can ignore this message: we send nothing without a confirmation.',
    footerWhy: 'You receive this message because you subscribed to news from {org}.',
    footerPrefs: 'Change your subscription settings',
    footerUnsubscribe: 'Unsubscribe',
    readMore: 'Read more',
    digestSubjectDaily: '{org}: news of the day',
    digestSubjectWeekly: '{org}: news of the week',
    digestIntro: 'New in the topics you follow:',
  },
};

export function mailText(lang: Lang, key: string, vars: Record<string, string> = {}): string {
  const t = MAIL_TEXT[lang][key] ?? MAIL_TEXT.fi[key] ?? key;
  return t.replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? `{${k}}`);
}
