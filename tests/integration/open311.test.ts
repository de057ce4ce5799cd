import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/modules/identity/actor.ts';
import { DEMO_OPEN311_KEY } from '../../src/server/demo/feedback.ts';
import { engines } from '../helpers/engines.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { staffClient, staffActor } from '../helpers/staff-session.ts';
import { Open311Client, Open311ClientError, parseXml, type Format } from '../helpers/open311-client.ts';

/*
 * Open311 GeoReport v2 on both engines, spoken to by a client written from the spec
 * (tests/helpers/open311-client.ts) in JSON and in XML: services, definitions, posting,
 * tokens, reading, filters and the default window, the spec's errors, privacy of GET,
 * XSS-inert XML, tenant isolation and the case's arrival in the unit's queue.
 */

const XSS = `Kuoppa <script>alert("x")</script> ]]> & 'lainaus' \u0001`;


async function failure(p: Promise<unknown>): Promise<Open311ClientError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Open311ClientError) return e;
    throw e;
  }
  throw new Error('expected an Open311 error');
}

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`Open311 GeoReport v2 (${engine.name})`, () => {
    let app: TestApp;
    let tenantA: string;
    let tenantB: string;
    let street: Actor;
    let moderator: Actor;
    let keyB: string;
    let keyANoScope: string;
    let seq = 0;
    const email = () => `o311-${engine.name}-${++seq}@example.com`;
    const client = (format: Format, opts: { apiKey?: string; host?: string; jurisdictionId?: string } = {}) =>
      new Open311Client(hostFetch(app, opts.host ?? HOST_A), { format, apiKey: 'apiKey' in opts ? opts.apiKey : DEMO_OPEN311_KEY, jurisdictionId: opts.jurisdictionId });

    beforeAll(async () => {
      app = await startTestApp(engine.name);
      const t = await app.services.db.query<{ id: string; slug: string }>('select id, slug from tenants');
      tenantA = t.rows.find((r) => r.slug === 'esimerkkila')!.id;
      tenantB = t.rows.find((r) => r.slug === 'jarvikyla')!.id;
      street = await staffActor(app, tenantA, 'katu@esimerkkila.fi');
      moderator = await staffActor(app, tenantA, 'moderaattori@esimerkkila.fi');
      keyB = (await app.services.apiTokens.create(app.services.db, tenantB, 'Järvikylä Open311', ['open311'], null)).token;
      keyANoScope = (await app.services.apiTokens.create(app.services.db, tenantA, 'Catalog only', ['catalog:write'], null)).token;
    }, 120_000);
    afterAll(() => app?.close());

    for (const format of ['json', 'xml'] as const) {
      it(`lists services and their definitions (${format})`, async () => {
        const c = client(format);
        const services = await c.services();
        const pothole = services.find((s) => s.service_code === 'pothole')!;
        expect(pothole).toMatchObject({ service_name: 'Katuvaurio tai kuoppa', metadata: true, type: 'realtime', group: 'Kadut ja liikenne' });
        expect(services.find((s) => s.service_code === 'praise')?.metadata).toBe(false);
        const def = await c.serviceDefinition('pothole');
        expect(def.service_code).toBe('pothole');
        const size = def.attributes.find((a) => a.code === 'size')!;
        expect(size).toMatchObject({ variable: true, datatype: 'singlevaluelist', required: false, order: 1, description: 'Vaurion koko' });
        expect(size.values.map((v) => v.key)).toEqual(['small', 'medium', 'large']);
        expect(size.datatype_description).toBeTruthy();
        const bin = (await c.serviceDefinition('waste-bin')).attributes.find((a) => a.code === 'bin')!;
        expect(bin.required).toBe(true);
        // The language follows locale (the v2.1 draft's parameter) or Accept-Language.
        const sv = await new Open311Client(hostFetch(app, HOST_A), { format }).call(`services.${format}?locale=sv_FI`);
        expect(JSON.stringify(sv.value)).toContain('Gatuskada eller grop');
      });

      it(`posts a request, resolves its token and reads its status (${format})`, async () => {
        const c = client(format);
        const [created] = await c.postRequest({
          service_code: 'pothole',
          lat: 61.4981,
          long: 23.7608,
          address_string: 'Hämeenkatu 10',
          email: email(),
          first_name: 'Olli',
          last_name: 'Open',
          phone: '+358 40 123 4567',
          description: `${XSS} ${format}`,
          media_url: 'https://kuvat.example.com/kuoppa.jpg',
          account_id: 'acct-42',
          device_id: 'device-7',
          attribute: { size: 'large', hazard: 'yes' },
        });
        expect(created.service_request_id).toMatch(/^\d+$/);
        expect(created.account_id).toBe('acct-42');
        expect(created.service_notice).toBeTruthy();
        const id = created.service_request_id!;

        // Stored as posted, in the one case flow: channel, client, attributes, contact, media_url kept.
        const row = (
          await app.services.db.query<{ id: string; description: string; attributes: unknown; contact_email: string; contact_name: string; channel: string; api_token_id: string; open311_token: string }>(
            'select id, description, attributes, contact_email, contact_name, channel, api_token_id, open311_token from feedback_cases where tenant_id = $1 and number = $2',
            [tenantA, Number(id)],
          )
        ).rows[0];
        expect(row.description).toBe(`${XSS} ${format}`);
        expect(row.attributes).toEqual({ size: 'large', hazard: 'yes' });
        expect(row.channel).toBe('open311');
        expect(row.contact_name).toBe('Olli Open');
        expect(row.api_token_id).toBeTruthy();
        const created_ev = await app.services.db.query<{ data: Record<string, unknown> }>(`select data from feedback_case_events where case_id = $1 and kind = 'created'`, [row.id]);
        expect(created_ev.rows[0].data).toMatchObject({ channel: 'open311', mediaUrl: 'https://kuvat.example.com/kuoppa.jpg', accountId: 'acct-42', deviceId: 'device-7' });

        // It is in the street maintenance unit's queue like any web case.
        const queue = await app.services.feedback.queue(street, tenantA, { status: 'open' });
        expect(queue.items.some((i) => i.id === row.id && i.channel === 'open311')).toBe(true);
        // The handler sees the client's media_url as a link to the other site (never fetched), and its ids.
        const handler = await staffClient(app, HOST_A, 'katu@esimerkkila.fi');
        const casePage = await (await handler.get(`/en/staff/feedback/cases/${row.id}`)).text();
        expect(casePage).toContain('From the Open311 app');
        expect(casePage).toMatch(/<a href="https:\/\/kuvat\.example\.com\/kuoppa\.jpg" target="_blank" rel="noopener noreferrer nofollow"/);
        expect(casePage).toContain('device-7');
        expect(casePage).not.toContain('<script>alert');

        // tokens/{token}
        const [t] = await c.token(row.open311_token);
        expect(t).toEqual({ service_request_id: id, token: row.open311_token });

        // Before publication: status, service and location, but not the resident's words, contact or media.
        const [before] = await c.request(id);
        expect(before).toMatchObject({ service_request_id: id, status: 'open', service_code: 'pothole', description: null, status_notes: null, media_url: null, lat: 61.4981, long: 23.7608 });
        // The typed address may be a home: it waits for publication too.
        expect(before.address ?? null).toBeNull();
        expect(before.agency_responsible).toBe('Katujen kunnossapito');
        expect(before.requested_datetime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
        expect(before.expected_datetime).toBeTruthy();
        const raw = await (await hostFetch(app, HOST_A)(`/open311/v2/requests/${id}.${format}`)).text();
        for (const secret of ['Olli', 'example.com', '123 4567', 'acct-42', 'device-7', 'alert', 'Kuoppa']) expect(raw).not.toContain(secret);

        // The handler proposes public texts (markup in them stays text): still nothing public while pending.
        await app.services.feedbackPublication.propose(street, tenantA, row.id, { publicDescription: `Julkinen ${XSS}`, publicAnswer: 'Korjataan <b>viikolla</b> 48 ]]>' });
        expect((await c.request(id))[0]).toMatchObject({ description: null, status_notes: null, media_url: null });
        // A moderator approves; the case is then resolved.
        await app.services.feedbackPublication.approve(moderator, tenantA, row.id);
        await app.services.feedback.setStatus(street, tenantA, row.id, 'resolved');
        const [after] = await c.request(id);
        expect(after.status).toBe('closed');
        // XML 1.0 cannot carry U+0001 at all: it is dropped there, kept (escaped) in JSON.
        expect(after.description).toBe(`Julkinen ${format === 'xml' ? XSS.replace('\u0001', '') : XSS}`);
        expect(after.status_notes).toBe('Korjataan <b>viikolla</b> 48 ]]>');
        expect(after.media_url).toBe('https://kuvat.example.com/kuoppa.jpg');
        expect(after.address).toBe('Hämeenkatu 10');
        expect(after.expected_datetime).toBeNull();
        if (format === 'xml') {
          const xml = await (await hostFetch(app, HOST_A)(`/open311/v2/requests/${id}.xml`)).text();
          expect(xml).not.toContain('<script>');
          expect(xml).not.toContain(']]>');
          expect(xml).toContain('&lt;script&gt;');
        }
      });

      it(`filters requests and keeps to the default window (${format})`, async () => {
        const c = client(format);
        const light = await c.postRequest({ service_code: 'street-light', lat: 61.5, long: 23.7, description: `Lamppu pimeänä ${format}`, attribute: { pole: 'P-12' } });
        const bin = await c.postRequest({ service_code: 'waste-bin', description: `Astia tyhjentämättä ${format}`, attribute: { bin: 'bio' } });
        const old = await c.postRequest({ service_code: 'street-light', lat: 61.5, long: 23.7, description: `Vanha lamppu ${format}` });
        await app.services.db.query(`update feedback_cases set created_at = now() - interval '100 days' where tenant_id = $1 and number = $2`, [tenantA, Number(old[0].service_request_id)]);
        const lightId = light[0].service_request_id!;
        const binId = bin[0].service_request_id!;
        const oldId = old[0].service_request_id!;

        const all = await c.requests();
        const ids = all.map((r) => r.service_request_id);
        expect(ids).toEqual(expect.arrayContaining([lightId, binId]));
        expect(ids).not.toContain(oldId);
        // Newest first.
        expect(ids.indexOf(binId)).toBeLessThan(ids.indexOf(lightId));

        const lights = await c.requests({ service_code: ['street-light'] });
        expect(lights.every((r) => r.service_code === 'street-light')).toBe(true);
        expect(lights.map((r) => r.service_request_id)).toContain(lightId);
        const two = await c.requests({ service_code: ['street-light', 'waste-bin'] });
        expect(two.map((r) => r.service_request_id)).toEqual(expect.arrayContaining([lightId, binId]));

        expect((await c.requests({ status: ['closed'] })).every((r) => r.status === 'closed')).toBe(true);
        const repeated = await c.call(`requests.${format}?service_code=street-light&service_code=waste-bin`);
        expect(JSON.stringify(repeated.value)).toContain(binId);
        expect((await c.requests({ status: ['open'] })).map((r) => r.service_request_id)).toContain(binId);

        const past = await c.requests({ start_date: new Date(Date.now() - 110 * 86_400_000).toISOString(), end_date: new Date(Date.now() - 80 * 86_400_000).toISOString() });
        expect(past.map((r) => r.service_request_id)).toContain(oldId);
        expect(past.map((r) => r.service_request_id)).not.toContain(lightId);

        // service_request_id overrides everything else, the window too.
        const byId = await c.requests({ service_request_id: [oldId, binId], service_code: ['pothole'] });
        expect(byId.map((r) => r.service_request_id).sort()).toEqual([oldId, binId].sort());

        expect((await failure(c.requests({ start_date: '2026-01-01T00:00:00Z', end_date: '2026-06-01T00:00:00Z' }))).status).toBe(400);
        expect((await failure(c.requests({ start_date: 'eilen' }))).errors[0].description).toContain('start_date');
        expect((await failure(c.requests({ status: ['pending' as 'open'] }))).errors[0].description).toContain('status');
      });

      it(`answers with the spec's errors (${format})`, async () => {
        const post = { service_code: 'pothole', lat: 61.5, long: 23.7, description: 'Kuoppa' };
        for (const apiKey of ['aukio_wrong-key', undefined, keyB, keyANoScope]) {
          const e = await failure(client(format, { apiKey }).postRequest(post));
          expect(e.status).toBe(403);
          expect(e.errors[0]).toMatchObject({ code: 403 });
          expect(e.errors[0].description).toContain('api_key');
        }
        const unknownService = await failure(client(format).postRequest({ ...post, service_code: 'no-such-service' }));
        expect(unknownService.status).toBe(400);
        expect(unknownService.errors[0].description).toContain('service_code');
        expect((await failure(client(format).serviceDefinition('no-such-service'))).status).toBe(404);

        const badLat = await failure(client(format).postRequest({ ...post, lat: 'pohjoinen' as unknown as number }));
        expect(badLat.status).toBe(400);
        expect(badLat.errors[0].description).toMatch(/^lat /);
        const badAttr = await failure(client(format).postRequest({ ...post, attribute: { size: 'huge' } }));
        expect(badAttr.errors[0].description).toContain('attribute[size]');
        const missing = await failure(client(format).postRequest({ service_code: 'waste-bin', description: 'Astia' }));
        expect(missing.errors.map((x) => x.description).join(' ')).toContain('attribute[bin]');
        const halfPlace = await failure(client(format).postRequest({ service_code: 'pothole', description: 'Jossain', lat: 61.5 }));
        expect(halfPlace.errors[0].description).toMatch(/^lat\/long /);
        const noPlace = await failure(client(format).postRequest({ service_code: 'pothole', description: 'Jossain' }));
        expect(noPlace.errors[0].description).toContain('address_string');
        const badMedia = await failure(client(format).postRequest({ ...post, media_url: 'javascript:alert(1)' }));
        expect(badMedia.errors[0].description).toContain('media_url');
        const badEmail = await failure(client(format).postRequest({ ...post, email: 'ei-osoite' }));
        expect(badEmail.errors[0].description).toContain('email');

        // Unknown jurisdiction, on the tenant's host and on a host that names none.
        expect((await failure(client(format, { jurisdictionId: 'atlantis' }).services())).status).toBe(404);
        expect((await failure(client(format, { host: 'api.example.net' }).services())).status).toBe(404);
        expect((await failure(client(format, { host: 'api.example.net', jurisdictionId: 'atlantis' }).postRequest(post))).status).toBe(404);

        // Another tenant's request: not found through this tenant.
        const [b] = await client(format, { host: HOST_B, apiKey: keyB }).postRequest({ service_code: 'general', description: 'Järvikylän palaute' });
        expect((await failure(client(format).request(b.service_request_id!))).status).toBe(404);
        expect(await client(format).requests({ service_request_id: [b.service_request_id!] })).toEqual([]);
        expect((await client(format, { host: HOST_B }).request(b.service_request_id!))[0].service_code).toBe('general');
        expect((await failure(client(format).request('abc'))).status).toBe(404);
        expect((await failure(client(format).token('no-such-token'))).status).toBe(404);
      });

      it(`keeps markup in any field inert in the answer (${format})`, async () => {
        // Markup in an attribute code comes back in the error description; the XML still parses.
        const e = await failure(
          client(format).postRequest({ service_code: 'street-light', lat: 61.5, long: 23.7, description: XSS, attribute: { '<script>alert(1)</script>': `<x>]]>` } }),
        );
        expect(e.status).toBe(400);
        expect(e.errors[0].description).toContain('attribute[<script>alert(1)</script>]');
        const res = await hostFetch(app, HOST_A)(`/open311/v2/requests.${format}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ api_key: DEMO_OPEN311_KEY, service_code: 'street-light', lat: '61.5', long: '23.7', description: XSS, 'attribute[<script>alert(1)</script>]': ']]>' }).toString(),
        });
        const text = await res.text();
        expect(text).not.toContain('<script>');
        if (format === 'xml') expect(() => parseXml(text)).not.toThrow();
        else expect(text).not.toMatch(/<|\u2028/);
        // A string attribute with markup is accepted and stored as text.
        const [ok] = await client(format).postRequest({ service_code: 'street-light', lat: 61.5, long: 23.7, description: `Pylväs ${format}`, attribute: { pole: `<script>alert(1)</script>]]>` } });
        const r = await app.services.db.query<{ attributes: Record<string, string> }>('select attributes from feedback_cases where tenant_id = $1 and number = $2', [tenantA, Number(ok.service_request_id)]);
        expect(r.rows[0].attributes.pole).toBe('<script>alert(1)</script>]]>');
      });
    }

    it('accepts JSON bodies, multivaluelist attributes and jurisdiction_id on a shared host', async () => {
      await app.services.db.query(
        `update feedback_categories set attributes = attributes || $2::jsonb where tenant_id = $1 and code = 'complaint'`,
        [
          tenantA,
          JSON.stringify([
            {
              code: 'topics',
              datatype: 'multivaluelist',
              required: false,
              order: 1,
              description: { fi: 'Aiheet', sv: 'Ämnen', en: 'Topics' },
              values: [
                { key: 'noise', name: { fi: 'Melu', sv: 'Buller', en: 'Noise' } },
                { key: 'litter', name: { fi: 'Roskat', sv: 'Skräp', en: 'Litter' } },
              ],
            },
          ]),
        ],
      );
      const shared = client('json', { host: 'api.example.net', jurisdictionId: 'esimerkkila' });
      const [r] = await shared.postRequest({ service_code: 'complaint', description: 'Melua ja roskia', attribute: { topics: ['noise', 'litter'] } });
      const row = await app.services.db.query<{ attributes: unknown }>('select attributes from feedback_cases where tenant_id = $1 and number = $2', [tenantA, Number(r.service_request_id)]);
      expect(row.rows[0].attributes).toEqual({ topics: ['noise', 'litter'] });

      const res = await hostFetch(app, HOST_A)('/open311/v2/requests.json', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ api_key: DEMO_OPEN311_KEY, service_code: 'complaint', description: 'JSON-palaute', attribute: { topics: ['litter'] } }),
      });
      expect(res.status).toBe(201);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      const body = (await res.json()) as { service_request_id: string }[];
      expect(body[0].service_request_id).toMatch(/^\d+$/);
      // A host name as jurisdiction_id works too.
      const byHost = await client('xml', { host: 'api.example.net', jurisdictionId: 'jarvikyla.localhost' }).services();
      expect(byHost.map((s) => s.service_code)).toContain('general');
      const discovery = await new Open311Client(hostFetch(app, HOST_A), { format: 'xml' }).call('discovery.xml');
      expect(discovery.root).toBe('discovery');
      expect(JSON.stringify(discovery.value)).toContain('http://wiki.open311.org/GeoReport_v2');
    });

    it('works with a key a tenant admin creates on the API tokens page, until it is revoked', async () => {
      const admin = await staffClient(app, HOST_A, 'admin@esimerkkila.fi');
      const page = await (await admin.get('/en/staff/api-tokens')).text();
      expect(page).toContain('Feedback through the Open311 GeoReport v2 API');
      expect(page).toContain('Open311 apps');
      expect(page).toMatch(/<code>http:\/\/esimerkkila\.localhost\/open311\/v2<\/code>/);
      expect(page).toContain('<code>esimerkkila</code>');
      const created = await (await admin.post('/fi/staff/api-tokens', { intent: 'create', name: 'Palautesovellus', scopes: ['open311'] })).text();
      const key = /id="new-token"[^>]*value="(aukio_[A-Za-z0-9_-]+)"/.exec(created)?.[1] ?? /value="(aukio_[A-Za-z0-9_-]+)"[^>]*id="new-token"/.exec(created)?.[1];
      expect(key).toBeTruthy();
      const c = client('xml', { apiKey: key });
      const [r] = await c.postRequest({ service_code: 'praise', description: 'Kiitos nopeasta korjauksesta' });
      const row = await app.services.db.query<{ name: string }>(
        'select t.name from feedback_cases c join api_tokens t on t.id = c.api_token_id where c.tenant_id = $1 and c.number = $2',
        [tenantA, Number(r.service_request_id)],
      );
      expect(row.rows[0].name).toBe('Palautesovellus');
      const id = (await app.services.apiTokens.list(tenantA)).find((t) => t.name === 'Palautesovellus')!.id;
      await admin.post('/fi/staff/api-tokens', { intent: 'revoke', id });
      expect((await failure(c.postRequest({ service_code: 'praise', description: 'Toinen kiitos' }))).status).toBe(403);
    });

    it('answers odd input with a 4xx in the spec shape, never a 500', async () => {
      const f = hostFetch(app, HOST_A);
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const cases: [string, { method?: string; headers?: Record<string, string>; body?: string }][] = [
        ['/open311/v2/services/.json', {}],
        ['/open311/v2/services/pothole', {}],
        ['/open311/v2/services/pothole.html', {}],
        ['/open311/v2/requests/..json', {}],
        ['/open311/v2/requests/99999999999999999999.json', {}],
        ['/open311/v2/tokens/%3Cscript%3E.xml', {}],
        ['/open311/v2/requests.json?jurisdiction_id=' + 'x'.repeat(5000), {}],
        ['/open311/v2/requests.json?start_date=' + '9'.repeat(100), {}],
        ['/open311/v2/requests.json?service_request_id=1,2,x', {}],
        ['/open311/v2/requests.json?start_date=%2B275760-09-13T00:00:00Z', {}],
        ['/open311/v2/requests.json?end_date=-271821-04-20T00:00:00Z', {}],
        ['/open311/v2/requests.json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,2]' }],
        ['/open311/v2/requests.json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"api_key":' }],
        ['/open311/v2/requests.json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: DEMO_OPEN311_KEY, service_code: { a: 1 } }) }],
        ['/open311/v2/requests.xml', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x--' }],
        ['/open311/v2/requests.xml', { method: 'POST', headers: form, body: `api_key=${DEMO_OPEN311_KEY}&service_code=pothole&lat=1e400&long=NaN&description=x` }],
        ['/open311/v2/requests.xml', { method: 'POST', headers: form, body: `api_key=${DEMO_OPEN311_KEY}&service_code=pothole&lat=95&long=23&description=x` }],
        ['/open311/v2/requests.xml', { method: 'POST', headers: form, body: `api_key=${DEMO_OPEN311_KEY}&service_code=pothole&address_id=nope&description=x` }],
        ['/open311/v2/requests.xml', { method: 'POST', headers: form, body: `api_key=${DEMO_OPEN311_KEY}&service_code=pothole&address_string=x&description=${'x'.repeat(4001)}` }],
        ['/open311/v2/requests.xml', { method: 'POST', headers: form, body: `api_key=${DEMO_OPEN311_KEY}&service_code=waste-bin&attribute[bin][]=bio&attribute[bin][]=paper&description=x` }],
        ['/open311/v2/requests.xml', { method: 'POST', headers: form, body: `api_key=${DEMO_OPEN311_KEY}&service_code=waste-bin&attribute[bin]=bio&attribute[missed]=huomenna&description=x` }],
        ['/open311/v2/requests.json', { method: 'DELETE' }],
        ['/open311/v3/services.json', {}],
      ];
      for (const [path, init] of cases) {
        const r = await f(path, init);
        const text = await r.text();
        expect(r.status, `${init.method ?? 'GET'} ${path.slice(0, 80)}: ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(r.status, path.slice(0, 80)).toBeLessThan(500);
        if (path.split('?')[0].endsWith('.xml')) expect(() => parseXml(text)).not.toThrow();
        else expect(Array.isArray(JSON.parse(text))).toBe(true);
      }
    });

    it('returns at most 1000 requests by default', async () => {
      await app.services.db.query(
        `insert into feedback_cases (tenant_id, category_id, org_unit_id, channel, description, lang, follow_token_hash, follow_token_sealed, open311_token, due_at)
         select k.tenant_id, k.id, k.org_unit_id, 'open311', 'bulk ' || i, 'fi', md5('f' || i || random()), 'x', md5('o' || i || random()), now() + interval '7 days'
         from feedback_categories k, generate_series(1, 1010) i where k.tenant_id = $1 and k.code = 'praise'`,
        [tenantA],
      );
      const all = await client('json').requests();
      expect(all.length).toBe(1000);
    });

    it('counts a double post once (same content within a minute)', async () => {
      const post = { service_code: 'pothole', lat: 61.51, long: 23.71, description: `Tupla ${engine.name}` };
      const [a, b] = await Promise.all([client('json').postRequest(post), client('xml').postRequest(post)]);
      expect(a[0].service_request_id).toBe(b[0].service_request_id);
    });
  });
}
