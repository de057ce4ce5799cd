import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from 'react-router';
import { AppError, errorMessage } from '../platform/errors.ts';
import { isLang, type Lang } from '../platform/i18n.ts';
import type { RequestContext } from '../server/context.ts';

/** The page language for a loader: the URL's when the tenant has it, else 404. */
export function pageLang(context: RequestContext, params: { lang?: string }): Lang {
  if (!isLang(params.lang) || !context.tenant.languages.includes(params.lang)) {
    throw data({ code: 'not_found' }, { status: 404 });
  }
  return params.lang;
}

export interface FormErrorResult {
  ok: false;
  code: string;
  message: string;
  fields?: Record<string, string>;
}

/**
 * Runs a command from an action. AppErrors become data the form can show (with the
 * right 4xx status), so a failed post re-renders the form with the message; other
 * errors propagate to the error boundary as 500 without details.
 */
export async function runAction<T>(lang: Lang, fn: () => Promise<T>): Promise<T | ReturnType<typeof data<FormErrorResult>>> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AppError) {
      if (e.headers) {
        return data<FormErrorResult>(
          { ok: false, code: e.code, message: errorMessage(e.code, lang), fields: e.details?.fields as Record<string, string> | undefined },
          { status: e.status, headers: e.headers },
        );
      }
      return data<FormErrorResult>(
        { ok: false, code: e.code, message: errorMessage(e.code, lang), fields: e.details?.fields as Record<string, string> | undefined },
        { status: e.status },
      );
    }
    throw e;
  }
}

/** Loaders: AppErrors become HTTP error responses the ErrorBoundary renders. */
export async function runLoader<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AppError) throw data({ code: e.code }, { status: e.status });
    throw e;
  }
}

/** Staff pages: signed-in staff or a redirect to sign-in (remembering where to return). */
export function requireStaffPage(context: RequestContext, request: Request, lang: Lang) {
  if (context.actor.kind !== 'staff') {
    const url = new URL(request.url);
    const expired = context.sessionStatus === 'expired' ? '&expired=1' : '';
    throw redirect(`/${lang}/staff/sign-in?next=${encodeURIComponent(url.pathname + url.search)}${expired}`);
  }
  return context.actor.user;
}

/** Resident pages: signed-in resident or a redirect to resident sign-in. */
export function requireResidentPage(context: RequestContext, request: Request, lang: Lang) {
  if (context.actor.kind !== 'resident') {
    const url = new URL(request.url);
    const expired = context.sessionStatus === 'expired' ? '&expired=1' : '';
    throw redirect(`/${lang}/sign-in?next=${encodeURIComponent(url.pathname + url.search)}${expired}`);
  }
  return context.actor.resident;
}

/** Only same-site relative paths are followed after sign-in. */
export function safeNext(next: string | null | undefined, fallback: string): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return fallback;
  return next;
}

/**
 * Loader and action arguments with the server's request context typed. React Router
 * types `context` loosely; every page of Aukio runs behind buildApp, which passes a
 * RequestContext.
 */
export type LoaderArgs = Omit<LoaderFunctionArgs, 'context'> & { context: RequestContext };
export type ActionArgs = Omit<ActionFunctionArgs, 'context'> & { context: RequestContext };
