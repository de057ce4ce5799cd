import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../platform/db.ts';
import { EventBus } from '../../platform/events.ts';
import { migrate } from '../../platform/migrate.ts';
import { AuditService } from '../audit/audit.ts';
import type { Actor } from '../identity/actor.ts';
import { SearchIndex } from '../routing/search-index.ts';
import { ContentVersions } from './content-version.ts';
import { importPtvCatalog, listImportRuns, type ImportDeps } from './ptv-import.ts';

/*
 * The importer against an embedded PGlite: the fixture into a fresh tenant, re-import,
 * a changed document, an invalid one (nothing written), local additions kept.
 */

const FIXTURE = 'src/server/demo/ptv-catalog.json';
const fixture = () => JSON.parse(readFileSync(FIXTURE, 'utf8'));
const ACTOR: Actor = { kind: 'system', label: 'test' };

describe('importPtvCatalog (PGlite)', () => {
  let db: Db;
  let deps: ImportDeps;
  let tenantId: string;
  let otherTenantId: string;

  const count = async (table: string, tenant = tenantId) =>
    Number((await db.query<{ n: string }>(`select count(*)::int as n from ${table} where tenant_id = $1`, [tenant])).rows[0].n);

  beforeAll(async () => {
    db = await openDb({ dataDir: 'memory' });
    await migrate(db);
    const events = new EventBus(db);
    deps = { db, audit: new AuditService(db), searchIndex: new SearchIndex(), contentVersions: new ContentVersions(db, events) };
    const mk = async (slug: string) =>
      (
        await db.query<{ id: string }>(`insert into tenants (slug, names, languages, default_language) values ($1, $2, $3, 'fi') returning id`, [
          slug,
          JSON.stringify({ fi: slug }),
          ['fi', 'sv', 'en'],
        ])
      ).rows[0].id;
    tenantId = await mk('testila');
    otherTenantId = await mk('muuala');
  });

  afterAll(async () => {
    await db?.close();
  });

  it('imports the fixture: services, channels, links, search documents, a run and an audit row', async () => {
    const report = await importPtvCatalog(deps, tenantId, fixture(), { source: 'api', actor: ACTOR });
    expect(report.status).toBe('succeeded');
    expect(report.services).toMatchObject({ created: 70, updated: 0, unchanged: 0, missing: 0 });
    expect(report.channels).toMatchObject({ created: 89, updated: 0, unchanged: 0, missing: 0 });
    expect(report.organizations.created).toBe(2);
    expect(report.created).toBe(159);
    expect(report.warnings).toEqual([]);
    expect(await count('catalog_services')).toBe(70);
    expect(await count('catalog_channels')).toBe(89);
    expect(await count('catalog_service_channels')).toBe(160);
    const docs = await db.query<{ kind: string; n: number }>(
      `select kind, count(*)::int as n from search_documents where tenant_id = $1 group by kind order by kind`,
      [tenantId],
    );
    expect(docs.rows).toEqual([
      { kind: 'service', n: 70 },
      { kind: 'unit', n: 18 },
    ]);
    expect(await count('catalog_services', otherTenantId)).toBe(0);
    expect(await deps.contentVersions.current(tenantId)).toBe(1);
    const runs = await listImportRuns(db, tenantId);
    expect(runs[0]).toMatchObject({ id: report.runId, status: 'succeeded', source: 'api', actorKind: 'system', actorLabel: 'test' });
    const audit = await db.query(`select action, target_id from audit_log where tenant_id = $1 and action = 'catalog.imported'`, [tenantId]);
    expect(audit.rows).toEqual([{ action: 'catalog.imported', target_id: report.runId }]);

    // The mapped shapes residents' pages read.
    const loc = await db.query<Record<string, any>>(
      `select * from catalog_channels where tenant_id = $1 and external_id = '57132236-2091-4165-a189-4df2c1f21e56'`,
      [tenantId],
    );
    const c = loc.rows[0];
    expect(c.kind).toBe('service_location');
    expect(c.address).toEqual({ street: { fi: 'Raatihuoneenkatu', sv: 'Rådhusgatan' }, streetNumber: '1', postalCode: '00990', postOffice: { fi: 'ESIMERKKILÄ', sv: 'EXEMPELBY' } });
    expect(Number(c.latitude)).toBeCloseTo(60.4012);
    expect(c.service_hours[0]).toEqual({
      type: 'regular',
      validFrom: null,
      validTo: null,
      isClosed: false,
      hours: [
        { dayFrom: 'Monday', dayTo: 'Wednesday', from: '09:00', to: '16:00' },
        { dayFrom: 'Thursday', dayTo: null, from: '09:00', to: '18:00' },
        { dayFrom: 'Friday', dayTo: null, from: '09:00', to: '15:00' },
      ],
      info: {},
    });
    expect(c.service_hours[1]).toMatchObject({ type: 'exceptional', validFrom: '2025-12-24', validTo: '2025-12-26', isClosed: true, info: { fi: 'Suljettu joulunpyhinä' } });
    const phone = await db.query<Record<string, any>>(
      `select phones from catalog_channels where tenant_id = $1 and external_id = '179b238d-1554-4f3d-9690-c2d3919b8ec5'`,
      [tenantId],
    );
    expect(phone.rows[0].phones[0]).toEqual({
      number: '+358 9 4567 1000',
      lang: 'fi',
      chargeType: 'Charged',
      chargeDescription: 'Puhelun hinta määräytyy liittymäsopimuksen mukaan.',
    });
    const svc = await db.query<Record<string, any>>(
      `select * from catalog_services where tenant_id = $1 and external_id = 'ee42ea4a-3841-4ecf-b30d-95bc433ac2f0'`,
      [tenantId],
    );
    expect(svc.rows[0]).toMatchObject({
      type: 'Service',
      status: 'published',
      charge_type: 'Charged',
      names: { fi: 'Varhaiskasvatukseen hakeminen', sv: 'Ansökan om småbarnspedagogik', en: 'Applying for early childhood education' },
      alternative_names: { fi: ['Päivähoitopaikan hakeminen'] },
      service_classes: [{ code: 'P3.4', name: { fi: 'Varhaiskasvatus' } }],
    });
  });

  it('re-importing changes nothing: all unchanged, no updated_at moves, no version bump', async () => {
    const before = await db.query(`select id, updated_at from catalog_services where tenant_id = $1 order by id`, [tenantId]);
    const report = await importPtvCatalog(deps, tenantId, fixture(), { source: 'upload', actor: ACTOR });
    expect(report).toMatchObject({ created: 0, updated: 0, unchanged: 159, missing: 0 });
    const after = await db.query(`select id, updated_at from catalog_services where tenant_id = $1 order by id`, [tenantId]);
    expect(after.rows).toEqual(before.rows);
    expect(await deps.contentVersions.current(tenantId)).toBe(1);
  });

  it('a changed document updates only what changed, keeps local keywords, reports missing items', async () => {
    const id = 'ee42ea4a-3841-4ecf-b30d-95bc433ac2f0';
    await db.query(`update catalog_services set local_keywords = '{"fi":["päikky"]}' where tenant_id = $1 and external_id = $2`, [tenantId, id]);
    const doc = fixture();
    doc.services[0].serviceNames[0].value = 'Varhaiskasvatukseen hakeminen (uusi)';
    doc.serviceChannels[1].phoneNumbers[0].number = '9 4567 1001';
    const dropped = doc.services.pop();
    // Links follow the document: the second service's channels reversed and one dropped.
    const links = doc.services[1].serviceChannels.map((l: { serviceChannelId: string }) => l.serviceChannelId);
    const wanted = links.slice(1).reverse();
    doc.services[1].serviceChannels = wanted.map((id: string) => ({ serviceChannelId: id }));
    const report = await importPtvCatalog(deps, tenantId, doc, { source: 'upload', actor: ACTOR });
    expect(report.services).toMatchObject({ created: 0, updated: 2, unchanged: 67, missing: 1, missingIds: [dropped.id] });
    const linked = await db.query<{ external_id: string }>(
      `select c.external_id from catalog_service_channels l join catalog_services s on s.id = l.service_id join catalog_channels c on c.id = l.channel_id
       where l.tenant_id = $1 and s.external_id = $2 order by l.position`,
      [tenantId, doc.services[1].id],
    );
    expect(linked.rows.map((r) => r.external_id)).toEqual(wanted);
    expect(report.channels).toMatchObject({ created: 0, updated: 1, unchanged: 88, missing: 0 });
    const row = await db.query<Record<string, any>>(`select names, local_keywords from catalog_services where tenant_id = $1 and external_id = $2`, [tenantId, id]);
    expect(row.rows[0].names.fi).toBe('Varhaiskasvatukseen hakeminen (uusi)');
    expect(row.rows[0].local_keywords).toEqual({ fi: ['päikky'] });
    // The missing service stays.
    expect(await count('catalog_services')).toBe(70);
    const doc2 = await db.query<{ doc: any }>(
      `select d.doc from search_documents d join catalog_services s on s.id = d.ref_id where d.tenant_id = $1 and s.external_id = $2`,
      [tenantId, id],
    );
    expect(doc2.rows[0].doc.names.fi).toBe('Varhaiskasvatukseen hakeminen (uusi)');
    expect(doc2.rows[0].doc.keywords.fi).toContain('päikky');
    expect(await deps.contentVersions.current(tenantId)).toBe(2);
  });

  it('an invalid document is refused whole with exact paths, and leaves a failed run', async () => {
    const doc = fixture();
    doc.services[3].serviceNames[0].language = 'de';
    doc.serviceChannels[0].serviceHours[0].openingHour[0].from = '9 am';
    doc.serviceChannels[2].webPages[0].url = 'javascript:alert(1)';
    doc.services[5].serviceNames[0].value = 'Muutettu mutta ei tallennu';
    const before = await db.query(`select id, updated_at, names from catalog_services where tenant_id = $1 order by id`, [tenantId]);
    const err = await importPtvCatalog(deps, tenantId, doc, { source: 'api', actor: ACTOR }).catch((e) => e);
    expect(err).toMatchObject({ code: 'invalid_catalog', status: 422 });
    expect(err.details.errors).toMatchObject([
      { path: 'services[3].serviceNames[0].language', message: 'expected one of fi, sv, en' },
      { path: 'serviceChannels[0].serviceHours[0].openingHour[0].from', message: 'expected a time (HH:MM)' },
      { path: 'serviceChannels[2].webPages[0].url', message: expect.stringMatching(/^expected/) },
    ]);
    const after = await db.query(`select id, updated_at, names from catalog_services where tenant_id = $1 order by id`, [tenantId]);
    expect(after.rows).toEqual(before.rows);
    const runs = await listImportRuns(db, tenantId);
    expect(runs[0]).toMatchObject({ id: err.details.runId, status: 'failed', report: { errorCount: 3 } });
  });
});
