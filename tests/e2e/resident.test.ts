import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeE2E, expectAccessible, expectNoHorizontalScroll, HOST_A, routeExists, screenshot, startE2E, visit, waitForMail, type E2E } from './harness.ts';

/**
 * A resident in real Chromium: sign-in through the development identity provider (the
 * stand-in for Suomi.fi e-Identification), My Aukio in fi and sv, sign-out, all with axe.
 *
 * Contract (pages built on another branch): /{lang}/sign-in offers Suomi.fi
 * identification, which in the embedded default leads to /{lang}/dev-idp, a list of test
 * persons, each a submit button; /{lang}/my shows the signed-in resident; the portal
 * header has a sign-out button. Until /fi/sign-in exists the suite skips itself loudly.
 */
describeE2E('resident sign-in through the development IdP, My Aukio, sign-out', () => {
  let e2e: E2E;
  let present = false;
  beforeAll(async () => {
    e2e = await startE2E();
    present = await routeExists(e2e, '/fi/sign-in');
  });
  afterAll(async () => {
    await e2e?.close();
  });

  test('sign-in and dev IdP pages in fi and sv pass axe; My Aukio needs a signed-in resident', async (ctx) => {
    if (!present) return ctx.skip();
    const page = await e2e.page();
    const o = e2e.origin();
    for (const lang of ['fi', 'sv'] as const) {
      await visit(page, `${o}/${lang}/sign-in`);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
      await toDevIdp(page, lang);
      await expectAccessible(page);
      await page.setViewportSize({ width: 320, height: 720 });
      await expectNoHorizontalScroll(page);
      await page.goBack();
      await expectNoHorizontalScroll(page);
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goForward();
      expect(await personButtons(page).count(), 'the dev IdP lists test persons').toBeGreaterThan(0);
      await visit(page, `${o}/${lang}/my`, { path: new RegExp(`^/${lang}/sign-in\\?next=`) });
    }
  });

  test('a resident signs in through the dev IdP, sees My Aukio in fi and sv, and signs out', async (ctx) => {
    if (!present) return ctx.skip();
    const page = await e2e.page();
    const o = e2e.origin(HOST_A);
    await visit(page, `${o}/fi/my`, { path: /^\/fi\/sign-in\?next=/ });
    await toDevIdp(page, 'fi');
    const person = personButtons(page).first();
    const label = (await person.innerText()).trim();
    await Promise.all([page.waitForURL((u) => !u.pathname.includes('/dev-idp'), { timeout: 15_000 }), person.click()]);
    await page.waitForLoadState('load');
    await expectAccessible(page);

    // Signed in: the header offers My Aukio and sign-out instead of sign-in.
    const header = page.getByRole('banner');
    expect(await header.getByRole('button', { name: 'Kirjaudu ulos' }).count()).toBe(1);
    expect(await header.getByRole('link', { name: 'Kirjaudu', exact: true }).count()).toBe(0);

    await visit(page, `${o}/fi/my`);
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await page.setViewportSize({ width: 320, height: 720 });
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'fi-my-320');
    await page.setViewportSize({ width: 1280, height: 900 });
    // The profile shows who was identified: some word of the chosen test person's label.
    const words = label.split(/[\s,()]+/).filter((w) => w.length > 2 && /\p{L}/u.test(w));
    const main = await page.getByRole('main').innerText();
    expect(words.some((w) => main.includes(w)), `My Aukio shows the person "${label}"`).toBe(true);
    await screenshot(page, 'fi-my-desktop');

    await page.getByRole('navigation', { name: 'Kieli' }).getByRole('link', { name: 'På svenska' }).click();
    await page.waitForURL(`${o}/sv/my`);
    expect(await page.locator('html').getAttribute('lang')).toBe('sv');
    await expectAccessible(page);

    await page.getByRole('banner').getByRole('button', { name: 'Logga ut' }).click();
    await page.waitForLoadState('load');
    await expectAccessible(page);
    expect(await page.getByRole('banner').getByRole('link', { name: 'Logga in', exact: true }).count()).toBe(1);
    await visit(page, `${o}/sv/my`, { path: /^\/sv\/sign-in\?next=/ });
  });

  test('weak identification by an e-mailed one-time code, in sv', async (ctx) => {
    if (!present || !(await routeExists(e2e, '/sv/sign-in/email'))) return ctx.skip();
    const page = await e2e.page();
    const o = e2e.origin();
    const email = 'e2e.asukas@example.fi';
    await visit(page, `${o}/sv/sign-in`);
    await page.getByRole('main').locator('a[href*="/sign-in/email"]').first().click();
    await page.waitForURL(/\/sv\/sign-in\/email/);
    await expectAccessible(page);
    await page.locator('input[name="email"]').fill(email);
    await Promise.all([page.waitForURL(/\/sv\/sign-in\/email\/verify/), submit(page, 'email')]);
    await expectAccessible(page);
    const [code] = await waitForMail(e2e, email, /\b\d{6}\b/);
    await page.locator('input[name="code"]').fill(code);
    await Promise.all([page.waitForURL((u) => !u.pathname.includes('/sign-in')), submit(page, 'code')]);
    await page.waitForLoadState('load');
    await expectAccessible(page);
    expect(await page.getByRole('banner').getByRole('button', { name: 'Logga ut' }).count()).toBe(1);
    await visit(page, `${o}/sv/my`);
    expect(await page.getByRole('main').innerText()).toContain(email);
  });
});

/**
 * From the sign-in page to the development IdP the way a resident goes: its own link or
 * button when the page offers one (the embedded default), else the Suomi.fi control
 * (which a configured build may route to the dev IdP), else directly.
 */
async function toDevIdp(page: Page, lang: 'fi' | 'sv') {
  const main = page.getByRole('main');
  const dev = main.locator('a[href*="/dev-idp"], form[action*="/dev-idp"] button');
  const suomifi = main.getByRole('button', { name: /suomi\.fi/i }).or(main.getByRole('link', { name: /suomi\.fi/i }));
  const control = (await dev.count()) > 0 ? dev : suomifi;
  if ((await control.count()) > 0) {
    await Promise.all([page.waitForURL((u) => u.pathname.includes('/dev-idp'), { timeout: 15_000 }), control.first().click()]);
  } else {
    console.warn(`!!! E2E: /${lang}/sign-in links to no development IdP; going to /${lang}/dev-idp directly.`);
    const next = new URL(page.url()).searchParams.get('next');
    await visit(page, new URL(`/${lang}/dev-idp${next ? `?next=${encodeURIComponent(next)}` : ''}`, page.url()).href);
  }
  expect(new URL(page.url()).pathname).toBe(`/${lang}/dev-idp`);
}

/** The dev IdP's test persons: the submit buttons in its main content. */
function personButtons(page: Page) {
  return page.getByRole('main').locator('form button:not([type]), form button[type="submit"]');
}

/** Submits the form that has the named field, by its submit button (whatever its text). */
async function submit(page: Page, field: string) {
  const form = page.locator('form', { has: page.locator(`input[name="${field}"]`) });
  await form.locator('button:not([type]), button[type="submit"], input[type="submit"]').first().click();
}
