import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import { toLocalInput } from '../../src/modules/newsroom/model.ts';
import { engines } from '../helpers/engines.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { staffActor, staffClient } from '../helpers/staff-session.ts';

/*
 * The console's newsroom pages and the staff intranet on both engines, as a browser
 * without JavaScript uses them: plain form posts answered with redirects, then the page
 * again. Covers creating, saving every kind of field, an image upload with alt text, the
 * workflow (submit; approve and publish as a publisher), comments, topics, who may open
 * the pages, another tenant's ids, bulletins targeted by org unit, and must-read
 * confirmations with their report.
 */

type Client = Awaited<ReturnType<typeof staffClient>>;

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPj/HwADAgH/eL9GtQAAAABJRU5ErkJggg==', 'base64');
const HOUR = 3_600_000;

async function multipart(fields: Record<string, string>, file: { name: string; type: string; data: Buffer }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
  const req = new Request('http://localhost/', { method: 'POST', body: form });
  return { body: Buffer.from(await req.arrayBuffer()), contentType: req.headers.get('content-type')! };
}

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`newsroom staff pages (${engine.name})`, () => {
    let app: TestApp;
    const clock = new ManualClock();
    let editor: Client;
    let publisher: Client;
    let agent: Client;
    let daycare: Client;
    let street: Client;
    let adminB: Client;
    let tenantId: string;

    beforeAll(async () => {
      app = await startTestApp(engine.name, { clock });
      editor = await staffClient(app, HOST_A, 'viestinta@esimerkkila.fi');
      publisher = await staffClient(app, HOST_A, 'julkaisija@esimerkkila.fi');
      agent = await staffClient(app, HOST_A, 'asiakaspalvelu@esimerkkila.fi');
      daycare = await staffClient(app, HOST_A, 'paivakoti@esimerkkila.fi');
      street = await staffClient(app, HOST_A, 'katu@esimerkkila.fi');
      adminB = await staffClient(app, HOST_B, 'admin@jarvikyla.fi');
      tenantId = editor.tenantId;
    }, 120_000);
    afterAll(() => app?.close());

    const load = async (id: string) => (await app.services.newsroom.load(tenantId, id))!;
    const unitId = async (fi: string) =>
      (await app.services.db.query<{ id: string }>(`select id from org_units where tenant_id = $1 and names->>'fi' = $2`, [tenantId, fi])).rows[0].id;
    const expectRedirect = async (res: Response, to: RegExp) => {
      expect(res.status, await res.clone().text()).toBe(302);
      expect(res.headers.get('location')).toMatch(to);
      return res.headers.get('location')!;
    };

    it('create, save every field, upload an image, submit, approve and publish, comment: all by form posts', async () => {
      // The list and the new-item page render.
      const list = await editor.get('/fi/staff/news');
      expect(list.status).toBe(200);
      expect(await list.text()).toContain('Talvikunnossapito käynnistyy');
      expect((await editor.get('/fi/staff/news?state=published&kind=press_release')).status).toBe(200);
      expect((await editor.get('/fi/staff/news/new')).status).toBe(200);

      // A title is required.
      const refused = await editor.post('/fi/staff/news/new', { kind: 'event', 'title.fi': '  ' });
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('Pakollinen tieto puuttuu.');

      const loc = await expectRedirect(await editor.post('/fi/staff/news/new', { kind: 'event', 'title.fi': 'Kirjaston satutunti', 'title.sv': 'Sagostund' }), /\/fi\/staff\/news\/[0-9a-f-]{36}\?notice=created$/);
      const id = loc.split('/').pop()!.split('?')[0];
      const page = await editor.get(`/fi/staff/news/${id}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('Kirjaston satutunti');
      expect(html).toContain('type="datetime-local"');
      expect(html).toContain('Helsingin aikaa');

      const service = (await app.services.db.query<{ id: string }>(`select id from catalog_services where tenant_id = $1 and status = 'published' limit 1`, [tenantId])).rows[0].id;
      const starts = toLocalInput(new Date(clock.now().getTime() + 48 * HOUR).toISOString());
      const ends = toLocalInput(new Date(clock.now().getTime() + 50 * HOUR).toISOString());
      const scheduled = toLocalInput(new Date(clock.now().getTime() + 24 * HOUR).toISOString());
      let item = await load(id);
      const fields = {
        intent: 'save',
        updatedAt: item.updatedAt,
        'title.fi': 'Kirjaston satutunti lapsille',
        'title.sv': 'Sagostund för barn',
        'title.en': 'Story time for children',
        'lead.fi': 'Tule kuuntelemaan satuja.',
        'body.fi': '<p>Satutunti <strong>lauantaina</strong>.</p><script>alert(1)</script>',
        'body.sv': '<h2>Sagor</h2><ul><li>Lördag</li></ul>',
        topics: ['kulttuuri', 'varhaiskasvatus'],
        tags: 'Kirjasto, sadut',
        serviceIds: [service],
        audience: 'public',
        eventStartsAt: starts,
        eventEndsAt: ends,
        'eventLocation.fi': 'Pääkirjasto',
        scheduledAt: scheduled,
      };
      await expectRedirect(await editor.post(`/fi/staff/news/${id}`, fields), /notice=saved/);
      item = await load(id);
      expect(item.title).toEqual({ fi: 'Kirjaston satutunti lapsille', sv: 'Sagostund för barn', en: 'Story time for children' });
      expect(item.body.fi).toBe('<p>Satutunti <strong>lauantaina</strong>.</p>');
      expect(item.body.sv).toContain('<h2>Sagor</h2>');
      expect(item.topics).toEqual(['kulttuuri', 'varhaiskasvatus']);
      expect(item.tags).toEqual(['kirjasto', 'sadut']);
      expect(item.serviceIds).toEqual([service]);
      expect(item.eventLocation.fi).toBe('Pääkirjasto');
      expect(toLocalInput(item.eventStartsAt)).toBe(starts);
      expect(toLocalInput(item.scheduledAt)).toBe(scheduled);

      // A save with the updatedAt read before the last save: refused, with the reason, and nothing changes.
      const stale = await editor.post(`/fi/staff/news/${id}`, { ...fields, 'lead.fi': 'Toinen ingressi' });
      expect(stale.status).toBe(409);
      expect(await stale.text()).toContain('Sisältöä muutettiin sillä välin');
      item = await load(id);
      expect(item.lead.fi).toBe('Tule kuuntelemaan satuja.');

      // The rules' messages next to the fields: the end before the start, a time in the past.
      const bad = await editor.post(`/fi/staff/news/${id}`, {
        ...fields,
        updatedAt: item.updatedAt,
        eventEndsAt: toLocalInput(new Date(clock.now().getTime() + 1 * HOUR).toISOString()),
      });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('Päättymisen on oltava alun jälkeen.');
      const past = await editor.post(`/fi/staff/news/${id}`, { ...fields, updatedAt: item.updatedAt, scheduledAt: '2020-01-01T10:00' });
      expect(past.status).toBe(400);
      expect(await past.text()).toContain('Ajan on oltava tulevaisuudessa.');

      // An image: alt text is required; with it the image is stored and listed with its thumbnail.
      const noAlt = await multipart({ _csrf: editor.csrf, intent: 'upload', kind: 'image', 'alt.fi': '' }, { name: 'kuva.png', type: 'image/png', data: PNG });
      const post = (m: { body: Buffer; contentType: string }) =>
        hostFetch(app, HOST_A)(`/fi/staff/news/${id}`, { method: 'POST', headers: { cookie: editor.cookie, 'content-type': m.contentType }, body: m.body });
      const r1 = await post(noAlt);
      expect(r1.status).toBe(400);
      expect(await r1.text()).toContain('Pakollinen tieto puuttuu.');
      const withAlt = await multipart(
        { _csrf: editor.csrf, intent: 'upload', kind: 'image', 'alt.fi': 'Lapsia kirjastossa', 'caption.fi': 'Satutunti', credit: 'Kaupunki', license: 'CC BY 4.0', inImageBank: '1' },
        { name: 'kuva.png', type: 'image/png', data: PNG },
      );
      await expectRedirect(await post(withAlt), /notice=media_added/);
      item = await load(id);
      expect(item.images).toHaveLength(1);
      expect(item.images[0]).toMatchObject({ alt: { fi: 'Lapsia kirjastossa' }, credit: 'Kaupunki', license: 'CC BY 4.0', inImageBank: true });
      const withImage = await (await editor.get(`/fi/staff/news/${id}`)).text();
      expect(withImage).toContain(`src="${item.images[0].url}"`);
      expect(withImage).toContain('alt="Lapsia kirjastossa"');
      // Metadata edit, then the image goes.
      await expectRedirect(
        await editor.post(`/fi/staff/news/${id}`, { intent: 'media_update', mediaId: item.images[0].id, 'alt.fi': 'Lapsia ja kirjoja', credit: 'Kaupunki' }),
        /notice=media_saved/,
      );
      expect((await load(id)).images[0]).toMatchObject({ alt: { fi: 'Lapsia ja kirjoja' }, inImageBank: false });
      // An attachment (PDF) with a title; a file that is neither image nor PDF is refused with its reason.
      const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
      await expectRedirect(
        await post(await multipart({ _csrf: editor.csrf, intent: 'upload', kind: 'attachment', 'alt.fi': 'Ohjelma' }, { name: 'ohjelma.pdf', type: 'application/pdf', data: pdf })),
        /notice=media_added#attachments$/,
      );
      expect((await load(id)).attachments).toEqual([expect.objectContaining({ filename: 'ohjelma.pdf', contentType: 'application/pdf', alt: { fi: 'Ohjelma' } })]);
      const txt = await post(await multipart({ _csrf: editor.csrf, intent: 'upload', kind: 'attachment' }, { name: 'muistio.txt', type: 'text/plain', data: Buffer.from('hei') }));
      expect(txt.status).toBe(415);
      expect(await txt.text()).toContain('Tiedostotyyppiä ei tueta');
      // Someone else's media id is not this page's to touch.
      expect((await editor.post(`/fi/staff/news/${id}`, { intent: 'media_remove', mediaId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);

      // Workflow: the editor submits; only the publisher is offered approval.
      await expectRedirect(await editor.post(`/fi/staff/news/${id}`, { intent: 'transition', action: 'submit' }), /notice=moved/);
      expect((await load(id)).state).toBe('in_review');
      expect(await (await editor.get(`/fi/staff/news/${id}`)).text()).not.toContain('value="approve_publish"');
      expect((await editor.post(`/fi/staff/news/${id}`, { intent: 'transition', action: 'approve' })).status).toBe(403);
      const pubPage = await (await publisher.get(`/fi/staff/news/${id}`)).text();
      // A scheduled time: the publisher's button says it schedules.
      expect(pubPage).toContain('Hyväksy ja ajasta');
      // Remove the schedule first (the item must go back through review), then approve and publish.
      item = await load(id);
      expect((await publisher.post(`/fi/staff/news/${id}`, { intent: 'transition', action: 'return', note: 'Poista ajastus' })).status).toBe(302);
      item = await load(id);
      expect(item.state).toBe('draft');
      await expectRedirect(await editor.post(`/fi/staff/news/${id}`, { ...fields, updatedAt: item.updatedAt, scheduledAt: '' }), /notice=saved/);
      expect((await load(id)).scheduledAt).toBeNull();
      await editor.post(`/fi/staff/news/${id}`, { intent: 'transition', action: 'submit' });
      await expectRedirect(await publisher.post(`/fi/staff/news/${id}`, { intent: 'transition', action: 'approve_publish' }), /notice=moved/);
      item = await load(id);
      expect(item.state).toBe('published');
      const published = await (await editor.get(`/fi/staff/news/${id}`)).text();
      expect(published).toContain(`/fi/news/${item.slug}`); // preview link
      expect(published).toContain(`/fi/staff/news/${id}/deliveries`);

      // Comments: the return note is one, and a new one is added by form.
      await expectRedirect(await editor.post(`/fi/staff/news/${id}`, { intent: 'comment', body: 'Kiitos, julkaistu!' }), /notice=commented/);
      const comments = await app.services.newsroom.comments(await actorOf(editor), tenantId, id);
      expect(comments.map((c) => c.body)).toEqual(['Poista ajastus', 'Kiitos, julkaistu!']);
      expect((await editor.post(`/fi/staff/news/${id}`, { intent: 'comment', body: '' })).status).toBe(400);

      // Version history: actions with what changed, and an old version's text.
      const history = await (await editor.get(`/fi/staff/news/${id}`)).text();
      expect(history).toContain('otsikko (fi), otsikko (sv), otsikko (en)');
      expect(history).toMatch(/leipäteksti \(fi\)/);
      const versions = await app.services.newsroom.versions(await actorOf(editor), tenantId, id);
      const first = versions[versions.length - 1];
      const old = await (await editor.get(`/fi/staff/news/${id}?version=${first.id}`)).text();
      expect(old).toContain('id="version-text"');
      expect(old).toContain('<h4>Kirjaston satutunti</h4>');
    });

    it('press releases: the embargo field and its rules next to it; approved with an embargo it waits, read-only, until unscheduled', async () => {
      const loc = await expectRedirect(await editor.post('/sv/staff/news/new', { kind: 'press_release', 'title.sv': 'Pressmeddelande' }), /\/sv\/staff\/news\//);
      const id = loc.split('/').pop()!.split('?')[0];
      const html = await (await editor.get(`/sv/staff/news/${id}`)).text();
      expect(html).toContain('name="embargoUntil"');
      expect(html).toContain('Helsingfors tid');
      const item = await load(id);
      const future = toLocalInput(new Date(clock.now().getTime() + 5 * HOUR).toISOString());
      const both = await editor.post(`/sv/staff/news/${id}`, { intent: 'save', updatedAt: item.updatedAt, 'title.sv': 'Pressmeddelande', embargoUntil: future, scheduledAt: future });
      expect(both.status).toBe(400);
      expect(await both.text()).toContain('Embargo och tidsinställd publicering kan inte användas samtidigt.');
      await expectRedirect(await editor.post(`/sv/staff/news/${id}`, { intent: 'save', updatedAt: item.updatedAt, 'title.sv': 'Pressmeddelande', embargoUntil: future }), /notice=saved/);
      expect(toLocalInput((await load(id)).embargoUntil)).toBe(future);
      // Approved with the embargo: it waits as scheduled; the form is read-only, unscheduling is offered.
      await editor.post(`/sv/staff/news/${id}`, { intent: 'transition', action: 'submit' });
      const approvePage = await (await publisher.get(`/sv/staff/news/${id}`)).text();
      expect(approvePage).toContain('Godkänn och tidsinställ');
      await expectRedirect(await publisher.post(`/sv/staff/news/${id}`, { intent: 'transition', action: 'approve_publish' }), /notice=moved/);
      expect((await load(id)).state).toBe('scheduled');
      const waiting = await (await editor.get(`/sv/staff/news/${id}`)).text();
      expect(waiting).toMatch(/<fieldset disabled="" class="news-edit-fields"/);
      expect(waiting).toContain('value="unschedule"');
      expect(waiting).toContain(`/sv/staff/news/${id}/deliveries`);
      await expectRedirect(await editor.post(`/sv/staff/news/${id}`, { intent: 'transition', action: 'unschedule' }), /notice=moved/);
      expect((await load(id)).state).toBe('approved');
      // News items have no embargo field at all.
      const news = (await app.services.newsroom.staffList(await actorOf(editor), tenantId, { kind: 'news', limit: 1 })).items[0];
      expect(await (await editor.get(`/fi/staff/news/${news.id}`)).text()).not.toContain('name="embargoUntil"');
    });

    it('topics: add, refuse a taken slug, rename', async () => {
      expect((await editor.get('/fi/staff/news/topics')).status).toBe(200);
      await expectRedirect(await editor.post('/fi/staff/news/topics', { intent: 'add', slug: 'ymparisto', 'names.fi': 'Ympäristö', 'names.sv': 'Miljö' }), /notice=saved/);
      const taken = await editor.post('/fi/staff/news/topics', { intent: 'add', slug: 'ymparisto', 'names.fi': 'Toinen' });
      expect(taken.status).toBe(400);
      expect(await taken.text()).toContain('Tunnus on jo käytössä.');
      const bad = await editor.post('/fi/staff/news/topics', { intent: 'add', slug: 'Ei Kelpaa', 'names.fi': 'X' });
      expect(bad.status).toBe(400);
      await expectRedirect(await editor.post('/fi/staff/news/topics', { intent: 'rename', slug: 'ymparisto', 'names.fi': 'Ympäristö ja luonto', 'names.sv': 'Miljö och natur' }), /notice=saved/);
      const topics = await app.services.newsroom.topics(tenantId);
      expect(topics.find((x) => x.slug === 'ymparisto')?.names).toEqual({ fi: 'Ympäristö ja luonto', sv: 'Miljö och natur' });
    });

    it('only newsroom editors: customer service gets the forbidden page; another tenant’s id is 404', async () => {
      const someItem = (await app.services.newsroom.staffList(await actorOf(editor), tenantId, { limit: 1 })).items[0];
      for (const path of ['/fi/staff/news', '/fi/staff/news/new', '/fi/staff/news/topics', `/fi/staff/news/${someItem.id}`, `/fi/staff/news/${someItem.id}/readers`]) {
        const r = await agent.get(path);
        expect(r.status, path).toBe(403);
        expect(await r.text()).toContain('Ei käyttöoikeutta');
      }
      expect((await agent.post('/fi/staff/news/new', { kind: 'news', 'title.fi': 'Ei saa' })).status).toBe(403);
      expect((await agent.post(`/fi/staff/news/${someItem.id}`, { intent: 'comment', body: 'x' })).status).toBe(403);
      // Another tenant's admin: the id does not exist there.
      expect((await adminB.get(`/fi/staff/news/${someItem.id}`)).status).toBe(404);
      expect((await adminB.post(`/fi/staff/news/${someItem.id}`, { intent: 'transition', action: 'archive' })).status).toBe(404);
      expect((await adminB.get(`/fi/staff/news/${someItem.id}/readers`)).status).toBe(404);
      // Signed out: to the sign-in page.
      const anon = await hostFetch(app, HOST_A)('/fi/staff/news');
      expect(anon.status).toBe(302);
    });

    it('intranet: a bulletin targeted to a unit reaches its sub-units and tenant-wide staff, not another unit; must-read confirm and report', async () => {
      const education = await unitId('Kasvatus ja koulutus');
      const loc = await expectRedirect(await editor.post('/fi/staff/news/new', { kind: 'bulletin', 'title.fi': 'Varhaiskasvatuksen henkilöstöinfo' }), /staff\/news\//);
      const id = loc.split('/').pop()!.split('?')[0];
      let item = await load(id);
      expect(await (await editor.get(`/fi/staff/news/${id}`)).text()).not.toContain('name="audience"'); // fixed for bulletins
      await expectRedirect(
        await editor.post(`/fi/staff/news/${id}`, {
          intent: 'save',
          updatedAt: item.updatedAt,
          'title.fi': 'Varhaiskasvatuksen henkilöstöinfo',
          'lead.fi': 'Lue ja kuittaa.',
          'body.fi': '<p>Uudet ohjeet.</p>',
          audienceUnitIds: [education],
          mustRead: '1',
        }),
        /notice=saved/,
      );
      item = await load(id);
      expect(item).toMatchObject({ audience: 'staff', audienceUnitIds: [education], mustRead: true });
      await editor.post(`/fi/staff/news/${id}`, { intent: 'transition', action: 'submit' });
      await expectRedirect(await publisher.post(`/fi/staff/news/${id}`, { intent: 'transition', action: 'approve_publish' }), /notice=moved/);
      expect((await load(id)).state).toBe('published');

      // Daycare staff (a unit under Education) and tenant-wide staff see it; street staff do not.
      const home = await (await daycare.get('/fi/staff')).text();
      expect(home).toContain('Varhaiskasvatuksen henkilöstöinfo');
      expect(home).toContain('Olen lukenut tämän');
      // Both must-reads unconfirmed: newest first.
      expect(home.indexOf('Varhaiskasvatuksen henkilöstöinfo')).toBeLessThan(home.indexOf('Tietoturvakoulutus'));
      expect(await (await agent.get('/fi/staff')).text()).toContain('Varhaiskasvatuksen henkilöstöinfo');
      const streetHome = await (await street.get('/fi/staff')).text();
      expect(streetHome).not.toContain('Varhaiskasvatuksen henkilöstöinfo');
      expect(streetHome).toContain('Tietoturvakoulutus'); // for everyone
      expect((await street.get(`/fi/staff/bulletins/${id}`)).status).toBe(404);
      expect((await street.post(`/fi/staff/bulletins/${id}`, { intent: 'confirm_read' })).status).toBe(404);
      expect((await adminB.get(`/fi/staff/bulletins/${id}`)).status).toBe(404);

      // The bulletin page, then the confirmation (a plain form post back to the home page).
      const page = await daycare.get(`/fi/staff/bulletins/${id}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<p>Uudet ohjeet.</p>');
      await expectRedirect(await daycare.post(`/fi/staff/bulletins/${id}`, { intent: 'confirm_read', back: '/fi/staff' }), /^\/fi\/staff\?notice=confirmed/);
      // Twice is fine; the first time stays.
      await expectRedirect(await daycare.post(`/fi/staff/bulletins/${id}`, { intent: 'confirm_read', back: 'https://evil.example/' }), /^\/fi\/staff\/bulletins\//);
      const after = await (await daycare.get('/fi/staff')).text();
      expect(after).toContain('Kuittasit luetuksi');
      const confirmations = await app.services.db.query(`select user_id from news_read_confirmations where item_id = $1`, [id]);
      expect(confirmations.rows).toHaveLength(1);
      // Now the unconfirmed demo must-read comes first for her.
      expect(after.indexOf('Tietoturvakoulutus')).toBeLessThan(after.indexOf('Varhaiskasvatuksen henkilöstöinfo'));

      // The report: daycare confirmed; tenant-wide staff (e.g. the editor) have not; street staff are not targeted.
      const report = await editor.get(`/fi/staff/news/${id}/readers`);
      expect(report.status).toBe(200);
      const text = await report.text();
      const [notDone, done] = text.split('id="confirmed"');
      expect(done).toContain('paivakoti@esimerkkila.fi');
      expect(notDone).toContain('viestinta@esimerkkila.fi');
      expect(notDone).toContain('admin@esimerkkila.fi');
      expect(text).not.toContain('katu@esimerkkila.fi');
      expect(text).toMatch(/1 \/ \d+ kuitannut/);
      const audit = await app.services.db.query(`select 1 from audit_log where tenant_id = $1 and action = 'news.readers.read' and target_id = $2`, [tenantId, id]);
      expect(audit.rows.length).toBeGreaterThan(0);
      const csv = await editor.get(`/fi/staff/news/${id}/readers.csv`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      const csvText = await csv.text();
      expect(csvText.split('\r\n')[0]).toBe('name,email,confirmed_at');
      expect(csvText).toMatch(/Pirjo Päiväkoti,paivakoti@esimerkkila\.fi,\d{4}-/);

      // Not a must-read: the report says so.
      const plain = (await app.services.newsroom.staffList(await actorOf(editor), tenantId, { kind: 'news', limit: 1 })).items[0];
      expect(await (await editor.get(`/fi/staff/news/${plain.id}/readers`)).text()).toContain('Lukukuittauksia kerätään vain');
      expect((await daycare.post(`/fi/staff/bulletins/${plain.id}`, { intent: 'confirm_read' })).status).toBe(404);
    });

    async function actorOf(c: Client) {
      const email = (await app.services.db.query<{ email: string }>('select email from staff_users where id = $1', [c.userId])).rows[0].email;
      return staffActor(app, tenantId, email);
    }
  });
}

