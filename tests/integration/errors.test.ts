import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { engines } from '../helpers/engines.ts';

const BODY_LIMIT = 4096;
const CSRF = 'e'.repeat(32);
/** What must never reach a client: stack frames, SQL, driver names, internal error codes. */
const LEAK = /\bat [\w.<>]+ \(|node:internal|\.ts:\d+|stack|select |insert |syntax error|postgres|pglite|FST_ERR|ZodError|SyntaxError/i;

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await res.text();
  expect(text).not.toMatch(LEAK);
  const body = JSON.parse(text);
  expect(body.error).toMatchObject({ code, message: expect.any(String) });
  // Only code, message and the documented details (failing field names) — nothing else.
  expect(Object.keys(body)).toEqual(['error']);
  for (const k of Object.keys(body.error)) expect(['code', 'message', 'fields']).toContain(k);
  return body.error as { code: string; message: string; fields?: Record<string, string> };
}

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`errors on ${engine.name}`, () => {
    let app: TestApp;
    let cookie: string;
    let jarviCookie: string;
    let staffId: string;

    const session = async (email: string) => {
      const r = await app.services.db.query<{ id: string; tenant_id: string }>('select id, tenant_id from staff_users where email = $1', [email]);
      const token = await app.services.sessions.create(app.services.db, { tenantId: r.rows[0].tenant_id, staffUserId: r.rows[0].id, method: 'password' });
      return { cookie: `aukio_session=${token}; aukio_csrf=${CSRF}`, id: r.rows[0].id };
    };
    const patchPrefs = (body: string | Buffer | undefined, headers: Record<string, string> = {}, host = HOST_A) =>
      hostFetch(app, host)('/api/v1/me/preferences', {
        method: 'PATCH',
        headers: { cookie: host === HOST_A ? cookie : jarviCookie, 'x-csrf-token': CSRF, 'content-type': 'application/json', ...headers },
        body,
      });

    beforeAll(async () => {
      app = await startTestApp(engine.name, { env: { BODY_LIMIT: String(BODY_LIMIT) }, work: false });
      const s = await session('asiakaspalvelu@esimerkkila.fi');
      cookie = s.cookie;
      staffId = s.id;
      jarviCookie = (await session('admin@jarvikyla.fi')).cookie;
    });
    afterAll(async () => {
      await app?.close();
    });

    it('accepts a valid preferences change (the endpoint the body tests use)', async () => {
      const r = await patchPrefs(JSON.stringify({ preferredLanguage: 'en' }));
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ preferredLanguage: 'en' });
      const row = await app.services.db.query<{ preferred_language: string }>('select preferred_language from staff_users where id = $1', [staffId]);
      expect(row.rows[0].preferred_language).toBe('en');
      const get = await hostFetch(app, HOST_A)('/api/v1/me/preferences', { headers: { cookie } });
      expect(await get.json()).toEqual({ preferredLanguage: 'en' });
    });

    it('answers malformed JSON with 400 malformed_json', async () => {
      await expectError(await patchPrefs('{"preferredLanguage": '), 400, 'malformed_json');
      await expectError(await patchPrefs("{'preferredLanguage': 'fi'}"), 400, 'malformed_json');
      await expectError(await patchPrefs(''), 400, 'malformed_json');
      // Prototype poisoning is refused by the parser, not merged into objects.
      await expectError(await patchPrefs('{"__proto__": {"admin": true}, "preferredLanguage": "fi"}'), 400, 'malformed_json');
    });

    it('answers content types other than JSON with 415', async () => {
      for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        await expectError(await patchPrefs('preferredLanguage=fi', { 'content-type': type }), 415, 'unsupported_media_type');
      }
    });

    it('answers wrong JSON types with 400 validation_failed naming the fields', async () => {
      expect((await expectError(await patchPrefs('{"preferredLanguage": 5}'), 400, 'validation_failed')).fields).toEqual({
        preferredLanguage: expect.any(String),
      });
      expect((await expectError(await patchPrefs('{"preferredLanguage": "de"}'), 400, 'validation_failed')).fields).toHaveProperty(
        'preferredLanguage',
      );
      expect((await expectError(await patchPrefs('{}'), 400, 'validation_failed')).fields).toHaveProperty('preferredLanguage');
      for (const body of ['[]', '"fi"', 'null', '42', 'true']) {
        expect((await expectError(await patchPrefs(body), 400, 'validation_failed')).fields).toHaveProperty('body');
      }
      // Unknown fields are refused rather than ignored, so a typo is noticed.
      expect((await expectError(await patchPrefs('{"preferredLanguage": "fi", "roles": ["tenant_admin"]}'), 400, 'validation_failed')).fields).toEqual({
        roles: 'unrecognized',
      });
      // A language the tenant has not enabled (Järvikylä is Finnish only).
      expect((await expectError(await patchPrefs('{"preferredLanguage": "sv"}', {}, HOST_B), 400, 'validation_failed')).fields).toEqual({
        preferredLanguage: 'not_enabled',
      });
    });

    it('answers bodies over BODY_LIMIT with 413, on the API and on pages', async () => {
      const big = JSON.stringify({ preferredLanguage: 'fi', pad: 'x'.repeat(BODY_LIMIT) });
      await expectError(await patchPrefs(big), 413, 'payload_too_large');
      const page = await hostFetch(app, HOST_A)('/fi/staff', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `aukio_csrf=${CSRF}` },
        body: `_csrf=${CSRF}&pad=${'x'.repeat(BODY_LIMIT)}`,
      });
      expect(page.status).toBe(413);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).not.toMatch(LEAK);
    });

    it('answers unknown API routes with 404 in the error shape', async () => {
      for (const path of ['/api/v1/nope', '/api/v2/tenant', '/api', '/api/v1/tenant/extra/segments']) {
        await expectError(await hostFetch(app, HOST_A)(path), 404, 'not_found');
      }
      await expectError(
        await hostFetch(app, HOST_A)('/api/v1/nope', { method: 'DELETE', headers: { cookie, 'x-csrf-token': CSRF } }),
        404,
        'not_found',
      );
    });

    it('renders a localized 404 page for unknown pages', async () => {
      const cases = [
        ['/fi/ei-ole-olemassa', 'lang="fi"'],
        ['/sv/finns-inte', 'Sidan hittades inte'],
        ['/en/does-not-exist', 'lang="en"'],
      ] as const;
      for (const [path, text] of cases) {
        const r = await hostFetch(app, HOST_A)(path);
        expect(r.status).toBe(404);
        expect(r.headers.get('content-type')).toMatch(/^text\/html/);
        const html = await r.text();
        expect(html).toContain(text);
        expect(html).toMatch(/<h1/);
        expect(html).not.toMatch(LEAK);
      }
    });

    it('answers an expired session with 401 session_expired on the API and a sign-in redirect on staff pages', async () => {
      const s = await session('viestinta@esimerkkila.fi');
      const expire = () =>
        app.services.db.query(`update sessions set expires_at = now() - interval '1 minute' where staff_user_id = $1`, [s.id]);
      await expire();
      const api = await hostFetch(app, HOST_A)('/api/v1/me/preferences', { headers: { cookie: s.cookie } });
      await expectError(api, 401, 'session_expired');
      // The dead cookie is cleared so the browser stops sending it.
      expect(api.headers.get('set-cookie')).toMatch(/aukio_session=;.*Max-Age=0/);

      const s2 = await session('viestinta@esimerkkila.fi');
      await app.services.db.query(`update sessions set expires_at = now() - interval '1 minute' where staff_user_id = $1`, [s2.id]);
      const page = await hostFetch(app, HOST_A)('/fi/staff', { headers: { cookie: s2.cookie } });
      expect(page.status).toBe(302);
      const location = new URL(page.headers.get('location')!, 'http://x');
      expect(location.pathname).toBe('/fi/staff/sign-in');
      expect(location.searchParams.get('expired')).toBe('1');
      expect(location.searchParams.get('next')).toBe('/fi/staff');
    });

    it('answers a cookie-authenticated write without the CSRF token with 403 csrf_failed', async () => {
      const body = JSON.stringify({ preferredLanguage: 'fi' });
      await expectError(await patchPrefs(body, { 'x-csrf-token': '' }), 403, 'csrf_failed');
      await expectError(await patchPrefs(body, { 'x-csrf-token': 'f'.repeat(32) }), 403, 'csrf_failed');
      const noHeader = await hostFetch(app, HOST_A)('/api/v1/me/preferences', {
        method: 'PATCH',
        headers: { cookie, 'content-type': 'application/json' },
        body,
      });
      await expectError(noHeader, 403, 'csrf_failed');
      // Nothing changed.
      const row = await app.services.db.query<{ preferred_language: string }>('select preferred_language from staff_users where id = $1', [staffId]);
      expect(row.rows[0].preferred_language).toBe('en');
    });

    it('answers anonymous writes to a personal endpoint with 401', async () => {
      const r = await hostFetch(app, HOST_A)('/api/v1/me/preferences', {
        method: 'PATCH',
        headers: { cookie: `aukio_csrf=${CSRF}`, 'x-csrf-token': CSRF, 'content-type': 'application/json' },
        body: '{"preferredLanguage":"fi"}',
      });
      await expectError(r, 401, 'unauthenticated');
      await expectError(await hostFetch(app, HOST_A)('/api/v1/me/preferences'), 401, 'unauthenticated');
    });

    it('treats SQL fragments and script tags as data: 4xx or harmless, never 500, never reflected unescaped', async () => {
      const evil = `<script>alert(1)</script>' OR '1'='1'; drop table tenants; --`;
      const q = encodeURIComponent(evil);
      const f = hostFetch(app, HOST_A);

      const search = await f(`/fi/search?q=${q}`);
      expect(search.status).toBe(200);
      const html = await search.text();
      expect(html).not.toContain('<script>alert(1)');
      expect(html).not.toMatch(LEAK);

      for (const path of [`/fi/${q}`, `/sv/${q}?x=${q}`, `/${q}`, `/fi/staff/${q}`]) {
        const r = await f(path);
        expect(r.status).toBeGreaterThanOrEqual(300);
        expect(r.status).toBeLessThan(500);
        const text = await r.text();
        expect(text).not.toContain('<script>alert(1)');
        expect(text).not.toMatch(LEAK);
      }

      const api = await f(`/api/v1/tenant?lang=${q}&id=${q}`);
      expect(api.status).toBe(200);
      expect((await api.json()).slug).toBe('esimerkkila');
      await expectError(await f(`/api/v1/${q}`), 404, 'not_found');

      const body = await patchPrefs(JSON.stringify({ preferredLanguage: evil }));
      const err = await expectError(body, 400, 'validation_failed');
      expect(JSON.stringify(err)).not.toContain('<script>');
      const evilKey = await patchPrefs(JSON.stringify({ preferredLanguage: 'fi', [evil]: 1 }));
      expect(evilKey.status).toBe(400);

      // The tables are all still there.
      const t = await app.services.db.query<{ n: number }>('select count(*)::int as n from tenants');
      expect(t.rows[0].n).toBe(2);
    });

    it('survives malformed URLs, headers and cookies without a 500', async () => {
      const f = hostFetch(app, HOST_A);
      for (const path of ['/fi/search?q=%E0%A4%A', '/fi/%E0%A4%A', '/fi/search?q=%', '/api/v1/%zz', '/fi?lang=%00']) {
        const r = await f(path);
        expect(r.status, path).toBeLessThan(500);
        expect(await r.text()).not.toMatch(LEAK);
      }
      const weird = await f('/fi', { headers: { 'accept-language': ';;;q=abc,<script>', cookie: 'aukio_session=%%%; aukio_csrf=<x>' } });
      expect(weird.status).toBe(200);
      const bogusSession = await f('/api/v1/me/preferences', { headers: { cookie: `aukio_session=${'a'.repeat(500)}` } });
      await expectError(bogusSession, 401, 'unauthenticated');
      const badHost = await hostFetch(app, `<script>alert(1)</script>.localhost`)('/fi');
      expect(badHost.status).toBe(404);
      expect(await badHost.text()).not.toContain('<script>alert(1)');
      await expectError(await hostFetch(app, `x'; drop table tenants; --`)('/api/v1/tenant'), 404, 'unknown_tenant');
      const bearer = await f('/api/v1/tenant', { headers: { authorization: `Bearer ' OR 1=1 --` } });
      await expectError(bearer, 401, 'unauthenticated');
      // Bytes that are not HTTP at all: the parser's message stays on the server.
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(app.port, '127.0.0.1', () => socket.write('GET /fi HTTP/1.1\r\nHost: esimerkkila.localhost\r\nBad Header\r\n\r\n'));
        let out = '';
        socket.on('data', (d) => (out += d));
        socket.on('end', () => resolve(out));
        socket.on('error', reject);
      });
      expect(raw).toMatch(/^HTTP\/1\.1 400 /);
      expect(raw).toContain('"code":"bad_request"');
      expect(raw).not.toMatch(LEAK);
    });
  });
}
