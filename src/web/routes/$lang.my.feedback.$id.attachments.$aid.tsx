import { attachmentResponse } from '../feedback/follow-route.ts';
import { pageLang, requireResidentPage, runLoader, type LoaderArgs } from '../server-helpers.ts';

/** An attachment of the signed-in resident's own case (My Aukio). */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireResidentPage(context, request, lang);
  const id = String(params.id ?? '');
  // The case must be the resident's own, and the attachment must belong to it.
  const c = await runLoader(() => context.services.feedback.myCase(context.actor, context.tenant.id, id));
  if (!c.attachments.some((a) => a.id === params.aid)) throw new Response(null, { status: 404 });
  const a = await runLoader(() => context.services.feedback.attachment(context.actor, context.tenant.id, String(params.aid), {}, { ip: context.ip }));
  return attachmentResponse(a);
}
