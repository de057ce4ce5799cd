import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Actor } from '../../src/modules/identity/actor.ts';
import { describeE2E, expectAccessible, expectNoHorizontalScroll, focused, routeExists, screenshot, signInThroughForm, startE2E, visit, waitForMail, type E2E } from './harness.ts';

/**
 * A unit staff member handles a pothole in the console in real Chromium: finds it in the
 * queue (by keyboard through the filters), opens it, sets it in progress, replies with
 * "resolved", proposes a public answer; a moderator approves it. Every page is checked
 * with axe in Finnish and Swedish; the resident's e-mail carries the reply.
 */
const STREET = 'katu@esimerkkila.fi';
const MODERATOR = 'moderaattori@esimerkkila.fi';
const ADMIN = 'admin@esimerkkila.fi';
const RESIDENT = 'kuoppa-e2e@example.com';
// A 1×1 PNG: the attachment route serves it inline with nosniff and a sandbox.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** Clicks a submit button and waits for the page the post redirects to. */
async function post(page: Page, button: string, url: RegExp) {
  await Promise.all([page.waitForURL(url, { timeout: 15_000 }), page.getByRole('button', { name: button, exact: true }).click()]);
  await expectAccessible(page);
}

describeE2E('feedback case handling in the staff console (Chromium, axe, fi and sv)', () => {
  let e2e: E2E;
  let present = false;
  beforeAll(async () => {
    e2e = await startE2E();
    present = await routeExists(e2e, '/fi/staff/feedback/cases');
  });
  afterAll(async () => {
    await e2e?.close();
  });

  test('a pothole goes from the queue to a reply, a public answer and its moderation', async (ctx) => {
    if (!present) return ctx.skip();
    const { services } = e2e.app;
    const tenant = (await services.db.query<{ id: string }>(`select id from tenants where slug = 'esimerkkila'`)).rows[0].id;
    const anon: Actor = { kind: 'anonymous' };
    const r = await services.feedback.submit(
      anon,
      tenant,
      {
        categoryCode: 'pothole',
        description: 'Syvä kuoppa Hämeenkadun pyörätiellä <script>alert(1)</script>, soita 040 765 4321',
        lat: 61.4981,
        lon: 23.7608,
        address: 'Hämeenkatu 10',
        attributes: { size: 'large', hazard: 'yes' },
        contactName: 'Asukas Esimerkki',
        contactEmail: RESIDENT,
        lang: 'fi',
        files: [{ filename: 'kuoppa.png', data: PNG }],
      },
      { channel: 'web', ip: '10.1.2.3', origin: e2e.origin() },
    );
    // A second, nearby pothole shows up as a possible duplicate.
    const second = await services.feedback.submit(anon, tenant, { categoryCode: 'pothole', description: 'Kuoppa taas', lat: 61.49812, lon: 23.7608, lang: 'fi' }, { channel: 'open311' });
    // Its SLA has run out: the queue lists it first, marked overdue in words.
    await services.db.query(`update feedback_cases set due_at = now() - interval '2 days' where id = $1`, [second.caseId]);
    const o = e2e.origin();
    const page = await e2e.page();
    await signInThroughForm(page, o, STREET, '/fi/staff/feedback/cases');
    await screenshot(page, 'feedback-queue-desktop');
    const rows = page.locator('table.fb-queue tbody tr');
    expect(await rows.first().textContent()).toContain(`${second.number}`);
    expect(await rows.first().textContent()).toContain('Myöhässä');

    // Keyboard through the filters: search, status, category, assigned, overdue, submit.
    await page.locator('#f-q').focus();
    await page.keyboard.type(String(r.number));
    const order: (string | null)[] = [];
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      expect(f?.visibleFocus, `visible focus on ${f?.name}`).toBe(true);
      order.push(f?.name ?? null);
    }
    expect(order).toEqual(['status', 'categoryId', 'assignedTo', 'overdue', null]);
    expect((await focused(page))?.tag).toBe('button');
    await Promise.all([page.waitForURL((u) => u.searchParams.get('q') === String(r.number)), page.keyboard.press('Enter')]);
    await expectAccessible(page);
    const link = page.getByRole('link', { name: `Palaute ${r.number}`, exact: true });
    expect(await link.count()).toBe(1);
    expect(await page.getByRole('link', { name: /Lataa CSV/ }).getAttribute('href')).toContain(`q=${r.number}`);

    await Promise.all([page.waitForURL(new RegExp(`/fi/staff/feedback/cases/${r.caseId}$`)), link.click()]);
    await expectAccessible(page);
    await screenshot(page, 'feedback-case-desktop');
    const main = page.getByRole('main');
    await expect.poll(() => main.textContent()).toContain('<script>alert(1)</script>');
    expect(await main.textContent()).toContain('Suuri (yli 50 cm)');
    expect(await page.getByRole('link', { name: /OpenStreetMap/ }).getAttribute('href')).toContain('mlat=61.4981');
    expect(await page.getByRole('heading', { name: 'Mahdolliset kaksoiskappaleet' }).count()).toBe(1);
    expect(await main.getByText(/\d+ m/).count()).toBeGreaterThan(0);

    const attId = (await services.db.query<{ id: string }>('select id from feedback_attachments where case_id = $1', [r.caseId])).rows[0].id;
    // Fetched by the signed-in browser itself (same origin, its cookies).
    const att = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, headers: Object.fromEntries(res.headers.entries()) };
    }, `/fi/staff/feedback/attachments/${attId}`);
    expect(att.status).toBe(200);
    expect(att.headers['content-type']).toBe('image/png');
    expect(att.headers['content-disposition']).toMatch(/^inline; filename="kuoppa.png"/);
    expect(att.headers['x-content-type-options']).toBe('nosniff');
    expect(att.headers['content-security-policy']).toContain('sandbox');

    await page.locator('#f-status').selectOption('in_progress');
    await post(page, 'Tallenna tila', /notice=status/);
    expect(await page.getByRole('status').textContent()).toContain('Tila tallennettu');

    await page.locator('#f-reply-body').fill('Kuoppa paikattiin tänään. Kiitos ilmoituksesta!');
    await page.locator('#f-reply-status').selectOption('resolved');
    await post(page, 'Lähetä vastaus', /notice=reply/);
    await waitForMail(e2e, RESIDENT, /Kuoppa paikattiin tänään/);

    // The public answer's prefill masks the phone number; the handler sends it to moderation.
    expect(await page.locator('#f-publicDescription').inputValue()).toContain('[phone]');
    expect(await page.locator('#f-publicAnswer').inputValue()).toContain('Kuoppa paikattiin tänään');
    expect(await page.getByRole('button', { name: 'Julkaise heti (moderaattori)' }).count()).toBe(0);
    await post(page, 'Lähetä moderoitavaksi', /notice=public_pending/);
    expect(await page.getByText('Odottaa moderointia').count()).toBeGreaterThan(0);

    // Swedish pages of the same case and queue.
    await visit(page, `${o}/sv/staff/feedback/cases`);
    await visit(page, `${o}/sv/staff/feedback/cases/${r.caseId}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(`Respons ${r.number}`);

    // 320 px: no sideways scrolling outside data tables.
    await page.setViewportSize({ width: 320, height: 800 });
    await visit(page, `${o}/fi/staff/feedback/cases`);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'feedback-queue-320');
    await visit(page, `${o}/fi/staff/feedback/cases/${r.caseId}`);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'feedback-case-320');

    // The moderator approves.
    const mod = await e2e.page();
    await signInThroughForm(mod, o, MODERATOR, '/fi/staff/feedback/moderation');
    await screenshot(mod, 'feedback-moderation');
    const item = mod.locator('li', { has: mod.getByRole('heading', { name: new RegExp(`Palaute ${r.number}`) }) });
    await Promise.all([mod.waitForURL(/notice=approved/), item.getByRole('button', { name: 'Hyväksy ja julkaise' }).click()]);
    await expectAccessible(mod);
    const feed = await services.feedback.publicFeed(tenant);
    expect(feed.items.find((i) => i.id === r.caseId)).toMatchObject({ answer: 'Kuoppa paikattiin tänään. Kiitos ilmoituksesta!' });
    expect(feed.items.find((i) => i.id === r.caseId)?.description).not.toContain('040 765 4321');
    await visit(mod, `${o}/sv/staff/feedback/moderation`);
  });

  test('category administration pages pass axe in fi and sv; "add extra field" works without JavaScript', async (ctx) => {
    if (!present) return ctx.skip();
    const o = e2e.origin();
    const page = await e2e.page();
    await signInThroughForm(page, o, ADMIN, '/fi/staff/feedback/categories');
    for (const lang of ['fi', 'sv'] as const) {
      await visit(page, `${o}/${lang}/staff/feedback/categories`);
      await visit(page, `${o}/${lang}/staff/feedback/categories/new`);
    }
    await visit(page, `${o}/fi/staff/feedback/categories`);
    await Promise.all([page.waitForURL(/categories\/[0-9a-f-]{36}$/), page.getByRole('link', { name: 'Katuvaurio tai kuoppa' }).click()]);
    await expectAccessible(page);
    const editUrl = page.url();
    const before = await page.locator('fieldset.fb-attr').count();

    // Without JavaScript (axe needs it, so the same states are checked with it on below).
    const nojs = await e2e.page({ javaScriptEnabled: false });
    await nojs.context().addCookies(await page.context().cookies());
    await nojs.goto(editUrl);
    await nojs.getByRole('button', { name: 'Lisää lisäkenttä' }).click();
    await nojs.waitForLoadState('load');
    expect(await nojs.locator('fieldset.fb-attr').count()).toBe(before + 1);

    await page.getByRole('button', { name: 'Lisää lisäkenttä' }).click();
    await page.waitForLoadState('load');
    await expect.poll(() => page.locator('fieldset.fb-attr').count()).toBe(before + 1);
    await expectAccessible(page);
    await screenshot(page, 'feedback-category-edit');
    // The accessibility rule: an SLA over 14 days is refused with the field named.
    await page.locator('#f-accessibility').check();
    await page.locator('#f-slaDays').fill('30');
    await page.locator(`#f-attr-${before}-code`).fill('extra');
    await page.getByRole('button', { name: 'Tallenna', exact: true }).click();
    await expect.poll(() => page.locator('#f-slaDays-error').count()).toBe(1);
    expect(await page.locator('#f-slaDays-error').textContent()).toContain('14');
    await expectAccessible(page);
    await page.locator('#f-slaDays').fill('7');
    await Promise.all([page.waitForURL(/notice=saved/), page.getByRole('button', { name: 'Tallenna', exact: true }).click()]);
    expect(await page.locator('fieldset.fb-attr').count()).toBe(before + 1);
    await expectAccessible(page);
  });
});
