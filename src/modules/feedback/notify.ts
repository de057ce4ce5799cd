import type { Lang } from '../../platform/i18n.ts';
import type { CaseStatus } from './model.ts';

/**
 * E-mails to the person who gave feedback: the receipt with the private follow-up link,
 * status changes, staff replies and, after resolution, "was this fixed?". Plain text only:
 * whatever a resident or staff member typed is sent as text and cannot become markup.
 */

export const STATUS_NAMES: Record<CaseStatus, Record<Lang, string>> = {
  new: { fi: 'Vastaanotettu', sv: 'Mottagen', en: 'Received' },
  in_progress: { fi: 'Käsittelyssä', sv: 'Under behandling', en: 'In progress' },
  planned: { fi: 'Suunniteltu', sv: 'Planerad', en: 'Planned' },
  waiting_for_resident: { fi: 'Odottaa lisätietoja sinulta', sv: 'Väntar på mer information från dig', en: 'Waiting for more information from you' },
  resolved: { fi: 'Ratkaistu', sv: 'Löst', en: 'Resolved' },
  not_ours: { fi: 'Ei kunnan hoidettavissa', sv: 'Sköts inte av kommunen', en: 'Not handled by the municipality' },
  duplicate: { fi: 'Yhdistetty toiseen palautteeseen', sv: 'Sammanslagen med en annan respons', en: 'Merged with another report' },
  closed: { fi: 'Suljettu', sv: 'Stängd', en: 'Closed' },
};

interface MailText {
  subject: string;
  text: string;
}

const SIGN = { fi: 'Ystävällisin terveisin', sv: 'Med vänliga hälsningar', en: 'Kind regards' };

export function receiptMail(lang: Lang, org: string, number: number, category: string, link: string): MailText {
  const t = {
    fi: {
      subject: `Palautteesi on vastaanotettu (nro ${number})`,
      text: `Kiitos palautteestasi! Olemme vastaanottaneet sen numerolla ${number} (${category}).\n\nVoit seurata käsittelyä tästä yksityisestä linkistä. Älä jaa linkkiä muille:\n${link}\n\nKerromme sinulle sähköpostilla, kun käsittely etenee.`,
    },
    sv: {
      subject: `Din respons har tagits emot (nr ${number})`,
      text: `Tack för din respons! Vi har tagit emot den med nummer ${number} (${category}).\n\nDu kan följa behandlingen via denna privata länk. Dela inte länken med andra:\n${link}\n\nVi meddelar dig per e-post när behandlingen framskrider.`,
    },
    en: {
      subject: `We have received your feedback (no. ${number})`,
      text: `Thank you for your feedback! We have received it as number ${number} (${category}).\n\nYou can follow it through this private link. Please do not share it:\n${link}\n\nWe will e-mail you when there is progress.`,
    },
  }[lang];
  return { subject: t.subject, text: `${t.text}\n\n${SIGN[lang]}\n${org}` };
}

export function statusMail(lang: Lang, org: string, number: number, status: CaseStatus, link: string, askFixed: boolean): MailText {
  const name = STATUS_NAMES[status][lang];
  const ask = askFixed
    ? {
        fi: '\n\nKorjaantuiko asia? Kerro meille seurantasivulla.',
        sv: '\n\nBlev saken åtgärdad? Berätta för oss på uppföljningssidan.',
        en: '\n\nWas this fixed? Let us know on the follow-up page.',
      }[lang]
    : '';
  const t = {
    fi: { subject: `Palautteesi ${number}: ${name}`, text: `Palautteesi ${number} tila on nyt: ${name}.${ask}\n\n${link}` },
    sv: { subject: `Din respons ${number}: ${name}`, text: `Statusen för din respons ${number} är nu: ${name}.${ask}\n\n${link}` },
    en: { subject: `Your feedback ${number}: ${name}`, text: `The status of your feedback ${number} is now: ${name}.${ask}\n\n${link}` },
  }[lang];
  return { subject: t.subject, text: `${t.text}\n\n${SIGN[lang]}\n${org}` };
}

export function replyMail(lang: Lang, org: string, number: number, body: string, link: string): MailText {
  const t = {
    fi: { subject: `Vastaus palautteeseesi ${number}`, intro: 'Olemme vastanneet palautteeseesi:', more: 'Koko käsittely näkyy seurantasivulla:' },
    sv: { subject: `Svar på din respons ${number}`, intro: 'Vi har svarat på din respons:', more: 'Hela behandlingen syns på uppföljningssidan:' },
    en: { subject: `A reply to your feedback ${number}`, intro: 'We have replied to your feedback:', more: 'The whole case is on the follow-up page:' },
  }[lang];
  return { subject: t.subject, text: `${t.intro}\n\n${body}\n\n${t.more}\n${link}\n\n${SIGN[lang]}\n${org}` };
}

/** The path of the private follow-up page; the token is the only key to it. */
export function followPath(lang: Lang, token: string): string {
  return `/${lang}/feedback/follow/${encodeURIComponent(token)}`;
}
