import type { ApiRoutes } from '../../server/app.ts';
import { AppError } from '../../platform/errors.ts';
import { isLang } from '../../platform/i18n.ts';
import { FAQ_THRESHOLD, requireFaqEditor } from './faq.ts';

/**
 * The bot's FAQ for the console and integrations of staff sessions: list, read, create,
 * replace (PUT), change (PATCH), delete, and "try the bot" (what the bot would answer to a
 * text, nothing stored). customer_service and communications (tenant admins implied);
 * anonymous → 401, other staff → 403; another tenant's id → 404. Session + CSRF like every
 * staff API.
 */
type IdParams = { Params: { id: string } };

export const faqApi: ApiRoutes = (app, services) => {
  const faq = services.faq;

  app.get('/api/v1/inbox/faq', async (req) => {
    const { actor, tenant } = req.aukio;
    return { items: await faq.list(actor, tenant.id), threshold: FAQ_THRESHOLD };
  });

  app.get('/api/v1/inbox/faq/try', async (req) => {
    const { actor, tenant, lang: requestLang } = req.aukio;
    requireFaqEditor(actor, tenant.id);
    const q = (req.query ?? {}) as Record<string, unknown>;
    const text = typeof q.q === 'string' ? q.q.trim() : '';
    if (!text || text.length > 4000) throw new AppError('validation_failed', 400, { fields: { q: text ? 'too_long' : 'required' } });
    if (q.lang !== undefined && !isLang(q.lang)) throw new AppError('validation_failed', 400, { fields: { lang: 'invalid_language' } });
    const lang = isLang(q.lang) ? q.lang : requestLang;
    const r = await services.chatBot.preview(tenant, text, lang);
    return {
      source: r.data.bot!.source,
      decision: r.decision.kind,
      body: r.body,
      data: r.data,
      faq: r.findings.faq?.best ? { id: r.findings.faq.best.entry.id, score: r.findings.faq.best.score, question: r.findings.faq.best.question, lang: r.findings.faq.best.lang } : null,
      threshold: r.findings.faq?.threshold ?? null,
      catalogScore: r.findings.catalogScore,
    };
  });

  app.get<IdParams>('/api/v1/inbox/faq/:id', async (req) => {
    const { actor, tenant } = req.aukio;
    return faq.get(actor, tenant.id, req.params.id);
  });

  app.post('/api/v1/inbox/faq', async (req, reply) => {
    const { actor, tenant, ip } = req.aukio;
    return reply.code(201).send(await faq.create(actor, tenant.id, req.body, { ip }));
  });

  app.put<IdParams>('/api/v1/inbox/faq/:id', async (req) => {
    const { actor, tenant, ip } = req.aukio;
    return faq.update(actor, tenant.id, req.params.id, req.body, { ip });
  });

  app.patch<IdParams>('/api/v1/inbox/faq/:id', async (req) => {
    const { actor, tenant, ip } = req.aukio;
    return faq.update(actor, tenant.id, req.params.id, req.body, { ip, partial: true });
  });

  app.delete<IdParams>('/api/v1/inbox/faq/:id', async (req, reply) => {
    const { actor, tenant, ip } = req.aukio;
    await faq.remove(actor, tenant.id, req.params.id, { ip });
    return reply.code(204).send();
  });
};
