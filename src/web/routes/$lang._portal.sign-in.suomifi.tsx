import { data, redirect } from 'react-router';
import { pageLang, safeNext, type LoaderArgs } from '../server-helpers.ts';

/**
 * Starts Suomi.fi identification: a plain GET link, so the browser leaves for the IdP by
 * navigation (a form post would be stopped by our CSP's form-action on the redirect).
 */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const adapter = context.services.identity.suomifi;
  if (!adapter) throw data({ code: 'not_found' }, { status: 404 });
  const next = safeNext(new URL(request.url).searchParams.get('next'), `/${lang}/my`);
  const url = await context.services.residents.startStrong(context.tenant.id, adapter, context.origin, { lang, next });
  throw redirect(url, { headers: { 'cache-control': 'no-store' } });
}
