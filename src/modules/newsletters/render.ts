import type { Lang, Localized } from '../../platform/i18n.ts';
import { pick } from '../../platform/i18n.ts';
import { itemPath, type NewsItem } from '../newsroom/model.ts';
import { mailText } from './texts.ts';

/**
 * A campaign's mail per language is rendered once with slots for the recipient's links
 * (the send path only fills in the slots, which keeps 50,000 sends cheap). Every mail has
 * the unsubscribe link in both bodies and the RFC 8058 headers; the open-tracking pixel
 * is only there when the tenant turned tracking on.
 */
export interface MailFrame {
  org: string;
  origin: string;
}

export interface CampaignContent {
  kind: 'campaign' | 'notification' | 'digest';
  subjects: Localized;
  intros: Localized;
  digestFrequency?: string | null;
}

export interface RenderedTemplate {
  subject: string;
  text: string;
  html: string;
}

const SLOT_UNSUB = '%%UNSUB%%';
const SLOT_PREFS = '%%PREFS%%';
const SLOT_PIXEL = '%%PIXEL%%';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const paragraphs = (text: string) =>
  text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);

/** Subject and bodies for one language with the recipient's links left as slots. */
export function renderTemplate(frame: MailFrame, content: CampaignContent, items: NewsItem[], lang: Lang, openTracking: boolean): RenderedTemplate {
  const subject =
    content.kind === 'digest'
      ? mailText(lang, content.digestFrequency === 'weekly' ? 'digestSubjectWeekly' : 'digestSubjectDaily', { org: frame.org })
      : pick(content.subjects, lang).text || pick(items[0]?.title, lang).text;
  const intro = content.kind === 'digest' ? mailText(lang, 'digestIntro') : pick(content.intros, lang).text;
  const entries = items.map((item) => {
    const title = pick(item.title, lang);
    const lead = pick(item.lead, lang, [title.lang]);
    return { title, lead, url: `${frame.origin}${itemPath(title.lang, item)}` };
  });
  const why = mailText(lang, 'footerWhy', { org: frame.org });
  const prefs = mailText(lang, 'footerPrefs');
  const unsub = mailText(lang, 'footerUnsubscribe');
  const readMore = mailText(lang, 'readMore');

  const text = [
    subject,
    '',
    ...paragraphs(intro).flatMap((p) => [p, '']),
    ...entries.flatMap((e) => [e.title.text, ...(e.lead.text ? [e.lead.text] : []), `${readMore}: ${e.url}`, '']),
    '-- ',
    why,
    `${prefs}: ${SLOT_PREFS}`,
    `${unsub}: ${SLOT_UNSUB}`,
    '',
  ].join('\n');

  const html = `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f4f4;font-family:Arial,Helvetica,sans-serif;color:#1a1a1a">
<div style="max-width:600px;margin:0 auto;padding:16px;background:#ffffff">
<p style="margin:0 0 8px;color:#444;font-size:14px">${escapeHtml(frame.org)}</p>
<h1 style="font-size:24px;line-height:1.3;margin:0 0 16px">${escapeHtml(subject)}</h1>
${paragraphs(intro)
  .map((p) => `<p style="font-size:16px;line-height:1.5">${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
  .join('\n')}
${entries
  .map(
    (e) => `<div style="border-top:1px solid #ccc;padding:12px 0">
<h2 style="font-size:19px;margin:0 0 6px"${e.title.lang !== lang ? ` lang="${e.title.lang}"` : ''}><a href="${escapeHtml(e.url)}" style="color:#003479">${escapeHtml(e.title.text)}</a></h2>
${e.lead.text ? `<p style="font-size:16px;line-height:1.5;margin:0"${e.lead.lang !== lang ? ` lang="${e.lead.lang}"` : ''}>${escapeHtml(e.lead.text)}</p>` : ''}
</div>`,
  )
  .join('\n')}
<hr style="border:0;border-top:1px solid #ccc;margin:16px 0">
<p style="font-size:14px;color:#444">${escapeHtml(why)}</p>
<p style="font-size:14px"><a href="${SLOT_PREFS}" style="color:#003479">${escapeHtml(prefs)}</a> · <a href="${SLOT_UNSUB}" style="color:#003479">${escapeHtml(unsub)}</a></p>
${openTracking ? SLOT_PIXEL : ''}
</div></body></html>`;
  return { subject, text, html };
}

export interface RecipientLinks {
  unsubscribeUrl: string;
  preferencesUrl: string;
  /** Only with open tracking on. */
  pixelUrl?: string;
}

/** Fills the recipient's links into a template. */
export function personalize(t: RenderedTemplate, links: RecipientLinks): { subject: string; text: string; html: string } {
  const pixel = links.pixelUrl ? `<img src="${escapeHtml(links.pixelUrl)}" width="1" height="1" alt="" style="display:block;border:0">` : '';
  return {
    subject: t.subject,
    text: t.text.replace(SLOT_PREFS, links.preferencesUrl).replace(SLOT_UNSUB, links.unsubscribeUrl),
    html: t.html.replace(SLOT_PREFS, escapeHtml(links.preferencesUrl)).replace(SLOT_UNSUB, escapeHtml(links.unsubscribeUrl)).replace(SLOT_PIXEL, pixel),
  };
}

/** The RFC 2369 / RFC 8058 headers of every newsletter and notification mail. */
export function unsubscribeHeaders(unsubscribeUrl: string, listId: string): Record<string, string> {
  return {
    'List-Unsubscribe': `<${unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'List-Id': listId,
    Precedence: 'bulk',
    'Auto-Submitted': 'auto-generated',
  };
}
