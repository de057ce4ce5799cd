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

/** A small valid-looking JPEG (SOI, APP0, SOS, EOI): enough for the server's type sniffing. */
const PHOTO = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xda, 0x00, 0x02, 0x00, 0xff, 0xd9]);

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

    await page.locator('#files').setInputFiles({ name: 'kuoppa.jpg', mimeType: 'image/jpeg', buffer: PHOTO });
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
    await follow.getByRole('link', { name: /kuoppa\.jpg/ }).waitFor();
    await follow.getByRole('heading', { name: 'Lisää tietoja' }).waitFor();
    await screenshot(follow, 'feedback-follow');
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
    await page.locator('#files').setInputFiles({ name: 'kuva.jpg', mimeType: 'image/jpeg', buffer: PHOTO });
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
