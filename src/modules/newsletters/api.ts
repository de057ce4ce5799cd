import fastifyFormbody from '@fastify/formbody';
import { AppError } from '../../platform/errors.ts';
import type { ApiRoutes } from '../../server/app.ts';
import { isUuid } from '../../platform/validation.ts';

/** A 1×1 transparent GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/**
 * Newsletter endpoints outside the React pages:
 * - `POST /unsubscribe/:token`: RFC 8058 one-click unsubscribe. Mail clients post
 *   `List-Unsubscribe=One-Click` without cookies or our CSRF token, so the signed token is
 *   the authority (and unsubscribing is the only thing it can do). The confirm page's
 *   button posts here too and is sent back to the page.
 * - `GET /unsubscribe/:token`: to the confirm page in the subscriber's language.
 * - `GET /newsletter-open/:token.gif`: the open-tracking pixel (counts only when the
 *   tenant turned tracking on for the campaign).
 * - `GET /api/v1/newsletters/campaigns/:id/progress`: the console's live progress.
 */
export const newslettersApi: ApiRoutes = async (app, services) => {
  await app.register(fastifyFormbody, { bodyLimit: 16 * 1024 });
  // RFC 8058 allows multipart/form-data too; the body's content does not matter.
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 16 * 1024 }, (_req, body, done) => done(null, body));

  app.get<{ Params: { token: string } }>('/unsubscribe/:token', async (req, reply) => {
    const ctx = req.aukio;
    const lang = (await services.subscriptions.languageOf(ctx.tenant.id, req.params.token)) ?? ctx.tenant.defaultLanguage;
    const target = ctx.tenant.languages.includes(lang) ? lang : ctx.tenant.defaultLanguage;
    return reply.redirect(`/${target}/unsubscribe/${encodeURIComponent(req.params.token)}`, 303);
  });

  app.post<{ Params: { token: string } }>('/unsubscribe/:token', { config: { csrf: false } }, async (req, reply) => {
    const ctx = req.aukio;
    const { language } = await services.subscriptions.unsubscribe(ctx.tenant.id, req.params.token);
    const form = req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body) ? (req.body as Record<string, unknown>) : {};
    reply.header('cache-control', 'no-store');
    if (form.from === 'page') {
      const lang = ctx.tenant.languages.includes(language) ? language : ctx.tenant.defaultLanguage;
      return reply.redirect(`/${lang}/unsubscribe/${encodeURIComponent(req.params.token)}?done=1`, 303);
    }
    return reply.code(200).type('text/plain; charset=utf-8').send('unsubscribed\n');
  });

  app.get<{ Params: { token: string } }>('/newsletter-open/:token', async (req, reply) => {
    const token = req.params.token.replace(/\.gif$/, '');
    await services.newsletters.recordOpen(req.aukio.tenant.id, token);
    return reply.header('cache-control', 'no-store').type('image/gif').send(PIXEL);
  });

  app.get<{ Params: { id: string } }>('/api/v1/newsletters/campaigns/:id/progress', async (req) => {
    if (!isUuid(req.params.id)) throw new AppError('not_found', 404);
    const c = await services.newsletters.get(req.aukio.actor, req.aukio.tenant.id, req.params.id);
    return { state: c.state, ...c.report };
  });
};
