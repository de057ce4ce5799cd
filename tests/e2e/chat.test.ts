import { createServer, type Server } from 'node:http';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeE2E, expectAccessible, expectNoHorizontalScroll, focused, HOST_A, screenshot, startE2E, visit, type E2E } from './harness.ts';

/*
 * The resident's chat in Chromium: the widget on the front page (axe closed and open,
 * Enter opens it, focus moves in, Esc brings focus back), a message sent once and an
 * agent's answer announced, the 320 px layout, the chat page without JavaScript, the embed
 * script on another site (allowed origin: the chat; unlisted origin: refused), and the
 * chat settings page in fi and sv.
 */

const PASSWORD = 'Aukio-demo-2026!';

function hostPage(scriptSrc: string, lang: string): Promise<{ server: Server; origin: string }> {
  const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Toinen sivusto</title></head><body><main><h1>Toinen sivusto</h1><p>Sivu, jolle chat on upotettu.</p></main><script src="${scriptSrc}" data-lang="${lang}" async></script></body></html>`;
  return new Promise((resolve) => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` }));
  });
}

async function chatFrame(page: Page): Promise<Frame | null> {
  for (let i = 0; i < 50; i++) {
    const f = page.frames().find((x) => x !== page.mainFrame());
    if (f) return f;
    await page.waitForTimeout(100);
  }
  return null;
}

describeE2E('resident chat: widget, page without JavaScript, embed, settings', () => {
  let e2e: E2E;
  let tenantA: string;
  const servers: Server[] = [];

  beforeAll(async () => {
    e2e = await startE2E();
    const t = await e2e.app.services.db.query<{ id: string }>(`select id from tenants where slug = 'esimerkkila'`);
    tenantA = t.rows[0].id;
    // Always open, so the test does not depend on the hour it runs.
    await e2e.app.services.db.query(`update inbox_teams set business_hours = '[]' where tenant_id = $1`, [tenantA]);
  });
  afterAll(async () => {
    for (const s of servers) s.close();
    await e2e?.close();
  });

  test('the widget on the front page: axe closed and open, Enter opens, focus inside, Esc returns focus', async () => {
    const page = await e2e.page();
    await visit(page, `${e2e.origin()}/fi`);
    const launcher = page.getByRole('button', { name: 'Chat', exact: true });
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    await launcher.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Chat' });
    await dialog.waitFor();
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    expect(await page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'))).toBe(true);
    // Nobody online: the bot can be asked, and the leave-a-message form is offered.
    await dialog.getByRole('button', { name: 'Kysy botilta' }).waitFor();
    await dialog.getByRole('heading', { name: 'Jätä viesti' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'chat-widget-open');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    // The widget hands focus back on the next animation frame after the panel closes.
    await expect.poll(async () => (await focused(page))?.text).toBe('Chat');
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
  });

  test('a message is sent once, survives a reload, and an agent answer is announced', async () => {
    const page = await e2e.page();
    await visit(page, `${e2e.origin()}/fi`);
    await page.getByRole('button', { name: 'Chat', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Chat' });
    await dialog.getByRole('button', { name: 'Kysy botilta' }).click();
    const box = dialog.getByRole('textbox', { name: 'Viesti' });
    await box.fill('Missä on lähin kirjasto?');
    await box.press('Enter');
    const mine = dialog.locator('.chat-msg-body', { hasText: 'Missä on lähin kirjasto?' });
    await expect.poll(() => dialog.locator('.chat-msg-outgoing').count(), { timeout: 10_000 }).toBe(0);
    expect(await mine.count()).toBe(1);
    // "Talk to a person" puts the chat in the queue.
    await dialog.getByRole('button', { name: 'Keskustele ihmisen kanssa' }).click();
    await dialog.getByText(/Olet jonossa, sijainti \d+, arvioitu odotus noin \d+ min\./).waitFor();
    await dialog.getByRole('list', { name: 'Viestit' }).getByText('Siirretty asiakaspalveluun.').waitFor();

    // An agent answers (as the agent inbox would); the resident hears it in the live region.
    const conv = await e2e.app.services.db.query<{ id: string }>(`select id from inbox_conversations where tenant_id = $1 order by created_at desc limit 1`, [tenantA]);
    await e2e.app.services.db.transaction((tx) =>
      e2e.app.services.conversations.postMessage(tx, tenantA, conv.rows[0].id, { authorKind: 'agent', authorName: 'Maija', body: 'Hei, pääkirjasto on Torikatu 1.' }),
    );
    await dialog.locator('.chat-msg-body', { hasText: 'pääkirjasto on Torikatu 1' }).waitFor();
    await expect.poll(() => dialog.locator('[aria-live="polite"]').innerText()).toContain('Maija: Hei, pääkirjasto on Torikatu 1.');
    await expectAccessible(page);

    // A reload keeps the conversation (token in localStorage) and shows each message once.
    await page.reload();
    await page.getByRole('button', { name: 'Chat', exact: true }).click();
    await dialog.locator('.chat-msg-body', { hasText: 'pääkirjasto on Torikatu 1' }).waitFor();
    expect(await dialog.locator('.chat-msg-body', { hasText: 'Missä on lähin kirjasto?' }).count()).toBe(1);

    // End and rate.
    await dialog.getByRole('button', { name: 'Lopeta chat' }).click();
    const rating = dialog.getByRole('group', { name: 'Arvio' });
    await rating.waitFor();
    await rating.getByLabel('4 – Hyvä').check();
    await dialog.getByRole('textbox', { name: 'Kommentti (vapaaehtoinen)' }).fill('Nopea apu');
    await dialog.getByRole('button', { name: 'Lähetä arvio' }).click();
    await dialog.getByText('Kiitos arviostasi!').waitFor();
    await expectAccessible(page);
    const row = await e2e.app.services.db.query<{ csat_score: number }>('select csat_score from inbox_conversations where id = $1', [conv.rows[0].id]);
    expect(row.rows[0].csat_score).toBe(4);
    expect(await dialog.getByRole('link', { name: 'Lataa keskustelu tekstitiedostona' }).count()).toBe(1);
  });

  test('at 320 px the panel fills the screen and nothing scrolls sideways', async () => {
    const page = await e2e.page({ viewport: { width: 320, height: 640 } });
    await visit(page, `${e2e.origin()}/sv`);
    await expectNoHorizontalScroll(page);
    await page.getByRole('button', { name: 'Chatt', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Chatt' });
    await dialog.waitFor();
    const box = await page.locator('.chat-floating').boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(319);
    expect(box!.x).toBeLessThanOrEqual(1);
    await expectNoHorizontalScroll(page);
    await expectAccessible(page);
    await screenshot(page, 'chat-widget-320');
    await dialog.getByRole('button', { name: 'Stäng chatten' }).click();
    await expect.poll(async () => (await focused(page))?.text).toBe('Chatt');
  });

  test('without JavaScript: the chat page starts a chat, sends, shows the message once and refreshes', async () => {
    const page = await e2e.page({ javaScriptEnabled: false });
    // visit()'s hydration wait and axe need scripts; the same states are checked with axe below.
    expect((await page.goto(`${e2e.origin()}/fi/chat`))?.status()).toBe(200);
    await page.getByRole('textbox', { name: 'Nimi (vapaaehtoinen)' }).first().fill('Liisa');
    await Promise.all([page.waitForURL('**/fi/chat'), page.getByRole('button', { name: 'Kysy botilta' }).click()]);
    await page.getByRole('textbox', { name: 'Viesti', exact: true }).fill('Hei ilman JavaScriptiä');
    await Promise.all([page.waitForURL('**/fi/chat#chat-latest'), page.getByRole('button', { name: 'Lähetä', exact: true }).click()]);
    await page.getByRole('link', { name: 'Päivitä viestit' }).waitFor();
    expect(await page.locator('.chat-msg-body', { hasText: 'Hei ilman JavaScriptiä' }).count()).toBe(1);
    await page.getByRole('link', { name: 'Päivitä viestit' }).click();
    await page.getByRole('link', { name: 'Päivitä viestit' }).waitFor();
    expect(await page.locator('.chat-msg-body', { hasText: 'Hei ilman JavaScriptiä' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Keskustele ihmisen kanssa' }).click();
    await page.getByRole('list', { name: 'Viestit' }).getByText('Siirretty asiakaspalveluun.').waitFor();
    await page.getByText(/Olet jonossa, sijainti \d+, arvioitu odotus noin \d+ min\./).waitFor();

    // The same conversation (the HttpOnly cookie) with scripts on: axe, and 320 px.
    const js = await e2e.page();
    await js.context().addCookies(await page.context().cookies());
    await visit(js, `${e2e.origin()}/fi/chat`);
    expect(await js.locator('.chat-msg-body', { hasText: 'Hei ilman JavaScriptiä' }).count()).toBe(1);
    await js.setViewportSize({ width: 320, height: 640 });
    await expectNoHorizontalScroll(js);
    await screenshot(js, 'chat-page-conversation-320');

    await page.getByRole('button', { name: 'Lopeta chat' }).click();
    await page.getByLabel('5 – Erinomainen').check();
    await page.getByRole('button', { name: 'Lähetä arvio' }).click();
    await page.getByText('Kiitos arviostasi!').waitFor();
  });

  test('the embed script on an allowed site opens the chat in a frame; an unlisted site gets no chat', async () => {
    const lang = 'sv';
    const allowed = await hostPage(`${e2e.origin()}/embed/chat.js`, lang);
    const unlisted = await hostPage(`${e2e.origin()}/embed/chat.js`, lang);
    servers.push(allowed.server, unlisted.server);
    await e2e.app.services.db.query('update inbox_settings set allowed_origins = $2 where tenant_id = $1', [tenantA, [allowed.origin]]);

    // The embed layout itself passes axe.
    const direct = await e2e.page();
    await visit(direct, `${e2e.origin()}/sv/chat?embed=1`);
    expect(await direct.locator('header.site-header').count()).toBe(0);

    const page = await e2e.page();
    await page.goto(allowed.origin);
    const launcher = page.getByRole('button', { name: 'Chatt' });
    await launcher.click();
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    const frame = page.frameLocator('iframe[title="Chattkundtjänst"]');
    await frame.getByRole('button', { name: 'Fråga botten' }).waitFor({ timeout: 15_000 });
    await frame.getByRole('button', { name: 'Fråga botten' }).click();
    const box = frame.getByRole('textbox', { name: 'Meddelande' });
    await box.fill('Hej från en annan webbplats');
    await box.press('Enter');
    await frame.locator('.chat-msg-body', { hasText: 'Hej från en annan webbplats' }).waitFor();
    await screenshot(page, 'chat-embed');
    const stored = await e2e.app.services.db.query<{ origin: string | null }>(`select origin from inbox_conversations where tenant_id = $1 order by created_at desc limit 1`, [tenantA]);
    expect(stored.rows[0].origin).toBe(allowed.origin);
    // Esc inside the frame closes it and focus returns to the button on the host page.
    await box.press('Escape');
    await expect.poll(() => page.locator('iframe').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-aukio-chat'))).toBe('launcher');

    const refused = await e2e.page();
    await refused.goto(unlisted.origin);
    await refused.getByRole('button', { name: 'Chatt' }).click();
    const f = await chatFrame(refused);
    expect(f).not.toBeNull();
    await refused.waitForTimeout(1500);
    // Chromium shows its own "blocked" page in the frame instead of the chat.
    const chatInFrame = await f!.evaluate(() => !!document.querySelector('.chat-page, .chat-panel, .chat-embed')).catch(() => false);
    expect(chatInFrame).toBe(false);
  });

  test('the chat settings page in fi and sv (tenant admin, without JavaScript too)', async () => {
    const page = await e2e.page();
    const o = e2e.origin(HOST_A);
    await page.goto(`${o}/fi/staff/sign-in?next=${encodeURIComponent('/fi/staff/inbox/settings')}`);
    await page.locator('input[name="email"]').fill('admin@esimerkkila.fi');
    await page.locator('input[name="password"]').fill(PASSWORD);
    await Promise.all([page.waitForURL((u) => u.pathname.endsWith('/staff/inbox/settings'), { timeout: 15_000 }), page.locator('button[type="submit"]').first().click()]);
    await expectAccessible(page);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Chatin asetukset');
    const origins = page.getByRole('textbox', { name: 'Sivustot, joille chatin saa upottaa' });
    await origins.fill('https://www.esimerkkila.fi\nftp://väärä');
    await page.getByRole('button', { name: 'Tallenna' }).click();
    await page.getByText('Rivi 2 ei ole kelvollinen osoite', { exact: false }).waitFor();
    await expectAccessible(page);
    await page.getByRole('textbox', { name: 'Sivustot, joille chatin saa upottaa' }).fill('https://www.esimerkkila.fi');
    await page.getByRole('button', { name: 'Tallenna' }).click();
    await page.getByText('Asetukset tallennettu.').waitFor();
    await visit(page, `${o}/sv/staff/inbox/settings`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Chattinställningar');
    expect(await page.getByRole('textbox', { name: 'Webbplatser där chatten får bäddas in' }).inputValue()).toBe('https://www.esimerkkila.fi');
    await page.setViewportSize({ width: 320, height: 640 });
    await expectNoHorizontalScroll(page);
  });
});
