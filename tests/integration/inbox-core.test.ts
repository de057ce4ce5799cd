import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/engines.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { conversationChannel, teamChannel, type Message } from '../../src/modules/inbox/model.ts';
import type { RealtimeEvent } from '../../src/platform/events.ts';

/*
 * The inbox's conversation core on both engines: numbered messages without gaps or
 * duplicates (also under concurrent posts), internal notes kept from residents, hand-off
 * with SLA deadlines, round-robin assignment within capacity, and events after commit.
 */

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`inbox core (${engine.name})`, () => {
    let app: TestApp;
    let tenantA: string;
    let tenantB: string;
    let agentId: string;
    let adminId: string;
    let teamId: string;

    beforeAll(async () => {
      app = await startTestApp(engine.name);
      const t = await app.services.db.query<{ id: string; slug: string }>('select id, slug from tenants');
      tenantA = t.rows.find((r) => r.slug === 'esimerkkila')!.id;
      tenantB = t.rows.find((r) => r.slug === 'jarvikyla')!.id;
      const u = await app.services.db.query<{ id: string; email: string }>('select id, email from staff_users where tenant_id = $1', [tenantA]);
      agentId = u.rows.find((r) => r.email === 'asiakaspalvelu@esimerkkila.fi')!.id;
      adminId = u.rows.find((r) => r.email === 'admin@esimerkkila.fi')!.id;
      teamId = (await app.services.conversations.defaultTeam(app.services.db, tenantA))!.id;
    }, 120_000);
    afterAll(() => app?.close());

    const start = (status: 'bot' | 'pending' = 'bot') =>
      app.services.db.transaction((tx) =>
        app.services.conversations.start(tx, tenantA, { channel: 'chat', lang: 'fi', status, withVisitorToken: true }),
      );

    it('numbers messages 1, 2, 3 and returns the first one for a repeated client id', async () => {
      const { conversation, token } = await start();
      expect(token).toMatch(/^[\w-]{20,}$/);
      const c = app.services.conversations;
      const post = (clientId: string, body: string) =>
        app.services.db.transaction((tx) => c.postMessage(tx, tenantA, conversation.id, { clientId, authorKind: 'resident', body }));
      const a = await post('m1', 'Hei');
      const b = await post('m2', 'Tarvitsen apua');
      const again = await post('m1', 'Hei');
      expect([a.message.seq, b.message.seq]).toEqual([1, 2]);
      expect(again.duplicate).toBe(true);
      expect(again.message.id).toBe(a.message.id);
      expect((await c.messagesAfter(app.services.db, tenantA, conversation.id, 1, { includeInternal: false })).map((m) => m.body)).toEqual([
        'Tarvitsen apua',
      ]);
      expect((await c.findByVisitorToken(app.services.db, tenantA, token))?.id).toBe(conversation.id);
      expect(await c.findByVisitorToken(app.services.db, tenantB, token)).toBeNull();
    });

    it('keeps numbers gapless and unique under concurrent posts', async () => {
      const { conversation } = await start();
      const c = app.services.conversations;
      const ids = Array.from({ length: 20 }, (_, i) => `c${i % 15}`); // five resends among them
      await Promise.all(
        ids.map((clientId) =>
          app.services.db.transaction((tx) => c.postMessage(tx, tenantA, conversation.id, { clientId, authorKind: 'resident', body: clientId })),
        ),
      );
      const all = await c.messagesAfter(app.services.db, tenantA, conversation.id, 0, { includeInternal: true });
      expect(all.map((m) => m.seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
      expect(new Set(all.map((m) => m.clientId)).size).toBe(15);
    });

    it('hands off with SLA deadlines, assigns round-robin to online agents and hides internal notes', async () => {
      const db = app.services.db;
      for (const id of [agentId, adminId]) {
        await db.query(
          `insert into inbox_agents (tenant_id, staff_user_id, status, capacity, last_seen_at) values ($1, $2, 'online', 5, now())
           on conflict (tenant_id, staff_user_id) do update set status = 'online', last_seen_at = now(), last_assigned_at = null`,
          [tenantA, id],
        );
      }
      const c = app.services.conversations;
      const first = (await start('pending')).conversation;
      const second = (await start('pending')).conversation;
      expect(first.status).toBe('open');
      expect(first.firstResponseDueAt).not.toBeNull();
      expect(first.teamId).toBe(teamId);
      expect(new Set([first.assigneeId, second.assigneeId])).toEqual(new Set([agentId, adminId]));

      await db.transaction((tx) =>
        c.postMessage(tx, tenantA, first.id, { authorKind: 'agent', authorId: first.assigneeId, internal: true, body: 'Sisäinen muistiinpano' }),
      );
      const visible = await c.messagesAfter(db, tenantA, first.id, 0, { includeInternal: false });
      expect(visible.some((m) => m.body === 'Sisäinen muistiinpano')).toBe(false);
      expect((await c.get(db, tenantA, first.id))!.firstResponseAt).toBeNull();
      await db.transaction((tx) => c.postMessage(tx, tenantA, first.id, { authorKind: 'agent', authorId: first.assigneeId, body: 'Hei, miten voin auttaa?' }));
      expect((await c.get(db, tenantA, first.id))!.firstResponseAt).not.toBeNull();

      const resolved = await db.transaction((tx) => c.setStatus(tx, tenantA, first.id, 'resolved'));
      expect(resolved.resolvedByBot).toBe(false);
      const reopened = await db.transaction((tx) => c.postMessage(tx, tenantA, first.id, { authorKind: 'resident', body: 'Vielä yksi asia' }));
      expect(reopened.conversation.status).toBe('open');
      await db.query(`update inbox_agents set status = 'offline' where tenant_id = $1`, [tenantA]);
    });

    it('publishes a message to the resident and the team after commit, never on rollback', async () => {
      const { conversation } = await start('pending');
      const got: RealtimeEvent[] = [];
      const off = app.services.events.subscribe([conversationChannel(tenantA, conversation.id), teamChannel(tenantA, teamId)], (e) => got.push(e));
      try {
        await app.services.db
          .transaction(async (tx) => {
            await app.services.conversations.postMessage(tx, tenantA, conversation.id, { clientId: 'rolled', authorKind: 'resident', body: 'x' });
            throw new Error('roll back');
          })
          .catch(() => {});
        await app.services.db.transaction((tx) =>
          app.services.conversations.postMessage(tx, tenantA, conversation.id, { clientId: 'kept', authorKind: 'resident', body: 'Kuuluuko?' }),
        );
        const residentIds = () =>
          got.map((e) => (e.data as { message?: Message }).message).filter((m) => m?.authorKind === 'resident').map((m) => m!.clientId);
        await expect.poll(residentIds, { timeout: 5000 }).toEqual(['kept']);
      } finally {
        off();
      }
    });

    it('purges uploads that no message took within a day, and keeps the rest', async () => {
      const { conversation } = await start();
      const add = (age: string) =>
        app.services.db.query<{ id: string }>(
          `insert into inbox_attachments (tenant_id, conversation_id, uploaded_by, filename, content_type, size, bytes, created_at)
           values ($1, $2, 'resident', 'x.png', 'image/png', 1, '\\x00', now() - $3::interval) returning id`,
          [tenantA, conversation.id, age],
        );
      const old = (await add('25 hours')).rows[0].id;
      const fresh = (await add('1 hour')).rows[0].id;
      expect(await app.services.chat.purgeUnsentUploads()).toBeGreaterThanOrEqual(1);
      const left = await app.services.db.query<{ id: string }>('select id from inbox_attachments where id = any($1::uuid[])', [[old, fresh]]);
      expect(left.rows.map((r) => r.id)).toEqual([fresh]);
    });

    it('treats another tenant\'s conversation as missing', async () => {
      const { conversation } = await start();
      await expect(
        app.services.db.transaction((tx) => app.services.conversations.postMessage(tx, tenantB, conversation.id, { authorKind: 'resident', body: 'x' })),
      ).rejects.toMatchObject({ status: 404 });
    });
  });
}
