import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiRoutes } from '../../server/app.ts';
import { AppError } from '../../platform/errors.ts';
import { LANGUAGES, negotiateLanguage } from '../../platform/i18n.ts';
import {
  Open311Service,
  open311Error,
  paramsFromJson,
  paramsFromSearch,
  render,
  toOpen311Errors,
  type Format,
  type Open311Request,
  type Params,
} from './open311.ts';

/**
 * Open311 GeoReport v2 at /open311/v2 (open311.ts holds the mapping and the rules).
 * Every resource answers as .json or .xml; errors are the spec's list of {code,
 * description} in the same format. POST takes application/x-www-form-urlencoded (the
 * spec's encoding) or JSON; it authenticates with api_key, not cookies, so it needs no
 * CSRF token.
 */
export const OPEN311_BASE = '/open311/v2';

const FORMATS = ['json', 'xml'] as const;

/** "pothole.xml" → ["pothole", "xml"]; a missing or other suffix → null. */
function splitFormat(file: string): [string, Format] | null {
  const dot = file.lastIndexOf('.');
  if (dot <= 0) return null;
  const fmt = file.slice(dot + 1).toLowerCase();
  return fmt === 'json' || fmt === 'xml' ? [file.slice(0, dot), fmt] : null;
}

const formatOf = (url: string): Format => (url.split('?')[0].toLowerCase().endsWith('.xml') ? 'xml' : 'json');

export const open311Api: ApiRoutes = (app, services) => {
  const open311 = new Open311Service(services);

  // The spec's POST encoding. Parsed here, for these routes only (the rest of the API is JSON).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, paramsFromSearch(new URLSearchParams(body as string)));
  });

  const requestOf = (req: FastifyRequest, withBody = false): Open311Request => {
    const query = paramsFromSearch(new URL(req.url, 'http://x').searchParams);
    let params: Params = query;
    if (withBody && req.body !== undefined && req.body !== null) {
      // Form bodies arrive as Params already; JSON bodies are flattened the same way. The
      // body wins over the query string for a name given in both.
      const body = isParams(req.body) ? req.body : paramsFromJson(req.body);
      params = { ...query, ...body };
    }
    const ctx = req.aukio as FastifyRequest['aukio'] | undefined;
    return {
      hostTenant: ctx?.tenant ?? null,
      params,
      acceptLanguage: req.headers['accept-language'],
      ip: ctx?.ip ?? req.ip,
      origin: ctx?.origin,
    };
  };

  const send = (reply: FastifyReply, format: Format, root: string, value: unknown, status = 200) => {
    const out = render(format, root, value as Parameters<typeof render>[2]);
    // Browser-based Open311 apps on other sites may read the answers: nothing here rides on
    // cookies (POST authenticates with api_key), and '*' never sends credentials.
    reply.header('access-control-allow-origin', '*');
    return reply.code(status).type(out.contentType).send(out.body);
  };

  app.setErrorHandler((err, req, reply) => {
    const e = toAppError(err);
    if (e.status >= 500) req.log.error({ err: { message: (err as Error).message, stack: (err as Error).stack }, route: req.routeOptions?.url }, 'open311 request failed');
    const lang = req.aukio?.lang ?? negotiateLanguage(req.headers['accept-language'], [...LANGUAGES], 'fi');
    const { status, errors } = toOpen311Errors(e, lang);
    // 429 (per-e-mail submission limit) keeps its status and Retry-After: retrying later helps.
    if (e.headers) for (const [k, v] of Object.entries(e.headers)) reply.header(k, v);
    return send(reply, formatOf(req.url), 'errors', errors, status);
  });

  for (const base of [OPEN311_BASE, '/open311']) {
    for (const fmt of FORMATS) {
      app.get(`${base}/discovery.${fmt}`, async (req, reply) => {
        const r = requestOf(req);
        const origin = req.aukio?.origin ?? `${req.protocol}://${req.headers.host}`;
        return send(reply, fmt, 'discovery', await open311.discovery(r, `${origin}${OPEN311_BASE}`));
      });
    }
  }

  for (const fmt of FORMATS) {
    app.get(`${OPEN311_BASE}/services.${fmt}`, async (req, reply) => send(reply, fmt, 'services', await open311.services(requestOf(req))));

    app.get(`${OPEN311_BASE}/requests.${fmt}`, async (req, reply) => send(reply, fmt, 'service_requests', await open311.requests(requestOf(req))));

    app.post(`${OPEN311_BASE}/requests.${fmt}`, { config: { csrf: false } }, async (req, reply) => {
      const key = req.headers['idempotency-key'];
      const created = await open311.post(requestOf(req, true), typeof key === 'string' ? key : undefined);
      reply.header('cache-control', 'no-store');
      return send(reply, fmt, 'service_requests', created, 201);
    });
  }

  app.get<{ Params: { file: string } }>(`${OPEN311_BASE}/services/:file`, async (req, reply) => {
    const [code, fmt] = splitFormat(req.params.file) ?? notFound();
    return send(reply, fmt, 'service_definition', await open311.definition(requestOf(req), code));
  });
  app.get<{ Params: { file: string } }>(`${OPEN311_BASE}/requests/:file`, async (req, reply) => {
    const [id, fmt] = splitFormat(req.params.file) ?? notFound();
    return send(reply, fmt, 'service_requests', await open311.request(requestOf(req), id));
  });
  app.get<{ Params: { file: string } }>(`${OPEN311_BASE}/tokens/:file`, async (req, reply) => {
    const [token, fmt] = splitFormat(req.params.file) ?? notFound();
    return send(reply, fmt, 'service_requests', await open311.token(requestOf(req), token));
  });

  // Anything else under /open311 answers in the spec's error shape, not with a web page.
  app.all('/open311', async () => notFound());
  app.all('/open311/*', async () => notFound());
};

function notFound(): never {
  throw open311Error(404, 'not found');
}

function isParams(v: unknown): v is Params {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => Array.isArray(x) && x.every((s) => typeof s === 'string'));
}

/** Fastify's own errors (body parsing, size) as AppErrors; anything unknown is a 500 without details. */
function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { statusCode?: number; code?: string; name?: string };
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.statusCode === 413) return new AppError('payload_too_large', 413);
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || e.statusCode === 415) return new AppError('unsupported_media_type', 415);
  if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.name === 'SyntaxError') return new AppError('malformed_json', 400);
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new AppError('bad_request', 400);
  return new AppError('internal', 500);
}
