import { afterAll, beforeAll, expect, test } from 'vitest';
import { insertCatalogFixture, type CatalogFixture } from '../helpers/catalog-fixture.ts';
import { describeE2E, expectNoHorizontalScroll, HOST_A, screenshot, startE2E, visit, type E2E } from './harness.ts';

/**
 * Catalog pages in real Chromium: service, unit, topics and a content page are axe clean in
 * fi and sv, fit a 320 px screen, and print as a readable black-on-white document.
 */
describeE2E('catalog resident pages in Chromium (axe, 320 px, print)', () => {
  let e2e: E2E;
  let fx: CatalogFixture;
  beforeAll(async () => {
    e2e = await startE2E();
    const t = await e2e.app.services.db.query<{ id: string }>(`select id from tenants where slug = 'esimerkkila'`);
    fx = await insertCatalogFixture(e2e.app.services.db, t.rows[0].id);
  });
  afterAll(async () => {
    await e2e?.close();
  });

  const paths = () => ({
    service: `/services/${fx.serviceId}`,
    unit: `/units/${fx.unitId}`,
    topics: '/topics',
    topic: `/topics/${fx.classCode}`,
    group: '/topics?group=KR1.2',
    page: `/pages/${fx.pageSlug}`,
  });

  for (const lang of ['fi', 'sv'] as const) {
    test(`/${lang}: service, unit, topics and content page pass axe, desktop and 320 px`, async () => {
      const o = e2e.origin(HOST_A);
      const wide = await e2e.page();
      const narrow = await e2e.page({ viewport: { width: 320, height: 800 } });
      for (const [name, path] of Object.entries(paths())) {
        await visit(wide, `${o}/${lang}${path}`);
        expect(await wide.getByRole('heading', { level: 1 }).count()).toBe(1);
        expect(await wide.locator('html').getAttribute('lang')).toBe(lang);
        if (name === 'service' || name === 'unit') await screenshot(wide, `catalog-${name}-${lang}-desktop`);
        await visit(narrow, `${o}/${lang}${path}`);
        await expectNoHorizontalScroll(narrow);
        await screenshot(narrow, `catalog-${name}-${lang}-320`);
      }
    });
  }

  test('service page: the e-service first, a link on to the unit; print shows link addresses without chrome', async () => {
    const o = e2e.origin(HOST_A);
    const page = await e2e.page();
    await visit(page, `${o}/fi${paths().service}`);
    const headings = await page.locator('.how-to-get h3').allInnerTexts();
    expect(headings).toEqual(['Asioi verkossa', 'Soita', 'Asioi paikan päällä', 'Lisätietoa verkossa', 'Tulostettavat lomakkeet']);
    await expect.poll(() => page.locator('.e-service a.button').getAttribute('href')).toBe('https://asiointi.esimerkkila.fi/varhaiskasvatus');
    // From the unit link on the service page to the unit page and its services.
    await page.locator(`a[href="/fi/units/${fx.unitId}"]`).first().click();
    await page.waitForURL(`**/fi/units/${fx.unitId}`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Kaupungintalon asiointipiste');
    await expect.poll(() => page.locator(`a[href="/fi/services/${fx.serviceId}"]`).count()).toBe(1);

    await page.goto(`${o}/fi${paths().service}`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await page.locator('.site-footer').isVisible()).toBe(false);
    const after = await page.locator('.channel-web a').first().evaluate((a) => getComputedStyle(a, '::after').content);
    expect(after).toContain('https://www.esimerkkila.fi/varhaiskasvatus');
    await screenshot(page, 'catalog-service-fi-print');
    await page.emulateMedia({ media: 'screen' });
  });
});
