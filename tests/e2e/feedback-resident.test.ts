import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { describeE2E, expectAccessible, expectNoHorizontalScroll, screenshot, startE2E, visit, waitForMail, type E2E } from './harness.ts';

/*
 * A resident reports a pothole with an address and a photo: with JavaScript (the address
 * chosen from the autocomplete by keyboard), without JavaScript (the server geocodes the
 * typed address), and in Swedish; then follows it through the e-mailed private link.
 * Every page is axe-checked; the form is looked at on a desktop and at 320 px.
 * The test app runs with MAP_TILE_URL=none: no tile server is ever contacted.
 */

/** A real 64×48 PNG (asphalt grey with a dark "pothole"), so the follow page shows a thumbnail. */
function photo(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const w = 64;
  const h = 48;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const hole = (x - 32) ** 2 / 300 + (y - 26) ** 2 / 120 < 1;
      raw.set(hole ? [40, 36, 32] : [128, 128, 124], y * (w * 3 + 1) + 1 + x * 3);
    }
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
const PHOTO = photo();

/** Playwright's web-first assertions are not here (vitest's expect): wait, then assert. */
async function text(l: Locator) {
  await l.first().waitFor({ state: 'visible' });
  return l.first().innerText();
}
async function value(l: Locator, expected: string) {
  await expect.poll(() => l.inputValue(), { timeout: 10_000 }).toBe(expected);
}

describeE2E('feedback: resident form and follow-up', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 120_000);
  afterAll(() => e2e?.close());

  async function followFromMail(to: string, number: string) {
    const m = await waitForMail(e2e, to, /(http:\/\/\S+\/feedback\/follow\/[\w-]+)/);
    const link = m[1].replace(/^http:\/\/[^/]+/, e2e.origin());
    const page = await e2e.page();
    await visit(page, link);
    expect(await text(page.locator('h1'))).toContain(number);
    return page;
  }

  it('with JavaScript: chooses the address by keyboard, attaches a photo, sees the confirmation and follows the e-mailed link', async () => {
    const page = await e2e.page();
    await visit(page, `${e2e.origin()}/fi/feedback/new`);
    await screenshot(page, 'feedback-form-desktop');
    await page.getByLabel('Katuvaurio tai kuoppa').check();
    await page.getByLabel(/^Kuvaus/).fill('Syvä kuoppa pyörätien reunassa, pyöräilijä voi kaatua.');
    expect(await text(page.locator('#description-count'))).toContain('merkkiä jäljellä');
    await page.getByLabel('Suuri (yli 50 cm)').check();

    const address = page.getByRole('combobox', { name: 'Osoite' });
    await address.focus();
    await page.keyboard.type('Hämeenkatu 12');
    await page.getByRole('option', { name: /Hämeenkatu 12/ }).first().waitFor();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => address.getAttribute('aria-activedescendant')).toBe('address-option-0');
    await page.keyboard.press('Enter');
    await value(address, 'Hämeenkatu 12, 00990 Esimerkkilä');
    await page.getByText('Valittu sijainti: Hämeenkatu 12').waitFor();

    await page.locator('#files').setInputFiles({ name: 'kuoppa.png', mimeType: 'image/png', buffer: PHOTO });
    await page.getByLabel('Sähköposti').fill('kuoppa-js@example.com');
    await expectAccessible(page);
    await screenshot(page, 'feedback-form-filled');

    await Promise.all([page.waitForURL(/\/fi\/feedback\/follow\/[\w-]+\?sent=1$/), page.getByRole('button', { name: 'Lähetä palaute' }).click()]);
    await expectAccessible(page);
    expect(await text(page.getByRole('heading', { level: 1 }))).toBe('Kiitos palautteestasi!');
    const number = (await page.locator('.confirmation .lead').innerText()).match(/\d+/)![0];
    await screenshot(page, 'feedback-confirmation');

    const follow = await followFromMail('kuoppa-js@example.com', number);
    await follow.getByText('Hämeenkatu 12, 00990 Esimerkkilä').waitFor();
    await follow.getByRole('link', { name: /kuoppa\.png/ }).waitFor();
    await follow.getByRole('heading', { name: 'Lisää tietoja' }).waitFor();
    await screenshot(follow, 'feedback-follow');

    // The unit resolves it with a reply: the follow page shows the reply and asks "was this fixed?".
    const tenant = await e2e.app.services.db.query<{ id: string }>(`select id from tenants where slug = 'esimerkkila'`);
    const tenantId = tenant.rows[0].id;
    const row = await e2e.app.services.db.query<{ id: string }>('select id from feedback_cases where tenant_id = $1 and number = $2', [tenantId, Number(number)]);
    const u = await e2e.app.services.db.query<{ id: string; name: string }>(`select id, name from staff_users where email = 'katu@esimerkkila.fi'`);
    const g = await e2e.app.services.db.query<{ role: 'unit_staff'; org_unit_id: string | null }>('select role, org_unit_id from role_grants where user_id = $1', [u.rows[0].id]);
    await e2e.app.services.feedback.reply(
      {
        kind: 'staff',
        sessionId: 'e2e',
        user: { id: u.rows[0].id, tenantId, email: 'katu@esimerkkila.fi', name: u.rows[0].name, totpEnabled: false, grants: g.rows.map((x) => ({ role: x.role, orgUnitId: x.org_unit_id })) },
      },
      tenantId,
      row.rows[0].id,
      { body: 'Kuoppa on paikattu.', status: 'resolved' },
    );
    await visit(follow, follow.url());
    await follow.getByText('Kuoppa on paikattu.').waitFor();
    await follow.getByRole('radio', { name: 'Kyllä, asia korjattiin' }).check();
    await follow.getByRole('button', { name: 'Lähetä vastaus' }).click();
    await follow.waitForURL(/\?done=fixed$/);
    await expectAccessible(follow);
    await follow.getByText('Kiitos vastauksestasi!').waitFor();
    expect(await follow.getByRole('radio', { name: 'Kyllä, asia korjattiin' }).count()).toBe(0);
    await screenshot(follow, 'feedback-follow-resolved');
  });

  it('without JavaScript: continues after the category, types the address, the server geocodes it', async () => {
    // axe needs JavaScript in the page: the same server-rendered markup is checked with
    // JavaScript on below (the form posts reload the document either way).
    const page = await e2e.page({ javaScriptEnabled: false });
    const res = await page.goto(`${e2e.origin()}/fi/feedback/new`);
    expect(res?.status()).toBe(200);
    // Before a category the form asks only for it and the description.
    expect(await page.locator('#files').count()).toBe(0);
    await page.getByLabel('Katuvaurio tai kuoppa').check();
    await page.getByLabel(/^Kuvaus/).fill('Kuoppa suojatien kohdalla.');
    await page.getByRole('button', { name: 'Jatka' }).click();
    await page.locator('#files').waitFor();
    expect(await page.getByLabel(/^Kuvaus/).inputValue()).toBe('Kuoppa suojatien kohdalla.');
    await page.getByLabel('Osoite').fill('hameenkatu 14');
    await page.locator('#files').setInputFiles({ name: 'kuva.png', mimeType: 'image/png', buffer: PHOTO });
    await page.getByLabel('Sähköposti').fill('kuoppa-nojs@example.com');
    await Promise.all([page.waitForURL(/\/fi\/feedback\/follow\/[\w-]+\?sent=1$/), page.getByRole('button', { name: 'Lähetä palaute' }).click()]);
    await page.getByText('Hämeenkatu 14, 00990 Esimerkkilä').waitFor();
    const number = (await page.locator('.confirmation .lead').innerText()).match(/\d+/)![0];
    await followFromMail('kuoppa-nojs@example.com', number);

    // An ambiguous address: the server offers the matches as radio buttons.
    await page.goto(`${e2e.origin()}/fi/feedback/new?category=pothole`);
    await page.getByLabel(/^Kuvaus/).fill('Kuoppa Koulukadulla.');
    await page.getByLabel('Osoite').fill('Koulukatu');
    await page.getByRole('button', { name: 'Lähetä palaute' }).click();
    await page.locator('.address-candidates').waitFor();
    await page.getByRole('radio', { name: /Koulukatu 4,/ }).check();
    await Promise.all([page.waitForURL(/\/fi\/feedback\/follow\/[\w-]+\?sent=1$/), page.getByRole('button', { name: 'Lähetä palaute' }).click()]);
    await page.getByText('Koulukatu 4, 00990 Esimerkkilä').waitFor();
  });

  it('the error summary after a failed post links to the fields (axe-checked)', async () => {
    const page = await e2e.page();
    await visit(page, `${e2e.origin()}/fi/feedback/new?category=pothole`);
    await page.getByRole('combobox', { name: 'Osoite' }).fill('Olematonkuja 99');
    await page.getByRole('button', { name: 'Lähetä palaute' }).click();
    const summary = page.locator('.error-summary');
    const said = await text(summary);
    await expectAccessible(page);
    expect(said).toContain('Kirjoita kuvaus.');
    expect(said).toContain('Osoitetta ei löytynyt');
    expect(await summary.getByRole('link').first().getAttribute('href')).toBe('#description');
    await screenshot(page, 'feedback-form-errors');
  });

  it('with JavaScript the category is suggested from the description, and "Use it" shows its questions', async () => {
    const page = await e2e.page();
    await visit(page, `${e2e.origin()}/fi/feedback/new`);
    await page.getByLabel(/^Kuvaus/).fill('Syvä kuoppa asfaltissa kaupungintalon edessä');
    await page.getByText('Ehdotus: Katuvaurio tai kuoppa').waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Käytä tätä' }).click();
    await page.getByRole('combobox', { name: 'Osoite' }).waitFor();
    expect(await page.getByLabel('Katuvaurio tai kuoppa').isChecked()).toBe(true);
    await expectAccessible(page);
  });

  it('in Swedish, at 320 px', async () => {
    const page: Page = await e2e.page({ viewport: { width: 320, height: 800 }, locale: 'sv-FI' });
    await visit(page, `${e2e.origin()}/sv/feedback/new?category=pothole`);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'feedback-form-320-sv');
    await page.getByLabel(/^Beskrivning/).fill('Stor grop i cykelvägen.');
    const address = page.getByRole('combobox', { name: 'Adress' });
    await address.focus();
    await page.keyboard.type('Tavastgatan 12');
    await page.getByRole('option', { name: /Tavastgatan 12/ }).first().waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await value(address, 'Tavastgatan 12, 00990 Exempelby');
    await Promise.all([page.waitForURL(/\/sv\/feedback\/follow\/[\w-]+\?sent=1$/), page.getByRole('button', { name: 'Skicka responsen' }).click()]);
    await expectAccessible(page);
    expect(await text(page.getByRole('heading', { level: 1 }))).toBe('Tack för din respons!');
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'feedback-confirmation-320-sv');
  });
});
