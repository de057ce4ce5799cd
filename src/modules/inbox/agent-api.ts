import { contentDisposition } from '../../platform/http.ts';
import type { ApiRoutes } from '../../server/app.ts';
import { linkOrigin } from '../identity/staff-users.ts';
import { AppError } from '../../platform/errors.ts';

/**
 * The agent inbox's REST API (staff session + X-CSRF-Token, like every console API). The
 * services authorize (requireAgent, canSeeConversation); handlers only translate HTTP.
 *
 *   GET  /api/v1/inbox/conversations                 the list (chat, e-mail, feedback)
 *   GET  /api/v1/inbox/conversations/:id             messages incl. notes; marks read; audited
 *   POST /api/v1/inbox/conversations/:id/messages    reply or note
 *   POST /api/v1/inbox/conversations/:id/accept|assign|transfer|status|typing|read
 *   POST /api/v1/inbox/conversations/:id/attachments            upload (base64 JSON)
 *   GET  /api/v1/inbox/conversations/:id/attachments/:aid       download; audited
 *   GET  /api/v1/inbox/conversations/:id/timeline    the resident timeline; audited
 *   GET  /api/v1/inbox/conversations/:id/canned      canned responses rendered for it
 *   GET|PUT /api/v1/inbox/presence
 *   GET|POST /api/v1/inbox/canned, GET|PUT|DELETE /api/v1/inbox/canned/:id
 */
type IdParams = { Params: { id: string } };
type Q = Record<string, string | undefined>;

export const agentInboxApi: ApiRoutes = (app, services) => {
  const inbox = services.agentInbox;
  const canned = services.canned;
  const ctx = (req: { aukio: { ip: string } }) => ({ ip: req.aukio.ip });

  app.get('/api/v1/inbox/conversations', async (req, reply) => {
    const { actor, tenant } = req.aukio;
    const q = (req.query ?? {}) as Q;
    const list = await inbox.list(actor, tenant.id, { status: q.status, team: q.team, channel: q.channel, assignee: q.assignee, q: q.q, sla: q.sla, page: q.page });
    return reply.header('cache-control', 'private, no-store').send(list);
  });

  app.get<IdParams>('/api/v1/inbox/conversations/:id', async (req, reply) => {
    const { actor, tenant } = req.aukio;
    const v = await inbox.view(actor, tenant.id, req.params.id, ctx(req));
    return reply.header('cache-control', 'private, no-store').send(v);
  });

  app.post<IdParams>('/api/v1/inbox/conversations/:id/messages', async (req, reply) => {
    const { actor, tenant } = req.aukio;
    const r = await inbox.postMessage(actor, tenant.id, req.params.id, req.body);
    return reply.code(r.duplicate ? 200 : 201).send({ message: r.message, duplicate: r.duplicate });
  });

  app.post<IdParams>('/api/v1/inbox/conversations/:id/accept', async (req) => {
    const { actor, tenant } = req.aukio;
    return { conversation: await inbox.accept(actor, tenant.id, req.params.id) };
  });
  app.post<IdParams>('/api/v1/inbox/conversations/:id/assign', async (req) => {
    const { actor, tenant } = req.aukio;
    return { conversation: await inbox.assign(actor, tenant.id, req.params.id, req.body) };
  });
  app.post<IdParams>('/api/v1/inbox/conversations/:id/transfer', async (req) => {
    const { actor, tenant } = req.aukio;
    return { conversation: await inbox.transfer(actor, tenant.id, req.params.id, req.body) };
  });
  app.post<IdParams>('/api/v1/inbox/conversations/:id/status', async (req) => {
    const { actor, tenant } = req.aukio;
    return { conversation: await inbox.setStatus(actor, tenant.id, req.params.id, req.body) };
  });
  app.post<IdParams>('/api/v1/inbox/conversations/:id/typing', async (req, reply) => {
    const { actor, tenant } = req.aukio;
    return reply.code(202).send(await inbox.typing(actor, tenant.id, req.params.id));
  });
  app.post<IdParams>('/api/v1/inbox/conversations/:id/read', async (req) => {
    const { actor, tenant } = req.aukio;
    return inbox.read(actor, tenant.id, req.params.id, req.body);
  });

  app.post<IdParams>('/api/v1/inbox/conversations/:id/attachments', async (req, reply) => {
    const { actor, tenant } = req.aukio;
    return reply.code(201).send({ attachment: await inbox.upload(actor, tenant.id, req.params.id, req.body) });
  });
  app.get<{ Params: { id: string; attachmentId: string } }>('/api/v1/inbox/conversations/:id/attachments/:attachmentId', async (req, reply) => {
    const { actor, tenant } = req.aukio;
    const a = await inbox.attachment(actor, tenant.id, req.params.id, req.params.attachmentId, ctx(req));
    return reply
      .header('content-type', a.contentType)
      .header('content-disposition', contentDisposition('attachment', a.filename))
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, no-store')
      .send(a.bytes);
  });

  app.get<IdParams>('/api/v1/inbox/conversations/:id/timeline', async (req, reply) => {
    const { actor, tenant } = req.aukio;
    return reply.header('cache-control', 'private, no-store').send(await services.timeline.forConversation(actor, tenant.id, req.params.id, ctx(req)));
  });

  app.get<IdParams>('/api/v1/inbox/conversations/:id/canned', async (req) => {
    const { actor, tenant, origin } = req.aukio;
    const { agent, conversation } = await inbox.visible(services.db, actor, tenant.id, req.params.id);
    return { items: await canned.renderedFor(services.db, tenant.id, agent, conversation, linkOrigin(services.config.PUBLIC_URL, origin)) };
  });

  app.get('/api/v1/inbox/presence', async (req) => {
    const { actor, tenant } = req.aukio;
    return inbox.presence(actor, tenant.id);
  });
  app.put('/api/v1/inbox/presence', async (req) => {
    const { actor, tenant } = req.aukio;
    return inbox.setPresence(actor, tenant.id, req.body);
  });

  app.get('/api/v1/inbox/canned', async (req) => {
    const { actor, tenant } = req.aukio;
    const agent = await inbox.agent(actor, tenant.id);
    return { items: await canned.listFor(services.db, tenant.id, agent) };
  });
  app.post('/api/v1/inbox/canned', async (req, reply) => {
    const { actor, tenant } = req.aukio;
    return reply.code(201).send(await canned.create(actor, tenant.id, req.body));
  });
  app.get<IdParams>('/api/v1/inbox/canned/:id', async (req) => {
    const { actor, tenant } = req.aukio;
    const agent = await inbox.agent(actor, tenant.id);
    const c = await canned.get(services.db, tenant.id, req.params.id);
    if (!c || (c.teamId && !agent.allTeams && !agent.teamIds.includes(c.teamId))) throw notFound();
    return c;
  });
  app.put<IdParams>('/api/v1/inbox/canned/:id', async (req) => {
    const { actor, tenant } = req.aukio;
    return canned.update(actor, tenant.id, req.params.id, req.body);
  });
  app.delete<IdParams>('/api/v1/inbox/canned/:id', async (req, reply) => {
    const { actor, tenant } = req.aukio;
    await canned.remove(actor, tenant.id, req.params.id);
    return reply.code(204).send();
  });
};

const notFound = () => new AppError('not_found', 404);

