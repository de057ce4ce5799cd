import type { ReactNode } from 'react';
import { pick, type Lang, type Localized } from '../../platform/i18n.ts';
import { jsonLdText } from '../../modules/catalog/json-ld.ts';
import type { DayHours, OpenStatus } from '../../modules/catalog/opening-hours.ts';
import type { Channel, Weekday } from '../../modules/catalog/model.ts';
import { catalog } from '../i18n/catalog.ts';
import { translator } from '../i18n/define.ts';
import { useNonce } from '../nonce.ts';

/** Shared pieces of the catalog's resident pages (service, unit, topics, content pages). */

export type CatalogT = ReturnType<typeof translator<(typeof catalog)['fi']>>;

/**
 * A localized field in the page language, else the tenant's default language, else any; a
 * fallback fragment carries its own `lang` so screen readers switch pronunciation.
 */
export function T({ value, lang, fallback, as: Tag = 'span', className, id }: { value: Localized | null | undefined; lang: Lang; fallback: Lang; as?: 'span' | 'p' | 'h1' | 'h2' | 'h3' | 'div' | 'strong'; className?: string; id?: string }) {
  const { text, lang: used } = pick(value, lang, [fallback]);
  if (!text) return null;
  return (
    <Tag lang={used !== lang ? used : undefined} className={className} id={id}>
      {text}
    </Tag>
  );
}

/** Links to services (or, with href, other items), each with its summary under it. */
export function ServiceList({ items, href, lang, fallback }: { items: { id: string; names: Localized | null | undefined; summary: Localized | null | undefined }[]; href?: (id: string) => string; lang: Lang; fallback: Lang }) {
  return (
    <ul className="service-list">
      {items.map((s) => (
        <li key={s.id}>
          <a href={href ? href(s.id) : `/${lang}/services/${s.id}`}>
            <T value={s.names} lang={lang} fallback={fallback} />
          </a>
          <T as="p" value={s.summary} lang={lang} fallback={fallback} />
        </li>
      ))}
    </ul>
  );
}

export function has(value: Localized | null | undefined) {
  return Object.values(value ?? {}).some((v) => v && v.trim());
}

/** Plain text split into paragraphs on blank lines (PTV descriptions are plain text). */
export function Paras({ value, lang, fallback }: { value: Localized | null | undefined; lang: Lang; fallback: Lang }) {
  const { text, lang: used } = pick(value, lang, [fallback]);
  if (!text) return null;
  return (
    <div lang={used !== lang ? used : undefined} className="prose">
      {text
        .split(/\n\s*\n|\r\n\s*\r\n/)
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p, i) => (
          <p key={i}>{p}</p>
        ))}
    </div>
  );
}

export function Breadcrumbs({ label, items }: { label: string; items: { href?: string; node: ReactNode }[] }) {
  return (
    <nav aria-label={label} className="breadcrumbs">
      <ol>
        {items.map((it, i) => (
          <li key={i}>{it.href ? <a href={it.href}>{it.node}</a> : <span aria-current="page">{it.node}</span>}</li>
        ))}
      </ol>
    </nav>
  );
}

/** "9.00" in Finnish and Swedish, "9:00" in English (times are "HH:MM" local). */
export function formatTime(time: string, lang: Lang): string {
  const [h, m] = time.split(':');
  return `${Number(h)}${lang === 'en' ? ':' : '.'}${m}`;
}

/** An en dash that never starts a new line: "9.00–16.00" stays whole on a narrow screen. */
export const DASH = '\u2060–\u2060';

export function formatIntervals(day: Pick<DayHours, 'intervals'>, lang: Lang): string {
  return day.intervals.map((i) => `${formatTime(i.from, lang)}${DASH}${formatTime(i.to, lang)}`).join(', ');
}

/** "12.3.2026" / "3/12/2026" style local date for an ISO date. */
export function formatDate(iso: string, lang: Lang): string {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return lang === 'en' ? `${d} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1]} ${y}` : `${d}.${m}.${y}`;
}

export function weekdayName(t: CatalogT, day: Weekday, short = false) {
  return t(short ? (`${day}Short` as const) : day);
}

/** The one-line open-now answer, e.g. "Open now until 16:00" / "Closed now, opens Mon 9:00". */
export function openText(s: OpenStatus, t: CatalogT, lang: Lang): string | null {
  if (!s.known) return null;
  if (s.open) {
    if (s.alwaysOpen || !s.until) return t('open247');
    const time = formatTime(s.until.time, lang);
    // Closing at midnight reads as "until 24.00" today, not "until tomorrow 0.00".
    if (s.until.daysFromToday === 1 && s.until.time === '00:00') return t('openUntil', { time: formatTime('24:00', lang) });
    return s.until.daysFromToday === 0 ? t('openUntil', { time }) : t('openUntilDay', { day: weekdayName(t, s.until.weekday, true), time });
  }
  if (!s.opensAt) return t('closed');
  const time = formatTime(s.opensAt.time, lang);
  if (s.opensAt.daysFromToday === 0) return t('closedOpensToday', { time });
  if (s.opensAt.daysFromToday === 1) return t('closedOpensTomorrow', { time });
  return t('closedOpensDay', { day: weekdayName(t, s.opensAt.weekday, true), time });
}

export function OpenNow({ status, lang }: { status: OpenStatus; lang: Lang }) {
  const t = translator(catalog, lang);
  const text = openText(status, t, lang);
  if (!text) return null;
  return (
    <p className={`open-now ${status.open ? 'is-open' : 'is-closed'}`}>
      <span className="open-dot" aria-hidden="true" />
      {text}
    </p>
  );
}

/** schema.org data for search engines; the nonce keeps it inside the page's CSP. */
export function JsonLd({ data }: { data: unknown }) {
  const nonce = useNonce();
  return <script type="application/ld+json" nonce={nonce || undefined} dangerouslySetInnerHTML={{ __html: jsonLdText(data) }} />;
}

/** tel: link target: digits and a leading + only. */
export function telHref(number: string) {
  return `tel:${number.replace(/[^\d+]/g, '')}`;
}

/** Only http(s) URLs from the catalog become links; anything else is shown as text. */
export function safeUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

export function Address({ ch, lang, fallback }: { ch: Channel; lang: Lang; fallback: Lang }) {
  const a = ch.address;
  if (!a) return null;
  const street = pick(a.street, lang, [fallback]);
  const office = pick(a.postOffice, lang, [fallback]);
  return (
    <p className="address">
      <span lang={street.lang !== lang ? street.lang : undefined}>{[street.text, a.streetNumber].filter(Boolean).join(' ')}</span>
      {(a.postalCode || office.text) && (
        <>
          , {a.postalCode} <span lang={office.lang !== lang ? office.lang : undefined}>{office.text}</span>
        </>
      )}
    </p>
  );
}

export function UrlLink({ ch, lang, fallback }: { ch: Channel; lang: Lang; fallback: Lang }) {
  const url = pick(ch.urls, lang, [fallback]);
  const href = safeUrl(url.text);
  const name = <T value={ch.names} lang={lang} fallback={fallback} />;
  return href ? (
    <a href={href} hrefLang={url.lang !== lang ? url.lang : undefined}>
      {name}
    </a>
  ) : (
    name
  );
}
