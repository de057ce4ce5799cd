import { data } from 'react-router';
import type { StaffUser } from '../../modules/identity/actor.ts';
import type { NewsKind, NewsState } from '../../modules/newsroom/model.ts';
import { errorMessage, isAppError } from '../../platform/errors.ts';
import { pick, type Lang, type Localized } from '../../platform/i18n.ts';
import type { RequestContext } from '../../server/context.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { translator } from '../i18n/define.ts';
import { newsStaff, type NewsStaffKey } from '../i18n/news-staff.ts';
import { useLang } from '../root.tsx';
import { requireConsoleRole } from './admin-page.ts';
import { when } from './catalog-edit-ui.tsx';

/**
 * Shared parts of the console's newsroom pages and the intranet bulletins: texts, the
 * role check (communications and publishers; tenant admins implied), the action runner
 * that keeps a refused form's input, state and kind labels, and the bulletin card with
 * its "I have read this" form.
 */

export type NT = ReturnType<typeof translator<(typeof newsStaff)['fi']>>;
export const useNewsText = (): NT => translator(newsStaff, useLang());
export const newsText = (lang: Lang): NT => translator(newsStaff, lang);

/** Loaders and actions of the newsroom pages: editors only; the navigation merely hides the links. */
export function requireNewsPage(context: RequestContext, request: Request, params: { lang?: string }): { lang: Lang; user: StaffUser } {
  return requireConsoleRole(context, request, params, ['communications', 'publisher']);
}

export type NewsFailure = {
  ok: false;
  intent: string;
  /** The form a failure belongs to when a page repeats one intent (media rows). */
  target?: string;
  message: string;
  reason?: string;
  fields: Record<string, string>;
  values: Record<string, string | string[]>;
};

/** Runs one intent; 4xx AppErrors but 401/403/404 (error boundary) come back as a failure the form shows. */
export async function newsAction(lang: Lang, intent: string, values: Record<string, string | string[]>, fn: () => Promise<Response>, target?: string) {
  try {
    return await fn();
  } catch (e) {
    if (!isAppError(e) || e.status >= 500) throw e;
    if (e.status === 401 || e.status === 403 || e.status === 404) throw data({ code: e.code }, { status: e.status });
    const t = newsText(lang);
    const fields = (e.details?.fields as Record<string, string> | undefined) ?? {};
    const reason = typeof e.details?.reason === 'string' ? e.details.reason : undefined;
    const message = reason === 'changed_meanwhile' ? t('staleTitle') : Object.keys(fields).length ? t('formErrors') : errorMessage(e.code, lang);
    const failure: NewsFailure = { ok: false, intent, target, message, reason, fields, values };
    return data(failure, { status: e.status, headers: e.headers });
  }
}

export function errText(t: NT, code: string | undefined): string | undefined {
  if (!code) return undefined;
  const key = `err_${code}` as NewsStaffKey;
  return key in newsStaff.fi ? t(key) : t('err_invalid');
}

export const LANG_KEY: Record<Lang, NewsStaffKey> = { fi: 'langFi', sv: 'langSv', en: 'langEn' };

export const kindName = (t: NT, k: NewsKind) => t(`kind_${k}`);
export const stateName = (t: NT, s: NewsState) => t(`state_${s}`);

/** The state in words inside a badge (the colour only repeats what the words say). */
export function NewsStateBadge({ state, t }: { state: NewsState; t: NT }) {
  return <span className={`badge news-state news-state-${state}`}>{stateName(t, state)}</span>;
}

/** A localized text in the page language or the first language that has it, marked with its language. */
export function LocalText({ value, lang, as: Tag = 'span' }: { value: Localized; lang: Lang; as?: 'span' | 'p' | 'h1' | 'h2' | 'h3' }) {
  const p = pick(value, lang);
  return <Tag lang={p.lang !== lang ? p.lang : undefined}>{p.text}</Tag>;
}

export interface BulletinView {
  id: string;
  title: Localized;
  lead: Localized;
  body: Localized;
  kind: NewsKind;
  mustRead: boolean;
  publishedAt: string | null;
  confirmedAt: string | null;
  /** The full view shows images (with their alt text and caption) and attachment links. */
  images?: { url: string; alt: Localized; caption: Localized; credit: string | null }[];
  attachments?: { url: string; filename: string; alt: Localized }[];
}

/**
 * One bulletin: heading, time, lead (and the body on its own page), and for a must-read
 * not yet confirmed, the confirm button (a plain form post; `back` is where it returns).
 */
export function BulletinCard({ b, lang, t, full, back, headingLevel = 3 }: { b: BulletinView; lang: Lang; t: NT; full?: boolean; back: string; headingLevel?: 2 | 3 }) {
  const pending = b.mustRead && !b.confirmedAt;
  const title = pick(b.title, lang);
  const body = pick(b.body, lang);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <article className={pending ? 'news-bulletin news-bulletin-pending' : 'news-bulletin'} aria-labelledby={full ? undefined : `bulletin-${b.id}`}>
      {!full && (
        <Heading id={`bulletin-${b.id}`} lang={title.lang !== lang ? title.lang : undefined}>
          <a href={`/${lang}/staff/bulletins/${b.id}`}>{title.text}</a>
        </Heading>
      )}
      <p className="news-meta">
        {b.mustRead && (
          <>
            <strong className="badge news-must-read">{t('mustRead')}</strong>{' '}
          </>
        )}
        {b.publishedAt && <time dateTime={b.publishedAt}>{t('published', { when: when(b.publishedAt, lang) })}</time>}
      </p>
      <LocalText value={b.lead} lang={lang} as="p" />
      {full &&
        b.images?.map((img) => {
          const alt = pick(img.alt, lang);
          const caption = pick(img.caption, lang);
          return (
            <figure key={img.url} className="news-figure">
              <img src={img.url} alt={alt.text} lang={alt.lang !== lang ? alt.lang : undefined} />
              {(caption.text || img.credit) && (
                <figcaption>
                  <span lang={caption.lang !== lang ? caption.lang : undefined}>{caption.text}</span>
                  {img.credit && <span className="news-credit"> ({img.credit})</span>}
                </figcaption>
              )}
            </figure>
          );
        })}
      {full && body.text && <div className="prose rich" lang={body.lang !== lang ? body.lang : undefined} dangerouslySetInnerHTML={{ __html: body.text }} />}
      {full && b.attachments && b.attachments.length > 0 && (
        <ul className="news-attachments">
          {b.attachments.map((a) => {
            const name = pick(a.alt, lang);
            return (
              <li key={a.url}>
                <a href={`${a.url}?download=1`} lang={name.text && name.lang !== lang ? name.lang : undefined}>
                  {name.text || a.filename}
                </a>
              </li>
            );
          })}
        </ul>
      )}
      {b.mustRead &&
        (b.confirmedAt ? (
          <p className="news-confirmed">
            <span aria-hidden="true">✓ </span>
            {t('confirmedAt', { when: when(b.confirmedAt, lang) })}
          </p>
        ) : (
          <form method="post" action={`/${lang}/staff/bulletins/${b.id}`} className="news-confirm">
            <CsrfField />
            <input type="hidden" name="back" value={back} />
            <button type="submit" name="intent" value="confirm_read">
              {t('confirmRead')}
            </button>
          </form>
        ))}
    </article>
  );
}
