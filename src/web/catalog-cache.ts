import type { HeadersFunction } from 'react-router';
import type { OpenStatus } from '../modules/catalog/opening-hours.ts';

/**
 * Catalog pages are the same for every anonymous visitor of a tenant, URL and language — until
 * the catalog changes (the content version, which the server keys on) or an "open now" line
 * on the page changes (the clock). The loader reports the second as an epoch-ms header; the
 * server (src/server/app.ts) never serves a kept render or answers 304 past it.
 */
export const VALID_UNTIL_HEADER = 'x-aukio-valid-until';

export function cacheHeaders(statuses: OpenStatus[]): Record<string, string> {
  const until = Math.min(...statuses.map((s) => s.nextChange));
  return Number.isFinite(until) ? { [VALID_UNTIL_HEADER]: String(until) } : {};
}

/** Route `headers` export: opt into the microcache and pass the validity on. */
export const catalogPageHeaders: HeadersFunction = ({ loaderHeaders }) => {
  const h = new Headers({ 'x-aukio-microcache': 'anonymous' });
  const until = loaderHeaders.get(VALID_UNTIL_HEADER);
  if (until) h.set(VALID_UNTIL_HEADER, until);
  return h;
};

/**
 * Keeps only the page language and the fallback in every {fi, sv, en} value of loader data:
 * the data is written into the page for hydration, and the other languages would only make
 * it bigger and slower to render.
 */
export function narrowLanguages<T>(value: T, keep: string[]): T {
  if (Array.isArray(value)) return value.map((v) => narrowLanguages(v, keep)) as T;
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length && entries.every(([k]) => k === 'fi' || k === 'sv' || k === 'en')) {
    const kept = entries.filter(([k]) => keep.includes(k));
    // Nothing in either language: keep everything, so the text falls back to any language.
    return Object.fromEntries(kept.length && kept.some(([, v]) => v && (typeof v !== 'string' || v.trim())) ? kept : entries) as T;
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, narrowLanguages(v, keep)])) as T;
}
