import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Lang } from '../../src/platform/i18n.ts';
import { STAFF_NAV, visibleNav } from '../../src/web/staff/nav.ts';
import { describeE2E, expectAccessible, expectNoHorizontalScroll, focused, HOST_B, routeExists, screenshot, startE2E, visit, waitForMail, type E2E } from './harness.ts';

/**
 * The staff console in real Chromium: sign-in through the form, every console page in
 * fi and sv with axe, navigation per role, language switching, sign-out.
 *
 * Contract (pages built on other branches): /{lang}/staff/sign-in has a form with
 * name="email", name="password" and a submit button, honours ?next=, and the console
 * has one page per entry of src/web/staff/nav.ts. Until sign-in exists on the build,
 * the suite skips itself loudly.
 */
const PASSWORD = 'Aukio-demo-2026!';
const ADMIN = 'admin@esimerkkila.fi';

describeE2E('staff console in Chromium (sign-in, every page in fi and sv, axe)', () => {
  let e2e: E2E;
  let present = false;
  beforeAll(async () => {
    e2e = await startE2E();
    present = await routeExists(e2e, '/fi/staff/sign-in');
  });
  afterAll(async () => {
    await e2e?.close();
  });

  test('sign-in page in fi and sv; a wrong password is refused with a visible, accessible error', async (ctx) => {
    if (!present) return ctx.skip();
    const page = await e2e.page();
    const o = e2e.origin();
    for (const lang of ['fi', 'sv'] as const) {
      await visit(page, `${o}/${lang}/staff/sign-in`);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    }
    await page.locator('input[name="email"]').fill(ADMIN);
    await page.locator('input[name="password"]').fill('not-the-password');
    await submit(page);
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/sv/staff/sign-in');
    // The error is on the page, announced or tied to a field, and the page still passes axe.
    expect(await page.locator('[role="alert"], .alert, .field-error, [aria-invalid="true"]').count()).toBeGreaterThan(0);
    await expectAccessible(page);
    // Still anonymous: the console sends us back to sign-in.
    await visit(page, `${o}/sv/staff`, { path: /^\/sv\/staff\/sign-in\?next=/ });
  });

  test('admin signs in through the form, returns to the page asked for, and visits every console page in fi and sv', async (ctx) => {
    if (!present) return ctx.skip();
    const page = await e2e.page();
    const o = e2e.origin();
    // Asking for a console page first: sign-in remembers it.
    await visit(page, `${o}/fi/staff/audit`, { path: '/fi/staff/sign-in?next=%2Ffi%2Fstaff%2Faudit' });
    await signInStaff(page, ADMIN, PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/fi/staff/audit');
    await expectAccessible(page);

    // A tenant admin sees every page of the console.
    const nav = visibleNav(['tenant_admin']);
    expect(nav.length).toBe(STAFF_NAV.length);
    for (const lang of ['fi', 'sv'] as Lang[]) {
      for (const item of nav) {
        await visit(page, `${o}/${lang}/staff${item.path}`);
        expect(await page.locator('html').getAttribute('lang')).toBe(lang);
        expect(await page.getByRole('heading', { level: 1 }).count(), `one h1 on /${lang}/staff${item.path}`).toBe(1);
        // The console's navigation marks where we are.
        // The menu exists twice in the DOM (phone and wide), one of them hidden by CSS.
        const current = page.locator('nav a[aria-current="page"]:visible');
        expect(await current.count(), `current page marked on /${lang}/staff${item.path}`).toBe(1);
        expect(new URL((await current.getAttribute('href'))!, o).pathname).toBe(`/${lang}/staff${item.path}`);
      }
    }
    // Detail pages: the first user and the first org unit, from their lists.
    for (const lang of ['fi', 'sv'] as Lang[]) {
      await visit(page, `${o}/${lang}/staff/users`);
      await openFirst(page, `/${lang}/staff/users/`);
      await visit(page, `${o}/${lang}/staff/org-units`);
      await openFirst(page, `/${lang}/staff/org-units/`);
      // The staff sign-in (OpenID Connect) page, linked from the settings page.
      await visit(page, `${o}/${lang}/staff/settings`);
      await openFirst(page, `/${lang}/staff/settings/sign-in`);
    }
    await visit(page, `${o}/fi/staff/users`);
    await screenshot(page, 'fi-staff-users-desktop');

    // The language switcher keeps the console page.
    await page.getByRole('link', { name: 'På svenska' }).click();
    await page.waitForURL(`${o}/sv/staff/users`);
    expect(await page.locator('html').getAttribute('lang')).toBe('sv');
    await expectAccessible(page);

    // Keyboard: the skip link comes first in the console too.
    await page.reload();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ href: '#main', visibleFocus: true });

    // Sign out from the console; its pages are closed again.
    await page.getByRole('button', { name: /^(Kirjaudu ulos|Logga ut)$/ }).click();
    await page.waitForLoadState('load');
    await visit(page, `${o}/fi/staff/users`, { path: /^\/fi\/staff\/sign-in\?next=/ });
  }, 420_000);

  test('password reset by e-mail: request, the captured message in the outbox, the reset page', async (ctx) => {
    if (!present || !(await routeExists(e2e, '/fi/staff/forgot-password'))) return ctx.skip();
    const o = e2e.origin();
    const anon = await e2e.page();
    await visit(anon, `${o}/fi/staff/sign-in`);
    // The way there is a link on the sign-in page.
    await anon.getByRole('main').locator('a[href*="/staff/forgot-password"]').first().click();
    await anon.waitForURL(/\/fi\/staff\/forgot-password/);
    await expectAccessible(anon);
    await anon.locator('input[name="email"]').fill('viestinta@esimerkkila.fi');
    await submit(anon, 'email');
    await anon.waitForLoadState('load');
    await expectAccessible(anon);
    const [link] = await waitForMail(e2e, 'viestinta@esimerkkila.fi', /https?:\/\/\S+\/staff\/reset-password\S*/);
    const u = new URL(link);
    await visit(anon, `${o}${u.pathname}${u.search}`);
    expect(await anon.locator('input[type="password"]').count()).toBeGreaterThan(0);

    // Staff who may read the outbox see the message, list and detail, in fi and sv.
    const admin = await e2e.page();
    await visit(admin, `${o}/fi/staff/sign-in`);
    await signInStaff(admin, ADMIN, PASSWORD);
    for (const lang of ['fi', 'sv'] as Lang[]) {
      await visit(admin, `${o}/${lang}/staff/outbox`);
      expect(await admin.getByRole('main').innerText()).toContain('viestinta@esimerkkila.fi');
      await openFirst(admin, `/${lang}/staff/outbox/`);
    }
  });

  test('320 px wide: sign-in and every console page reflow without sideways scrolling', async (ctx) => {
    if (!present) return ctx.skip();
    const page = await e2e.page({ viewport: { width: 320, height: 720 } });
    const o = e2e.origin();
    await visit(page, `${o}/fi/staff/sign-in`);
    await expectNoHorizontalScroll(page);
    await signInStaff(page, ADMIN, PASSWORD);
    for (const item of visibleNav(['tenant_admin'])) {
      await visit(page, `${o}/fi/staff${item.path}`);
      await expectNoHorizontalScroll(page);
    }
    await visit(page, `${o}/fi/staff/settings/sign-in`);
    await expectNoHorizontalScroll(page);
    // TOTP enrolment: the QR code is one labelled image and fits the narrow screen; then cancelled.
    await visit(page, `${o}/fi/staff/security`);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Ota käyttöön' }).click()]);
    expect(await page.getByRole('img', { name: /^QR-koodi todennussovellukseen/ }).count()).toBe(1);
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'fi-staff-totp-qr-320');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Peruuta' }).click()]);
    await screenshot(page, 'fi-staff-security-320');
    // Detail pages too: a user's facts list and roles table.
    for (const list of ['users', 'org-units']) {
      await visit(page, `${o}/fi/staff/${list}`);
      await openFirst(page, `/fi/staff/${list}/`);
      await expectNoHorizontalScroll(page);
    }
  });

  test('320 px wide: the page heading is on the first screen; the menu opens and a link is followed by keyboard alone', async (ctx) => {
    if (!present) return ctx.skip();
    const viewport = { width: 320, height: 640 };
    const page = await e2e.page({ viewport });
    const o = e2e.origin();
    await visit(page, `${o}/fi/staff/sign-in`);
    await signInStaff(page, ADMIN, PASSWORD);
    const h1Top = async () => (await page.getByRole('heading', { level: 1 }).boundingBox())!.y;
    for (const item of visibleNav(['tenant_admin'])) {
      await visit(page, `${o}/fi/staff${item.path}`);
      expect(await h1Top(), `h1 of /fi/staff${item.path} on the first screen`).toBeLessThan(viewport.height);
    }

    await visit(page, `${o}/fi/staff`);
    // Closed on arrival: the console menu is not exposed until opened.
    const menu = page.getByRole('navigation', { name: 'Työtilan valikko' });
    expect(await menu.count()).toBe(0);
    // Skip link first, then the menu button.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ href: '#main' });
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'summary', text: 'Valikko', visibleFocus: true, onScreen: true });
    await page.keyboard.press('Enter');
    expect(await menu.count()).toBe(1);
    expect(await page.locator('details.staff-menu-narrow').getAttribute('open')).not.toBeNull();
    await expectAccessible(page);
    await screenshot(page, 'fi-staff-menu-open-320');
    // Tab to "Käyttäjät ja roolit" and follow it with Enter.
    for (let i = 0; i < 20 && (await focused(page))?.text !== 'Käyttäjät ja roolit'; i++) await page.keyboard.press('Tab');
    const link = await focused(page);
    expect(link).toMatchObject({ tag: 'a', text: 'Käyttäjät ja roolit', visibleFocus: true, onScreen: true });
    await Promise.all([page.waitForURL(`${o}/fi/staff/users`), page.keyboard.press('Enter')]);
    await page.waitForLoadState('load');
    await expectAccessible(page);
    // The new page starts with the menu closed and its heading in view; the menu marks it.
    expect(await menu.count()).toBe(0);
    expect(await h1Top()).toBeLessThan(viewport.height);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await menu.locator('a[aria-current="page"]').getAttribute('href')).toBe('/fi/staff/users');
    await expectNoHorizontalScroll(page);
  });

  test('customer service sees only its pages; an admin page answers 403 in the console', async (ctx) => {
    if (!present) return ctx.skip();
    const page = await e2e.page();
    const o = e2e.origin();
    await visit(page, `${o}/sv/staff/sign-in`);
    await signInStaff(page, 'asiakaspalvelu@esimerkkila.fi', PASSWORD);
    await visit(page, `${o}/sv/staff`);
    const links = await page.getByRole('navigation').locator('a[href*="/staff"]').evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
    const expected = visibleNav(['customer_service']).map((i) => `/sv/staff${i.path}`);
    for (const path of expected) expect(links, `nav of customer service has ${path}`).toContain(path);
    expect(links).not.toContain('/sv/staff/users');
    for (const item of visibleNav(['customer_service'])) await visit(page, `${o}/sv/staff${item.path}`);
    await visit(page, `${o}/sv/staff/users`, { status: 403 });
  });

  test('Järvikylä admin signs in on its own host (fi only); Esimerkkilä’s credentials do not work there', async (ctx) => {
    if (!present || !(await routeExists(e2e, '/fi/staff/sign-in', HOST_B))) return ctx.skip();
    const page = await e2e.page();
    const o = e2e.origin(HOST_B);
    await visit(page, `${o}/fi/staff/sign-in`);
    await page.locator('input[name="email"]').fill(ADMIN);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await submit(page);
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/fi/staff/sign-in');
    await expectAccessible(page);

    await signInStaff(page, 'admin@jarvikyla.fi', PASSWORD);
    for (const item of visibleNav(['tenant_admin'])) await visit(page, `${o}/fi/staff${item.path}`);
    await visit(page, `${o}/sv/staff`, { status: 404 });
  });
});

/** Submits the form that has the named field, by its submit button (whatever its text). */
async function submit(page: Page, field = 'password') {
  const form = page.locator('form', { has: page.locator(`input[name="${field}"]`) });
  await form.locator('button:not([type]), button[type="submit"], input[type="submit"]').first().click();
}

/** Follows the first link in the main content to a page under `prefix`; checks it with axe. */
async function openFirst(page: Page, prefix: string) {
  const link = page.getByRole('main').locator(`a[href^="${prefix}"]`).first();
  expect(await link.count(), `a link to ${prefix}… on ${page.url()}`).toBe(1);
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith(prefix)), link.click()]);
  await page.waitForLoadState('load');
  expect(await page.getByRole('heading', { level: 1 }).count(), `one h1 on ${page.url()}`).toBe(1);
  await expectAccessible(page);
}

/** Fills and submits the staff sign-in form on the current page; waits to leave it. */
async function signInStaff(page: Page, email: string, password: string) {
  expect(new URL(page.url()).pathname).toMatch(/^\/(fi|sv|en)\/staff\/sign-in$/);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/staff/sign-in'), { timeout: 15_000 }), submit(page)]);
  expect(new URL(page.url()).pathname).toMatch(/^\/(fi|sv|en)\/staff/);
}
