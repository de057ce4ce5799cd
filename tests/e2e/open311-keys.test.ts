import { afterAll, beforeAll, expect, test } from 'vitest';
import { hostFetch } from '../helpers/app.ts';
import { Open311Client } from '../helpers/open311-client.ts';
import { describeE2E, expectNoHorizontalScroll, HOST_A, screenshot, startE2E, visit, type E2E } from './harness.ts';

/**
 * A tenant admin issues an Open311 key in the console (API tokens page, keyboard and
 * labels as a person uses them) and an Open311 client posts with it; the page, with its
 * note for Open311 apps, is axe-clean in fi and sv and works 320 px wide.
 */
const PASSWORD = 'Aukio-demo-2026!';
const ADMIN = 'admin@esimerkkila.fi';

describeE2E('Open311 keys in the console (Chromium)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  test('an admin creates an Open311 key and a client posts with it', async () => {
    const o = e2e.origin();
    const page = await e2e.page();
    await visit(page, `${o}/fi/staff/api-tokens`, { path: /^\/fi\/staff\/sign-in\?next=/ });
    await page.locator('input[name="email"]').fill(ADMIN);
    await page.locator('input[name="password"]').fill(PASSWORD);
    const signIn = page.locator('form', { has: page.locator('input[name="password"]') });
    await Promise.all([page.waitForURL((u) => u.pathname === '/fi/staff/api-tokens'), signIn.locator('button:not([type]), button[type="submit"]').first().click()]);
    await visit(page, `${o}/fi/staff/api-tokens`);
    expect(await page.getByRole('heading', { name: 'Open311-sovellukset' }).isVisible()).toBe(true);
    expect(await page.getByText(`${o}/open311/v2`, { exact: true }).isVisible()).toBe(true);

    await page.getByLabel('Nimi', { exact: true }).fill('Palautesovellus (e2e)');
    await page.getByRole('checkbox', { name: /open311/ }).check();
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Luo avain' }).click()]);
    const key = await page.locator('#new-token').inputValue();
    expect(key).toMatch(/^aukio_/);
    await screenshot(page, 'open311-key-created');

    const client = new Open311Client(hostFetch(e2e.app, HOST_A), { format: 'xml', apiKey: key });
    const [r] = await client.postRequest({ service_code: 'praise', description: 'Kiitos, e2e' });
    expect(r.service_request_id).toMatch(/^\d+$/);

    // The street unit's handler opens an Open311 case: the client's media_url and ids show, axe-clean.
    const [pothole] = await client.postRequest({
      service_code: 'pothole',
      lat: 61.4981,
      long: 23.7608,
      description: 'Kuoppa, kuva sovelluksessa',
      media_url: 'https://kuvat.example.com/kuoppa.jpg',
      account_id: 'acct-e2e',
    });
    const id = (await e2e.app.services.db.query<{ id: string }>('select id from feedback_cases where number = $1', [Number(pothole.service_request_id)])).rows[0].id;
    const staff = await e2e.page();
    await visit(staff, `${o}/fi/staff/feedback/cases/${id}`, { path: /^\/fi\/staff\/sign-in\?next=/ });
    await staff.locator('input[name="email"]').fill('katu@esimerkkila.fi');
    await staff.locator('input[name="password"]').fill(PASSWORD);
    const form = staff.locator('form', { has: staff.locator('input[name="password"]') });
    await Promise.all([staff.waitForURL((u) => u.pathname === `/fi/staff/feedback/cases/${id}`), form.locator('button:not([type]), button[type="submit"]').first().click()]);
    await visit(staff, `${o}/fi/staff/feedback/cases/${id}`);
    expect(await staff.getByRole('link', { name: 'https://kuvat.example.com/kuoppa.jpg' }).isVisible()).toBe(true);
    await screenshot(staff, 'open311-case-facts');

    await visit(page, `${o}/sv/staff/api-tokens`);
    expect(await page.getByRole('heading', { name: 'Open311-appar' }).isVisible()).toBe(true);
    await page.setViewportSize({ width: 320, height: 800 });
    await visit(page, `${o}/en/staff/api-tokens`);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'open311-keys-320');
  });
});
