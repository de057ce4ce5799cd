import type { ServiceHours } from '../catalog/model.ts';
import { formatMinutes, weekFrom, WEEKDAYS } from '../catalog/opening-hours.ts';
import type { Lang } from '../../platform/i18n.ts';

/**
 * The e-mail channel's pure parts: what counts as machine-sent mail, where the quoted
 * history of a reply starts, subjects with the reference token, Message-ID handling and
 * the texts of the auto-reply and the reply footer. No I/O here, so all of it is unit-tested
 * (email-text.test.ts).
 */

// ── Message-IDs ─────────────────────────────────────────────────────────────────────────

/** Every "<…>" token of a header value (References holds several), in order, deduplicated. */
export function messageIds(value: string | string[] | undefined | null): string[] {
  const text = Array.isArray(value) ? value.join(' ') : (value ?? '');
  const out: string[] = [];
  for (const m of text.matchAll(/<([^<>\s]{1,900})>/g)) {
    const id = `<${m[1]}>`;
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

/** The domain part of a Message-ID, lower case ("" when it has none). */
export function messageIdDomain(id: string): string {
  const at = id.lastIndexOf('@');
  return at < 0 ? '' : id.slice(at + 1).replace(/>$/, '').toLowerCase();
}

/** The domain of an address such as `Aukio <no-reply@aukio.fi>` or `no-reply@aukio.fi`. */
export function addressDomain(address: string): string | null {
  const m = /@([A-Za-z0-9.-]+)>?\s*$/.exec(address.trim());
  return m ? m[1].toLowerCase() : null;
}

/** The bare address of `Name <a@b>` or `a@b`, lower case. */
export function bareAddress(address: string): string | null {
  const m = /<([^<>\s]+@[^<>\s]+)>/.exec(address) ?? /([^<>\s]+@[^<>\s]+)/.exec(address);
  return m ? m[1].toLowerCase() : null;
}

/**
 * The Message-IDs kept in a reply's References: the first (the thread's root, which
 * clients use to group) and the latest ones, at most `max` in all (RFC 5322 puts no limit,
 * but some servers cut header lines near 998 characters).
 */
export function trimReferences(ids: string[], max = 12): string[] {
  if (ids.length <= max) return ids;
  return [ids[0], ...ids.slice(ids.length - (max - 1))];
}

// ── machine-sent mail ───────────────────────────────────────────────────────────────────

/**
 * Why a mail must not be answered or become a conversation:
 * - `bounce`: a delivery report (null reverse-path, multipart/report, MAILER-DAEMON or
 *   postmaster), possibly about one of our replies;
 * - `auto_reply`: an autoresponder (Auto-Submitted other than "no", X-Autoreply,
 *   X-Autorespond, Precedence: auto_reply);
 * - `bulk`: mass mail (Precedence bulk/junk/list, List-Id, List-Unsubscribe);
 * - `loop`: our own mail coming back (its Message-ID is of our domain).
 */
export type MachineMail = 'bounce' | 'auto_reply' | 'bulk' | 'loop';

export interface MailFacts {
  /** SMTP MAIL FROM; '' = the null reverse-path `<>`; null when not known (IMAP without Return-Path). */
  envelopeFrom: string | null;
  /** The From address, lower case. */
  from: string | null;
  /** Lower-case header names → their text value. */
  header: (name: string) => string | undefined;
  contentType: string | undefined;
  messageId: string | null;
  /** Domains whose Message-IDs are ours. */
  ownDomains: string[];
}

export function classifyMachineMail(f: MailFacts): MachineMail | null {
  const local = (f.from ?? '').split('@')[0];
  if (f.envelopeFrom === '' || /^multipart\/report$/i.test(f.contentType ?? '') || /^(mailer-daemon|postmaster)$/i.test(local)) {
    return 'bounce';
  }
  if (f.messageId && f.ownDomains.includes(messageIdDomain(f.messageId))) return 'loop';
  const auto = f.header('auto-submitted');
  if (auto !== undefined && !/^\s*no\s*(;|$)/i.test(auto)) return 'auto_reply';
  if (f.header('x-autoreply') !== undefined || f.header('x-autorespond') !== undefined) return 'auto_reply';
  const precedence = (f.header('precedence') ?? '').trim().toLowerCase();
  if (precedence === 'auto_reply') return 'auto_reply';
  if (['bulk', 'junk', 'list'].includes(precedence)) return 'bulk';
  if (f.header('list-id') !== undefined || f.header('list-unsubscribe') !== undefined) return 'bulk';
  return null;
}

/** From a delivery report: the recipient that failed and the reason, when the report says. */
export function deliveryFailure(report: string): { recipient: string | null; status: string | null; diagnostic: string | null } {
  const line = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(report)?.[1].trim() ?? null;
  const recipient = line('Final-Recipient') ?? line('Original-Recipient');
  return {
    recipient: recipient ? bareAddress(recipient.replace(/^rfc822;\s*/i, '')) : null,
    status: line('Status'),
    diagnostic: line('Diagnostic-Code')?.replace(/^smtp;\s*/i, '').slice(0, 300) ?? null,
  };
}

// ── the new text of a reply ─────────────────────────────────────────────────────────────

/** Lines that start the quoted previous message in the common mail clients (fi, sv, en). */
const ATTRIBUTION = [
  /^\s*On\s.+\swrote:\s*$/i, // Gmail, Apple Mail, Thunderbird (en)
  // fi, sv, de, fr: "<date> <name> kirjoitti:" — a date or an address in the line, so a
  // sentence of the resident's own ending in "kirjoitti:" is not taken for one.
  /^(?=.*[\d@]).{0,200}\s(kirjoitti|skrev|schrieb|a écrit)\s*:?\s*$/i,
  /^\s*Den\s.{0,100}\d.{0,100}\sskrev\s.{0,200}:\s*$/i, // sv Apple Mail / Outlook: "Den 7 dec. 2026 kl. 10:00 skrev X <x@y>:"
  /^\s*-{2,}\s*(Original Message|Alkuperäinen viesti|Ursprungligt meddelande|Ursprungmeddelande)\s*-{2,}\s*$/i,
  /^\s*_{10,}\s*$/, // Outlook's rule above the quoted header block
];
/** Outlook's quoted header block: "From: …" followed closely by "Sent: …" (or the fi/sv words). */
const OUTLOOK_FROM = /^\s*\*?(From|Lähettäjä|Från|Von)\s*:\*?\s*\S/i;
const OUTLOOK_SENT = /^\s*\*?(Sent|Date|Lähetetty|Päivämäärä|Skickat|Datum|Gesendet)\s*:\*?\s*\S/i;

/**
 * The new text of an e-mail reply without the quoted history: cut at the first
 * attribution line ("On … wrote:", "… kirjoitti:", "… skrev:", "-----Original
 * Message-----", Outlook's From/Sent block) and drop a trailing `>`-quoted block. Quotes
 * interleaved with new text are kept (they carry meaning). When cutting would leave
 * nothing, the text is returned whole: better a long message than a lost one.
 */
export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // A long attribution is often wrapped onto a second line by the sender's client.
    const joined = i + 1 < lines.length ? `${line} ${lines[i + 1]}` : line;
    if (ATTRIBUTION.some((re) => re.test(line)) || (/^\s*On\s/i.test(line) && /\swrote:\s*$/i.test(joined) && line.length < 200)) {
      cut = i;
      break;
    }
    if (OUTLOOK_FROM.test(line) && lines.slice(i + 1, i + 5).some((l) => OUTLOOK_SENT.test(l))) {
      cut = i;
      break;
    }
  }
  let kept = lines.slice(0, cut);
  // The quoted tail: `>` lines (and blank lines between them) at the end.
  let end = kept.length;
  while (end > 0 && (/^\s*>/.test(kept[end - 1]) || kept[end - 1].trim() === '')) end--;
  if (kept.slice(end).some((l) => /^\s*>/.test(l))) kept = kept.slice(0, end);
  const result = kept.join('\n').trim();
  return result || text.trim();
}

// ── subjects ───────────────────────────────────────────────────────────────────────────

const REPLY_PREFIX = /^\s*((re|vs|sv|aw|fw|fwd|vl|vb|tr)\s*(\[\d+\])?\s*:\s*)+/i;
const TOKEN = /\s*\[#(\d{4,15})\]\s*/;

/** The reference number quoted in a subject ("Re: Katuvalo [#10023]"), if any. */
export function subjectToken(subject: string | undefined | null): number | null {
  const m = TOKEN.exec(subject ?? '');
  return m ? Number(m[1]) : null;
}

/** The subject without reply prefixes and reference tokens. */
export function baseSubject(subject: string | undefined | null): string {
  return (subject ?? '').replace(TOKEN, ' ').replace(REPLY_PREFIX, '').replace(/\s+/g, ' ').trim();
}

/** Our replies' subject: `Re: <subject> [#10023]` (the token lets a reply find its way back). */
export function replySubject(subject: string | null, number: number, lang: Lang): string {
  const base = baseSubject(subject) || FALLBACK_SUBJECT[lang];
  return `Re: ${base.slice(0, 200)} [#${number}]`;
}

const FALLBACK_SUBJECT: Record<Lang, string> = { fi: 'Yhteydenottosi', sv: 'Ditt meddelande', en: 'Your message' };

// ── HTML ───────────────────────────────────────────────────────────────────────────────

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Plain text as HTML paragraphs (blank lines) with line breaks, every character escaped. */
export function textToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

/**
 * The HTML part: plain semantic markup without inline styles (the staff console previews
 * mail in a sandbox under the page's CSP, which refuses inline styles, and mail clients
 * render paragraphs well without them).
 */
export function mailHtml(lang: Lang, bodyHtml: string, footer: string): string {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>
<body>
${bodyHtml}
<hr>
<p><small>${escapeHtml(footer).replace(/\n/g, '<br>')}</small></p>
</body></html>`;
}

// ── business hours in words ────────────────────────────────────────────────────────────

const DAY_NAMES: Record<Lang, string[]> = {
  fi: ['ma', 'ti', 'ke', 'to', 'pe', 'la', 'su'],
  sv: ['mån', 'tis', 'ons', 'tor', 'fre', 'lör', 'sön'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
};

/**
 * The coming week's hours as a short line, consecutive days with the same hours joined:
 * "ma–pe 08:00–16:00". Empty when the team has no hours (it answers around the clock) or
 * is closed all week.
 */
export function hoursLine(hours: ServiceHours[], now: number, lang: Lang): string {
  if (!hours.length) return '';
  const week = weekFrom(hours, now, 7);
  const byDay = WEEKDAYS.map((day) => {
    const d = week.find((w) => w.weekday === day);
    return d ? d.intervals.map((iv) => `${iv.from}–${iv.to}`).join(', ') : '';
  });
  const groups: { from: number; to: number; text: string }[] = [];
  byDay.forEach((text, i) => {
    const last = groups[groups.length - 1];
    if (last && last.text === text && last.to === i - 1) last.to = i;
    else groups.push({ from: i, to: i, text });
  });
  const names = DAY_NAMES[lang];
  return groups
    .filter((g) => g.text)
    .map((g) => `${names[g.from]}${g.to > g.from ? `–${names[g.to]}` : ''} ${g.text}`)
    .join(', ');
}

// ── the texts we send ──────────────────────────────────────────────────────────────────

export interface AutoReplyInput {
  number: number;
  teamName: string;
  org: string;
  hours: string;
}

const AUTO_REPLY: Record<Lang, (i: AutoReplyInput) => string> = {
  fi: (i) =>
    [
      `Kiitos viestistäsi. Se on vastaanotettu viitenumerolla #${i.number}, ja vastaamme mahdollisimman pian.`,
      i.hours ? `Palvelemme ${i.hours}.` : '',
      'Jos haluat lisätä asiaan jotain, vastaa tähän viestiin, niin viitenumero säilyy.',
      'Tämä on automaattinen vastaus.',
    ]
      .filter(Boolean)
      .join('\n'),
  sv: (i) =>
    [
      `Tack för ditt meddelande. Det har tagits emot med referensnummer #${i.number}, och vi svarar så snart som möjligt.`,
      i.hours ? `Vi betjänar ${i.hours}.` : '',
      'Om du vill tillägga något, svara på detta meddelande så att referensnumret följer med.',
      'Detta är ett automatiskt svar.',
    ]
      .filter(Boolean)
      .join('\n'),
  en: (i) =>
    [
      `Thank you for your message. We have received it with the reference number #${i.number} and will answer as soon as we can.`,
      i.hours ? `Our service hours: ${i.hours}.` : '',
      'To add something, reply to this message so that the reference number stays with it.',
      'This is an automatic reply.',
    ]
      .filter(Boolean)
      .join('\n'),
};

/**
 * The auto-reply's text: one section per language of the tenant, its default first
 * (the sender's language is not known from an e-mail), with the reference number and the
 * team's hours in each.
 */
export function autoReplyText(langs: Lang[], input: (lang: Lang) => AutoReplyInput): { body: string; signature: string; text: string } {
  const body = langs.map((lang) => AUTO_REPLY[lang](input(lang))).join('\n\n— — —\n\n');
  const first = input(langs[0]);
  const signature = `${first.teamName}\n${first.org}`;
  return { body, signature, text: `${body}\n\n-- \n${signature}` };
}

/** The quiet line under every reply: who answered and the reference to keep. */
export function replyFooter(lang: Lang, number: number, teamName: string, org: string): string {
  const ref = {
    fi: `Viite #${number}. Vastaa tähän viestiin, niin vastauksesi liitetään samaan asiaan.`,
    sv: `Referens #${number}. Svara på detta meddelande så kopplas ditt svar till samma ärende.`,
    en: `Reference #${number}. Reply to this message to keep your answer in the same conversation.`,
  }[lang];
  return `${teamName}, ${org}\n${ref}`;
}
