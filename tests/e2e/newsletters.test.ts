import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeE2E, expectAccessible, expectNoHorizontalScroll, screenshot, signInThroughForm, startE2E, visit, waitForMail, type E2E } from './harness.ts';

/**
 * Newsletters in Chromium with axe on every page: a resident subscribes (double opt-in
 * through the captured confirmation mail), sets preferences and unsubscribes from the
 * one-click link's confirm page, with JavaScript and without; communications staff compose
 * a newsletter from published items, preview it in fi and sv, send a test, send it and
 * watch the progress; the subscriber list. 320 px for the resident pages and the progress.
 */
describeE2E('Newsletters (Chromium)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.app.services.newsletters.close();
    await e2e?.close();
  });

  test('a resident subscribes, confirms from the mail, changes preferences and unsubscribes (fi, 320 px)', async () => {
    const o = e2e.origin();
    const page = await e2e.page({ viewport: { width: 320, height: 800 } });
    await visit(page, `${o}/fi/subscribe`);
    expect(await page.getByRole('heading', { level: 1, name: 'Tilaa tiedotteet sähköpostiisi' }).isVisible()).toBe(true);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'newsletters-subscribe-320');
    // An empty form: the errors are named and the page stays accessible.
    await page.getByRole('button', { name: 'Tilaa' }).click();
    await expect.poll(() => page.getByRole('alert').count()).toBeGreaterThan(0);
    await expectAccessible(page);
    await screenshot(page, 'newsletters-subscribe-errors-320');

    await page.getByLabel('Sähköpostiosoite').fill('e2e.asukas@example.org');
    await page.getByRole('group', { name: /Aiheet/ }).getByRole('checkbox').first().check();
    await page.getByLabel('Päivittäin koosteena (aamuisin)').check();
    await Promise.all([page.waitForURL(/sent=1/), page.getByRole('button', { name: 'Tilaa' }).click()]);
    await expectAccessible(page);
    expect(await page.getByRole('status').textContent()).toContain('Tarkista sähköpostisi');

    const [link] = await waitForMail(e2e, 'e2e.asukas@example.org', /http\S+\/subscribe\/confirm\/\S+/);
    await visit(page, `${o}${new URL(link).pathname}`);
    await screenshot(page, 'newsletters-confirm-320');
    await Promise.all([page.waitForURL(/\/fi\/subscriptions\/[\w-]+\?notice=confirmed/), page.getByRole('button', { name: 'Vahvista tilaus' }).click()]);
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'newsletters-preferences-320');
    expect(await page.getByRole('heading', { level: 1, name: 'Tilauksen asetukset' }).isVisible()).toBe(true);

    await page.getByLabel('Viikoittain koosteena (maanantaisin)').check();
    await page.getByLabel('Viestien kieli').selectOption('sv');
    await Promise.all([page.waitForURL(/\/sv\/subscriptions\/[\w-]+\?notice=saved/), page.getByRole('button', { name: 'Tallenna asetukset' }).click()]);
    await expectAccessible(page);
    expect(await page.getByLabel('Veckovis som sammandrag (på måndagar)').isChecked()).toBe(true);

    // Unsubscribe from the preference page: through the one-click endpoint, back to the confirmation.
    await Promise.all([page.waitForURL(/\/sv\/unsubscribe\/[\w-]+\?done=1/), page.getByRole('button', { name: 'Avsluta prenumerationen' }).click()]);
    await expectAccessible(page);
    expect(await page.getByRole('status').textContent()).toContain('Prenumerationen har avslutats');
  });

  test('the unsubscribe link of a mail shows a confirm page that works without JavaScript', async () => {
    const o = e2e.origin();
    const s = e2e.app.services;
    const tenant = (await s.db.query<{ id: string }>(`select id from tenants where slug = 'esimerkkila'`)).rows[0].id;
    const id = (
      await s.db.query<{ id: string }>(
        `insert into newsletter_subscribers (tenant_id, email, email_norm, language, topics, frequency, status, origin, confirmed_at)
         values ($1, 'nojs@example.org', 'nojs@example.org', 'fi', '{liikenne}', 'instant', 'confirmed', $2, now()) returning id`,
        [tenant, o],
      )
    ).rows[0].id;
    const token = s.subscriptions.linkTokens.make('unsub', id);
    // With scripts (visit() runs axe): the confirm page as the mail's link leads to it.
    const withJs = await e2e.page();
    await visit(withJs, `${o}/unsubscribe/${token}`, { path: `/fi/unsubscribe/${token}` });
    await screenshot(withJs, 'newsletters-unsubscribe');
    // Without: the same page's button does it (axe needs scripts; the states were checked above and in the first test).
    const page = await e2e.page({ javaScriptEnabled: false });
    const res = await page.goto(`${o}/unsubscribe/${token}`);
    expect(res?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe(`/fi/unsubscribe/${token}`);
    await Promise.all([page.waitForURL(/done=1/), page.getByRole('button', { name: 'Peru tilaus' }).click()]);
    expect(await page.getByRole('status').textContent()).toContain('Tilaus on peruttu');
    await visit(withJs, `${o}/fi/unsubscribe/${token}?done=1`);
    expect((await s.db.query<{ status: string }>('select status from newsletter_subscribers where id = $1', [id])).rows[0].status).toBe('unsubscribed');
  });

  test('communications staff compose, preview in fi and sv, test-send, send and follow the progress; subscribers', async () => {
    const o = e2e.origin();
    const page = await e2e.page();
    await signInThroughForm(page, o, 'viestinta@esimerkkila.fi', '/fi/staff/newsletters');
    expect(await page.getByRole('heading', { level: 1, name: 'Uutiskirjeet' }).isVisible()).toBe(true);
    await Promise.all([page.waitForURL(/\/newsletters\/new$/), page.getByRole('link', { name: 'Uusi uutiskirje' }).click()]);
    await expectAccessible(page);
    // Nothing filled in: refused with the subject named.
    await page.getByRole('button', { name: 'Tallenna luonnos' }).click();
    await expect.poll(() => page.getByRole('alert').count()).toBeGreaterThan(0);
    await expectAccessible(page);

    await page.getByLabel('Otsikko (suomi)').fill('Joulukuun uutiskirje');
    await page.getByLabel('Otsikko (ruotsi)').fill('Decembers nyhetsbrev');
    await page.getByLabel('Johdanto (suomi)').fill('Hyvää joulukuuta!\n\nTässä kuukauden uutiset.');
    await page.getByLabel('Johdanto (ruotsi)').fill('God december!');
    await page.getByRole('group', { name: /Uutiset/ }).getByRole('checkbox').first().check();
    await page.getByLabel('Lähetysnopeus (viestiä sekunnissa)').fill('2');
    await screenshot(page, 'newsletters-compose');
    await Promise.all([page.waitForURL(/\/newsletters\/[0-9a-f-]{36}\?notice=created/), page.getByRole('button', { name: 'Tallenna luonnos' }).click()]);
    await expectAccessible(page);
    const detail = new URL(page.url()).pathname;
    await screenshot(page, 'newsletters-draft');

    for (const [label, heading] of [
      ['Esikatsele: suomi', 'Joulukuun uutiskirje'],
      ['Esikatsele: ruotsi', 'Decembers nyhetsbrev'],
    ] as const) {
      await Promise.all([page.waitForURL(/\/preview\?in=/), page.getByRole('link', { name: label }).click()]);
      await expectAccessible(page);
      const frame = page.frameLocator('iframe.nl-preview-frame');
      expect(await frame.getByRole('heading', { level: 1 }).textContent()).toBe(heading);
      expect(await page.locator('pre.nl-preview-text').textContent()).toContain('/unsubscribe/');
      await screenshot(page, `newsletters-preview-${label.endsWith('suomi') ? 'fi' : 'sv'}`);
      // The frame alone too (full-page captures may leave a sandboxed frame out).
      await page.locator('iframe.nl-preview-frame').screenshot({ path: `test-results/screenshots/newsletters-preview-frame-${label.endsWith('suomi') ? 'fi' : 'sv'}.png` });
      await visit(page, `${o}${detail}`);
    }

    await page.getByLabel('Osoite').fill('testi@example.org');
    await Promise.all([page.waitForURL(/notice=testSent/), page.getByRole('button', { name: 'Lähetä testi' }).click()]);
    await expectAccessible(page);
    await waitForMail(e2e, 'testi@example.org', /\[TEST\] Joulukuun uutiskirje/);

    // Subscribers to send to (confirmed, through the service's tables).
    const s = e2e.app.services;
    const tenant = (await s.db.query<{ id: string }>(`select id from tenants where slug = 'esimerkkila'`)).rows[0].id;
    await s.db.query(
      `insert into newsletter_subscribers (tenant_id, email, email_norm, language, topics, frequency, status, origin, confirmed_at)
       select $1, 'lukija' || g || '@example.org', 'lukija' || g || '@example.org', case when g % 2 = 0 then 'sv' else 'fi' end, '{liikenne}', 'weekly', 'confirmed', $2, now()
       from generate_series(1, 12) g`,
      [tenant, o],
    );
    await visit(page, `${o}${detail}`);
    await Promise.all([page.waitForURL(/notice=started/), page.getByRole('button', { name: 'Lähetä tilaajille' }).click()]);
    await expectAccessible(page);
    const progress = page.locator('progress#nl-progress');
    expect(await progress.isVisible()).toBe(true);
    // Live: the page follows the send by itself (2/s), then shows it done.
    await expect.poll(async () => Number(await progress.getAttribute('value')), { timeout: 30_000 }).toBeGreaterThan(0);
    await screenshot(page, 'newsletters-progress');
    await Promise.all([page.waitForURL(/notice=paused/), page.getByRole('button', { name: 'Keskeytä' }).click()]);
    await expectAccessible(page);
    await Promise.all([page.waitForURL(/notice=resumed/), page.getByRole('button', { name: 'Jatka' }).click()]);
    await expect.poll(async () => (await page.locator('.nl-progress-text').textContent()) ?? '', { timeout: 30_000 }).toMatch(/^(\d+) \/ \1 lähetetty$/);
    await expectAccessible(page);
    await screenshot(page, 'newsletters-report');
    const phone = await e2e.page({ viewport: { width: 320, height: 800 } });
    await signInThroughForm(phone, o, 'viestinta@esimerkkila.fi', detail);
    await expectNoHorizontalScroll(phone);
    await screenshot(phone, 'newsletters-report-320');

    await visit(page, `${o}/fi/staff/newsletters/subscribers`);
    expect(await page.getByRole('cell', { name: 'lukija1@example.org' }).isVisible()).toBe(true);
    await screenshot(page, 'newsletters-subscribers');
    await visit(page, `${o}/sv/staff/newsletters`);
    expect(await page.getByRole('heading', { level: 1, name: 'Nyhetsbrev' }).isVisible()).toBe(true);
    await visit(page, `${o}/sv/staff/newsletters/subscribers`);
  });
});
