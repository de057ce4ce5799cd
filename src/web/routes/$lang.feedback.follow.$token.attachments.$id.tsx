import { data } from 'react-router';
import { attachmentResponse } from '../feedback/follow-route.ts';
import { pageLang, runLoader, type LoaderArgs } from '../server-helpers.ts';

/** An attachment of a case, for whoever holds the case's private follow-up link. */
export async function loader({ context, params }: LoaderArgs) {
  pageLang(context, params);
  const token = String(params.token ?? '');
  const id = String(params.id ?? '');
  // A wrong token or another case's attachment is simply not there (404), whoever asks.
  const c = await runLoader(() => context.services.feedback.followView(context.tenant.id, token));
  if (!c.attachments.some((a) => a.id === id)) throw data({ code: 'not_found' }, { status: 404 });
  const a = await runLoader(() => context.services.feedback.attachment(context.actor, context.tenant.id, id, { followToken: token }, { ip: context.ip }));
  return attachmentResponse(a);
}
