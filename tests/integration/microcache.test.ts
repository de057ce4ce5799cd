import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_A, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * The anonymous page microcache (src/server/microcache.ts). It sits above the database,
 * so one engine is enough here.
 */
describe('anonymous page microcache', () => {
  let app: TestApp;
  let tenantId: string;
  beforeAll(async () => {
    app = await startTestApp('pglite', { work: false });
    tenantId = (await app.services.db.query<{ id: string }>(`select id from tenants where slug = 'esimerkkila'`)).rows[0].id;
  });
  afterAll(async () => {
    await app?.close();
  });

  const csrfCookie = (r: Response) => /aukio_csrf=([^;]+)/.exec(r.headers.getSetCookie().join('\n'))?.[1];
  const cspNonce = (r: Response) => /'nonce-([^']+)'/.exec(r.headers.get('content-security-policy') ?? '')?.[1];

  it('gives every response, cached or not, its own CSP nonce and CSRF token', async () => {
    const f = hostFetch(app, HOST_A);
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const r = await f('/fi');
      expect(r.status).toBe(200);
      const html = await r.text();
      const nonce = cspNonce(r)!;
      const csrf = csrfCookie(r)!;
      expect(nonce).toBeTruthy();
      expect(csrf).toMatch(/^[\w-]{20,}$/);
      const nonces = [...html.matchAll(/nonce="([^"]*)"/g)].map((m) => m[1]);
      expect(nonces.length).toBeGreaterThan(0);
      expect(new Set(nonces)).toEqual(new Set([nonce]));
      expect(html).toContain(csrf);
      seen.add(nonce).add(csrf);
    }
    expect(seen.size).toBe(6);
  });

  it("writes the visitor's own CSRF cookie into the page, and replaces a malformed one", async () => {
    const mine = 'M'.repeat(32);
    const r = await hostFetch(app, HOST_A)('/fi', { headers: { cookie: `aukio_csrf=${mine}` } });
    expect(await r.text()).toContain(mine);
    expect(csrfCookie(r)).toBeUndefined();
    const bad = `"><script>alert(1)</script>xxxxxxxxxx`;
    const r2 = await hostFetch(app, HOST_A)('/fi', { headers: { cookie: `aukio_csrf=${encodeURIComponent(bad)}` } });
    const html = await r2.text();
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain(csrfCookie(r2)!);
  });

  it('keeps the anonymous front page for a moment, never for signed-in people, and drops it when the tenant changes', async () => {
    const f = hostFetch(app, HOST_A);
    expect(await (await f('/fi')).text()).toContain('Esimerkkilän kaupunki');
    const current = await app.services.tenancy.get(tenantId);
    await app.services.db.transaction((tx) =>
      app.services.tenancy.updateSettings(tx, tenantId, { names: { ...current.names, fi: 'Välimuistilan kaupunki' } }),
    );
    try {
      // Anonymous: a settings change reloads the tenant, and a render of the old tenant is
      // never served again (a disabled language must not linger for seconds).
      expect(await (await f('/fi')).text()).toContain('Välimuistilan kaupunki');
      // A page that did not opt in is rendered afresh.
      expect(await (await f('/fi/privacy')).text()).toContain('Välimuistilan kaupunki');
      // Signed in: always rendered for the person.
      const staff = await app.services.db.query<{ id: string }>(`select id from staff_users where email = 'admin@esimerkkila.fi'`);
      const token = await app.services.sessions.create(app.services.db, { tenantId, staffUserId: staff.rows[0].id, method: 'password' });
      expect(await (await f('/fi', { headers: { cookie: `aukio_session=${token}` } })).text()).toContain('Välimuistilan kaupunki');
    } finally {
      await app.services.db.transaction((tx) => app.services.tenancy.updateSettings(tx, tenantId, { names: current.names }));
    }
  });

  it('keys the cache by tenant and URL', async () => {
    const a = await (await hostFetch(app, HOST_A)('/fi')).text();
    const b = await (await hostFetch(app, 'jarvikyla.localhost')('/fi')).text();
    expect(a).toContain('Esimerkkilä');
    expect(b).toContain('Järvikylän kunta');
    expect(b).not.toContain('Esimerkkilän kaupunki');
    const sv = await (await hostFetch(app, HOST_A)('/sv')).text();
    expect(sv).toContain('<html lang="sv"');
  });
});
