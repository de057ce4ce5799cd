import { createHash } from 'node:crypto';

/**
 * A short-lived cache of rendered pages for anonymous visitors. Server rendering a page
 * costs milliseconds of CPU; a burst of residents opening the front page (a storm, a
 * crisis notice) should not each pay it. Only pages that opt in by answering with the
 * MICROCACHE_HEADER are kept, and only for requests without a session. The key (built in
 * app.ts) is tenant, content version, origin and URL: a publish bumps the content version,
 * so the next request renders afresh on every instance.
 *
 * A page carries two per-response values: the CSP nonce and the CSRF token. A page is
 * rendered normally, with the real values of the request that rendered it; when it is
 * kept, the body is split at those two values, and every later response gets its own
 * put back in. Both are long random strings of characters HTML and JSON leave as they
 * are (base64), so they are found intact and occur nowhere else in the page.
 */
export const MICROCACHE_HEADER = 'x-aukio-microcache';
/**
 * A page whose output changes with the clock (an "open now" line) reports until when its
 * render is right, as epoch ms (src/web/catalog-cache.ts). Stripped before sending.
 */
export const VALID_UNTIL_HEADER = 'x-aukio-valid-until';

export interface CachedPage {
  status: number;
  headers: [string, string][];
  /** The body split at the per-response values: bytes, slot, bytes, slot, … bytes. */
  parts: Buffer[];
  slots: ('nonce' | 'csrf')[];
  at: number;
  /**
   * What the page was rendered from: the tenant object of that moment. TenancyService hands
   * out a new object whenever the tenant is reloaded (a settings change invalidates it on
   * every instance), so a page of an older tenant version is never served.
   */
  source?: object;
  /** Epoch ms after which the render is wrong (0 = only the TTL applies). */
  validUntil: number;
}

export class PageMicrocache {
  private entries = new Map<string, CachedPage>();

  constructor(
    private ttlMs = 2000,
    private maxEntries = 500,
  ) {}

  get(key: string, source?: object): CachedPage | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    const now = Date.now();
    if (now - hit.at > this.ttlMs || hit.source !== source || (hit.validUntil && now >= hit.validUntil)) {
      this.entries.delete(key);
      return undefined;
    }
    return hit;
  }

  /** Splits a body at the values it was rendered with, for cheap per-response filling. */
  prepare(status: number, headers: [string, string][], body: string, rendered: { nonce: string; csrf: string }, validUntil = 0): CachedPage {
    const parts: Buffer[] = [];
    const slots: CachedPage['slots'] = [];
    const escape = (v: string) => v.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const re = new RegExp(`${escape(rendered.nonce)}|${escape(rendered.csrf)}`, 'g');
    let last = 0;
    for (const m of body.matchAll(re)) {
      parts.push(Buffer.from(body.slice(last, m.index)));
      slots.push(m[0] === rendered.nonce ? 'nonce' : 'csrf');
      last = m.index + m[0].length;
    }
    parts.push(Buffer.from(body.slice(last)));
    return { status, headers, parts, slots, at: Date.now(), validUntil };
  }

  set(key: string, page: CachedPage, source?: object) {
    page.source = source;
    if (this.entries.size >= this.maxEntries) {
      // Oldest first: Map keeps insertion order.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, page);
  }

  /** Bytes, not a string: the page is UTF-8 encoded once, when kept, not per response. */
  fill(page: CachedPage, values: { nonce: string; csrf: string }): Buffer {
    // Both values are ASCII: their length in characters is their length in bytes.
    let size = 0;
    for (const p of page.parts) size += p.length;
    for (const slot of page.slots) size += values[slot].length;
    const out = Buffer.allocUnsafe(size);
    let at = page.parts[0].copy(out, 0);
    for (let i = 0; i < page.slots.length; i++) {
      at += out.write(values[page.slots[i]], at, 'latin1');
      at += page.parts[i + 1].copy(out, at);
    }
    return out;
  }
}

/**
 * ETags for anonymous pages (the same pages that opt into the microcache), so a browser
 * revalidating a page it already has gets a bodiless 304 before anything is rendered.
 *
 * A page's bytes differ per response (CSP nonce, CSRF token), so the tag is not a hash of the
 * body. It is a hash of everything the page's output depends on:
 *  - the build id (new code renders differently),
 *  - the tenant as loaded (names, languages, theme… — a settings change alters the hash),
 *  - the tenant's content version (bumped in the transaction of every catalog or page change,
 *    so a publish invalidates every tag at once, on every instance),
 *  - the origin and URL (path, query, hence the language),
 *  - a hash of the visitor's CSRF cookie: the cached copy has that token written into its
 *    forms, and a 304 tells the browser to reuse that copy. If the cookie has changed since
 *    (expired, cleared, replaced), the old copy's forms would post a token that no longer
 *    matches, so the tag must differ and the browser gets a fresh page. Hashed so the token
 *    itself never appears in a header,
 *  - the moment the render stops being right (an "open now" line; 0 when never), which is
 *    also written in clear into the tag so a revalidation past it is refused without
 *    knowing the page.
 * The CSP nonce is not in the tag: on a 304 the browser keeps the body it has, and the
 * server leaves the CSP header out of the 304 so the stored header, whose nonce matches that
 * body, stays in force (see onSend in app.ts).
 * Weak (W/) because the bytes of two responses with the same tag are not identical.
 * Only anonymous GETs without any session cookie get a tag or a 304; signed-in pages are
 * personal and are always rendered.
 */
export class PageEtags {
  private tenantHashes = new WeakMap<object, string>();

  constructor(private buildId: string) {}

  tag(input: { tenant: object; contentVersion: number; url: string; csrf: string }, validUntil: number): string {
    return `W/"${this.hash(input, validUntil)}.${validUntil.toString(36)}"`;
  }

  /** Does any tag in an If-None-Match header match this request's state, still in time? */
  matches(header: string, input: { tenant: object; contentVersion: number; url: string; csrf: string }, now = Date.now()): boolean {
    for (const m of header.matchAll(/(?:W\/)?"([\w-]{22})\.([0-9a-z]{1,12})"/g)) {
      const validUntil = parseInt(m[2], 36);
      if (validUntil && now >= validUntil) continue;
      if (m[1] === this.hash(input, validUntil)) return true;
    }
    return false;
  }

  private hash(input: { tenant: object; contentVersion: number; url: string; csrf: string }, validUntil: number): string {
    let tenant = this.tenantHashes.get(input.tenant);
    if (!tenant) {
      tenant = createHash('sha256').update(JSON.stringify(input.tenant)).digest('base64url');
      this.tenantHashes.set(input.tenant, tenant);
    }
    return createHash('sha256')
      .update(`${this.buildId}\n${tenant}\n${input.contentVersion}\n${input.url}\n${validUntil}\n`)
      .update(createHash('sha256').update(input.csrf).digest())
      .digest('base64url')
      .slice(0, 22);
  }
}
