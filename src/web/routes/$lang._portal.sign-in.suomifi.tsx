import { data, redirect } from 'react-router';
import { SAML_BROWSER_COOKIE } from '../../adapters/identity/identity.ts';
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
  const { config } = context.services;
  const started = await context.services.residents.startStrong(context.tenant.id, adapter, context.origin, { lang, next }, { bindBrowser: config.COOKIE_SECURE });
  const headers = new Headers({ 'cache-control': 'no-store' });
  if (started.browserNonce) {
    // Sent back only to the ACS, and on the IdP's cross-site POST: hence SameSite=None.
    headers.append(
      'set-cookie',
      `${SAML_BROWSER_COOKIE}=${started.browserNonce}; Path=${config.SAML_CALLBACK_PATH}; Max-Age=1800; HttpOnly; Secure; SameSite=None`,
    );
  }
  throw redirect(started.redirectUrl, { headers });
}
