import { existsSync } from 'node:fs';
import { closeSseStreamsOnShutdown } from './sse.ts';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { createRequestHandler, type AppLoadContext, type ServerBuild } from 'react-router';
import { ZodError } from 'zod';
import { ANONYMOUS } from '../modules/identity/actor.ts';
import { randomBytesPooled, randomToken, safeEqual } from '../platform/crypto.ts';
import { AppError, errorBody, errorMessage, type ErrorCode } from '../platform/errors.ts';
import { isLang, LANGUAGES, negotiateLanguage, type Lang } from '../platform/i18n.ts';
import type { RequestContext } from './context.ts';
import { createMetrics } from './metrics.ts';
import { MICROCACHE_HEADER, PageEtags, PageMicrocache, VALID_UNTIL_HEADER } from './microcache.ts';
import type { Services } from './services.ts';
import { CHAT_ATTACHMENT_MAX_BYTES, FRAME_ANCESTORS_HEADER } from '../modules/inbox/chat.ts';

export const SESSION_COOKIE = 'aukio_session';
export const CSRF_COOKIE = 'aukio_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Paths that need no tenant: probes, metrics and built static assets. */
function isInfraPath(url: string) {
  return (
    url === '/healthz' || url === '/readyz' || url === '/metrics' || url.startsWith('/assets/') || url === '/favicon.ico' || url === '/favicon.svg'
  );
}
const isApiPath = (url: string) => url.startsWith('/api/') || url === '/api';

/** API route plugins register themselves here; each module owns its routes. */
export type ApiRoutes = (app: FastifyInstance, services: Services) => void | Promise<void>;

export interface AppOptions {
  /** The built React Router server (build/server/index.js); pages are off without it. */
  webBuild?: ServerBuild;
  clientDir?: string;
  apiRoutes?: ApiRoutes[];
}

export interface AukioApp {
  app: FastifyInstance;
  /** Marks the instance not ready, so a load balancer stops sending before close(). */
  drain(): void;
}

export async function buildApp(services: Services, opts: AppOptions = {}): Promise<AukioApp> {
  const { config, log } = services;
  let draining = false;

  // Typed as the base instance: the pino logger's richer type buys nothing here.
  const app: FastifyInstance = Fastify({
    loggerInstance: log.child({ component: 'http' }),
    // Fastify's own request lines carry the raw URL (query strings can hold personal
    // data); ours, written in onResponse, carry method, route pattern and status only.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.BODY_LIMIT,
    trustProxy: config.TRUST_PROXY,
    // While draining, requests on kept-alive connections get our own 503 (onRequest below).
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    requestIdHeader: false,
    // A URL that does not decode never reaches the hooks; answer it in our shape, too.
    frameworkErrors: (_err, req, rawReply) => {
      const reply = rawReply as unknown as FastifyReply;
      const seg = req.url.split('/')[1];
      const lang: Lang = isLang(seg) ? seg : 'fi';
      if (isApiPath(req.url)) return sendError(reply, new AppError('bad_request', 400), lang);
      return reply.code(400).type('text/html; charset=utf-8').send(simpleErrorPage('bad_request', lang));
    },
    // Requests node:http cannot even parse: the error shape, never the parser's message.
    clientErrorHandler: (err, socket) => {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
      const [status, reason] = e.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large'] : [400, 'Bad Request'];
      const body = JSON.stringify(errorBody(new AppError('bad_request', 400), 'fi'));
      socket.end(
        `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    },
  }) as unknown as FastifyInstance;

  await app.register(fastifyCookie);
  // The API speaks JSON only; a text/plain body would otherwise reach handlers as a string.
  app.removeContentTypeParser('text/plain');
  const metrics = createMetrics();
  // The request line has a fixed shape with nothing personal in it, so it skips the
  // (per-call, wildcard) redaction the general logger applies.
  const httpLog = log.child({ component: 'http' }, { redact: [] });

  const cookieBase = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.COOKIE_SECURE };

  app.decorateRequest('aukio', null as unknown as RequestContext);

  app.addHook('onRequest', async (req, reply) => {
    (req as FastifyRequest & { startedAt?: bigint }).startedAt = process.hrtime.bigint();
    if (isInfraPath(req.url)) return;
    if (draining) {
      // Shutting down: in-flight requests finish, new ones go to another instance.
      reply.header('connection', 'close');
      return sendError(reply, new AppError('unavailable', 503, undefined, { 'retry-after': '5' }), 'fi');
    }
    const tenant = await services.tenancy.resolveByHost(req.headers.host);
    const lang = requestLang(req, tenant?.languages ?? [...LANGUAGES], tenant?.defaultLanguage ?? 'fi');
    if (!tenant) {
      // Open311 clients on a shared API host name their tenant with jurisdiction_id; the
      // Open311 routes resolve it (src/modules/feedback/open311.ts) and answer 404 otherwise.
      if (req.url === '/open311' || req.url.startsWith('/open311/')) return;
      // Never fall back to another tenant's site for an unknown host.
      if (isApiPath(req.url)) return sendError(reply, new AppError('unknown_tenant', 404), lang);
      return reply.code(404).type('text/html; charset=utf-8').send(unknownTenantPage());
    }

    let csrfToken = req.cookies[CSRF_COOKIE];
    // Only our own token format: it is written into pages (see microcache.ts).
    if (!csrfToken || !/^[\w-]{20,100}$/.test(csrfToken)) {
      csrfToken = randomToken(24);
      reply.setCookie(CSRF_COOKIE, csrfToken, cookieBase);
    }
    const proto = req.protocol;
    const ctx: RequestContext = {
      services,
      tenant,
      actor: ANONYMOUS,
      sessionStatus: 'none',
      pendingSecondFactor: false,
      lang,
      nonce: randomBytesPooled(16).toString('base64'),
      csrfToken,
      ip: req.ip,
      origin: `${proto}://${req.headers.host}`,
      cookies: {
        session: (token) =>
          app.serializeCookie(SESSION_COOKIE, token, { ...cookieBase, maxAge: config.SESSION_TTL_MINUTES * 60 }),
        clearSession: () => app.serializeCookie(SESSION_COOKIE, '', { ...cookieBase, maxAge: 0 }),
      },
    };
    req.aukio = ctx;

    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      const token = await services.apiTokens.authenticate(tenant.id, auth.slice(7).trim());
      if (!token) return sendError(reply, new AppError('unauthenticated', 401), lang);
      ctx.actor = { kind: 'api_token', token };
      return;
    }
    const sessionToken = req.cookies[SESSION_COOKIE];
    if (sessionToken) {
      const s = await services.sessions.lookup(tenant.id, sessionToken);
      if (s.status === 'valid') {
        ctx.sessionStatus = 'valid';
        ctx.pendingSecondFactor = s.pendingSecondFactor;
        // A half-signed-in staff session acts as anonymous everywhere except the TOTP step.
        if (!s.pendingSecondFactor) ctx.actor = s.actor;
      } else {
        ctx.sessionStatus = s.status === 'expired' ? 'expired' : 'none';
        reply.header('set-cookie', ctx.cookies.clearSession());
        if (isApiPath(req.url) && s.status === 'expired') {
          return sendError(reply, new AppError('session_expired', 401), lang);
        }
      }
    }
  });

  // Map tiles: https origins are already in img-src; a plain-http tile server (an intranet
  // one) must be named. A path template is 'self'.
  const mapImgSrc = /^http:\/\//.test(config.MAP_TILE_URL) ? ` ${new URL(config.MAP_TILE_URL.replace(/[{}]/g, '')).origin}` : '';

  // Hooks that never wait are written with `done`: an async hook costs a promise per request.
  app.addHook('onSend', (req, reply, payload, done) => {
    // A response that asked for a sandbox (user-uploaded files) keeps it on top of the default policy.
    const sandbox = String(reply.getHeader('content-security-policy') ?? '').includes('sandbox');
    const frameAncestors = embedAncestors(reply);
    setSecurityHeaders(reply, req.aukio?.nonce, config.COOKIE_SECURE, mapImgSrc, frameAncestors);
    if (sandbox) reply.header('content-security-policy', `${reply.getHeader('content-security-policy')}; sandbox`);
    // A 304 makes the browser reuse its stored page, whose inline scripts carry the nonce of
    // the response that delivered it; a new CSP here would replace the stored one and block them.
    if (reply.statusCode === 304) reply.removeHeader('content-security-policy');
    done(null, payload);
  });

  app.addHook('onResponse', (req, reply, done) => {
    const started = (req as FastifyRequest & { startedAt?: bigint }).startedAt;
    const route = req.routeOptions?.url ?? 'unmatched';
    const seconds = started ? Number(process.hrtime.bigint() - started) / 1e9 : 0;
    const pattern = route.startsWith('/*') ? 'page' : route;
    metrics.observeRequest(req.method, pattern, reply.statusCode, seconds);
    httpLog.info({ method: req.method, route: pattern, status: reply.statusCode, ms: Math.round(seconds * 1000) }, 'request');
    done();
  });

  app.setErrorHandler((err, req, reply) => {
    const lang = req.aukio?.lang ?? 'fi';
    const appErr = toAppError(err);
    if (appErr.status >= 500) log.error({ err: { message: (err as Error).message, stack: (err as Error).stack }, route: req.routeOptions?.url }, 'request failed');
    if (!isApiPath(req.url) && req.aukio && !reply.sent) {
      return reply.code(appErr.status).type('text/html; charset=utf-8').send(simpleErrorPage(appErr.code, lang));
    }
    return sendError(reply, appErr, lang);
  });

  app.setNotFoundHandler((req, reply) => sendError(reply, new AppError('not_found', 404), req.aukio?.lang ?? 'fi'));

  // CSRF: every state-changing request that rides on cookies must echo the token,
  // as a header (API, fetch) or as the _csrf form field (pages). Bearer-token calls
  // carry no cookies and are exempt.
  const checkCsrf = async (req: FastifyRequest) => {
    const expected = req.aukio.csrfToken;
    let given = req.headers['x-csrf-token'];
    if (typeof given !== 'string' && !isApiPath(req.url)) given = await formCsrfField(req);
    if (typeof given !== 'string' || !safeEqual(given, expected)) throw new AppError('csrf_failed', 403);
  };
  app.addHook('preHandler', (req, _reply, done) => {
    if (SAFE_METHODS.has(req.method) || !req.aukio || req.aukio.actor.kind === 'api_token' || isInfraPath(req.url)) return done();
    // Endpoints another site posts to by design (SAML ACS) opt out with config: { csrf: false }
    // and must authenticate the post some other way.
    if ((req.routeOptions.config as { csrf?: boolean } | undefined)?.csrf === false) return done();
    checkCsrf(req).then(() => done(), done);
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    if (draining) return reply.code(503).send({ status: 'draining' });
    try {
      await services.db.query('select 1');
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'database_unavailable' });
    }
  });
  app.get('/metrics', async (_req, reply) => {
    reply.type(metrics.contentType);
    return metrics.render();
  });

  closeSseStreamsOnShutdown(app);
  for (const routes of opts.apiRoutes ?? []) {
    await app.register(async (api) => routes(api, services));
  }
  // Unknown API paths answer in the API's shape, not with the page 404 ('/api/*' misses '/api').
  app.all('/api', async () => {
    throw new AppError('not_found', 404);
  });
  app.all('/api/*', async () => {
    throw new AppError('not_found', 404);
  });

  if (opts.clientDir && existsSync(opts.clientDir)) {
    // wildcard: false registers one route per built file, so pages keep the catch-all.
    await app.register(fastifyStatic, {
      root: opts.clientDir,
      prefix: '/',
      wildcard: false,
      decorateReply: false,
      cacheControl: false,
      setHeaders: (res, path) => {
        // Hashed assets never change; other public files may.
        res.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
      },
    });
  }

  if (opts.webBuild) {
    const handle = createRequestHandler(opts.webBuild, config.NODE_ENV === 'production' ? 'production' : 'development');
    const microcache = new PageMicrocache();
    const etags = new PageEtags(opts.webBuild.assets?.version ?? 'dev');
    await app.register(async (web) => {
      // Pages get the raw body; React Router parses forms itself (urlencoded and multipart).
      web.removeAllContentTypeParsers();
      web.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
      const pageHandler = async (req: FastifyRequest, reply: FastifyReply) => {
        // Infra paths skip tenant resolution; one without a file (a browser asking for
        // /favicon.ico) is a 404, not a page render without a context.
        if (!req.aukio) throw new AppError('not_found', 404);
        const ctx = req.aukio;
        const values = { nonce: ctx.nonce, csrf: ctx.csrfToken };
        // Only anonymous GETs without any session may share a render (see microcache.ts).
        const shareable = req.method === 'GET' && ctx.actor.kind === 'anonymous' && ctx.sessionStatus === 'none';
        if (!shareable) {
          const response = await handle(toWebRequest(req), ctx as unknown as AppLoadContext);
          if (response.headers.has(MICROCACHE_HEADER)) {
            // A shareable page seen by someone signed in: personal, never stored for reuse.
            response.headers.set('cache-control', 'private, no-cache');
          }
          response.headers.delete(MICROCACHE_HEADER);
          response.headers.delete(VALID_UNTIL_HEADER);
          return sendWebResponse(reply, response);
        }
        // A publish bumps the content version: renders and tags of the old version are never used again.
        const contentVersion = await services.contentVersions.current(ctx.tenant.id);
        const url = `${ctx.origin}${req.url}`;
        const tagInput = { tenant: ctx.tenant, contentVersion, url, csrf: ctx.csrfToken };
        const inm = req.headers['if-none-match'];
        if (inm && etags.matches(inm, tagInput)) {
          // Answered before rendering: the browser's copy is still this page.
          return reply.code(304).header('cache-control', 'private, no-cache').header('etag', inm.split(',')[0].trim()).send();
        }
        const key = `${ctx.tenant.id}\n${contentVersion}\n${url}`;
        const hit = microcache.get(key, ctx.tenant);
        if (hit) {
          reply.code(hit.status);
          for (const [k, v] of hit.headers) reply.header(k, v);
          reply.header('etag', etags.tag(tagInput, hit.validUntil));
          return reply.send(microcache.fill(hit, values));
        }
        const response = await handle(toWebRequest(req), ctx as unknown as AppLoadContext);
        const optedIn = response.headers.has(MICROCACHE_HEADER);
        const validUntil = Number(response.headers.get(VALID_UNTIL_HEADER)) || 0;
        response.headers.delete(MICROCACHE_HEADER);
        response.headers.delete(VALID_UNTIL_HEADER);
        if (optedIn && response.status === 200 && response.body && !response.headers.has('set-cookie')) {
          // private: the page carries this visitor's CSRF token, so no shared cache may keep it;
          // no-cache: the browser revalidates every time, and gets a 304 while nothing changed.
          response.headers.set('cache-control', 'private, no-cache');
          const body = await response.text();
          microcache.set(key, microcache.prepare(response.status, [...response.headers], body, values, validUntil), ctx.tenant);
          reply.code(response.status);
          for (const [k, v] of response.headers) reply.header(k, v);
          reply.header('etag', etags.tag(tagInput, validUntil));
          return reply.send(body);
        }
        return sendWebResponse(reply, response);
      };
      web.route({ method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/*', handler: pageHandler });
      // Pages whose form uploads a file get that file's limit instead of BODY_LIMIT.
      // The feedback form carries up to FEEDBACK_MAX_ATTACHMENTS files of FEEDBACK_ATTACHMENT_MAX_BYTES,
      // plus the text fields; a single file over its limit is refused by the form's own check.
      const feedbackFormLimit = config.FEEDBACK_MAX_ATTACHMENTS * config.FEEDBACK_ATTACHMENT_MAX_BYTES + config.BODY_LIMIT;
      for (const [url, bodyLimit] of [
        ['/:lang/staff/catalog/import', config.CATALOG_IMPORT_MAX_BYTES],
        ['/:lang/feedback/new', feedbackFormLimit],
        // The chat page without JavaScript posts a file with its message.
        ['/:lang/chat', CHAT_ATTACHMENT_MAX_BYTES + config.BODY_LIMIT],
        // Newsroom editors upload images and attachments on the item page and the image bank.
        ['/:lang/staff/news/:id', config.NEWS_MEDIA_MAX_BYTES + config.BODY_LIMIT],
        ['/:lang/staff/news/images', config.NEWS_MEDIA_MAX_BYTES + config.BODY_LIMIT],
      ] as const) {
        web.route({ method: 'POST', url, bodyLimit, handler: pageHandler });
      }
    });
  }

  return {
    app,
    drain: () => {
      draining = true;
    },
  };
}

function requestLang(req: FastifyRequest, allowed: readonly Lang[], fallback: Lang): Lang {
  const q = (req.query as Record<string, unknown> | undefined)?.lang;
  if (isLang(q) && allowed.includes(q)) return q;
  const seg = req.url.split('/')[1];
  if (isLang(seg) && allowed.includes(seg)) return seg;
  return negotiateLanguage(req.headers['accept-language'], allowed, fallback);
}

async function formCsrfField(req: FastifyRequest): Promise<string | undefined> {
  const body = req.body;
  if (!Buffer.isBuffer(body)) return undefined;
  const type = String(req.headers['content-type'] ?? '');
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return new URLSearchParams(body.toString('utf8')).get('_csrf') ?? undefined;
  }
  if (type.startsWith('multipart/form-data')) {
    try {
      const form = await new Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
      const v = form.get('_csrf');
      return typeof v === 'string' ? v : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function toWebRequest(req: FastifyRequest): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) headers.append(k, x);
    else headers.set(k, String(v));
  }
  const url = `${req.aukio.origin}${req.url}`;
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && Buffer.isBuffer(req.body);
  return new Request(url, {
    method: req.method,
    headers,
    body: hasBody ? new Uint8Array(req.body as Buffer) : undefined,
  });
}

async function sendWebResponse(reply: FastifyReply, response: Response) {
  reply.code(response.status);
  for (const [k, v] of response.headers) {
    if (k === 'set-cookie') continue;
    reply.header(k, v);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length) appendSetCookies(reply, cookies);
  if (!response.body) return reply.send();
  return reply.send(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream));
}

/** Adds cookies to any the request hooks already set (the CSRF cookie, a cleared session). */
function appendSetCookies(reply: FastifyReply, cookies: string[]) {
  const existing = reply.getHeader('set-cookie');
  const prior = existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  reply.header('set-cookie', [...prior, ...cookies]);
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return new AppError('validation_failed', 400, { fields: zodFields(err) });
  const e = err as { statusCode?: number; code?: string; name?: string };
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.statusCode === 413) return new AppError('payload_too_large', 413);
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || e.statusCode === 415) return new AppError('unsupported_media_type', 415);
  if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.name === 'SyntaxError') {
    return new AppError('malformed_json', 400);
  }
  if (e.code === 'FST_ERR_VALIDATION') return new AppError('validation_failed', 400);
  if (e.statusCode === 404) return new AppError('not_found', 404);
  if (e.statusCode === 405) return new AppError('method_not_allowed', 405);
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new AppError('bad_request', 400);
  return new AppError('internal', 500);
}

/** Field path → issue code, e.g. {preferredLanguage: 'invalid_value'}; never the input values. */
function zodFields(err: ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of err.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[[...issue.path, key].map(String).join('.')] ??= 'unrecognized';
      continue;
    }
    fields[issue.path.length ? issue.path.map(String).join('.') : 'body'] ??= issue.code;
  }
  return fields;
}

export function sendError(reply: FastifyReply, err: AppError, lang: Lang) {
  if (err.headers) for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  return reply.code(err.status).type('application/json; charset=utf-8').send(errorBody(err, lang));
}

const CSP_TAIL = [
  `img-src 'self' data: https:`,
  `connect-src 'self'`,
  `font-src 'self'`,
  `object-src 'none'`,
  `base-uri 'none'`,
  `frame-ancestors 'none'`,
  `form-action 'self'`,
].join('; ');

/**
 * The embeddable chat page names the sites that may frame it (inbox_settings.allowed_origins)
 * in FRAME_ANCESTORS_HEADER; it becomes frame-ancestors and never leaves the server. Only
 * plain origins pass, so nothing else can be written into the policy.
 */
const ORIGIN_TOKEN = /^https?:\/\/(?:[a-z0-9.-]+|\[::1\])(?::\d{1,5})?$/;

function embedAncestors(reply: FastifyReply): string[] | null {
  const raw = reply.getHeader(FRAME_ANCESTORS_HEADER);
  if (raw === undefined) return null;
  reply.removeHeader(FRAME_ANCESTORS_HEADER);
  return String(raw)
    .split(/\s+/)
    .filter((o) => ORIGIN_TOKEN.test(o));
}

function setSecurityHeaders(reply: FastifyReply, nonce: string | undefined, secure: boolean, imgExtra = '', frameAncestors: string[] | null = null) {
  const n = nonce ? ` 'nonce-${nonce}'` : '';
  let tail = imgExtra ? CSP_TAIL.replace(`img-src 'self' data: https:`, `img-src 'self' data: https:${imgExtra}`) : CSP_TAIL;
  if (frameAncestors) tail = tail.replace(`frame-ancestors 'none'`, `frame-ancestors 'self'${frameAncestors.map((o) => ` ${o}`).join('')}`);
  reply.header('content-security-policy', `default-src 'self'; script-src 'self'${n}; style-src 'self'${n}; ${tail}`);
  reply.header('x-content-type-options', 'nosniff');
  // A page may ask for a stricter policy (the private follow-up link: same-origin).
  if (!reply.getHeader('referrer-policy')) reply.header('referrer-policy', 'strict-origin-when-cross-origin');
  // X-Frame-Options cannot name several sites; an embeddable page relies on frame-ancestors.
  if (frameAncestors) reply.removeHeader('x-frame-options');
  else reply.header('x-frame-options', 'DENY');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(self)');
  if (secure) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
}

/** The one page we can render without a tenant: trilingual, no tenant data. */
function unknownTenantPage() {
  const t = (code: ErrorCode) => LANGUAGES.map((l) => `<p lang="${l}">${errorMessage(code, l)}</p>`).join('');
  return `<!doctype html><html lang="fi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>404 – Aukio</title></head><body><main><h1>404</h1>${t('unknown_tenant')}</main></body></html>`;
}

function simpleErrorPage(code: ErrorCode, lang: Lang) {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${errorMessage(code, lang)}</title></head><body><main><h1>${errorMessage(code, lang)}</h1><p><a href="/${lang}">Aukio</a></p></main></body></html>`;
}
