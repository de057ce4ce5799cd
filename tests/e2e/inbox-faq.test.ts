import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEMO_PASSWORD, describeE2E, expectAccessible, expectNoHorizontalScroll, screenshot, signInThroughForm, startE2E, visit, type E2E } from './harness.ts';

/**
 * The bot's FAQ in the console: a customer-service agent lists the entries, tries the bot
 * (what it would answer and why), creates, edits and deletes an entry; fi and sv with axe on
 * every page; the same tasks with JavaScript off; 320 px.
 */
describeE2E('Bot FAQ console (Chromium)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  test('list, try the bot, create, edit and delete an entry in Finnish and Swedish', async () => {
    const o = e2e.origin();
    const page = await e2e.page();
    await signInThroughForm(page, o, 'asiakaspalvelu@esimerkkila.fi', '/fi/staff/inbox/faq');
    expect(await page.getByRole('heading', { level: 1, name: 'Botin usein kysytyt kysymykset' }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Miten haen päivähoitopaikkaa?' }).isVisible()).toBe(true);

    // Try the bot: the curated answer, its source and score, and the linked service card.
    await page.getByLabel('Asukkaan viesti').fill('kirjastokortti hukassa');
    await Promise.all([page.waitForURL(/try=/), page.getByRole('button', { name: 'Kokeile' }).click()]);
    await expectAccessible(page);
    const result = page.locator('.bot-try-result');
    expect(await result.textContent()).toContain('Kirjastokortin saa maksutta');
    expect(await result.textContent()).toContain('Botti: usein kysytty kysymys');
    expect(await result.getByRole('link', { name: 'Kirjastopalvelut ja kirjastokortti' }).getAttribute('href')).toMatch(/^\/fi\/services\//);
    await screenshot(page, 'inbox-faq-try');

    // A person asked for: the bot would hand off.
    await page.getByLabel('Asukkaan viesti').fill('haluan puhua ihmisen kanssa');
    await Promise.all([page.waitForURL(/try=/), page.getByRole('button', { name: 'Kokeile' }).click()]);
    expect(await page.locator('.bot-try-result').textContent()).toContain('Botti siirtäisi keskustelun asiakaspalvelijalle.');

    // New entry: an empty form is refused with the fields named, then created.
    await Promise.all([page.waitForURL(/\/faq\/new$/), page.getByRole('link', { name: 'Uusi kysymys' }).click()]);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Luo kysymys' }).click();
    await page.waitForLoadState('load');
    await expect.poll(() => page.getByRole('alert').count()).toBeGreaterThan(0);
    await expectAccessible(page);
    await page.getByLabel('Kysymykset (suomi)').fill('Milloin kirpputori on auki?\nkirpputori');
    await page.getByLabel('Vastaus (suomi)').fill('Kirpputorin päivät kerrotaan kaupungin tapahtumakalenterissa.');
    await page.getByLabel('Kysymykset (ruotsi)').fill('När är loppmarknaden öppen?');
    await page.getByLabel('Vastaus (ruotsi)').fill('Loppmarknadens dagar finns i stadens evenemangskalender.');
    await page.getByLabel('Liittyvä palvelu').selectOption({ label: 'Kaupungin tapahtumat ja tapahtumakalenteri' });
    await Promise.all([page.waitForURL(/\/faq\/[0-9a-f-]{36}\?notice=saved$/), page.getByRole('button', { name: 'Luo kysymys' }).click()]);
    await expectAccessible(page);
    const editPath = new URL(page.url()).pathname;
    expect(await page.getByRole('status').first().textContent()).toContain('Tallennettu');

    // Edit: the answer changes and the try box on the entry shows the new answer.
    await page.getByLabel('Vastaus (suomi)').fill('Kirpputorin päivät ovat kaupungin tapahtumakalenterissa.');
    await Promise.all([page.waitForURL(/notice=saved/), page.getByRole('button', { name: 'Tallenna' }).click()]);
    await page.getByLabel('Asukkaan viesti').fill('milloin kirpputori on auki');
    await Promise.all([page.waitForURL(/try=/), page.getByRole('button', { name: 'Kokeile' }).click()]);
    expect(await page.locator('.bot-try-result').textContent()).toContain('Kirpputorin päivät ovat');
    await expectAccessible(page);
    await screenshot(page, 'inbox-faq-edit');

    // Swedish.
    await visit(page, `${o}/sv/staff/inbox/faq`);
    expect(await page.getByRole('heading', { level: 1, name: 'Botens vanliga frågor' }).isVisible()).toBe(true);
    await visit(page, `${o}/sv${editPath.slice(3)}`);
    expect(await page.getByLabel('Svar (svenska)').inputValue()).toContain('Loppmarknadens dagar');
    await visit(page, `${o}/sv/staff/inbox/faq/new?try=${encodeURIComponent('hur får jag ett lånekort')}&tryLang=sv`);
    await visit(page, `${o}/sv/staff/inbox/faq?try=${encodeURIComponent('hur får jag ett lånekort')}&tryLang=sv`);
    expect(await page.locator('.bot-try-result').textContent()).toContain('lånekort');

    // Delete.
    await visit(page, `${o}${editPath}`);
    await Promise.all([page.waitForURL(/notice=deleted/), page.getByRole('button', { name: 'Poista' }).click()]);
    await expectAccessible(page);
    expect(await page.getByRole('link', { name: 'Milloin kirpputori on auki?' }).count()).toBe(0);

    // 320 px: no sideways scrolling.
    await page.setViewportSize({ width: 320, height: 800 });
    await visit(page, `${o}/fi/staff/inbox/faq?try=kirjastokortti`);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'inbox-faq-320');
  });

  test('works without JavaScript: try the bot, create, delete', async () => {
    const o = e2e.origin();
    const withJs = await e2e.page();
    await signInThroughForm(withJs, o, 'viestinta@esimerkkila.fi', '/fi/staff/inbox/faq');
    const page = await e2e.page({ javaScriptEnabled: false });
    await page.context().addCookies(await withJs.context().cookies());
    await page.goto(`${o}/fi/staff/inbox/faq`);
    await page.getByLabel('Asukkaan viesti').fill('I want to talk to a person');
    await page.getByLabel('Keskustelun kieli').selectOption('en');
    await Promise.all([page.waitForURL(/try=/), page.getByRole('button', { name: 'Kokeile' }).click()]);
    expect(await page.locator('.bot-try-result').textContent()).toContain('customer service agent');

    await page.goto(`${o}/fi/staff/inbox/faq/new`);
    await page.getByLabel('Kysymykset (suomi)').fill('Missä on koirapuisto?');
    await page.getByLabel('Vastaus (suomi)').fill('Koirapuistot löytyvät palvelukortista.');
    await Promise.all([page.waitForURL(/notice=saved/), page.getByRole('button', { name: 'Luo kysymys' }).click()]);
    expect(await page.getByLabel('Kysymykset (suomi)').inputValue()).toBe('Missä on koirapuisto?');
    await Promise.all([page.waitForURL(/notice=deleted/), page.getByRole('button', { name: 'Poista' }).click()]);
    expect(await page.getByRole('link', { name: 'Missä on koirapuisto?' }).count()).toBe(0);
  });

  test('a moderator gets no access', async () => {
    const o = e2e.origin();
    const page = await e2e.page();
    await visit(page, `${o}/fi/staff/sign-in?next=${encodeURIComponent('/fi/staff')}`);
    await page.locator('input[name="email"]').fill('moderaattori@esimerkkila.fi');
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await Promise.all([page.waitForURL((u) => u.pathname === '/fi/staff'), page.locator('form', { has: page.locator('input[name="password"]') }).locator('button[type="submit"], button:not([type])').first().click()]);
    await visit(page, `${o}/fi/staff/inbox/faq`, { status: 403 });
  });
});
