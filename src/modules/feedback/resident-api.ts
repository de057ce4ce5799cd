import type { ApiRoutes } from '../../server/app.ts';
import { safeEqual } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { isLang, type Lang } from '../../platform/i18n.ts';
import { followPath } from './notify.ts';
import type { Category, IncomingFile, SubmissionInput } from './model.ts';

/**
 * The resident side of feedback as JSON: categories with their questions, the category
 * suggestion, submission and the private follow-up view; the address register's search and
 * reverse look-up. Staff endpoints (/api/v1/feedback/cases, /admin) and Open311 live elsewhere.
 */
type Q = Record<string, string | undefined>;

export const feedbackResidentApi: ApiRoutes = (app, services) => {
  const cases = services.feedback;
  const categories = services.feedbackCategories;
  const places = services.places;
  const langOf = (v: unknown, fallback: Lang): Lang => (isLang(v) ? v : fallback);

  app.get('/api/v1/feedback/categories', async (req) => {
    const { tenant, lang } = req.aukio;
    const q = (req.query ?? {}) as Q;
    const l = langOf(q.lang, lang);
    return { items: (await categories.listActive(tenant.id)).map((c) => publicCategory(c, l)) };
  });

  app.get('/api/v1/feedback/suggest', async (req) => {
    const { tenant, lang } = req.aukio;
    const q = (req.query ?? {}) as Q;
    const l = langOf(q.lang, lang);
    const hit = await categories.suggest(tenant, String(q.q ?? ''), l);
    return { category: hit ? publicCategory(hit, l) : null };
  });

  // Anonymous callers carry no credentials to ride on, and JSON cannot be posted cross-site
  // without a CORS preflight; a signed-in resident's call must still echo the CSRF token.
  app.post(
    '/api/v1/feedback',
    // Attachments come base64-encoded in JSON: a third larger than the files.
    { config: { csrf: false }, bodyLimit: Math.ceil(services.config.FEEDBACK_MAX_ATTACHMENTS * services.config.FEEDBACK_ATTACHMENT_MAX_BYTES * 1.4) + services.config.BODY_LIMIT },
    async (req, reply) => {
      const { actor, tenant, ip, origin, lang, csrfToken } = req.aukio;
      if (actor.kind !== 'anonymous' && actor.kind !== 'api_token') {
        const given = req.headers['x-csrf-token'];
        if (typeof given !== 'string' || !safeEqual(given, csrfToken)) throw new AppError('csrf_failed', 403);
      }
      const body = req.body;
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('validation_failed', 400, { fields: { body: 'invalid_type' } });
      const b = body as Record<string, unknown>;
      const l = langOf(b.lang, lang);
      const contact = (b.contact && typeof b.contact === 'object' ? b.contact : {}) as Record<string, unknown>;
      const header = req.headers['idempotency-key'];
      const input: SubmissionInput = {
        categoryCode: String(b.category ?? b.categoryCode ?? ''),
        description: typeof b.description === 'string' ? b.description : '',
        attributes: b.attributes && typeof b.attributes === 'object' && !Array.isArray(b.attributes) ? (b.attributes as SubmissionInput['attributes']) : undefined,
        lat: numOrNull(b.lat),
        lon: numOrNull(b.lon),
        address: typeof b.address === 'string' ? b.address : null,
        contactName: (contact.name ?? b.contactName ?? null) as string | null,
        contactEmail: (contact.email ?? b.contactEmail ?? null) as string | null,
        contactPhone: (contact.phone ?? b.contactPhone ?? null) as string | null,
        lang: l,
        files: jsonFiles(b.attachments),
        idempotencyKey: typeof header === 'string' ? header : typeof b.idempotencyKey === 'string' ? b.idempotencyKey : null,
        honeypot: typeof b.website === 'string' ? b.website : null,
      };
      const r = await cases.submit(actor, tenant.id, input, { channel: 'web', ip, origin });
      // A repeat gets the same answer; the follow link exists only while its token is known.
      const followUrl = r.followToken ? `${origin}${followPath(l, r.followToken)}` : null;
      return reply.code(r.repeated ? 200 : 201).send({ number: r.number, followUrl, repeated: r.repeated });
    },
  );

  app.get<{ Params: { token: string } }>('/api/v1/feedback/follow/:token', async (req, reply) => {
    const { tenant } = req.aukio;
    reply.header('cache-control', 'private, no-store').header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex');
    return cases.followView(tenant.id, req.params.token);
  });

  app.get('/api/v1/places/search', async (req) => {
    const { tenant, lang } = req.aukio;
    const q = (req.query ?? {}) as Q;
    return { items: await places.search(tenant.id, String(q.q ?? ''), langOf(q.lang, lang), Number(q.limit) || 8) };
  });

  app.get('/api/v1/places/reverse', async (req) => {
    const { tenant, lang } = req.aukio;
    const q = (req.query ?? {}) as Q;
    const lat = Number(q.lat);
    const lon = Number(q.lon);
    if (q.lat === undefined || q.lon === undefined || !Number.isFinite(lat) || !Number.isFinite(lon)) {
      throw new AppError('validation_failed', 400, { fields: { location: 'required' } });
    }
    return { place: await places.reverse(tenant.id, lat, lon, langOf(q.lang, lang)) };
  });
};

/** What a resident (or a form) needs to know of a category; no unit ids or keywords. */
export function publicCategory(c: Category, lang: Lang) {
  const name = (v: Partial<Record<Lang, string | null>>) => v[lang] || v.fi || v.sv || v.en || '';
  return {
    code: c.code,
    name: name(c.names),
    description: name(c.descriptions) || null,
    group: name(c.groupNames) || null,
    locationMode: c.locationMode,
    accessibility: c.accessibility,
    attributes: [...c.attributes]
      .sort((a, b) => a.order - b.order)
      .map((a) => ({ code: a.code, datatype: a.datatype, required: a.required, description: name(a.description), values: a.values.map((v) => ({ key: v.key, name: name(v.name) })) })),
  };
}

function numOrNull(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : NaN;
}

/** Attachments in JSON: [{filename, data: base64, keepLocation?}]. */
function jsonFiles(v: unknown): IncomingFile[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new AppError('validation_failed', 400, { fields: { attachments: 'invalid_type' } });
  return v.map((f) => {
    const o = (f ?? {}) as Record<string, unknown>;
    if (typeof o.data !== 'string') throw new AppError('validation_failed', 400, { fields: { attachments: 'invalid_type' } });
    return { filename: String(o.filename ?? 'attachment'), data: new Uint8Array(Buffer.from(o.data, 'base64')), keepLocation: o.keepLocation === true };
  });
}
