import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiRoutes } from '../../server/app.ts';
import { openSseStream, sessionStreamLimiter } from '../../server/sse.ts';
import { AppError, errorBody } from '../../platform/errors.ts';
import { pick } from '../../platform/i18n.ts';
import { newsChannel } from '../newsroom/items.ts';
import { CODE_VERSION, PING_SECONDS, playlistJson, screenPage } from './screen.ts';
import { signageChannel, type Screen } from './signage.ts';

/**
 * The screen's own routes, authenticated by the secret token in the URL (no cookies, no
 * session): the page, its playlist JSON, its event stream and its heartbeat. An unknown,
 * rotated or other tenant's token is a 404 like any missing page.
 *
 * Staff manage screens through the console pages (/{lang}/staff/signage), which call
 * SignageService directly.
 */
type TokenParams = { Params: { token: string } };

export const signageApi: ApiRoutes = (app, services) => {
  const signage = services.signage;
  // A screen opens one stream; a few allow for a reload racing the old connection.
  const streamsPerScreen = sessionStreamLimiter();

  const screenOf = async (req: FastifyRequest<TokenParams>): Promise<Screen> => {
    const screen = await signage.screenByToken(req.aukio.tenant.id, req.params.token);
    if (!screen) throw new AppError('not_found', 404);
    return screen;
  };
  const tenantName = (req: FastifyRequest, screen: Screen) => pick(req.aukio.tenant.names, screen.lang, [req.aukio.tenant.defaultLanguage]).text;
  /** The JSON routes answer errors in the API's shape (they are not under /api, so the page error handler would answer HTML). */
  const json = async (req: FastifyRequest<TokenParams>, reply: FastifyReply, fn: (screen: Screen) => Promise<unknown>) => {
    reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex');
    try {
      return await fn(await screenOf(req));
    } catch (e) {
      if (e instanceof AppError) return reply.code(e.status).send(errorBody(e, req.aukio.lang));
      throw e;
    }
  };

  // Registered before /signage/:token/… so "media" is never read as a token.
  app.get<{ Params: { slideId: string } }>('/signage/media/:slideId', async (req, reply) => {
    const image = await signage.uploadedImage(req.aukio.tenant.id, req.params.slideId);
    if (!image) throw new AppError('not_found', 404);
    // A slide's image never changes (a new picture is a new slide).
    return reply.type(image.type).header('cache-control', 'public, max-age=86400, immutable').send(Buffer.from(image.bytes));
  });

  app.get<TokenParams & { Querystring: { slide?: string } }>('/signage/:token', async (req, reply) => {
    const screen = await screenOf(req);
    void signage.heartbeat(screen).catch(() => {});
    const playlist = await signage.playlist(screen, req.aukio.tenant.defaultLanguage);
    const slide = Number.parseInt(String(req.query.slide ?? '0'), 10);
    reply
      .header('cache-control', 'no-store')
      .header('x-robots-tag', 'noindex')
      // The token is the screen's password: it must not leak to image hosts or elsewhere.
      .header('referrer-policy', 'no-referrer')
      .type('text/html; charset=utf-8');
    return screenPage({
      token: req.params.token,
      nonce: req.aukio.nonce,
      playlist,
      tenantName: tenantName(req, screen),
      theme: req.aukio.tenant.theme,
      slideIndex: Number.isFinite(slide) ? slide : 0,
    });
  });

  app.get<TokenParams>('/signage/:token/playlist.json', (req, reply) =>
    json(req, reply, async (screen) => {
      void signage.heartbeat(screen).catch(() => {});
      return playlistJson(await signage.playlist(screen, req.aukio.tenant.defaultLanguage), tenantName(req, screen));
    }),
  );

  // The token authenticates; no cookie rides on it, so there is nothing for CSRF to protect.
  app.post<TokenParams>('/signage/:token/heartbeat', { config: { csrf: false } }, (req, reply) =>
    json(req, reply, async (screen) => {
      await signage.heartbeat(screen);
      return reply.code(204).send();
    }),
  );

  app.get<TokenParams>('/signage/:token/events', async (req, reply) => {
    let screen: Screen;
    try {
      screen = await screenOf(req);
    } catch (e) {
      if (e instanceof AppError) return reply.code(e.status).header('cache-control', 'no-store').send(errorBody(e, req.aukio.lang));
      throw e;
    }
    const release = streamsPerScreen.acquire(screen.id);
    void signage.heartbeat(screen).catch(() => {});
    const { tenantId } = screen;
    const unsubscribe = services.events.subscribe([newsChannel(tenantId), signageChannel(tenantId)], (e) => {
      if (e.type === 'signage.screen' && e.data.screenId === screen.id) {
        // Rotated or removed: this URL is dead; the screen's reconnect gets a 404.
        stream.close();
        return;
      }
      if (e.type === 'signage.playlist' && e.data.screenId !== screen.id) return;
      if (e.type.startsWith('news.') || e.type === 'signage.playlist' || e.type === 'signage.notice') {
        stream.send({ id: e.id, type: 'refresh', data: { reason: e.type } });
      }
    });
    // Pings the page's watchdog can see (SSE comments never reach its script); they carry
    // the code version so an old page reloads after a deploy.
    const ping = setInterval(() => stream.send({ type: 'ping', data: { version: CODE_VERSION } }), PING_SECONDS * 1000);
    ping.unref();
    const stream = openSseStream(app, reply, {
      onClose: () => {
        clearInterval(ping);
        unsubscribe();
        release();
      },
      // The heartbeat also ends the stream of a screen whose URL was rotated on another instance.
      alive: async () => {
        const still = await signage.screenByToken(tenantId, req.params.token);
        if (still) await signage.heartbeat(still);
        return still !== null;
      },
    });
    stream.send({ type: 'ping', data: { version: CODE_VERSION } });
  });
};
