import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { NewsItem } from '../../src/modules/newsroom/model.ts';
import { startMastodonServer, type MastodonTestServer } from '../helpers/mastodon-server.ts';
import { staffClient } from '../helpers/staff-session.ts';
import { describeE2E, expectAccessible, expectNoBrowserErrors, expectNoHorizontalScroll, HOST_A, screenshot, signInPage, startE2E, visit, waitForMail, type E2E } from './harness.ts';

/**
 * Distribution in real Chromium with axe: a journalist subscribes on the press page and
 * confirms from the mail; communications staff keep the media list; a tenant admin sets
 * up Mastodon (a local test server) and tests the connection; a publication's deliveries
 * page shows the Mastodon status and retries a failed delivery with a plain form. Also at 320 px.
 */

describeE2E('distribution: press subscription, media list, channels, deliveries', () => {
  let e2e: E2E;
  let masto: MastodonTestServer;
  beforeAll(async () => {
    masto = await startMastodonServer();
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
    await masto?.close();
  });

  /** A page signed in as this staff member (a session cookie, as after the sign-in form). */
  const staffPage = (email: string, width = 1280): Promise<Page> => signInPage(e2e, email, HOST_A, { viewport: { width, height: 900 } });

  test('a journalist subscribes to press releases by topic and confirms from the mail', async () => {
    const page = await e2e.page();
    const o = e2e.origin(HOST_A);
    await visit(page, `${o}/fi/press/subscribe`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Tilaa tiedotteet');
    await screenshot(page, 'distribution-press-subscribe');
    // An invalid address is shown at its field.
    await page.getByLabel('Nimi').fill('Kaisa Kirjoittaja');
    await page.getByLabel('Sähköposti').fill('kaisa@');
    await page.getByLabel('Tiedotusväline').fill('Aamulehti');
    await page.getByRole('button', { name: 'Tilaa' }).click();
    await page.waitForLoadState('load');
    await expectAccessible(page);
    expect(await page.getByRole('alert').innerText()).toContain('Lomakkeessa on virheitä');
    expect(await page.getByText('Sähköpostiosoite ei kelpaa.').count()).toBe(1);
    await page.getByLabel('Sähköposti').fill('kaisa@aamulehti.example');
    await page.getByLabel('Päätöksenteko').check();
    await Promise.all([page.waitForURL(/sent=1/), page.getByRole('button', { name: 'Tilaa' }).click()]);
    await expectAccessible(page);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Tarkista sähköpostisi');
    const link = await waitForMail(e2e, 'kaisa@aamulehti.example', /http:\/\/\S+\/fi\/press\/subscribe\/confirm\/[\w-]+/);
    const confirmUrl = new URL(link[0]);
    await visit(page, `${o}${confirmUrl.pathname}`);
    await screenshot(page, 'distribution-press-confirm');
    await Promise.all([page.waitForURL(/state=done/), page.getByRole('button', { name: 'Vahvista' }).click()]);
    await expectAccessible(page);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Tilaus on vahvistettu');
    const row = await e2e.app.services.db.query<{ confirmed: boolean; topics: string[] }>(`select confirmed, topics from media_contacts where email = 'kaisa@aamulehti.example'`);
    expect(row.rows[0]).toMatchObject({ confirmed: true, topics: ['paatoksenteko'] });
    expectNoBrowserErrors(page, 'press subscription');

    await page.setViewportSize({ width: 320, height: 720 });
    await visit(page, `${o}/sv/press/subscribe`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Prenumerera på pressmeddelanden');
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'distribution-press-subscribe-320-sv');
  });

  test('communications staff search, add and edit media contacts; the embargo list flag; 320 px', async () => {
    const page = await staffPage('viestinta@esimerkkila.fi');
    const o = e2e.origin(HOST_A);
    await visit(page, `${o}/fi/staff/news/media-contacts`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Jakelulista');
    const table = page.getByRole('region', { name: 'Jakelulista' });
    expect(await table.getByRole('row').count()).toBeGreaterThanOrEqual(4);
    await screenshot(page, 'distribution-media-contacts');
    await page.getByLabel('Hae nimellä, osoitteella tai välineellä').fill('tidningen');
    await Promise.all([page.waitForURL(/q=tidningen/), page.getByRole('button', { name: 'Hae' }).click()]);
    await expectAccessible(page);
    expect(await table.getByRole('row').count()).toBe(2);

    await Promise.all([page.waitForURL(/media-contacts\/new$/), page.getByRole('link', { name: 'Lisää yhteystieto' }).click()]);
    await page.waitForLoadState('load');
    await expectAccessible(page);
    await page.getByLabel('Nimi').fill('Olli Otsikko');
    await page.getByLabel('Sähköposti').fill('aila.toimittaja@uutismedia.example');
    await page.getByLabel('Tiedotusväline').fill('Iltalehti');
    await page.getByLabel('Liikenne').check();
    await page.getByLabel(/Embargolistalla/).check();
    await page.getByRole('button', { name: 'Tallenna' }).click();
    await page.waitForLoadState('load');
    await expectAccessible(page);
    expect(await page.getByText('Tämä osoite on jo listalla.').count()).toBe(1);
    // What was typed is kept.
    expect(await page.getByLabel('Nimi').inputValue()).toBe('Olli Otsikko');
    await screenshot(page, 'distribution-media-contact-error');
    await page.getByLabel('Sähköposti').fill('olli@iltalehti.example');
    await Promise.all([page.waitForURL(/notice=saved/), page.getByRole('button', { name: 'Tallenna' }).click()]);
    await expectAccessible(page);
    expect(await page.getByRole('status').innerText()).toBe('Yhteystieto tallennettiin.');
    const row = table.getByRole('row', { name: /Olli Otsikko/ });
    expect(await row.innerText()).toContain('kyllä');
    await Promise.all([page.waitForURL(/media-contacts\/[0-9a-f-]{36}$/), row.getByRole('link', { name: 'Olli Otsikko' }).click()]);
    await page.waitForLoadState('load');
    await expectAccessible(page);
    expect(await page.getByLabel(/Embargolistalla/).isChecked()).toBe(true);

    // CSV import (a plain file upload).
    await visit(page, `${o}/fi/staff/news/media-contacts`);
    await page.getByText('Tuo CSV-tiedostosta').click();
    await page.getByLabel('CSV-tiedosto').setInputFiles({ name: 'media.csv', mimeType: 'text/csv', buffer: Buffer.from('name;email;outlet;topics;embargo\nPia Paikallinen;pia@paikallis.example;Paikallislehti;liikenne;ei\n') });
    await Promise.all([page.waitForURL(/notice=imported/), page.getByRole('button', { name: 'Tuo yhteystiedot' }).click()]);
    await expectAccessible(page);
    expect(await page.getByRole('status').innerText()).toBe('Tuonti valmis: 1 uutta, 0 päivitettyä.');
    expect(await table.getByRole('row', { name: /Pia Paikallinen/ }).count()).toBe(1);
    await screenshot(page, 'distribution-media-contacts-imported');
    expectNoBrowserErrors(page, 'media contacts');

    await page.setViewportSize({ width: 320, height: 720 });
    await visit(page, `${o}/sv/staff/news/media-contacts`);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'distribution-media-contacts-320-sv');
  });

  test('a tenant admin connects Mastodon and tests it; communications staff see the settings without secrets', async () => {
    const page = await staffPage('admin@esimerkkila.fi');
    const o = e2e.origin(HOST_A);
    await visit(page, `${o}/fi/staff/news/channels`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Julkaisukanavat');
    await page.getByLabel('Käytössä').first().check();
    await page.getByLabel('Palvelimen osoite').fill('not a url');
    await page.getByRole('button', { name: 'Tallenna asetukset' }).click();
    await page.waitForLoadState('load');
    await expectAccessible(page);
    expect(await page.getByText('Anna julkisen palvelimen https-osoite.').count()).toBe(1);
    await page.getByLabel('Käytössä').first().check();
    await page.getByLabel('Palvelimen osoite').fill(masto.url);
    await page.getByLabel('Käyttöoikeustunnus (access token)').fill(masto.token);
    await Promise.all([page.waitForURL(/notice=saved/), page.getByRole('button', { name: 'Tallenna asetukset' }).click()]);
    await expectAccessible(page);
    expect(await page.getByText('Tunnus on tallennettu.').count()).toBe(1);
    expect(await page.content()).not.toContain(masto.token);
    await page.getByRole('button', { name: 'Testaa Mastodon-yhteys' }).click();
    await page.waitForLoadState('load');
    await expectAccessible(page);
    expect(await page.getByRole('status').innerText()).toBe('Yhteys toimii: tili aukio.');
    await screenshot(page, 'distribution-channels-admin');
    expectNoBrowserErrors(page, 'channels');

    const editor = await staffPage('viestinta@esimerkkila.fi', 320);
    await visit(editor, `${o}/fi/staff/news/channels`);
    expect(await editor.getByText('Osoitteita, tunnusta ja salaisuutta voi muuttaa vain').count()).toBe(1);
    expect(await editor.getByLabel('Palvelimen osoite').getAttribute('readonly')).not.toBeNull();
    await expectNoHorizontalScroll(editor);
    await screenshot(editor, 'distribution-channels-editor-320');
  });

  test("a publication's deliveries: the Mastodon status, and a failed delivery retried with the button", async () => {
    const editor = await staffClient(e2e.app, HOST_A, 'viestinta@esimerkkila.fi');
    const publisher = await staffClient(e2e.app, HOST_A, 'julkaisija@esimerkkila.fi');
    const created = (await (await editor.api('POST', '/api/v1/news/items', { kind: 'news', title: { fi: 'Uusi pyörätie valmistui' }, lead: { fi: 'Keskustaan pääsee pyörällä nopeammin.' }, topics: ['liikenne'] })).json()) as NewsItem;
    expect((await editor.api('POST', `/api/v1/news/items/${created.id}/transitions`, { action: 'submit' })).status).toBe(200);
    expect((await publisher.api('POST', `/api/v1/news/items/${created.id}/transitions`, { action: 'approve', publish: true })).status).toBe(200);
    const deadline = Date.now() + 30_000;
    while (masto.statuses.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(masto.statuses).toHaveLength(1);

    const page = await staffPage('julkaisija@esimerkkila.fi');
    const o = e2e.origin(HOST_A);
    await visit(page, `${o}/fi/staff/news/${created.id}/deliveries`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Toimitukset: Uusi pyörätie valmistui');
    expect(await page.getByRole('cell', { name: 'lähetetty' }).count()).toBe(1);
    await screenshot(page, 'distribution-deliveries-sent');

    // A delivery that failed for good shows a Retry button (a plain form).
    await e2e.app.services.db.query(`update distribution_deliveries set status = 'failed', last_error = 'HTTP 503 (test)' where item_id = $1`, [created.id]);
    await visit(page, `${o}/fi/staff/news/${created.id}/deliveries`);
    await screenshot(page, 'distribution-deliveries-failed');
    await Promise.all([page.waitForURL(/notice=retried/), page.getByRole('button', { name: /Yritä uudelleen/ }).click()]);
    await expectAccessible(page);
    expect(await page.getByRole('status').innerText()).toBe('Toimitus on jonossa uudelleen.');
    expectNoBrowserErrors(page, 'deliveries');
    // The same delivery id: Mastodon's Idempotency-Key returns the first status, nothing is posted twice.
    const until = Date.now() + 30_000;
    for (;;) {
      const r = await e2e.app.services.db.query<{ status: string }>(`select status from distribution_deliveries where item_id = $1`, [created.id]);
      if (r.rows[0].status === 'sent' || Date.now() > until) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    expect(masto.statuses).toHaveLength(1);

    await visit(page, `${o}/sv/staff/news/channels`);
    expect(await page.getByRole('region', { name: 'Senaste leveranser' }).getByRole('link', { name: 'Uusi pyörätie valmistui' }).count()).toBe(1);
    await page.setViewportSize({ width: 320, height: 720 });
    await visit(page, `${o}/fi/staff/news/${created.id}/deliveries`);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'distribution-deliveries-320');
  });
});
