import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeE2E, expectAccessible, expectNoBrowserErrors, expectNoHorizontalScroll, focused, routeExists, screenshot, startE2E, visit, type E2E } from './harness.ts';

/**
 * Catalog editing in Chromium: a communications officer creates a content page and
 * publishes it using only the keyboard, sees it in the version history, and every
 * editing page (lists, editors, history, synonyms, promoted answers) passes axe in fi and sv.
 */
const PASSWORD = 'Aukio-demo-2026!';
const COMMS = 'viestinta@esimerkkila.fi';

describeE2E('catalog editing in Chromium (pages by keyboard, history, axe)', () => {
  let e2e: E2E;
  let present = false;
  let page: Page;
  beforeAll(async () => {
    e2e = await startE2E();
    present = (await routeExists(e2e, '/fi/staff/sign-in')) && (await routeExists(e2e, '/fi/staff/pages'));
    if (!present) return;
    page = await e2e.page();
    await page.goto(`${e2e.origin()}/fi/staff/sign-in?next=%2Ffi%2Fstaff%2Fpages`);
    await page.locator('input[name="email"]').fill(COMMS);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await Promise.all([page.waitForURL((u) => u.pathname === '/fi/staff/pages'), page.locator('input[name="password"]').press('Enter')]);
  });
  afterAll(async () => {
    await e2e?.close();
  });

  /** Focuses the element and presses Enter: what a keyboard user does with a link or button. */
  async function pressEnterOn(selector: string, waitForPath?: (p: string) => boolean) {
    const el = page.locator(selector).first();
    await el.focus();
    const f = await focused(page);
    expect(f?.visibleFocus, `visible focus on ${selector}`).toBe(true);
    if (waitForPath) await Promise.all([page.waitForURL((u) => waitForPath(u.pathname + u.search)), page.keyboard.press('Enter')]);
    else await page.keyboard.press('Enter');
    await page.waitForLoadState('load');
  }

  test('creates and publishes a page by keyboard; the history shows who did it', async (ctx) => {
    if (!present) return ctx.skip();
    const o = e2e.origin();
    await visit(page, `${o}/fi/staff/pages`);
    await pressEnterOn('main a[href="/fi/staff/pages/new"]', (p) => p === '/fi/staff/pages/new');
    await expectAccessible(page);

    // Type into the fields with the keyboard.
    await page.locator('#f-slug').focus();
    await page.keyboard.type('uimahallin-aukiolo');
    await page.locator('#f-title-fi').focus();
    await page.keyboard.type('Uimahallin aukiolo');
    await page.locator('#f-body-fi').focus();
    await page.keyboard.type('Auki joka päivä');
    // The toolbar works by keyboard: select the text, Shift+Tab back over the five tools to "Lihavointi", Enter.
    await page.keyboard.press('ControlOrMeta+a');
    for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+Tab');
    expect((await focused(page))?.text).toBe('Lihavointi');
    await page.keyboard.press('Enter');
    expect(await page.locator('#f-body-fi').inputValue()).toBe('<strong>Auki joka päivä</strong>');
    // Focus went back to the text with the markup's content selected.
    expect((await focused(page))?.id).toBe('f-body-fi');

    await pressEnterOn('main button[value="create"]', (p) => /^\/fi\/staff\/pages\/[0-9a-f-]{36}\?notice=pageCreated$/.test(p));
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Luonnos luotu');
    await expectAccessible(page);
    expect(await page.locator('.badge.status-draft').count()).toBe(1);
    // The preview shows the sanitized result.
    expect(await page.locator('.preview strong').textContent()).toBe('Auki joka päivä');

    await pressEnterOn('main button[value="publish"]', (p) => p.endsWith('notice=pagePublished'));
    expect(await page.getByRole('status').textContent()).toContain('Sivu julkaistu');
    expect(await page.locator('.badge.status-published').count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'catalog-edit-page-published');

    await pressEnterOn('main a[href$="/history"]', (p) => p.endsWith('/history'));
    await expectAccessible(page);
    const rows = page.locator('main table tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toContain('Julkaistu');
    expect(await rows.nth(0).textContent()).toContain('Veera Viestintä');
    expect(await rows.nth(1).textContent()).toContain('Luotu');
    // Opening an old version shows its text.
    await pressEnterOn('main table tbody tr:nth-child(2) a', (p) => p.includes('?v='));
    expect(await page.locator('.version-text').textContent()).toContain('Uimahallin aukiolo');
    await expectAccessible(page);
    await screenshot(page, 'catalog-edit-history');
  });

  test('every editing page passes axe in fi and sv, and reflows at 320 px', async (ctx) => {
    if (!present) return ctx.skip();
    const o = e2e.origin();
    const { rows } = await e2e.app.services.db.query<{ id: string }>(`select id from content_pages where slug = 'talviajan-ohjeet'`);
    const pageId = rows[0].id;
    const paths = [
      '/staff/catalog/services',
      '/staff/catalog/services/new',
      '/staff/catalog/units',
      '/staff/catalog/units/new',
      '/staff/pages',
      `/staff/pages/${pageId}`,
      `/staff/pages/${pageId}/history`,
      '/staff/synonyms',
      '/staff/promotions',
    ];
    for (const lang of ['fi', 'sv']) {
      for (const p of paths) {
        await visit(page, `${o}/${lang}${p}`);
        expect(await page.getByRole('heading', { level: 1 }).count(), `one h1 on ${p}`).toBe(1);
      }
    }
    // A failed form (duplicate synonym) is accessible too, with the error tied to its field.
    await visit(page, `${o}/fi/staff/synonyms`);
    for (let i = 0; i < 2; i++) {
      await page.locator('#f-term').fill('uikkari');
      await page.locator('#f-expansion').fill('uimahalli');
      await Promise.all([page.waitForLoadState('load'), page.locator('#f-expansion').press('Enter')]);
      await page.waitForLoadState('load');
    }
    expect(await page.locator('#f-term').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-term-error').textContent()).toContain('on jo listalla');
    // The refused post answered 409 (as the API does); the harness expects that status.
    expectNoBrowserErrors(page, 'duplicate synonym');
    await expectAccessible(page);

    const phone = await e2e.page({ viewport: { width: 320, height: 640 } });
    await phone.context().addCookies(await page.context().cookies());
    for (const p of ['/fi/staff/pages', `/fi/staff/pages/${pageId}`, '/fi/staff/catalog/units/new']) {
      await visit(phone, `${o}${p}`);
      await expectNoHorizontalScroll(phone);
    }
    await screenshot(phone, 'catalog-edit-unit-phone');
  });
});
