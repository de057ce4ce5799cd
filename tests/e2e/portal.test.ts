import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Lang } from '../../src/platform/i18n.ts';
import { common } from '../../src/web/i18n/common.ts';
import { translator } from '../../src/web/i18n/define.ts';
import { portal } from '../../src/web/i18n/portal.ts';
import { routingText } from '../../src/web/i18n/routing.ts';
import {
  describeE2E,
  expectAccessible,
  expectNoBrowserErrors,
  expectNoHorizontalScroll,
  focused,
  HOST_A,
  HOST_B,
  routeExists,
  screenshot,
  startE2E,
  visit,
  type E2E,
} from './harness.ts';

/**
 * The resident portal in real Chromium: every page in fi and sv passes axe (WCAG 2.1
 * A/AA), the header works with the keyboard alone, the language switcher keeps the
 * page, nothing scrolls sideways at 320 px, and search works without JavaScript.
 */
describeE2E('resident portal in Chromium (axe, keyboard, 320 px, no JS)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  const tenants: { host: string; lang: Lang; name: string; hit: string; other?: Lang }[] = [
    { host: HOST_A, lang: 'fi', name: 'Esimerkkilän kaupunki', hit: 'saavutettavuus', other: 'sv' },
    { host: HOST_A, lang: 'sv', name: 'Exempelby stad', hit: 'tillgänglighet', other: 'fi' },
    { host: HOST_B, lang: 'fi', name: 'Järvikylän kunta', hit: 'saavutettavuus' },
  ];

  for (const { host, lang, name, hit } of tenants) {
    test(`${host} /${lang}: every resident page renders and passes axe`, async () => {
      const c = translator(common, lang);
      const p = translator(portal, lang);
      const o = e2e.origin(host);
      const page = await e2e.page();

      await visit(page, `${o}/${lang}`);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      await expect.poll(() => page.title()).toBe(name);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain(name);
      await expectLandmarks(page);
      // The "What do you need?" box is the front page's own; the header one is hidden here.
      expect(await page.getByRole('search').count()).toBe(1);
      // With JavaScript the search box is an autocomplete combobox (SearchCombobox.tsx).
      expect(await page.getByRole('combobox', { name: c('searchLabel') }).count()).toBe(1);
      // The front page promises only the languages the tenant serves in.
      const lead = await page.locator('.hero .lead').innerText();
      if (host === HOST_B) expect(lead).not.toMatch(/ruotsi|englanni/);
      else expect(lead).toContain({ fi: 'suomeksi, ruotsiksi tai englanniksi', sv: 'finska, svenska eller engelska', en: '' }[lang]);

      await visit(page, `${o}/${lang}/search?q=${encodeURIComponent(hit)}`);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(p('searchResultsFor', { q: hit }));
      const result = page.locator('ol.results').getByRole('link', { name: p('accessibilityTitle') });
      expect(await result.count()).toBe(1);
      expect(await result.getAttribute('href')).toBe(`/${lang}/accessibility`);
      // The catalog may match too (e.g. an accessibility feedback service); the count is shown.
      const shown = await page.locator('ol.results > li').count();
      expect(await page.getByRole('status').innerText()).toBe(shown === 1 ? { fi: '1 tulos', sv: '1 resultat', en: '1 result' }[lang] : p('resultCount', { n: shown }));
      // The excerpt is the page's text, not its title again.
      expect(await page.locator('ol.results li p').first().innerText()).not.toMatch(new RegExp(`^${p('accessibilityTitle')}`));
      // The header box keeps the query so the resident can refine it.
      expect(await page.getByRole('combobox', { name: c('searchLabel') }).inputValue()).toBe(hit);

      const miss = 'kvanttikromodynamiikka';
      await visit(page, `${o}/${lang}/search?q=${miss}`);
      expect(await page.getByRole('status').innerText()).toContain(translator(routingText, lang)('noGoodMatch', { q: miss }));
      expect(await page.locator('ol.results').count()).toBe(0);
      // Where the search failed, a way to ask a person.
      expect(await page.getByRole('main').locator('a[href^="tel:"]').count()).toBe(1);

      await visit(page, `${o}/${lang}/search`);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(p('searchTitle'));

      await visit(page, `${o}/${lang}/accessibility`);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(p('accessibilityTitle'));
      expect(await page.locator('main .prose').innerText()).toContain('306/2019');
      await expectLandmarks(page);

      await visit(page, `${o}/${lang}/privacy`);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(p('privacyTitle'));

      // A 404 inside the portal keeps header, search and footer, in the page's language.
      await visit(page, `${o}/${lang}/ei-tallaista-sivua`, { status: 404 });
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(c('notFoundTitle'));
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      await expectLandmarks(page);
      await page.getByRole('link', { name: c('backToFront') }).click();
      await page.waitForURL(`${o}/${lang}`);

      // The staff console sends an anonymous visitor to its sign-in page.
      if (await routeExists(e2e, `/${lang}/staff/sign-in`, host)) {
        await visit(page, `${o}/${lang}/staff`, { path: new RegExp(`^/${lang}/staff/sign-in\\?next=`) });
      }
      // Resident sign-in, linked from the header.
      if (await routeExists(e2e, `/${lang}/sign-in`, host)) {
        await visit(page, `${o}/${lang}/sign-in`);
      }
    });
  }

  test('a 404 outside any language, a language the tenant lacks, and an unknown host', async () => {
    const page = await e2e.page();
    await visit(page, `${e2e.origin(HOST_A)}/ei-tallaista`, { status: 404 });
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(translator(common, 'fi')('notFoundTitle'));
    // Järvikylä is Finnish only: /sv is not a page there.
    await visit(page, `${e2e.origin(HOST_B)}/sv`, { status: 404 });
    expect(await page.locator('html').getAttribute('lang')).toBe('fi');
    // A host no tenant owns gets the trilingual 404, never some tenant's site.
    await visit(page, `${e2e.origin('tuntematon.localhost')}/fi`, { status: 404 });
    expect(await page.content()).not.toContain('Esimerkkilä');
  });

  test('/ picks the browser language among the tenant’s', async () => {
    const ctx = await e2e.context({ locale: 'sv-FI', extraHTTPHeaders: { 'accept-language': 'sv-FI,sv;q=0.9' } });
    const page = await ctx.newPage();
    await page.goto(`${e2e.origin(HOST_A)}/`);
    expect(new URL(page.url()).pathname).toBe('/sv');
    await page.goto(`${e2e.origin(HOST_B)}/`);
    expect(new URL(page.url()).pathname).toBe('/fi');
  });

  test('the language switcher keeps the page and the query', async () => {
    const page = await e2e.page();
    const o = e2e.origin(HOST_A);
    await visit(page, `${o}/fi/accessibility`);
    const sv = page.getByRole('navigation', { name: 'Kieli' }).getByRole('link', { name: 'På svenska' });
    expect(await sv.getAttribute('lang')).toBe('sv');
    expect(await sv.getAttribute('hreflang')).toBe('sv');
    await sv.click();
    await page.waitForURL(`${o}/sv/accessibility`);
    expect(await page.locator('html').getAttribute('lang')).toBe('sv');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Tillgänglighetsutlåtande');
    // The current language is marked, not linked.
    const nav = page.getByRole('navigation', { name: 'Språk' });
    expect(await nav.getByRole('link', { name: 'På svenska' }).count()).toBe(0);
    expect(await nav.locator('[aria-current="true"]').innerText()).toBe('På svenska');
    await expectAccessible(page);

    await visit(page, `${o}/sv/search?q=tillg%C3%A4nglighet`);
    await page.getByRole('navigation', { name: 'Språk' }).getByRole('link', { name: 'Suomeksi' }).click();
    await page.waitForURL(`${o}/fi/search?q=tillg%C3%A4nglighet`);
    expect(await page.locator('html').getAttribute('lang')).toBe('fi');
    await expectAccessible(page);

    // A single-language tenant shows no switcher at all.
    await visit(page, `${e2e.origin(HOST_B)}/fi/accessibility`);
    expect(await page.locator('.lang-switcher').count()).toBe(0);
  });

  test('keyboard only: skip link, then the whole header in order with visible focus, then search', async () => {
    const page = await e2e.page();
    const o = e2e.origin(HOST_A);
    await visit(page, `${o}/fi/accessibility`);

    // The skip link is first, and it appears when focused.
    const skip = page.locator('a.skip-link');
    expect(await isInViewport(page, 'a.skip-link')).toBe(false);
    await page.keyboard.press('Tab');
    let f = await focused(page);
    expect(f, 'first Tab focuses the skip link').toMatchObject({ tag: 'a', href: '#main', text: 'Siirry sisältöön', visibleFocus: true });
    expect(await isInViewport(page, 'a.skip-link')).toBe(true);
    expect(await skip.screenshot()).toBeTruthy();
    await page.keyboard.press('Enter');
    f = await focused(page);
    expect(f, 'Enter on the skip link moves focus to main').toMatchObject({ tag: 'main', id: 'main' });
    expect(await isInViewport(page, 'a.skip-link')).toBe(false);

    // From the top again: every header control, in reading order, with a visible focus.
    await page.reload();
    await page.keyboard.press('Tab');
    expect((await focused(page))?.href).toBe('#main');
    const expected: { what: string; match: Partial<NonNullable<Awaited<ReturnType<typeof focused>>>> }[] = [
      { what: 'brand link', match: { tag: 'a', href: '/fi', text: 'Esimerkkilän kaupunki' } },
      { what: 'nav: front page', match: { tag: 'a', href: '/fi', text: 'Etusivu' } },
      { what: 'nav: news', match: { tag: 'a', href: '/fi/news', text: 'Uutiset' } },
      { what: 'nav: sign in', match: { tag: 'a', href: '/fi/sign-in', text: 'Kirjaudu' } },
      { what: 'language: sv', match: { tag: 'a', href: '/sv/accessibility', text: 'På svenska' } },
      { what: 'language: en', match: { tag: 'a', href: '/en/accessibility', text: 'In English' } },
      { what: 'search input', match: { tag: 'input', name: 'q', type: 'search' } },
      { what: 'search button', match: { tag: 'button', type: 'submit', text: 'Hae' } },
    ];
    for (const step of expected) {
      await page.keyboard.press('Tab');
      const now = await focused(page);
      expect(now, `Tab reaches the ${step.what}`).toMatchObject({ ...step.match, inHeader: true });
      expect(now!.visibleFocus, `the ${step.what} shows a visible focus indicator`).toBe(true);
      expect(now!.onScreen, `the ${step.what} is on screen when focused`).toBe(true);
    }
    // After the header, focus goes into the content, not back to the top.
    await page.keyboard.press('Tab');
    expect((await focused(page))?.inHeader).toBe(false);

    // Search with the keyboard alone: back to the box, type, Tab to the button, Enter.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toMatchObject({ tag: 'input', name: 'q' });
    await page.keyboard.type('tietosuoja');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${o}/fi/search?q=tietosuoja`);
    await expectAccessible(page);
    expect(await page.locator('ol.results a').first().innerText()).toBe('Tietosuojaseloste');
  });

  test('keyboard only on the front page: skip link to main, then the big search box', async () => {
    const page = await e2e.page();
    const o = e2e.origin(HOST_A);
    await visit(page, `${o}/sv`);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ href: '#main', text: 'Hoppa till innehållet', visibleFocus: true });
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ id: 'main' });
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'input', id: 'q-main', visibleFocus: true });
    await page.keyboard.type('tillgänglighet');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/sv\/search\?q=tillg/);
    await expectAccessible(page);
    expect(await page.locator('ol.results a').first().innerText()).toBe('Tillgänglighetsutlåtande');
  });

  test('320 px wide: no horizontal scrolling; screenshots for a human', async () => {
    const narrow = await e2e.page({ viewport: { width: 320, height: 720 } });
    for (const [host, path] of [
      [HOST_A, '/fi'],
      [HOST_A, '/fi/accessibility'],
      [HOST_A, '/sv/search?q=tillg%C3%A4nglighet'],
      [HOST_A, '/sv/privacy'],
      [HOST_B, '/fi'],
    ] as const) {
      await visit(narrow, e2e.origin(host) + path);
      expect(await narrow.evaluate(() => window.innerWidth)).toBe(320);
      await expectNoHorizontalScroll(narrow);
    }
    await visit(narrow, `${e2e.origin(HOST_A)}/fi`);
    await screenshot(narrow, 'fi-front-320');

    const wide = await e2e.page();
    await visit(wide, `${e2e.origin(HOST_A)}/fi`);
    await screenshot(wide, 'fi-front-desktop');
    await visit(wide, `${e2e.origin(HOST_A)}/sv/accessibility`);
    await screenshot(wide, 'sv-accessibility-desktop');
    await visit(wide, `${e2e.origin(HOST_A)}/fi/search?q=saavutettavuus`);
    await screenshot(wide, 'fi-search-desktop');
    await visit(wide, `${e2e.origin(HOST_B)}/fi/ei-tallaista`, { status: 404 });
    await screenshot(wide, 'jarvikyla-404-desktop');
  });

  test('search works with JavaScript disabled', async () => {
    const page = await e2e.page({ javaScriptEnabled: false });
    const o = e2e.origin(HOST_A);
    const res = await page.goto(`${o}/fi`);
    expect(res?.status()).toBe(200);
    await page.getByRole('searchbox', { name: 'Mitä tarvitset?' }).fill('saavutettavuus');
    await page.getByRole('button', { name: 'Hae' }).click();
    await page.waitForURL(`${o}/fi/search?q=saavutettavuus`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Hakutulokset haulle ”saavutettavuus”');
    await page.locator('ol.results').getByRole('link', { name: 'Saavutettavuusseloste' }).click();
    await page.waitForURL(`${o}/fi/accessibility`);
    // The language switcher is a plain link, too.
    await page.getByRole('link', { name: 'På svenska' }).click();
    await page.waitForURL(`${o}/sv/accessibility`);
    expect(await page.locator('html').getAttribute('lang')).toBe('sv');
    expectNoBrowserErrors(page, 'no-JS pages');
  });
});

/** One banner, one main, one contentinfo: the landmarks a screen-reader user jumps between. */
async function expectLandmarks(page: Page) {
  expect(await page.getByRole('banner').count()).toBe(1);
  expect(await page.getByRole('main').count()).toBe(1);
  expect(await page.getByRole('contentinfo').count()).toBe(1);
  expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
  // Screen readers list landmarks by name: two navigations called the same are indistinguishable.
  const navNames = await page.getByRole('navigation').evaluateAll((navs) => navs.map((n) => n.getAttribute('aria-label') ?? ''));
  expect(navNames.every(Boolean), `unnamed navigation among ${navNames.join(', ')}`).toBe(true);
  expect(new Set(navNames).size, `navigation names ${navNames.join(', ')}`).toBe(navNames.length);
}

async function isInViewport(page: Page, selector: string) {
  return page.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight;
  });
}
