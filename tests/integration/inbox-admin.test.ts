import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/engines.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { staffClient } from '../helpers/staff-session.ts';

/*
 * Inbox team administration on both engines: the API (tenant_admin or a token with
 * admin:settings), validation, the inbound address unique across tenants, exactly one
 * default team, members and capacity, deletion only without conversations, audit rows,
 * another tenant's team as 404, and the console pages without JavaScript.
 */

const HOURS = [
  {
    type: 'regular',
    validFrom: null,
    validTo: null,
    isClosed: false,
    hours: [
      { dayFrom: 'Monday', dayTo: null, from: '09:00', to: '15:00' },
      { dayFrom: 'Tuesday', dayTo: null, from: '09:00', to: '15:00' },
    ],
    info: {},
  },
];

const team = (over: Record<string, unknown> = {}) => ({
  names: { fi: 'Rakennusvalvonta', sv: 'Byggnadstillsyn', en: 'Building control' },
  businessHours: HOURS,
  firstResponseSlaMinutes: 120,
  resolutionSlaMinutes: 2400,
  emailAddress: 'rakennusvalvonta@esimerkkila.fi',
  autoAssign: true,
  isDefault: false,
  active: true,
  sortOrder: 30,
  members: [],
  ...over,
});

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`inbox team administration (${engine.name})`, () => {
    let app: TestApp;
    let admin: Awaited<ReturnType<typeof staffClient>>;
    let adminB: Awaited<ReturnType<typeof staffClient>>;
    let agent: Awaited<ReturnType<typeof staffClient>>;
    let tenantA: string;
    let agentId: string;
    let created: { id: string };

    beforeAll(async () => {
      app = await startTestApp(engine.name);
      admin = await staffClient(app, HOST_A, 'admin@esimerkkila.fi');
      adminB = await staffClient(app, HOST_B, 'admin@jarvikyla.fi');
      agent = await staffClient(app, HOST_A, 'asiakaspalvelu@esimerkkila.fi');
      tenantA = admin.tenantId;
      agentId = agent.userId;
    }, 120_000);
    afterAll(() => app?.close());

    it('lists the demo teams for a tenant admin and refuses others', async () => {
      const r = await admin.api('GET', '/api/v1/inbox/teams');
      expect(r.status).toBe(200);
      const items = (await r.json()).items as { names: { fi: string }; isDefault: boolean; memberCount: number }[];
      expect(items.map((t) => t.names.fi)).toEqual(expect.arrayContaining(['Neuvonta', 'Varhaiskasvatus']));
      expect(items.filter((t) => t.isDefault)).toHaveLength(1);
      expect((await agent.api('GET', '/api/v1/inbox/teams')).status).toBe(403);
      expect((await hostFetch(app, HOST_A)('/api/v1/inbox/teams')).status).toBe(401);
    });

    it('creates a team with hours, SLA, address, members and capacity; audited', async () => {
      const r = await admin.api('POST', '/api/v1/inbox/teams', team({ members: [{ staffUserId: agentId, capacity: 7 }] }));
      expect(r.status).toBe(201);
      created = await r.json();
      const t = created as unknown as Record<string, unknown> & { members: { staffUserId: string; capacity: number }[] };
      expect(t.names).toEqual({ fi: 'Rakennusvalvonta', sv: 'Byggnadstillsyn', en: 'Building control' });
      expect(t.businessHours).toEqual(HOURS);
      expect(t.firstResponseSlaMinutes).toBe(120);
      expect(t.emailAddress).toBe('rakennusvalvonta@esimerkkila.fi');
      expect(t.isDefault).toBe(false);
      expect(t.members).toEqual([expect.objectContaining({ staffUserId: agentId, capacity: 7 })]);
      const cap = await app.services.db.query<{ capacity: number }>('select capacity from inbox_agents where tenant_id = $1 and staff_user_id = $2', [tenantA, agentId]);
      expect(cap.rows[0].capacity).toBe(7);
      const audit = await app.services.db.query('select 1 from audit_log where tenant_id = $1 and action = $2 and target_id = $3', [tenantA, 'inbox.team_created', created.id]);
      expect(audit.rows).toHaveLength(1);
    });

    it('validates input with field errors', async () => {
      const bad = await admin.api('POST', '/api/v1/inbox/teams', team({
        names: { fi: '' },
        emailAddress: 'not an address',
        firstResponseSlaMinutes: 0,
        businessHours: [{ ...HOURS[0], hours: [{ dayFrom: 'Monday', from: '16:00', to: '08:00' }] }],
      }));
      expect(bad.status).toBe(400);
      const e = (await bad.json()).error;
      expect(e.code).toBe('validation_failed');
      expect(Object.keys(e.fields)).toEqual(expect.arrayContaining(['emailAddress', 'firstResponseSlaMinutes']));

      const order = await admin.api('POST', '/api/v1/inbox/teams', team({ names: { fi: '' }, emailAddress: null, businessHours: [{ ...HOURS[0], hours: [{ dayFrom: 'Monday', from: '16:00', to: '08:00' }] }] }));
      expect((await order.json()).error.fields).toMatchObject({ names: 'required', 'businessHours.0.hours.0.to': 'end_before_start' });

      const time = await admin.api('POST', '/api/v1/inbox/teams', team({ emailAddress: null, businessHours: [{ ...HOURS[0], hours: [{ dayFrom: 'Monday', from: '8', to: '25:00' }] }] }));
      expect((await time.json()).error.fields).toMatchObject({ 'businessHours.0.hours.0.from': 'invalid_time' });

      for (const body of ['[]', '"x"', JSON.stringify(team({ extra: 1 })), JSON.stringify(team({ members: [{ staffUserId: "1' or 1=1--" }] }))]) {
        const r = await hostFetch(app, HOST_A)('/api/v1/inbox/teams', { method: 'POST', headers: admin.json, body });
        expect(r.status).toBe(400);
      }
      const notJson = await hostFetch(app, HOST_A)('/api/v1/inbox/teams', { method: 'POST', headers: admin.json, body: '{"names":' });
      expect(notJson.status).toBe(400);
    });

    it('keeps inbound addresses unique across tenants (409 with a field error)', async () => {
      const same = await admin.api('POST', '/api/v1/inbox/teams', team({ names: { fi: 'Kopio' } }));
      expect(same.status).toBe(409);
      expect((await same.json()).error.fields).toEqual({ emailAddress: 'email_taken' });
      // Another tenant cannot take it either, and is not told whose it is.
      const other = await adminB.api('POST', '/api/v1/inbox/teams', team({ names: { fi: 'Järvikylän kopio' }, emailAddress: 'RAKENNUSVALVONTA@esimerkkila.fi' }));
      expect(other.status).toBe(409);
      const body = await other.json();
      expect(body.error.fields).toEqual({ emailAddress: 'email_taken' });
      expect(JSON.stringify(body)).not.toContain('Rakennusvalvonta');
      // The demo address of Järvikylä is taken for Esimerkkilä too.
      const demo = await admin.api('PUT', `/api/v1/inbox/teams/${created.id}`, team({ emailAddress: 'kirjaamo@jarvikyla.fi' }));
      expect(demo.status).toBe(409);
    });

    it('updates members and capacity; moves the default flag and never drops it', async () => {
      const r = await admin.api('PUT', `/api/v1/inbox/teams/${created.id}`, team({ sortOrder: 5, autoAssign: false, members: [{ staffUserId: admin.userId, capacity: 3 }] }));
      expect(r.status).toBe(200);
      const t = await r.json();
      expect(t.members.map((m: { staffUserId: string }) => m.staffUserId)).toEqual([admin.userId]);
      expect(t.autoAssign).toBe(false);
      expect(t.sortOrder).toBe(5);
      const members = await app.services.db.query('select staff_user_id from inbox_team_members where team_id = $1', [created.id]);
      expect(members.rows).toEqual([{ staff_user_id: admin.userId }]);

      const oldDefault = (await app.services.conversations.defaultTeam(app.services.db, tenantA))!;
      const dropDefault = await admin.api('PUT', `/api/v1/inbox/teams/${oldDefault.id}`, { ...team({ names: oldDefault.names, emailAddress: oldDefault.emailAddress }), isDefault: false });
      expect(dropDefault.status).toBe(400);
      expect((await dropDefault.json()).error.fields).toEqual({ isDefault: 'default_required' });

      const inactiveDefault = await admin.api('PUT', `/api/v1/inbox/teams/${created.id}`, team({ isDefault: true, active: false }));
      expect(inactiveDefault.status).toBe(400);

      const take = await admin.api('PUT', `/api/v1/inbox/teams/${created.id}`, team({ isDefault: true, members: [{ staffUserId: admin.userId, capacity: 3 }] }));
      expect(take.status).toBe(200);
      const defaults = await app.services.db.query<{ id: string }>('select id from inbox_teams where tenant_id = $1 and is_default', [tenantA]);
      expect(defaults.rows).toEqual([{ id: created.id }]);
      // Back to how the demo was, so other tests see the demo default.
      const back = await admin.api('PUT', `/api/v1/inbox/teams/${oldDefault.id}`, {
        names: oldDefault.names,
        businessHours: oldDefault.businessHours,
        firstResponseSlaMinutes: oldDefault.firstResponseSlaMinutes,
        resolutionSlaMinutes: oldDefault.resolutionSlaMinutes,
        emailAddress: oldDefault.emailAddress,
        autoAssign: oldDefault.autoAssign,
        isDefault: true,
        active: true,
        sortOrder: oldDefault.sortOrder,
        members: (await (await admin.api('GET', `/api/v1/inbox/teams/${oldDefault.id}`)).json()).members.map((m: { staffUserId: string; capacity: number }) => ({
          staffUserId: m.staffUserId,
          capacity: m.capacity,
        })),
      });
      expect(back.status).toBe(200);
      const audit = await app.services.db.query<{ details: { fields: string[] } }>(
        'select details from audit_log where tenant_id = $1 and action = $2 and target_id = $3 order by at',
        [tenantA, 'inbox.team_updated', created.id],
      );
      expect(audit.rows[0].details.fields).toEqual(expect.arrayContaining(['autoAssign', 'sortOrder', 'members']));
    });

    it('keeps the members when a PUT leaves them out', async () => {
      const { members: _members, ...withoutMembers } = team({ sortOrder: 6 });
      const r = await admin.api('PUT', `/api/v1/inbox/teams/${created.id}`, withoutMembers);
      expect(r.status).toBe(200);
      expect((await r.json()).members.map((m: { staffUserId: string }) => m.staffUserId)).toEqual([admin.userId]);
    });

    it('console pages: the editor saves a plain form post, the fields come back with errors; other roles get 403', async () => {
      const list = await admin.get('/fi/staff/inbox/teams');
      expect(list.status).toBe(200);
      expect(await list.text()).toContain('Rakennusvalvonta');
      const fields = {
        intent: 'save',
        'names.fi': 'Lomaketiimi',
        'names.sv': '',
        'names.en': '',
        'hours.Monday.from': '09:00',
        'hours.Monday.to': '12:00',
        'hours.Tuesday.from': '10:00',
        'hours.Tuesday.to': '',
        firstSla: '2',
        firstSlaUnit: 'hours',
        resSla: '3',
        resSlaUnit: 'hours',
        emailAddress: 'lomake@esimerkkila.fi',
        autoAssign: '1',
        active: '1',
        sortOrder: '40',
        member: [agentId],
        [`capacity.${agentId}`]: '9',
      };
      const half = await admin.post('/fi/staff/inbox/teams/new', fields);
      expect(half.status).toBe(400);
      const html = await half.text();
      expect(html).toContain('id="f-hours-Tuesday-to-error"');
      expect(html).toContain('value="Lomaketiimi"');
      const saved = await admin.post('/fi/staff/inbox/teams/new', { ...fields, 'hours.Tuesday.from': '' });
      expect(saved.status).toBe(302);
      const id = /teams\/([0-9a-f-]{36})\?notice=saved/.exec(saved.headers.get('location') ?? '')![1];
      const stored = await (await admin.api('GET', `/api/v1/inbox/teams/${id}`)).json();
      expect(stored).toMatchObject({ firstResponseSlaMinutes: 120, resolutionSlaMinutes: 180, emailAddress: 'lomake@esimerkkila.fi', sortOrder: 40, isDefault: false });
      expect(stored.businessHours[0].hours).toEqual([{ dayFrom: 'Monday', dayTo: null, from: '09:00', to: '12:00' }]);
      expect(stored.members).toEqual([expect.objectContaining({ staffUserId: agentId, capacity: 9 })]);
      const taken = await admin.post(`/fi/staff/inbox/teams/${id}`, { ...fields, 'hours.Tuesday.from': '', emailAddress: 'neuvonta@esimerkkila.fi' });
      expect(taken.status).toBe(409);
      expect(await taken.text()).toContain('id="f-emailAddress-error"');
      const deleted = await admin.post(`/fi/staff/inbox/teams/${id}`, { intent: 'delete', confirm: '1' });
      expect(deleted.status).toBe(302);
      expect(deleted.headers.get('location')).toBe('/fi/staff/inbox/teams?notice=deleted');

      expect((await agent.get('/fi/staff/inbox/teams')).status).toBe(403);
      expect((await agent.post(`/fi/staff/inbox/teams/${created.id}`, fields)).status).toBe(403);
      expect((await agent.get('/fi/staff/inbox/reports')).status).toBe(200);
      const unit = await staffClient(app, HOST_A, 'paivakoti@esimerkkila.fi');
      expect((await unit.get('/fi/staff/inbox/reports')).status).toBe(403);
      expect((await admin.get('/fi/staff/inbox/teams/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await hostFetch(app, HOST_A)('/fi/staff/inbox/teams')).status).toBe(302);
    });

    it("refuses members of another tenant and answers another tenant's team as 404", async () => {
      const bMember = await adminB.api('GET', '/api/v1/inbox/teams');
      expect(bMember.status).toBe(200);
      const bTeamId = (await bMember.json()).items[0].id as string;
      const foreign = await admin.api('PUT', `/api/v1/inbox/teams/${created.id}`, team({ members: [{ staffUserId: adminB.userId, capacity: 1 }] }));
      expect(foreign.status).toBe(400);
      expect((await foreign.json()).error.fields).toEqual({ 'members.0.staffUserId': 'unknown' });
      for (const [method, body] of [['GET', undefined], ['PUT', team({ emailAddress: null })], ['DELETE', undefined]] as const) {
        const r = await admin.api(method, `/api/v1/inbox/teams/${bTeamId}`, body);
        expect(r.status).toBe(404);
      }
      expect((await admin.api('GET', '/api/v1/inbox/teams/not-a-uuid')).status).toBe(404);
    });

    it('deletes a team without conversations; one with conversations is deactivated instead', async () => {
      await app.services.db.transaction((tx) =>
        app.services.conversations.start(tx, tenantA, { channel: 'chat', lang: 'fi', status: 'bot', teamId: created.id }),
      );
      const refused = await admin.api('DELETE', `/api/v1/inbox/teams/${created.id}`);
      expect(refused.status).toBe(409);
      expect((await refused.json()).error.reason).toBe('has_conversations');
      const off = await admin.api('PUT', `/api/v1/inbox/teams/${created.id}`, team({ active: false }));
      expect((await off.json()).active).toBe(false);

      const empty = await (await admin.api('POST', '/api/v1/inbox/teams', team({ names: { fi: 'Tyhjä' }, emailAddress: null }))).json();
      expect((await admin.api('DELETE', `/api/v1/inbox/teams/${empty.id}`)).status).toBe(204);
      expect((await admin.api('GET', `/api/v1/inbox/teams/${empty.id}`)).status).toBe(404);
      const audit = await app.services.db.query('select 1 from audit_log where tenant_id = $1 and action = $2 and target_id = $3', [tenantA, 'inbox.team_deleted', empty.id]);
      expect(audit.rows).toHaveLength(1);
    });

    it('accepts an API token with admin:settings and refuses one without', async () => {
      const good = await app.services.apiTokens.create(app.services.db, tenantA, 'Tiimit', ['admin:settings'], null);
      const weak = await app.services.apiTokens.create(app.services.db, tenantA, 'Loki', ['audit:read'], null);
      const call = (token: string) => hostFetch(app, HOST_A)('/api/v1/inbox/teams', { headers: { authorization: `Bearer ${token}` } });
      expect((await call(good.token)).status).toBe(200);
      expect((await call(weak.token)).status).toBe(403);
    });
  });
}
