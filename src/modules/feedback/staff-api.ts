import type { ApiRoutes } from '../../server/app.ts';
import type { RequestContext } from '../../server/context.ts';
import { isLang } from '../../platform/i18n.ts';
import type { QueueFilter } from './model.ts';

/**
 * The staff console's feedback API: case handling under /api/v1/feedback/cases, the
 * moderation of public answers under /api/v1/feedback/moderation, and category
 * administration under /api/v1/feedback/admin/categories (the resident side owns the
 * public GET /api/v1/feedback/categories). Session + CSRF like every staff API; the
 * services decide who may do what.
 */
type Q = Record<string, string | undefined>;
type IdParams = { Params: { id: string } };

/** A queue filter from a query string (the console's GET form and the API use the same names). */
export function queueFilterFrom(q: Q): QueueFilter {
  const f: QueueFilter = {};
  if (q.orgUnitId) f.orgUnitId = q.orgUnitId;
  if (q.status) f.status = q.status as QueueFilter['status'];
  if (q.categoryId) f.categoryId = q.categoryId;
  if (q.assignedTo) f.assignedTo = q.assignedTo;
  if (q.overdue === '1' || q.overdue === 'true') f.overdue = true;
  if (q.q) f.q = q.q;
  if (q.page) f.page = Number(q.page) || 1;
  return f;
}

const ctxOf = (c: RequestContext) => ({ ip: c.ip, origin: c.origin });
const body = (b: unknown) => (b && typeof b === 'object' ? (b as Record<string, unknown>) : {});

export const feedbackStaffApi: ApiRoutes = (app, services) => {
  const cases = services.feedback;
  const pub = services.feedbackPublication;
  const dups = services.feedbackDuplicates;

  app.get('/api/v1/feedback/cases', async (req) => {
    const { actor, tenant } = req.aukio;
    return cases.queue(actor, tenant.id, queueFilterFrom((req.query ?? {}) as Q));
  });
  app.get('/api/v1/feedback/cases.csv', async (req, reply) => {
    const { actor, tenant, lang } = req.aukio;
    const q = (req.query ?? {}) as Q;
    const { page: _page, ...filter } = queueFilterFrom(q);
    const out = await services.feedbackExport.csv(actor, tenant.id, filter, isLang(q.lang) ? q.lang : lang, ctxOf(req.aukio));
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${out.filename}"`)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(out.body);
  });
  app.get<IdParams>('/api/v1/feedback/cases/:id', async (req) => {
    const { actor, tenant } = req.aukio;
    return cases.get(actor, tenant.id, req.params.id, ctxOf(req.aukio));
  });
  app.get<IdParams>('/api/v1/feedback/cases/:id/duplicates', async (req) => {
    const { actor, tenant } = req.aukio;
    return { items: await dups.suggestions(actor, tenant.id, req.params.id) };
  });
  app.get<IdParams>('/api/v1/feedback/cases/:id/assignees', async (req) => {
    const { actor, tenant } = req.aukio;
    const c = await cases.row(services.db, tenant.id, req.params.id);
    if (!c) return { items: [] };
    await cases.requireHandler(actor, tenant.id, c.org_unit_id);
    return { items: await cases.assignees(services.db, tenant.id, c.org_unit_id) };
  });
  app.post<IdParams>('/api/v1/feedback/cases/:id/status', async (req, reply) => {
    const { actor, tenant } = req.aukio;
    await cases.setStatus(actor, tenant.id, req.params.id, body(req.body).status, ctxOf(req.aukio));
    return reply.code(204).send();
  });
  app.post<IdParams>('/api/v1/feedback/cases/:id/assign', async (req, reply) => {
    const { actor, tenant } = req.aukio;
    await cases.assign(actor, tenant.id, req.params.id, body(req.body).userId ?? null, ctxOf(req.aukio));
    return reply.code(204).send();
  });
  app.post<IdParams>('/api/v1/feedback/cases/:id/notes', async (req, reply) => {
    const { actor, tenant } = req.aukio;
    await cases.addNote(actor, tenant.id, req.params.id, body(req.body).body, ctxOf(req.aukio));
    return reply.code(204).send();
  });
  app.post<IdParams>('/api/v1/feedback/cases/:id/transfer', async (req, reply) => {
    const { actor, tenant } = req.aukio;
    const b = body(req.body);
    await cases.transfer(actor, tenant.id, req.params.id, { orgUnitId: b.orgUnitId, reason: b.reason }, ctxOf(req.aukio));
    return reply.code(204).send();
  });
  app.post<IdParams>('/api/v1/feedback/cases/:id/reply', async (req, reply) => {
    const { actor, tenant } = req.aukio;
    const b = body(req.body);
    await cases.reply(actor, tenant.id, req.params.id, { body: b.body, status: b.status }, ctxOf(req.aukio));
    return reply.code(204).send();
  });
  app.get<IdParams>('/api/v1/feedback/cases/:id/public-answer', async (req) => {
    const { actor, tenant } = req.aukio;
    return pub.suggestion(actor, tenant.id, req.params.id);
  });
  app.post<IdParams>('/api/v1/feedback/cases/:id/public-answer', async (req) => {
    const { actor, tenant } = req.aukio;
    const b = body(req.body);
    return pub.propose(actor, tenant.id, req.params.id, { publicDescription: b.publicDescription, publicAnswer: b.publicAnswer, publish: b.publish }, ctxOf(req.aukio));
  });
  app.post<IdParams>('/api/v1/feedback/cases/:id/unpublish', async (req, reply) => {
    const { actor, tenant } = req.aukio;
    await pub.unpublish(actor, tenant.id, req.params.id, body(req.body).reason, ctxOf(req.aukio));
    return reply.code(204).send();
  });
  app.post<IdParams>('/api/v1/feedback/cases/:id/merge', async (req, reply) => {
    const { actor, tenant } = req.aukio;
    await dups.merge(actor, tenant.id, req.params.id, body(req.body).into, ctxOf(req.aukio));
    return reply.code(204).send();
  });

  app.get('/api/v1/feedback/moderation', async (req) => {
    const { actor, tenant } = req.aukio;
    return { items: await pub.moderationQueue(actor, tenant.id) };
  });
  app.post<IdParams>('/api/v1/feedback/moderation/:id/approve', async (req, reply) => {
    const { actor, tenant } = req.aukio;
    const b = body(req.body);
    await pub.approve(actor, tenant.id, req.params.id, { publicDescription: b.publicDescription, publicAnswer: b.publicAnswer }, ctxOf(req.aukio));
    return reply.code(204).send();
  });
  app.post<IdParams>('/api/v1/feedback/moderation/:id/reject', async (req, reply) => {
    const { actor, tenant } = req.aukio;
    await pub.reject(actor, tenant.id, req.params.id, body(req.body).reason, ctxOf(req.aukio));
    return reply.code(204).send();
  });

  const cats = services.feedbackCategories;
  app.get('/api/v1/feedback/admin/categories', async (req) => {
    const { actor, tenant } = req.aukio;
    return { items: await cats.list(actor, tenant.id) };
  });
  app.post('/api/v1/feedback/admin/categories', async (req, reply) => {
    const { actor, tenant, ip } = req.aukio;
    return reply.code(201).send(await cats.create(actor, tenant.id, req.body, { ip }));
  });
  app.get<IdParams>('/api/v1/feedback/admin/categories/:id', async (req) => {
    const { actor, tenant } = req.aukio;
    return cats.get(actor, tenant.id, req.params.id);
  });
  app.patch<IdParams>('/api/v1/feedback/admin/categories/:id', async (req) => {
    const { actor, tenant, ip } = req.aukio;
    return cats.update(actor, tenant.id, req.params.id, req.body, { ip });
  });
};
