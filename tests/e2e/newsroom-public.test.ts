import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { signInAs } from '../helpers/staff-session.ts';
import { describeE2E, expectAccessible, expectNoHorizontalScroll, HOST_A, HOST_B, screenshot, startE2E, visit, type E2E } from './harness.ts';

/**
 * The newsroom's public pages and the press-room console pages in real Chromium: axe
 * (WCAG 2.1 AA) at desktop and phone width (375 px, and 320 px for reflow) on the news
 * list, an item, the press room, the image bank, the console's image bank and press
 * contacts; the press-room search and the news topic filter with JavaScript off; an
 * image uploaded through the console form; screenshots for a human to look at.
 */

const PUBLIC_PAGES = [
  ['news', '/fi/news'],
  ['news-item', '/fi/news/talvikunnossapito-kaynnistyy'],
  ['news-event', '/sv/news/joulutori-kaupungintalolla'],
  ['press', '/fi/press'],
  ['press-release', '/fi/press/uusi-paivakoti-satakieli-avautuu'],
  ['press-images', '/fi/press/images'],
] as const;

const STAFF_PAGES = [
  ['staff-images', '/fi/staff/news/images'],
  ['staff-press-contacts', '/fi/staff/news/press-contacts'],
  ['staff-images-sv', '/sv/staff/news/images'],
] as const;

describeE2E('newsroom public pages and press-room console in Chromium (axe, 375/320 px, no JS)', () => {
  let e2e: E2E;
  let staffCookies: { name: string; value: string; domain: string; path: string }[];

  beforeAll(async () => {
    e2e = await startE2E();
    const s = await signInAs(e2e.app, HOST_A, 'viestinta@esimerkkila.fi');
    staffCookies = s.cookie.split('; ').map((c) => {
      const [name, value] = c.split('=');
      return { name, value, domain: HOST_A, path: '/' };
    });
  });
  afterAll(() => e2e?.close());

  const staffPage = async (opts: Parameters<E2E['page']>[0] = {}) => {
    const page = await e2e.page(opts);
    await page.context().addCookies(staffCookies);
    return page;
  };

  test('public pages: axe-clean at desktop and 375 px, no sideways scroll at 320 px', async () => {
    const o = e2e.origin();
    const desktop = await e2e.page();
    const phone = await e2e.page({ viewport: { width: 375, height: 800 } });
    const narrow = await e2e.page({ viewport: { width: 320, height: 700 } });
    for (const [name, path] of PUBLIC_PAGES) {
      await visit(desktop, `${o}${path}`);
      await screenshot(desktop, `newsroom-${name}-desktop`);
      await visit(phone, `${o}${path}`);
      await screenshot(phone, `newsroom-${name}-375`);
      await visit(narrow, `${o}${path}`);
      await expectNoHorizontalScroll(narrow);
    }
    // The front page's latest news and a service page's related news.
    await visit(desktop, `${o}/fi`);
    expect(await desktop.getByRole('heading', { name: 'Uusimmat uutiset' }).isVisible()).toBe(true);
    await screenshot(desktop, 'newsroom-front-desktop');
    const service = (await e2e.app.services.db.query<{ id: string }>(`select id from catalog_services where external_id = 'ee42ea4a-3841-4ecf-b30d-95bc433ac2f0'`)).rows[0];
    await visit(phone, `${o}/fi/services/${service.id}`);
    expect(await phone.getByRole('heading', { name: 'Uutisia tästä palvelusta' }).isVisible()).toBe(true);
    // Unknown item: the portal's 404, axe-clean too.
    await visit(desktop, `${o}/fi/news/ei-ole-olemassa`, { status: 404 });
    expect(await desktop.getByRole('heading', { level: 1 }).innerText()).toBe('Sivua ei löytynyt');
  });

  test('without JavaScript: the news topic filter and the press-room search with a Finnish inflected word', async () => {
    const o = e2e.origin();
    // visit()'s hydration wait and axe need scripts in the page: the URLs reached here are
    // checked with axe with JavaScript on at the end.
    const page: Page = await e2e.page({ javaScriptEnabled: false });
    expect((await page.goto(`${o}/fi/news`))?.status()).toBe(200);
    await page.getByLabel('Aihe').selectOption('liikenne');
    await Promise.all([page.waitForURL(/topic=liikenne/), page.locator('form.news-filter').getByRole('button', { name: 'Näytä' }).click()]);
    const filtered = page.url();
    expect(await page.getByRole('link', { name: 'Talvikunnossapito käynnistyy' }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: /Joulutori/ }).count()).toBe(0);

    expect((await page.goto(`${o}/fi/press`))?.status()).toBe(200);
    await page.getByLabel('Hakusana').fill('päiväkodin');
    await Promise.all([page.waitForURL(/q=/), page.locator('form.press-search').getByRole('button', { name: 'Hae' }).click()]);
    const searched = page.url();
    expect(await page.getByText('1 tiedote').isVisible()).toBe(true);
    await screenshot(page, 'newsroom-press-search-nojs');
    await Promise.all([page.waitForURL(/\/fi\/press\/uusi-paivakoti-satakieli-avautuu$/), page.getByRole('link', { name: /Satakieli avautuu/ }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain('Satakieli');

    const js = await e2e.page();
    for (const url of [filtered, searched]) await visit(js, url);
  });

  test('console pages: axe-clean at desktop and 375 px; an image uploaded and a contact added with plain forms', async () => {
    const o = e2e.origin();
    const desktop = await staffPage();
    const phone = await staffPage({ viewport: { width: 375, height: 800 } });
    for (const [name, path] of STAFF_PAGES) {
      await visit(desktop, `${o}${path}`);
      await screenshot(desktop, `newsroom-${name}-desktop`);
      await visit(phone, `${o}${path}`);
      await screenshot(phone, `newsroom-${name}-375`);
    }

    // Upload without JavaScript: a multipart form and a redirect back with a notice (axe:
    // the same states are checked with JavaScript on below).
    const nojs = await staffPage({ javaScriptEnabled: false });
    expect((await nojs.goto(`${o}/fi/staff/news/images`))?.status()).toBe(200);
    const { drawScene } = await import('../../src/server/demo/press-room.ts');
    await nojs.getByLabel('Kuvatiedosto').setInputFiles({ name: 'e2e-kuva.png', mimeType: 'image/png', buffer: drawScene('winter', 120, 75) });
    // Alt text missing first: the form says so and keeps what was typed.
    await nojs.getByLabel('Kuvaaja tai tekijä').fill('E2E-kuvaaja');
    await Promise.all([nojs.waitForResponse((r) => r.request().method() === 'POST'), nojs.getByRole('button', { name: 'Lisää kuvapankkiin' }).click()]);
    await nojs.waitForLoadState('load');
    expect(await nojs.getByText('Kirjoita vaihtoehtoinen teksti ainakin yhdellä kielellä.').isVisible()).toBe(true);
    await screenshot(nojs, 'newsroom-staff-images-error');
    expect(await nojs.getByLabel('Kuvaaja tai tekijä').inputValue()).toBe('E2E-kuvaaja');
    await nojs.getByLabel('Kuvatiedosto').setInputFiles({ name: 'e2e-kuva.png', mimeType: 'image/png', buffer: drawScene('winter', 120, 75) });
    await nojs.getByLabel('Vaihtoehtoinen teksti suomeksi').fill('Testikuva lumisesta kadusta');
    await Promise.all([nojs.waitForURL(/notice=added/), nojs.getByRole('button', { name: 'Lisää kuvapankkiin' }).click()]);
    expect(await nojs.getByText('Kuva lisättiin kuvapankkiin.').isVisible()).toBe(true);
    await visit(desktop, `${o}/fi/staff/news/images?notice=added`);
    // The refused upload's page, with JavaScript on, through axe.
    await desktop.getByLabel('Kuvatiedosto').setInputFiles({ name: 'e2e-kuva.png', mimeType: 'image/png', buffer: drawScene('winter', 120, 75) });
    await Promise.all([desktop.waitForResponse((r) => r.request().method() === 'POST'), desktop.getByRole('button', { name: 'Lisää kuvapankkiin' }).click()]);
    await desktop.waitForLoadState('load');
    await expectAccessible(desktop);
    expect(await desktop.getByText('Kirjoita vaihtoehtoinen teksti ainakin yhdellä kielellä.').isVisible()).toBe(true);
    await visit(desktop, `${o}/fi/press/images`);
    expect(await desktop.getByRole('img', { name: 'Testikuva lumisesta kadusta' }).isVisible()).toBe(true);

    // Tenant admins have the pages too (the console's nav shows them), also where nothing is
    // there yet: Järvikylä (Finnish only) has no topics, contacts or images.
    const adminB = await signInAs(e2e.app, HOST_B, 'admin@jarvikyla.fi');
    const jarvi = await e2e.page();
    await jarvi.context().addCookies(
      adminB.cookie.split('; ').map((c) => {
        const [name, value] = c.split('=');
        return { name, value, domain: HOST_B, path: '/' };
      }),
    );
    const ob = e2e.origin(HOST_B);
    for (const path of ['/fi/staff/news/images', '/fi/staff/news/press-contacts', '/fi/press', '/fi/press/images', '/fi/news']) await visit(jarvi, `${ob}${path}`);
    await screenshot(jarvi, 'newsroom-jarvikyla-news-empty');

    // A press contact, with JavaScript on this time.
    await visit(desktop, `${o}/fi/staff/news/press-contacts`);
    await desktop.getByLabel('Nimi', { exact: true }).fill('Eija Esimerkki');
    await desktop.getByLabel('Tehtävänimike suomeksi').fill('Tiedottaja');
    await desktop.getByLabel('Sähköposti').fill('eija@esimerkkila.fi');
    await desktop.getByLabel('Kulttuuri ja vapaa-aika').check();
    await Promise.all([desktop.waitForURL(/notice=added/), desktop.getByRole('button', { name: 'Lisää yhteyshenkilö' }).click()]);
    await expectAccessible(desktop);
    await Promise.all([desktop.waitForURL(/notice=moved/), desktop.getByRole('button', { name: 'Siirrä ylemmäs: Eija Esimerkki' }).click()]);
    await expectAccessible(desktop);
    await screenshot(desktop, 'newsroom-staff-press-contacts-after');
    await visit(desktop, `${o}/fi/press`);
    expect(await desktop.getByRole('heading', { name: 'Eija Esimerkki' }).isVisible()).toBe(true);
  });
});
