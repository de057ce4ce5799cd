import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { staffActor } from '../helpers/staff-session.ts';
import { describeE2E, expectAccessible, expectNoHorizontalScroll, focused, routeExists, screenshot, startE2E, visit, type E2E } from './harness.ts';

/**
 * The console's newsroom in Chromium: list, new item, the editor (hydrated, with the
 * rich-text toolbar used by keyboard), topics, the console home with a must-read bulletin,
 * the bulletin page and the must-read report all pass axe; screenshots at desktop and
 * phone widths for a person to look at.
 */
const PASSWORD = 'Aukio-demo-2026!';
const PUBLISHER = 'julkaisija@esimerkkila.fi';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPj/HwADAgH/eL9GtQAAAABJRU5ErkJggg==', 'base64');

describeE2E('newsroom staff pages in Chromium (axe, keyboard toolbar, screenshots)', () => {
  let e2e: E2E;
  let present = false;
  let page: Page;
  beforeAll(async () => {
    e2e = await startE2E();
    present = (await routeExists(e2e, '/fi/staff/sign-in')) && (await routeExists(e2e, '/fi/staff/news'));
    if (!present) return;
    page = await e2e.page({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${e2e.origin()}/fi/staff/sign-in?next=%2Ffi%2Fstaff%2Fnews`);
    await page.locator('input[name="email"]').fill(PUBLISHER);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await Promise.all([page.waitForURL((u) => u.pathname === '/fi/staff/news'), page.locator('input[name="password"]').press('Enter')]);
  });
  afterAll(async () => {
    await e2e?.close();
  });

  /** Both widths: the desktop and a phone, with nothing scrolling sideways on the phone. */
  async function shoot(name: string) {
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, `newsroom-${name}-1280`);
    await page.setViewportSize({ width: 375, height: 800 });
    await expectNoHorizontalScroll(page);
    await screenshot(page, `newsroom-${name}-375`);
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  test('list, new item, editor with the toolbar by keyboard, topics', async (ctx) => {
    if (!present) return ctx.skip();
    const o = e2e.origin();
    await visit(page, `${o}/fi/staff/news`);
    await shoot('list');
    await visit(page, `${o}/sv/staff/news?state=published`);

    await visit(page, `${o}/fi/staff/news/new`);
    await shoot('new');
    await page.locator('#kind-press_release').check();
    await page.locator('#f-title-fi').fill('Kaupunki avaa uuden uimahallin');
    await Promise.all([page.waitForURL((u) => /\/fi\/staff\/news\/[0-9a-f-]{36}$/.test(u.pathname)), page.locator('main button[type="submit"]').click()]);
    await expectAccessible(page);
    expect(await page.getByRole('status').first().textContent()).toContain('Luonnos luotu');

    // The toolbar by keyboard: type, select all, Shift+Tab back over the five tools to "Lihavointi", Enter.
    await page.locator('#f-body-fi').focus();
    await page.keyboard.type('Avajaiset lauantaina');
    await page.keyboard.press('ControlOrMeta+a');
    for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+Tab');
    expect((await focused(page))?.text).toBe('Lihavointi');
    await page.keyboard.press('Enter');
    expect(await page.locator('#f-body-fi').inputValue()).toBe('<strong>Avajaiset lauantaina</strong>');
    expect((await focused(page))?.id).toBe('f-body-fi');
    // Ctrl+I inside the text wraps the selection in <em>.
    await page.keyboard.press('ControlOrMeta+i');
    expect(await page.locator('#f-body-fi').inputValue()).toBe('<strong><em>Avajaiset lauantaina</em></strong>');

    // The service filter (scripts on) narrows the checkbox list.
    const services = page.locator('.news-checks-scroll li:not([hidden])');
    const before = await services.count();
    await page.locator('#f-serviceIds-filter').fill('päivähoito');
    expect(await services.count()).toBeLessThan(before);
    await page.locator('#f-serviceIds-filter').fill('');

    await page.locator('#f-lead-fi').fill('Uimahalli avataan keväällä.');
    await Promise.all([page.waitForURL((u) => u.search.includes('notice=saved')), page.locator('main button[value="save"]').click()]);
    await expectAccessible(page);
    expect(await page.locator('#f-body-fi').inputValue()).toBe('<strong><em>Avajaiset lauantaina</em></strong>');

    // An image with its metadata, so the editor shows a thumbnail row; a comment; then review.
    const itemId = new URL(page.url()).pathname.split('/').pop()!;
    const tenantId = (await e2e.app.services.db.query<{ id: string }>(`select id from tenants where slug = 'esimerkkila'`)).rows[0].id;
    const actor = await staffActor(e2e.app, tenantId, PUBLISHER);
    await e2e.app.services.newsroom.addMedia(actor, tenantId, {
      itemId,
      kind: 'image',
      filename: 'uimahalli.png',
      data: PNG,
      meta: { alt: { fi: 'Uimahallin allas' }, caption: { fi: 'Uusi allas' }, credit: 'Kaupunki', license: 'CC BY 4.0' },
    });
    await page.goto(`${o}/fi/staff/news/${itemId}`);
    await page.locator('#f-comment-body').fill('Tarkistatko päivämäärän?');
    await Promise.all([page.waitForURL((u) => u.search.includes('notice=commented')), page.locator('main button[value="comment"]').click()]);
    await Promise.all([page.waitForURL((u) => u.search.includes('notice=moved')), page.locator('main button[value="submit"]').click()]);
    await expectAccessible(page);
    expect(await page.locator('main button[value="approve_publish"]').textContent()).toBe('Hyväksy ja julkaise');
    await shoot('editor');
    // An old version's text.
    await page.locator('main .news-history a').last().click();
    await page.waitForURL((u) => u.search.includes('version='));
    await expectAccessible(page);

    await visit(page, `${o}/fi/staff/news/topics`);
    await shoot('topics');
    await visit(page, `${o}/sv/staff/news/topics`);
  });

  test('console home with a must-read bulletin, the bulletin page, the readers report', async (ctx) => {
    if (!present) return ctx.skip();
    const o = e2e.origin();
    const bulletin = await e2e.app.services.db.query<{ id: string }>(`select id from news_items where slug = 'tietoturvakoulutus-pakollinen'`);
    const id = bulletin.rows[0].id;
    await visit(page, `${o}/fi/staff`);
    const pending = page.locator('.news-bulletin-pending');
    expect(await pending.count()).toBeGreaterThan(0);
    expect(await pending.first().locator('button').textContent()).toBe('Olen lukenut tämän');
    await shoot('home');

    await visit(page, `${o}/fi/staff/bulletins/${id}`);
    await shoot('bulletin');
    // Confirm by keyboard.
    await page.locator('main .news-confirm button').focus();
    await Promise.all([page.waitForURL((u) => u.search.includes('notice=confirmed')), page.keyboard.press('Enter')]);
    await expectAccessible(page);
    expect(await page.locator('.news-confirmed').textContent()).toContain('Kuittasit luetuksi');

    await visit(page, `${o}/fi/staff/news/${id}/readers`);
    expect(await page.locator('#confirmed + * table, section:has(#confirmed) table').first().textContent()).toContain(PUBLISHER);
    await shoot('readers');
    await visit(page, `${o}/sv/staff/news/${id}/readers`);
  });
});
