import { data } from 'react-router';
import { hasRole } from '../../modules/identity/access.ts';
import type { Role, StaffUser } from '../../modules/identity/actor.ts';
import { errorMessage, isAppError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { RequestContext } from '../../server/context.ts';
import { pageLang, requireStaffPage } from '../server-helpers.ts';

/**
 * Server-side helpers of the console's admin pages (settings, API tokens, audit, jobs,
 * outbox). Every loader and action starts with requireConsoleRole: the navigation only
 * hides links, this is the check.
 */
export function requireConsoleRole(
  context: RequestContext,
  request: Request,
  params: { lang?: string },
  roles: Role[],
): { lang: Lang; user: StaffUser } {
  const lang = pageLang(context, params);
  const user = requireStaffPage(context, request, lang);
  if (!hasRole(user, roles)) throw data({ code: 'forbidden' }, { status: 403 });
  return { lang, user };
}


export interface FormFailure {
  ok: false;
  code: string;
  message: string;
  /** field name → error key (see err_* in the dictionary) */
  fields: Record<string, string>;
  /** What was submitted, so the form re-renders with the person's input. */
  values: Record<string, string | string[]>;
}

/** The submitted text fields as name → value (the last one of a repeated name), without the CSRF token. */
export function formStrings(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === 'string' && k !== '_csrf') out[k] = v;
  return out;
}

/** The submitted form as name → value (or values, for repeated names such as checkboxes). */
export function formValues(form: FormData): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of form.entries()) {
    if (typeof v !== 'string' || k === '_csrf') continue;
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** Runs an action's command; an AppError becomes a FormFailure with its 4xx status. */
export async function formCommand<T>(lang: Lang, fn: () => Promise<T>, values: Record<string, string | string[]> = {}) {
  try {
    return await fn();
  } catch (e) {
    if (!isAppError(e) || e.status >= 500) throw e;
    const failure: FormFailure = {
      ok: false,
      code: e.code,
      message: errorMessage(e.code, lang),
      fields: (e.details?.fields as Record<string, string> | undefined) ?? {},
      values,
    };
    return data(failure, { status: e.status, headers: e.headers });
  }
}

const LOCALES: Record<Lang, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

/** An instant as Finnish local time, in the page language's format. */
export function formatHelsinki(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone: 'Europe/Helsinki',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(d);
}

/** Element id of a form field, e.g. theme.primary → f-theme-primary. */
export const fieldId = (name: string) => `f-${name.replace(/[^a-zA-Z0-9]+/g, '-')}`;

/** Who may read the outbox: recipients are personal data, so not every member of staff. */
export const OUTBOX_ROLES: Role[] = ['tenant_admin', 'communications', 'customer_service'];

export const OUTBOX_STATUS_LABEL = { captured: 'statusCaptured', sent: 'statusSent', failed: 'statusFailed' } as const;
