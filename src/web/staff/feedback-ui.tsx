import type { ReactNode } from 'react';
import { data } from 'react-router';
import type { StaffUser } from '../../modules/identity/actor.ts';
import type { CaseStatus } from '../../modules/feedback/model.ts';
import { STAFF_STATUS_NAMES } from '../../modules/feedback/labels.ts';
import { errorMessage, isAppError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { RequestContext } from '../../server/context.ts';
import { feedbackStaff, type FeedbackStaffKey } from '../i18n/feedback-staff.ts';
import { translator } from '../i18n/define.ts';
import { Breadcrumbs } from './catalog-edit-ui.tsx';
import { useLang } from '../root.tsx';
import { pageLang, requireStaffPage } from '../server-helpers.ts';
import { fieldId } from './admin-page.ts';

/**
 * Shared parts of the console's feedback pages: texts, the status and due-date cells
 * (overdue says so in words and with an icon, never by colour alone), the action runner
 * that keeps a failed form's input, and a labelled field with its error.
 */

export type FT = ReturnType<typeof translator<(typeof feedbackStaff)['fi']>>;
export const useFbText = (): FT => translator(feedbackStaff, useLang());
export const fbText = (lang: Lang): FT => translator(feedbackStaff, lang);

/** Loaders and actions of the feedback pages: a signed-in staff member; the services check the rest. */
export function requireFeedbackPage(context: RequestContext, request: Request, params: { lang?: string }): { lang: Lang; user: StaffUser } {
  const lang = pageLang(context, params);
  return { lang, user: requireStaffPage(context, request, lang) };
}

export const statusName = (s: CaseStatus, lang: Lang) => STAFF_STATUS_NAMES[s][lang];

export function StatusBadge({ status, lang }: { status: CaseStatus; lang: Lang }) {
  return <span className={`badge fb-status fb-status-${status}`}>{statusName(status, lang)}</span>;
}

const DATE_LOCALE = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' } as const;
export function day(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(DATE_LOCALE[lang], { timeZone: 'Europe/Helsinki', dateStyle: 'short' }).format(new Date(iso));
}
export function when(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(DATE_LOCALE[lang], { timeZone: 'Europe/Helsinki', dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
}

/** The due date; when overdue, a warning icon and the word, so it does not depend on colour. */
export function Due({ dueAt, overdue, lang, t }: { dueAt: string; overdue: boolean; lang: Lang; t: FT }) {
  return (
    <span className={overdue ? 'fb-due fb-overdue' : 'fb-due'}>
      <time dateTime={dueAt}>{day(dueAt, lang)}</time>
      {overdue && (
        <>
          {' '}
          <strong className="fb-overdue-flag">
            <span aria-hidden="true">⚠</span> {t('overdue')}
          </strong>
        </>
      )}
    </span>
  );
}

export function AccessibilityFlag({ t, short }: { t: FT; short?: boolean }) {
  return (
    <span className="badge fb-a11y" title={short ? t('accessibilityFlag') : undefined}>
      <span aria-hidden="true">♿ </span>
      {short ? (
        <>
          {t('accessibilityShort')}
          <span className="visually-hidden"> ({t('accessibilityFlag')})</span>
        </>
      ) : (
        t('accessibilityFlag')
      )}
    </span>
  );
}

export interface FbFailure {
  ok: false;
  intent: string;
  /** The form this failure belongs to, when a page has several of the same intent (moderation rows). */
  target?: string;
  message: string;
  fields: Record<string, string>;
  values: Record<string, string>;
}

/** Runs an action's command; 4xx AppErrors (but 401/403/404) come back as a failure the form shows. */
export async function fbAction(lang: Lang, intent: string, values: Record<string, string>, fn: () => Promise<Response>, target?: string) {
  try {
    return await fn();
  } catch (e) {
    if (!isAppError(e) || e.status >= 500) throw e;
    if (e.status === 401 || e.status === 403 || e.status === 404) throw data({ code: e.code }, { status: e.status });
    const t = fbText(lang);
    const fields = (e.details?.fields as Record<string, string> | undefined) ?? {};
    const failure: FbFailure = { ok: false, intent, target, message: Object.keys(fields).length ? t('formError') : errorMessage(e.code, lang), fields, values };
    return data(failure, { status: e.status });
  }
}

export function errText(t: FT, code: string | undefined): string | undefined {
  if (!code) return undefined;
  const key = `err_${code}` as FeedbackStaffKey;
  return key in feedbackStaff.fi ? t(key) : t('err_invalid');
}

/** Label, optional hint, control and error, wired with aria-describedby and aria-invalid. */
export function FbField(props: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  t: FT;
  className?: string;
  children: (aria: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: true }) => ReactNode;
}) {
  const id = fieldId(props.id);
  const describedBy = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={props.className ?? 'field'}>
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <p id={`${id}-hint`} className="hint">
          {props.hint}
        </p>
      )}
      {props.children({ id, 'aria-describedby': describedBy, 'aria-invalid': props.error ? true : undefined })}
      {props.error && (
        <p id={`${id}-error`} className="field-error">
          <span className="visually-hidden">{props.t('errorPrefix')} </span>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** The console's breadcrumbs (shared with the catalog editor). */
export const FbBreadcrumbs = Breadcrumbs;

export function FbNotice({ children }: { children: ReactNode }) {
  return (
    <div className="notice" role="status">
      <p>{children}</p>
    </div>
  );
}

export function FbProblem({ message }: { message: string }) {
  return (
    <div className="alert" role="alert">
      <p>{message}</p>
    </div>
  );
}
