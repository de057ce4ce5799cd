import { redirect } from 'react-router';
import { safeNext, type LoaderArgs } from '../server-helpers.ts';
import { OIDC_CALLBACK_PATH, OIDC_COOKIE, oidcCookie, readCookie } from '../staff/auth.server.ts';

/**
 * The one redirect URI to register at the provider (no language in it): finishes the
 * OpenID Connect sign-in and returns to the page, in the language the flow started in.
 */
export async function loader({ context, request }: LoaderArgs) {
  const url = new URL(request.url);
  const result = await context.services.staffAuth.oidc.callback({
    tenantId: context.tenant.id,
    params: url.searchParams,
    redirectUri: `${context.origin}${OIDC_CALLBACK_PATH}`,
    browserToken: readCookie(request, OIDC_COOKIE),
    ip: context.ip,
  });
  const lang = result.lang && context.tenant.languages.includes(result.lang) ? result.lang : context.tenant.defaultLanguage;
  const headers = new Headers();
  headers.append('set-cookie', oidcCookie(context, '', 0));
  if (!result.ok) return redirect(`/${lang}/staff/sign-in?oidc_error=${result.reason}`, { headers });
  headers.append('set-cookie', context.cookies.session(result.token));
  return redirect(safeNext(result.next, `/${lang}/staff`), { headers });
}
