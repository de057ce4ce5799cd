import { z } from 'zod';
import type { ApiRoutes } from '../../server/app.ts';
import { AppError } from '../../platform/errors.ts';
import { isLang, LANGUAGES } from '../../platform/i18n.ts';
import { parse } from '../../platform/validation.ts';

export const MAX_QUERY_LENGTH = 200;

const routeQuery = z.object({
  q: z.string().trim().min(1, 'required').max(MAX_QUERY_LENGTH, 'too_long'),
  lang: z.enum(LANGUAGES).optional(),
  suggest: z.enum(['1', 'true', '0', 'false']).optional(),
});

export const clickInput = z.object({
  queryId: z.uuid(),
  kind: z.enum(['service', 'unit', 'page']),
  id: z.uuid(),
  rank: z.coerce.number().int().min(1).max(100),
});

/**
 * GET /api/v1/route?q=&lang=[&suggest=1]: the routing engine for anyone (anonymous allowed).
 * A full query is logged anonymously (text, language, top result, result count) and answers
 * with its queryId; autocomplete (suggest=1) returns at most 6 results and is not logged —
 * residents' half-typed words are not questions. POST /api/v1/route/click records which
 * result of a logged query the resident followed.
 */
export const routingApi: ApiRoutes = (app, services) => {
  app.get('/api/v1/route', async (req) => {
    const { tenant, lang: requestLang } = req.aukio;
    const input = parse(routeQuery, req.query ?? {});
    const lang = input.lang && tenant.languages.includes(input.lang) ? input.lang : isLang(requestLang) ? requestLang : tenant.defaultLanguage;
    const suggest = input.suggest === '1' || input.suggest === 'true';
    return services.routing.route(tenant, input.q, lang, { suggest, log: !suggest });
  });

  app.post('/api/v1/route/click', async (req, reply) => {
    const { tenant } = req.aukio;
    const input = parse(clickInput, req.body ?? {});
    const path = await services.routing.click(tenant.id, input.queryId, input.kind, input.id, input.rank);
    if (!path) throw new AppError('not_found', 404);
    return reply.code(204).send();
  });
};
