import type { ApiRoutes } from '../../server/app.ts';
import { AppError } from '../../platform/errors.ts';

/**
 * Distribution's API: the media distribution list (staff), the journalists' subscription
 * and RFC 8058 one-click unsubscribe (public), channel settings and their connection test,
 * delivery status and retry (staff). Staff = communications and publishers (tenant admins
 * implied); addresses and secrets of channels are the tenant admin's.
 */
type IdParams = { Params: { id: string } };

const intParam = (v: unknown, field: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new AppError('validation_failed', 400, { fields: { [field]: 'invalid' } });
  return n;
};

export const distributionApi: ApiRoutes = (app, services) => {
  const list = services.mediaList;
  const dist = services.distribution;

  // The one-click unsubscribe POST (List-Unsubscribe=One-Click) is form-encoded; parsed here only.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.get('/api/v1/news/media-contacts', async (req) => {
    const { actor, tenant } = req.aukio;
    const q = (req.query ?? {}) as Record<string, unknown>;
    return list.list(actor, tenant.id, {
      q: typeof q.q === 'string' ? q.q : undefined,
      limit: intParam(q.limit, 'limit'),
      offset: intParam(q.offset, 'offset'),
    });
  });

  app.post('/api/v1/news/media-contacts', async (req, reply) => {
    const { actor, tenant, ip } = req.aukio;
    return reply.code(201).send(await list.save(actor, tenant.id, null, req.body, { ip }));
  });

  // CSV import: the file as the body (text/csv).
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post('/api/v1/news/media-contacts/import', async (req) => {
    const { actor, tenant, ip } = req.aukio;
    if (typeof req.body !== 'string') throw new AppError('unsupported_media_type', 415);
    return list.importCsv(actor, tenant.id, req.body, { ip });
  });

  app.get<IdParams>('/api/v1/news/media-contacts/:id', async (req) => {
    const { actor, tenant } = req.aukio;
    return list.get(actor, tenant.id, req.params.id);
  });

  app.put<IdParams>('/api/v1/news/media-contacts/:id', async (req) => {
    const { actor, tenant, ip } = req.aukio;
    return list.save(actor, tenant.id, req.params.id, req.body, { ip });
  });

  app.delete<IdParams>('/api/v1/news/media-contacts/:id', async (req, reply) => {
    const { actor, tenant, ip } = req.aukio;
    await list.remove(actor, tenant.id, req.params.id, { ip });
    return reply.code(204).send();
  });

  // Public: a journalist subscribes; a confirmation mail follows (double opt-in).
  app.post('/api/v1/press/subscriptions', async (req, reply) => {
    const { tenant, lang } = req.aukio;
    await list.subscribe(tenant.id, req.body, lang);
    return reply.code(202).send({ status: 'confirmation_sent' });
  });

  app.post<{ Params: { token: string } }>('/api/v1/press/subscriptions/confirm/:token', async (req) => {
    await list.confirm(req.aukio.tenant.id, req.params.token);
    return { status: 'confirmed' };
  });

  // RFC 8058: mail clients POST here without cookies or CSRF token; the token in the path is the authority.
  app.post<{ Params: { token: string } }>('/api/v1/press/unsubscribe/:token', { config: { csrf: false } }, async (req, reply) => {
    await list.unsubscribe(req.aukio.tenant.id, req.params.token);
    return reply.code(200).send({ status: 'unsubscribed' });
  });

  app.get('/api/v1/news/channels', async (req) => {
    const { actor, tenant } = req.aukio;
    return dist.settings(actor, tenant.id);
  });

  app.put('/api/v1/news/channels', async (req) => {
    const { actor, tenant, ip } = req.aukio;
    return dist.saveSettings(actor, tenant.id, req.body, { ip });
  });

  app.post<{ Params: { channel: string } }>('/api/v1/news/channels/:channel/test', async (req) => {
    const { actor, tenant, ip } = req.aukio;
    return dist.testConnection(actor, tenant.id, req.params.channel, { ip });
  });

  app.get('/api/v1/news/deliveries', async (req) => {
    const { actor, tenant } = req.aukio;
    const q = (req.query ?? {}) as Record<string, unknown>;
    return { deliveries: await dist.recent(actor, tenant.id, intParam(q.limit, 'limit')) };
  });

  app.get<IdParams>('/api/v1/news/items/:id/deliveries', async (req) => {
    const { actor, tenant } = req.aukio;
    const { deliveries } = await dist.forItem(actor, tenant.id, req.params.id);
    return { deliveries };
  });

  app.post<IdParams>('/api/v1/news/deliveries/:id/retry', async (req) => {
    const { actor, tenant, ip } = req.aukio;
    return dist.retry(actor, tenant.id, req.params.id, { ip });
  });
};
