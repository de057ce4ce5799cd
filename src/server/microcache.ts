/**
 * A short-lived cache of rendered pages for anonymous visitors. Server rendering a page
 * costs milliseconds of CPU; a burst of residents opening the front page (a storm, a
 * crisis notice) should not each pay it. Only pages that opt in by answering with the
 * MICROCACHE_HEADER are kept, and only for requests without a session.
 *
 * A page carries two per-response values: the CSP nonce and the CSRF token. A page is
 * rendered normally, with the real values of the request that rendered it; when it is
 * kept, the body is split at those two values, and every later response gets its own
 * put back in. Both are long random strings of characters HTML and JSON leave as they
 * are (base64), so they are found intact and occur nowhere else in the page.
 */
export const MICROCACHE_HEADER = 'x-aukio-microcache';

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
    if (Date.now() - hit.at > this.ttlMs || hit.source !== source) {
      this.entries.delete(key);
      return undefined;
    }
    return hit;
  }

  /** Splits a body at the values it was rendered with, for cheap per-response filling. */
  prepare(status: number, headers: [string, string][], body: string, rendered: { nonce: string; csrf: string }): CachedPage {
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
    return { status, headers, parts, slots, at: Date.now() };
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
