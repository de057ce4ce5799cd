import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/engines.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`platform on ${engine.name}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp(engine.name);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('resolves the tenant from the Host header', async () => {
      const a = await (await hostFetch(app, HOST_A)('/api/v1/tenant')).json();
      const b = await (await hostFetch(app, HOST_B)('/api/v1/tenant')).json();
      expect(a.slug).toBe('esimerkkila');
      expect(b.slug).toBe('jarvikyla');
      expect(b.languages).toEqual(['fi']);
      const plain = await (await hostFetch(app, 'localhost')('/api/v1/tenant')).json();
      expect(plain.slug).toBe('esimerkkila');
    });

    it('answers an unknown host with 404 and never another tenant', async () => {
      const page = await hostFetch(app, 'unknown.localhost')('/fi');
      expect(page.status).toBe(404);
      const html = await page.text();
      expect(html).not.toContain('Esimerkkilä');
      expect(html).not.toContain('Järvikylä');
      const api = await hostFetch(app, 'unknown.localhost')('/api/v1/tenant');
      expect(api.status).toBe(404);
      expect((await api.json()).error.code).toBe('unknown_tenant');
    });

    it('renders the front page per tenant and language', async () => {
      const fi = await hostFetch(app, HOST_A)('/fi');
      expect(fi.status).toBe(200);
      const html = await fi.text();
      expect(html).toContain('<html lang="fi"');
      expect(html).toContain('Esimerkkilän kaupunki');
      const sv = await (await hostFetch(app, HOST_A)('/sv')).text();
      expect(sv).toContain('<html lang="sv"');
      expect(sv).toContain('Exempelby stad');
      // Järvikylä has Finnish only: /sv is not a page there.
      expect((await hostFetch(app, HOST_B)('/sv')).status).toBe(404);
    });

    it('redirects / to the best language', async () => {
      const r = await hostFetch(app, HOST_A)('/', { headers: { 'accept-language': 'sv-FI,sv;q=0.9' } });
      expect(r.status).toBe(302);
      expect(r.headers.get('location')).toBe('/sv');
    });

    it('sends security headers with a per-response nonce', async () => {
      const r1 = await hostFetch(app, HOST_A)('/fi');
      const r2 = await hostFetch(app, HOST_A)('/fi');
      const csp1 = r1.headers.get('content-security-policy')!;
      expect(csp1).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
      expect(csp1).not.toBe(r2.headers.get('content-security-policy'));
      expect(r1.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r1.headers.get('x-frame-options')).toBe('DENY');
    });

    it('serves health, readiness and metrics', async () => {
      expect((await fetch(app.url + '/healthz')).status).toBe(200);
      expect(await (await fetch(app.url + '/readyz')).json()).toEqual({ status: 'ready' });
      const metrics = await (await fetch(app.url + '/metrics')).text();
      expect(metrics).toContain('aukio_http_request_duration_seconds');
    });

    it('answers unknown API routes in the error shape', async () => {
      const r = await hostFetch(app, HOST_A)('/api/v1/nope');
      expect(r.status).toBe(404);
      expect(await r.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    });

    it('renders a localized 404 page for unknown pages', async () => {
      const r = await hostFetch(app, HOST_A)('/sv/finns-inte');
      expect(r.status).toBe(404);
      expect(await r.text()).toContain('Sidan hittades inte');
    });

    it('schedules housekeeping and purges expired sessions and links', async () => {
      const sched = await app.services.db.query<{ cron: string }>(`select cron from pgboss.schedule where name = 'aukio.sessions.purge'`);
      expect(sched.rows[0]?.cron).toBe('17 * * * *');
      const tenant = (await app.services.tenancy.getBySlug('esimerkkila'))!;
      const staff = await app.services.db.query<{ id: string }>(`select id from staff_users where tenant_id = $1 limit 1`, [tenant.id]);
      await app.services.sessions.create(app.services.db, { tenantId: tenant.id, staffUserId: staff.rows[0].id, method: 'password' });
      await app.services.db.query(`update sessions set expires_at = now() - interval '1 minute' where tenant_id = $1`, [tenant.id]);
      await app.services.db.transaction((tx) => app.services.jobs.enqueue(tx, 'sessions.purge', { tenantId: 'system' }));
      const deadline = Date.now() + 20_000;
      let left = 1;
      while (Date.now() < deadline && left > 0) {
        await new Promise((r) => setTimeout(r, 250));
        left = Number((await app.services.db.query<{ n: string }>(`select count(*)::text as n from sessions where tenant_id = $1`, [tenant.id])).rows[0].n);
      }
      expect(left).toBe(0);
    });

    it('searches the built-in pages with Finnish inflection', async () => {
      const html = await (await hostFetch(app, HOST_A)('/fi/search?q=saavutettavuuspuutteita')).text();
      expect(html).toContain('/fi/accessibility');
      const none = await (await hostFetch(app, HOST_A)('/fi/search?q=xyzzyq')).text();
      expect(none).toContain('Emme löytäneet');
    });
  });
}
