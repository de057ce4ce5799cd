import { createServer, connect, type Socket } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Actor } from '../../src/modules/identity/actor.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { staffActor } from '../helpers/staff-session.ts';
import { describeE2E, expectAccessible, expectNoHorizontalScroll, HOST_A, HOST_B, screenshot, signInPage, startE2E, visit, type E2E } from './harness.ts';

/*
 * Info-TV signage in Chromium: the screen page at 1920×1080 rotates its slides, shows a
 * publish within seconds without reloading, is taken over by an urgent notice and
 * returns, recovers after a network loss, and is axe-clean in landscape and portrait;
 * the console pages (register, playlist editing, notices) work without JavaScript tricks
 * and are axe-clean.
 */

describeE2E('signage', () => {
  let e2e: E2E;
  const clock = new ManualClock();
  let comms: Actor;
  let publisher: Actor;
  let tenantId: string;
  let satakieli: string;
  let token: string;
  let screenId: string;

  beforeAll(async () => {
    e2e = await startE2E({ clock });
    const s = e2e.app.services;
    const tenant = (await s.tenancy.resolveByHost(HOST_A))!;
    tenantId = tenant.id;
    comms = await staffActor(e2e.app, tenantId, 'viestinta@esimerkkila.fi');
    publisher = await staffActor(e2e.app, tenantId, 'julkaisija@esimerkkila.fi');
    const units = await s.db.query<{ id: string }>(`select id from org_units where tenant_id = $1 and names->>'fi' = 'Päiväkoti Satakieli'`, [tenantId]);
    satakieli = units.rows[0].id;
    const created = await s.signage.createScreen(comms, tenantId, { name: 'Satakielen aula', orgUnitId: satakieli, slideSeconds: 5 });
    token = created.token;
    screenId = created.screen.id;
    await s.signage.addSlide(comms, tenantId, screenId, { kind: 'text', title: 'Tervetuloa Satakieleen', body: 'Muistakaa sisäkengät eteisessä.' });
    await s.signage.addSlide(comms, tenantId, screenId, { kind: 'news', count: 2 });
    const location = (await s.signage.hoursLocations(tenantId))[0];
    if (location) await s.signage.addSlide(comms, tenantId, screenId, { kind: 'hours', locationId: location.id });
    const image = await s.newsroom.addMedia(comms, tenantId, {
      itemId: null,
      kind: 'image',
      filename: 'tori.png',
      data: await examplePng(),
      meta: { alt: { fi: 'Kauppatori talviasussa' }, caption: { fi: 'Kauppatorin joulukuusi sytytetään perjantaina.' }, inImageBank: true },
    });
    await s.signage.addSlide(comms, tenantId, screenId, { kind: 'image', mediaId: image.id });
  }, 180_000);
  afterAll(() => e2e?.close());

  const publish = async (title: string, image?: { alt: string; data: Uint8Array }) => {
    const news = e2e.app.services.newsroom;
    const item = await news.create(comms, tenantId, { kind: 'news', title: { fi: title }, lead: { fi: 'Lisätietoja kaupungin verkkosivuilla.' } });
    if (image) await news.addMedia(comms, tenantId, { itemId: item.id, kind: 'image', filename: 'kuva.png', data: image.data, meta: { alt: { fi: image.alt } } });
    await news.transition(comms, tenantId, item.id, { action: 'submit' });
    await news.transition(publisher, tenantId, item.id, { action: 'approve', publish: true });
  };
  const slidesText = (page: Page) => page.evaluate(() => document.getElementById('sg-slides')!.textContent ?? '');
  const waitForSlideText = (page: Page, text: string, timeout: number) =>
    page.waitForFunction((t) => (document.getElementById('sg-slides')!.textContent ?? '').includes(t), text, { timeout });
  const expectNoScrollbars = async (page: Page) => {
    const m = await page.evaluate(() => ({
      sw: document.documentElement.scrollWidth,
      sh: document.documentElement.scrollHeight,
      w: innerWidth,
      h: innerHeight,
    }));
    expect(m.sw, 'page width').toBeLessThanOrEqual(m.w);
    expect(m.sh, 'page height').toBeLessThanOrEqual(m.h);
  };

  /** Every slide fits without scrollbars: each is shown in turn, measured and photographed. */
  const eachSlide = async (page: Page, name: string) => {
    const count = await page.locator('.sg-slide').count();
    for (let i = 0; i < count; i++) {
      await page.evaluate((n) => document.querySelectorAll('.sg-slide').forEach((el, k) => ((el as HTMLElement).hidden = k !== n)), i);
      await page.waitForFunction(() => [...document.images].every((img) => img.complete));
      await expectNoScrollbars(page);
      await screenshot(page, `signage-${name}-slide-${i + 1}`);
    }
  };

  test('the screen rotates, shows a publish within seconds without reloading, and gives way to an urgent notice', async () => {
    const page = await e2e.page({ viewport: { width: 1920, height: 1080 } });
    await visit(page, `${e2e.origin()}/signage/${token}`);
    await expectNoScrollbars(page);
    expect(await page.locator('html').getAttribute('lang')).toBe('fi');
    await page.waitForFunction(() => document.body.getAttribute('data-connected') === '1', undefined, { timeout: 10_000 });
    await screenshot(page, 'signage-landscape-1920x1080');

    // Rotation: another slide is showing within one slide length (5 s) and a bit.
    const first = await page.evaluate(() => document.body.getAttribute('data-slide'));
    await page.waitForFunction((f) => document.body.getAttribute('data-slide') !== f, first, { timeout: 9_000 });
    expect(await page.locator('.sg-slide:not([hidden])').count()).toBe(1);

    // A publish arrives over SSE; the page is the same document (a marker survives).
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    const started = Date.now();
    await publish('Jäähalli avautuu lauantaina', { alt: 'Jäähallin kaukalo ennen kauden alkua', data: await examplePng() });
    await waitForSlideText(page, 'Jäähalli avautuu lauantaina', 5_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect(await page.locator('#sg-slides img[alt="Jäähallin kaukalo ennen kauden alkua"]').count()).toBe(1);
    await eachSlide(page, 'landscape');

    // An urgent notice takes over the whole screen, in an assertive live region, and leaves.
    const notice = await e2e.app.services.signage.createNotice(comms, tenantId, {
      message: { fi: 'Vesikatko: älkää juoko hanavettä ennen kuin kuulutetaan toisin' },
      severity: 'danger',
    });
    await page.waitForFunction(() => document.body.classList.contains('sg-has-urgent'), undefined, { timeout: 5_000 });
    await expect.poll(() => page.locator('[aria-live="assertive"]').innerText()).toContain('Vesikatko');
    expect(await page.locator('#sg-slides').isVisible()).toBe(false);
    await expectAccessible(page);
    await expectNoScrollbars(page);
    await screenshot(page, 'signage-urgent-1920x1080');
    await e2e.app.services.signage.endNotice(comms, tenantId, notice.id);
    await page.waitForFunction(() => !document.body.classList.contains('sg-has-urgent'), undefined, { timeout: 5_000 });
    expect(await page.locator('#sg-slides').isVisible()).toBe(true);
    expect(await page.locator('[aria-live="assertive"]').innerText()).toBe('');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  });

  test('after a network loss the screen keeps its content, reconnects by itself and catches up', async () => {
    // The screen reaches the app through a TCP relay on loopback that the test can cut
    // (every connection reset, new ones refused) or freeze (connections stay open but
    // nothing passes: a half-open link only the screen's watchdog notices).
    const relay = await startRelay(e2e.app.port);
    try {
      const page = await e2e.page({ viewport: { width: 1920, height: 1080 } });
      const base = `http://${HOST_A}:${relay.port}`;
      await visit(page, `${base}/signage/${token}`);
      await page.waitForFunction(() => document.body.getAttribute('data-connected') === '1', undefined, { timeout: 10_000 });
      const before = await slidesText(page);

      // 1. Cut: the stream breaks; the content stays while the network is down.
      relay.cut();
      await page.waitForFunction(() => document.body.getAttribute('data-connected') !== '1', undefined, { timeout: 5_000 });
      await publish('Kirjaston remontti valmistui');
      await page.waitForTimeout(2_000);
      expect(await slidesText(page)).toBe(before);
      relay.restore();
      await waitForSlideText(page, 'Kirjaston remontti valmistui', 20_000);

      // 2. The browser's own offline switch: back online, the screen reconnects and refetches.
      await page.context().setOffline(true);
      await page.context().setOffline(false);
      await page.waitForFunction(() => document.body.getAttribute('data-connected') === '1', undefined, { timeout: 10_000 });
      await publish('Uimahallin aukioloajat muuttuvat');
      await waitForSlideText(page, 'Uimahallin aukioloajat muuttuvat', 5_000);

      // 3. Freeze: no error ever reaches the browser; the watchdog (no ping for 40 s) reconnects.
      relay.freeze();
      await publish('Talviliikunta alkaa');
      await waitForSlideText(page, 'Talviliikunta alkaa', 75_000);
    } finally {
      relay.close();
    }
  }, 150_000);

  test('portrait 1080×1920: big type, no scrollbars, axe-clean', async () => {
    const page = await e2e.page({ viewport: { width: 1080, height: 1920 } });
    await visit(page, `${e2e.origin()}/signage/${token}`);
    await expectNoScrollbars(page);
    const size = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    expect(size).toBeGreaterThanOrEqual(1080 * 0.03);
    await screenshot(page, 'signage-portrait-1080x1920');
    await eachSlide(page, 'portrait');
  });

  test('tenant admins open every signage page in fi and sv, also at 320 px, and on another tenant’s host (axe-clean)', async () => {
    for (const [host, email, langs] of [
      [HOST_A, 'admin@esimerkkila.fi', ['fi', 'sv']],
      [HOST_B, 'admin@jarvikyla.fi', ['fi']],
    ] as const) {
      const page = await signInPage(e2e, email, host);
      const origin = e2e.origin(host);
      for (const lang of langs) {
        await visit(page, `${origin}/${lang}/staff/signage`);
        await visit(page, `${origin}/${lang}/staff/signage/notices`);
      }
      if (host === HOST_A) {
        await visit(page, `${origin}/sv/staff/signage/${screenId}`);
        await page.setViewportSize({ width: 320, height: 800 });
        await visit(page, `${origin}/fi/staff/signage/${screenId}`);
        await expectNoHorizontalScroll(page);
        await screenshot(page, 'signage-staff-screen-320');
      } else {
        // Another tenant's screen is not found on this host.
        await visit(page, `${origin}/fi/staff/signage/${screenId}`, { status: 404 });
      }
    }
  });

  test('staff register a screen, edit its playlist and publish a notice in the console (axe-clean)', async () => {
    const page = await signInPage(e2e, 'viestinta@esimerkkila.fi');
    const origin = e2e.origin();
    await visit(page, `${origin}/fi/staff/signage`);
    await page.getByLabel('Nimi', { exact: true }).fill('Torikulman info');
    await page.getByLabel('Yksikkö').selectOption({ label: '\u00a0\u00a0Palvelupiste Torikulma' });
    await page.getByLabel('Sijainti (esim. pääaula, 1. krs)').fill('Asiakaspalvelun aula');
    await page.getByRole('button', { name: 'Rekisteröi näyttö' }).click();
    const url = await page.locator('#signage-url').inputValue();
    expect(url).toMatch(/\/signage\/[\w-]{40,}$/);
    await expectAccessible(page);
    await screenshot(page, 'signage-staff-registered');

    await page.getByRole('link', { name: 'Torikulman info' }).click();
    await page.waitForURL(/\/fi\/staff\/signage\/[0-9a-f-]{36}$/);
    await expectAccessible(page);
    const textForm = page.locator('section', { has: page.getByRole('heading', { name: 'Vapaa teksti' }) });
    await textForm.getByLabel('Otsikko').fill('Kassa suljettu klo 12–13');
    await textForm.getByRole('button', { name: 'Lisää' }).click();
    await page.waitForURL(/#playlist$/);
    const bulletinForm = page.locator('section', { has: page.getByRole('heading', { name: 'Henkilöstötiedotteet' }) });
    await bulletinForm.getByRole('button', { name: 'Lisää' }).click();
    await page.waitForURL(/#playlist$/);
    await expect.poll(() => page.locator('.signage-playlist li').count()).toBe(2);
    await page.locator('.signage-playlist li').nth(1).getByRole('button', { name: 'Siirrä ylös' }).click();
    await expect.poll(() => page.locator('.signage-playlist li').first().innerText()).toContain('Henkilöstötiedotteet');
    const uploadForm = page.locator('section', { has: page.getByRole('heading', { name: 'Oma kuva' }) });
    await uploadForm.getByLabel('Kuvatiedosto (JPEG, PNG tai WebP)').setInputFiles({ name: 'tori.png', mimeType: 'image/png', buffer: Buffer.from(await examplePng()) });
    await uploadForm.getByLabel('Vaihtoehtoinen teksti (mitä kuvassa on)').fill('Torikulman joulukuusi');
    await uploadForm.getByRole('button', { name: 'Lisää' }).click();
    await expect.poll(() => page.locator('.signage-playlist li').count()).toBe(3);
    await expectAccessible(page);
    await screenshot(page, 'signage-staff-screen');

    // The new screen opens at the URL shown once, with the playlist just edited.
    const screen = await e2e.page({ viewport: { width: 1920, height: 1080 } });
    await visit(screen, url.replace(/^https?:\/\/[^/]+/, origin));
    expect(await screen.locator('#sg-slides').textContent()).toContain('Kassa suljettu klo 12–13');
    expect(await screen.locator('#sg-slides img[alt="Torikulman joulukuusi"]').count()).toBe(1);

    await visit(page, `${origin}/fi/staff/signage/notices`);
    await page.getByLabel('Teksti suomeksi').fill('Palotarkastus klo 10, poistukaa rakennuksesta hälytyksen soidessa');
    await page.getByRole('button', { name: 'Julkaise tiedote' }).click();
    await page.waitForURL(/notice=created/);
    await expectAccessible(page);
    await screenshot(page, 'signage-staff-notices');
    await screen.waitForFunction(() => document.body.classList.contains('sg-has-urgent'), undefined, { timeout: 5_000 });
    await page.getByRole('button', { name: 'Lopeta nyt' }).click();
    await page.waitForURL(/notice=ended/);
    await screen.waitForFunction(() => !document.body.classList.contains('sg-has-urgent'), undefined, { timeout: 5_000 });

    // A phone-width console still reads without sideways scrolling.
    await page.setViewportSize({ width: 320, height: 800 });
    await visit(page, `${origin}/fi/staff/signage`);
    await expectNoHorizontalScroll(page);
    await visit(page, `${origin}/sv/staff/signage/notices`);
    await expectNoHorizontalScroll(page);
  });
});

/** A loopback TCP relay to the app whose connections a test can cut or freeze. */
async function startRelay(targetPort: number) {
  let refuse = false;
  const pairs = new Set<{ client: Socket; upstream: Socket; frozen: boolean }>();
  const server = createServer((client) => {
    if (refuse) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    const pair = { client, upstream, frozen: false };
    pairs.add(pair);
    client.on('data', (d) => {
      if (!pair.frozen) upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (!pair.frozen) client.write(d);
    });
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: (server.address() as { port: number }).port,
    cut() {
      refuse = true;
      for (const p of [...pairs]) p.client.resetAndDestroy();
    },
    restore() {
      refuse = false;
    },
    freeze() {
      for (const p of pairs) p.frozen = true;
    },
    close() {
      for (const p of [...pairs]) p.client.destroy();
      server.close();
    },
  };
}

/** A 1200×800 PNG drawn by Chromium itself (a winter scene of shapes), for the image bank. */
async function examplePng(): Promise<Uint8Array> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.AUKIO_TEST_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--headless'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.setContent(
      '<body style="margin:0;background:linear-gradient(#9cc3e6,#e8f1f8)"><div style="position:absolute;bottom:0;width:100%;height:35%;background:#fff"></div>' +
        '<div style="position:absolute;left:520px;bottom:280px;width:0;height:0;border-left:80px solid transparent;border-right:80px solid transparent;border-bottom:300px solid #1b5e20"></div>' +
        '<div style="position:absolute;left:900px;top:80px;width:120px;height:120px;border-radius:50%;background:#ffd400"></div></body>',
    );
    return await page.screenshot({ type: 'png' });
  } finally {
    await browser.close();
  }
}
