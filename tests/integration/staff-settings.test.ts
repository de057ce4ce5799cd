import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureEmailAdapter } from '../../src/adapters/email/capture.ts';
import { engines, type TestEngine } from '../helpers/engines.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { staffClient } from '../helpers/staff-session.ts';

/*
 * Staff console admin pages and their APIs: tenant settings, API tokens, audit log,
 * background jobs and the outbox — on PGlite and on real PostgreSQL.
 */

// A job whose remote end is "down" until the test repairs it: it fails for good at once
// (retryLimit 0), so it lands on the Jobs page, and succeeds when retried after the repair.
const repaired = new Set<string>();
const completed = new Set<string>();

/** startTestApp plus one test-only job. */
function startApp(engine: TestEngine['name']): Promise<TestApp> {
  return startTestApp(engine, {
    defineJobs: (services) =>
      services.jobs.define<{ tenantId: string; key: string }>({
        name: 'test.remote_call',
        priority: 'urgent',
        retryLimit: 0,
        handler: async (data) => {
          if (!repaired.has(data.key)) throw new Error(`remote system unavailable (${data.key})`);
          completed.add(data.key);
        },
      }),
  });
}


const bearer = (app: TestApp, host: string, token: string) => (path: string, init: { method?: string; body?: unknown } = {}) =>
  hostFetch(app, host)(path, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });

async function auditRows(app: TestApp, tenantId: string, action: string) {
  return (
    await app.services.db.query<{ actor_kind: string; actor_id: string | null; target_id: string | null; details: Record<string, unknown> }>(
      'select actor_kind, actor_id, target_id, details from audit_log where tenant_id = $1 and action = $2 order by id',
      [tenantId, action],
    )
  ).rows;
}

async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 30_000, stepMs = 250): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** The token shown once on the API tokens page after creation. */
function secretFrom(html: string): string {
  const m = /id="new-token"[^>]*value="(aukio_[A-Za-z0-9_-]+)"/.exec(html) ?? /value="(aukio_[A-Za-z0-9_-]+)"[^>]*id="new-token"/.exec(html);
  if (!m) throw new Error('no token on the page');
  return m[1];
}

/** Registers nothing: for a test that cannot apply to an engine (not a skip). */
const notOnThisEngine = (() => undefined) as unknown as typeof it;

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`staff console admin pages on ${engine.name}`, () => {
    let app: TestApp;
    let adminA: Awaited<ReturnType<typeof staffClient>>;
    let adminB: Awaited<ReturnType<typeof staffClient>>;
    let comms: Awaited<ReturnType<typeof staffClient>>;
    let service: Awaited<ReturnType<typeof staffClient>>;
    let unitStaff: Awaited<ReturnType<typeof staffClient>>;

    beforeAll(async () => {
      app = await startApp(engine.name);
      adminA = await staffClient(app, HOST_A, 'admin@esimerkkila.fi');
      adminB = await staffClient(app, HOST_B, 'admin@jarvikyla.fi');
      comms = await staffClient(app, HOST_A, 'viestinta@esimerkkila.fi');
      service = await staffClient(app, HOST_A, 'asiakaspalvelu@esimerkkila.fi');
      unitStaff = await staffClient(app, HOST_A, 'paivakoti@esimerkkila.fi');
    });
    afterAll(async () => {
      await app?.close();
    });

    describe('access', () => {
      it('sends anonymous visitors to sign-in', async () => {
        for (const page of ['settings', 'api-tokens', 'audit', 'jobs', 'outbox']) {
          const r = await hostFetch(app, HOST_A)(`/fi/staff/${page}`);
          expect(r.status).toBe(302);
          expect(r.headers.get('location')).toBe(`/fi/staff/sign-in?next=${encodeURIComponent(`/fi/staff/${page}`)}`);
        }
      });

      it('gives other roles a localized 403 on the admin pages, in the console layout', async () => {
        for (const page of ['settings', 'api-tokens', 'audit', 'jobs']) {
          const r = await comms.get(`/fi/staff/${page}`);
          expect(r.status).toBe(403);
          const html = await r.text();
          expect(html).toContain('Ei käyttöoikeutta');
          expect(html).toContain('Työtilan valikko');
        }
        const sv = await service.get('/sv/staff/settings');
        expect(sv.status).toBe(403);
        expect(await sv.text()).toContain('Ingen behörighet');
        // The outbox is open to communications and customer service, not to unit staff.
        expect((await comms.get('/fi/staff/outbox')).status).toBe(200);
        expect((await service.get('/en/staff/outbox')).status).toBe(200);
        expect((await unitStaff.get('/fi/staff/outbox')).status).toBe(403);
      });

      it('refuses posts from other roles (403) and changes nothing', async () => {
        const before = await app.services.tenancy.get(adminA.tenantId);
        const r = await comms.post('/fi/staff/settings', { languages: ['fi'], defaultLanguage: 'fi', 'theme.primary': '#000000', 'theme.accent': '#ffffff' });
        expect(r.status).toBe(403);
        expect((await app.services.tenancy.get(adminA.tenantId)).theme).toEqual(before.theme);
        expect((await comms.post('/fi/staff/api-tokens', { intent: 'create', name: 'x', scopes: 'audit:read' })).status).toBe(403);
        expect((await app.services.apiTokens.list(adminA.tenantId)).filter((t) => t.name === 'x')).toHaveLength(0);
      });
    });

    describe('tenant settings', () => {
      it('shows the current settings in a labelled form', async () => {
        const r = await adminA.get('/fi/staff/settings');
        expect(r.status).toBe(200);
        const html = await r.text();
        expect(html).toContain('<title>Organisaation asetukset</title>');
        expect(html).toMatch(/<label for="f-theme-primary">Pääväri<\/label>/);
        expect(html).toContain('value="#00477f"');
        expect(html).toContain('name="accessibilityStatement.sv"');
        expect(html).toContain('name="privacyNotice.en"');
        expect(html).toContain('name="_csrf"');
        expect(html.match(/<h1[ >]/g)).toHaveLength(1);
        // Järvikylä has Finnish only: one statement field, for Finnish.
        const b = await (await adminB.get('/fi/staff/settings')).text();
        expect(b).toContain('name="accessibilityStatement.fi"');
        expect(b).not.toContain('name="accessibilityStatement.sv"');
      });

      it('saves a change, audits the changed fields, and the portal shows it at once', async () => {
        // Warm the tenant cache with the old statement first.
        const old = await (await hostFetch(app, HOST_A)('/sv/accessibility')).text();
        expect(old).toContain('strävar efter');
        const auditBefore = (await auditRows(app, adminA.tenantId, 'admin.settings_changed')).length;

        const statement = 'Exempelby har granskat tjänsten i november 2026.\r\n\r\nRespons om tillgängligheten: kirjaamo@esimerkkila.fi.';
        const r = await adminA.post('/fi/staff/settings', {
          languages: ['fi', 'sv', 'en'],
          defaultLanguage: 'fi',
          'theme.primary': '#123456',
          'theme.accent': '#ffc61e',
          'theme.logoUrl': '',
          'contact.phone': '+358 9 123 4567',
          'contact.email': 'kirjaamo@esimerkkila.fi',
          'accessibilityStatement.sv': statement,
        });
        expect(r.status).toBe(302);
        expect(r.headers.get('location')).toBe('/fi/staff/settings?saved=1');

        const page = await (await hostFetch(app, HOST_A)('/sv/accessibility')).text();
        expect(page).toContain('<p>Exempelby har granskat tjänsten i november 2026.</p>');
        expect(page).toContain('<p>Respons om tillgängligheten: kirjaamo@esimerkkila.fi.</p>');
        expect(page).toContain('--brand:#123456');
        // Other languages' statements are untouched.
        expect(await (await hostFetch(app, HOST_A)('/fi/accessibility')).text()).toContain('pyrkii takaamaan');

        const rows = await auditRows(app, adminA.tenantId, 'admin.settings_changed');
        expect(rows).toHaveLength(auditBefore + 1);
        const last = rows[rows.length - 1];
        expect(last.actor_kind).toBe('staff');
        expect(last.actor_id).toBe(adminA.userId);
        expect(last.details.fields).toEqual(['theme.primary', 'accessibilityStatement.sv']);

        const saved = await (await adminA.get('/fi/staff/settings?saved=1')).text();
        expect(saved).toMatch(/role="status"[^>]*>\s*<p>Asetukset tallennettu\.<\/p>/);
        expect(saved).toContain('value="#123456"');
      });

      it('re-renders the form with field errors and saves nothing when input is invalid', async () => {
        const before = await app.services.tenancy.get(adminA.tenantId);
        const auditBefore = (await auditRows(app, adminA.tenantId, 'admin.settings_changed')).length;
        const r = await adminA.post('/en/staff/settings', {
          languages: ['fi', 'sv', 'en'],
          defaultLanguage: 'fi',
          'theme.primary': '#ffff00',
          'theme.accent': '#ffc61e',
          'contact.email': 'not-an-address',
          'accessibilityStatement.en': 'A new statement that must not be saved.',
        });
        expect(r.status).toBe(400);
        const html = await r.text();
        expect(html).toContain('role="alert"');
        expect(html).toMatch(/aria-describedby="f-contact-email-error"/);
        expect(html).toContain('id="f-contact-email-error"');
        expect(html).toContain('Give an e-mail address such as name@example.fi.');
        // What was typed is kept.
        expect(html).toContain('value="not-an-address"');
        expect(html).toContain('A new statement that must not be saved.');
        expect(await app.services.tenancy.get(adminA.tenantId)).toEqual(before);
        expect(await auditRows(app, adminA.tenantId, 'admin.settings_changed')).toHaveLength(auditBefore);

        // Colour rules come from TenancyService: white text needs 4.5:1.
        const colour = await adminA.post('/en/staff/settings', {
          languages: ['fi', 'sv', 'en'],
          defaultLanguage: 'fi',
          'theme.primary': '#ffff00',
          'theme.accent': '#ffc61e',
        });
        expect(colour.status).toBe(400);
        expect(await colour.text()).toContain('white text on it needs a contrast of at least 4.5:1');

        const langs = await adminA.post('/en/staff/settings', { defaultLanguage: 'fi', 'theme.primary': '#123456', 'theme.accent': '#ffc61e' });
        expect(langs.status).toBe(400);
        expect(await langs.text()).toContain('Choose at least one language.');
        const notEnabled = await adminA.post('/en/staff/settings', { languages: ['fi', 'sv'], defaultLanguage: 'en' });
        expect(notEnabled.status).toBe(400);
        expect(await notEnabled.text()).toContain('The default language must be one of the enabled languages.');
        expect(await app.services.tenancy.get(adminA.tenantId)).toEqual(before);
      });

      it('enables and disables languages for the portal', async () => {
        const r = await adminB.post('/fi/staff/settings', { languages: ['fi', 'sv'], defaultLanguage: 'fi', 'names.fi': 'Järvikylän kunta' });
        expect(r.status).toBe(302);
        // Järvikylä has a Swedish name already in its seed: /sv works at once.
        expect((await hostFetch(app, HOST_B)('/sv')).status).toBe(200);
        const back = await adminB.post('/fi/staff/settings', { languages: ['fi'], defaultLanguage: 'fi' });
        expect(back.status).toBe(302);
        expect((await hostFetch(app, HOST_B)('/sv')).status).toBe(404);
        const rows = await auditRows(app, adminB.tenantId, 'admin.settings_changed');
        expect(rows.map((x) => x.details.fields)).toEqual([['languages'], ['languages']]);
        // Tenant A's log has none of B's changes.
        const a = await auditRows(app, adminA.tenantId, 'admin.settings_changed');
        expect(a.every((x) => !(x.details.fields as string[]).includes('languages'))).toBe(true);
      });

      // Two instances need a shared server database; PGlite lives inside one process.
      (engine.name === 'postgres' ? it : notOnThisEngine)('drops the tenant cache of every instance, through the event bus', async () => {
        const other = await startTestApp(engine.name, { databaseUrl: app.databaseUrl, work: false });
        try {
          // The second instance caches the tenant, then the first one changes it.
          expect(await (await hostFetch(other, HOST_A)('/en/accessibility')).text()).toContain('aims to ensure');
          const r = await adminA.api('PATCH', '/api/v1/tenant/settings', { accessibilityStatement: { en: 'Reviewed on another instance.' } });
          expect(r.status).toBe(200);
          await waitFor(async () => (await (await hostFetch(other, HOST_A)('/en/accessibility')).text()).includes('Reviewed on another instance.'), 3000, 50);
        } finally {
          await other.close();
        }
      });

      it('GET/PATCH /api/v1/tenant/settings for a tenant admin session, with CSRF', async () => {
        const get = await adminA.api('GET', '/api/v1/tenant/settings');
        expect(get.status).toBe(200);
        const s = await get.json();
        expect(s.languages).toEqual(['fi', 'sv', 'en']);
        expect(s.accessibilityStatement.sv).toContain('Exempelby har granskat');

        const noCsrf = await adminA.api('PATCH', '/api/v1/tenant/settings', { contact: { phone: '+358 40 000 0000' } }, { csrf: false });
        expect(noCsrf.status).toBe(403);
        expect((await noCsrf.json()).error.code).toBe('csrf_failed');

        const patch = await adminA.api('PATCH', '/api/v1/tenant/settings', { contact: { phone: '+358 40 000 0000' }, privacyNotice: { en: 'New privacy notice.' } });
        expect(patch.status).toBe(200);
        const body = await patch.json();
        expect(body.changed).toEqual(['contact.phone', 'privacyNotice.en']);
        expect(body.settings.contact.phone).toBe('+358 40 000 0000');
        expect(body.settings.contact.email).toBe('kirjaamo@esimerkkila.fi');
        expect(await (await hostFetch(app, HOST_A)('/en/privacy')).text()).toContain('New privacy notice.');
        expect((await (await hostFetch(app, HOST_A)('/api/v1/tenant')).json()).contact.phone).toBe('+358 40 000 0000');

        const same = await adminA.api('PATCH', '/api/v1/tenant/settings', { contact: { phone: '+358 40 000 0000' } });
        expect((await same.json()).changed).toEqual([]);
      });

      it('answers bad settings input with 400 in the error shape', async () => {
        const cases: [unknown, string][] = [
          [{ theme: { primary: 'blue' } }, 'theme.primary'],
          [{ contact: { email: 'x' } }, 'contact.email'],
          [{ languages: [] }, 'languages'],
          [{ languages: ['de'] }, 'languages.0'],
          [{ defaultLanguage: 'de' }, 'defaultLanguage'],
          [{ accessibilityStatement: { fi: 'x'.repeat(20_001) } }, 'accessibilityStatement.fi'],
          [{ theme: { logoUrl: 'javascript:alert(1)' } }, 'theme.logoUrl'],
          [{ names: 'Esimerkkilä' }, 'names'],
        ];
        for (const [input, field] of cases) {
          const r = await adminA.api('PATCH', '/api/v1/tenant/settings', input);
          expect(r.status, JSON.stringify(input).slice(0, 80)).toBe(400);
          const e = await r.json();
          expect(e.error.code).toBe('validation_failed');
          expect(Object.keys(e.error.fields)).toContain(field);
        }
        const unknown = await adminA.api('PATCH', '/api/v1/tenant/settings', { slug: 'other' });
        expect(unknown.status).toBe(400);
        const malformed = await hostFetch(app, HOST_A)('/api/v1/tenant/settings', {
          method: 'PATCH',
          headers: { cookie: '', 'content-type': 'application/json' },
          body: '{"theme":',
        });
        expect(malformed.status).toBeGreaterThanOrEqual(400);
        expect(malformed.status).toBeLessThan(500);
        expect((await hostFetch(app, HOST_A)('/api/v1/tenant/settings')).status).toBe(401);
        const forbidden = await comms.api('GET', '/api/v1/tenant/settings');
        expect(forbidden.status).toBe(403);
        expect((await forbidden.json()).error.code).toBe('forbidden');
      });
    });

    describe('API tokens', () => {
      let settingsToken: string;
      let settingsTokenId: string;

      it('creates a token, shows the secret once, and the token authenticates Bearer calls', async () => {
        const page = await adminA.get('/fi/staff/api-tokens');
        expect(page.status).toBe(200);
        const html = await page.text();
        expect(html).toContain('admin:settings');
        expect(html).toContain('open311');
        expect(html).toContain('<title>API-avaimet</title>');

        const r = await adminA.post('/fi/staff/api-tokens', { intent: 'create', name: 'Asetusintegraatio', scopes: ['admin:settings', 'audit:read'] });
        expect(r.status).toBe(200);
        expect(r.headers.get('cache-control')).toBe('no-store');
        const created = await r.text();
        settingsToken = secretFrom(created);
        expect(created).toContain('Avain luotu: Asetusintegraatio');

        const stored = await app.services.db.query<{ id: string; token_hash: string; prefix: string; scopes: string[] }>(
          'select id, token_hash, prefix, scopes from api_tokens where tenant_id = $1 and name = $2',
          [adminA.tenantId, 'Asetusintegraatio'],
        );
        settingsTokenId = stored.rows[0].id;
        expect(stored.rows[0].token_hash).not.toContain(settingsToken);
        expect(settingsToken.startsWith(stored.rows[0].prefix)).toBe(true);
        expect(stored.rows[0].scopes).toEqual(['admin:settings', 'audit:read']);

        // The list shows the prefix, never the secret again.
        const list = await (await adminA.get('/fi/staff/api-tokens')).text();
        expect(list).toContain('Asetusintegraatio');
        expect(list).toContain(stored.rows[0].prefix);
        expect(list).not.toContain(settingsToken);

        const call = await bearer(app, HOST_A, settingsToken)('/api/v1/tenant/settings');
        expect(call.status).toBe(200);
        expect((await call.json()).defaultLanguage).toBe('fi');
        const patch = await bearer(app, HOST_A, settingsToken)('/api/v1/tenant/settings', { method: 'PATCH', body: { contact: { url: 'https://esimerkkila.fi' } } });
        expect(patch.status).toBe(200);
        const rows = await auditRows(app, adminA.tenantId, 'admin.settings_changed');
        const last = rows[rows.length - 1];
        expect(last.actor_kind).toBe('api_token');
        expect(last.actor_id).toBe(settingsTokenId);
        expect(last.details.fields).toEqual(['contact.url']);

        const createdRows = await auditRows(app, adminA.tenantId, 'admin.api_token_created');
        expect(createdRows.at(-1)!.target_id).toBe(settingsTokenId);
        expect(JSON.stringify(createdRows.at(-1)!.details)).not.toContain(settingsToken);
        const used = (await app.services.apiTokens.list(adminA.tenantId)).find((t) => t.id === settingsTokenId)!;
        expect(used.lastUsedAt).not.toBeNull();
      });

      it('enforces scopes (403) and tenants (401)', async () => {
        const r = await adminA.post('/fi/staff/api-tokens', { intent: 'create', name: 'Vain luku', scopes: 'audit:read' });
        const auditOnly = secretFrom(await r.text());
        const settings = await bearer(app, HOST_A, auditOnly)('/api/v1/tenant/settings');
        expect(settings.status).toBe(403);
        expect((await settings.json()).error).toMatchObject({ code: 'forbidden', requiredScope: 'admin:settings' });
        expect((await bearer(app, HOST_A, auditOnly)('/api/v1/audit')).status).toBe(200);
        // A's token means nothing at B.
        expect((await bearer(app, HOST_B, settingsToken)('/api/v1/tenant/settings')).status).toBe(401);
        expect((await bearer(app, HOST_A, 'aukio_not-a-real-token')('/api/v1/tenant/settings')).status).toBe(401);
      });

      it('validates the create form by field', async () => {
        const r = await adminA.post('/en/staff/api-tokens', { intent: 'create', name: '   ' });
        expect(r.status).toBe(400);
        const html = await r.text();
        expect(html).toContain('id="f-name-error"');
        expect(html).toContain('This is required.');
        const scopes = await adminA.post('/en/staff/api-tokens', { intent: 'create', name: 'Bad', scopes: 'root:everything' });
        expect(scopes.status).toBe(400);
        expect(await scopes.text()).toContain('Unknown scope.');
        const none = await adminA.post('/en/staff/api-tokens', { intent: 'create', name: 'No scopes' });
        expect(none.status).toBe(400);
        expect(await none.text()).toContain('id="f-scopes-error"');
      });

      it('revokes a token (audited); the revoked token gets 401; another tenant cannot revoke it', async () => {
        const foreign = await adminB.post('/fi/staff/api-tokens', { intent: 'revoke', id: settingsTokenId });
        expect(foreign.status).toBe(404);
        expect((await bearer(app, HOST_A, settingsToken)('/api/v1/tenant/settings')).status).toBe(200);

        const r = await adminA.post('/fi/staff/api-tokens', { intent: 'revoke', id: settingsTokenId });
        expect(r.status).toBe(302);
        expect(r.headers.get('location')).toBe('/fi/staff/api-tokens?revoked=1');
        const call = await bearer(app, HOST_A, settingsToken)('/api/v1/tenant/settings');
        expect(call.status).toBe(401);
        expect((await call.json()).error.code).toBe('unauthenticated');
        const page = await (await adminA.get('/fi/staff/api-tokens?revoked=1')).text();
        expect(page).toContain('Avain mitätöity.');
        expect(page).toMatch(/mitätöity \d/);
        const revokedRows = await auditRows(app, adminA.tenantId, 'admin.api_token_revoked');
        expect(revokedRows.map((x) => x.target_id)).toEqual([settingsTokenId]);
        // Revoking twice is a 404, not a second entry.
        expect((await adminA.post('/fi/staff/api-tokens', { intent: 'revoke', id: settingsTokenId })).status).toBe(404);
        expect(await auditRows(app, adminA.tenantId, 'admin.api_token_revoked')).toHaveLength(1);
        // B's list never shows A's tokens.
        expect(await (await adminB.get('/fi/staff/api-tokens')).text()).not.toContain('Asetusintegraatio');
      });
    });

    describe('audit log', () => {
      it('searches, shows Helsinki time, paginates with ?before= and audits the viewing', async () => {
        const db = app.services.db;
        // 60 known entries at a known time: 2026-06-15 09:00 UTC is 12:00 in Helsinki (EEST).
        for (let i = 0; i < 60; i++) {
          await db.query(
            `insert into audit_log (tenant_id, at, actor_kind, actor_label, action, target_kind, target_id, reason)
             values ($1, '2026-06-15T09:00:00Z'::timestamptz + make_interval(secs => $2), 'system', 'paginator', 'test.paged', 'thing', $3, 'pagination test')`,
            [adminA.tenantId, i, `thing-${i}`],
          );
        }
        const viewsBefore = (await auditRows(app, adminA.tenantId, 'audit.viewed')).length;
        const r = await adminA.get('/fi/staff/audit?q=paginator');
        expect(r.status).toBe(200);
        const html = await r.text();
        expect(html).toContain('<title>Lokitiedot</title>');
        expect(html).toContain('thing-59');
        expect(html).not.toContain('thing-9<');
        // 09:00:59 UTC on 15 June is 12:00:59 in Helsinki (summer time), in Finnish format.
        expect(html).toMatch(/15\.6\.2026[^<]*12[.:]00[.:]59/);
        const older = /href="(\/fi\/staff\/audit\?[^"]*before=\d+[^"]*)"/.exec(html.replaceAll('&amp;', '&'));
        expect(older).not.toBeNull();
        expect(older![1]).toContain('q=paginator');
        const page2 = await (await adminA.get(older![1])).text();
        expect(page2).toContain('thing-9<');
        expect(page2).not.toContain('thing-59');
        expect(page2).not.toMatch(/rel="next"/);

        const views = await auditRows(app, adminA.tenantId, 'audit.viewed');
        expect(views.length).toBe(viewsBefore + 2);
        expect(views.at(-2)!.details).toEqual({ filters: { q: 'paginator' } });
        expect(views.at(-1)!.actor_id).toBe(adminA.userId);
      });

      it('filters by action and by Helsinki calendar days', async () => {
        await app.services.db.query(
          `insert into audit_log (tenant_id, at, actor_kind, action, target_id) values
             ($1, '2026-06-14T20:59:59Z', 'system', 'test.daybound', 'before-midnight'),
             ($1, '2026-06-14T21:00:00Z', 'system', 'test.daybound', 'after-midnight'),
             ($1, '2026-06-15T20:59:59Z', 'system', 'test.daybound', 'end-of-day'),
             ($1, '2026-06-15T21:00:00Z', 'system', 'test.daybound', 'next-day')`,
          [adminA.tenantId],
        );
        const html = await (await adminA.get('/fi/staff/audit?action=test.daybound&from=2026-06-15&to=2026-06-15')).text();
        expect(html).toContain('after-midnight');
        expect(html).toContain('end-of-day');
        expect(html).not.toContain('before-midnight');
        expect(html).not.toContain('next-day');
        expect(html).not.toContain('thing-1');
        const bad = await adminA.get('/en/staff/audit?from=2026-02-30');
        expect(bad.status).toBe(400);
        expect(await bad.text()).toContain('Give the date as yyyy-mm-dd.');
      });

      it('never shows another tenant its entries', async () => {
        const b = await (await adminB.get('/fi/staff/audit?q=paginator')).text();
        expect(b).not.toContain('thing-');
        expect(b).toContain('Hakuehtoja vastaavia merkintöjä ei löytynyt.');
        const all = await (await adminB.get('/fi/staff/audit')).text();
        expect(all).not.toContain('admin@esimerkkila.fi');
        expect(all).toContain('admin@jarvikyla.fi');
        const api = await (await adminB.api('GET', '/api/v1/audit?limit=200')).json();
        expect(api.entries.length).toBeGreaterThan(0);
        expect(api.entries.every((e: { actorLabel: string | null }) => e.actorLabel !== 'admin@esimerkkila.fi' && e.actorLabel !== 'paginator')).toBe(true);
      });

      it('GET /api/v1/audit filters, paginates and audits', async () => {
        const first = await adminA.api('GET', '/api/v1/audit?action=test.paged&limit=25');
        expect(first.status).toBe(200);
        const p1 = await first.json();
        expect(p1.entries).toHaveLength(25);
        expect(p1.entries[0].targetId).toBe('thing-59');
        expect(p1.nextBefore).toMatch(/^\d+$/);
        const p2 = await (await adminA.api('GET', `/api/v1/audit?action=test.paged&limit=25&before=${p1.nextBefore}`)).json();
        expect(p2.entries[0].targetId).toBe('thing-34');
        const bad = await adminA.api('GET', '/api/v1/audit?before=abc');
        expect(bad.status).toBe(400);
        expect((await bad.json()).error.code).toBe('validation_failed');
        expect((await hostFetch(app, HOST_A)('/api/v1/audit')).status).toBe(401);
        expect((await comms.api('GET', '/api/v1/audit')).status).toBe(403);
        const views = await auditRows(app, adminA.tenantId, 'audit.viewed');
        expect(views.at(-1)!.details).toMatchObject({ filters: { action: 'test.paged', limit: 25 } });
      });

      it('leaves no entry for a rolled-back change, and refuses UPDATE and DELETE', async () => {
        const { db, audit } = app.services;
        await expect(
          db.transaction(async (tx) => {
            await audit.record(tx, adminA.tenantId, { kind: 'system', label: 'test' }, { action: 'test.rolled_back' });
            throw new Error('the change failed');
          }),
        ).rejects.toThrow('the change failed');
        expect(await auditRows(app, adminA.tenantId, 'test.rolled_back')).toHaveLength(0);

        // The same through the product: an invalid settings change writes no entry.
        const before = (await auditRows(app, adminA.tenantId, 'admin.settings_changed')).length;
        await adminA.api('PATCH', '/api/v1/tenant/settings', { defaultLanguage: 'en', names: { en: '' } });
        expect(await auditRows(app, adminA.tenantId, 'admin.settings_changed')).toHaveLength(before);

        await expect(db.query(`update audit_log set action = 'tampered' where tenant_id = $1`, [adminA.tenantId])).rejects.toThrow(/append-only/);
        await expect(db.query('delete from audit_log where tenant_id = $1', [adminA.tenantId])).rejects.toThrow(/append-only/);
        expect(await auditRows(app, adminA.tenantId, 'tampered')).toHaveLength(0);
      });
    });

    describe('background jobs', () => {
      it('retries a job that fails once, with backoff, and it then succeeds', async () => {
        const capture = app.services.email as CaptureEmailAdapter;
        expect(capture.kind).toBe('capture');
        const to = `retry-${engine.name}@example.fi`;
        capture.failNext(1);
        await app.services.db.transaction((tx) =>
          app.services.mail.enqueue(tx, { tenantId: adminA.tenantId, to, subject: 'Retried once', text: 'Hello after a retry.' }),
        );
        const waiting = await waitFor(async () => {
          const r = await app.services.db.query<{ id: string; retry_count: number; backoff: boolean; output: { message?: string } }>(
            `select id::text, retry_count, start_after > now() as backoff, output from pgboss.job
             where name = 'aukio.email.send' and state = 'retry' and data->>'to' = $1`,
            [to],
          );
          return r.rows[0];
        });
        expect(waiting.backoff).toBe(true);
        expect(waiting.output.message).toContain('simulated delivery failure');
        // While it waits for its next attempt the Jobs page lists it, without a Retry button.
        const page = await (await adminA.get('/en/staff/jobs')).text();
        expect(page).toContain('waiting for its next attempt');
        expect(page).toMatch(/next attempt \d/);
        expect(page).toContain('simulated delivery failure');

        const sent = await waitFor(
          async () =>
            (await app.services.db.query('select 1 from outbox_messages where tenant_id = $1 and recipient = $2', [adminA.tenantId, to])).rows[0],
          40_000,
          500,
        );
        expect(sent).toBeTruthy();
        const done = await app.services.db.query<{ state: string; retry_count: number }>('select state::text, retry_count from pgboss.job where id::text = $1', [
          waiting.id,
        ]);
        expect(done.rows[0]).toEqual({ state: 'completed', retry_count: 1 });
      }, 60_000);

      it('lists a job that failed for good for its tenant only, and retries it from the page', async () => {
        const key = `remote-${engine.name}`;
        await app.services.db.transaction((tx) => app.services.jobs.enqueue(tx, 'test.remote_call', { tenantId: adminA.tenantId, key }));
        const failed = await waitFor(async () => (await app.services.jobs.failed(adminA.tenantId)).find((j) => j.name === 'test.remote_call' && j.state === 'failed'));
        expect(failed.error).toBe(`remote system unavailable (${key})`);

        const page = await (await adminA.get('/fi/staff/jobs')).text();
        expect(page).toContain('test.remote_call');
        expect(page).toContain(`remote system unavailable (${key})`);
        expect(page).toContain(`value="${failed.id}"`);
        expect(page).toContain('Yritä uudelleen');
        // Tenant B neither sees it nor can retry it.
        const b = await (await adminB.get('/fi/staff/jobs')).text();
        expect(b).not.toContain('test.remote_call');
        expect(b).toContain('Ei epäonnistuneita taustatöitä.');
        const foreign = await adminB.post('/fi/staff/jobs', { id: failed.id });
        expect(foreign.status).toBe(404);
        expect((await app.services.jobs.failed(adminA.tenantId)).find((j) => j.id === failed.id)?.state).toBe('failed');

        repaired.add(key);
        const r = await adminA.post('/fi/staff/jobs', { id: failed.id });
        expect(r.status).toBe(302);
        expect(r.headers.get('location')).toBe('/fi/staff/jobs?retried=1');
        await waitFor(async () => completed.has(key));
        await waitFor(async () => !(await app.services.jobs.failed(adminA.tenantId)).some((j) => j.id === failed.id));
        const after = await (await adminA.get('/fi/staff/jobs?retried=1')).text();
        expect(after).toContain('Työ palautettiin jonoon.');
        expect(after).not.toContain(`value="${failed.id}"`);
        const rows = await auditRows(app, adminA.tenantId, 'admin.job_retried');
        expect(rows.map((x) => x.target_id)).toEqual([failed.id]);
        expect(rows[0].details).toEqual({ job: 'test.remote_call' });
        // A job no longer failed cannot be retried again.
        expect((await adminA.post('/fi/staff/jobs', { id: failed.id })).status).toBe(404);
      }, 60_000);
    });

    describe('outbox', () => {
      let idA: string;
      let idB: string;

      beforeAll(async () => {
        const { services } = app;
        await services.db.transaction(async (tx) => {
          await services.mail.enqueue(tx, {
            tenantId: adminA.tenantId,
            to: 'maija.meikalainen@example.fi',
            subject: 'Tervetuloa Aukioon',
            text: 'Hei Maija,\n\ntervetuloa.',
            html: '<p>Hei <b>Maija</b></p><script>alert("x")</script><img src=x onerror=alert(1)>',
            headers: { 'List-Unsubscribe': '<https://esimerkkila.localhost/u/1>' },
          });
          await services.mail.enqueue(tx, { tenantId: adminB.tenantId, to: 'jarvi.asukas@example.fi', subject: 'Järvikylän viesti', text: 'Hei.' });
        });
        const rows = await waitFor(async () => {
          const r = await services.db.query<{ id: string; tenant_id: string }>(
            `select id, tenant_id from outbox_messages where recipient in ('maija.meikalainen@example.fi', 'jarvi.asukas@example.fi')`,
          );
          return r.rows.length === 2 ? r.rows : undefined;
        });
        idA = rows.find((r) => r.tenant_id === adminA.tenantId)!.id;
        idB = rows.find((r) => r.tenant_id === adminB.tenantId)!.id;
      });

      it('lists this tenant’s messages only, says mail is captured, and audits the view', async () => {
        const r = await comms.get('/fi/staff/outbox');
        expect(r.status).toBe(200);
        const html = await r.text();
        expect(html).toContain('<title>Lähtevät viestit</title>');
        expect(html).toContain('maija.meikalainen@example.fi');
        expect(html).toContain('Tervetuloa Aukioon');
        expect(html).toContain('tallennettu, ei lähetetty');
        expect(html).toContain('Sähköpostia ei lähetetä');
        expect(html).not.toContain('jarvi.asukas@example.fi');
        const b = await (await adminB.get('/fi/staff/outbox')).text();
        expect(b).toContain('jarvi.asukas@example.fi');
        expect(b).not.toContain('maija.meikalainen@example.fi');
        const views = await auditRows(app, adminA.tenantId, 'staff.list_outbox');
        expect(views.length).toBeGreaterThan(0);
      });

      it('shows a message with headers and plain text, the HTML only sandboxed, and audits the read', async () => {
        const before = (await auditRows(app, adminA.tenantId, 'staff.read_outbox_message')).length;
        const r = await service.get(`/en/staff/outbox/${idA}`);
        expect(r.status).toBe(200);
        const html = await r.text();
        expect(html).toContain('Message: Tervetuloa Aukioon');
        expect(html).toContain('maija.meikalainen@example.fi');
        expect(html).toContain('List-Unsubscribe');
        expect(html).toContain('Hei Maija,\n\ntervetuloa.');
        expect(html).toMatch(/<iframe[^>]*sandbox=""/);
        expect(html).toMatch(/<iframe[^>]*srcdoc="[^"]*&lt;script&gt;/i);
        // The e-mail's markup never becomes markup of the page.
        expect(html).not.toContain('<script>alert("x")</script>');
        expect(html).not.toContain('<img src=x onerror');
        expect(html).toContain('&lt;script&gt;');
        const rows = await auditRows(app, adminA.tenantId, 'staff.read_outbox_message');
        expect(rows).toHaveLength(before + 1);
        expect(rows.at(-1)!.target_id).toBe(idA);
      });

      it('answers another tenant’s message id with 404, and unit staff with 403', async () => {
        const r = await adminA.get(`/fi/staff/outbox/${idB}`);
        expect(r.status).toBe(404);
        const html = await r.text();
        expect(html).not.toContain('jarvi.asukas@example.fi');
        expect(html).toContain('Kohdetta ei löytynyt');
        expect((await adminB.get(`/fi/staff/outbox/${idA}`)).status).toBe(404);
        expect((await adminA.get('/fi/staff/outbox/not-a-uuid')).status).toBe(404);
        expect((await unitStaff.get(`/fi/staff/outbox/${idA}`)).status).toBe(403);
        expect(await auditRows(app, adminA.tenantId, 'staff.read_outbox_message')).not.toContainEqual(expect.objectContaining({ target_id: idB }));
      });

      it('paginates newest first with ?before=', async () => {
        await app.services.db.query(
          `insert into outbox_messages (tenant_id, channel, recipient, subject, body_text, status, created_at)
           select $1, 'email', 'bulk' || g || '@example.fi', 'Bulk ' || g, 'x', 'captured', now() - make_interval(mins => 10 + g)
           from generate_series(1, 60) g`,
          [adminA.tenantId],
        );
        const p1 = await (await adminA.get('/fi/staff/outbox')).text();
        expect(p1).toContain('bulk1@example.fi');
        expect(p1).not.toContain('bulk60@example.fi');
        const next = /href="(\/fi\/staff\/outbox\?before=[^"]+)"/.exec(p1);
        expect(next).not.toBeNull();
        const p2 = await (await adminA.get(next![1].replaceAll('&amp;', '&'))).text();
        expect(p2).toContain('bulk60@example.fi');
        expect(p2).not.toContain('bulk1@example.fi');
        expect((await adminA.get('/fi/staff/outbox?before=garbage')).status).toBe(400);
      });
    });
  });
}
