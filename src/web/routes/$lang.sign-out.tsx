import { redirect } from 'react-router';
import { pageLang, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/** Resident sign-out: POST only (with CSRF, checked by the server); a GET just goes home. */
export function loader({ context, params }: LoaderArgs) {
  const lang = pageLang(context, params);
  throw redirect(`/${lang}`);
}

export async function action({ context, params }: ActionArgs) {
  const lang = pageLang(context, params);
  if (context.actor.kind === 'resident') {
    await context.services.residents.signOut(context.tenant.id, context.actor, context.ip);
  } else if (context.actor.kind === 'staff') {
    // Staff sign out in the console (audited there); a post here still ends the session for real.
    await context.services.sessions.destroy(context.tenant.id, context.actor.sessionId);
  }
  return redirect(`/${lang}`, { headers: { 'set-cookie': context.cookies.clearSession() } });
}
