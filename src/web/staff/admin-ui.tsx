import type { ReactNode } from 'react';
import { data, isRouteErrorResponse, useRouteError } from 'react-router';
import { hasRole } from '../../modules/identity/access.ts';
import type { StaffUser } from '../../modules/identity/actor.ts';
import { errorMessage, isAppError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { RequestContext } from '../../server/context.ts';
import { translator } from '../i18n/define.ts';
import { staffAdmin, type StaffAdminKey } from '../i18n/staff-admin.ts';
import { useLang } from '../root.tsx';
import { requireStaffPage } from '../server-helpers.ts';

/**
 * Shared pieces of the administration pages (users and roles, org units): the server-side
 * tenant_admin check, an action runner that keeps which form failed, and field markup
 * that ties each error to its input.
 */

/** Loaders and actions: signed-in staff (else redirect to sign-in) with a tenant-wide tenant_admin grant (else 403). */
export function requireAdminPage(context: RequestContext, request: Request, lang: Lang): StaffUser {
  const user = requireStaffPage(context, request, lang);
  if (!hasRole(user, 'tenant_admin')) throw data({ code: 'forbidden' }, { status: 403 });
  return user;
}

export type AdminActionResult =
  | { ok: true; intent: string; notice: StaffAdminKey; vars?: Record<string, string> }
  | { ok: false; intent: string; message: string; reason?: string; fields?: Record<string, string>; values?: Record<string, string> };

/**
 * Runs one intent of a page's action. Success returns a notice key; an AppError becomes
 * form data with its 4xx status, remembering the intent so only that form shows the errors.
 * A 404 (e.g. the item vanished or belongs to another tenant) goes to the error boundary.
 */
export async function adminAction(
  lang: Lang,
  intent: string,
  fn: () => Promise<AdminActionResult | Response>,
  /** What the person typed, sent back so a failed form keeps it (the CSRF token is left out). */
  values?: Record<string, string>,
) {
  try {
    return await fn();
  } catch (e) {
    if (isAppError(e)) {
      if (e.status === 404 || e.status === 403 || e.status === 401) throw data({ code: e.code }, { status: e.status });
      const t = translator(staffAdmin, lang);
      const reason = typeof e.details?.reason === 'string' ? e.details.reason : undefined;
      const reasonKey = `reason_${reason}` as StaffAdminKey;
      const message = reason && reasonKey in staffAdmin[lang] ? t(reasonKey) : e.code === 'validation_failed' ? t('formErrors') : errorMessage(e.code, lang);
      return data<AdminActionResult>(
        {
          ok: false,
          intent,
          message,
          reason,
          fields: e.details?.fields as Record<string, string> | undefined,
          values: values ? Object.fromEntries(Object.entries(values).filter(([k]) => k !== '_csrf')) : undefined,
        },
        { status: e.status },
      );
    }
    throw e;
  }
}

/** Errors and notice of one form on a page with several (matched by intent). */
export function forIntent(result: AdminActionResult | undefined, ...intents: string[]) {
  const none = {} as Record<string, string>;
  if (!result || !intents.includes(result.intent)) return { fields: none, values: undefined };
  return result.ok ? { notice: result, fields: none, values: undefined } : { error: result, fields: result.fields ?? none, values: result.values };
}

export function fieldErrorText(lang: Lang, code: string | undefined): string | undefined {
  if (!code) return undefined;
  const key = `err_${code}` as StaffAdminKey;
  const t = translator(staffAdmin, lang);
  return key in staffAdmin[lang] ? t(key) : t('err_invalid_type');
}

/** Label, optional hint, the control and its error, wired with aria-describedby and aria-invalid. */
export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: string;
  error?: string;
  children: (aria: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: true }) => ReactNode;
}) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** The outcome of a form: a status notice on success, an alert on failure. */
export function FormOutcome({ result, lang }: { result: ReturnType<typeof forIntent>; lang: Lang }) {
  const t = translator(staffAdmin, lang);
  if (result.notice) {
    return (
      <p role="status" className="notice">
        {t(result.notice.notice, result.notice.vars)}
      </p>
    );
  }
  if (result.error) {
    return (
      <p role="alert" className="alert">
        {result.error.message}
      </p>
    );
  }
  return null;
}

/** A unit's name; marked with its own lang only when it fell back to another language. */
export function UnitName({ name, lang }: { name: { text: string; lang: Lang }; lang: Lang }) {
  return name.lang !== lang ? <span lang={name.lang}>{name.text}</span> : <>{name.text}</>;
}

/** Unit options for a <select>, indented by depth so the tree shows without JavaScript. */
export function unitOptionLabel(depth: number, name: string) {
  return `${'\u00a0\u00a0\u00a0'.repeat(depth)}${depth ? '– ' : ''}${name}`;
}

/**
 * Error boundary of the administration pages: renders inside the console layout, so the
 * navigation stays, with a friendly page for 403 (not an admin) and 404 (not here, or
 * another tenant's).
 */
export function AdminErrorBoundary() {
  const error = useRouteError();
  const lang = useLang();
  const t = translator(staffAdmin, lang);
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const [title, text] =
    status === 403
      ? [t('forbiddenTitle'), t('forbiddenText')]
      : status === 404
        ? [t('notFoundTitle'), t('notFoundText')]
        : [errorMessage('internal', lang), ''];
  return (
    <>
      <title>{title}</title>
      <h1>{title}</h1>
      {text && <p>{text}</p>}
      <p>
        <a href={`/${lang}/staff`}>{t('backToConsole')}</a>
      </p>
    </>
  );
}
