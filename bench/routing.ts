import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDb, type Db } from '../src/platform/db.ts';
import type { Lang } from '../src/platform/i18n.ts';
import { migrate } from '../src/platform/migrate.ts';
import { seedDemoSynonyms } from '../src/modules/routing/demo-synonyms.ts';
import { RoutingService } from '../src/modules/routing/routing.ts';
import { SearchIndex, type SearchDocument } from '../src/modules/routing/search-index.ts';
import { AuditService } from '../src/modules/audit/audit.ts';
import { ContentVersions } from '../src/modules/catalog/content-version.ts';
import { importPtvCatalog } from '../src/modules/catalog/ptv-import.ts';
import { EventBus } from '../src/platform/events.ts';

interface PtvCatalog {
  services: { id: string; serviceNames: { language: string; value: string }[] }[];
}

/**
 * npm run bench:routing — accuracy and latency of the routing engine, in-process on embedded
 * PGlite (fresh in-memory databases).
 *
 * Accuracy: imports the PTV catalog (--catalog, default ../shared/fixtures/ptv-catalog.json)
 * into a fresh tenant with the demo tenant's synonym list, runs every query of --queries
 * (JSON lines {"q","lang","expect":[externalIds]}; a hit is any expected id) and counts
 * top-1 and top-3 hits. Misses go to stderr.
 *
 * Latency: generates a 10,000-service catalog by recombining the catalog's own words
 * (seeded, so every run is the same), indexes it into another fresh database and times
 * 1,000 queries (the query file's plus generated ones) after a warm-up.
 *
 * The catalog goes in through the real PTV importer (src/modules/catalog/ptv-import.ts), which
 * writes the catalog rows and their search documents.
 *
 * Prints one line on stdout: routing_top1=… routing_top3=… routing_p95_ms=…
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// ../shared/fixtures next to the repository (a worktree sits one level deeper).
const fixtures = [resolve(root, '../shared/fixtures'), resolve(root, '../../shared/fixtures')].find((d) => existsSync(d)) ?? resolve(root, '../shared/fixtures');
const { values: args } = parseArgs({
  options: {
    catalog: { type: 'string', default: resolve(fixtures, 'ptv-catalog.json') },
    queries: { type: 'string', default: resolve(fixtures, 'routing-dev.jsonl') },
    services: { type: 'string', default: '10000' },
    latency: { type: 'string', default: '1000' },
    'skip-latency': { type: 'boolean', default: false },
  },
});

interface Query {
  q: string;
  lang: Lang;
  expect: string[];
}

async function freshTenant(db: Db, slug: string): Promise<{ id: string; defaultLanguage: Lang; languages: Lang[] }> {
  const r = await db.query<{ id: string }>(
    `insert into tenants (slug, names, languages, default_language, theme, contact, accessibility_statement, privacy_notice)
     values ($1, '{"fi":"Bench"}', '{fi,sv,en}', 'fi', '{}', '{}', '{}', '{}') returning id`,
    [slug],
  );
  return { id: r.rows[0].id, defaultLanguage: 'fi', languages: ['fi', 'sv', 'en'] };
}

async function openFresh(): Promise<Db> {
  const db = await openDb({ dataDir: 'memory' });
  await migrate(db);
  return db;
}

async function index(db: Db, tenantId: string, docs: SearchDocument[]) {
  const searchIndex = new SearchIndex();
  for (let i = 0; i < docs.length; i += 500) {
    await db.transaction(async (tx) => {
      for (const d of docs.slice(i, i + 500)) await searchIndex.put(tx, tenantId, d);
    });
  }
}

async function importCatalog(db: Db, tenantId: string, catalog: unknown) {
  const deps = { db, audit: new AuditService(db), searchIndex: new SearchIndex(), contentVersions: new ContentVersions(db, new EventBus(db)) };
  await importPtvCatalog(deps, tenantId, catalog, { source: 'upload', actor: { kind: 'system', label: 'bench' } });
}

async function indexedServices(db: Db, tenantId: string): Promise<SearchDocument[]> {
  const r = await db.query<{ doc: SearchDocument }>(`select doc from search_documents where tenant_id = $1 and kind = 'service' order by ref_id`, [tenantId]);
  return r.rows.map((x) => x.doc);
}

function readQueries(file: string): Query[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Query);
}

async function accuracy(catalog: PtvCatalog, queries: Query[]) {
  const db = await openFresh();
  const tenant = await freshTenant(db, 'bench');
  await importCatalog(db, tenant.id, catalog);
  await db.transaction((tx) => seedDemoSynonyms(tx, tenant.id));
  const routing = new RoutingService(db);
  let top1 = 0;
  let top3 = 0;
  for (const q of queries) {
    const r = await routing.route(tenant, q.q, q.lang);
    const ids = r.results.map((x) => x.externalId);
    const rank = ids.findIndex((id) => id && q.expect.includes(id));
    if (rank === 0) top1++;
    if (rank >= 0 && rank < 3) top3++;
    if (rank !== 0) {
      const got = r.results
        .slice(0, 3)
        .map((x) => `${x.title} (${x.score}; ${x.reason.words.join(',')})`)
        .join(' | ');
      const names = q.expect.map((id) => catalog.services.find((s) => s.id === id)?.serviceNames.find((n) => n.language === q.lang)?.value ?? id);
      console.error(`MISS${rank < 0 ? '' : ` @${rank + 1}`} [${q.lang}] "${q.q}"${r.confident ? '' : ' (not confident)'}\n   expected: ${names.join(' / ')}\n   got: ${got || '—'}`);
    }
  }
  await db.close();
  return { top1: top1 / queries.length, top3: top3 / queries.length };
}

/** mulberry32: a small seeded PRNG, so the generated catalog is the same on every run. */
function prng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A synthetic catalog shaped like a real regional one: many organizations offer the same kinds
 * of service, so each generated service is a variant of one of the catalog's services (its
 * words reshuffled, partly replaced by words of other services) under a generated place name.
 */
function synthesize(base: SearchDocument[], count: number, rand: () => number): SearchDocument[] {
  const langs: Lang[] = ['fi', 'sv', 'en'];
  const pick = <T,>(list: T[]) => list[Math.floor(rand() * list.length)];
  const split = (t: string | undefined) => (t ?? '').split(/\s+/).filter(Boolean);
  const pool = (f: (d: SearchDocument, l: Lang) => string[]) =>
    Object.fromEntries(langs.map((l) => [l, base.flatMap((d) => f(d, l).flatMap(split))])) as Record<Lang, string[]>;
  const kws = pool((d, l) => d.keywords[l] ?? []);
  const sums = pool((d, l) => [d.summary[l] ?? '']);
  const descs = pool((d, l) => [d.description[l] ?? '']);
  const syllables = ['ka', 'la', 'mä', 'ki', 'jo', 'en', 'vaa', 'ra', 'sa', 'lo', 'hu', 'pe', 'ti', 'ko', 'nu', 'vi', 'sel', 'hol', 'mik', 'tor'];
  const places = Array.from({ length: 400 }, () => {
    const w = Array.from({ length: 2 + Math.floor(rand() * 3) }, () => pick(syllables)).join('');
    return w[0].toUpperCase() + w.slice(1) + pick(['', 'n', 'lä', 'järvi', 'koski', 'niemi']);
  });
  // Each word of the base text is kept or replaced by a random word of the same field.
  const vary = (text: string | undefined, p: string[], keep: number) =>
    split(text)
      .map((w) => (rand() < keep ? w : pick(p)))
      .sort(() => rand() - 0.5)
      .join(' ');
  const out: SearchDocument[] = [];
  for (let i = 0; i < count; i++) {
    const b = pick(base);
    const place = pick(places);
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const doc: SearchDocument = { kind: 'service', refId: id, externalId: `synthetic-${i}`, path: `/services/${id}`, names: {}, alternativeNames: {}, keywords: {}, classes: {}, summary: {}, description: {} };
    for (const l of langs) {
      if (!b.names[l]) continue;
      doc.names[l] = `${b.names[l]} ${place}`;
      doc.alternativeNames[l] = b.alternativeNames[l];
      doc.keywords[l] = [...(b.keywords[l] ?? []).filter(() => rand() < 0.7), pick(kws[l] ?? ['']) ?? ''].filter(Boolean);
      doc.classes[l] = b.classes[l];
      doc.summary[l] = vary(b.summary[l], sums[l], 0.7);
      doc.description[l] = vary(b.description[l], descs[l], 0.6);
    }
    out.push(doc);
  }
  return out;
}

async function latency(catalog: PtvCatalog, queries: Query[], services: number, runs: number) {
  const rand = prng(20261125);
  const db = await openFresh();
  const tenant = await freshTenant(db, 'bench-large');
  await importCatalog(db, tenant.id, catalog);
  const base = await indexedServices(db, tenant.id);
  const t0 = performance.now();
  await index(db, tenant.id, synthesize(base, services, rand));
  await db.transaction((tx) => seedDemoSynonyms(tx, tenant.id));
  console.error(`indexed ${services} generated services in ${Math.round(performance.now() - t0)} ms`);
  const routing = new RoutingService(db);
  // Realistic query mix: the query file's queries and queries made of catalog words, some with a typo.
  const vocab = base.flatMap((d) => `${d.names.fi ?? ''} ${(d.keywords.fi ?? []).join(' ')}`.toLowerCase().split(/\s+/)).filter((w) => w.length > 3);
  const mix: Query[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 3 === 0) mix.push(queries[i % queries.length]);
    else {
      const n = 1 + Math.floor(rand() * 4);
      let q = Array.from({ length: n }, () => vocab[Math.floor(rand() * vocab.length)]).join(' ');
      if (i % 7 === 0) q = q.slice(0, 3) + q.slice(4); // a typo
      mix.push({ q, lang: 'fi', expect: [] });
    }
  }
  for (const q of mix.slice(0, 50)) await routing.route(tenant, q.q, q.lang); // warm-up
  const times: number[] = [];
  for (const q of mix) {
    const s = performance.now();
    await routing.route(tenant, q.q, q.lang);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const p = (x: number) => times[Math.min(times.length - 1, Math.floor(x * times.length))];
  console.error(`latency over ${runs} queries: p50 ${p(0.5).toFixed(1)} ms, p95 ${p(0.95).toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms`);
  await db.close();
  return p(0.95);
}

const catalog = JSON.parse(readFileSync(args.catalog!, 'utf8')) as PtvCatalog;
const queries = readQueries(args.queries!);
console.error(`catalog ${args.catalog} (${catalog.services.length} services, through the PTV importer), queries ${args.queries} (${queries.length})`);
const acc = await accuracy(catalog, queries);
const p95 = args['skip-latency'] ? NaN : await latency(catalog, queries, Number(args.services), Number(args.latency));
console.log(`routing_top1=${acc.top1.toFixed(3)} routing_top3=${acc.top3.toFixed(3)} routing_p95_ms=${p95.toFixed(1)}`);

