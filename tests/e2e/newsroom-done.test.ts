import { parseFeed } from '@rowanmanning/feed-parser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import { toLocalInput } from '../../src/modules/newsroom/model.ts';
import { startMastodonServer, type MastodonTestServer } from '../helpers/mastodon-server.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { staffActor } from '../helpers/staff-session.ts';
import { describeE2E, expectAccessible, HOST_A, screenshot, signInPage, startE2E, visit, type E2E } from './harness.ts';

/*
 * Issue 6's "done when", in Chromium with axe on every page:
 * an editor writes a press release with an embargo and an approver approves it; the media
 * contacts on the embargo list receive the embargoed mail at a real SMTP sink; when the
 * embargo lapses (a manual clock moved past it, then the release job) the release appears
 * on the site, in the feeds (read with an independent feed parser), on Mastodon (a local
 * Mastodon-compatible test server) and live on a signage screen that was already showing.
 */

const EDITOR = 'viestinta@esimerkkila.fi';
const APPROVER = 'julkaisija@esimerkkila.fi';
const TITLE = 'Kaupunginhallitus esittää uutta kirjastoa keskustaan';
const HOUR = 3_600_000;
// A PNG (1×1) for the release's image: Mastodon gets it with its alt text.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPj/HwADAgH/eL9GtQAAAABJRU5ErkJggg==', 'base64');

describeE2E('newsroom done-when: embargoed press release → media mail → embargo lapses → site, feeds, Mastodon, signage', () => {
  let e2e: E2E;
  let sink: SmtpSink;
  let mastodon: MastodonTestServer;
  const clock = new ManualClock();
  let tenantId = '';
  let screenToken = '';

  beforeAll(async () => {
    sink = await startSmtpSink();
    mastodon = await startMastodonServer();
    e2e = await startE2E({ clock, env: { EMAIL_ADAPTER: 'smtp', SMTP_URL: sink.url } });
    const { services } = e2e.app;
    tenantId = (await services.tenancy.resolveByHost(HOST_A))!.id;
    const admin = await staffActor(e2e.app, tenantId, 'admin@esimerkkila.fi');
    // The tenant's Mastodon account (the local test server) takes press releases.
    await services.distribution.saveSettings(admin, tenantId, {
      mastodonEnabled: true,
      mastodonUrl: mastodon.url,
      mastodonToken: mastodon.token,
      mastodonVisibility: 'public',
    });
    // A lobby screen that shows the latest news.
    const unit = await services.db.query<{ id: string }>('select id from org_units where tenant_id = $1 order by created_at limit 1', [tenantId]);
    const created = await services.signage.createScreen(admin, tenantId, { name: 'Kaupungintalon aula', orgUnitId: unit.rows[0].id, slideSeconds: 5 });
    screenToken = created.token;
    await services.signage.addSlide(admin, tenantId, created.screen.id, { kind: 'news', count: 5 });
  }, 180_000);
  afterAll(async () => {
    await e2e?.close();
    await sink?.close();
    await mastodon?.close();
  });

  it('runs from writing to every channel', async () => {
    const o = e2e.origin();
    const embargo = new Date(clock.now().getTime() + 3 * HOUR);

    // 1. The editor writes the press release with an embargo, adds an image and sends it for review.
    const editor = await signInPage(e2e, EDITOR);
    await visit(editor, `${o}/fi/staff/news/new`);
    await editor.getByLabel('Lehdistötiedote').check();
    await editor.getByLabel('Otsikko (suomi)').fill(TITLE);
    await Promise.all([editor.waitForURL(/\/fi\/staff\/news\/[0-9a-f-]{36}/), editor.getByRole('button', { name: 'Luo luonnos' }).click()]);
    const itemId = /\/news\/([0-9a-f-]{36})/.exec(editor.url())![1];
    await expectAccessible(editor);
    const fi = editor.getByRole('group', { name: 'Tekstit: suomi' });
    await fi.getByLabel('Ingressi').fill('Uusi kirjasto palvelisi 300 000 kävijää vuodessa.');
    await fi.getByLabel('Leipäteksti').fill('<p>Hanke etenee valtuuston käsittelyyn tammikuussa.</p>');
    await editor.getByRole('checkbox', { name: 'Päätöksenteko' }).check();
    await editor.getByLabel(/^Embargo/).fill(toLocalInput(embargo.toISOString()));
    await Promise.all([editor.waitForLoadState('load'), editor.getByRole('button', { name: 'Tallenna', exact: true }).click()]);
    await editor.getByText('Tallennettu.').first().waitFor();
    const form = editor.locator('form', { has: editor.getByRole('button', { name: 'Lähetä', exact: true }) }).first();
    await form.locator('input[type=file]').setInputFiles({ name: 'kirjasto.png', mimeType: 'image/png', buffer: PNG });
    await form.getByLabel('Vaihtoehtoinen teksti (suomi)').fill('Havainnekuva uudesta kirjastosta');
    await form.getByLabel('Kuvaaja / lähde').fill('Arkkitehtitoimisto Esimerkki');
    await Promise.all([editor.waitForLoadState('load'), form.getByRole('button', { name: 'Lähetä', exact: true }).click()]);
    await editor.getByText('Tiedosto lisätty.').first().waitFor();
    await Promise.all([editor.waitForLoadState('load'), editor.getByRole('button', { name: 'Lähetä tarkastettavaksi' }).click()]);
    await editor.getByText('Tarkastettavana').first().waitFor();
    await expectAccessible(editor);
    await screenshot(editor, 'newsroom-done-editor');

    // The screen is on before anything is public.
    const screen = await e2e.page({ viewport: { width: 1920, height: 1080 } });
    await visit(screen, `${o}/signage/${screenToken}`);
    expect(await screen.getByText(TITLE).count()).toBe(0);

    // 2. The approver approves; with an embargo that means "approve and schedule".
    const approver = await signInPage(e2e, APPROVER);
    await visit(approver, `${o}/fi/staff/news/${itemId}`);
    await Promise.all([approver.waitForLoadState('load'), approver.getByRole('button', { name: 'Hyväksy ja ajasta' }).click()]);
    await approver.getByText('Ajastettu').first().waitFor();
    await expectAccessible(approver);
    await screenshot(approver, 'newsroom-done-approved');

    // 3. The embargo-list journalist gets the release now, marked as embargoed; nobody else does.
    const embargoed = await sink.waitFor((m) => (m.parsed.subject ?? '').includes(TITLE), 30_000);
    expect(embargoed.parsed.subject).toMatch(/^EMBARGO/);
    expect(embargoed.parsed.text).toMatch(/EMBARGO/);
    const embargoList = await e2e.app.services.db.query<{ email: string }>(
      `select email from media_contacts where tenant_id = $1 and embargo_list and confirmed`,
      [tenantId],
    );
    expect(embargoList.rows.map((r) => r.email)).toContain(embargoed.envelopeTo[0]);
    // Not public yet: the site answers 404 and the feed does not have it.
    const item = (await e2e.app.services.newsroom.load(tenantId, itemId))!;
    expect(item.state).toBe('scheduled');
    const early = await e2e.app.services.newsroom.publicGet(tenantId, item.slug);
    expect(early).toBeNull();
    expect(mastodon.statuses).toHaveLength(0);

    // 4. Time passes: the embargo lapses and the release job publishes.
    clock.set(new Date(embargo.getTime() + 60_000));
    await e2e.app.services.jobs.enqueue(e2e.app.services.db, 'newsroom.release', { tenantId: 'system' });
    await expect.poll(async () => (await e2e.app.services.newsroom.load(tenantId, itemId))!.state, { timeout: 30_000 }).toBe('published');

    // On the signage screen that was already showing, without a reload.
    await screen.getByText(TITLE).first().waitFor({ timeout: 20_000 });
    await expectAccessible(screen);
    await screenshot(screen, 'newsroom-done-signage');

    // On the site: the press room lists it, the permalink shows it.
    const resident = await e2e.page();
    await visit(resident, `${o}/fi/press`);
    await resident.getByRole('link', { name: TITLE }).first().click();
    await resident.waitForURL(new RegExp(`/fi/press/${item.slug}$`));
    await resident.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await expectAccessible(resident);
    await screenshot(resident, 'newsroom-done-permalink');

    // In the feeds, read by an independent parser.
    for (const format of ['rss', 'atom', 'json'] as const) {
      const r = await resident.evaluate(async (url) => {
        const res = await fetch(url);
        return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
      }, `${o}/feeds/fi/press.${format}`);
      expect(r.status).toBe(200);
      if (format === 'json') {
        const feed = JSON.parse(r.text) as { items: { title: string; url: string }[] };
        expect(feed.items.find((i) => i.title === TITLE)?.url).toBe(`${o}/fi/press/${item.slug}`);
      } else {
        const feed = parseFeed(r.text);
        const entry = feed.items.find((i) => i.title === TITLE);
        expect(entry?.url).toBe(`${o}/fi/press/${item.slug}`);
      }
    }

    // On Mastodon: one status with the image and its alt text.
    await expect.poll(() => mastodon.statuses.length, { timeout: 30_000 }).toBe(1);
    expect(mastodon.statuses[0].status).toContain(TITLE);
    expect(mastodon.statuses[0].mediaIds).toHaveLength(1);
    expect(mastodon.media.find((m) => m.id === mastodon.statuses[0].mediaIds[0])?.description).toBe('Havainnekuva uudesta kirjastosta');
  });
});
