import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import type { NewsItem } from '../../src/modules/newsroom/model.ts';
import { parseMoment } from '../../src/modules/newsroom/model.ts';
import { engines } from '../helpers/engines.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { staffClient } from '../helpers/staff-session.ts';

/*
 * The newsroom core on both engines, through the JSON API: roles (editor writes, publisher
 * approves), the workflow's allowed moves, versions and comments, the embargo rules,
 * scheduled publishing by the job (with a manual clock), publication hooks running in the
 * publishing transaction, public reading and search, another tenant's ids, bad input.
 */

const HOUR = 3_600_000;

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`newsroom core (${engine.name})`, () => {
    let app: TestApp;
    const clock = new ManualClock();
    let editor: Awaited<ReturnType<typeof staffClient>>;
    let publisher: Awaited<ReturnType<typeof staffClient>>;
    let agent: Awaited<ReturnType<typeof staffClient>>;
    let adminB: Awaited<ReturnType<typeof staffClient>>;
    const hooked: { kind: string; id: string }[] = [];

    beforeAll(async () => {
      app = await startTestApp(engine.name, { clock, work: true });
      for (const kind of ['published', 'embargoed', 'archived'] as const) {
        app.services.newsroom.on(kind, async (tx, item) => {
          // The hook sees the row as the transaction left it.
          const r = await tx.query<{ state: string }>('select state from news_items where id = $1', [item.id]);
          hooked.push({ kind: `${kind}:${r.rows[0].state}`, id: item.id });
        });
      }
      editor = await staffClient(app, HOST_A, 'viestinta@esimerkkila.fi');
      publisher = await staffClient(app, HOST_A, 'julkaisija@esimerkkila.fi');
      agent = await staffClient(app, HOST_A, 'asiakaspalvelu@esimerkkila.fi');
      adminB = await staffClient(app, HOST_B, 'admin@jarvikyla.fi');
    }, 120_000);
    afterAll(() => app?.close());

    const create = async (body: Record<string, unknown>) => {
      const r = await editor.api('POST', '/api/v1/news/items', body);
      expect(r.status, await r.clone().text()).toBe(201);
      return (await r.json()) as NewsItem;
    };
    const move = (who: typeof editor, id: string, action: string, extra: Record<string, unknown> = {}) =>
      who.api('POST', `/api/v1/news/items/${id}/transitions`, { action, ...extra });

    it('an editor writes, a publisher approves and publishes; versions and comments record it', async () => {
      const item = await create({
        kind: 'news',
        title: { fi: 'Uimahalli suljetaan huoltoon', sv: 'Simhallen stängs för underhåll' },
        lead: { fi: 'Uimahalli on kiinni kaksi viikkoa.' },
        body: { fi: '<p>Huoltotyöt <script>alert(1)</script><strong>alkavat</strong> maanantaina.</p>' },
        topics: ['kulttuuri'],
        tags: ['Uinti'],
      });
      expect(item.state).toBe('draft');
      expect(item.slug).toBe('uimahalli-suljetaan-huoltoon');
      expect(item.body.fi).not.toContain('<script');
      expect(item.body.fi).toContain('<strong>alkavat</strong>');
      expect(item.tags).toEqual(['uinti']);

      // Only a publisher approves; customer service cannot even read the newsroom.
      expect((await move(publisher, item.id, 'approve')).status).toBe(409); // still a draft
      expect((await move(editor, item.id, 'submit')).status).toBe(200);
      expect((await move(editor, item.id, 'approve')).status).toBe(403);
      expect((await agent.api('GET', `/api/v1/news/items/${item.id}`)).status).toBe(403);
      const ret = await move(publisher, item.id, 'return', { note: 'Lisää aukioloajat' });
      expect(ret.status).toBe(200);
      expect(((await ret.json()) as NewsItem).state).toBe('draft');
      expect((await move(editor, item.id, 'submit')).status).toBe(200);
      const pub = await move(publisher, item.id, 'approve', { publish: true });
      expect(pub.status).toBe(200);
      const published = (await pub.json()) as NewsItem;
      expect(published.state).toBe('published');
      expect(hooked).toContainEqual({ kind: 'published:published', id: item.id });

      const versions = (await (await editor.api('GET', `/api/v1/news/items/${item.id}/versions`)).json()) as { versions: { action: string }[] };
      expect(versions.versions.map((v) => v.action).reverse()).toEqual(['create', 'submit', 'return', 'submit', 'approve', 'publish']);
      const comments = (await (await editor.api('GET', `/api/v1/news/items/${item.id}/comments`)).json()) as { comments: { body: string; authorName: string }[] };
      expect(comments.comments).toEqual([expect.objectContaining({ body: 'Lisää aukioloajat', authorName: 'Jussi Julkaisija' })]);

      // Public: listed, found by a Finnish inflected word, readable by slug.
      const list = await app.services.newsroom.publicList(editor.tenantId, { lang: 'fi', q: 'uimahallin' });
      expect(list.items.map((i) => i.id)).toContain(item.id);
      expect((await app.services.newsroom.publicGet(editor.tenantId, item.slug))?.id).toBe(item.id);
      // Not in a language it was not written in.
      expect((await app.services.newsroom.publicList(editor.tenantId, { lang: 'en' })).items.map((i) => i.id)).not.toContain(item.id);
    });

    it('embargo rules: press releases only, in the future, not with a schedule, never after publishing', async () => {
      const future = new Date(clock.now().getTime() + 2 * HOUR).toISOString();
      const news = await create({ kind: 'news', title: { fi: 'Tavallinen uutinen' } });
      let r = await editor.api('PATCH', `/api/v1/news/items/${news.id}`, { embargoUntil: future, updatedAt: news.updatedAt });
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: { fields: Record<string, string> } }).error.fields.embargoUntil).toBe('press_release_only');

      const past = new Date(clock.now().getTime() - HOUR).toISOString();
      r = await editor.api('POST', '/api/v1/news/items', { kind: 'press_release', title: { fi: 'Tiedote' }, embargoUntil: past });
      expect(r.status).toBe(400);
      r = await editor.api('POST', '/api/v1/news/items', { kind: 'press_release', title: { fi: 'Tiedote' }, embargoUntil: future, scheduledAt: future });
      expect(r.status).toBe(400);
      r = await editor.api('POST', '/api/v1/news/items', { kind: 'press_release', title: { fi: 'Tiedote' }, embargoUntil: 'huomenna' });
      expect(r.status).toBe(400);

      const release = await create({ kind: 'press_release', title: { fi: 'Julkaistu tiedote' } });
      await move(editor, release.id, 'submit');
      const done = (await (await move(publisher, release.id, 'approve', { publish: true })).json()) as NewsItem;
      expect(done.state).toBe('published');
      r = await editor.api('PATCH', `/api/v1/news/items/${release.id}`, { embargoUntil: future, updatedAt: done.updatedAt });
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: { fields: Record<string, string> } }).error.fields.embargoUntil).toBe('published_already');
    });

    it('an embargoed release goes to the embargo hook at approval and is published by the job when the clock passes it', async () => {
      // Helsinki wall-clock time (what a datetime-local field sends), two hours ahead.
      const at = new Date(clock.now().getTime() + 2 * HOUR);
      const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Helsinki', dateStyle: 'short', timeStyle: 'short' }).format(at).replace(' ', 'T');
      const item = await create({ kind: 'press_release', title: { fi: 'Embargoitu tiedote' }, topics: ['paatoksenteko'], embargoUntil: local });
      expect(Math.abs(new Date(item.embargoUntil!).getTime() - at.getTime())).toBeLessThan(60_000);
      expect(parseMoment(local)?.toISOString()).toBe(item.embargoUntil);
      await move(editor, item.id, 'submit');
      const scheduled = (await (await move(publisher, item.id, 'approve', { publish: true })).json()) as NewsItem;
      expect(scheduled.state).toBe('scheduled');
      expect(scheduled.embargoSentAt).not.toBeNull();
      expect(hooked).toContainEqual({ kind: 'embargoed:scheduled', id: item.id });
      expect(await app.services.newsroom.publicGet(editor.tenantId, item.slug)).toBeNull();

      // The sweep before the moment publishes nothing; after it, the release is public.
      await app.services.newsroom.releaseDue();
      expect((await app.services.newsroom.load(editor.tenantId, item.id))!.state).toBe('scheduled');
      clock.set(new Date(at.getTime() + 60_000));
      await app.services.jobs.enqueue(app.services.db, 'newsroom.release', { tenantId: 'system' });
      await expect.poll(async () => (await app.services.newsroom.load(editor.tenantId, item.id))!.state, { timeout: 20_000 }).toBe('published');
      const pub = (await app.services.newsroom.publicGet(editor.tenantId, item.slug))!;
      expect(pub.publishedAt).toBe(item.embargoUntil);
      expect(hooked).toContainEqual({ kind: 'published:published', id: item.id });
      clock.set(new Date());
    });

    it('staff items: bulletins are staff-only; must-read only for staff; public reading hides them', async () => {
      const b = await create({ kind: 'bulletin', title: { fi: 'Henkilöstötiedote' }, mustRead: true });
      expect(b.audience).toBe('staff');
      expect(b.mustRead).toBe(true);
      const r = await editor.api('POST', '/api/v1/news/items', { kind: 'news', title: { fi: 'x' }, mustRead: true });
      expect(r.status).toBe(400);
      await move(editor, b.id, 'submit');
      await move(publisher, b.id, 'approve', { publish: true });
      expect(await app.services.newsroom.publicGet(editor.tenantId, b.slug)).toBeNull();
    });

    it('media: images need alt text, bytes are served to whoever may see them', async () => {
      const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPj/HwADAgH/eL9GtQAAAABJRU5ErkJggg==', 'base64');
      const item = await create({ kind: 'news', title: { fi: 'Kuvauutinen' } });
      const actor = await import('../helpers/staff-session.ts').then((m) => m.staffActor(app, editor.tenantId, 'viestinta@esimerkkila.fi'));
      await expect(app.services.newsroom.addMedia(actor, editor.tenantId, { itemId: item.id, kind: 'image', filename: 'a.png', data: png })).rejects.toMatchObject({ status: 400 });
      await expect(
        app.services.newsroom.addMedia(actor, editor.tenantId, { itemId: item.id, kind: 'image', filename: 'a.txt', data: Buffer.from('hello'), meta: { alt: { fi: 'x' } } }),
      ).rejects.toMatchObject({ status: 415 });
      const m = await app.services.newsroom.addMedia(actor, editor.tenantId, {
        itemId: item.id,
        kind: 'image',
        filename: 'uimahalli.png',
        data: png,
        meta: { alt: { fi: 'Uimahallin allas' }, credit: 'Kuva: Esimerkkilä', license: 'CC BY 4.0' },
      });
      const anon = hostFetch(app, HOST_A);
      // A draft's image is not public; the editor sees it.
      expect((await anon(m.url)).status).toBe(404);
      const own = await editor.get(m.url);
      expect(own.status).toBe(200);
      expect(Buffer.from(await own.arrayBuffer()).equals(png)).toBe(true);
      // Another tenant never sees it.
      expect((await adminB.get(m.url)).status).toBe(404);
    });

    it("another tenant's ids are 404, bad input is a 4xx in the error shape", async () => {
      const item = await create({ kind: 'news', title: { fi: 'Oma uutinen' } });
      expect((await adminB.api('GET', `/api/v1/news/items/${item.id}`)).status).toBe(404);
      expect((await adminB.api('POST', `/api/v1/news/items/${item.id}/transitions`, { action: 'submit' })).status).toBe(404);
      for (const body of [{ kind: 'blog', title: { fi: 'x' } }, { kind: 'news', title: 'x' }, { kind: 'news', title: { fi: 'x' }, topics: ['no-such'] }, { kind: 'news', title: {} }]) {
        const r = await editor.api('POST', '/api/v1/news/items', body);
        expect(r.status).toBe(400);
        expect(await r.json()).toMatchObject({ error: { code: 'validation_failed' } });
      }
      const stale = await editor.api('PATCH', `/api/v1/news/items/${item.id}`, { title: { fi: 'Uusi' }, updatedAt: '2020-01-01T00:00:00Z' });
      expect(stale.status).toBe(409);
      expect((await hostFetch(app, HOST_A)('/api/v1/news/items', { method: 'GET' })).status).toBe(401);
    });
  });
}
