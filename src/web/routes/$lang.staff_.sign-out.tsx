import { redirect } from 'react-router';
import { sha256 } from '../../platform/crypto.ts';
import { pageLang, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';
import { sessionCookieValue } from '../staff/auth.server.ts';

/** Signing out is a POST (with the CSRF token); a plain visit only leads back to sign-in. */
export function loader({ context, params }: LoaderArgs) {
  const lang = pageLang(context, params);
  return redirect(`/${lang}/staff/sign-in`);
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  const token = sessionCookieValue(request);
  if (token && token.length <= 100) await context.services.staffAuth.signOut(context.tenant.id, sha256(token), context.actor, context.ip);
  return redirect(`/${lang}/staff/sign-in?notice=signed_out`, { headers: { 'set-cookie': context.cookies.clearSession() } });
}
