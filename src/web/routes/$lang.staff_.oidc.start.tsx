import { redirect } from 'react-router';
import { pageLang, safeNext, type LoaderArgs } from '../server-helpers.ts';
import { isAppError } from '../../platform/errors.ts';
import { OIDC_CALLBACK_PATH, oidcCookie } from '../staff/auth.server.ts';

/** Sends the browser to the tenant's OpenID provider; the flow is bound to it by a short cookie. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const rawNext = new URL(request.url).searchParams.get('next');
  const next = rawNext ? safeNext(rawNext, '') || null : null;
  try {
    const { url, browserToken } = await context.services.staffAuth.oidc.start({
      tenantId: context.tenant.id,
      redirectUri: `${context.origin}${OIDC_CALLBACK_PATH}`,
      lang,
      next,
    });
    return redirect(url, { headers: { 'set-cookie': oidcCookie(context, browserToken, 600) } });
  } catch (e) {
    if (isAppError(e)) return redirect(`/${lang}/staff/sign-in?oidc_error=failed`);
    throw e;
  }
}
