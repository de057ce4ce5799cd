import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchDocument } from '../../src/modules/routing/search-index.ts';
import { engines } from '../helpers/engines.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { staffClient } from '../helpers/staff-session.ts';

/*
 * Smart routing over HTTP on PGlite and PostgreSQL: the demo seed imports the PTV sample
 * into esimerkkila (through the catalog importer, which writes the search documents), and
 * the tests add a few documents of their own through services.searchIndex.put.
 */

const SWIMMING_HALL = '4f3083d1-3ac5-4db8-9153-c5ab90dc9fc9';
const BUILDING_PERMIT = '1a78b8bd-95d5-48ee-b195-2fda78803b7d';
const LIBRARY = 'd284d32a-020b-452d-9b0c-b51b45f298b6';

interface RouteBody {
  queryId: string | null;
  confident: boolean;
  results: { kind: string; id: string; externalId: string | null; title: string; titleLang: string; summary: string; summaryLang: string; path: string; score: number; reason: { words: string[]; fields: string[]; promoted?: boolean } }[];
}

function doc(refId: string, names: SearchDocument['names'], extra: Partial<SearchDocument> = {}): SearchDocument {
  return { kind: 'service', refId, externalId: `test-${refId.slice(0, 8)}`, path: `/services/${refId}`, names, alternativeNames: {}, keywords: {}, classes: {}, summary: {}, description: {}, ...extra };
}

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`routing (${engine.name})`, () => {
    let app: TestApp;
    let tenantA: string;
    let tenantB: string;
    const getA = (path: string) => hostFetch(app, HOST_A)(path);
    const route = async (q: string, lang = 'fi', host = HOST_A, extra = '') => {
      const res = await hostFetch(app, host)(`/api/v1/route?${new URLSearchParams({ q, lang })}${extra}`);
      expect(res.status).toBe(200);
      return (await res.json()) as RouteBody;
    };
    const serviceId = async (externalId: string) =>
      (await app.services.db.query<{ ref_id: string }>(`select ref_id from search_documents where tenant_id = $1 and external_id = $2`, [tenantA, externalId])).rows[0].ref_id;

    beforeAll(async () => {
      app = await startTestApp(engine.name);
      tenantA = (await app.services.tenancy.resolveByHost(HOST_A))!.id;
      tenantB = (await app.services.tenancy.resolveByHost(HOST_B))!.id;
      await app.services.db.transaction(async (tx) => {
        // Only Finnish and Swedish names, Finnish summary: Swedish results fall back to Finnish.
        await app.services.searchIndex.put(
          tx,
          tenantA,
          doc('00000000-0000-4000-8000-00000000a001', { fi: 'Venelaiturien vuokraus', sv: 'Uthyrning av båtplatser' }, { summary: { fi: 'Kaupunki vuokraa venepaikkoja.' } }),
        );
        // Another tenant's document must never show up on esimerkkila.
        await app.services.searchIndex.put(tx, tenantB, doc('00000000-0000-4000-8000-00000000b001', { fi: 'Uimahalli Järvikylä' }));
      });
    }, 120_000);

    afterAll(async () => {
      await app?.close();
    });

    it('ranks the right service first, with its externalId, score and reason', async () => {
      const body = await route('uimahallin aukioloajat');
      expect(body.confident).toBe(true);
      expect(body.queryId).toMatch(/^[0-9a-f-]{36}$/);
      const top = body.results[0];
      expect(top.externalId).toBe(SWIMMING_HALL);
      expect(top.kind).toBe('service');
      expect(top.title).toBe('Uimahalli');
      expect(top.path).toBe(`/fi/services/${top.id}`);
      expect(top.score).toBeGreaterThan(0);
      expect(top.reason.words).toContain('uimahallin');
      expect(top.reason.fields).toContain('name');
    });

    it('understands typos, compounds and synonyms from the demo list', async () => {
      expect((await route('rakenuslupa')).results[0].externalId).toBe(BUILDING_PERMIT);
      expect((await route('kirjastokortin pin-koodi unohtui')).results[0].externalId).toBe(LIBRARY);
      const roskis = await route('roskis jäi tyhjentämättä');
      expect(roskis.results[0].externalId).toBe('3a5ac2ae-8b05-43cf-b767-ed7d1dd2a67e');
    });

    it('answers a Swedish query in Swedish, falling back to the default language per field', async () => {
      const sv = await route('simhallen öppettider', 'sv');
      expect(sv.results[0].externalId).toBe(SWIMMING_HALL);
      expect(sv.results[0].title).toBe('Simhall');
      expect(sv.results[0].path).toMatch(/^\/sv\/services\//);
      // A Finnish query on a Swedish page still finds the service, titled in Swedish.
      const finnishOnSv = await route('uimahallin aukioloajat', 'sv');
      expect(finnishOnSv.results[0].externalId).toBe(SWIMMING_HALL);
      expect(finnishOnSv.results[0].title).toBe('Simhall');
      const boat = await route('båtplatser', 'sv');
      expect(boat.results[0].title).toBe('Uthyrning av båtplatser');
      expect(boat.results[0].titleLang).toBe('sv');
      expect(boat.results[0].summaryLang).toBe('fi');
    });

    it('says when nothing matches well instead of guessing', async () => {
      const body = await route('qwxyzzy plörinä');
      expect(body.confident).toBe(false);
    });

    it('uses a synonym as soon as staff add it', async () => {
      expect((await route('hyppyhalli')).results[0]?.externalId).not.toBe(SWIMMING_HALL);
      await app.services.db.query(`insert into search_synonyms (tenant_id, lang, term, expansion) values ($1, 'fi', 'hyppyhalli', 'uimahalli')`, [tenantA]);
      const after = await route('hyppyhalli');
      expect(after.results[0].externalId).toBe(SWIMMING_HALL);
      expect(after.confident).toBe(true);
    });

    it('puts a promoted item first', async () => {
      const library = await serviceId(LIBRARY);
      await app.services.db.query(`insert into search_promotions (tenant_id, lang, phrase, kind, ref_id) values ($1, 'fi', 'lukusali', 'service', $2)`, [
        tenantA,
        library,
      ]);
      const body = await route('lukusali uimahalli');
      expect(body.results[0].externalId).toBe(LIBRARY);
      expect(body.results[0].reason.promoted).toBe(true);
      expect(body.results[1].externalId).toBe(SWIMMING_HALL);
    });

    it('never shows another tenant’s documents', async () => {
      const a = await route('uimahalli järvikylä');
      expect(a.results.map((r) => r.id)).not.toContain('00000000-0000-4000-8000-00000000b001');
      const b = await route('uimahalli', 'fi', HOST_B);
      expect(b.results.map((r) => r.id)).toEqual(['00000000-0000-4000-8000-00000000b001']);
    });

    it('logs queries anonymously and records clicks (API and the results page redirect)', async () => {
      const body = await route('uimahalli lippu');
      const row = await app.services.db.query<Record<string, unknown>>(`select * from search_queries where id = $1`, [body.queryId]);
      expect(row.rows[0]).toMatchObject({ q: 'uimahalli lippu', lang: 'fi', top_ref_id: body.results[0].id, clicked_ref_id: null });
      expect(Object.keys(row.rows[0]).sort()).toEqual(
        ['id', 'tenant_id', 'q', 'lang', 'top_kind', 'top_ref_id', 'top_score', 'result_count', 'clicked_kind', 'clicked_ref_id', 'clicked_rank', 'created_at'].sort(),
      );

      const csrf = 'routing-test-csrf-token-123456';
      const click = await hostFetch(app, HOST_A)('/api/v1/route/click', {
        method: 'POST',
        headers: { cookie: `aukio_csrf=${csrf}`, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ queryId: body.queryId, kind: 'service', id: body.results[1].id, rank: 2 }),
      });
      expect(click.status).toBe(204);
      const clicked = await app.services.db.query(`select clicked_kind, clicked_ref_id, clicked_rank from search_queries where id = $1`, [body.queryId]);
      expect(clicked.rows[0]).toEqual({ clicked_kind: 'service', clicked_ref_id: body.results[1].id, clicked_rank: 2 });

      // The no-JS path: the results page links through /search/go, which logs and redirects.
      const page = await getA(`/fi/search?q=${encodeURIComponent('kuntosalikortti hinta')}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      const link = html.match(/href="(\/fi\/search\/go\?[^"]+)"/)![1].replace(/&amp;/g, '&');
      const go = await getA(link);
      expect(go.status).toBe(303);
      const qid = new URL(link, 'http://x').searchParams.get('qid');
      const logged = await app.services.db.query<{ q: string; clicked_rank: number; clicked_ref_id: string }>(`select q, clicked_rank, clicked_ref_id from search_queries where id = $1`, [qid]);
      expect(logged.rows[0].q).toBe('kuntosalikortti hinta');
      expect(logged.rows[0].clicked_rank).toBe(1);
      expect(go.headers.get('location')).toBe(`/fi/services/${logged.rows[0].clicked_ref_id}`);

      // Personal details typed into a query are masked in the log.
      const personal = await route('toimeentulotuki matti@example.fi 010203A123B');
      const masked = await app.services.db.query<{ q: string }>(`select q from search_queries where id = $1`, [personal.queryId]);
      expect(masked.rows[0].q).toBe('toimeentulotuki [email] [hetu]');

      // Autocomplete is not logged.
      const before = await app.services.db.query<{ n: number }>(`select count(*)::int as n from search_queries where tenant_id = $1`, [tenantA]);
      const suggest = await route('uimahalli', 'fi', HOST_A, '&suggest=1');
      expect(suggest.queryId).toBeNull();
      expect(suggest.results.length).toBeLessThanOrEqual(6);
      const after = await app.services.db.query<{ n: number }>(`select count(*)::int as n from search_queries where tenant_id = $1`, [tenantA]);
      expect(after.rows[0].n).toBe(before.rows[0].n);
    });

    it('refuses bad input with 4xx in the error shape, and never redirects off the tenant', async () => {
      for (const path of ['/api/v1/route?q=', '/api/v1/route?q=%20%20', `/api/v1/route?q=${'a'.repeat(201)}`, '/api/v1/route?q=uimahalli&lang=de', '/api/v1/route']) {
        const res = await getA(path);
        expect(res.status, path).toBe(400);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('validation_failed');
        expect(typeof body.error.message).toBe('string');
      }
      const csrf = 'routing-test-csrf-token-123456';
      const badClick = await hostFetch(app, HOST_A)('/api/v1/route/click', {
        method: 'POST',
        headers: { cookie: `aukio_csrf=${csrf}`, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ queryId: 'nope', kind: 'evil', id: '1', rank: 0 }),
      });
      expect(badClick.status).toBe(400);
      // Another tenant's item, a malformed id, an unknown kind: 404, no redirect.
      for (const path of [
        '/fi/search/go?kind=service&id=00000000-0000-4000-8000-00000000b001',
        '/fi/search/go?kind=service&id=https://evil.example',
        '/fi/search/go?kind=evil&id=00000000-0000-4000-8000-00000000a001',
      ]) {
        const res = await getA(path);
        expect(res.status, path).toBe(404);
        expect(res.headers.get('location')).toBeNull();
        // The portal's localized error page, not a bare JSON body.
        expect(res.headers.get('content-type')).toContain('text/html');
      }
    });

    it('shows "what residents could not find" to communications and customer service only', async () => {
      await route('missä on lähin avantouintipaikka zzqx');
      const anonymous = await getA('/fi/staff/search-report');
      expect([302, 303]).toContain(anonymous.status);
      const unitStaff = await staffClient(app, HOST_A, 'paivakoti@esimerkkila.fi');
      expect((await unitStaff.get('/fi/staff/search-report')).status).toBe(403);
      const cs = await staffClient(app, HOST_A, 'asiakaspalvelu@esimerkkila.fi');
      const page = await cs.get('/fi/staff/search-report?days=7');
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('missä on lähin avantouintipaikka zzqx');
      expect(html).toContain('Mitä asukkaat eivät löytäneet');
    });
  });
}
