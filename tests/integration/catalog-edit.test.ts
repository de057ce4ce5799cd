import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/engines.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { signInAs, staffClient, type StaffSession } from '../helpers/staff-session.ts';

type Json = Record<string, any>;

/**
 * Staff editing of the catalog (services, channels), content pages and the search
 * vocabulary, through the API and the console's form posts, on both engines.
 */
for (const engine of engines()) {
  describe.skipIf(!engine.available)(`catalog editing on ${engine.name}`, () => {
    let app: TestApp;
    let comms: StaffSession;
    let adminB: StaffSession;
    let tenantA: string;

    beforeAll(async () => {
      app = await startTestApp(engine.name);
      comms = await signInAs(app, HOST_A, 'viestinta@esimerkkila.fi');
      adminB = await signInAs(app, HOST_B, 'admin@jarvikyla.fi');
      tenantA = comms.tenantId;
    });
    afterAll(async () => {
      await app?.close();
    });

    const api = (who: StaffSession | string | null, host = HOST_A) =>
      async (method: string, path: string, body?: unknown) => {
        const headers: Record<string, string> =
          who === null ? {} : typeof who === 'string' ? { authorization: `Bearer ${who}` } : { cookie: who.cookie, 'x-csrf-token': who.csrf };
        if (body !== undefined) headers['content-type'] = 'application/json';
        const res = await hostFetch(app, host)(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await res.text();
        return { status: res.status, body: (text ? JSON.parse(text) : null) as Json };
      };
    const db = () => app.services.db;
    const version = async () => app.services.contentVersions.current(tenantA);
    const searchDoc = async (kind: string, id: string) =>
      (await db().query<{ doc: Json }>('select doc from search_documents where tenant_id = $1 and kind = $2 and ref_id = $3', [tenantA, kind, id])).rows[0]?.doc;
    const audits = async (action: string, id: string) =>
      (await db().query('select 1 from audit_log where tenant_id = $1 and action = $2 and target_id = $3', [tenantA, action, id])).rows.length;

    const localService = {
      type: 'Service',
      status: 'published',
      names: { fi: 'Kotiseutumuseon opastukset', sv: 'Hembygdsmuseets guidningar' },
      alternativeNames: { fi: ['museokierros'] },
      summary: { fi: 'Opastetut kierrokset kotiseutumuseossa.' },
      description: { fi: 'Varaa opastus ryhmälle.' },
      chargeType: 'Charged',
      chargeDescription: { fi: '50 € / ryhmä' },
      keywords: { fi: ['museo', 'opastus'] },
      languages: ['fi', 'sv'],
    };

    describe('services', () => {
      it('creates and edits a local service: search document written, content version bumped, audited', async () => {
        const before = await version();
        const created = await api(comms)('POST', '/api/v1/catalog/services', localService);
        expect(created.status).toBe(201);
        const id = created.body.id;
        expect(created.body.externalId).toBeNull();
        expect(await version()).toBeGreaterThan(before);
        expect((await searchDoc('service', id)).names.fi).toBe('Kotiseutumuseon opastukset');
        expect(await audits('catalog.service_created', id)).toBe(1);

        const v2 = await version();
        const patched = await api(comms)('PATCH', `/api/v1/catalog/services/${id}`, {
          updatedAt: created.body.updatedAt,
          names: { fi: 'Kotiseutumuseon opastetut kierrokset', sv: 'Hembygdsmuseets guidningar' },
          localKeywords: { fi: ['museokäynti'] },
        });
        expect(patched.status).toBe(200);
        expect(patched.body.summary.fi).toBe('Opastetut kierrokset kotiseutumuseossa.');
        expect(await version()).toBeGreaterThan(v2);
        const doc = await searchDoc('service', id);
        expect(doc.names.fi).toBe('Kotiseutumuseon opastetut kierrokset');
        expect(doc.keywords.fi).toEqual(expect.arrayContaining(['museo', 'museokäynti']));

        // Archiving takes it out of search.
        const archived = await api(comms)('PATCH', `/api/v1/catalog/services/${id}`, { updatedAt: patched.body.updatedAt, status: 'archived' });
        expect(archived.status).toBe(200);
        expect(await searchDoc('service', id)).toBeUndefined();

        const list = await api(comms)('GET', '/api/v1/catalog/services?q=kotiseutumuseon&source=local');
        expect(list.body.items.map((s: Json) => s.id)).toEqual([id]);
      });

      it('validates with field names, and requires the default-language name', async () => {
        const r = await api(comms)('POST', '/api/v1/catalog/services', { ...localService, names: { sv: 'Bara svenska' }, type: 'Nope' });
        expect(r.status).toBe(400);
        expect(r.body.error.code).toBe('validation_failed');
        expect(r.body.error.fields.type).toBeDefined();
        const r2 = await api(comms)('POST', '/api/v1/catalog/services', { ...localService, names: { sv: 'Bara svenska' } });
        expect(r2.status).toBe(400);
        expect(r2.body.error.fields).toEqual({ 'names.fi': 'required' });
        const r3 = await api(comms)('POST', '/api/v1/catalog/services', { ...localService, extra: 1 });
        expect(r3.status).toBe(400);
      });

      it('refuses a stale save with 409 and keeps the other edit', async () => {
        const { body: s } = await api(comms)('POST', '/api/v1/catalog/services', { ...localService, names: { fi: 'Samanaikainen' } });
        const first = await api(comms)('PATCH', `/api/v1/catalog/services/${s.id}`, { updatedAt: s.updatedAt, summary: { fi: 'Ensimmäinen' } });
        expect(first.status).toBe(200);
        const second = await api(comms)('PATCH', `/api/v1/catalog/services/${s.id}`, { updatedAt: s.updatedAt, summary: { fi: 'Toinen' } });
        expect(second.status).toBe(409);
        expect(second.body.error.reason).toBe('stale');
        expect((await api(comms)('GET', `/api/v1/catalog/services/${s.id}`)).body.summary.fi).toBe('Ensimmäinen');
      });

      it('an imported service refuses PTV field edits but saves local keywords', async () => {
        const r = await db().query<{ id: string; updated_at: string }>(
          `insert into catalog_services (tenant_id, external_id, type, status, names, summary, keywords)
           values ($1, 'ptv-test-0001', 'Service', 'published', '{"fi":"Tuotu palvelu"}', '{"fi":"PTV:stä"}', '{"fi":["ptv"]}') returning id, updated_at`,
          [tenantA],
        );
        const id = r.rows[0].id;
        const got = await api(comms)('GET', `/api/v1/catalog/services/${id}`);
        expect(got.status).toBe(200);
        const refused = await api(comms)('PATCH', `/api/v1/catalog/services/${id}`, { updatedAt: got.body.updatedAt, names: { fi: 'Muutettu' } });
        expect(refused.status).toBe(422);
        expect(refused.body.error.fields).toEqual({ names: 'read_only_imported' });
        // Sending the unchanged imported fields back (a GET round trip) is fine.
        const { id: _i, tenantId: _t, externalId: _e, organizationId: _o, channelIds: _c, ...rest } = got.body;
        const ok = await api(comms)('PATCH', `/api/v1/catalog/services/${id}`, { ...rest, localKeywords: { fi: ['päikky', 'tuotu'] } });
        expect(ok.status).toBe(200);
        expect(ok.body.localKeywords).toEqual({ fi: ['päikky', 'tuotu'] });
        expect(ok.body.names).toEqual({ fi: 'Tuotu palvelu' });
        expect((await searchDoc('service', id)).keywords.fi).toEqual(['ptv', 'päikky', 'tuotu']);
      });

      it('403 for customer service and unit staff; 404 for another tenant’s id; 401 anonymous', async () => {
        const { body: s } = await api(comms)('POST', '/api/v1/catalog/services', { ...localService, names: { fi: 'Oikeustesti' } });
        for (const email of ['asiakaspalvelu@esimerkkila.fi', 'paivakoti@esimerkkila.fi', 'moderaattori@esimerkkila.fi']) {
          const who = await signInAs(app, HOST_A, email);
          expect((await api(who)('GET', '/api/v1/catalog/services')).status).toBe(403);
          expect((await api(who)('PATCH', `/api/v1/catalog/services/${s.id}`, { updatedAt: s.updatedAt, summary: { fi: 'x' } })).status).toBe(403);
          expect((await api(who)('POST', '/api/v1/pages', { slug: 'x', title: { fi: 'x' } })).status).toBe(403);
          expect((await api(who)('POST', '/api/v1/catalog/synonyms', { lang: 'fi', term: 'a', expansion: 'b' })).status).toBe(403);
        }
        expect((await api(null)('GET', '/api/v1/catalog/services')).status).toBe(401);
        // Tenant B's admin cannot see or change tenant A's service: it is simply not there.
        expect((await api(adminB, HOST_B)('GET', `/api/v1/catalog/services/${s.id}`)).status).toBe(404);
        expect((await api(adminB, HOST_B)('PATCH', `/api/v1/catalog/services/${s.id}`, { updatedAt: s.updatedAt, summary: { fi: 'x' } })).status).toBe(404);
        expect((await api(comms)('GET', '/api/v1/catalog/services/not-a-uuid')).status).toBe(404);
        // The tenant admin of A may edit (tenant_admin implies communications).
        const admin = await signInAs(app, HOST_A, 'admin@esimerkkila.fi');
        expect((await api(admin)('GET', `/api/v1/catalog/services/${s.id}`)).status).toBe(200);
      });

      it('tokens with catalog:write can edit; others cannot', async () => {
        const { token } = await app.services.apiTokens.create(db(), tenantA, 'cms sync', ['catalog:write'], null);
        const { token: other } = await app.services.apiTokens.create(db(), tenantA, 'other', ['audit:read'], null);
        expect((await api(token)('POST', '/api/v1/catalog/services', { ...localService, names: { fi: 'Tokenilla' } })).status).toBe(201);
        const refused = await api(other)('GET', '/api/v1/catalog/services');
        expect(refused.status).toBe(403);
        expect(refused.body.error.requiredScope).toBe('catalog:write');
      });
    });

    describe('channels and units', () => {
      it('creates a local unit with hours, indexes it, links it to a service, and edits it', async () => {
        const created = await api(comms)('POST', '/api/v1/catalog/channels', {
          kind: 'service_location',
          status: 'published',
          names: { fi: 'Kotiseutumuseo', sv: 'Hembygdsmuseet' },
          address: { street: { fi: 'Museokatu', sv: 'Museigatan' }, streetNumber: '3', postalCode: '00100', postOffice: { fi: 'Esimerkkilä' } },
          latitude: 60.17,
          longitude: 24.94,
          phones: [{ number: '+358 40 123 4567' }],
          email: 'museo@esimerkkila.fi',
          serviceHours: [
            { type: 'regular', hours: [{ dayFrom: 'Tuesday', dayTo: 'Friday', from: '11:00', to: '17:00' }] },
            { type: 'exceptional', validFrom: '2026-12-24', validTo: '2026-12-26', isClosed: true, info: { fi: 'Joulu' } },
          ],
        });
        expect(created.status).toBe(201);
        const id = created.body.id;
        expect((await searchDoc('unit', id)).keywords.fi).toEqual(['Museokatu 3 Esimerkkilä']);
        const bad = await api(comms)('POST', '/api/v1/catalog/channels', {
          kind: 'service_location',
          status: 'draft',
          names: { fi: 'Virheellinen' },
          serviceHours: [{ type: 'regular', hours: [{ dayFrom: 'Monday', from: '17:00', to: '09:00' }] }],
          latitude: 61,
        });
        expect(bad.status).toBe(400);
        expect(bad.body.error.fields).toMatchObject({ 'serviceHours.0.hours.0.to': 'end_before_start', longitude: 'required' });

        const { body: s } = await api(comms)('POST', '/api/v1/catalog/services', { ...localService, names: { fi: 'Museopalvelu' }, channelIds: [id] });
        expect((await api(comms)('GET', `/api/v1/catalog/services/${s.id}`)).body.channelIds).toEqual([id]);
        const unknown = await api(comms)('PATCH', `/api/v1/catalog/services/${s.id}`, { updatedAt: s.updatedAt, channelIds: ['00000000-0000-4000-8000-000000000000'] });
        expect(unknown.status).toBe(400);
        expect(unknown.body.error.fields).toEqual({ channelIds: 'unknown_channel' });

        const unpublished = await api(comms)('PATCH', `/api/v1/catalog/channels/${id}`, { updatedAt: created.body.updatedAt, status: 'draft' });
        expect(unpublished.status).toBe(200);
        expect(await searchDoc('unit', id)).toBeUndefined();
      });

      it('an imported channel only takes the org-unit link', async () => {
        const r = await db().query<{ id: string }>(
          `insert into catalog_channels (tenant_id, external_id, kind, names) values ($1, 'ptv-ch-1', 'service_location', '{"fi":"Tuotu toimipiste"}') returning id`,
          [tenantA],
        );
        const id = r.rows[0].id;
        const unit = (await db().query<{ id: string }>(`select id from org_units where tenant_id = $1 and names->>'fi' = 'Päiväkoti Satakieli'`, [tenantA])).rows[0].id;
        const got = await api(comms)('GET', `/api/v1/catalog/channels/${id}`);
        expect((await api(comms)('PATCH', `/api/v1/catalog/channels/${id}`, { updatedAt: got.body.updatedAt, email: 'x@y.fi' })).status).toBe(422);
        const ok = await api(comms)('PATCH', `/api/v1/catalog/channels/${id}`, { updatedAt: got.body.updatedAt, orgUnitId: unit });
        expect(ok.status).toBe(200);
        expect(ok.body.orgUnitId).toBe(unit);
        const otherTenantsUnit = (await db().query<{ id: string }>('select id from org_units where tenant_id <> $1 limit 1', [tenantA])).rows[0].id;
        const refused = await api(comms)('PATCH', `/api/v1/catalog/channels/${id}`, { updatedAt: ok.body.updatedAt, orgUnitId: otherTenantsUnit });
        expect(refused.status).toBe(400);
        expect(refused.body.error.fields).toEqual({ orgUnitId: 'unknown_org_unit' });
      });
    });

    describe('content pages', () => {
      it('the demo seed publishes pages for Esimerkkilä (indexed, with history) and none for Järvikylä', async () => {
        const r = await api(comms)('GET', '/api/v1/pages?status=published');
        const slugs = r.body.items.map((p: Json) => p.slug);
        expect(slugs).toEqual(expect.arrayContaining(['asiointi-kaupungintalolla', 'talviajan-ohjeet']));
        const winter = r.body.items.find((p: Json) => p.slug === 'talviajan-ohjeet');
        expect(winter.topic).toBe('P16.7');
        expect((await searchDoc('page', winter.id)).names.sv).toBe('Anvisningar för vintern');
        expect((await api(comms)('GET', `/api/v1/pages/${winter.id}/versions`)).body.items.map((v: Json) => v.action)).toEqual(['publish', 'create']);
        expect((await api(adminB, HOST_B)('GET', '/api/v1/pages')).body.items).toEqual([]);
      });

      it('draft → publish → edit draft (published unchanged) → publish → versions; unpublish removes the search document', async () => {
        const a = api(comms);
        const created = await a('POST', '/api/v1/pages', {
          slug: 'kirjaston-aukiolo',
          title: { fi: 'Kirjaston aukiolo', sv: 'Bibliotekets öppettider' },
          summary: { fi: 'Milloin kirjasto on auki.' },
          body: { fi: '<p>Auki <strong>arkisin</strong>.</p><script>alert(1)</script><a href="javascript:alert(1)" onclick="x">klikkaa</a>' },
          topic: 'P3.4',
        });
        expect(created.status).toBe(201);
        const id = created.body.id;
        // Sanitized on save.
        expect(created.body.body.fi).toBe('<p>Auki <strong>arkisin</strong>.</p>klikkaa');
        expect(created.body.published).toBeNull();
        expect(await searchDoc('page', id)).toBeUndefined();
        expect((await a('POST', '/api/v1/pages', { slug: 'kirjaston-aukiolo', title: { fi: 'Sama' } })).status).toBe(409);
        expect((await a('POST', '/api/v1/pages', { slug: 'Huono Slug', title: { fi: 'x' } })).body.error.fields.slug).toBe('invalid_slug');

        const before = await version();
        const pub = await a('POST', `/api/v1/pages/${id}/publish`, {});
        expect(pub.status).toBe(200);
        expect(pub.body.published.title.fi).toBe('Kirjaston aukiolo');
        expect(pub.body.publishedAt).not.toBeNull();
        expect(await version()).toBeGreaterThan(before);
        expect((await searchDoc('page', id)).names.fi).toBe('Kirjaston aukiolo');

        const saved = await a('PATCH', `/api/v1/pages/${id}`, {
          updatedAt: pub.body.updatedAt,
          title: { fi: 'Kirjaston aukioloajat', sv: 'Bibliotekets öppettider' },
          body: { fi: '<p>Uusi teksti</p><img src=x onerror=alert(1)>' },
        });
        expect(saved.status).toBe(200);
        expect(saved.body.version).toBe(2);
        expect(saved.body.body.fi).toBe('<p>Uusi teksti</p>');
        expect(saved.body.published.title.fi).toBe('Kirjaston aukiolo');
        expect((await searchDoc('page', id)).names.fi).toBe('Kirjaston aukiolo');
        // A stale save is refused.
        expect((await a('PATCH', `/api/v1/pages/${id}`, { updatedAt: pub.body.updatedAt, title: { fi: 'Vanha' } })).status).toBe(409);

        const pub2 = await a('POST', `/api/v1/pages/${id}/publish`, { updatedAt: saved.body.updatedAt });
        expect(pub2.body.published).toMatchObject({ title: { fi: 'Kirjaston aukioloajat' }, version: 2 });
        expect((await searchDoc('page', id)).names.fi).toBe('Kirjaston aukioloajat');

        const versions = await a('GET', `/api/v1/pages/${id}/versions`);
        expect(versions.status).toBe(200);
        expect(versions.body.items.map((v: Json) => v.action)).toEqual(['publish', 'save', 'publish', 'create']);
        expect(versions.body.items[1]).toMatchObject({ version: 2, changedBy: 'Veera Viestintä', changedFields: ['title.fi', 'body.fi'] });
        const old = await a('GET', `/api/v1/pages/${id}/versions/${versions.body.items[3].id}`);
        expect(old.body.title.fi).toBe('Kirjaston aukiolo');

        const v3 = await version();
        const un = await a('POST', `/api/v1/pages/${id}/unpublish`, {});
        expect(un.body.published).toBeNull();
        expect(await searchDoc('page', id)).toBeUndefined();
        expect(await version()).toBeGreaterThan(v3);
        expect((await a('GET', `/api/v1/pages/${id}/versions`)).body.items[0].action).toBe('unpublish');
        expect(await audits('content.page_published', id)).toBe(2);
        expect((await api(adminB, HOST_B)('GET', `/api/v1/pages/${id}`)).status).toBe(404);
        expect((await api(adminB, HOST_B)('POST', `/api/v1/pages/${id}/publish`, {})).status).toBe(404);
      });
    });

    describe('synonyms and promoted answers', () => {
      it('adds (normalized), lists, refuses duplicates and deletes synonyms', async () => {
        const a = api(comms);
        const added = await a('POST', '/api/v1/catalog/synonyms', { lang: 'fi', term: '  Muumi-Talo ', expansion: 'Kulttuuritalo' });
        expect(added.status).toBe(201);
        expect(added.body).toMatchObject({ lang: 'fi', term: 'muumi-talo', expansion: 'kulttuuritalo' });
        const dup = await a('POST', '/api/v1/catalog/synonyms', { lang: 'fi', term: 'muumi-talo', expansion: 'kulttuuritalo' });
        expect(dup.status).toBe(409);
        expect(dup.body.error.fields).toEqual({ term: 'duplicate' });
        expect((await a('POST', '/api/v1/catalog/synonyms', { lang: 'fi', term: 'x'.repeat(61), expansion: 'y' })).body.error.fields.term).toBe('too_long');
        expect((await a('POST', '/api/v1/catalog/synonyms', { lang: 'fi', term: 'sama', expansion: 'SAMA' })).body.error.fields.expansion).toBe('same_as_term');
        expect((await a('POST', '/api/v1/catalog/synonyms', { lang: 'de', term: 'a', expansion: 'b' })).status).toBe(400);
        const list = await a('GET', '/api/v1/catalog/synonyms?lang=fi');
        expect(list.body.items.some((s: Json) => s.id === added.body.id)).toBe(true);
        expect((await api(adminB, HOST_B)('DELETE', `/api/v1/catalog/synonyms/${added.body.id}`)).status).toBe(404);
        expect((await a('DELETE', `/api/v1/catalog/synonyms/${added.body.id}`)).status).toBe(204);
        expect((await a('DELETE', `/api/v1/catalog/synonyms/${added.body.id}`)).status).toBe(404);
      });

      it('adds and deletes promoted answers pointing at a service of the tenant only', async () => {
        const a = api(comms);
        const { body: s } = await a('POST', '/api/v1/catalog/services', { ...localService, names: { fi: 'Nostettu palvelu' } });
        const p = await a('POST', '/api/v1/catalog/promotions', { lang: 'fi', phrase: 'Museo', kind: 'service', refId: s.id });
        expect(p.status).toBe(201);
        expect(p.body).toMatchObject({ phrase: 'museo', targetNames: { fi: 'Nostettu palvelu' } });
        expect((await a('POST', '/api/v1/catalog/promotions', { lang: 'fi', phrase: 'museo', kind: 'service', refId: s.id })).status).toBe(409);
        expect((await a('POST', '/api/v1/catalog/promotions', { lang: 'fi', phrase: 'museo', kind: 'page', refId: s.id })).body.error.fields).toEqual({ refId: 'unknown_target' });
        const b = await api(adminB, HOST_B)('POST', '/api/v1/catalog/promotions', { lang: 'fi', phrase: 'museo', kind: 'service', refId: s.id });
        expect(b.status).toBe(400);
        expect((await a('DELETE', `/api/v1/catalog/promotions/${p.body.id}`)).status).toBe(204);
      });
    });

    describe('console pages', () => {
      it('communications staff use the list, edit and vocabulary pages; customer service gets 403', async () => {
        const c = await staffClient(app, HOST_A, 'viestinta@esimerkkila.fi');
        for (const path of ['/fi/staff/catalog/services', '/fi/staff/catalog/services/new', '/fi/staff/catalog/units', '/fi/staff/catalog/units/new', '/fi/staff/pages', '/fi/staff/pages/new', '/sv/staff/synonyms', '/fi/staff/promotions']) {
          expect((await c.get(path)).status, path).toBe(200);
        }
        const cs = await staffClient(app, HOST_A, 'asiakaspalvelu@esimerkkila.fi');
        for (const path of ['/fi/staff/catalog/services', '/fi/staff/pages', '/fi/staff/synonyms']) expect((await cs.get(path)).status, path).toBe(403);
      });

      it('creates a page through the form, saves with a stale updatedAt → 409 with the text kept, publishes', async () => {
        const c = await staffClient(app, HOST_A, 'viestinta@esimerkkila.fi');
        const created = await c.post('/fi/staff/pages/new', { slug: 'lomakkeella', 'title.fi': 'Lomakkeella luotu', 'body.fi': '<p>Hei<script>x</script></p>' });
        expect(created.status).toBe(302);
        const loc = created.headers.get('location')!;
        const id = loc.match(/pages\/([0-9a-f-]{36})/)![1];
        const page = await app.services.contentPages.get({ kind: 'system', label: 't' } as never, tenantA, id).catch(() => null);
        expect(page).toBeNull(); // a system actor is not an editor
        const row = (await db().query<Json>('select body, updated_at from content_pages where id = $1', [id])).rows[0];
        expect(row.body.fi).toBe('<p>Hei</p>');
        const stale = await c.post(`/fi/staff/pages/${id}`, { intent: 'save', updatedAt: '2020-01-01T00:00:00.000Z', 'title.fi': 'Minun versioni', 'body.fi': '<p>Minun tekstini</p>' });
        expect(stale.status).toBe(409);
        const html = await stale.text();
        expect(html).toContain('Minun tekstini');
        expect(html).toContain('Minun versioni');
        const pub = await c.post(`/fi/staff/pages/${id}`, { intent: 'publish', updatedAt: new Date(row.updated_at).toISOString() });
        expect(pub.status).toBe(302);
        expect((await searchDoc('page', id)).names.fi).toBe('Lomakkeella luotu');
        expect((await c.get(`/fi/staff/pages/${id}/history`)).status).toBe(200);
      });

      it('creates a unit through the form with weekly and exceptional hours; a bad time is shown next to its field', async () => {
        const c = await staffClient(app, HOST_A, 'viestinta@esimerkkila.fi');
        const base = {
          kind: 'service_location',
          status: 'published',
          'names.fi': 'Lomakkeen toimipiste',
          'address.street.fi': 'Lomakekatu',
          'address.streetNumber': '5',
          'address.postalCode': '00100',
          'address.postOffice.fi': 'Esimerkkilä',
          latitude: '60,17',
          longitude: '24.94',
          'phones.0.number': '+358 9 123 4567',
          'hours.Monday.from': '08:00',
          'hours.Monday.to': '16:00',
          'hours.Tuesday.from': '08:00',
          'hours.Tuesday.to': '16:00',
          exceptionRows: '2',
          'ex.0.validFrom': '2026-12-24',
          'ex.0.closed': 'on',
          'ex.0.info': 'Jouluaatto',
          'ex.1.validFrom': '2026-12-31',
          'ex.1.from': '08:00',
          'ex.1.to': '12:00',
        };
        const bad = await c.post('/fi/staff/catalog/units/new', { ...base, 'hours.Tuesday.to': '7:00' });
        expect(bad.status).toBe(400);
        const html = await bad.text();
        expect(html).toContain('id="f-hours-Tuesday-to-error"');
        expect(html).toContain('Lomakekatu');
        const ok = await c.post('/fi/staff/catalog/units/new', base);
        expect(ok.status).toBe(302);
        const id = ok.headers.get('location')!.match(/units\/([0-9a-f-]{36})/)![1];
        const got = (await api(comms)('GET', `/api/v1/catalog/channels/${id}`)).body;
        expect(got.latitude).toBeCloseTo(60.17);
        expect(got.serviceHours).toEqual([
          { type: 'regular', validFrom: null, validTo: null, isClosed: false, info: {}, hours: [
            { dayFrom: 'Monday', dayTo: null, from: '08:00', to: '16:00' },
            { dayFrom: 'Tuesday', dayTo: null, from: '08:00', to: '16:00' },
          ] },
          { type: 'exceptional', validFrom: '2026-12-24', validTo: null, isClosed: true, hours: [], info: { fi: 'Jouluaatto' } },
          { type: 'exceptional', validFrom: '2026-12-31', validTo: null, isClosed: false, hours: [{ dayFrom: 'Monday', dayTo: 'Sunday', from: '08:00', to: '12:00' }], info: {} },
        ]);
        expect((await searchDoc('unit', id)).names.fi).toBe('Lomakkeen toimipiste');
        expect((await c.get(`/fi/staff/catalog/units/${id}`)).status).toBe(200);
      });

      it('creates a local service through the form and edits it; an imported one takes only local keywords', async () => {
        const c = await staffClient(app, HOST_A, 'viestinta@esimerkkila.fi');
        const created = await c.post('/fi/staff/catalog/services/new', {
          type: 'Service',
          status: 'published',
          'names.fi': 'Lomakepalvelu',
          'summary.fi': 'Tiivistelmä',
          'keywords.fi': 'yksi\nkaksi\n',
          languages: ['fi', 'sv'],
        });
        expect(created.status).toBe(302);
        const id = created.headers.get('location')!.match(/services\/([0-9a-f-]{36})/)![1];
        const s = (await api(comms)('GET', `/api/v1/catalog/services/${id}`)).body;
        expect(s).toMatchObject({ status: 'published', keywords: { fi: ['yksi', 'kaksi'] }, languages: ['fi', 'sv'] });
        const edited = await c.post(`/fi/staff/catalog/services/${id}`, { updatedAt: s.updatedAt, type: 'Service', status: 'draft', 'names.fi': 'Lomakepalvelu 2' });
        expect(edited.status).toBe(302);
        expect(await searchDoc('service', id)).toBeUndefined();
        const imported = (await db().query<{ id: string; updated_at: Date }>(`select id, updated_at from catalog_services where external_id = 'ptv-test-0001' and tenant_id = $1`, [tenantA])).rows[0];
        const page = await c.get(`/fi/staff/catalog/services/${imported.id}`);
        expect(await page.text()).toContain('Muokkaa niitä PTV:ssä');
        const cur = (await api(comms)('GET', `/api/v1/catalog/services/${imported.id}`)).body;
        const local = await c.post(`/fi/staff/catalog/services/${imported.id}`, { intent: 'local', updatedAt: cur.updatedAt, 'localKeywords.fi': 'lomakkeelta' });
        expect(local.status).toBe(302);
        expect((await api(comms)('GET', `/api/v1/catalog/services/${imported.id}`)).body.localKeywords).toEqual({ fi: ['lomakkeelta'] });
      });

      it('adds a synonym through the form and shows a friendly duplicate error', async () => {
        const c = await staffClient(app, HOST_A, 'viestinta@esimerkkila.fi');
        const ok = await c.post('/fi/staff/synonyms', { intent: 'add', lang: 'fi', term: 'Kirkkis', expansion: 'kirkonkylä' });
        expect([200, 302, 303]).toContain(ok.status);
        const dup = await c.post('/fi/staff/synonyms', { intent: 'add', lang: 'fi', term: 'kirkkis', expansion: 'kirkonkylä' });
        expect(dup.status).toBe(409);
        expect(await dup.text()).toContain('on jo listalla');
      });
    });
  });
}
