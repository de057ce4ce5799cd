import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/modules/identity/actor.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { engines } from '../helpers/engines.ts';

/*
 * The resident side of feedback on both engines: the JSON API (categories, suggestion,
 * submission with Idempotency-Key, the follow view), the address register (search with
 * typos, reverse), and the form page as a browser without JavaScript posts it (multipart
 * with files: limits, sniffing, EXIF GPS stripping; server-side geocoding), and the
 * private follow-up page (404s, "was this fixed?" once, XSS inert).
 */

/** A browser of one tenant host: keeps cookies, finds the CSRF token. */
function browser(app: TestApp, host: string) {
  const jar = new Map<string, string>();
  const f = hostFetch(app, host);
  const request = async (path: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}) => {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const r = await f(path, { ...init, headers: { ...(cookie ? { cookie } : {}), ...(init.headers ?? {}) } });
    for (const sc of r.headers.getSetCookie()) {
      const [kv] = sc.split(';');
      const i = kv.indexOf('=');
      if (!kv.slice(i + 1) || /max-age=0/i.test(sc)) jar.delete(kv.slice(0, i));
      else jar.set(kv.slice(0, i), kv.slice(i + 1));
    }
    return r;
  };
  const page = async (path: string) => {
    const r = await request(path);
    const html = await r.text();
    return { r, html, csrf: /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '', key: /name="idempotencyKey" value="([^"]+)"/.exec(html)?.[1] ?? '' };
  };
  const postForm = (path: string, fields: Record<string, string>) =>
    request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  const postMultipart = async (path: string, fields: [string, string][], files: { name: string; data: Uint8Array; type: string }[] = []) => {
    const form = new FormData();
    for (const [k, v] of fields) form.append(k, v);
    for (const file of files) form.append('files', new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
    const req = new Request('http://localhost/', { method: 'POST', body: form });
    return request(path, { method: 'POST', headers: { 'content-type': req.headers.get('content-type')! }, body: Buffer.from(await req.arrayBuffer()) });
  };
  return { request, page, postForm, postMultipart };
}

/** A tiny JPEG-shaped file with an EXIF APP1 segment holding a GPS IFD. */
function jpegWithGps(): Uint8Array {
  const exifBody = Buffer.concat([
    Buffer.from('Exif\0\0', 'binary'),
    // TIFF header (little-endian), IFD0 with one entry: GPSInfo (0x8825) → offset 26
    Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00]),
    Buffer.from([0x01, 0x00, 0x25, 0x88, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
    // GPS IFD: one entry GPSLatitudeRef = 'N'
    Buffer.from([0x01, 0x00, 0x01, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x00, 0x4e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
    Buffer.from('GPSMARKER-61.4978N', 'ascii'),
  ]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), Buffer.from([(exifBody.length + 2) >> 8, (exifBody.length + 2) & 0xff]), exifBody]);
  const rest = Buffer.from([0xff, 0xdb, 0x00, 0x04, 0x00, 0x00, 0xff, 0xda, 0x00, 0x02, 0x11, 0x22, 0x33, 0xff, 0xd9]);
  return new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xd8]), app1, rest]));
}

const has = (bytes: Uint8Array, text: string) => Buffer.from(bytes).includes(Buffer.from(text, 'ascii'));

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`feedback, resident side (${engine.name})`, () => {
    let app: TestApp;
    let tenantA: string;
    const a = () => hostFetch(app, HOST_A);
    const json = (body: unknown, headers: Record<string, string> = {}) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

    beforeAll(async () => {
      app = await startTestApp(engine.name, { env: { FEEDBACK_ATTACHMENT_MAX_BYTES: '65536', FEEDBACK_RATE_PER_IP_HOUR: '1000' } });
      const t = await app.services.db.query<{ id: string }>(`select id from tenants where slug = 'esimerkkila'`);
      tenantA = t.rows[0].id;
    }, 120_000);
    afterAll(() => app?.close());

    it('lists active categories with their questions, and suggests one from a description', async () => {
      const r = await a()('/api/v1/feedback/categories?lang=en');
      expect(r.status).toBe(200);
      const body = (await r.json()) as { items: { code: string; name: string; attributes: { code: string; datatype: string }[] }[] };
      const pothole = body.items.find((c) => c.code === 'pothole')!;
      expect(pothole.name).toBe('Pothole or street damage');
      expect(pothole.attributes.map((x) => x.code)).toEqual(['size', 'hazard']);
      const s = await a()(`/api/v1/feedback/suggest?${new URLSearchParams({ q: 'Iso kuoppa asfaltissa', lang: 'fi' })}`);
      expect(((await s.json()) as { category: { code: string } | null }).category?.code).toBe('pothole');
    });

    it('finds addresses by prefix, in Swedish, without umlauts and with a typo; reverse finds the nearest', async () => {
      const search = async (q: string, lang = 'fi') =>
        ((await (await a()(`/api/v1/places/search?${new URLSearchParams({ q, lang })}`)).json()) as { items: { label: string; lat: number; lon: number }[] }).items;
      expect((await search('Hämeenkatu 12'))[0].label).toBe('Hämeenkatu 12');
      expect((await search('hameenkatu 12'))[0].label).toBe('Hämeenkatu 12');
      expect((await search('Tavastgatan 12', 'sv'))[0].label).toBe('Tavastgatan 12');
      expect((await search('Hämenkatu 12'))[0].label).toBe('Hämeenkatu 12');
      const prefix = await search('Raatihuoneen');
      expect(prefix.length).toBeGreaterThan(3);
      expect(prefix.every((p) => p.label.startsWith('Raatihuoneenkatu'))).toBe(true);
      // The catalog's units are in the register at their own coordinates.
      const unit = (await search('Raatihuoneenkatu 1'))[0];
      expect(unit).toMatchObject({ label: 'Raatihuoneenkatu 1', lat: 60.4012, lon: 24.9087 });
      const rev = await a()('/api/v1/places/reverse?lat=60.40121&lon=24.90872&lang=sv');
      expect(((await rev.json()) as { place: { label: string } }).place.label).toBe('Rådhusgatan 1');
      const far = await a()('/api/v1/places/reverse?lat=61.0&lon=25.5');
      expect(((await far.json()) as { place: unknown }).place).toBeNull();
      expect((await a()('/api/v1/places/reverse?lat=abc&lon=1')).status).toBe(400);
      // Another tenant has its own register.
      const b = hostFetch(app, HOST_B);
      const other = (await (await b('/api/v1/places/search?q=Hämeenkatu')).json()) as { items: unknown[] };
      expect(other.items).toEqual([]);
    });

    it('accepts a submission over the API; the same Idempotency-Key returns the same case', async () => {
      const body = { category: 'pothole', description: 'Kuoppa API:n kautta', address: 'Hämeenkatu 3', lat: 60.3986, lon: 24.9006, lang: 'fi', attributes: { size: 'small' } };
      const first = await a()('/api/v1/feedback', json(body, { 'idempotency-key': 'api-key-1' }));
      expect(first.status).toBe(201);
      const created = (await first.json()) as { number: number; followUrl: string };
      expect(created.followUrl).toMatch(/\/fi\/feedback\/follow\/[\w-]+$/);
      const again = await a()('/api/v1/feedback', json({ ...body, description: 'Kuoppa API:n kautta (toinen klikkaus)' }, { 'idempotency-key': 'api-key-1' }));
      expect(again.status).toBe(200);
      expect(((await again.json()) as { number: number }).number).toBe(created.number);
      const token = created.followUrl.split('/').pop()!;
      const view = await a()(`/api/v1/feedback/follow/${token}`);
      expect(view.headers.get('referrer-policy')).toBe('no-referrer');
      expect(((await view.json()) as { number: number }).number).toBe(created.number);
      // The honeypot: a bot that fills every field is refused.
      const bot = await a()('/api/v1/feedback', json({ ...body, description: 'Bot', website: 'http://spam.example' }));
      expect(bot.status).toBe(400);
      expect(((await bot.json()) as { error: { code: string } }).error.code).toBe('spam_suspected');
      const bad = await a()('/api/v1/feedback', json({ category: 'pothole', description: '', lang: 'fi' }));
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields.description).toBe('required');
    });

    it('the form page without JavaScript: choose, geocode, send with a photo (GPS stripped), land on the confirmation', async () => {
      const b = browser(app, HOST_A);
      const first = await b.page('/fi/feedback/new');
      expect(first.r.status).toBe(200);
      expect(first.html).toContain('name="website"');
      // Step 1: the category; "Continue" shows its questions.
      const step = await b.postMultipart('/fi/feedback/new', [
        ['_csrf', first.csrf],
        ['idempotencyKey', first.key],
        ['category', 'pothole'],
        ['description', 'Kuoppa'],
        ['intent', 'choose'],
      ]);
      expect(step.status).toBe(200);
      const html = await step.text();
      expect(html).toContain('name="attr.size"');
      expect(html).toContain('name="address"');
      // The "Suggest" button works on the server too.
      const sug = await b.postMultipart('/fi/feedback/new', [
        ['_csrf', first.csrf],
        ['idempotencyKey', first.key],
        ['description', 'Syvä kuoppa asfaltissa'],
        ['intent', 'suggest'],
      ]);
      expect(await sug.text()).toMatch(/<button type="submit" value="pothole" name="useCategory">/);

      // An ambiguous address offers a choice; a typed one with a number is geocoded.
      const amb = await b.postMultipart('/fi/feedback/new', [
        ['_csrf', first.csrf],
        ['idempotencyKey', first.key],
        ['category', 'pothole'],
        ['description', 'Kuoppa jossain Hämeenkadulla'],
        ['address', 'Hämeenkatu'],
        ['intent', 'send'],
      ]);
      expect(amb.status).toBe(400);
      const ambHtml = await amb.text();
      expect(ambHtml).toContain('name="placeId"');
      const missing = await b.postMultipart('/fi/feedback/new', [
        ['_csrf', first.csrf],
        ['idempotencyKey', first.key],
        ['category', 'pothole'],
        ['description', 'Kuoppa'],
        ['address', 'Olematonkuja 99'],
        ['intent', 'send'],
      ]);
      expect(missing.status).toBe(400);
      expect(await missing.text()).toContain('Osoitetta ei löytynyt');

      const fields: [string, string][] = [
        ['_csrf', first.csrf],
        ['idempotencyKey', first.key],
        ['category', 'pothole'],
        ['description', 'Syvä kuoppa <script>alert(1)</script> pyörätiellä'],
        ['attr.size', 'large'],
        ['address', 'hameenkatu 12'],
        ['contactEmail', 'kuoppa@example.com'],
        ['website', ''],
        ['intent', 'send'],
      ];
      const sent = await b.postMultipart('/fi/feedback/new', fields, [{ name: 'kuoppa.jpg', data: jpegWithGps(), type: 'image/jpeg' }]);
      expect(sent.status).toBe(302);
      const location = sent.headers.get('location')!;
      expect(location).toMatch(/^\/fi\/feedback\/follow\/[\w-]+\?sent=1$/);
      // A double click posts the same form again: the same case.
      const twice = await b.postMultipart('/fi/feedback/new', fields, [{ name: 'kuoppa.jpg', data: jpegWithGps(), type: 'image/jpeg' }]);
      expect(twice.headers.get('location')).toBe(location);

      const token = location.split('/').pop()!.split('?')[0];
      const c = await app.services.feedback.followView(tenantA, token);
      expect(c.address).toBe('Hämeenkatu 12, 00990 Esimerkkilä');
      expect(c.lat).toBeCloseTo(60.3985, 2);
      expect(c.attachments).toHaveLength(1);

      const follow = await b.page(location);
      expect(follow.r.status).toBe(200);
      expect(follow.r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(follow.r.headers.get('x-robots-tag')).toContain('noindex');
      expect(follow.r.headers.get('cache-control')).toContain('no-store');
      expect(follow.r.headers.get('etag')).toBeNull();
      expect(follow.html).toContain('Kiitos palautteestasi');
      expect(follow.html).toContain(`numero on ${c.number}`);
      // The description is text, not markup.
      expect(follow.html).not.toContain('<script>alert(1)</script>');
      expect(follow.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');

      const file = await b.request(`/fi/feedback/follow/${token}/attachments/${c.attachments[0].id}`);
      expect(file.status).toBe(200);
      expect(file.headers.get('x-content-type-options')).toBe('nosniff');
      expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="kuoppa.jpg"/);
      const bytes = new Uint8Array(await file.arrayBuffer());
      expect(bytes[0]).toBe(0xff);
      expect(has(bytes, 'GPSMARKER')).toBe(false);
      // Another case's attachment id with this token is not there.
      expect((await b.request(`/fi/feedback/follow/${token}/attachments/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    });

    it('keeps the photo location only when the resident shares it', async () => {
      const b = browser(app, HOST_A);
      const p = await b.page('/fi/feedback/new?category=pothole');
      const sent = await b.postMultipart(
        '/fi/feedback/new',
        [
          ['_csrf', p.csrf],
          ['idempotencyKey', p.key],
          ['category', 'pothole'],
          ['description', 'Kuoppa, sijainti jaettu'],
          ['address', 'Torikatu 8'],
          ['keepLocation', 'on'],
          ['intent', 'send'],
        ],
        [{ name: 'gps.jpg', data: jpegWithGps(), type: 'image/jpeg' }],
      );
      expect(sent.status).toBe(302);
      const token = sent.headers.get('location')!.split('/').pop()!.split('?')[0];
      const c = await app.services.feedback.followView(tenantA, token);
      expect(c.attachments[0].locationKept).toBe(true);
      const file = await b.request(`/fi/feedback/follow/${token}/attachments/${c.attachments[0].id}`);
      expect(has(new Uint8Array(await file.arrayBuffer()), 'GPSMARKER')).toBe(true);
    });

    it('refuses an oversized file (413) and a program renamed to .jpg (415) on the form page', async () => {
      const b = browser(app, HOST_A);
      const p = await b.page('/fi/feedback/new?category=pothole');
      const base: [string, string][] = [
        ['_csrf', p.csrf],
        ['idempotencyKey', p.key],
        ['category', 'pothole'],
        ['description', 'Liitetesti'],
        ['address', 'Torikatu 8'],
        ['intent', 'send'],
      ];
      const big = new Uint8Array(70_000);
      big.set([0xff, 0xd8, 0xff, 0xe0]);
      const tooBig = await b.postMultipart('/fi/feedback/new', base, [{ name: 'iso.jpg', data: big, type: 'image/jpeg' }]);
      expect(tooBig.status).toBe(413);
      expect(await tooBig.text()).toContain('iso.jpg');
      const exe = new Uint8Array(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(500, 0x90)]));
      const renamed = await b.postMultipart('/fi/feedback/new', base, [{ name: 'kuva.jpg', data: exe, type: 'image/jpeg' }]);
      expect(renamed.status).toBe(415);
      expect(await renamed.text()).toContain('ei ole kuva eikä PDF');
      // Beyond the page's whole-body limit (files × size + BODY_LIMIT) Fastify itself answers 413.
      const huge = new Uint8Array(5 * 65536 + 1024 * 1024 + 10);
      const wall = await b.postMultipart('/fi/feedback/new', base, [{ name: 'huge.pdf', data: huge, type: 'application/pdf' }]);
      expect(wall.status).toBe(413);
    });

    it('the follow page: 404 for a wrong token and for another tenant; "was this fixed?" once; add information', async () => {
      const r = await app.services.feedback.submit(
        { kind: 'anonymous' },
        tenantA,
        { categoryCode: 'pothole', description: 'Seurattava kuoppa', address: 'Torikatu 8', lang: 'fi' },
        { channel: 'web', ip: '10.9.9.9' },
      );
      const token = r.followToken!;
      const b = browser(app, HOST_A);
      expect((await b.request('/fi/feedback/follow/not-a-real-token-at-all')).status).toBe(404);
      const other = browser(app, HOST_B);
      const cross = await other.request(`/fi/feedback/follow/${token}`);
      expect(cross.status).toBe(404);
      expect(cross.headers.get('x-robots-tag')).toContain('noindex');

      // Add information while open.
      const p = await b.page(`/fi/feedback/follow/${token}`);
      expect(p.html).toContain('name="intent" value="info"');
      expect(p.html).not.toContain('name="fixed"');
      // The page's no-referrer policy makes browsers send "Origin: null" with its forms: the CSRF
      // token decides, not the opaque origin.
      const post = (fields: Record<string, string>) =>
        b.request(`/fi/feedback/follow/${token}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'null' },
          body: new URLSearchParams(fields).toString(),
        });
      expect((await post({ intent: 'info', body: 'Ilman tunnistetta' })).status).toBe(403);
      const info = await post({ _csrf: p.csrf, intent: 'info', body: 'Kuoppa on nyt isompi.' });
      expect(info.status).toBe(302);
      expect(info.headers.get('location')).toBe(`/fi/feedback/follow/${token}?done=info`);

      // Staff resolves; the page asks "was this fixed?" and accepts one answer.
      const u = await app.services.db.query<{ id: string; name: string }>(`select id, name from staff_users where email = 'katu@esimerkkila.fi'`);
      const g = await app.services.db.query<{ role: 'unit_staff'; org_unit_id: string | null }>('select role, org_unit_id from role_grants where user_id = $1', [u.rows[0].id]);
      const staff: Actor = {
        kind: 'staff',
        sessionId: 't',
        user: { id: u.rows[0].id, tenantId: tenantA, email: 'katu@esimerkkila.fi', name: u.rows[0].name, totpEnabled: false, grants: g.rows.map((x) => ({ role: x.role, orgUnitId: x.org_unit_id })) },
      };
      await app.services.feedback.addNote(staff, tenantA, r.caseId, 'SISÄINEN MUISTIINPANO');
      await app.services.feedback.reply(staff, tenantA, r.caseId, { body: 'Korjasimme kuopan.', status: 'resolved' });
      const resolved = await b.page(`/fi/feedback/follow/${token}`);
      expect(resolved.html).toContain('Korjasimme kuopan.');
      expect(resolved.html).toContain('Kuoppa on nyt isompi.');
      expect(resolved.html).not.toContain('SISÄINEN MUISTIINPANO');
      expect(resolved.html).not.toContain(u.rows[0].name);
      expect(resolved.html).toContain('name="fixed"');
      const yes = await b.postForm(`/fi/feedback/follow/${token}`, { _csrf: resolved.csrf, intent: 'fixed', fixed: 'yes', comment: 'Kiitos!' });
      expect(yes.status).toBe(302);
      const again = await b.postForm(`/fi/feedback/follow/${token}`, { _csrf: resolved.csrf, intent: 'fixed', fixed: 'no' });
      expect(again.status).toBe(409);
      const after = await b.page(`/fi/feedback/follow/${token}`);
      expect(after.html).not.toContain('name="fixed"');
      expect((await app.services.feedback.followView(tenantA, token)).fixed).toBe('yes');
    });

    it('My Aukio: a signed-in resident finds their feedback, sees the same view, answers from there; others get 404', async () => {
      const b = browser(app, HOST_A);
      const idp = await b.page('/fi/dev-idp?next=%2Ffi%2Fmy');
      expect((await b.postForm('/fi/dev-idp', { _csrf: idp.csrf, person: '010280-952L', next: '/fi/my' })).status).toBe(302);
      // Signed in, the JSON API rides on the session cookie: it must echo the CSRF token.
      const apiBody = JSON.stringify({ category: 'praise', description: 'Kiitos puistosta', lang: 'fi' });
      const noToken = await b.request('/api/v1/feedback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: apiBody });
      expect(noToken.status).toBe(403);
      const form = await b.page('/fi/feedback/new?category=pothole');
      const withToken = await b.request('/api/v1/feedback', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': form.csrf }, body: apiBody });
      expect(withToken.status).toBe(201);
      // Signed in: the name is prefilled.
      expect(form.html).toContain('value="Sanna Testinen"');
      const sent = await b.postMultipart('/fi/feedback/new', [
        ['_csrf', form.csrf],
        ['idempotencyKey', form.key],
        ['category', 'pothole'],
        ['description', 'Kirjautuneen asukkaan kuoppa'],
        ['address', 'Torikatu 8'],
        ['intent', 'send'],
      ]);
      expect(sent.status).toBe(302);
      const my = await b.page('/fi/my/feedback');
      expect(my.r.status).toBe(200);
      const id = /href="\/fi\/my\/feedback\/([0-9a-f-]{36})"/.exec(my.html)?.[1];
      expect(id).toBeTruthy();
      const view = await b.page(`/fi/my/feedback/${id}`);
      expect(view.r.status).toBe(200);
      expect(view.html).toContain('Kirjautuneen asukkaan kuoppa');
      expect(view.r.headers.get('referrer-policy')).toBe('no-referrer');
      const action = /<form[^>]*action="(\/fi\/feedback\/follow\/[\w-]+)"/.exec(view.html)?.[1];
      expect(action).toBeTruthy();
      const info = await b.postForm(action!, { _csrf: view.csrf, intent: 'info', body: 'Lisää My-sivulta', returnTo: `/fi/my/feedback/${id}` });
      expect(info.headers.get('location')).toBe(`/fi/my/feedback/${id}?done=info`);
      // Somebody else (anonymous, or another tenant) does not see it.
      expect((await browser(app, HOST_A).request(`/fi/my/feedback/${id}`)).status).toBe(302);
      const other = browser(app, HOST_A);
      const idp2 = await other.page('/fi/dev-idp?next=%2Ffi%2Fmy');
      const persons = [...idp2.html.matchAll(/value="(\d{6}[-+A]\d{3}[0-9A-Z])"/g)].map((m) => m[1]).filter((p) => p !== '010280-952L');
      if (persons.length) {
        await other.postForm('/fi/dev-idp', { _csrf: idp2.csrf, person: persons[0], next: '/fi/my' });
        expect((await other.request(`/fi/my/feedback/${id}`)).status).toBe(404);
      }
    });
  });
}
