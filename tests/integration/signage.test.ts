import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import type { NewsItem } from '../../src/modules/newsroom/model.ts';
import type { Actor } from '../../src/modules/identity/actor.ts';
import { DEMO_SCREEN_TOKEN } from '../../src/server/demo/signage.ts';
import { engines } from '../helpers/engines.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { openSse } from '../helpers/sse.ts';
import { staffActor, staffClient } from '../helpers/staff-session.ts';

/*
 * Info-TV signage on both engines: registering screens through the console form, unit
 * scoping of unit staff, URL rotation (the old URL is a 404), the playlist JSON (news,
 * bulletins for the screen's unit only, today's hours, an image-bank image, a free-text
 * slide), live refresh over SSE when the newsroom publishes, urgent notices' active window
 * by a manual clock, another tenant's screens, bad input.
 */

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const HOUR = 3_600_000;

type Client = Awaited<ReturnType<typeof staffClient>>;

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`signage (${engine.name})`, () => {
    let app: TestApp;
    const clock = new ManualClock();
    let comms: Client;
    let unitStaff: Client;
    let agent: Client;
    let publisher: Client;
    let adminB: Client;
    let commsActor: Actor;
    let tenantId: string;
    let satakieli: string;
    let torikulma: string;
    let fetchA: ReturnType<typeof hostFetch>;

    beforeAll(async () => {
      app = await startTestApp(engine.name, { clock });
      comms = await staffClient(app, HOST_A, 'viestinta@esimerkkila.fi');
      unitStaff = await staffClient(app, HOST_A, 'paivakoti@esimerkkila.fi');
      agent = await staffClient(app, HOST_A, 'asiakaspalvelu@esimerkkila.fi');
      publisher = await staffClient(app, HOST_A, 'julkaisija@esimerkkila.fi');
      adminB = await staffClient(app, HOST_B, 'admin@jarvikyla.fi');
      tenantId = comms.tenantId;
      commsActor = await staffActor(app, tenantId, 'viestinta@esimerkkila.fi');
      const units = await app.services.db.query<{ id: string; fi: string }>(`select id, names->>'fi' as fi from org_units where tenant_id = $1`, [tenantId]);
      satakieli = units.rows.find((u) => u.fi === 'Päiväkoti Satakieli')!.id;
      torikulma = units.rows.find((u) => u.fi === 'Palvelupiste Torikulma')!.id;
      fetchA = hostFetch(app, HOST_A);
    }, 120_000);
    afterAll(() => app?.close());

    /** Registers through the console form (as a browser without JavaScript would) and reads the URL shown once. */
    const register = async (who: Client, fields: Record<string, string>) => {
      const r = await who.post('/fi/staff/signage?index', { locationNote: '', orientation: 'landscape', lang: 'fi', slideSeconds: '10', ...fields });
      const html = await r.text();
      const url = /value="(https?:\/\/[^"]+\/signage\/([\w-]+))"/.exec(html);
      return { status: r.status, html, url: url?.[1], token: url?.[2] };
    };
    const playlist = async (token: string, host = HOST_A) => {
      const r = await hostFetch(app, host)(`/signage/${token}/playlist.json`);
      return { status: r.status, body: (await r.json()) as Record<string, any> };
    };
    const publish = async (body: Record<string, unknown>) => {
      const r = await comms.api('POST', '/api/v1/news/items', body);
      expect(r.status, await r.clone().text()).toBe(201);
      const item = (await r.json()) as NewsItem;
      expect((await comms.api('POST', `/api/v1/news/items/${item.id}/transitions`, { action: 'submit' })).status).toBe(200);
      const done = await publisher.api('POST', `/api/v1/news/items/${item.id}/transitions`, { action: 'approve', publish: true });
      expect(done.status, await done.clone().text()).toBe(200);
      return item;
    };
    const screenId = async (token: string) => (await app.services.signage.screenByToken(tenantId, token))!.id;

    let lobby: { token: string; id: string };
    let office: { token: string; id: string };

    it('communications registers a screen; the URL is shown once and opens the screen page', async () => {
      const r = await register(comms, { name: 'Satakielen aula', orgUnitId: satakieli, locationNote: 'Pääovi' });
      expect(r.status, r.html.slice(0, 300)).toBe(200);
      expect(r.token).toBeTruthy();
      lobby = { token: r.token!, id: await screenId(r.token!) };
      // Only the hash is stored; the token itself appears nowhere in the database row.
      const row = await app.services.db.query<{ token_hash: string }>('select token_hash from signage_screens where id = $1', [lobby.id]);
      expect(row.rows[0].token_hash).not.toContain(r.token);
      // The list shows the screen but never its URL again.
      const list = await (await comms.get('/fi/staff/signage')).text();
      expect(list).toContain('Satakielen aula');
      expect(list).not.toContain(r.token);

      const page = await fetchA(`/signage/${lobby.token}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<html lang="fi"');
      expect(html).toContain('<main');
      expect(html).not.toContain('staff-layout');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      // Without JavaScript a refresh inside <noscript> steps to the next slide.
      expect(html).toContain(`<noscript><meta http-equiv="refresh" content="10;url=/signage/${lobby.token}?slide=0">`);

      const o = await register(comms, { name: 'Torikulman info', orgUnitId: torikulma, lang: 'sv' });
      expect(o.status).toBe(200);
      office = { token: o.token!, id: await screenId(o.token!) };
      expect((await fetchA(`/signage/${office.token}`)).status).toBe(200);
      expect(await (await fetchA(`/signage/${office.token}`)).text()).toContain('<html lang="sv"');
    });

    it('unit staff see and manage only the screens of their own units; other roles get 403', async () => {
      const list = await (await unitStaff.get('/fi/staff/signage')).text();
      expect(list).toContain('Satakielen aula');
      expect(list).not.toContain('Torikulman info');
      expect((await unitStaff.get(`/fi/staff/signage/${lobby.id}`)).status).toBe(200);
      expect((await unitStaff.get(`/fi/staff/signage/${office.id}`)).status).toBe(404);
      expect((await unitStaff.post(`/fi/staff/signage/${office.id}`, { intent: 'rotate' })).status).toBe(404);
      const denied = await register(unitStaff, { name: 'Väärä yksikkö', orgUnitId: torikulma });
      expect(denied.status).toBe(400);
      expect(denied.token).toBeUndefined();
      const own = await register(unitStaff, { name: 'Satakielen taukotila', orgUnitId: satakieli });
      expect(own.status).toBe(200);
      expect((await agent.get('/fi/staff/signage')).status).toBe(403);
      // Unit staff may not take over every screen of the tenant, only their units' screens.
      const all = await unitStaff.post('/fi/staff/signage/notices', { intent: 'create', messageFi: 'Kaikille', target: 'all' });
      expect(all.status).toBe(400);
      const other = await unitStaff.post('/fi/staff/signage/notices', { intent: 'create', messageFi: 'Torikulmaan', target: 'units', unitIds: torikulma });
      expect(other.status).toBe(400);
    });

    it('rotating the URL invalidates the old one at once (page, JSON and stream)', async () => {
      const stream = await openSse(app, HOST_A, {}, `/signage/${lobby.token}/events`);
      expect(stream.status).toBe(200);
      const r = await comms.post(`/fi/staff/signage/${lobby.id}`, { intent: 'rotate' });
      expect(r.status).toBe(200);
      const fresh = /value="https?:\/\/[^"]+\/signage\/([\w-]+)"/.exec(await r.text())?.[1];
      expect(fresh).toBeTruthy();
      expect(fresh).not.toBe(lobby.token);
      await stream.ended;
      expect((await fetchA(`/signage/${lobby.token}`)).status).toBe(404);
      const old = await playlist(lobby.token);
      expect(old.status).toBe(404);
      expect(old.body.error.code).toBe('not_found');
      expect((await openSse(app, HOST_A, {}, `/signage/${lobby.token}/events`)).status).toBe(404);
      lobby.token = fresh!;
      expect((await fetchA(`/signage/${lobby.token}`)).status).toBe(200);
    });

    it('the playlist combines news, bulletins for the unit, today’s hours, an image and a free text', async () => {
      const signage = app.services.signage;
      const image = await app.services.newsroom.addMedia(commsActor, tenantId, {
        itemId: null,
        kind: 'image',
        filename: 'kaupungintalo.png',
        data: PNG,
        meta: { alt: { fi: 'Kaupungintalo talvella' }, inImageBank: true },
      });
      const location = (await signage.hoursLocations(tenantId))[0];
      expect(location).toBeTruthy();
      await signage.addSlide(commsActor, tenantId, lobby.id, { kind: 'news', count: 2 });
      await signage.addSlide(commsActor, tenantId, lobby.id, { kind: 'bulletins', count: 5 });
      await signage.addSlide(commsActor, tenantId, lobby.id, { kind: 'hours', locationId: location.id });
      await signage.addSlide(commsActor, tenantId, lobby.id, { kind: 'image', mediaId: image.id });
      await signage.addSlide(commsActor, tenantId, lobby.id, { kind: 'text', title: 'Tervetuloa Satakieleen', body: 'Muistakaa sisäkengät.' });
      await publish({ kind: 'bulletin', title: { fi: 'Satakielen tiimipalaveri' }, audience: 'staff', audienceUnitIds: [satakieli] });
      await publish({ kind: 'bulletin', title: { fi: 'Torikulman kassa uusitaan' }, audience: 'staff', audienceUnitIds: [torikulma] });

      const { status, body } = await playlist(lobby.token);
      expect(status).toBe(200);
      expect(body.version).toMatch(/^[0-9a-f]{16}$/);
      const kinds = body.slides.map((s: { kind: string }) => s.kind);
      expect(kinds.filter((k: string) => k === 'news')).toHaveLength(2);
      const bulletins = body.slides.filter((s: { kind: string }) => s.kind === 'bulletin').map((s: { title: string }) => s.title);
      expect(bulletins).toContain('Satakielen tiimipalaveri');
      expect(bulletins).toContain('Tietoturvakoulutus on pakollinen kaikille');
      expect(bulletins).not.toContain('Torikulman kassa uusitaan');
      const hours = body.slides.find((s: { kind: string }) => s.kind === 'hours');
      expect(hours.name).toBeTruthy();
      expect(typeof hours.open).toBe('boolean');
      expect(hours.html).toContain('Aukioloajat tänään');
      const img = body.slides.find((s: { kind: string }) => s.kind === 'image');
      expect(img.url).toBe(image.url);
      expect(img.alt).toBe('Kaupungintalo talvella');
      expect(img.html).toContain('alt="Kaupungintalo talvella"');
      expect(body.slides.at(-1)).toMatchObject({ kind: 'text', title: 'Tervetuloa Satakieleen' });
      expect(body.notice).toBeNull();
      // The no-JavaScript page opens at ?slide=n with only that slide showing, and refreshes to the next.
      const stepped = await (await fetchA(`/signage/${lobby.token}?slide=1`)).text();
      const shown = [...stepped.matchAll(/<(?:article|figure)( hidden)? class="sg-slide/g)].map((m) => !m[1]);
      expect(shown.length).toBe(body.slides.length);
      expect(shown.indexOf(true)).toBe(1);
      expect(shown.filter(Boolean)).toHaveLength(1);
      expect(stepped).toContain(`url=/signage/${lobby.token}?slide=2`);
      // The image is public (image bank): the anonymous screen can load it.
      expect((await fetchA(image.url)).status).toBe(200);

      // Moving and removing slides reorders the playlist.
      const slides = await signage.slides(commsActor, tenantId, lobby.id);
      const moved = await comms.post(`/fi/staff/signage/${lobby.id}`, { intent: 'move', slideId: slides[4].id, direction: 'up' });
      expect(moved.status).toBe(302);
      expect((await signage.slides(commsActor, tenantId, lobby.id)).map((s) => s.kind)).toEqual(['news', 'bulletins', 'hours', 'text', 'image']);
      expect((await comms.post(`/fi/staff/signage/${lobby.id}`, { intent: 'removeSlide', slideId: slides[3].id })).status).toBe(302);
      expect((await signage.slides(commsActor, tenantId, lobby.id)).map((s) => s.kind)).toEqual(['news', 'bulletins', 'hours', 'text']);

      // An uploaded image (multipart form, as the browser sends it) becomes a slide with its own URL.
      const upload = async (who: Client, bytes: Buffer, alt: string) => {
        const fd = new FormData();
        fd.set('_csrf', who.csrf);
        fd.set('intent', 'addSlide');
        fd.set('kind', 'upload');
        fd.set('alt', alt);
        fd.set('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'piha.png');
        const req = new Request('http://localhost/', { method: 'POST', body: fd });
        return fetchA(`/fi/staff/signage/${lobby.id}`, {
          method: 'POST',
          headers: { cookie: who.cookie, 'content-type': req.headers.get('content-type')! },
          body: Buffer.from(await req.arrayBuffer()),
        });
      };
      expect((await upload(unitStaff, PNG, 'Päiväkodin piha lumisena')).status).toBe(302);
      const withUpload = (await playlist(lobby.token)).body;
      const uploaded = withUpload.slides.at(-1);
      expect(uploaded).toMatchObject({ kind: 'image', alt: 'Päiväkodin piha lumisena' });
      expect(uploaded.url).toMatch(/^\/signage\/media\/[0-9a-f-]{36}$/);
      const bytes = await fetchA(uploaded.url);
      expect(bytes.status).toBe(200);
      expect(bytes.headers.get('content-type')).toBe('image/png');
      expect((await hostFetch(app, HOST_B)(uploaded.url)).status).toBe(404);
      expect((await upload(unitStaff, Buffer.from('not an image at all'), 'x')).status).toBe(415);
      expect((await upload(unitStaff, PNG, '')).status).toBe(400);
      await signage.removeSlide(commsActor, tenantId, lobby.id, uploaded.id);
      expect((await fetchA(uploaded.url)).status).toBe(404);
    });

    it('a publish through the newsroom reaches the screen’s stream within seconds', async () => {
      const stream = await openSse(app, HOST_A, {}, `/signage/${lobby.token}/events`);
      expect(stream.status).toBe(200);
      await stream.waitFor((m) => m.event === 'ping');
      const started = Date.now();
      const item = await publish({ kind: 'news', title: { fi: 'Jäähalli avautuu lauantaina' }, lead: { fi: 'Luistelukausi alkaa.' } });
      const e = await stream.waitFor((m) => m.event === 'refresh', 5000);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(e.data).toMatchObject({ reason: 'news.published' });
      const { body } = await playlist(lobby.token);
      expect(body.slides.find((s: { kind: string }) => s.kind === 'news').title).toBe('Jäähalli avautuu lauantaina');
      expect(body.slides.some((s: { id: string }) => s.id === item.id)).toBe(true);
      stream.close();
    });

    it('an urgent notice is active only within its window by the application clock, and only on its units’ screens', async () => {
      const stream = await openSse(app, HOST_A, {}, `/signage/${lobby.token}/events`);
      const from = new Date(clock.now().getTime() + HOUR).toISOString();
      const until = new Date(clock.now().getTime() + 2 * HOUR).toISOString();
      const r = await comms.post('/fi/staff/signage/notices', {
        intent: 'create',
        messageFi: 'Vesikatko: älkää juoko hanavettä',
        messageSv: 'Vattenavbrott: drick inte kranvatten',
        severity: 'danger',
        target: 'units',
        unitIds: satakieli,
        startsAt: from,
        endsAt: until,
      });
      expect(r.status).toBe(302);
      await stream.waitFor((m) => m.event === 'refresh' && (m.data as { reason: string }).reason === 'signage.notice', 5000);
      let p = await playlist(lobby.token);
      expect(p.body.notice).toBeNull();
      expect(p.body.refreshInSeconds).toBeLessThanOrEqual(300);

      clock.advance(HOUR + 60_000);
      p = await playlist(lobby.token);
      expect(p.body.notice).toMatchObject({ severity: 'danger', text: 'Vesikatko: älkää juoko hanavettä', lang: 'fi' });
      expect(p.body.notice.html).toContain('Kiireellinen tiedote');
      // Due to end in about an hour: the screen refetches no later than that (capped at 5 min).
      expect(p.body.refreshInSeconds).toBe(300);
      const page = await (await fetchA(`/signage/${lobby.token}`)).text();
      expect(page).toContain('aria-live="assertive"');
      expect(page).toContain('sg-sev-danger');
      // Another unit's screen (in Swedish) is not taken over.
      expect((await playlist(office.token)).body.notice).toBeNull();

      clock.advance(HOUR);
      expect((await playlist(lobby.token)).body.notice).toBeNull();

      // Ending a notice early returns the screens to their playlists.
      const now = await comms.post('/fi/staff/signage/notices', { intent: 'create', messageSv: 'Brandövning', target: 'all', severity: 'warning' });
      expect(now.status).toBe(302);
      p = await playlist(office.token);
      expect(p.body.notice).toMatchObject({ text: 'Brandövning', severity: 'warning' });
      const notices = await app.services.signage.listNotices(commsActor, tenantId);
      const active = notices.find((n) => n.active)!;
      expect((await comms.post('/fi/staff/signage/notices', { intent: 'end', noticeId: active.id })).status).toBe(302);
      expect((await playlist(office.token)).body.notice).toBeNull();
      stream.close();
    });

    it('another tenant: the screen URL and the console pages are 404', async () => {
      expect((await hostFetch(app, HOST_B)(`/signage/${lobby.token}`)).status).toBe(404);
      expect((await playlist(lobby.token, HOST_B)).status).toBe(404);
      expect((await adminB.get(`/fi/staff/signage/${lobby.id}`)).status).toBe(404);
      expect((await adminB.post(`/fi/staff/signage/${lobby.id}`, { intent: 'remove' })).status).toBe(404);
      expect(await (await adminB.get('/fi/staff/signage')).text()).not.toContain('Satakielen aula');
    });

    it('bad input is a 4xx, never a 500; heartbeats record last seen', async () => {
      expect((await register(comms, { name: '', orgUnitId: satakieli })).status).toBe(400);
      expect((await register(comms, { name: 'X', orgUnitId: 'not-a-uuid' })).status).toBe(400);
      expect((await register(comms, { name: 'X', orgUnitId: satakieli, slideSeconds: '1' })).status).toBe(400);
      expect((await register(comms, { name: 'X', orgUnitId: satakieli, orientation: 'diagonal' })).status).toBe(400);
      expect((await comms.post(`/fi/staff/signage/${lobby.id}`, { intent: 'addSlide', kind: 'hours', locationId: '00000000-0000-0000-0000-000000000000' })).status).toBe(400);
      expect((await comms.post(`/fi/staff/signage/${lobby.id}`, { intent: 'addSlide', kind: 'bogus' })).status).toBe(400);
      expect((await comms.post(`/fi/staff/signage/${lobby.id}`, { intent: 'addSlide', kind: 'news', count: '99' })).status).toBe(400);
      expect((await comms.post(`/fi/staff/signage/${lobby.id}`, { intent: 'move', slideId: 'x', direction: 'sideways' })).status).toBe(400);
      expect((await comms.post('/fi/staff/signage/notices', { intent: 'create', target: 'all' })).status).toBe(400);
      expect((await comms.post('/fi/staff/signage/notices', { intent: 'create', messageFi: 'x', target: 'all', endsAt: 'yesterday' })).status).toBe(400);
      expect((await comms.post('/fi/staff/signage/notices', { intent: 'end', noticeId: 'nope' })).status).toBe(404);
      expect((await comms.get('/fi/staff/signage/not-a-uuid')).status).toBe(404);
      expect((await fetchA('/signage/short')).status).toBe(404);
      const missing = await fetchA('/signage/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/playlist.json');
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
      await expect(app.services.signage.addSlide(commsActor, tenantId, lobby.id, { kind: 'text' })).rejects.toMatchObject({ status: 400 });
      await expect(app.services.signage.createNotice(commsActor, tenantId, { message: { fi: 'x' }, startsAt: '2026-13-45T99:00' })).rejects.toMatchObject({ status: 400 });

      // A fresh screen's first heartbeat is written; a second within 30 s is not (rate limit).
      const fresh = await register(comms, { name: 'Sykeruutu', orgUnitId: torikulma });
      const freshId = await screenId(fresh.token!);
      const seen = async () =>
        (await app.services.db.query<{ last_seen_at: Date | null }>('select last_seen_at from signage_screens where id = $1', [freshId])).rows[0].last_seen_at;
      expect(await seen()).toBeNull();
      expect((await fetchA(`/signage/${fresh.token}/heartbeat`, { method: 'POST' })).status).toBe(204);
      expect(await seen()).toBeInstanceOf(Date);
      await app.services.db.query('update signage_screens set last_seen_at = null where id = $1', [freshId]);
      expect((await fetchA(`/signage/${fresh.token}/heartbeat`, { method: 'POST' })).status).toBe(204);
      expect(await seen()).toBeNull();
      expect((await fetchA(`/signage/${'b'.repeat(43)}/heartbeat`, { method: 'POST' })).status).toBe(404);
    });

    it('the demo screen opens at its documented URL', async () => {
      const r = await fetchA(`/signage/${DEMO_SCREEN_TOKEN}`);
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('Tervetuloa Torikulman palvelupisteeseen');
      const { body } = await playlist(DEMO_SCREEN_TOKEN);
      expect(body.slides.map((s: { kind: string }) => s.kind)).toContain('news');
    });

    it('removing a screen ends its URL', async () => {
      expect((await comms.post(`/fi/staff/signage/${office.id}`, { intent: 'remove' })).status).toBe(302);
      expect((await fetchA(`/signage/${office.token}`)).status).toBe(404);
    });
  });
}
