import type { ApiRoutes } from '../../server/app.ts';

/**
 * Catalog editing API: services, channels (units are channels of kind service_location),
 * content pages and the search vocabulary. Communications staff (session + CSRF) or tokens
 * with catalog:write; validation, authorization, audit and the index live in the services.
 */
type Q = Record<string, string | undefined>;

export const catalogEditApi: ApiRoutes = (app, services) => {
  const edit = services.catalogEdit;
  const pages = services.contentPages;
  const vocab = services.synonyms;

  app.get('/api/v1/catalog/services', async (req) => {
    const { actor, tenant } = req.aukio;
    const q = (req.query ?? {}) as Q;
    return edit.listServices(actor, tenant.id, { q: q.q, status: q.status, source: q.source, page: Number(q.page) || 1 });
  });
  app.post('/api/v1/catalog/services', async (req, reply) => {
    const { actor, tenant, ip } = req.aukio;
    return reply.code(201).send(await edit.createService(actor, tenant.id, req.body, { ip }));
  });
  app.get<{ Params: { id: string } }>('/api/v1/catalog/services/:id', async (req) => {
    const { actor, tenant } = req.aukio;
    return edit.getService(actor, tenant.id, req.params.id);
  });
  app.patch<{ Params: { id: string } }>('/api/v1/catalog/services/:id', async (req) => {
    const { actor, tenant, ip } = req.aukio;
    return edit.updateService(actor, tenant.id, req.params.id, req.body, { ip });
  });

  app.get('/api/v1/catalog/channels', async (req) => {
    const { actor, tenant } = req.aukio;
    const q = (req.query ?? {}) as Q;
    return edit.listChannels(actor, tenant.id, { q: q.q, status: q.status, source: q.source, kind: q.kind, page: Number(q.page) || 1 });
  });
  app.post('/api/v1/catalog/channels', async (req, reply) => {
    const { actor, tenant, ip } = req.aukio;
    return reply.code(201).send(await edit.createChannel(actor, tenant.id, req.body, { ip }));
  });
  app.get<{ Params: { id: string } }>('/api/v1/catalog/channels/:id', async (req) => {
    const { actor, tenant } = req.aukio;
    return edit.getChannel(actor, tenant.id, req.params.id);
  });
  app.patch<{ Params: { id: string } }>('/api/v1/catalog/channels/:id', async (req) => {
    const { actor, tenant, ip } = req.aukio;
    return edit.updateChannel(actor, tenant.id, req.params.id, req.body, { ip });
  });

  app.get('/api/v1/pages', async (req) => {
    const { actor, tenant } = req.aukio;
    const q = (req.query ?? {}) as Q;
    return { items: await pages.list(actor, tenant.id, { q: q.q, status: q.status }) };
  });
  app.post('/api/v1/pages', async (req, reply) => {
    const { actor, tenant, ip } = req.aukio;
    return reply.code(201).send(await pages.create(actor, tenant.id, req.body, { ip }));
  });
  app.get<{ Params: { id: string } }>('/api/v1/pages/:id', async (req) => {
    const { actor, tenant } = req.aukio;
    return pages.get(actor, tenant.id, req.params.id);
  });
  app.patch<{ Params: { id: string } }>('/api/v1/pages/:id', async (req) => {
    const { actor, tenant, ip } = req.aukio;
    return pages.save(actor, tenant.id, req.params.id, req.body, { ip });
  });
  app.post<{ Params: { id: string } }>('/api/v1/pages/:id/publish', async (req) => {
    const { actor, tenant, ip } = req.aukio;
    return pages.publish(actor, tenant.id, req.params.id, req.body ?? {}, { ip });
  });
  app.post<{ Params: { id: string } }>('/api/v1/pages/:id/unpublish', async (req) => {
    const { actor, tenant, ip } = req.aukio;
    return pages.unpublish(actor, tenant.id, req.params.id, req.body ?? {}, { ip });
  });
  app.get<{ Params: { id: string } }>('/api/v1/pages/:id/versions', async (req) => {
    const { actor, tenant } = req.aukio;
    return { items: await pages.versions(actor, tenant.id, req.params.id) };
  });
  app.get<{ Params: { id: string; versionId: string } }>('/api/v1/pages/:id/versions/:versionId', async (req) => {
    const { actor, tenant } = req.aukio;
    return pages.version(actor, tenant.id, req.params.id, req.params.versionId);
  });

  app.get('/api/v1/catalog/synonyms', async (req) => {
    const { actor, tenant } = req.aukio;
    return { items: await vocab.listSynonyms(actor, tenant.id, ((req.query ?? {}) as Q).lang) };
  });
  app.post('/api/v1/catalog/synonyms', async (req, reply) => {
    const { actor, tenant, ip } = req.aukio;
    return reply.code(201).send(await vocab.addSynonym(actor, tenant.id, req.body, { ip }));
  });
  app.delete<{ Params: { id: string } }>('/api/v1/catalog/synonyms/:id', async (req, reply) => {
    const { actor, tenant, ip } = req.aukio;
    await vocab.removeSynonym(actor, tenant.id, req.params.id, { ip });
    return reply.code(204).send();
  });

  app.get('/api/v1/catalog/promotions', async (req) => {
    const { actor, tenant } = req.aukio;
    return { items: await vocab.listPromotions(actor, tenant.id) };
  });
  app.post('/api/v1/catalog/promotions', async (req, reply) => {
    const { actor, tenant, ip } = req.aukio;
    return reply.code(201).send(await vocab.addPromotion(actor, tenant.id, req.body, { ip }));
  });
  app.delete<{ Params: { id: string } }>('/api/v1/catalog/promotions/:id', async (req, reply) => {
    const { actor, tenant, ip } = req.aukio;
    await vocab.removePromotion(actor, tenant.id, req.params.id, { ip });
    return reply.code(204).send();
  });
};
