import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/engines.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { staffClient } from '../helpers/staff-session.ts';
import { openSse } from '../helpers/sse.ts';
import { sha256 } from '../../src/platform/crypto.ts';

/*
 * The agent inbox over HTTP on both engines: the one list (chat, e-mail, feedback) with
 * filters, search, unread counts and SLA state; the agent's commands; notes kept from the
 * resident; round-robin on coming online within capacity; canned responses rendered for a
 * conversation; the resident timeline by identity and by e-mail with its audit row; who
 * may see what; bad input answered 4xx.
 */

interface Started {
  conversation: { id: string; number: number; status: string };
  token: string;
}
interface Item {
  kind: string;
  id: string;
  number: number;
  channel: string;
  status: string;
  unread: number;
  assigneeId: string | null;
  caseStatus?: string;
  sla: { breached: boolean; firstResponseDueAt: string | null; resolutionDueAt: string | null };
}
interface List {
  items: Item[];
  total: number;
  counts: Record<string, number>;
  unreadTotal: number;
}

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`inbox agent (${engine.name})`, () => {
    let app: TestApp;
    let tenantA: string;
    let neuvonta: string;
    let varhaiskasvatus: string;
    type Client = Awaited<ReturnType<typeof staffClient>>;
    let cs: Client; // asiakaspalvelu@: customer service, both teams
    let pk: Client; // paivakoti@: unit staff, team Varhaiskasvatus only
    let admin: Client;

    beforeAll(async () => {
      app = await startTestApp(engine.name);
      tenantA = (await app.services.tenancy.resolveByHost(HOST_A))!.id;
      const teams = await app.services.conversations.teams(app.services.db, tenantA);
      neuvonta = teams.find((t) => t.names.fi === 'Neuvonta')!.id;
      varhaiskasvatus = teams.find((t) => t.names.fi === 'Varhaiskasvatus')!.id;
      cs = await staffClient(app, HOST_A, 'asiakaspalvelu@esimerkkila.fi');
      pk = await staffClient(app, HOST_A, 'paivakoti@esimerkkila.fi');
      admin = await staffClient(app, HOST_A, 'admin@esimerkkila.fi');
    }, 120_000);
    afterAll(() => app?.close());

    const chat = async (body: Record<string, unknown> = {}): Promise<Started> => {
      const r = await hostFetch(app, HOST_A)('/api/v1/chat/conversations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ lang: 'fi', human: true, ...body }),
      });
      expect(r.status).toBe(201);
      return (await r.json()) as Started;
    };
    const say = async (s: Started, clientId: string, body: string) => {
      const r = await hostFetch(app, HOST_A)(`/api/v1/chat/conversations/${s.conversation.id}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-chat-token': s.token },
        body: JSON.stringify({ clientId, body }),
      });
      expect(r.status).toBe(201);
    };
    const residentView = async (s: Started) => {
      const r = await hostFetch(app, HOST_A)(`/api/v1/chat/conversations/${s.conversation.id}`, { headers: { 'x-chat-token': s.token } });
      return (await r.json()) as { conversation: { status: string }; messages: { body: string; internal: boolean; authorKind: string }[] };
    };
    const list = async (c: Client, query: Record<string, string> = {}) => {
      const r = await c.api('GET', `/api/v1/inbox/conversations?${new URLSearchParams(query)}`);
      expect(r.status).toBe(200);
      return (await r.json()) as List;
    };
    const convOf = async (id: string) => (await app.services.conversations.get(app.services.db, tenantA, id))!;
    const feedbackCase = async (description: string, email: string | null, category = 'complaint') => {
      const r = await hostFetch(app, HOST_A)('/api/v1/feedback', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ category, description, lang: 'fi', ...(email ? { contact: { email, name: 'Maija' } } : {}) }),
      });
      expect(r.status).toBe(201);
      return ((await r.json()) as { number: number }).number;
    };

    it('hands waiting conversations to agents who come online, within their capacity, and the next one when capacity frees', async () => {
      // Nobody online: three conversations wait in Varhaiskasvatus's queue.
      for (const c of [cs, pk, admin]) expect((await c.api('PUT', '/api/v1/inbox/presence', { status: 'offline' })).status).toBe(200);
      const waiting = [];
      for (let i = 0; i < 3; i++) waiting.push(await chat({ teamId: varhaiskasvatus, name: `Jonottaja ${i}` }));
      for (const w of waiting) expect((await convOf(w.conversation.id)).status).toBe('pending');

      const online = await pk.api('PUT', '/api/v1/inbox/presence', { status: 'online', capacity: 2 });
      expect(online.status).toBe(200);
      expect(await online.json()).toMatchObject({ status: 'online', capacity: 2, openCount: 2, assigned: 2 });
      const after = await Promise.all(waiting.map((w) => convOf(w.conversation.id)));
      expect(after.map((c) => c.assigneeId === pk.userId)).toEqual([true, true, false]);
      expect(after[2].status).toBe('pending');
      expect(await (await pk.api('GET', '/api/v1/inbox/presence')).json()).toMatchObject({ status: 'online', openCount: 2 });

      // Resolving one frees capacity: the third goes to the same agent.
      expect((await pk.api('POST', `/api/v1/inbox/conversations/${waiting[0].conversation.id}/status`, { status: 'resolved' })).status).toBe(200);
      expect((await convOf(waiting[2].conversation.id)).assigneeId).toBe(pk.userId);
      // Away: no more assignments.
      expect((await pk.api('PUT', '/api/v1/inbox/presence', { status: 'away' })).status).toBe(200);
      const later = await chat({ teamId: varhaiskasvatus });
      expect((await convOf(later.conversation.id)).assigneeId).toBeNull();
      for (const w of [...waiting.slice(1), later]) await app.services.db.transaction((tx) => app.services.conversations.setStatus(tx, tenantA, w.conversation.id, 'resolved'));
      expect((await pk.api('PUT', '/api/v1/inbox/presence', { status: 'offline' })).status).toBe(200);
      expect((await pk.api('PUT', '/api/v1/inbox/presence', { status: 'busy' })).status).toBe(400);
      expect((await pk.api('PUT', '/api/v1/inbox/presence', { status: 'online', capacity: 500 })).status).toBe(400);
    });

    it('lists chat conversations and feedback cases with filters, search, unread counts and SLA state', async () => {
      const s = await chat({ name: 'Maija Meikäläinen', email: 'maija.list@example.fi' });
      await say(s, 'm1', 'Kysyisin rakennuslupahakemuksesta');
      await say(s, 'm2', 'Onko käsittely kesken?');
      const fbNumber = await feedbackCase('Roskis on täynnä listatestissä', 'fb.list@example.fi');

      const all = await list(cs, { status: 'all' });
      const item = all.items.find((i) => i.id === s.conversation.id)!;
      expect(item).toMatchObject({ kind: 'conversation', channel: 'chat', status: 'pending', unread: 2 });
      expect(item.sla.firstResponseDueAt).toBeTruthy();
      expect(all.items.some((i) => i.kind === 'feedback' && i.number === fbNumber && i.status === 'pending' && i.caseStatus === 'new')).toBe(true);
      expect(all.counts.all).toBeGreaterThanOrEqual(all.counts.pending + all.counts.open);
      expect(all.unreadTotal).toBeGreaterThanOrEqual(2);

      const ids = (l: List) => l.items.map((i) => i.id);
      expect(ids(await list(cs, { status: 'all', q: 'rakennuslupa' }))).toEqual([s.conversation.id]);
      expect(ids(await list(cs, { status: 'all', q: 'MAIJA.LIST@' }))).toEqual([s.conversation.id]);
      expect(ids(await list(cs, { status: 'all', q: `#${s.conversation.number}` }))).toEqual([s.conversation.id]);
      expect((await list(cs, { status: 'all', q: '%' })).items.every((i) => i.id !== s.conversation.id)).toBe(true);
      expect((await list(cs, { status: 'all', q: "'; drop table inbox_messages; --" })).items).toEqual([]);
      expect((await list(cs, { status: 'all', channel: 'feedback' })).items.every((i) => i.kind === 'feedback')).toBe(true);
      expect((await list(cs, { status: 'all', channel: 'chat' })).items.every((i) => i.channel === 'chat')).toBe(true);
      expect(ids(await list(cs, { status: 'pending', team: neuvonta, assignee: 'unassigned' }))).toContain(s.conversation.id);
      expect(ids(await list(cs, { status: 'resolved' }))).not.toContain(s.conversation.id);
      expect(ids(await list(cs, { status: 'all', assignee: 'me' }))).not.toContain(s.conversation.id);

      // Opening it reads everything and marks it read.
      const view = await cs.api('GET', `/api/v1/inbox/conversations/${s.conversation.id}`);
      expect(view.status).toBe(200);
      const v = (await view.json()) as { conversation: { contactEmail: string }; messages: { body: string }[] };
      expect(v.conversation.contactEmail).toBe('maija.list@example.fi');
      expect(v.messages.map((m) => m.body)).toContain('Onko käsittely kesken?');
      expect((await list(cs, { status: 'all', q: 'rakennuslupa' })).items[0].unread).toBe(0);
      await say(s, 'm3', 'Haloo?');
      expect((await list(cs, { status: 'all', q: 'rakennuslupa' })).items[0].unread).toBe(1);
      const audit = await app.services.db.query<{ reason: string }>(
        `select reason from audit_log where tenant_id = $1 and action = 'inbox.conversation.read' and target_id = $2`,
        [tenantA, s.conversation.id],
      );
      expect(audit.rows[0]?.reason).toBe('customer service');

      // An overdue first response shows as breached and in the SLA filter.
      await app.services.db.query(`update inbox_conversations set first_response_due_at = now() - interval '5 minutes' where id = $1`, [s.conversation.id]);
      expect((await list(cs, { status: 'all', q: 'rakennuslupa' })).items[0].sla.breached).toBe(true);
      expect(ids(await list(cs, { status: 'all', sla: 'breached' }))).toContain(s.conversation.id);
    });

    it('replies, notes, accept, assign, transfer with a note, snooze, resolve and reopen; notes never reach the resident', async () => {
      const s = await chat({ name: 'Ville' });
      await say(s, 'r1', 'Tarvitsen apua');
      const id = s.conversation.id;
      const post = (c: Client, path: string, body: unknown) => c.api('POST', `/api/v1/inbox/conversations/${id}/${path}`, body);

      expect((await post(cs, 'accept', {})).status).toBe(200);
      expect((await convOf(id)).assigneeId).toBe(cs.userId);
      expect((await post(admin, 'accept', {})).status).toBe(409);

      const reply = await post(cs, 'messages', { clientId: 'a1', body: 'Hei! Autan mielelläni.' });
      expect(reply.status).toBe(201);
      expect((await post(cs, 'messages', { clientId: 'a1', body: 'Hei! Autan mielelläni.' })).status).toBe(200);
      expect((await post(cs, 'messages', { clientId: 'n1', body: 'Sisäinen huomio: asiakas soitti eilen', internal: true })).status).toBe(201);
      const resident = await residentView(s);
      expect(resident.messages.map((m) => m.body)).toContain('Hei! Autan mielelläni.');
      expect(resident.messages.some((m) => m.body.includes('Sisäinen huomio') || m.internal)).toBe(false);
      expect((await convOf(id)).firstResponseAt).toBeTruthy();

      expect((await post(cs, 'assign', { staffUserId: admin.userId })).status).toBe(200);
      expect((await convOf(id)).assigneeId).toBe(admin.userId);
      // Not a member of the team and not customer service: refused.
      expect((await post(cs, 'assign', { staffUserId: pk.userId })).status).toBe(400);
      expect((await post(cs, 'assign', { staffUserId: null })).status).toBe(200);
      expect(await convOf(id)).toMatchObject({ assigneeId: null, status: 'pending' });

      expect((await post(cs, 'transfer', { teamId: varhaiskasvatus, note: '' })).status).toBe(400);
      expect((await post(cs, 'transfer', { teamId: varhaiskasvatus, note: 'Päiväkotiasia, kuuluu teille' })).status).toBe(200);
      expect((await convOf(id)).teamId).toBe(varhaiskasvatus);
      const staffView = (await (await cs.api('GET', `/api/v1/inbox/conversations/${id}`)).json()) as { messages: { body: string; internal: boolean }[] };
      expect(staffView.messages.find((m) => m.body === 'Päiväkotiasia, kuuluu teille')?.internal).toBe(true);
      expect((await residentView(s)).messages.some((m) => m.body.includes('Päiväkotiasia'))).toBe(false);

      expect((await post(cs, 'accept', {})).status).toBe(200);
      const until = new Date(Date.now() + 3600_000).toISOString();
      expect((await post(cs, 'status', { status: 'snoozed', snoozedUntil: until })).status).toBe(200);
      expect((await convOf(id)).status).toBe('snoozed');
      expect((await post(cs, 'status', { status: 'snoozed', snoozedUntil: new Date(Date.now() - 1000).toISOString() })).status).toBe(400);
      expect((await post(cs, 'status', { status: 'resolved' })).status).toBe(200);
      expect((await residentView(s)).conversation.status).toBe('resolved');
      expect((await post(cs, 'status', { status: 'open' })).status).toBe(200);
      expect((await convOf(id)).status).toBe('open');

      // Typing goes out, throttled; reading moves the mark.
      expect(await (await post(cs, 'typing', {})).json()).toEqual({ sent: true });
      expect(await (await post(cs, 'typing', {})).json()).toEqual({ sent: false });
      expect((await post(cs, 'read', { seq: 1 })).status).toBe(200);
    });

    it('shows the agent typing and the reply on the resident stream, never the note', async () => {
      const s = await chat();
      const id = s.conversation.id;
      const resident = await openSse(app, HOST_A, {}, `/api/v1/chat/conversations/${id}/stream?token=${s.token}`);
      try {
        expect((await cs.api('POST', `/api/v1/inbox/conversations/${id}/typing`, {})).status).toBe(202);
        const typing = await resident.waitFor((e) => e.event === 'typing');
        expect(typing.data).toMatchObject({ conversationId: id, who: 'agent', name: 'Antti' });
        await cs.api('POST', `/api/v1/inbox/conversations/${id}/messages`, { clientId: 'note', body: 'Vain meille', internal: true });
        await cs.api('POST', `/api/v1/inbox/conversations/${id}/messages`, { clientId: 'reply', body: 'Hei asukas' });
        await resident.waitFor((e) => e.event === 'message' && (e.data as { body: string }).body === 'Hei asukas');
        expect(resident.events.some((e) => JSON.stringify(e.data).includes('Vain meille'))).toBe(false);
      } finally {
        resident.close();
      }
    });

    it('the minute job takes silent agents offline', async () => {
      expect((await admin.api('PUT', '/api/v1/inbox/presence', { status: 'online' })).status).toBe(200);
      await app.services.db.query(`update inbox_agents set last_seen_at = now() - interval '5 minutes' where staff_user_id = $1`, [admin.userId]);
      const r = await app.services.agentPresence.housekeeping();
      expect(r.wentOffline).toBeGreaterThanOrEqual(1);
      expect(await (await admin.api('GET', '/api/v1/inbox/presence')).json()).toMatchObject({ status: 'offline' });
    });

    it('uploads an agent attachment, sends it with a reply and serves it with an audit row', async () => {
      const s = await chat();
      const id = s.conversation.id;
      const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
      const up = await cs.api('POST', `/api/v1/inbox/conversations/${id}/attachments`, { filename: 'kartta.png', data: png.toString('base64') });
      expect(up.status).toBe(201);
      const { attachment } = (await up.json()) as { attachment: { id: string; contentType: string } };
      expect(attachment.contentType).toBe('image/png');
      const bad = await cs.api('POST', `/api/v1/inbox/conversations/${id}/attachments`, { filename: 'x.html', data: Buffer.from('<script>alert(1)</script>').toString('base64') });
      expect(bad.status).toBe(415);
      expect((await cs.api('POST', `/api/v1/inbox/conversations/${id}/messages`, { clientId: 'f1', body: '', attachmentIds: [attachment.id] })).status).toBe(201);
      const dl = await cs.api('GET', `/api/v1/inbox/conversations/${id}/attachments/${attachment.id}`);
      expect(dl.status).toBe(200);
      expect(dl.headers.get('x-content-type-options')).toBe('nosniff');
      expect(dl.headers.get('content-disposition')).toMatch(/^attachment;/);
      const audit = await app.services.db.query(`select 1 from audit_log where action = 'inbox.attachment.read' and target_id = $1`, [attachment.id]);
      expect(audit.rows.length).toBe(1);
      // The same id again, in another message: refused.
      expect((await cs.api('POST', `/api/v1/inbox/conversations/${id}/messages`, { clientId: 'f2', body: 'x', attachmentIds: [attachment.id] })).status).toBe(400);
    });

    it('manages canned responses and renders them for a conversation with its variables', async () => {
      const service = await app.services.db.query<{ id: string }>(`select id from catalog_services where tenant_id = $1 and status = 'published' limit 1`, [tenantA]);
      const serviceId = service.rows[0].id;
      const body = {
        shortcut: 'tervehdys',
        titles: { fi: 'Tervehdys', sv: 'Hälsning', en: 'Greeting' },
        bodies: {
          fi: 'Hei {{resident_name}}, olen {{agent_name}}. Viite {{reference}}. Lisätietoa: {{service_link:' + serviceId + '}} {{service_link:00000000-0000-4000-8000-000000000000}}',
          sv: 'Hej {{resident_name}}, jag heter {{agent_name}}.',
          en: 'Hello {{resident_name}}',
        },
      };
      const mod = await staffClient(app, HOST_A, 'moderaattori@esimerkkila.fi');
      expect((await mod.api('POST', '/api/v1/inbox/canned', body)).status).toBe(403);
      const created = await cs.api('POST', '/api/v1/inbox/canned', body);
      expect(created.status).toBe(201);
      const { id: cannedId } = (await created.json()) as { id: string };
      expect((await cs.api('POST', '/api/v1/inbox/canned', body)).status).toBe(409);
      expect((await cs.api('POST', '/api/v1/inbox/canned', { ...body, shortcut: 'Bad Shortcut!' })).status).toBe(400);
      expect((await cs.api('POST', '/api/v1/inbox/canned', { ...body, shortcut: 'x2', bodies: { fi: '' } })).status).toBe(400);

      const fi = await chat({ name: 'Maija' });
      const r = (await (await cs.api('GET', `/api/v1/inbox/conversations/${fi.conversation.id}/canned`)).json()) as { items: { shortcut: string; text: string }[] };
      const text = r.items.find((i) => i.shortcut === 'tervehdys')!.text;
      expect(text).toMatch(new RegExp(`^Hei Maija, olen Antti\\. Viite #${fi.conversation.number}\\. Lisätietoa: http://esimerkkila\\.localhost(:\\d+)?/fi/services/${serviceId}$`));
      const sv = await chat({ lang: 'sv' });
      const r2 = (await (await cs.api('GET', `/api/v1/inbox/conversations/${sv.conversation.id}/canned`)).json()) as { items: { shortcut: string; text: string }[] };
      expect(r2.items.find((i) => i.shortcut === 'tervehdys')!.text).toBe('Hej, jag heter Antti.');

      expect((await cs.api('PUT', `/api/v1/inbox/canned/${cannedId}`, { ...body, shortcut: 'hei' })).status).toBe(200);
      expect(((await (await cs.api('GET', '/api/v1/inbox/canned')).json()) as { items: { shortcut: string }[] }).items.map((i) => i.shortcut)).toContain('hei');
      expect((await cs.api('DELETE', `/api/v1/inbox/canned/${cannedId}`)).status).toBe(204);
      expect((await cs.api('GET', `/api/v1/inbox/canned/${cannedId}`)).status).toBe(404);
    });

    it('shows the resident timeline by e-mail and by identity, and audits the read', async () => {
      const email = 'Aikajana@Example.fi';
      const first = await chat({ email, name: 'Aila' });
      const second = await chat({ email: email.toLowerCase() });
      const fbNumber = await feedbackCase('Aikajanan palaute', email.toLowerCase());
      const r = await cs.api('GET', `/api/v1/inbox/conversations/${second.conversation.id}/timeline`);
      expect(r.status).toBe(200);
      const t = (await r.json()) as { subject: { matchedBy: string }; items: { kind: string; id: string; number: number; href: string | null; current?: boolean }[] };
      expect(t.subject.matchedBy).toBe('email');
      expect(t.items.map((i) => i.number)).toEqual(expect.arrayContaining([first.conversation.number, second.conversation.number, fbNumber]));
      expect(t.items.find((i) => i.id === second.conversation.id)?.current).toBe(true);
      expect(t.items.find((i) => i.kind === 'feedback')?.href).toMatch(/^\/feedback\/cases\//);
      // Newest first.
      expect(t.items[0].id).not.toBe(first.conversation.id);
      const audit = await app.services.db.query<{ target_kind: string; target_id: string; reason: string }>(
        `select target_kind, target_id, reason from audit_log where tenant_id = $1 and action = 'inbox.timeline.read' order by at desc limit 1`,
        [tenantA],
      );
      expect(audit.rows[0]).toEqual({ target_kind: 'email', target_id: sha256('aikajana@example.fi'), reason: 'customer service' });

      // Identified: every conversation of the resident, whatever address they gave.
      const res = await app.services.db.query<{ id: string }>(
        `insert into residents (tenant_id, assurance, given_name, family_name, email) values ($1, 'weak', 'Iida', 'Identified', 'iida@example.fi') returning id`,
        [tenantA],
      );
      const residentId = res.rows[0].id;
      const start = (contactEmail: string | null) =>
        app.services.db.transaction((tx) => app.services.conversations.start(tx, tenantA, { channel: 'chat', lang: 'fi', status: 'pending', residentId, contactEmail }));
      const a = await start('one@example.fi');
      const b = await start(null);
      const t2 = (await (await cs.api('GET', `/api/v1/inbox/conversations/${b.conversation.id}/timeline`)).json()) as { subject: { matchedBy: string }; items: { id: string }[] };
      expect(t2.subject.matchedBy).toBe('identity');
      expect(t2.items.map((i) => i.id).sort()).toEqual([a.conversation.id, b.conversation.id].sort());
      const audit2 = await app.services.db.query<{ target_kind: string; target_id: string }>(
        `select target_kind, target_id from audit_log where tenant_id = $1 and action = 'inbox.timeline.read' order by at desc limit 1`,
        [tenantA],
      );
      expect(audit2.rows[0]).toEqual({ target_kind: 'resident', target_id: residentId });
    });

    it('authorizes: moderators 403, another tenant 404, a team member sees only the team, feedback only of their units', async () => {
      const mod = await staffClient(app, HOST_A, 'moderaattori@esimerkkila.fi');
      expect((await mod.api('GET', '/api/v1/inbox/conversations')).status).toBe(403);
      const anon = await hostFetch(app, HOST_A)('/api/v1/inbox/conversations');
      expect(anon.status).toBe(401);

      const general = await chat({ name: 'Neuvonnan asiakas' });
      const daycare = await chat({ teamId: varhaiskasvatus, name: 'Päiväkodin asiakas' });
      const fbNumber = await feedbackCase('Valitus, ei päiväkodin asia', null);
      const seen = await list(pk, { status: 'all' });
      expect(seen.items.some((i) => i.id === daycare.conversation.id)).toBe(true);
      expect(seen.items.some((i) => i.id === general.conversation.id)).toBe(false);
      expect(seen.items.some((i) => i.kind === 'feedback' && i.number === fbNumber)).toBe(false);
      expect((await pk.api('GET', `/api/v1/inbox/conversations/${general.conversation.id}`)).status).toBe(404);
      expect((await pk.api('POST', `/api/v1/inbox/conversations/${general.conversation.id}/accept`, {})).status).toBe(404);
      expect((await pk.api('GET', `/api/v1/inbox/conversations/${daycare.conversation.id}`)).status).toBe(200);
      expect((await list(pk, { status: 'all', team: neuvonta })).items).toEqual([]);

      const other = await staffClient(app, HOST_B, 'admin@jarvikyla.fi');
      expect((await other.api('GET', `/api/v1/inbox/conversations/${general.conversation.id}`)).status).toBe(404);
      expect((await other.api('POST', `/api/v1/inbox/conversations/${general.conversation.id}/messages`, { clientId: 'x', body: 'hi' })).status).toBe(404);
      expect((await other.api('GET', `/api/v1/inbox/conversations/${general.conversation.id}/timeline`)).status).toBe(404);
      expect((await list(other, { status: 'all' })).items.some((i) => i.id === general.conversation.id)).toBe(false);
    });

    it('answers bad input with 4xx in the error shape', async () => {
      const s = await chat();
      const id = s.conversation.id;
      const raw = (path: string, body: string, headers: Record<string, string> = {}) =>
        hostFetch(app, HOST_A)(path, { method: 'POST', headers: { cookie: cs.cookie, 'x-csrf-token': cs.csrf, 'content-type': 'application/json', ...headers }, body });
      const malformed = await raw(`/api/v1/inbox/conversations/${id}/messages`, '{"clientId":');
      expect(malformed.status).toBe(400);
      expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('malformed_json');
      const cases: [string, unknown, number][] = [
        ['messages', { clientId: 'ok', body: 'x'.repeat(4001) }, 400],
        ['messages', { clientId: 'bad id!', body: 'x' }, 400],
        ['messages', { clientId: 'ok2', body: 5 }, 400],
        ['messages', { clientId: 'ok3', body: '   ' }, 400],
        ['messages', { clientId: 'ok4', body: 'x', extra: true }, 400],
        ['status', { status: 'bogus' }, 400],
        ['status', { status: 'snoozed' }, 400],
        ['status', { status: 'snoozed', snoozedUntil: 'tomorrow' }, 400],
        ['assign', { staffUserId: 'not-a-uuid' }, 400],
        ['transfer', { teamId: '00000000-0000-4000-8000-000000000000', note: 'x' }, 400],
        ['read', { seq: -1 }, 400],
        ['attachments', { filename: 'a.png' }, 400],
      ];
      for (const [path, body, status] of cases) {
        const r = await cs.api('POST', `/api/v1/inbox/conversations/${id}/${path}`, body);
        expect([path, r.status]).toEqual([path, status]);
        expect(((await r.json()) as { error: { code: string } }).error.code).toBeTruthy();
      }
      expect((await cs.api('POST', `/api/v1/inbox/conversations/${id}/messages`, { clientId: 'z', body: 'x' }, { csrf: false })).status).toBe(403);
      expect((await cs.api('GET', '/api/v1/inbox/conversations/not-a-uuid')).status).toBe(404);
      expect((await cs.api('GET', '/api/v1/inbox/conversations?status=nope')).status).toBe(400);
      expect((await cs.api('GET', '/api/v1/inbox/conversations?assignee=%3Cscript%3E')).status).toBe(400);
      expect((await cs.api('GET', '/api/v1/inbox/conversations?team=1%20or%201%3D1')).status).toBe(400);
      // A script tag is just text: stored and returned as typed.
      expect((await cs.api('POST', `/api/v1/inbox/conversations/${id}/messages`, { clientId: 'xss', body: '<script>alert(1)</script>' })).status).toBe(201);
    });
  });
}
