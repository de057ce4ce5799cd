import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oidcSecretContext } from '../../src/modules/identity/oidc.ts';
import { issuerProblem } from '../../src/modules/identity/oidc-settings.ts';
import { SecretBox } from '../../src/platform/crypto.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { staffClient } from '../helpers/staff-session.ts';
import { engines } from '../helpers/engines.ts';
import { startTestIdp } from '../helpers/test-idp.ts';

/*
 * A tenant admin configures OpenID Connect for staff in the console and over the API:
 * validated by live discovery against a real local oidc-provider, the client secret
 * write-only and sealed at rest, audited without the secret.
 */

const CLIENT_ID = 'aukio-admin-test';
const SECRET = 'very-secret-client-secret-123';

const bearer = (app: TestApp, host: string, token: string) => (method: string, path: string, body?: unknown) =>
  hostFetch(app, host)(path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });

/** Walks the provider's redirects as a browser would; returns the callback path on our host. */
async function throughProvider(authUrl: string, host = HOST_A) {
  const jar = new Map<string, string>();
  let url = authUrl;
  for (let i = 0; i < 10; i++) {
    if (url.startsWith(`http://${host}/`)) return url.slice(`http://${host}`.length);
    const r = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of r.headers.getSetCookie()) {
      const [nv] = c.split(';');
      const j = nv.indexOf('=');
      jar.set(nv.slice(0, j), nv.slice(j + 1));
    }
    url = new URL(r.headers.get('location')!, url).href;
  }
  throw new Error('too many redirects');
}

/** Signs in through the tenant's provider in a fresh cookie jar; returns the final redirect. */
async function oidcSignIn(app: TestApp, host = HOST_A): Promise<string | null> {
  const f = hostFetch(app, host);
  const start = await f('/fi/staff/oidc/start');
  const loc = start.headers.get('location')!;
  if (!loc.startsWith('http://127.0.0.1')) return loc;
  const binding = start.headers.getSetCookie().find((c) => c.startsWith('aukio_oidc='))!.split(';')[0];
  const done = await f(await throughProvider(loc, host), { headers: { cookie: binding } });
  return done.headers.get('location');
}

it('accepts https issuers, and plain http only to this machine outside production', () => {
  expect(issuerProblem('https://login.example.fi/tenant/v2.0', true)).toBeNull();
  expect(issuerProblem('http://127.0.0.1:8080', false)).toBeNull();
  expect(issuerProblem('http://localhost:8080/realms/x', false)).toBeNull();
  expect(issuerProblem('http://127.0.0.1:8080', true)).toBe('https_required');
  expect(issuerProblem('http://idp.example.fi', false)).toBe('https_required');
  expect(issuerProblem('ftp://idp.example.fi', false)).toBe('https_required');
  expect(issuerProblem('not a url', false)).toBe('issuer_url');
  expect(issuerProblem('https://idp.example.fi/?x=1', false)).toBe('issuer_url');
  expect(issuerProblem('https://user:pw@idp.example.fi', false)).toBe('issuer_url');
});

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`OpenID Connect administration on ${engine.name}`, () => {
    let app: TestApp;
    let idp: Awaited<ReturnType<typeof startTestIdp>>;
    let admin: Awaited<ReturnType<typeof staffClient>>;
    const db = () => app.services.db;
    const storedOidc = async (tenantId: string) =>
      (await db().query<{ oidc: Record<string, unknown> | null }>('select oidc from tenants where id = $1', [tenantId])).rows[0].oidc;
    const audits = async (tenantId: string) =>
      (
        await db().query<{ actor_kind: string; details: Record<string, unknown> }>(
          `select actor_kind, details from audit_log where tenant_id = $1 and action = 'admin.oidc_changed' order by id`,
          [tenantId],
        )
      ).rows;

    beforeAll(async () => {
      app = await startTestApp(engine.name);
      idp = await startTestIdp({ clientId: CLIENT_ID, clientSecret: SECRET, redirectUris: [`http://${HOST_A}/staff/oidc/callback`] });
      admin = await staffClient(app, HOST_A, 'admin@esimerkkila.fi');
    });
    afterAll(async () => {
      await idp?.close();
      await app?.close();
    });

    it('shows the page to tenant admins only, with the redirect URI to register, in every language', async () => {
      const settings = await (await admin.get('/fi/staff/settings')).text();
      expect(settings).toContain('href="/fi/staff/settings/sign-in"');
      for (const [lang, h1] of [
        ['fi', 'Henkilöstön kirjautuminen tunnistuspalvelulla'],
        ['sv', 'Inloggning för personal via identitetstjänst'],
        ['en', 'Staff sign-in with an identity provider'],
      ]) {
        const r = await admin.get(`/${lang}/staff/settings/sign-in`);
        expect(r.status).toBe(200);
        const html = await r.text();
        expect(html).toContain(`<h1>${h1}</h1>`);
        expect(html).toContain(`<code data-testid="oidc-redirect-uri">http://${HOST_A}/staff/oidc/callback</code>`);
        expect(html).toMatch(/<label for="f-issuer">/);
        expect(html).toMatch(/<input(?=[^>]*name="clientSecret")(?=[^>]*type="password")(?=[^>]*autocomplete="new-password")[^>]*>/i);
        expect(html).toContain('lang="sv"');
      }
      const comms = await staffClient(app, HOST_A, 'viestinta@esimerkkila.fi');
      expect((await comms.get('/fi/staff/settings/sign-in')).status).toBe(403);
      expect((await comms.post('/fi/staff/settings/sign-in', { enabled: '1', issuer: idp.issuer, clientId: 'x', clientSecret: 'y' })).status).toBe(403);
      expect((await hostFetch(app, HOST_A)('/fi/staff/settings/sign-in')).status).toBe(302);
      expect(await storedOidc(admin.tenantId)).toBeNull();
    });

    it('validates the issuer by discovery and ties errors to their fields', async () => {
      const http = await admin.post('/fi/staff/settings/sign-in', { enabled: '1', issuer: 'http://idp.example.fi', clientId: CLIENT_ID, clientSecret: SECRET });
      expect(http.status).toBe(400);
      const httpHtml = await http.text();
      expect(httpHtml).toContain('role="alert"');
      expect(httpHtml).toContain('aria-describedby="f-issuer-hint f-issuer-error"');
      expect(httpHtml).toContain('Osoitteen on alettava https://.');
      // The typed values come back, the secret never does.
      expect(httpHtml).toContain(`value="${CLIENT_ID}"`);
      expect(httpHtml).not.toContain(SECRET);

      const down = await admin.post('/en/staff/settings/sign-in', { enabled: '1', issuer: 'http://127.0.0.1:1', clientId: CLIENT_ID, clientSecret: SECRET });
      expect(down.status).toBe(400);
      expect(await down.text()).toContain('No OpenID Connect metadata (/.well-known/openid-configuration) was found');

      // Discovery must match the issuer exactly: a path the provider does not serve fails too.
      const wrong = await admin.post('/fi/staff/settings/sign-in', { enabled: '1', issuer: `${idp.issuer}/elsewhere`, clientId: CLIENT_ID, clientSecret: SECRET });
      expect(wrong.status).toBe(400);

      const missing = await admin.post('/sv/staff/settings/sign-in', { enabled: '1', issuer: idp.issuer, clientId: '', clientSecret: '' });
      expect(missing.status).toBe(400);
      const missingHtml = await missing.text();
      expect(missingHtml).toContain('aria-describedby="f-clientId-error"');
      expect(missingHtml).toContain('aria-describedby="f-clientSecret-hint f-clientSecret-error"');
      expect(await storedOidc(admin.tenantId)).toBeNull();
      expect(await audits(admin.tenantId)).toHaveLength(0);
    });

    it('saves the provider with the secret sealed, audits without it, and staff can sign in with it', async () => {
      const r = await admin.post('/fi/staff/settings/sign-in', {
        enabled: '1',
        issuer: idp.issuer,
        clientId: CLIENT_ID,
        clientSecret: SECRET,
        'displayName.fi': 'Esimerkkilän tunnus',
        'displayName.sv': 'Exempelbys inloggning',
        'displayName.en': '',
      });
      expect(r.status).toBe(302);
      expect(r.headers.get('location')).toBe('/fi/staff/settings/sign-in?saved=1');

      const stored = (await storedOidc(admin.tenantId))!;
      expect(stored).toMatchObject({ enabled: true, issuer: idp.issuer, clientId: CLIENT_ID, displayName: { fi: 'Esimerkkilän tunnus', sv: 'Exempelbys inloggning' } });
      expect(String(stored.clientSecret)).toMatch(/^aukio-sealed:v1:/);
      expect(JSON.stringify(stored)).not.toContain(SECRET);
      const box = new SecretBox(app.services.config.SESSION_SECRET);
      expect(box.open(String(stored.clientSecret), oidcSecretContext(admin.tenantId))).toBe(SECRET);

      const page = await (await admin.get('/fi/staff/settings/sign-in?saved=1')).text();
      expect(page).toContain('Tunnistuspalvelun asetukset tallennettu.');
      expect(page).toContain('Kirjautuminen tunnistuspalvelulla on käytössä.');
      expect(page).not.toContain(SECRET);
      expect(page).not.toContain('aukio-sealed');
      expect(page).toMatch(/<input[^>]*name="clientSecret"[^>]*value=""/);

      const audit = (await audits(admin.tenantId)).at(-1)!;
      expect(audit.actor_kind).toBe('staff');
      expect(audit.details).toEqual({ fields: ['enabled', 'issuer', 'clientId', 'clientSecret', 'displayName.fi', 'displayName.sv'], enabled: true });
      expect(JSON.stringify(await audits(admin.tenantId))).not.toContain(SECRET);

      // The sign-in page names the provider in the page language; the flow works with the opened secret.
      expect(await (await hostFetch(app, HOST_A)('/fi/staff/sign-in')).text()).toContain('Kirjaudu palvelulla Esimerkkilän tunnus');
      expect(await (await hostFetch(app, HOST_A)('/sv/staff/sign-in')).text()).toContain('Logga in med Exempelbys inloggning');
      expect(await (await hostFetch(app, HOST_A)('/en/staff/sign-in')).text()).toContain('Sign in with Esimerkkilän tunnus');
      idp.signInAs({ sub: 'admin-page-1', email: 'admin@esimerkkila.fi', emailVerified: true });
      expect(await oidcSignIn(app)).toBe('/fi/staff');
    });

    it('keeps the secret when the field is left empty, and turns OIDC off and on', async () => {
      const before = (await storedOidc(admin.tenantId))!;
      const same = await admin.post('/fi/staff/settings/sign-in', {
        enabled: '1',
        issuer: idp.issuer,
        clientId: CLIENT_ID,
        clientSecret: '',
        'displayName.fi': 'Esimerkkilän tunnus',
        'displayName.sv': 'Exempelbys inloggning',
        'displayName.en': '',
      });
      expect(same.headers.get('location')).toBe('/fi/staff/settings/sign-in?saved=0');
      expect((await storedOidc(admin.tenantId))!.clientSecret).toBe(before.clientSecret);

      const renamed = await admin.post('/fi/staff/settings/sign-in', {
        enabled: '1',
        issuer: idp.issuer,
        clientId: CLIENT_ID,
        'displayName.fi': 'Uusi nimi',
        'displayName.sv': 'Exempelbys inloggning',
        'displayName.en': 'Example sign-in',
      });
      expect(renamed.headers.get('location')).toBe('/fi/staff/settings/sign-in?saved=1');
      expect((await audits(admin.tenantId)).at(-1)!.details).toEqual({ fields: ['displayName.fi', 'displayName.en'], enabled: true });
      idp.signInAs({ sub: 'admin-page-1', email: 'admin@esimerkkila.fi', emailVerified: true });
      expect(await oidcSignIn(app)).toBe('/fi/staff');

      // Off: no button, no flow; the details stay, even with the provider unreachable (no discovery when off).
      const off = await admin.post('/fi/staff/settings/sign-in', { issuer: 'http://127.0.0.1:1', clientId: CLIENT_ID, 'displayName.fi': 'Uusi nimi' });
      expect(off.status).toBe(302);
      expect((await audits(admin.tenantId)).at(-1)!.details).toMatchObject({ enabled: false });
      expect(await (await hostFetch(app, HOST_A)('/fi/staff/sign-in')).text()).not.toContain('Kirjaudu palvelulla');
      expect(await oidcSignIn(app)).toBe('/fi/staff/sign-in?oidc_error=failed');
      expect(await (await admin.get('/fi/staff/settings/sign-in')).text()).toContain('Kirjautuminen tunnistuspalvelulla ei ole käytössä.');

      const on = await admin.post('/fi/staff/settings/sign-in', { enabled: '1', issuer: idp.issuer, clientId: CLIENT_ID, 'displayName.fi': 'Uusi nimi' });
      expect(on.status).toBe(302);
      idp.signInAs({ sub: 'admin-page-1', email: 'admin@esimerkkila.fi', emailVerified: true });
      expect(await oidcSignIn(app)).toBe('/fi/staff');
    });

    it('reads a plain-text secret set by SQL and seals it; a secret sealed under another key must be entered again', async () => {
      await db().query('update tenants set oidc = $2 where id = $1', [
        admin.tenantId,
        JSON.stringify({ issuer: idp.issuer, clientId: CLIENT_ID, clientSecret: SECRET, displayName: 'Vanha' }),
      ]);
      const view = await (await admin.api('GET', '/api/v1/tenant/oidc')).json();
      expect(view).toMatchObject({ enabled: true, configured: true, clientSecretSet: true, clientSecretReadable: true, displayName: { fi: 'Vanha', sv: 'Vanha', en: 'Vanha' } });
      idp.signInAs({ sub: 'admin-page-1', email: 'admin@esimerkkila.fi', emailVerified: true });
      expect(await oidcSignIn(app)).toBe('/fi/staff');
      const sealed = String((await storedOidc(admin.tenantId))!.clientSecret);
      expect(sealed).toMatch(/^aukio-sealed:v1:/);
      expect(new SecretBox(app.services.config.SESSION_SECRET).open(sealed, oidcSecretContext(admin.tenantId))).toBe(SECRET);

      // As if SESSION_SECRET had changed: the stored secret no longer opens.
      const foreign = new SecretBox('some-other-session-secret-of-32-chars!!').seal(SECRET, oidcSecretContext(admin.tenantId));
      await db().query(`update tenants set oidc = jsonb_set(oidc, '{clientSecret}', to_jsonb($2::text)) where id = $1`, [admin.tenantId, foreign]);
      expect(await (await hostFetch(app, HOST_A)('/fi/staff/sign-in')).text()).not.toContain('Kirjaudu palvelulla');
      expect(await (await admin.get('/fi/staff/settings/sign-in')).text()).toContain('Tallennettua salaisuutta ei voi avata');
      const keep = await admin.api('PUT', '/api/v1/tenant/oidc', { enabled: true, issuer: idp.issuer, clientId: CLIENT_ID });
      expect(keep.status).toBe(400);
      expect((await keep.json()).error.fields).toEqual({ clientSecret: 'required' });
      const again = await admin.api('PUT', '/api/v1/tenant/oidc', { enabled: true, issuer: idp.issuer, clientId: CLIENT_ID, clientSecret: SECRET });
      expect(again.status).toBe(200);
      expect(await (await hostFetch(app, HOST_A)('/fi/staff/sign-in')).text()).toContain('Kirjaudu palvelulla');
    });

    it('serves GET/PUT /api/v1/tenant/oidc to tenant admins and admin:settings tokens, secret write-only', async () => {
      const anon = await hostFetch(app, HOST_A)('/api/v1/tenant/oidc');
      expect(anon.status).toBe(401);
      const comms = await staffClient(app, HOST_A, 'viestinta@esimerkkila.fi');
      expect((await comms.api('GET', '/api/v1/tenant/oidc')).status).toBe(403);
      expect((await admin.api('PUT', '/api/v1/tenant/oidc', { enabled: false }, { csrf: false })).status).toBe(403);

      const got = await admin.api('GET', '/api/v1/tenant/oidc');
      expect(got.status).toBe(200);
      const body = await got.json();
      expect(body).toMatchObject({ enabled: true, issuer: idp.issuer, clientId: CLIENT_ID, clientSecretSet: true, redirectUri: `http://${HOST_A}/staff/oidc/callback` });
      expect(JSON.stringify(body)).not.toContain(SECRET);
      expect(JSON.stringify(body)).not.toContain('aukio-sealed');

      const tenantA = admin.tenantId;
      const settingsToken = await app.services.apiTokens.create(db(), tenantA, 'oidc-int', ['admin:settings'], null);
      const auditToken = await app.services.apiTokens.create(db(), tenantA, 'audit-int', ['audit:read'], null);
      const api = bearer(app, HOST_A, settingsToken.token);
      expect((await bearer(app, HOST_A, auditToken.token)('GET', '/api/v1/tenant/oidc')).status).toBe(403);
      // A token of tenant A on tenant B's host is not a valid credential there.
      expect([401, 404]).toContain((await bearer(app, HOST_B, settingsToken.token)('GET', '/api/v1/tenant/oidc')).status);

      const bad = await api('PUT', '/api/v1/tenant/oidc', { enabled: true, issuer: 'http://idp.example.fi', clientId: '', extra: 1 });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.code).toBe('validation_failed');
      const bad2 = await api('PUT', '/api/v1/tenant/oidc', { enabled: true, issuer: 'http://idp.example.fi', clientId: '' });
      expect((await bad2.json()).error.fields).toMatchObject({ issuer: 'https_required', clientId: 'required' });

      const put = await api('PUT', '/api/v1/tenant/oidc', {
        enabled: true,
        issuer: idp.issuer,
        clientId: CLIENT_ID,
        clientSecret: SECRET,
        displayName: { fi: 'API-nimi' },
      });
      expect(put.status).toBe(200);
      const putBody = await put.json();
      expect(putBody.changed).toEqual(['displayName.fi']);
      expect(putBody.settings).toMatchObject({ displayName: { fi: 'API-nimi' }, clientSecretSet: true });
      expect(JSON.stringify(putBody)).not.toContain(SECRET);
      const tokenAudit = (
        await db().query<{ actor_kind: string }>(`select actor_kind from audit_log where tenant_id = $1 and action = 'admin.oidc_changed' order by id desc limit 1`, [tenantA])
      ).rows[0];
      expect(tokenAudit.actor_kind).toBe('api_token');

      // Off and emptied: the configuration is removed.
      const removed = await api('PUT', '/api/v1/tenant/oidc', { enabled: false, issuer: '', clientId: '' });
      expect(removed.status).toBe(200);
      expect((await removed.json()).changed).toEqual(['removed']);
      expect(await storedOidc(tenantA)).toBeNull();
      expect((await (await api('GET', '/api/v1/tenant/oidc')).json()).configured).toBe(false);

      // Järvikylä's admin sees and changes only Järvikylä.
      const adminB = await staffClient(app, HOST_B, 'admin@jarvikyla.fi');
      expect((await (await adminB.api('GET', '/api/v1/tenant/oidc')).json()).configured).toBe(false);
    });
  });
}
