import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPtvSync, saveSyncSettings } from '../../src/modules/catalog/ptv-sync.ts';
import { engines } from '../helpers/engines.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { staffClient } from '../helpers/staff-session.ts';

/*
 * PTV import on PGlite and PostgreSQL: the API with tokens and sessions, idempotent
 * re-import, a changed and a broken document, limits, tenancy, the console page's multipart
 * upload, and the sync job against a local HTTP server.
 */

const FIXTURE_TEXT = readFileSync('src/server/demo/ptv-catalog.json', 'utf8');
const fixture = () => JSON.parse(FIXTURE_TEXT);
/** Small enough to test 413 with a body of a few hundred kB; the fixture (≈ 480 kB) fits. */
const MAX_BYTES = 600_000;
const BODY_LIMIT = 100_000;

async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 30_000, stepMs = 200): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** A multipart body as a browser would send it, for the console page's form. */
async function multipart(fields: Record<string, string>, file: { name: string; content: string } | null) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new Blob([file.content], { type: 'application/json' }), file.name);
  const req = new Request('http://localhost/', { method: 'POST', body: form });
  return { body: Buffer.from(await req.arrayBuffer()), contentType: req.headers.get('content-type')! };
}

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`PTV catalog import on ${engine.name}`, () => {
    let app: TestApp;
    let tenantA: string;
    let tenantB: string;
    let token: string;
    let weakToken: string;
    let ptv: Server;
    let ptvUrl: string;
    /** What the local "PTV API" answers: the fixture, an error status or a broken document. */
    let ptvMode: 'ok' | 'error' | 'invalid' = 'ok';

    const apiB = (path: string, init: { method?: string; body?: string | Buffer; headers?: Record<string, string>; token?: string | null } = {}) =>
      hostFetch(app, HOST_B)(path, {
        method: init.method ?? 'GET',
        headers: {
          ...(init.token === null ? {} : { authorization: `Bearer ${init.token ?? token}` }),
          ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...init.headers,
        },
        body: init.body,
      });

    const snapshot = async (tenantId: string) =>
      (
        await app.services.db.query(
          `select external_id, names, updated_at, content_hash from catalog_services where tenant_id = $1 order by external_id`,
          [tenantId],
        )
      ).rows;
    const count = async (table: string, tenantId: string) =>
      Number((await app.services.db.query<{ n: number }>(`select count(*)::int as n from ${table} where tenant_id = $1`, [tenantId])).rows[0].n);

    beforeAll(async () => {
      // BODY_LIMIT below the fixture's size: the import routes must use their own limit.
      app = await startTestApp(engine.name, {
        env: { BODY_LIMIT: String(BODY_LIMIT), CATALOG_IMPORT_MAX_BYTES: String(MAX_BYTES), PTV_SYNC_TIMEOUT_SECONDS: '5' },
      });
      tenantA = (await app.services.tenancy.resolveByHost(HOST_A))!.id;
      tenantB = (await app.services.tenancy.resolveByHost(HOST_B))!.id;
      token = (await app.services.apiTokens.create(app.services.db, tenantB, 'PTV integration', ['catalog:import'], null)).token;
      weakToken = (await app.services.apiTokens.create(app.services.db, tenantB, 'Reader', ['tenant:read'], null)).token;
      ptv = createServer((req, res) => {
        if (ptvMode === 'error') {
          res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
        } else if (ptvMode === 'invalid') {
          const doc = fixture();
          doc.services[2].type = 'Unknown';
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
        } else {
          res.writeHead(200, { 'content-type': 'application/json' }).end(FIXTURE_TEXT);
        }
      });
      await new Promise<void>((r) => ptv.listen(0, '127.0.0.1', r));
      ptvUrl = `http://127.0.0.1:${(ptv.address() as { port: number }).port}/ptv/v11/catalog.json`;
    });

    afterAll(async () => {
      await app?.close();
      await new Promise((r) => ptv?.close(r));
    });

    it('the demo seed imported the fixture into Esimerkkilä, and a second seed changes nothing', async () => {
      expect(await count('catalog_services', tenantA)).toBe(70);
      expect(await count('catalog_channels', tenantA)).toBe(89);
      const before = await snapshot(tenantA);
      const { seedDemo } = await import('../../src/server/seed.ts');
      await seedDemo(app.services);
      expect(await snapshot(tenantA)).toEqual(before);
    });

    it('imports the fixture through the API with a token: 70 services and 89 channels created', async () => {
      const res = await apiB('/api/v1/catalog/import', { method: 'POST', body: FIXTURE_TEXT });
      expect(res.status).toBe(200);
      const report = await res.json();
      expect(report).toMatchObject({ status: 'succeeded', source: 'api', created: 159, updated: 0, unchanged: 0, missing: 0, errors: [] });
      expect(report.services).toMatchObject({ created: 70, updated: 0, unchanged: 0 });
      expect(report.channels).toMatchObject({ created: 89, updated: 0, unchanged: 0 });
      expect(await count('catalog_services', tenantB)).toBe(70);
      expect(await count('catalog_service_channels', tenantB)).toBe(160);
      expect(await count('search_documents', tenantB)).toBe(88);
      const audit = await app.services.db.query(`select actor_kind, target_id from audit_log where tenant_id = $1 and action = 'catalog.imported'`, [
        tenantB,
      ]);
      expect(audit.rows).toEqual([{ actor_kind: 'api_token', target_id: report.runId }]);
    });

    it('re-importing reports everything unchanged and touches no row', async () => {
      const before = await snapshot(tenantB);
      const version = await app.services.contentVersions.current(tenantB);
      const res = await apiB('/api/v1/catalog/import', { method: 'POST', body: FIXTURE_TEXT });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ created: 0, updated: 0, unchanged: 159 });
      expect(await snapshot(tenantB)).toEqual(before);
      expect(await app.services.contentVersions.current(tenantB)).toBe(version);
    });

    it('a modified document updates what changed', async () => {
      const doc = fixture();
      doc.services[10].serviceDescriptions[0].value += ' Päivitetty.';
      doc.services[11].keywords.push({ language: 'fi', value: 'uusi hakusana' });
      doc.serviceChannels[0].serviceHours[0].openingHour[0].to = '15:30';
      const res = await apiB('/api/v1/catalog/import', { method: 'POST', body: JSON.stringify(doc) });
      expect(res.status).toBe(200);
      const report = await res.json();
      expect(report.services).toMatchObject({ created: 0, updated: 2, unchanged: 68 });
      expect(report.channels).toMatchObject({ created: 0, updated: 1, unchanged: 88 });
    });

    it('a broken file is refused whole with the exact path (422) and the database is unchanged', async () => {
      const before = await snapshot(tenantB);
      const doc = fixture();
      doc.services[0].serviceNames[0].value = 'Tämä ei saa tallentua';
      doc.services[41].serviceDescriptions[2].language = 'de';
      const res = await apiB('/api/v1/catalog/import', { method: 'POST', body: JSON.stringify(doc) });
      expect(res.status).toBe(422);
      const body = await res.json();
      expect(body.error).toMatchObject({
        code: 'invalid_catalog',
        errors: [{ path: 'services[41].serviceDescriptions[2].language', message: 'expected one of fi, sv, en' }],
      });
      expect(body.error.message).toEqual(expect.any(String));
      expect(await snapshot(tenantB)).toEqual(before);
      const runs = await (await apiB('/api/v1/catalog/import-runs')).json();
      expect(runs.runs[0]).toMatchObject({ status: 'failed', source: 'api', report: { errors: body.error.errors } });
    });

    it('authorization: no token 401, a token without the scope 403, staff without the role 403', async () => {
      expect((await apiB('/api/v1/catalog/import', { method: 'POST', body: '{}', token: null })).status).toBe(401);
      const weak = await apiB('/api/v1/catalog/import', { method: 'POST', body: FIXTURE_TEXT, token: weakToken });
      expect(weak.status).toBe(403);
      expect((await weak.json()).error).toMatchObject({ code: 'forbidden', requiredScope: 'catalog:import' });
      expect((await apiB('/api/v1/catalog/import-runs', { token: weakToken })).status).toBe(403);
      const cs = await staffClient(app, HOST_A, 'asiakaspalvelu@esimerkkila.fi');
      expect((await cs.api('POST', '/api/v1/catalog/import', fixture())).status).toBe(403);
      expect((await cs.get('/api/v1/catalog/import-runs')).status).toBe(403);
      // A communications session must echo the CSRF token.
      const comms = await staffClient(app, HOST_A, 'viestinta@esimerkkila.fi');
      expect((await comms.api('POST', '/api/v1/catalog/import', fixture(), { csrf: false })).status).toBe(403);
      const ok = await comms.api('POST', '/api/v1/catalog/import', fixture());
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ source: 'upload', unchanged: 159 });
    });

    it('the other tenant sees nothing of it', async () => {
      // Esimerkkilä has its own (seeded) copy; Järvikylä's edits and runs are not in it.
      const a = await app.services.db.query<{ summary: { fi: string } }>(
        `select summary from catalog_services where tenant_id = $1 and external_id = $2`,
        [tenantA, fixture().services[10].id],
      );
      expect(a.rows[0].summary.fi).not.toContain('Päivitetty');
      const comms = await staffClient(app, HOST_A, 'viestinta@esimerkkila.fi');
      const runs = (await (await comms.get('/api/v1/catalog/import-runs')).json()).runs as { source: string; actorLabel: string }[];
      expect(runs.some((r) => r.actorLabel === 'PTV integration')).toBe(false);
      // Järvikylä's token does not work on Esimerkkilä's host.
      const cross = await hostFetch(app, HOST_A)('/api/v1/catalog/import-runs', { headers: { authorization: `Bearer ${token}` } });
      expect(cross.status).toBe(401);
    });

    it('malformed JSON 400, wrong content type 415, too big 413 (while other routes keep BODY_LIMIT)', async () => {
      const bad = await apiB('/api/v1/catalog/import', { method: 'POST', body: '{"services": [' });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.code).toBe('malformed_json');
      const text = await apiB('/api/v1/catalog/import', { method: 'POST', body: FIXTURE_TEXT, headers: { 'content-type': 'text/plain' } });
      expect(text.status).toBe(415);
      expect((await text.json()).error.code).toBe('unsupported_media_type');
      const big = await apiB('/api/v1/catalog/import', { method: 'POST', body: JSON.stringify({ pad: 'x'.repeat(MAX_BYTES) }) });
      expect(big.status).toBe(413);
      expect((await big.json()).error.code).toBe('payload_too_large');
      // Every other route keeps the global BODY_LIMIT (smaller than the fixture here).
      const comms = await staffClient(app, HOST_A, 'viestinta@esimerkkila.fi');
      const other = await comms.api('PATCH', '/api/v1/me/preferences', { preferredLanguage: 'fi', pad: 'x'.repeat(BODY_LIMIT) });
      expect(other.status).toBe(413);
      const page = await hostFetch(app, HOST_A)('/fi/staff/settings', {
        method: 'POST',
        headers: { cookie: comms.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: `_csrf=${comms.csrf}&pad=${'x'.repeat(BODY_LIMIT)}`,
      });
      expect(page.status).toBe(413);
      const notObject = await apiB('/api/v1/catalog/import', { method: 'POST', body: '[1,2]' });
      expect(notObject.status).toBe(422);
      expect((await notObject.json()).error.errors[0].path).toBe('(document)');
    });

    it('the console page imports an uploaded file (multipart, no JavaScript) and shows the report', async () => {
      const comms = await staffClient(app, HOST_A, 'viestinta@esimerkkila.fi');
      const page = await comms.get('/fi/staff/catalog/import');
      expect(page.status).toBe(200);
      const doc = fixture();
      doc.services[5].serviceNames[0].value = 'Muutettu nimi';
      const { body, contentType } = await multipart({ _csrf: comms.csrf, intent: 'upload' }, { name: 'ptv.json', content: JSON.stringify(doc) });
      const res = await hostFetch(app, HOST_A)('/fi/staff/catalog/import', { method: 'POST', headers: { cookie: comms.cookie, 'content-type': contentType }, body });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('id="import-report"');
      expect(html).toMatch(/data-count="services-updated">1</);
      expect(html).toMatch(/data-count="services-unchanged">69</);
      const row = await app.services.db.query<{ names: { fi: string } }>(`select names from catalog_services where tenant_id = $1 and external_id = $2`, [
        tenantA,
        doc.services[5].id,
      ]);
      expect(row.rows[0].names.fi).toBe('Muutettu nimi');

      // A broken file: the errors with their paths on the page, nothing written.
      doc.serviceChannels[3].phoneNumbers = [{ number: 'call us', language: 'fi' }];
      const broken = await multipart({ _csrf: comms.csrf, intent: 'upload' }, { name: 'ptv.json', content: JSON.stringify(doc) });
      const res2 = await hostFetch(app, HOST_A)('/fi/staff/catalog/import', { method: 'POST', headers: { cookie: comms.cookie, 'content-type': broken.contentType }, body: broken.body });
      expect(res2.status).toBe(422);
      expect(await res2.text()).toContain('serviceChannels[3].phoneNumbers[0].number');

      // Not JSON at all.
      const junk = await multipart({ _csrf: comms.csrf, intent: 'upload' }, { name: 'ptv.json', content: 'not json' });
      const res3 = await hostFetch(app, HOST_A)('/fi/staff/catalog/import', { method: 'POST', headers: { cookie: comms.cookie, 'content-type': junk.contentType }, body: junk.body });
      expect(res3.status).toBe(400);

      // Customer service staff may not open or post to the page.
      const cs = await staffClient(app, HOST_A, 'asiakaspalvelu@esimerkkila.fi');
      expect((await cs.get('/fi/staff/catalog/import')).status).toBe(403);
      const csPost = await multipart({ _csrf: cs.csrf, intent: 'upload' }, { name: 'ptv.json', content: FIXTURE_TEXT });
      expect(
        (await hostFetch(app, HOST_A)('/fi/staff/catalog/import', { method: 'POST', headers: { cookie: cs.cookie, 'content-type': csPost.contentType }, body: csPost.body }))
          .status,
      ).toBe(403);
    });

    it('sync: admins set the URL on the page, "Sync now" imports through the job, failures are failed runs', async () => {
      const admin = await staffClient(app, HOST_B, 'admin@jarvikyla.fi');
      const saved = await admin.post('/fi/staff/catalog/import', { intent: 'sync-settings', url: ptvUrl, enabled: 'on' });
      expect(saved.status).toBe(200);
      const done = () =>
        app.services.db.query<{ status: string; report: any }>(
          `select status, report from catalog_import_runs where tenant_id = $1 and source = 'sync' order by started_at desc limit 1`,
          [tenantB],
        );
      ptvMode = 'ok';
      const now = await admin.post('/fi/staff/catalog/import', { intent: 'sync-now' });
      expect(now.status).toBe(200);
      const run = await waitFor(async () => (await done()).rows[0]);
      expect(run.status).toBe('succeeded');
      // The document is the fixture again, so the earlier modification is undone: 3 updated.
      expect(run.report).toMatchObject({ updated: 3, created: 0 });

      ptvMode = 'error';
      await expect(runPtvSync(app.services, tenantB, { manual: true })).rejects.toThrow(/HTTP 500/);
      expect((await done()).rows[0]).toMatchObject({ status: 'failed', report: { errors: [{ path: '(fetch)', message: 'the PTV URL answered HTTP 500' }] } });

      ptvMode = 'invalid';
      const before = await snapshot(tenantB);
      await expect(runPtvSync(app.services, tenantB, { manual: true })).resolves.toBeNull();
      expect((await done()).rows[0]).toMatchObject({
        status: 'failed',
        report: { errors: [{ path: 'services[2].type', message: 'expected one of Service, PermitOrObligation' }] },
      });
      expect(await snapshot(tenantB)).toEqual(before);

      // Unreachable: a network error, retried by the queue.
      await saveSyncSettings(app.services, tenantB, { kind: 'staff', user: { id: admin.userId, tenantId: tenantB, email: 'admin@jarvikyla.fi', name: 'A', totpEnabled: false, grants: [{ role: 'tenant_admin', orgUnitId: null }] }, sessionId: 'x' }, { url: 'http://127.0.0.1:1/ptv.json', enabled: true });
      await expect(runPtvSync(app.services, tenantB)).rejects.toThrow(/could not reach/);

      // The nightly scheduler enqueues one job per tenant with the sync on.
      ptvMode = 'ok';
      await saveSyncSettings(app.services, tenantB, { kind: 'staff', user: { id: admin.userId, tenantId: tenantB, email: 'admin@jarvikyla.fi', name: 'A', totpEnabled: false, grants: [{ role: 'tenant_admin', orgUnitId: null }] }, sessionId: 'x' }, { url: ptvUrl, enabled: true });
      const runsBefore = await count('catalog_import_runs', tenantB);
      await app.services.db.transaction((tx) => app.services.jobs.enqueue(tx, 'catalog.ptv-sync-schedule', { tenantId: 'system' }));
      await waitFor(async () => (await count('catalog_import_runs', tenantB)) > runsBefore && (await done()).rows[0].status === 'succeeded');
    });
  });
}
