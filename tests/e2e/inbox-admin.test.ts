import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeE2E, expectAccessible, expectNoBrowserErrors, expectNoHorizontalScroll, HOST_A, screenshot, startE2E, visit, type E2E } from './harness.ts';
import { CHAT_COOKIE } from '../../src/modules/inbox/chat-api.ts';

/**
 * Inbox administration in real Chromium with axe: a tenant admin edits a team and creates
 * one without JavaScript (a time in the wrong format is shown at its input); the reports
 * page in fi and sv with its CSV download; a resident whose anonymous chat (the
 * aukio_chat cookie) is linked when they sign in through the dev IdP reads it on My
 * conversations, without the agents' internal note. Also at 320 px.
 */
const PASSWORD = 'Aukio-demo-2026!';

describeE2E('inbox administration, reports and My conversations', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  test('a tenant admin lists teams and edits one; 320 px', async () => {
    const page = await e2e.page();
    const o = e2e.origin(HOST_A);
    await page.goto(`${o}/fi/staff/inbox/teams`);
    await signInStaff(page, 'admin@esimerkkila.fi');
    await visit(page, `${o}/fi/staff/inbox/teams`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Asiakaspalvelun tiimit');
    const table = page.getByRole('region', { name: 'Asiakaspalvelun tiimit' });
    expect(await table.getByRole('row').count()).toBeGreaterThanOrEqual(3);
    await Promise.all([page.waitForURL(/\/fi\/staff\/inbox\/teams\/[0-9a-f-]{36}$/), table.getByRole('link', { name: 'Neuvonta' }).click()]);
    await page.waitForLoadState('load');
    await expectAccessible(page);
    // The weekly grid shows the demo's Mon–Fri 08–16.
    expect(await page.getByLabel('maanantai alkaa').inputValue()).toBe('08:00');
    expect(await page.getByLabel('lauantai alkaa').inputValue()).toBe('');
    await page.getByLabel('lauantai alkaa').fill('10:00');
    await page.getByLabel('lauantai päättyy').fill('14:00');
    await page.getByRole('button', { name: 'Tallenna' }).click();
    await page.waitForURL(/notice=saved/);
    await expectAccessible(page);
    expect(await page.getByRole('status').innerText()).toBe('Tallennettu.');
    expect(await page.getByLabel('lauantai päättyy').inputValue()).toBe('14:00');
    await screenshot(page, 'inbox-team-edit');
    expectNoBrowserErrors(page, 'team editor');

    await page.setViewportSize({ width: 320, height: 720 });
    await expectNoHorizontalScroll(page);
    await visit(page, `${o}/sv/staff/inbox/teams`);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'inbox-teams-320-sv');
  });

  test('creates a team without JavaScript: a wrong time is shown at its input, then saved', async () => {
    // axe needs JavaScript, so the error state is checked with it on first, then the whole flow without.
    const js = await e2e.page();
    const o = e2e.origin(HOST_A);
    await js.goto(`${o}/sv/staff/inbox/teams/new`);
    await signInStaff(js, 'admin@esimerkkila.fi');
    await visit(js, `${o}/sv/staff/inbox/teams/new`);
    await js.getByLabel('Namn (på finska)').fill('Kokeilu');
    await js.getByLabel('tisdag börjar').fill('9');
    await js.getByLabel('tisdag slutar').fill('15:00');
    await js.getByRole('button', { name: 'Skapa team' }).click();
    await expect.poll(() => js.getByRole('alert').count()).toBe(1);
    await expectAccessible(js);
    await screenshot(js, 'inbox-team-errors-sv');

    const page = await e2e.page({ javaScriptEnabled: false });
    await page.goto(`${o}/sv/staff/inbox/teams/new`);
    await signInStaff(page, 'admin@esimerkkila.fi');
    expect(new URL(page.url()).pathname).toBe('/sv/staff/inbox/teams/new');
    await page.getByLabel('Namn (på finska)').fill('Tekninen tuki');
    await page.getByLabel('Namn (på svenska)').fill('Teknisk support');
    await page.getByLabel('måndag börjar').fill('8');
    await page.getByLabel('måndag slutar').fill('16:00');
    await page.getByLabel('Adress för inkommande e-post').fill('neuvonta@esimerkkila.fi');
    await page.getByRole('checkbox', { name: /Antti Asiakaspalvelu/ }).check();
    await page.getByRole('button', { name: 'Skapa team' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('alert').innerText()).toContain('Formuläret innehåller fel');
    const time = page.getByLabel('måndag börjar');
    expect(await time.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`#${await time.getAttribute('id')}-error`).innerText()).toContain('HH:MM');
    expect(await time.inputValue()).toBe('8');
    // What was typed stays, the member too.
    expect(await page.getByLabel('Namn (på svenska)').inputValue()).toBe('Teknisk support');
    expect(await page.getByRole('checkbox', { name: /Antti Asiakaspalvelu/ }).isChecked()).toBe(true);

    await time.fill('08:00');
    await page.getByRole('button', { name: 'Skapa team' }).click();
    await page.waitForLoadState('load');
    // The address belongs to the demo team.
    const email = page.getByLabel('Adress för inkommande e-post');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-emailAddress-error').innerText()).toContain('används redan');

    await email.fill('tuki@esimerkkila.fi');
    await Promise.all([page.waitForURL(/\/sv\/staff\/inbox\/teams\/[0-9a-f-]{36}\?notice=saved$/), page.getByRole('button', { name: 'Skapa team' }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Redigera team: Teknisk support');
    expect(await page.getByLabel('måndag börjar').inputValue()).toBe('08:00');
    expect(await page.getByRole('checkbox', { name: /Antti Asiakaspalvelu/ }).isChecked()).toBe(true);

    // No conversations yet: it can be deleted (with the confirmation box).
    await page.getByRole('button', { name: 'Ta bort team' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('#f-confirm-error').innerText()).toContain('Bekräfta');
    await page.getByLabel('Jag bekräftar att teamet tas bort permanent').check();
    await Promise.all([page.waitForURL(/\/sv\/staff\/inbox\/teams\?notice=deleted$/), page.getByRole('button', { name: 'Ta bort team' }).click()]);
    expect(await page.getByText('Teknisk support').count()).toBe(0);
    await visit(js, `${o}/sv/staff/inbox/teams?notice=deleted`);
  });

  test('reports in fi and sv with a working CSV download; 320 px', async () => {
    const { app } = e2e;
    const tenant = (await app.services.tenancy.resolveByHost(HOST_A))!;
    await app.services.db.transaction((tx) => app.services.conversations.start(tx, tenant.id, { channel: 'chat', lang: 'fi', status: 'pending' }));
    const page = await e2e.page();
    const o = e2e.origin(HOST_A);
    await page.goto(`${o}/fi/staff/inbox/reports`);
    await signInStaff(page, 'asiakaspalvelu@esimerkkila.fi');
    for (const lang of ['fi', 'sv'] as const) {
      await visit(page, `${o}/${lang}/staff/inbox/reports`);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(lang === 'fi' ? 'Asiakaspalvelun raportit' : 'Kundtjänstens rapporter');
      expect(await page.getByRole('heading', { level: 2 }).count()).toBeGreaterThanOrEqual(6);
    }
    // The busiest-hours table has a number in each of its 7 × 24 cells.
    const heat = page.getByRole('region', { name: 'Mest hektiska timmar' });
    expect(await heat.locator('tbody td').count()).toBe(7 * 24);
    await screenshot(page, 'inbox-reports-sv');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Ladda ner CSV: Kontakter per kanal/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/^inbox-volume-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await readFile((await download.path())!, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.slice(1).split('\r\n')[0]).toBe('Dag,Chatt,E-post,Respons,Totalt');
    const totals = text
      .slice(1)
      .split('\r\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => Number(l.split(',')[1]));
    expect(totals.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);

    // The filter is a plain GET form: a team choice reloads the page with it.
    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Rådgivning' });
    await Promise.all([page.waitForURL(/teamId=/), page.getByRole('button', { name: 'Visa' }).click()]);
    await expectAccessible(page);
    await page.setViewportSize({ width: 320, height: 720 });
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'inbox-reports-320');
    expectNoBrowserErrors(page, 'reports');
  });

  test("a resident's anonymous chat follows them at sign-in and shows on My conversations", async () => {
    const { app } = e2e;
    const tenant = (await app.services.tenancy.resolveByHost(HOST_A))!;
    const { db, conversations } = app.services;
    const { conversation, token } = await db.transaction((tx) => conversations.start(tx, tenant.id, { channel: 'chat', lang: 'fi', status: 'pending', withVisitorToken: true }));
    await db.transaction((tx) => conversations.postMessage(tx, tenant.id, conversation.id, { clientId: 'r1', authorKind: 'resident', body: 'Milloin uimahalli aukeaa?' }));
    await db.transaction((tx) => conversations.postMessage(tx, tenant.id, conversation.id, { authorKind: 'agent', authorName: 'Sanna', internal: true, body: 'Sisäinen muistiinpano' }));
    await db.transaction((tx) => conversations.postMessage(tx, tenant.id, conversation.id, { authorKind: 'agent', authorName: 'Sanna', body: 'Uimahalli aukeaa kello 6.' }));

    const page = await e2e.page();
    const o = e2e.origin(HOST_A);
    await page.context().addCookies([{ name: CHAT_COOKIE, value: token!, url: o }]);
    await page.goto(`${o}/fi/my`);
    await page.goto(`${o}/fi/dev-idp?next=%2Ffi%2Fmy`);
    const person = page.getByRole('main').locator('form button:not([type]), form button[type="submit"]').first();
    await Promise.all([page.waitForURL((u) => u.pathname === '/fi/my', { timeout: 15_000 }), person.click()]);
    await expectAccessible(page);
    await Promise.all([page.waitForURL(/\/fi\/my\/conversations$/), page.getByRole('link', { name: 'Omat keskusteluni' }).click()]);
    await expectAccessible(page);
    const row = page.getByRole('row', { name: new RegExp(`#${conversation.number}`) });
    expect(await row.innerText()).toContain('Chat');
    await Promise.all([page.waitForURL(/\/fi\/my\/conversations\/[0-9a-f-]{36}$/), row.getByRole('link').click()]);
    await expectAccessible(page);
    const body = await page.getByRole('main').innerText();
    expect(body).toContain('Milloin uimahalli aukeaa?');
    expect(body).toContain('Uimahalli aukeaa kello 6.');
    expect(body).not.toContain('Sisäinen muistiinpano');
    await page.setViewportSize({ width: 320, height: 720 });
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'inbox-my-conversation-320');
    await visit(page, `${o}/sv/my/conversations`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Mina samtal');
    await expectNoHorizontalScroll(page);
    // Someone else's conversation is the 404 page.
    const other = await db.transaction((tx) => conversations.start(tx, tenant.id, { channel: 'chat', lang: 'fi', status: 'bot' }));
    await visit(page, `${o}/fi/my/conversations/${other.conversation.id}`, { status: 404 });
    expectNoBrowserErrors(page, 'my conversations');
  });
});

/** Fills and submits the staff sign-in form the console redirected to; waits to leave it. */
async function signInStaff(page: Page, email: string) {
  await page.waitForURL(/\/staff\/sign-in/);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(PASSWORD);
  const form = page.locator('form', { has: page.locator('input[name="password"]') });
  await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/staff/sign-in'), { timeout: 15_000 }), form.locator('button[type="submit"], button:not([type])').first().click()]);
}
