import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/engines.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

/*
 * Round-robin under a burst: more conversations start at once than there are agents, so
 * every agent's row is locked by another start at some moment. Each conversation must
 * still get an agent while anyone has room (bench:chat found some left in the queue).
 */

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`inbox round-robin under a burst (${engine.name})`, () => {
    let app: TestApp;
    let tenantId: string;
    let agents: string[];

    beforeAll(async () => {
      app = await startTestApp(engine.name);
      const db = app.services.db;
      tenantId = (await db.query<{ id: string }>(`select id from tenants where slug = 'esimerkkila'`)).rows[0].id;
      const u = await db.query<{ id: string }>(
        `select id from staff_users where tenant_id = $1 and email in ('asiakaspalvelu@esimerkkila.fi', 'admin@esimerkkila.fi')`,
        [tenantId],
      );
      agents = u.rows.map((r) => r.id);
      await db.query(`update inbox_agents set status = 'offline' where tenant_id = $1`, [tenantId]);
      for (const id of agents) {
        await db.query(
          `insert into inbox_agents (tenant_id, staff_user_id, status, capacity, last_seen_at) values ($1, $2, 'online', 7, now())
           on conflict (tenant_id, staff_user_id) do update set status = 'online', capacity = 7, last_seen_at = now()`,
          [tenantId, id],
        );
      }
    }, 120_000);
    afterAll(() => app?.close());

    it('assigns every conversation of a burst while agents have room, and no agent beyond capacity', async () => {
      const started = await Promise.all(
        Array.from({ length: 16 }, () =>
          app.services.db.transaction((tx) => app.services.conversations.start(tx, tenantId, { channel: 'chat', lang: 'fi', status: 'pending', withVisitorToken: true })),
        ),
      );
      const ids = started.map((s) => s.conversation.id);
      const r = await app.services.db.query<{ assignee_id: string | null; status: string; n: string }>(
        `select assignee_id, status, count(*) as n from inbox_conversations where tenant_id = $1 and id = any($2::uuid[]) group by 1, 2`,
        [tenantId, ids],
      );
      const perAgent = new Map(r.rows.filter((x) => x.assignee_id).map((x) => [x.assignee_id!, Number(x.n)]));
      // Two agents with room for 7 each: 14 assigned, the last 2 wait in the queue.
      expect([...perAgent.keys()].sort()).toEqual([...agents].sort());
      expect([...perAgent.values()]).toEqual([7, 7]);
      expect(r.rows.filter((x) => !x.assignee_id).map((x) => [x.status, Number(x.n)])).toEqual([['pending', 2]]);
    });
  });
}
