import { Form } from 'react-router';
import type { Lang, Localized } from '../../platform/i18n.ts';
import { pick } from '../../platform/i18n.ts';
import { isFinished, type CaseStatus, type ResidentCase } from '../../modules/feedback/model.ts';
import { STATUS_NAMES } from '../../modules/feedback/notify.ts';
import { translator } from '../i18n/define.ts';
import { feedbackResident } from '../i18n/feedback-resident.ts';
import { CsrfField } from './Csrf.tsx';

export interface CaseViewNotice {
  kind: 'sent' | 'info' | 'fixed';
}

/**
 * One case as its resident sees it — through the private link or from My Aukio: status,
 * their own description, location, attachments, and the history of status changes and
 * replies (never internal notes or staff names), with "was this fixed?" and "add
 * information" forms. Every text a resident or staff member typed is rendered as text.
 */
export function FeedbackCaseView({
  c,
  lang,
  formAction,
  returnTo,
  attachmentHref,
  notice,
  error,
  privateUrl,
}: {
  c: ResidentCase;
  lang: Lang;
  /** The follow page's URL: the forms post there (with the token in the path). */
  formAction: string;
  /** Where to come back after a form (My Aukio); the follow page itself by default. */
  returnTo?: string;
  attachmentHref: (id: string) => string;
  notice?: CaseViewNotice['kind'] | null;
  error?: { field: string; message: string } | null;
  /** The private link, shown on the confirmation so it can be copied. */
  privateUrl?: string;
}) {
  const t = translator(feedbackResident, lang);
  const date = (iso: string) =>
    new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : `${lang}-FI`, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Helsinki' }).format(new Date(iso));
  const status = (s: CaseStatus) => STATUS_NAMES[s]?.[lang] ?? s;
  const cat = pick(c.categoryNames as Localized, lang);
  const open = !isFinished(c.status);
  const size = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} kB`);

  return (
    <article className="feedback-case">
      <title>{t('followTitle', { number: c.number })}</title>
      {notice === 'sent' && (
        <div className="confirmation" role="status">
          <h1>{t('sentTitle')}</h1>
          <p className="lead">{t('sentNumber', { number: c.number })}</p>
          <p>{t('sentBookmark')}</p>
          {privateUrl && <p className="private-link">{privateUrl}</p>}
          <p>{t('sentMailed')}</p>
        </div>
      )}
      {notice === 'sent' ? <h2>{t('followTitle', { number: c.number })}</h2> : <h1>{t('followTitle', { number: c.number })}</h1>}
      {notice === 'info' && (
        <p className="notice" role="status">
          {t('addInfoThanks')}
        </p>
      )}
      {notice === 'fixed' && (
        <p className="notice" role="status">
          {t('fixedThanks')}
        </p>
      )}
      {error && (
        <p className="alert" role="alert">
          {error.message}
        </p>
      )}

      <dl className="facts case-facts">
        <div className="contents">
          <dt>{t('status')}</dt>
          <dd>
            <strong className={`status status-${c.status}`}>{status(c.status)}</strong>
          </dd>
        </div>
        <div className="contents">
          <dt>{t('category')}</dt>
          <dd lang={cat.lang !== lang ? cat.lang : undefined}>{cat.text}</dd>
        </div>
        <div className="contents">
          <dt>{t('sentAt')}</dt>
          <dd>{date(c.createdAt)}</dd>
        </div>
        <div className="contents">
          <dt>{t('updatedAt')}</dt>
          <dd>{date(c.updatedAt)}</dd>
        </div>
        {c.address && (
          <div className="contents">
            <dt>{t('location')}</dt>
            <dd>{c.address}</dd>
          </div>
        )}
      </dl>

      <section aria-labelledby="own-description">
        <h2 id="own-description">{t('yourDescription')}</h2>
        <p className="resident-text">{c.description}</p>
      </section>

      {c.attachments.length > 0 && (
        <section aria-labelledby="case-attachments">
          <h2 id="case-attachments">{t('attachments')}</h2>
          <ul className="case-attachments">
            {c.attachments.map((a) => (
              <li key={a.id}>
                {a.contentType.startsWith('image/') && <img src={attachmentHref(a.id)} alt="" width={160} height={120} loading="lazy" />}
                <a href={attachmentHref(a.id)} download={a.filename}>
                  {t('download', { file: a.filename, size: size(a.size) })}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="case-timeline">
        <h2 id="case-timeline">{t('timeline')}</h2>
        <ol className="timeline">
          {c.events.map((e, i) => {
            const d = e.data as { to?: CaseStatus; fromResident?: boolean; fixed?: 'yes' | 'no' };
            const title =
              e.kind === 'created'
                ? t('ev_created')
                : e.kind === 'status' && d.to
                  ? t('ev_status', { status: status(d.to) })
                  : e.kind === 'reply'
                    ? d.fromResident
                      ? t('ev_residentReply')
                      : t('ev_reply')
                    : e.kind === 'fixed'
                      ? d.fixed === 'yes'
                        ? t('ev_fixed_yes')
                        : t('ev_fixed_no')
                      : e.kind === 'public_answer'
                        ? t('ev_public_answer')
                        : e.kind === 'merged'
                          ? t('ev_merged')
                          : t('ev_attachment');
            return (
              <li key={i}>
                <p className="timeline-head">
                  <time dateTime={e.createdAt}>{date(e.createdAt)}</time> – <strong>{title}</strong>
                </p>
                {e.body && <p className="resident-text">{e.body}</p>}
              </li>
            );
          })}
        </ol>
      </section>

      {c.askFixed && (
        <section aria-labelledby="fixed-title" className="case-form">
          <h2 id="fixed-title">{t('fixedTitle')}</h2>
          <p>{t('fixedIntro')}</p>
          <Form method="post" action={formAction} reloadDocument>
            <CsrfField />
            <input type="hidden" name="intent" value="fixed" />
            {returnTo && <input type="hidden" name="returnTo" value={returnTo} />}
            <fieldset>
              <legend>{t('fixedTitle')}</legend>
              <div className="radio">
                <input type="radio" id="fixed-yes" name="fixed" value="yes" required />
                <label htmlFor="fixed-yes">{t('fixedYes')}</label>
              </div>
              <div className="radio">
                <input type="radio" id="fixed-no" name="fixed" value="no" />
                <label htmlFor="fixed-no">{t('fixedNo')}</label>
              </div>
            </fieldset>
            <div className="field">
              <label htmlFor="fixed-comment">{t('fixedComment')}</label>
              <textarea id="fixed-comment" name="comment" rows={3} maxLength={2000} />
            </div>
            <button type="submit">{t('fixedSend')}</button>
          </Form>
        </section>
      )}
      {c.fixed && <p>{t('fixedAnswered', { answer: c.fixed === 'yes' ? t('fixedYes') : t('fixedNo') })}</p>}

      {open ? (
        <section aria-labelledby="add-info-title" className="case-form">
          <h2 id="add-info-title">{t('addInfoTitle')}</h2>
          {c.status === 'waiting_for_resident' && <p className="notice">{t('addInfoWaiting')}</p>}
          <Form method="post" action={formAction} reloadDocument>
            <CsrfField />
            <input type="hidden" name="intent" value="info" />
            {returnTo && <input type="hidden" name="returnTo" value={returnTo} />}
            <div className="field">
              <label htmlFor="add-info">{t('addInfoLabel')}</label>
              <textarea id="add-info" name="body" rows={4} maxLength={4000} required />
            </div>
            <button type="submit">{t('addInfoSend')}</button>
          </Form>
        </section>
      ) : (
        !c.askFixed && (
          <p>
            {t('closedNote')} <a href={`/${lang}/feedback/new`}>{t('giveFeedback')}</a>
          </p>
        )
      )}
    </article>
  );
}
