import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/platform/crypto.ts';
import { engines } from '../helpers/engines.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { formBody, signInAs, type StaffSession } from '../helpers/staff-session.ts';

type Json = Record<string, any>;

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`staff administration on ${engine.name}`, () => {
    let app: TestApp;
    let adminA: StaffSession;
    let commsA: StaffSession;
    let adminB: StaffSession;
    let tenantB: string;

    beforeAll(async () => {
      app = await startTestApp(engine.name);
      adminA = await signInAs(app, HOST_A, 'admin@esimerkkila.fi');
      commsA = await signInAs(app, HOST_A, 'viestinta@esimerkkila.fi');
      adminB = await signInAs(app, HOST_B, 'admin@jarvikyla.fi');
      tenantB = adminB.tenantId;
    });
    afterAll(async () => {
      await app?.close();
    });

    /** JSON API call as a session (or anonymous with null, or a bearer token string). */
    const api = (who: StaffSession | string | null, host = HOST_A) =>
      async (method: string, path: string, body?: unknown, raw?: string) => {
        const headers: Record<string, string> =
          who === null ? {} : typeof who === 'string' ? { authorization: `Bearer ${who}` } : { cookie: who.cookie, 'x-csrf-token': who.csrf };
        if (body !== undefined || raw !== undefined) headers['content-type'] = 'application/json';
        const res = await hostFetch(app, host)(path, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
        const text = await res.text();
        return { status: res.status, body: (text ? JSON.parse(text) : null) as Json };
      };

    const auditRows = async (tenantId: string, action: string, targetId: string) =>
      (
        await app.services.db.query<Json>('select * from audit_log where tenant_id = $1 and action = $2 and target_id = $3', [tenantId, action, targetId])
      ).rows;

    const unitId = async (tenantId: string, fiName: string) =>
      (await app.services.db.query<{ id: string }>(`select id from org_units where tenant_id = $1 and names->>'fi' = $2`, [tenantId, fiName])).rows[0].id;

    const userId = async (tenantId: string, email: string) =>
      (await app.services.db.query<{ id: string }>(`select id from staff_users where tenant_id = $1 and email = $2`, [tenantId, email])).rows[0].id;

    describe('API authorization', () => {
      it('answers anonymous callers with 401 in the error shape', async () => {
        for (const path of ['/api/v1/org-units', '/api/v1/staff-users']) {
          const r = await api(null)('GET', path);
          expect(r.status).toBe(401);
          expect(r.body).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
        }
      });

      it('refuses staff without tenant_admin with 403, reading and writing', async () => {
        const c = api(commsA);
        expect((await c('GET', '/api/v1/org-units')).status).toBe(403);
        expect((await c('GET', '/api/v1/staff-users')).status).toBe(403);
        const post = await c('POST', '/api/v1/staff-users', { name: 'X', email: 'x@example.fi' });
        expect(post.status).toBe(403);
        expect(post.body.error.code).toBe('forbidden');
        const count = await app.services.db.query(`select 1 from staff_users where email = 'x@example.fi'`);
        expect(count.rows.length).toBe(0);
      });

      it('requires the CSRF header on cookie-authenticated writes', async () => {
        const r = await hostFetch(app, HOST_A)('/api/v1/org-units', {
          method: 'POST',
          headers: { cookie: adminA.cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ kind: 'other', names: { fi: 'Ilman tokenia' } }),
        });
        expect(r.status).toBe(403);
        expect((await r.json()).error.code).toBe('csrf_failed');
      });

      it('lets integration tokens in by scope', async () => {
        const tokens = app.services.apiTokens;
        const { token } = await tokens.create(app.services.db, adminA.tenantId, 'org sync', ['admin:org-units'], null);
        const t = api(token);
        expect((await t('GET', '/api/v1/org-units')).status).toBe(200);
        const users = await t('GET', '/api/v1/staff-users');
        expect(users.status).toBe(403);
        expect(users.body.error.requiredScope).toBe('admin:users');
        // A token is bound to its tenant: on another host it does not authenticate at all.
        expect((await api(token, HOST_B)('GET', '/api/v1/org-units')).status).toBe(401);
      });
    });

    describe('org units', () => {
      it('lists the tree with children nested under their parents', async () => {
        const r = await api(adminA)('GET', '/api/v1/org-units');
        expect(r.status).toBe(200);
        const education = r.body.items.find((u: Json) => u.names.fi === 'Kasvatus ja koulutus');
        expect(education.kind).toBe('department');
        expect(education.depth).toBe(0);
        expect(education.children.map((c: Json) => c.names.fi).sort()).toEqual(['Päiväkoti Kuusela', 'Päiväkoti Satakieli']);
        expect(education.children[0].depth).toBe(1);
        // Tenant B's units never appear.
        expect(JSON.stringify(r.body)).not.toContain('Järvikylä');
      });

      it('creates, renames, moves and deletes a unit, auditing each change', async () => {
        const a = api(adminA);
        const parent = await unitId(adminA.tenantId, 'Asiakaspalvelu');
        const created = await a('POST', '/api/v1/org-units', { parentId: parent, kind: 'service_point', names: { fi: ' Palvelupiste Asema ', sv: 'Servicepunkten Stationen' } });
        expect(created.status).toBe(201);
        expect(created.body).toMatchObject({ parentId: parent, kind: 'service_point', names: { fi: 'Palvelupiste Asema', sv: 'Servicepunkten Stationen' } });
        const id = created.body.id;
        expect(await auditRows(adminA.tenantId, 'admin.org_unit_created', id)).toHaveLength(1);

        const got = await a('GET', `/api/v1/org-units/${id}`);
        expect(got.body.ancestors).toEqual([parent]);
        expect(await app.services.orgUnits.ancestors(adminA.tenantId, id)).toEqual([id, parent]);

        const renamed = await a('PATCH', `/api/v1/org-units/${id}`, { names: { fi: 'Palvelupiste Rautatieasema' } });
        expect(renamed.status).toBe(200);
        expect(renamed.body.names).toEqual({ fi: 'Palvelupiste Rautatieasema', sv: 'Servicepunkten Stationen' });
        const cleared = await a('PATCH', `/api/v1/org-units/${id}`, { names: { sv: null } });
        expect(cleared.body.names).toEqual({ fi: 'Palvelupiste Rautatieasema' });
        const noDefault = await a('PATCH', `/api/v1/org-units/${id}`, { names: { fi: '  ' } });
        expect(noDefault.status).toBe(400);
        expect(noDefault.body.error.fields).toEqual({ 'names.fi': 'required' });
        expect(await auditRows(adminA.tenantId, 'admin.org_unit_updated', id)).toHaveLength(2);

        const moved = await a('PATCH', `/api/v1/org-units/${id}`, { parentId: null });
        expect(moved.status).toBe(200);
        expect(moved.body.parentId).toBeNull();
        const moveAudit = await auditRows(adminA.tenantId, 'admin.org_unit_moved', id);
        expect(moveAudit[0].details).toMatchObject({ from: parent, to: null });
        expect(moveAudit[0].actor_id).toBe(adminA.userId);

        const del = await a('DELETE', `/api/v1/org-units/${id}`);
        expect(del.status).toBe(204);
        expect((await a('GET', `/api/v1/org-units/${id}`)).status).toBe(404);
        expect(await auditRows(adminA.tenantId, 'admin.org_unit_deleted', id)).toHaveLength(1);
      });

      it('refuses a move that would make a cycle', async () => {
        const a = api(adminA);
        const education = await unitId(adminA.tenantId, 'Kasvatus ja koulutus');
        const daycare = await unitId(adminA.tenantId, 'Päiväkoti Kuusela');
        const intoChild = await a('PATCH', `/api/v1/org-units/${education}`, { parentId: daycare });
        expect(intoChild.status).toBe(409);
        expect(intoChild.body.error).toMatchObject({ code: 'conflict', reason: 'cycle', fields: { parentId: 'cycle' } });
        const intoSelf = await a('PATCH', `/api/v1/org-units/${education}`, { parentId: education });
        expect(intoSelf.status).toBe(409);
        const after = await a('GET', `/api/v1/org-units/${education}`);
        expect(after.body.parentId).toBeNull();
      });

      it('refuses to delete a unit with children or role grants', async () => {
        const a = api(adminA);
        const education = await unitId(adminA.tenantId, 'Kasvatus ja koulutus');
        const r1 = await a('DELETE', `/api/v1/org-units/${education}`);
        expect(r1.status).toBe(409);
        expect(r1.body.error.reason).toBe('has_children');
        const satakieli = await unitId(adminA.tenantId, 'Päiväkoti Satakieli');
        const r2 = await a('DELETE', `/api/v1/org-units/${satakieli}`);
        expect(r2.status).toBe(409);
        expect(r2.body.error.reason).toBe('has_role_grants');
        expect((await a('GET', `/api/v1/org-units/${satakieli}`)).status).toBe(200);
      });

      it('answers bad input with 400 naming the field', async () => {
        const a = api(adminA);
        const malformed = await a('POST', '/api/v1/org-units', undefined, '{"kind": ');
        expect(malformed.status).toBe(400);
        expect(malformed.body.error.code).toBe('malformed_json');
        const wrongType = await a('POST', '/api/v1/org-units', { kind: 5, names: 'x' });
        expect(wrongType.status).toBe(400);
        expect(wrongType.body.error.code).toBe('validation_failed');
        expect(Object.keys(wrongType.body.error.fields).sort()).toEqual(['kind', 'names']);
        const noName = await a('POST', '/api/v1/org-units', { kind: 'other', names: { sv: 'Bara svenska' } });
        expect(noName.status).toBe(400);
        expect(noName.body.error.fields).toEqual({ 'names.fi': 'required' });
        const badParent = await a('POST', '/api/v1/org-units', { kind: 'other', names: { fi: 'Orpo' }, parentId: 'nope' });
        expect(badParent.status).toBe(400);
        expect(badParent.body.error.fields).toEqual({ parentId: 'unknown_org_unit' });
        const badPatch = await a('PATCH', `/api/v1/org-units/${await unitId(adminA.tenantId, 'Asiakaspalvelu')}`, { kind: 'castle' });
        expect(badPatch.status).toBe(400);
        expect(badPatch.body.error.fields.kind).toBeDefined();
        const arrayBody = await a('POST', '/api/v1/org-units', [1, 2]);
        expect(arrayBody.status).toBe(400);
        expect(arrayBody.body.error.code).toBe('validation_failed');
      });

      it('answers ids that are not UUIDs, and unknown ids, with 404', async () => {
        const a = api(adminA);
        for (const path of ['/api/v1/org-units/123', "/api/v1/org-units/'%20or%201=1", '/api/v1/org-units/00000000-0000-0000-0000-000000000000']) {
          const r = await a('GET', path);
          expect(r.status).toBe(404);
          expect(r.body.error.code).toBe('not_found');
        }
        expect((await a('PATCH', '/api/v1/org-units/abc', { names: { fi: 'x' } })).status).toBe(404);
        expect((await a('DELETE', '/api/v1/org-units/abc')).status).toBe(404);
      });
    });

    describe('staff users', () => {
      it('lists users with their roles', async () => {
        const r = await api(adminA)('GET', '/api/v1/staff-users');
        expect(r.status).toBe(200);
        const unitStaff = r.body.items.find((u: Json) => u.email === 'paivakoti@esimerkkila.fi');
        expect(unitStaff.grants).toEqual([
          { id: expect.any(String), role: 'unit_staff', orgUnitId: await unitId(adminA.tenantId, 'Päiväkoti Satakieli'), createdAt: expect.any(String) },
        ]);
        expect(r.body.items.some((u: Json) => u.email === 'admin@jarvikyla.fi')).toBe(false);
        expect(JSON.stringify(r.body)).not.toContain('password');
      });

      it('creates a user and e-mails an invite link in their language with a 7-day token', async () => {
        const r = await api(adminA)('POST', '/api/v1/staff-users', { name: 'Sara Svensson', email: ' Sara.Svensson@Esimerkkila.FI ', preferredLanguage: 'sv' });
        expect(r.status).toBe(201);
        expect(r.body).toMatchObject({ name: 'Sara Svensson', email: 'sara.svensson@esimerkkila.fi', preferredLanguage: 'sv', active: true, grants: [] });
        const id = r.body.id;

        const tokens = await app.services.db.query<Json>(
          `select token_hash, tenant_id, used_at, extract(epoch from (expires_at - now()))::int as ttl from one_time_tokens where purpose = 'password_reset' and subject = $1`,
          [id],
        );
        expect(tokens.rows).toHaveLength(1);
        expect(tokens.rows[0].tenant_id).toBe(adminA.tenantId);
        expect(tokens.rows[0].used_at).toBeNull();
        expect(Math.abs(tokens.rows[0].ttl - 7 * 24 * 3600)).toBeLessThan(120);

        const mail = await waitForMail('sara.svensson@esimerkkila.fi');
        expect(mail.tenant_id).toBe(adminA.tenantId);
        expect(mail.subject).toContain('Exempelby stad');
        expect(mail.body_text).toContain('Hej Sara Svensson');
        const link = /(http:\/\/\S+)/.exec(mail.body_text)![1];
        const url = new URL(link);
        expect(url.host).toBe(HOST_A);
        expect(url.pathname).toBe('/sv/staff/reset-password');
        expect(sha256(url.searchParams.get('token')!)).toBe(tokens.rows[0].token_hash);

        const audit = await auditRows(adminA.tenantId, 'admin.user_created', id);
        expect(audit).toHaveLength(1);
        expect(audit[0]).toMatchObject({ actor_kind: 'staff', actor_id: adminA.userId, target_kind: 'staff_user' });
      });

      it('resends the invite with a fresh token and voids the old one', async () => {
        const id = await userId(adminA.tenantId, 'sara.svensson@esimerkkila.fi');
        const r = await api(adminA)('POST', `/api/v1/staff-users/${id}/invite`);
        expect(r.status).toBe(204);
        const tokens = await app.services.db.query<Json>(
          `select used_at from one_time_tokens where purpose = 'password_reset' and subject = $1 order by created_at`,
          [id],
        );
        expect(tokens.rows).toHaveLength(2);
        expect(tokens.rows[0].used_at).not.toBeNull();
        expect(tokens.rows[1].used_at).toBeNull();
        for (let i = 0; i < 100; i++) {
          const mails = await app.services.db.query('select 1 from outbox_messages where recipient = $1', ['sara.svensson@esimerkkila.fi']);
          if (mails.rows.length === 2) break;
          await new Promise((res) => setTimeout(res, 100));
        }
        expect((await app.services.db.query('select 1 from outbox_messages where recipient = $1', ['sara.svensson@esimerkkila.fi'])).rows).toHaveLength(2);
        expect(await auditRows(adminA.tenantId, 'admin.user_invited', id)).toHaveLength(1);
        expect((await api(adminA)('POST', `/api/v1/staff-users/${adminB.userId}/invite`)).status).toBe(404);
        expect((await api(commsA)('POST', `/api/v1/staff-users/${id}/invite`)).status).toBe(403);
      });

      it('refuses a second account with the same e-mail in the tenant, in any letter case', async () => {
        const r = await api(adminA)('POST', '/api/v1/staff-users', { name: 'Toinen Admin', email: 'ADMIN@esimerkkila.fi' });
        expect(r.status).toBe(409);
        expect(r.body.error).toMatchObject({ code: 'conflict', fields: { email: 'email_taken' } });
        // The same address is fine in another tenant.
        const b = await api(adminB, HOST_B)('POST', '/api/v1/staff-users', { name: 'Aino Lainattu', email: 'admin@esimerkkila.fi' });
        expect(b.status).toBe(201);
      });

      it('validates user input field by field', async () => {
        const a = api(adminA);
        const r = await a('POST', '/api/v1/staff-users', { name: '', email: 'not-an-address', preferredLanguage: 'de' });
        expect(r.status).toBe(400);
        expect(r.body.error.fields).toEqual({ name: 'required', email: 'invalid_email', preferredLanguage: 'invalid_language' });
        const types = await a('POST', '/api/v1/staff-users', { name: 42, email: ['a'] });
        expect(types.status).toBe(400);
        expect(types.body.error.fields).toMatchObject({ name: 'invalid_type', email: 'invalid_type' });
        // Järvikylä speaks Finnish only.
        const lang = await api(adminB, HOST_B)('POST', '/api/v1/staff-users', { name: 'Sven', email: 'sven@jarvikyla.fi', preferredLanguage: 'sv' });
        expect(lang.status).toBe(400);
        expect(lang.body.error.fields).toEqual({ preferredLanguage: 'not_enabled' });
        const patch = await a('PATCH', `/api/v1/staff-users/${commsA.userId}`, { active: 'no' });
        expect(patch.status).toBe(400);
        expect(patch.body.error.fields).toEqual({ active: 'invalid_type' });
      });

      it('edits name and e-mail, and audits which fields changed', async () => {
        const id = await userId(adminA.tenantId, 'moderaattori@esimerkkila.fi');
        const r = await api(adminA)('PATCH', `/api/v1/staff-users/${id}`, { name: 'Mikko Moderaattori-Uusi' });
        expect(r.status).toBe(200);
        expect(r.body.name).toBe('Mikko Moderaattori-Uusi');
        const audit = await auditRows(adminA.tenantId, 'admin.user_updated', id);
        expect(audit.at(-1)!.details).toEqual({ fields: ['name'] });
        const taken = await api(adminA)('PATCH', `/api/v1/staff-users/${id}`, { email: 'viestinta@esimerkkila.fi' });
        expect(taken.status).toBe(409);
      });

      it('grants a unit-scoped role and revokes it', async () => {
        const a = api(adminA);
        const id = await userId(adminA.tenantId, 'asiakaspalvelu@esimerkkila.fi');
        const unit = await unitId(adminA.tenantId, 'Palvelupiste Torikulma');
        const g = await a('POST', `/api/v1/staff-users/${id}/grants`, { role: 'unit_staff', orgUnitId: unit });
        expect(g.status).toBe(201);
        expect(g.body).toMatchObject({ role: 'unit_staff', orgUnitId: unit });
        expect((await auditRows(adminA.tenantId, 'admin.role_granted', id))[0].details).toMatchObject({ grantId: g.body.id, role: 'unit_staff', orgUnitId: unit });

        // The grant is live for the access rules: unit staff of Torikulma, not of the daycare.
        const user = (await app.services.sessions.loadStaffUser(adminA.tenantId, id))!;
        const { hasRole } = await import('../../src/modules/identity/access.ts');
        expect(hasRole(user, 'unit_staff', await app.services.orgUnits.ancestors(adminA.tenantId, unit))).toBe(true);
        expect(hasRole(user, 'unit_staff', await app.services.orgUnits.ancestors(adminA.tenantId, await unitId(adminA.tenantId, 'Päiväkoti Kuusela')))).toBe(false);

        const dup = await a('POST', `/api/v1/staff-users/${id}/grants`, { role: 'unit_staff', orgUnitId: unit });
        expect(dup.status).toBe(409);
        const badRole = await a('POST', `/api/v1/staff-users/${id}/grants`, { role: 'overlord' });
        expect(badRole.status).toBe(400);
        expect(badRole.body.error.fields).toEqual({ role: 'invalid_role' });
        const badUnit = await a('POST', `/api/v1/staff-users/${id}/grants`, { role: 'moderator', orgUnitId: 'abc' });
        expect(badUnit.status).toBe(400);
        expect(badUnit.body.error.fields).toEqual({ orgUnitId: 'unknown_org_unit' });

        const del = await a('DELETE', `/api/v1/staff-users/${id}/grants/${g.body.id}`);
        expect(del.status).toBe(204);
        expect(await auditRows(adminA.tenantId, 'admin.role_revoked', id)).toHaveLength(1);
        expect((await a('DELETE', `/api/v1/staff-users/${id}/grants/${g.body.id}`)).status).toBe(404);
        expect((await a('DELETE', `/api/v1/staff-users/${id}/grants/not-a-uuid`)).status).toBe(404);
      });

      it('deactivation signs the person out everywhere; reactivation lets them in again', async () => {
        const a = api(adminA);
        const created = await a('POST', '/api/v1/staff-users', { name: 'Tilapäinen Työntekijä', email: 'tilapainen@esimerkkila.fi' });
        const id = created.body.id;
        await a('POST', `/api/v1/staff-users/${id}/grants`, { role: 'tenant_admin' });
        const temp = await signInAs(app, HOST_A, 'tilapainen@esimerkkila.fi');
        expect((await api(temp)('GET', '/api/v1/staff-users')).status).toBe(200);

        const off = await a('PATCH', `/api/v1/staff-users/${id}`, { active: false });
        expect(off.status).toBe(200);
        expect(off.body.active).toBe(false);
        const sessions = await app.services.db.query('select 1 from sessions where staff_user_id = $1', [id]);
        expect(sessions.rows).toHaveLength(0);
        expect((await api(temp)('GET', '/api/v1/staff-users')).status).toBe(401);
        const invite = await app.services.db.query<Json>(`select used_at from one_time_tokens where subject = $1`, [id]);
        expect(invite.rows[0].used_at).not.toBeNull();
        expect(await auditRows(adminA.tenantId, 'admin.user_deactivated', id)).toHaveLength(1);

        const on = await a('PATCH', `/api/v1/staff-users/${id}`, { active: true });
        expect(on.body.active).toBe(true);
        expect(await auditRows(adminA.tenantId, 'admin.user_reactivated', id)).toHaveLength(1);
      });

      it('never lets a tenant lose its last admin', async () => {
        const b = api(adminB, HOST_B);
        // An admin cannot deactivate themselves nor drop their own admin grant.
        const self = await b('PATCH', `/api/v1/staff-users/${adminB.userId}`, { active: false });
        expect(self.status).toBe(409);
        expect(self.body.error.reason).toBe('cannot_deactivate_self');
        const me = await b('GET', `/api/v1/staff-users/${adminB.userId}`);
        const adminGrant = me.body.grants.find((g: Json) => g.role === 'tenant_admin');
        const own = await b('DELETE', `/api/v1/staff-users/${adminB.userId}/grants/${adminGrant.id}`);
        expect(own.status).toBe(409);
        expect(own.body.error.reason).toBe('cannot_revoke_own_admin');

        // Nor can an integration token take the tenant's only admin away.
        const { token } = await app.services.apiTokens.create(app.services.db, tenantB, 'hr sync', ['admin:users'], null);
        const t = api(token, HOST_B);
        const revoke = await t('DELETE', `/api/v1/staff-users/${adminB.userId}/grants/${adminGrant.id}`);
        expect(revoke.status).toBe(409);
        expect(revoke.body.error.reason).toBe('last_admin');
        const deactivate = await t('PATCH', `/api/v1/staff-users/${adminB.userId}`, { active: false });
        expect(deactivate.status).toBe(409);
        expect(deactivate.body.error.reason).toBe('last_admin');

        const after = await b('GET', `/api/v1/staff-users/${adminB.userId}`);
        expect(after.body.active).toBe(true);
        expect(after.body.grants.some((g: Json) => g.id === adminGrant.id)).toBe(true);
        // The token's refused attempts left no audit trail of changes that did not happen.
        expect(await auditRows(tenantB, 'admin.role_revoked', adminB.userId)).toHaveLength(0);
      });

      it('lets one admin demote another when an admin remains', async () => {
        const a = api(adminA);
        const created = await a('POST', '/api/v1/staff-users', { name: 'Varapääkäyttäjä', email: 'vara@esimerkkila.fi' });
        const g = await a('POST', `/api/v1/staff-users/${created.body.id}/grants`, { role: 'tenant_admin' });
        expect((await a('DELETE', `/api/v1/staff-users/${created.body.id}/grants/${g.body.id}`)).status).toBe(204);
      });
    });

    describe('tenant isolation in the API', () => {
      it("404s every read and write of another tenant's unit and user, and changes nothing", async () => {
        const a = api(adminA);
        const unitB = (await app.services.db.query<{ id: string; names: Json; parent_id: string | null }>('select id, names, parent_id from org_units where tenant_id = $1 order by id limit 1', [tenantB])).rows[0];
        const userB = adminB.userId;
        const grantB = (await app.services.db.query<{ id: string }>('select id from role_grants where tenant_id = $1 and user_id = $2', [tenantB, userB])).rows[0].id;
        const ownUnit = await unitId(adminA.tenantId, 'Asiakaspalvelu');

        const attempts = [
          await a('GET', `/api/v1/org-units/${unitB.id}`),
          await a('PATCH', `/api/v1/org-units/${unitB.id}`, { names: { fi: 'Kaapattu' } }),
          await a('DELETE', `/api/v1/org-units/${unitB.id}`),
          await a('GET', `/api/v1/staff-users/${userB}`),
          await a('PATCH', `/api/v1/staff-users/${userB}`, { name: 'Kaapattu', active: false }),
          await a('POST', `/api/v1/staff-users/${userB}/grants`, { role: 'communications' }),
          await a('DELETE', `/api/v1/staff-users/${userB}/grants/${grantB}`),
        ];
        for (const r of attempts) {
          expect(r.status).toBe(404);
          expect(r.body.error.code).toBe('not_found');
        }
        // Using B's unit as a parent or grant scope in A is an unknown unit, not a link across tenants.
        const asParent = await a('PATCH', `/api/v1/org-units/${ownUnit}`, { parentId: unitB.id });
        expect(asParent.status).toBe(400);
        const asScope = await a('POST', `/api/v1/staff-users/${commsA.userId}/grants`, { role: 'communications', orgUnitId: unitB.id });
        expect(asScope.status).toBe(400);

        const unitAfter = (await app.services.db.query<Json>('select names, parent_id from org_units where id = $1', [unitB.id])).rows[0];
        expect(unitAfter).toEqual({ names: unitB.names, parent_id: unitB.parent_id });
        const userAfter = (await app.services.db.query<Json>('select name, active from staff_users where id = $1', [userB])).rows[0];
        expect(userAfter).toEqual({ name: 'Jaana Järvinen', active: true });
        const grantsAfter = await app.services.db.query('select role from role_grants where tenant_id = $1 and user_id = $2', [tenantB, userB]);
        expect(grantsAfter.rows).toEqual([{ role: 'tenant_admin' }]);
        expect((await app.services.db.query('select 1 from audit_log where tenant_id = $1 and actor_id = $2', [tenantB, adminA.userId])).rows).toHaveLength(0);
      });
    });

    async function waitForMail(to: string): Promise<Json> {
      for (let i = 0; i < 100; i++) {
        const r = await app.services.db.query<Json>('select * from outbox_messages where recipient = $1 order by created_at desc', [to]);
        if (r.rows[0]) return r.rows[0];
        await new Promise((res) => setTimeout(res, 100));
      }
      throw new Error(`no mail to ${to}`);
    }

    /** A page request as a session (or anonymous): GET, or POST with form fields (the CSRF field added). */
    const page = (who: StaffSession | null, host = HOST_A) =>
      async (path: string, fields?: Record<string, string>) => {
        const headers: Record<string, string> = who ? { cookie: who.cookie } : {};
        if (!fields) {
          const res = await hostFetch(app, host)(path, { headers });
          return { status: res.status, html: text(await res.text()), location: res.headers.get('location') };
        }
        headers['content-type'] = 'application/x-www-form-urlencoded';
        const res = await hostFetch(app, host)(path, { method: 'POST', headers, body: formBody(who ?? { csrf: '' }, fields) });
        return { status: res.status, html: text(await res.text()), location: res.headers.get('location') };
      };
    // React separates adjacent text fragments with empty comments; assertions read the text.
    const text = (html: string) => html.replace(/<!-- -->/g, '');

    describe('console pages', () => {
      it('redirects anonymous visitors to the staff sign-in', async () => {
        for (const path of ['/fi/staff/users', '/fi/staff/org-units', `/fi/staff/users/${adminA.userId}`]) {
          const r = await page(null)(path);
          expect(r.status).toBe(302);
          expect(r.location).toBe(`/fi/staff/sign-in?next=${encodeURIComponent(path)}`);
        }
      });

      it('shows a localized forbidden page to staff who are not tenant admins, and refuses their posts', async () => {
        const fi = await page(commsA)('/fi/staff/users');
        expect(fi.status).toBe(403);
        expect(fi.html).toContain('Ei käyttöoikeutta');
        expect(fi.html).toContain('Henkilöstön työtila'); // still inside the console layout
        const sv = await page(commsA)('/sv/staff/org-units');
        expect(sv.status).toBe(403);
        expect(sv.html).toContain('Ingen behörighet');
        const en = await page(commsA)(`/en/staff/users/${adminA.userId}`);
        expect(en.status).toBe(403);
        expect(en.html).toContain('No access');
        const post = await page(commsA)('/fi/staff/users', { name: 'Luvaton', email: 'luvaton@esimerkkila.fi' });
        expect(post.status).toBe(403);
        expect((await app.services.db.query(`select 1 from staff_users where email = 'luvaton@esimerkkila.fi'`)).rows).toHaveLength(0);
      });

      it('lists users with their roles', async () => {
        const r = await page(adminA)('/fi/staff/users');
        expect(r.status).toBe(200);
        expect(r.html).toContain('<title>Käyttäjät ja roolit</title>');
        expect(r.html.match(/<h1[ >]/g)).toHaveLength(1);
        expect(r.html).toContain('Pirjo Päiväkoti');
        expect(r.html).toContain('Yksikön henkilöstö – Päiväkoti Satakieli');
        expect(r.html).toContain('Pääkäyttäjä – Koko organisaatio');
        expect(r.html).not.toContain('Jaana Järvinen');
        const sv = await page(adminA)('/sv/staff/users');
        expect(sv.html).toContain('Enhetens personal – Daghemmet Näktergalen');
      });

      it('creates a user from the form, shows field errors, and e-mails the invite in the tenant language', async () => {
        const bad = await page(adminA)('/fi/staff/users', { name: 'Kalle Kokeilija', email: 'ei-osoite' });
        expect(bad.status).toBe(400);
        expect(bad.html).toContain('id="email-error"');
        expect(bad.html).toMatch(/aria-describedby="email-error"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*aria-describedby="email-error"/);
        expect(bad.html).toContain('Anna sähköpostiosoite muodossa');
        expect(bad.html).toContain('value="Kalle Kokeilija"');

        const ok = await page(adminA)('/fi/staff/users', { name: 'Kalle Kokeilija', email: 'kalle@esimerkkila.fi', preferredLanguage: '' });
        expect(ok.status).toBe(302);
        const m = /^\/fi\/staff\/users\/([0-9a-f-]{36})\?notice=created$/.exec(ok.location ?? '');
        expect(m).not.toBeNull();
        const detail = await page(adminA)(ok.location!);
        expect(detail.status).toBe(200);
        expect(detail.html).toMatch(/role="status"[^>]*>Käyttäjä luotiin ja kutsu lähetettiin osoitteeseen kalle@esimerkkila.fi/);
        const mail = await waitForMail('kalle@esimerkkila.fi');
        expect(mail.subject).toContain('Esimerkkilän kaupunki');
        expect(mail.body_text).toContain(`http://${HOST_A}/fi/staff/reset-password?token=`);
        const tokens = await app.services.db.query(`select 1 from one_time_tokens where purpose = 'password_reset' and subject = $1`, [m![1]]);
        expect(tokens.rows).toHaveLength(1);
        expect(await auditRows(adminA.tenantId, 'admin.user_created', m![1])).toHaveLength(1);
      });

      it('edits, grants and revokes a unit-scoped role, and deactivates from the user page', async () => {
        const id = await userId(adminA.tenantId, 'kalle@esimerkkila.fi');
        const p = page(adminA);
        const path = `/fi/staff/users/${id}`;
        const view = await p(path);
        // The unit select lists the tree, indented by depth.
        expect(view.html).toMatch(/<option value="[0-9a-f-]{36}">(&nbsp;|\u00a0){3}– Päiväkoti Satakieli<\/option>/);

        const edited = await p(path, { intent: 'update', name: 'Kalle Kokeilija-Korhonen', email: 'kalle@esimerkkila.fi', preferredLanguage: 'sv' });
        expect(edited.status).toBe(200);
        expect(edited.html).toMatch(/role="status"[^>]*>Tiedot tallennettiin/);
        expect(edited.html).toContain('<h1>Kalle Kokeilija-Korhonen</h1>');

        const unit = await unitId(adminA.tenantId, 'Päiväkoti Kuusela');
        const granted = await p(path, { intent: 'grant', role: 'unit_staff', orgUnitId: unit });
        expect(granted.status).toBe(200);
        expect(granted.html).toMatch(/role="status"[^>]*>Rooli annettiin/);
        expect(granted.html).toContain('Päiväkoti Kuusela');
        const dup = await p(path, { intent: 'grant', role: 'unit_staff', orgUnitId: unit });
        expect(dup.status).toBe(409);
        expect(dup.html).toContain('id="role-error"');

        const grantId = (await app.services.db.query<{ id: string }>('select id from role_grants where user_id = $1', [id])).rows[0].id;
        const revoked = await p(path, { intent: 'revoke', grantId });
        expect(revoked.status).toBe(200);
        expect(revoked.html).toMatch(/role="status"[^>]*>Rooli poistettiin/);
        expect((await app.services.db.query('select 1 from role_grants where user_id = $1', [id])).rows).toHaveLength(0);

        expect(view.html).toContain('<dt>Salasana</dt><dd>ei vielä asetettu</dd>');
        const resent = await p(path, { intent: 'invite' });
        expect(resent.status).toBe(200);
        expect(resent.html).toMatch(/role="status"[^>]*>Salasanalinkki lähetettiin osoitteeseen kalle@esimerkkila.fi/);

        const off = await p(path, { intent: 'deactivate' });
        expect(off.status).toBe(200);
        expect(off.html).toMatch(/role="status"[^>]*>Tunnus poistettiin käytöstä/);
        expect(off.html).toContain('Ota tunnus uudelleen käyttöön');
        expect(await auditRows(adminA.tenantId, 'admin.user_deactivated', id)).toHaveLength(1);
      });

      it('explains last-admin protection on the admin\'s own page', async () => {
        const path = `/fi/staff/users/${adminA.userId}`;
        const view = await page(adminA)(path);
        expect(view.html).not.toContain('Poista tunnus käytöstä'); // no self-deactivation button
        const grantId = (await app.services.db.query<{ id: string }>(`select id from role_grants where user_id = $1 and role = 'tenant_admin'`, [adminA.userId])).rows[0].id;
        const r = await page(adminA)(path, { intent: 'revoke', grantId });
        expect(r.status).toBe(409);
        expect(r.html).toMatch(/role="alert"[^>]*>Et voi poistaa omaa pääkäyttäjän rooliasi/);
        const self = await page(adminA)(path, { intent: 'deactivate' });
        expect(self.status).toBe(409);
        expect((await app.services.db.query('select active from staff_users where id = $1', [adminA.userId])).rows[0]).toEqual({ active: true });
      });

      it('shows the org-unit tree and creates, renames, moves and deletes units', async () => {
        const p = page(adminA);
        const tree = await p('/fi/staff/org-units');
        expect(tree.status).toBe(200);
        expect(tree.html).toContain('<title>Organisaatioyksiköt</title>');
        expect(tree.html).toMatch(/Kasvatus ja koulutus<\/a> <span class="badge">Toimiala<\/span><ul class="org-tree">/);

        const missing = await p('/fi/staff/org-units', { intent: 'create', kind: 'other', 'names.fi': '', 'names.sv': 'Endast svenska', parentId: '' });
        expect(missing.status).toBe(400);
        expect(missing.html).toContain('id="names-fi-error"');
        expect(missing.html).toContain('value="Endast svenska"');

        const parent = await unitId(adminA.tenantId, 'Asiakaspalvelu');
        const created = await p('/fi/staff/org-units', { intent: 'create', kind: 'service_point', 'names.fi': 'Palvelupiste Kirjasto', 'names.sv': '', 'names.en': '', parentId: parent });
        expect(created.status).toBe(200);
        expect(created.html).toMatch(/role="status"[^>]*>Yksikkö Palvelupiste Kirjasto luotiin/);
        const id = await unitId(adminA.tenantId, 'Palvelupiste Kirjasto');
        expect(await app.services.orgUnits.ancestors(adminA.tenantId, id)).toEqual([id, parent]);

        const path = `/fi/staff/org-units/${id}`;
        const view = await p(path);
        expect(view.status).toBe(200);
        expect(view.html).toContain('Asiakaspalvelu');
        const renamed = await p(path, { intent: 'update', kind: 'other', 'names.fi': 'Kirjaston palvelupiste', 'names.sv': 'Bibliotekets servicepunkt', 'names.en': '' });
        expect(renamed.status).toBe(200);
        expect(renamed.html).toMatch(/role="status"[^>]*>Yksikkö tallennettiin/);
        expect(renamed.html).toContain('<h1>Kirjaston palvelupiste</h1>');

        // The parent select offers neither the unit itself nor its subtree.
        const education = await unitId(adminA.tenantId, 'Kasvatus ja koulutus');
        const eduPage = await p(`/fi/staff/org-units/${education}`);
        const moveSelect = /<select id="parentId"[\s\S]*?<\/select>/.exec(eduPage.html)![0];
        expect(moveSelect).not.toContain('Päiväkoti Satakieli');
        expect(moveSelect).toContain('Asiakaspalvelu');
        // A crafted post is refused all the same.
        const cycle = await p(`/fi/staff/org-units/${education}`, { intent: 'move', parentId: await unitId(adminA.tenantId, 'Päiväkoti Satakieli') });
        expect(cycle.status).toBe(409);
        expect(cycle.html).toContain('id="parentId-error"');
        expect(cycle.html).toContain('Yksikköä ei voi siirtää itsensä tai oman alayksikkönsä alle.');

        const moved = await p(path, { intent: 'move', parentId: education });
        expect(moved.status).toBe(200);
        expect(moved.html).toMatch(/role="status"[^>]*>Yksikkö siirrettiin/);

        const hasChildren = await p(`/fi/staff/org-units/${education}`, { intent: 'delete' });
        expect(hasChildren.status).toBe(409);
        expect(hasChildren.html).toMatch(/role="alert"[^>]*>Yksikköä ei voi poistaa, koska sillä on alayksiköitä/);
        const satakieli = await p(`/fi/staff/org-units/${await unitId(adminA.tenantId, 'Päiväkoti Satakieli')}`);
        expect(satakieli.html).toMatch(/Pirjo Päiväkoti<\/a> – Yksikön henkilöstö/);
        const hasGrants = await p(`/fi/staff/org-units/${await unitId(adminA.tenantId, 'Päiväkoti Satakieli')}`, { intent: 'delete' });
        expect(hasGrants.status).toBe(409);
        expect(hasGrants.html).toContain('koska siihen on annettu rooleja');

        const deleted = await p(path, { intent: 'delete' });
        expect(deleted.status).toBe(302);
        expect(deleted.location).toBe('/fi/staff/org-units?notice=deleted');
        expect((await p('/fi/staff/org-units?notice=deleted')).html).toMatch(/role="status"[^>]*>Yksikkö poistettiin/);
        expect((await app.services.db.query('select 1 from org_units where id = $1', [id])).rows).toHaveLength(0);
        expect(await auditRows(adminA.tenantId, 'admin.org_unit_deleted', id)).toHaveLength(1);
      });

      it("404s another tenant's user and unit on pages, reading or posting, and changes nothing", async () => {
        const p = page(adminA);
        const unitB = (await app.services.db.query<{ id: string; names: Json }>('select id, names from org_units where tenant_id = $1 order by id limit 1', [tenantB])).rows[0];
        const userB = adminB.userId;
        for (const path of [`/fi/staff/users/${userB}`, `/fi/staff/org-units/${unitB.id}`, '/fi/staff/users/not-a-uuid', '/fi/staff/org-units/42']) {
          const r = await p(path);
          expect(r.status).toBe(404);
          expect(r.html).toContain('Kohdetta ei löytynyt');
        }
        const writes = [
          await p(`/fi/staff/users/${userB}`, { intent: 'update', name: 'Kaapattu', email: 'kaapattu@esimerkkila.fi' }),
          await p(`/fi/staff/users/${userB}`, { intent: 'deactivate' }),
          await p(`/fi/staff/users/${userB}`, { intent: 'grant', role: 'communications' }),
          await p(`/fi/staff/org-units/${unitB.id}`, { intent: 'update', kind: 'other', 'names.fi': 'Kaapattu' }),
          await p(`/fi/staff/org-units/${unitB.id}`, { intent: 'move', parentId: '' }),
          await p(`/fi/staff/org-units/${unitB.id}`, { intent: 'delete' }),
        ];
        for (const r of writes) expect(r.status).toBe(404);
        expect((await app.services.db.query<Json>('select names from org_units where id = $1', [unitB.id])).rows[0].names).toEqual(unitB.names);
        expect((await app.services.db.query<Json>('select name, active from staff_users where id = $1', [userB])).rows[0]).toEqual({ name: 'Jaana Järvinen', active: true });
        expect((await app.services.db.query('select 1 from role_grants where user_id = $1', [userB])).rows).toHaveLength(1);
      });
    });
  });
}
