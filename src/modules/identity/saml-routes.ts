import fastifyFormbody from '@fastify/formbody';
import { decodeRelay, SAML_BROWSER_COOKIE } from '../../adapters/identity/identity.ts';
import { AppError } from '../../platform/errors.ts';
import { isLang } from '../../platform/i18n.ts';
import type { ApiRoutes } from '../../server/app.ts';

/**
 * The SAML endpoints Suomi.fi talks to: the assertion consumer service (HTTP-POST
 * binding) and the SP metadata. They live outside the React app because the IdP posts
 * cross-site without our CSRF token; the signed assertion and its single-use
 * InResponseTo are what protect the ACS instead.
 */
export const samlRoutes: ApiRoutes = async (app, services) => {
  const { config } = services;
  await app.register(fastifyFormbody, { bodyLimit: 512 * 1024 });

  app.get('/saml/metadata', async (req, reply) => {
    const adapter = services.identity.suomifi;
    if (!adapter) throw new AppError('not_found', 404);
    reply.type('application/samlmetadata+xml; charset=utf-8');
    return adapter.metadata(req.aukio.origin);
  });

  app.post(config.SAML_CALLBACK_PATH, { config: { csrf: false } }, async (req, reply) => {
    const adapter = services.identity.suomifi;
    if (!adapter) throw new AppError('not_found', 404);
    const ctx = req.aukio;
    const body = req.body;
    if (!body || typeof body !== 'object') throw new AppError('identification_failed', 400);
    const form: Record<string, string> = {};
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) if (typeof v === 'string') form[k] = v;
    const relayLang = decodeRelay(form.RelayState)?.lang;
    const lang = isLang(relayLang) && ctx.tenant.languages.includes(relayLang) ? relayLang : ctx.lang;
    const signed = await services.residents.completeStrong(
      {
        tenantId: ctx.tenant.id,
        ip: ctx.ip,
        lang,
        priorSessionId: ctx.actor.kind === 'resident' || ctx.actor.kind === 'staff' ? ctx.actor.sessionId : undefined,
      },
      adapter,
      ctx.origin,
      form,
      req.cookies[SAML_BROWSER_COOKIE],
    );
    await services.inboxLinking.afterSignIn(ctx.tenant.id, signed.residentId, req.headers.cookie);
    reply.header('set-cookie', ctx.cookies.session(signed.sessionToken));
    if (req.cookies[SAML_BROWSER_COOKIE]) {
      reply.header('set-cookie', `${SAML_BROWSER_COOKIE}=; Path=${config.SAML_CALLBACK_PATH}; Max-Age=0; HttpOnly; Secure; SameSite=None`);
    }
    reply.header('cache-control', 'no-store');
    return reply.redirect(safeRelative(signed.relay?.next, `/${lang}/my`), 303);
  });
};

/** Same rule as the pages' safeNext: only same-site relative paths. */
function safeRelative(next: string | undefined, fallback: string) {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return fallback;
  return next;
}
