import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Result as AxeResult } from 'axe-core';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import type { Clock } from '../../src/platform/clock.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { signInAs } from '../helpers/staff-session.ts';

/**
 * End-to-end harness: a real seeded Aukio and the machine's Debian Chromium driven by
 * playwright-core. Playwright never downloads a browser here; global-setup finds
 * Chromium (CHROMIUM_PATH, default /usr/bin/chromium) and refuses a missing one in CI.
 */
export const CHROMIUM = process.env.AUKIO_TEST_CHROMIUM ?? '';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** WCAG 2.1 A and AA: the bar of the Finnish Act on the Provision of Digital Services. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export const SCREENSHOT_DIR = join('test-results', 'screenshots');

/** A describe block that is skipped, loudly, when this machine has no Chromium. */
export function describeE2E(name: string, fn: () => void) {
  if (!CHROMIUM) {
    console.warn(`\n!!! SKIPPING E2E "${name}": no Chromium (apt-get install -y chromium, or set CHROMIUM_PATH)\n`);
  }
  // A browser flow of a dozen pages with axe on each takes longer than an API test,
  // more so on a busy 2-core machine.
  return describe.skipIf(!CHROMIUM)(name, { timeout: 180_000 }, fn);
}

export interface E2E {
  app: TestApp;
  /** The one Chromium of this test file, launched on first use. */
  browser(): Promise<Browser>;
  /** http://esimerkkila.localhost:<port> — Chromium resolves *.localhost to loopback itself. */
  origin(host?: string): string;
  /** A fresh context (own cookies); closed with the harness. */
  context(opts?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page in a fresh context that records page errors for visit() to fail on. */
  page(opts?: BrowserContextOptions): Promise<Page>;
  close(): Promise<void>;
}

/** One app and one browser per test file; call close() in afterAll. */
export async function startE2E(opts: { env?: Record<string, string>; clock?: Clock } = {}): Promise<E2E> {
  // env: configuration of this file's app. Maps are off unless a file brings its own local
  // tile server: no test may fetch tiles from the outside world.
  const app = await startTestApp('pglite', { env: { MAP_TILE_URL: 'none', ...opts.env }, ...(opts.clock ? { clock: opts.clock } : {}) });
  // Launched on first use: a suite that finds its routes missing never starts Chromium.
  let browser: Promise<Browser> | undefined;
  const launch = () => (browser ??= chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 30_000 }));
  const contexts: BrowserContext[] = [];
  const e2e: E2E = {
    app,
    browser: launch,
    origin: (host = HOST_A) => `http://${host}:${app.port}`,
    async context(opts = {}) {
      const ctx = await (await launch()).newContext({ locale: 'fi-FI', viewport: { width: 1280, height: 900 }, ...opts });
      ctx.setDefaultTimeout(15_000);
      contexts.push(ctx);
      return ctx;
    },
    async page(opts = {}) {
      const ctx = await e2e.context(opts);
      const page = await ctx.newPage();
      watch(page);
      return page;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      if (browser) await (await browser.catch(() => undefined))?.close().catch(() => {});
      await app.close();
    },
  };
  return e2e;
}

export { HOST_A, HOST_B };

/** The password every demo member of staff has (src/server/demo). */
export const DEMO_PASSWORD = 'Aukio-demo-2026!';

/**
 * Signs in through the sign-in form, as a person would, and waits for the page `next`
 * leads to; axe checks that page. For flows where the form itself is part of the test.
 */
export async function signInThroughForm(page: Page, origin: string, email: string, next: string) {
  await visit(page, `${origin}/fi/staff/sign-in?next=${encodeURIComponent(next)}`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await Promise.all([
    page.waitForURL((u) => u.pathname === next, { timeout: 15_000 }),
    page.locator('form', { has: page.locator('input[name="password"]') }).locator('button[type="submit"], button:not([type])').first().click(),
  ]);
  await expectAccessible(page);
}

/**
 * A page in a fresh context signed in as this member of staff by a session cookie, skipping
 * the sign-in form (staff.test.ts covers the form) so a flow starts on the console page it tests.
 */
export async function signInPage(e2e: E2E, email: string, host = HOST_A, pageOptions?: BrowserContextOptions): Promise<Page> {
  const session = await signInAs(e2e.app, host, email);
  const page = await e2e.page(pageOptions);
  await page.context().addCookies(
    session.cookie.split('; ').map((c) => {
      const [name, value] = c.split('=');
      return { name, value, domain: host, path: '/' };
    }),
  );
  return page;
}

// Problems the browser reports that a status code and axe do not: uncaught exceptions,
// failed hydration, CSP refusals (a script or style without the nonce).
const problems = new WeakMap<Page, string[]>();

function watch(page: Page) {
  const list: string[] = [];
  problems.set(page, list);
  page.on('pageerror', (err) => list.push(`uncaught: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    // The expected status of an error page, or of a refused form post (409 duplicate or stale,
    // 422 invalid), shows up as a console error; the tests check statuses and messages themselves.
    if (/^Failed to load resource: the server responded with a status of (404|403|401|400|409|422|429)/.test(text)) return;
    list.push(`console: ${text}`);
  });
}

/** Fails the test if the browser reported errors on this page since the last check. */
export function expectNoBrowserErrors(page: Page, where: string) {
  const list = problems.get(page);
  if (!list) return;
  const found = list.splice(0);
  expect(found, `browser errors on ${where}:\n  ${found.join('\n  ')}`).toEqual([]);
}

export interface VisitOptions {
  /** Expected HTTP status of the final response (after redirects). Default 200. */
  status?: number;
  /** Expected final path (pathname + search), when redirects are part of the test. */
  path?: string | RegExp;
}

/**
 * Navigates, checks the final response status, waits for hydration, and runs axe;
 * any violation fails the test with a readable list.
 */
export async function visit(page: Page, url: string, opts: VisitOptions = {}) {
  const res = await page.goto(url, { waitUntil: 'load' });
  expect(res, `no response for ${url}`).not.toBeNull();
  expect(res!.status(), `status of ${url} (ended at ${page.url()})`).toBe(opts.status ?? 200);
  if (opts.path !== undefined) {
    const u = new URL(page.url());
    const got = u.pathname + u.search;
    if (typeof opts.path === 'string') expect(got).toBe(opts.path);
    else expect(got).toMatch(opts.path);
  }
  await expectAccessible(page);
  return res!;
}

/** Runs axe (WCAG 2.1 A/AA) on the page as it is now; fails on any violation. */
export async function expectAccessible(page: Page) {
  await settle(page);
  const where = page.url();
  // Legacy mode runs axe in the page itself instead of opening a blank page to merge
  // frame results; Aukio has no cross-origin frames, and it halves the time per page.
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode(true).analyze();
  if (results.violations.length) {
    throw new Error(`axe found ${results.violations.length} violation(s) on ${where}:\n${formatViolations(results.violations)}`);
  }
  // Every page must have a title and the language it claims.
  expect(await page.title(), `<title> of ${where}`).not.toBe('');
  expectNoBrowserErrors(page, where);
}

/**
 * Hydration runs after 'load'; wait until React owns <main> so axe sees what a resident
 * sees and a hydration failure surfaces as a browser error. Pages without the React
 * Router bootstrap (the unknown-host page, JavaScript off) are ready as they are.
 */
async function settle(page: Page) {
  await page.waitForFunction(
    () => {
      if (!(window as { __reactRouterContext?: unknown }).__reactRouterContext) return true;
      const el = document.querySelector('main') ?? document.body.firstElementChild;
      return !!el && Object.keys(el).some((k) => k.startsWith('__reactFiber$'));
    },
    undefined,
    { timeout: 10_000 },
  );
}

export function formatViolations(violations: AxeResult[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 8)
        .map((n) => `      - ${n.target.join(' ')}\n        ${n.failureSummary?.replace(/\n/g, '\n        ') ?? ''}`)
        .join('\n');
      const more = v.nodes.length > 8 ? `\n      … and ${v.nodes.length - 8} more` : '';
      return `  [${v.impact ?? 'n/a'}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}${more}`;
    })
    .join('\n');
}

/** Full-page PNG into test-results/screenshots (gitignored), for a human to look at. */
export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Whether a route exists on this build. Pages another branch adds are tested against
 * their contract only once they are there; until then the suite says so loudly. In CI
 * a missing page is a failure: the issue's flows must really run there.
 */
export async function routeExists(e2e: E2E, path: string, host = HOST_A): Promise<boolean> {
  const res = await hostFetch(e2e.app, host)(path);
  if (res.status !== 404) return true;
  if (process.env.CI === 'true') throw new Error(`E2E: ${path} answers 404 on ${host}; CI must run the flows that need it`);
  console.warn(`\n!!! E2E: ${path} answers 404 on this build; skipping the tests that need it.\n`);
  return false;
}

/** The element that has focus, described for assertions and messages. */
export async function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const shadow = s.boxShadow !== 'none' && s.boxShadow !== '';
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      name: el.getAttribute('name'),
      type: el.getAttribute('type'),
      href: el.getAttribute('href'),
      text: (el.innerText || el.getAttribute('aria-label') || '').trim(),
      visibleFocus: outline || shadow,
      onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < document.documentElement.scrollHeight,
      inHeader: !!el.closest('header'),
    };
  });
}

/**
 * The newest captured e-mail to `to` whose text matches `pattern` — what the recipient
 * would read. Mail goes out through the job queue, so this waits for the worker.
 */
export async function waitForMail(e2e: E2E, to: string, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await e2e.app.services.db.query<{ body_text: string | null; subject: string | null }>(
      `select subject, body_text from outbox_messages where channel = 'email' and lower(recipient) = lower($1) order by created_at desc limit 5`,
      [to],
    );
    for (const row of r.rows) {
      const m = `${row.subject ?? ''}\n${row.body_text ?? ''}`.match(pattern);
      if (m) return m;
    }
    if (Date.now() > until) throw new Error(`no e-mail to ${to} matching ${pattern} within ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

/** WCAG 1.4.10 Reflow: at 320 CSS px nothing may need horizontal scrolling. */
export async function expectNoHorizontalScroll(page: Page) {
  const { scrollWidth, innerWidth, culprits } = await page.evaluate(() => {
    const w = window.innerWidth;
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.right > w + 1 && !el.closest('.table-wrap, pre, [class*="scroll"]');
      })
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}`);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: w, culprits };
  });
  expect(scrollWidth, `${page.url()} scrolls sideways at ${innerWidth} px (widest: ${culprits.join(', ') || 'text overflow'})`).toBeLessThanOrEqual(innerWidth);
}
