import type { ApiRoutes } from '../../server/app.ts';
import { AppError } from '../../platform/errors.ts';
import { isLang } from '../../platform/i18n.ts';
import { CHAT_TOKEN_HEADER } from './chat-api.ts';
import { isReportName, reportFilter } from './reports.ts';

/**
 * Inbox administration and reports for the console and integrations:
 * teams under /api/v1/inbox/teams (tenant_admin, or a token with admin:settings), reports
 * under /api/v1/inbox/reports (customer_service), and the resident's
 * POST /api/v1/chat/link (a signed-in resident claims the chat whose token the widget holds;
 * the cookie session makes it CSRF-checked like every cookie POST). The services decide who
 * may do what.
 */
type IdParams = { Params: { id: string } };

export const inboxAdminApi: ApiRoutes = (app, services) => {
  const teams = services.inboxTeams;

  app.get('/api/v1/inbox/teams', async (req) => {
    const { actor, tenant } = req.aukio;
    return { items: await teams.list(actor, tenant.id) };
  });
  app.post('/api/v1/inbox/teams', async (req, reply) => {
    const { actor, tenant, ip } = req.aukio;
    return reply.code(201).send(await teams.create(actor, tenant.id, req.body, { ip }));
  });
  app.get<IdParams>('/api/v1/inbox/teams/:id', async (req) => {
    const { actor, tenant } = req.aukio;
    return teams.get(actor, tenant.id, req.params.id);
  });
  app.put<IdParams>('/api/v1/inbox/teams/:id', async (req) => {
    const { actor, tenant, ip } = req.aukio;
    return teams.update(actor, tenant.id, req.params.id, req.body, { ip });
  });
  app.delete<IdParams>('/api/v1/inbox/teams/:id', async (req, reply) => {
    const { actor, tenant, ip } = req.aukio;
    await teams.remove(actor, tenant.id, req.params.id, { ip });
    return reply.code(204).send();
  });

  app.get('/api/v1/inbox/reports', async (req, reply) => {
    const { actor, tenant } = req.aukio;
    const report = await services.inboxReports.report(actor, tenant.id, reportFilter((req.query ?? {}) as Record<string, unknown>));
    return reply.header('cache-control', 'private, no-store').send(report);
  });
  // "/reports/times.csv": the file name is the report's name.
  app.get<{ Params: { file: string } }>('/api/v1/inbox/reports/:file', async (req, reply) => {
    const { actor, tenant, lang, ip } = req.aukio;
    const m = /^([a-z]+)\.csv$/.exec(req.params.file);
    if (!m || !isReportName(m[1])) throw new AppError('not_found', 404);
    const q = (req.query ?? {}) as Record<string, unknown>;
    const out = await services.inboxReports.csv(actor, tenant.id, m[1], reportFilter(q), isLang(q.lang) ? q.lang : lang, { ip });
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${out.filename}"`)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(out.body);
  });

  app.post('/api/v1/chat/link', async (req) => {
    const { actor, tenant } = req.aukio;
    const header = req.headers[CHAT_TOKEN_HEADER];
    return services.inboxLinking.linkChat(actor, tenant.id, typeof header === 'string' ? header : null);
  });
};
