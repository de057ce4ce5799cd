import { data, redirect } from 'react-router';
import { AppError, errorMessage } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import { followPath } from '../../modules/feedback/notify.ts';
import { safeNext, type ActionArgs } from '../server-helpers.ts';

/**
 * The private follow-up page is reached by a secret in its URL: it must not leak through
 * the Referer header to other sites, be indexed, or be stored by any shared cache.
 * same-origin, not no-referrer: under no-referrer browsers send `Origin: null` with the
 * page's own form posts, which the CSRF origin check then (rightly) refuses.
 */
export const PRIVATE_HEADERS = {
  'referrer-policy': 'same-origin',
  'x-robots-tag': 'noindex, nofollow',
  'cache-control': 'private, no-store',
};

/** The "done" notice after a follow-page form came back (PRG): `?done=info` or `?done=fixed`. */
export function caseNotice(q: URLSearchParams): 'info' | 'fixed' | null {
  const done = q.get('done');
  return done === 'info' ? 'info' : done === 'fixed' ? 'fixed' : null;
}

/** The follow page's forms: "add information" and "was this fixed?", then back (PRG). */
export async function followAction(context: ActionArgs['context'], request: Request, lang: Lang, token: string) {
  const form = await request.formData();
  const intent = String(form.get('intent') ?? '');
  const back = safeNext(String(form.get('returnTo') ?? ''), followPath(lang, token));
  const ctx = { ip: context.ip, origin: context.origin };
  try {
    if (intent === 'info') {
      await context.services.feedback.residentAddInfo(context.actor, context.tenant.id, token, form.get('body'), ctx);
      return redirect(`${back}?done=info`, { headers: PRIVATE_HEADERS });
    }
    if (intent === 'fixed') {
      await context.services.feedback.answerFixed(context.actor, context.tenant.id, token, { fixed: form.get('fixed'), comment: form.get('comment') }, ctx);
      return redirect(`${back}?done=fixed`, { headers: PRIVATE_HEADERS });
    }
    throw new AppError('validation_failed', 400, { fields: { intent: 'invalid' } });
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    if (e.status === 404) throw data({ code: 'not_found' }, { status: 404 });
    const field = Object.keys((e.details?.fields as Record<string, string> | undefined) ?? {})[0] ?? '';
    return data({ error: { field, message: errorMessage(e.code, lang) } }, { status: e.status, headers: PRIVATE_HEADERS });
  }
}

/** Sends an attachment for download: never sniffed into HTML, never inline in a frame. */
export function attachmentResponse(a: { filename: string; contentType: string; data: Uint8Array }): Response {
  const ascii = a.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return new Response(new Uint8Array(a.data), {
    headers: {
      'content-type': a.contentType,
      'content-length': String(a.data.byteLength),
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(a.filename)}`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      ...PRIVATE_HEADERS,
    },
  });
}
