import { pageLang, requireStaffPage, runLoader, type LoaderArgs } from '../server-helpers.ts';

/**
 * A case attachment for a handler of the case (services.feedback.attachment checks and
 * audits). The bytes are a resident's upload: the type was sniffed at upload, nosniff and
 * a sandboxing CSP keep a browser from running anything in them, and only images are
 * shown inline; everything else (PDF) downloads.
 */
const INLINE = /^image\/(jpeg|png|gif|webp)$/;

export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  return runLoader(async () => {
    const a = await context.services.feedback.attachment(context.actor, context.tenant.id, params.attachmentId ?? '', {}, { ip: context.ip });
    const ascii = a.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_');
    return new Response(new Uint8Array(a.data), {
      headers: {
        'content-type': a.contentType,
        'content-length': String(a.data.byteLength),
        'content-disposition': `${INLINE.test(a.contentType) ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(a.filename)}`,
        'x-content-type-options': 'nosniff',
        'content-security-policy': 'sandbox',
        'cache-control': 'private, no-store',
      },
    });
  });
}
