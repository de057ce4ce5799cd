import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { AxeBuilder } from '@axe-core/playwright';
import { AXE_TAGS, describeE2E, expectAccessible, expectNoBrowserErrors, expectNoHorizontalScroll, formatViolations, routeExists, screenshot, startE2E, visit, type E2E } from './harness.ts';

/**
 * The PTV import page in Chromium: communications staff upload the sample with JavaScript on
 * (a real progress bar, then the report without a reload), a broken file in Swedish (errors
 * listed with their paths), and the same upload with JavaScript off. axe on every state.
 */
const PASSWORD = 'Aukio-demo-2026!';
const COMMS = 'viestinta@esimerkkila.fi';
const FIXTURE = readFileSync('src/server/demo/ptv-catalog.json', 'utf8');

async function signIn(page: Page, origin: string, lang: string, email = COMMS) {
  await page.goto(`${origin}/${lang}/staff/sign-in?next=${encodeURIComponent(`/${lang}/staff/catalog/import`)}`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname.endsWith('/staff/catalog/import'), { timeout: 15_000 }), page.locator('button[type="submit"]').first().click()]);
}

describeE2E('PTV import page in Chromium (upload with progress, report, axe in fi and sv)', () => {
  let e2e: E2E;
  let present = false;
  beforeAll(async () => {
    e2e = await startE2E();
    present = await routeExists(e2e, '/fi/staff/sign-in');
  });
  afterAll(async () => {
    await e2e?.close();
  });

  test('fi, JavaScript on: upload shows a progress bar, then the report; the runs list updates without a reload', async (ctx) => {
    if (!present) return ctx.skip();
    const page = await e2e.page();
    const o = e2e.origin();
    await signIn(page, o, 'fi');
    await visit(page, `${o}/fi/staff/catalog/import`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Palvelutietojen tuonti (PTV)');
    // The console navigation has the page, marked current.
    expect(await page.locator('nav a[aria-current="page"]:visible').getAttribute('href')).toBe('/fi/staff/catalog/import');

    const doc = JSON.parse(FIXTURE);
    doc.services[0].serviceNames[0].value = 'Varhaiskasvatukseen hakeminen – päivitetty';
    await page.getByLabel('PTV-tiedosto (JSON)').setInputFiles({ name: 'ptv.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });

    // Hold the request a moment so the in-flight state can be seen.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/v1/catalog/import*', async (route) => {
      await held;
      await route.continue();
    });
    const marker = await page.evaluate(() => ((window as unknown as { __noReload: number }).__noReload = 42));
    await page.getByRole('button', { name: 'Tuo tiedosto' }).click();
    const progress = page.getByRole('progressbar', { name: 'Tiedoston lähetys' });
    await progress.waitFor({ state: 'visible' });
    await expectAccessible(page);
    release();

    const report = page.locator('#import-report');
    await report.waitFor({ state: 'visible' });
    expect(await page.locator('[data-count="services-updated"]').textContent()).toBe('1');
    expect(await page.locator('[data-count="services-unchanged"]').textContent()).toBe('69');
    expect(await page.locator('[data-count="channels-unchanged"]').textContent()).toBe('89');
    expect(await page.locator('#import-status').textContent()).toContain('Tuonti onnistui: 0 uutta, 1 päivitettyä, 158 ennallaan.');
    expect(await progress.count()).toBe(0);
    // No full reload: the page's JavaScript state is still there, and focus moved to the result.
    expect(await page.evaluate(() => (window as unknown as { __noReload?: number }).__noReload)).toBe(marker);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('import-report-title');
    // The runs table was refreshed: the newest run is this upload by Veera.
    await page.locator('table >> text=Veera Viestintä').first().waitFor();
    await expectAccessible(page);
    await screenshot(page, 'catalog-import-fi-report');
  });

  test('sv, JavaScript on: a broken file lists its errors with paths, nothing is imported; axe clean', async (ctx) => {
    if (!present) return ctx.skip();
    const page = await e2e.page({ locale: 'sv-FI' });
    const o = e2e.origin();
    await signIn(page, o, 'sv');
    await visit(page, `${o}/sv/staff/catalog/import`);
    const doc = JSON.parse(FIXTURE);
    doc.services[12].serviceNames[1].language = 'se';
    await page.getByLabel('PTV-fil (JSON)').setInputFiles({ name: 'ptv.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
    await page.getByRole('button', { name: 'Importera filen' }).click();
    await page.locator('#import-report').waitFor({ state: 'visible' });
    expect(await page.locator('#import-status').textContent()).toContain('Filen importerades inte');
    expect(await page.locator('#import-report').textContent()).toContain('services[12].serviceNames[1].language');
    // The reason is said in Swedish; the path names the PTV field as it is.
    expect(await page.locator('.import-issues li').first().textContent()).toContain('tillåtna värden: fi, sv, en');
    // The 422 answer shows up as a console error that the harness would count as a page error,
    // so axe runs here directly.
    const axe = await new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode(true).analyze();
    expect(axe.violations, formatViolations(axe.violations)).toEqual([]);
    await screenshot(page, 'catalog-import-sv-errors');
  });

  test('fi, JavaScript off: the plain multipart form imports and shows the report', async (ctx) => {
    if (!present) return ctx.skip();
    const page = await e2e.page({ javaScriptEnabled: false });
    const o = e2e.origin();
    await signIn(page, o, 'fi');
    const doc = JSON.parse(FIXTURE);
    doc.services[1].serviceNames[0].value += ' (ilman JavaScriptiä)';
    await page.getByLabel('PTV-tiedosto (JSON)').setInputFiles({ name: 'ptv.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
    await Promise.all([page.waitForURL('**/fi/staff/catalog/import'), page.getByRole('button', { name: 'Tuo tiedosto' }).click()]);
    await page.locator('#import-report').waitFor();
    const updated = Number(await page.locator('[data-count="services-updated"]').textContent());
    const unchanged = Number(await page.locator('[data-count="services-unchanged"]').textContent());
    expect(updated).toBeGreaterThanOrEqual(1);
    expect(updated + unchanged).toBe(70);
    // axe needs JavaScript in the page; the same markup is checked with JavaScript on above.
    expectNoBrowserErrors(page, 'import without JavaScript');
  });

  test('fi, tenant admin: sync settings with a wrong and a right URL, "Sync now"; 320 px wide', async (ctx) => {
    if (!present) return ctx.skip();
    const page = await e2e.page({ viewport: { width: 320, height: 800 } });
    const o = e2e.origin();
    await signIn(page, o, 'fi', 'admin@esimerkkila.fi');
    await visit(page, `${o}/fi/staff/catalog/import`);
    const url = page.getByLabel('PTV-rajapinnan osoite');
    await url.fill('ftp://example.com/ptv');
    await page.getByRole('button', { name: 'Tallenna asetukset' }).click();
    await page.locator('#f-sync-url-error').waitFor();
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);
    await url.fill('https://ptv.example.invalid/api/v11/catalog.json');
    await page.getByLabel('Synkronoi joka yö').check();
    await page.getByRole('button', { name: 'Tallenna asetukset' }).click();
    await page.getByText('Synkronoinnin asetukset tallennettu.').waitFor();
    await page.getByText('Yöllinen synkronointi on käytössä osoitteesta https://ptv.example.invalid/api/v11/catalog.json.').waitFor();
    await page.getByRole('button', { name: 'Synkronoi nyt' }).click();
    await page.getByText('Synkronointi käynnistyi.', { exact: false }).waitFor();
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'catalog-import-admin-320');
  });
});
