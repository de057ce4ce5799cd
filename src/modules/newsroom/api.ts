import type { ApiRoutes } from '../../server/app.ts';
import { AppError } from '../../platform/errors.ts';
import { contentDisposition } from '../../platform/http.ts';
import { NEWS_KINDS, NEWS_STATES, type NewsKind, type NewsState } from './model.ts';

/**
 * The newsroom's staff API (session + CSRF like every staff API, or the console's forms):
 * items, workflow transitions, comments, versions, topics, media metadata. Plus the media
 * route every reader uses: /news-media/:id/:filename serves an image or attachment to
 * whoever may see it (NewsroomService.mediaBytes), with a long cache for public files.
 */
type IdParams = { Params: { id: string } };

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export const newsroomApi: ApiRoutes = (app, services) => {
  const news = services.newsroom;

  app.get('/api/v1/news/items', async (req) => {
    const { actor, tenant } = req.aukio;
    const q = (req.query ?? {}) as Record<string, unknown>;
    const state = str(q.state);
    const kind = str(q.kind);
    if (state && !NEWS_STATES.includes(state as NewsState)) throw new AppError('validation_failed', 400, { fields: { state: 'invalid' } });
    if (kind && !NEWS_KINDS.includes(kind as NewsKind)) throw new AppError('validation_failed', 400, { fields: { kind: 'invalid' } });
    const limit = q.limit === undefined ? undefined : Number(q.limit);
    const offset = q.offset === undefined ? undefined : Number(q.offset);
    if ((limit !== undefined && !Number.isInteger(limit)) || (offset !== undefined && !Number.isInteger(offset))) {
      throw new AppError('validation_failed', 400, { fields: { limit: 'invalid' } });
    }
    return news.staffList(actor, tenant.id, { state: state as NewsState, kind: kind as NewsKind, q: str(q.q), limit, offset });
  });

  app.post('/api/v1/news/items', async (req, reply) => {
    const { actor, tenant, ip } = req.aukio;
    return reply.code(201).send(await news.create(actor, tenant.id, req.body, { ip }));
  });

  app.get<IdParams>('/api/v1/news/items/:id', async (req) => {
    const { actor, tenant } = req.aukio;
    return news.staffGet(actor, tenant.id, req.params.id);
  });

  app.patch<IdParams>('/api/v1/news/items/:id', async (req) => {
    const { actor, tenant, ip } = req.aukio;
    return news.update(actor, tenant.id, req.params.id, req.body, { ip });
  });

  app.post<IdParams>('/api/v1/news/items/:id/transitions', async (req) => {
    const { actor, tenant, ip } = req.aukio;
    return news.transition(actor, tenant.id, req.params.id, req.body, { ip });
  });

  app.get<IdParams>('/api/v1/news/items/:id/comments', async (req) => {
    const { actor, tenant } = req.aukio;
    return { comments: await news.comments(actor, tenant.id, req.params.id) };
  });

  app.post<IdParams>('/api/v1/news/items/:id/comments', async (req, reply) => {
    const { actor, tenant, ip } = req.aukio;
    return reply.code(201).send(await news.addComment(actor, tenant.id, req.params.id, req.body, { ip }));
  });

  app.get<IdParams>('/api/v1/news/items/:id/versions', async (req) => {
    const { actor, tenant } = req.aukio;
    return { versions: await news.versions(actor, tenant.id, req.params.id) };
  });

  app.get('/api/v1/news/topics', async (req) => {
    return { topics: await news.topics(req.aukio.tenant.id) };
  });

  app.post('/api/v1/news/topics', async (req, reply) => {
    const { actor, tenant, ip } = req.aukio;
    return reply.code(201).send(await news.saveTopic(actor, tenant.id, req.body, { ip }));
  });

  app.patch<IdParams>('/api/v1/news/media/:id', async (req) => {
    const { actor, tenant, ip } = req.aukio;
    return news.updateMedia(actor, tenant.id, req.params.id, req.body, { ip });
  });

  app.delete<IdParams>('/api/v1/news/media/:id', async (req, reply) => {
    const { actor, tenant, ip } = req.aukio;
    await news.removeMedia(actor, tenant.id, req.params.id, { ip });
    return reply.code(204).send();
  });

  app.get<{ Params: { id: string; filename: string }; Querystring: { download?: string } }>('/news-media/:id/:filename', async (req, reply) => {
    const { actor, tenant } = req.aukio;
    const { media, bytes, sha256 } = await news.mediaBytes(actor, tenant.id, req.params.id);
    const etag = `"${sha256.slice(0, 32)}"`;
    const isPublic = media.inImageBank || actor.kind === 'anonymous';
    reply.headers({
      'content-type': media.contentType,
      etag,
      // Files never change under an id; a public one may be cached anywhere, a staff one only by the browser.
      'cache-control': isPublic ? 'public, max-age=86400' : 'private, max-age=300',
      'content-disposition': contentDisposition(media.kind === 'image' && req.query.download !== '1' ? 'inline' : 'attachment', media.filename),
      'content-security-policy': "default-src 'none'; sandbox",
      'x-content-type-options': 'nosniff',
    });
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.send(Buffer.from(bytes));
  });
};
