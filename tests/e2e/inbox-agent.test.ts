import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { hostFetch } from '../helpers/app.ts';
import { signInAs, staffActor } from '../helpers/staff-session.ts';
import { describeE2E, expectAccessible, expectNoHorizontalScroll, focused, HOST_A, routeExists, screenshot, startE2E, visit, type E2E } from './harness.ts';

/**
 * The agent inbox in real Chromium with axe: the list and a conversation in Finnish and
 * Swedish; a reply typed and sent by keyboard with a canned response inserted by its
 * "/shortcut"; an internal note that never reaches the resident; resolve by shortcut;
 * 320 px; and the whole flow (reply, resolve) again with JavaScript off.
 */
const AGENT = 'asiakaspalvelu@esimerkkila.fi';

describeE2E('agent inbox (Chromium, axe, fi and sv)', () => {
  let e2e: E2E;
  let present = false;
  let tenantId = '';

  beforeAll(async () => {
    e2e = await startE2E();
    present = await routeExists(e2e, '/fi/staff/inbox');
    tenantId = (await e2e.app.services.tenancy.resolveByHost(HOST_A))!.id;
    const actor = await staffActor(e2e.app, tenantId, AGENT);
    await e2e.app.services.canned.create(actor, tenantId, {
      shortcut: 'kiitos',
      titles: { fi: 'Kiitos', sv: 'Tack', en: 'Thanks' },
      bodies: { fi: 'Kiitos viestistä, {{resident_name}}! Viite {{reference}}.', sv: 'Tack, {{resident_name}}!', en: 'Thanks, {{resident_name}}!' },
    });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  async function chat(name: string, text: string) {
    const f = hostFetch(e2e.app, HOST_A);
    const r = await f('/api/v1/chat/conversations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lang: 'fi', human: true, name }) });
    const s = (await r.json()) as { conversation: { id: string; number: number }; token: string };
    await f(`/api/v1/chat/conversations/${s.conversation.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-chat-token': s.token },
      body: JSON.stringify({ clientId: 'first', body: text }),
    });
    const resident = async () =>
      (await (await f(`/api/v1/chat/conversations/${s.conversation.id}`, { headers: { 'x-chat-token': s.token } })).json()) as {
        conversation: { status: string };
        messages: { body: string }[];
      };
    return { ...s, resident };
  }

  async function goto(page: Page, url: string) {
    const r = await page.goto(url, { waitUntil: 'load' });
    expect(r?.status()).toBe(200);
  }

  async function agentContext(opts: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {}): Promise<{ ctx: BrowserContext; page: Page; userId: string }> {
    const s = await signInAs(e2e.app, HOST_A, AGENT);
    const page = await e2e.page(opts);
    const ctx = page.context();
    const [session, csrf] = s.cookie.split('; ').map((c) => c.split('='));
    await ctx.addCookies([
      { name: session[0], value: session[1], domain: 'esimerkkila.localhost', path: '/' },
      { name: csrf[0], value: csrf[1], domain: 'esimerkkila.localhost', path: '/' },
    ]);
    return { ctx, page, userId: s.userId };
  }

  test('a reply by keyboard with a canned response, a note, resolve by shortcut; fi and sv pages are accessible', async (ctx) => {
    if (!present) return ctx.skip();
    const c = await chat('Maija Meikäläinen', 'Hei, tarvitsen apua päivähoitohakemuksen kanssa');
    const { page } = await agentContext();
    const origin = e2e.origin();

    await visit(page, `${origin}/fi/staff/inbox`);
    const row = page.locator('a.inbox-row-link', { hasText: 'Maija Meikäläinen' });
    await expect.poll(() => row.count()).toBe(1);
    await expect.poll(() => page.locator('.inbox-row-unread', { hasText: 'Maija Meikäläinen' }).count()).toBe(1);
    await screenshot(page, 'inbox-list-fi');
    // j moves focus into the list; Enter opens the focused conversation.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    expect((await focused(page))?.tag).toBe('a');
    await row.focus();
    await Promise.all([page.waitForURL(new RegExp(`/fi/staff/inbox/${c.conversation.id}$`)), page.keyboard.press('Enter')]);
    await expectAccessible(page);
    await expect.poll(() => page.locator('.inbox-msg-body', { hasText: 'Hei, tarvitsen apua päivähoitohakemuksen kanssa' }).count()).toBe(1);

    // r → reply box; "/kiitos " becomes the canned text; Ctrl+Enter sends.
    await page.keyboard.press('r');
    expect((await focused(page))?.id).toBe('reply-body');
    await page.keyboard.type('/kiitos ');
    await expect.poll(() => page.locator('#reply-body').inputValue()).toBe(`Kiitos viestistä, Maija Meikäläinen! Viite #${c.conversation.number}.`);
    await page.keyboard.type(' Katsotaan asia.');
    await Promise.all([page.waitForURL(/notice=sent/), page.keyboard.press('Control+Enter')]);
    await expectAccessible(page);
    await expect.poll(async () => (await c.resident()).messages.map((m) => m.body)).toContain(`Kiitos viestistä, Maija Meikäläinen! Viite #${c.conversation.number}. Katsotaan asia.`);

    // n → note mode (from outside a field); the note stays with staff.
    await page.locator('h1').click();
    await page.keyboard.press('n');
    await expect.poll(() => page.locator('#reply-internal').isChecked()).toBe(true);
    await page.locator('#reply-body').fill('Sisäinen: tarkista hakemus järjestelmästä');
    await Promise.all([page.waitForURL(/notice=note/), page.locator('#reply-body').press('Control+Enter')]);
    await expectAccessible(page);
    await expect.poll(() => page.locator('.inbox-msg-note', { hasText: 'Sisäinen: tarkista hakemus' }).count()).toBe(1);
    expect((await c.resident()).messages.some((m) => m.body.includes('Sisäinen'))).toBe(false);
    await screenshot(page, 'inbox-conversation-fi');

    // The canned picker inserts too (select + Insert, without leaving the page).
    await page.locator('#canned-pick').selectOption({ label: '/kiitos – Kiitos' });
    await page.getByRole('button', { name: 'Lisää', exact: true }).click();
    await expect.poll(() => page.locator('#reply-body').inputValue()).toContain('Kiitos viestistä');
    await page.locator('#reply-body').fill('');

    // e → resolved.
    await page.locator('h1').click();
    await Promise.all([page.waitForURL(/notice=status/), page.keyboard.press('e')]);
    await expectAccessible(page);
    await expect.poll(async () => (await c.resident()).conversation.status).toBe('resolved');
    // ? opens the shortcut help, which has the switch to turn single keys off.
    await page.locator('h1').click();
    await page.keyboard.press('?');
    await expect.poll(() => page.locator('details.inbox-shortcuts').getAttribute('open')).not.toBeNull();
    await page.locator('#inbox-shortcuts-on').uncheck();
    await page.locator('h1').click();
    await page.keyboard.press('r');
    expect((await focused(page))?.id).not.toBe('reply-body');
    await page.locator('#inbox-shortcuts-on').check();

    // Swedish.
    await visit(page, `${origin}/sv/staff/inbox?status=all`);
    await visit(page, `${origin}/sv/staff/inbox/${c.conversation.id}`);
    await expect.poll(() => page.getByRole('heading', { name: 'Meddelanden' }).count()).toBe(1);
    await visit(page, `${origin}/sv/staff/inbox/canned`);
    await visit(page, `${origin}/fi/staff/inbox/canned/new`);
  });

  test('at 320 px nothing scrolls sideways', async (ctx) => {
    if (!present) return ctx.skip();
    const c = await chat('Kapea Näyttö', 'Pitkä viesti '.repeat(30));
    const { page } = await agentContext({ viewport: { width: 320, height: 700 } });
    for (const path of ['/fi/staff/inbox', `/fi/staff/inbox/${c.conversation.id}`, '/fi/staff/inbox/canned']) {
      await visit(page, `${e2e.origin()}${path}`);
      await expectNoHorizontalScroll(page);
    }
    await screenshot(page, 'inbox-conversation-320');
  });

  test('without JavaScript: filter, reply, resolve and a canned response by form posts', async (ctx) => {
    if (!present) return ctx.skip();
    const c = await chat('Ei Skriptiä', 'Toimiiko tämä ilman JavaScriptiä?');
    const { page, userId } = await agentContext({ javaScriptEnabled: false });
    const origin = e2e.origin();
    await goto(page, `${origin}/fi/staff/inbox`);
    await page.locator('#f-q').fill('Ei Skriptiä');
    await Promise.all([page.waitForURL(/q=Ei/), page.getByRole('button', { name: 'Näytä', exact: true }).click()]);
    await expect.poll(() => page.locator('a.inbox-row-link').count()).toBe(1);
    await Promise.all([page.waitForURL(new RegExp(`/fi/staff/inbox/${c.conversation.id}$`)), page.locator('a.inbox-row-link').click()]);

    // The canned response: chosen and "inserted" by a GET that pre-fills the reply.
    await page.locator('#canned-pick').selectOption({ label: '/kiitos – Kiitos' });
    await Promise.all([page.waitForURL(/canned=/), page.getByRole('button', { name: 'Lisää', exact: true }).click()]);
    expect(await page.locator('#reply-body').inputValue()).toBe(`Kiitos viestistä, Ei Skriptiä! Viite #${c.conversation.number}.`);
    await Promise.all([page.waitForURL(/notice=sent/), page.getByRole('button', { name: 'Lähetä vastaus', exact: true }).click()]);
    expect((await c.resident()).messages.map((m) => m.body)).toContain(`Kiitos viestistä, Ei Skriptiä! Viite #${c.conversation.number}.`);

    // An empty reply: the error is shown next to the field.
    await page.getByRole('button', { name: 'Lähetä vastaus', exact: true }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('[role="alert"]').count()).toBe(1);

    await goto(page, `${origin}/fi/staff/inbox/${c.conversation.id}`);
    await Promise.all([page.waitForURL(/notice=status/), page.getByRole('button', { name: 'Merkitse ratkaistuksi', exact: true }).click()]);
    expect((await c.resident()).conversation.status).toBe('resolved');

    // Presence by form post.
    await goto(page, `${origin}/fi/staff/inbox`);
    await page.locator('#presence-away').check();
    await Promise.all([page.waitForURL(/notice=presence/), page.getByRole('button', { name: 'Vaihda tila', exact: true }).click()]);
    expect((await e2e.app.services.agentPresence.get(e2e.app.services.db, tenantId, userId)).status).toBe('away');

    // A canned response written without JavaScript.
    await goto(page, `${origin}/fi/staff/inbox/canned/new`);
    await page.locator('#canned-shortcut').fill('aukiolo');
    await page.locator('#canned-titleFi').fill('Aukioloajat');
    await page.locator('#canned-bodyFi').fill('Hei {{resident_name}}, aukioloajat löytyvät palvelun sivulta.');
    await Promise.all([page.waitForURL(/notice=saved/), page.getByRole('button', { name: 'Tallenna', exact: true }).click()]);
    await expect.poll(() => page.getByRole('link', { name: '/aukiolo' }).count()).toBe(1);
  });
});
