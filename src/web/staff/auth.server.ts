import { data } from 'react-router';
import type { RequestContext } from '../../server/context.ts';
import { errorMessage, isAppError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';

/** Binds an OpenID Connect flow to the browser that started it (see modules/identity/oidc.ts). */
// Same name as SESSION_COOKIE in src/server/app.ts; importing that file would bundle the server into the web build.
const SESSION_COOKIE = 'aukio_session';

export const OIDC_COOKIE = 'aukio_oidc';
export const OIDC_CALLBACK_PATH = '/staff/oidc/callback';

export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export const sessionCookieValue = (request: Request) => readCookie(request, SESSION_COOKIE);

export function oidcCookie(context: RequestContext, value: string, maxAge: number): string {
  const secure = context.services.config.COOKIE_SECURE ? '; Secure' : '';
  return `${OIDC_COOKIE}=${value}; Path=${OIDC_CALLBACK_PATH}; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;
}

/** Origin for links in e-mails: PUBLIC_URL ({host} = the tenant's host) or this request's origin. */
export function linkOrigin(context: RequestContext): string {
  const configured = context.services.config.PUBLIC_URL;
  if (!configured) return context.origin;
  const host = new URL(context.origin).host;
  return configured.replace('{host}', host).replace(/\/$/, '');
}

export interface AuthFormFailure {
  ok: false;
  intent?: string;
  code: string;
  message: string;
  fields: Record<string, string>;
  values: Record<string, string>;
}

/**
 * Runs a form command; an AppError re-renders the form with its message, field errors,
 * status and headers (429 keeps Retry-After), plus the non-secret values typed so far.
 */
export async function authAction<T>(
  lang: Lang,
  values: Record<string, string>,
  fn: () => Promise<T>,
  intent?: string,
): Promise<T | ReturnType<typeof data<AuthFormFailure>>> {
  try {
    return await fn();
  } catch (e) {
    if (!isAppError(e)) throw e;
    const fields = (e.details?.fields as Record<string, string> | undefined) ?? {};
    return data<AuthFormFailure>(
      { ok: false, intent, code: e.code, message: errorMessage(e.code, lang), fields, values },
      { status: e.status, headers: e.headers },
    );
  }
}

export function formString(form: FormData, name: string, max = 500): string {
  const v = form.get(name);
  return typeof v === 'string' ? v.slice(0, max) : '';
}

/**
 * Route `headers` export for auth pages: a refused post keeps its own headers (Retry-After
 * on 429). React Router sends loader/action headers only through this export. Nothing
 * here may be cached: the pages carry reset tokens, TOTP secrets and CSRF tokens.
 */
export function authHeaders({ actionHeaders, loaderHeaders }: { actionHeaders: Headers; loaderHeaders: Headers }) {
  const h = new Headers(loaderHeaders);
  h.set('cache-control', 'no-store');
  const retry = actionHeaders.get('retry-after');
  if (retry) h.set('retry-after', retry);
  return h;
}
