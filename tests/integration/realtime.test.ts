import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantChannel, userChannel, type RealtimeEvent } from '../../src/platform/events.ts';
import { SSE_LIMITS } from '../../src/server/sse.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { engines } from '../helpers/engines.ts';
import { openSse, type SseClient } from '../helpers/sse.ts';

interface Person {
  cookie: string;
  id: string;
  tenantId: string;
}

async function tenantId(app: TestApp, slug: string) {
  const r = await app.services.db.query<{ id: string }>('select id from tenants where slug = $1', [slug]);
  return r.rows[0].id;
}

/** A signed-in staff member, made the way sign-in makes one (a session row + its cookie). */
async function staffSession(app: TestApp, email: string): Promise<Person> {
  const r = await app.services.db.query<{ id: string; tenant_id: string }>('select id, tenant_id from staff_users where email = $1', [email]);
  const { id, tenant_id } = r.rows[0];
  const token = await app.services.sessions.create(app.services.db, { tenantId: tenant_id, staffUserId: id, method: 'password' });
  return { cookie: `aukio_session=${token}`, id, tenantId: tenant_id };
}

async function residentSession(app: TestApp, tenant: string): Promise<Person> {
  const r = await app.services.db.query<{ id: string }>(
    `insert into residents (tenant_id, assurance, given_name, family_name, email)
     values ($1, 'weak', 'Reetta', 'Realtime', $2) returning id`,
    [tenant, `reetta.${Math.random().toString(36).slice(2)}@example.fi`],
  );
  const id = r.rows[0].id;
  const token = await app.services.sessions.create(app.services.db, { tenantId: tenant, residentId: id, method: 'email_code' });
  return { cookie: `aukio_session=${token}`, id, tenantId: tenant };
}

function publish(app: TestApp, event: RealtimeEvent) {
  return app.services.db.transaction((tx) => app.services.events.publish(tx, event));
}

const marker = () => Math.random().toString(36).slice(2);

for (const engine of engines()) {
  // On PostgreSQL the publisher and the subscriber are two instances sharing one database;
  // PGlite is one process, so there the same instance plays both parts.
  const twoInstances = engine.name === 'postgres';
  describe.skipIf(!engine.available)(`realtime SSE on ${engine.name}${twoInstances ? ' (two instances)' : ''}`, () => {
    let a: TestApp;
    let b: TestApp;
    let tenantA: string;
    let tenantB: string;
    const clients: SseClient[] = [];
    const connect = async (host: string, cookie?: string) => {
      const c = await openSse(b, host, cookie ? { cookie } : {});
      clients.push(c);
      return c;
    };

    beforeAll(async () => {
      a = await startTestApp(engine.name);
      b = twoInstances ? await startTestApp(engine.name, { databaseUrl: a.databaseUrl }) : a;
      tenantA = await tenantId(a, 'esimerkkila');
      tenantB = await tenantId(a, 'jarvikyla');
    });
    afterAll(async () => {
      for (const c of clients) c.close();
      if (b && b !== a) await b.close();
      await a?.close();
    });

    it('runs a second instance on the same database without reseeding it', async () => {
      const r = await b.services.db.query<{ n: number }>('select count(*)::int as n from tenants');
      expect(r.rows[0].n).toBe(2);
      const staff = await b.services.db.query<{ n: number }>("select count(*)::int as n from staff_users where email = 'admin@esimerkkila.fi'");
      expect(staff.rows[0].n).toBe(1);
    });

    it('refuses anonymous clients with 401 in the error shape', async () => {
      const c = await connect(HOST_A);
      expect(c.status).toBe(401);
      await c.ended;
      expect(JSON.parse(c.raw())).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    });

    it('refuses an expired session with 401 session_expired', async () => {
      const p = await staffSession(b, 'viestinta@esimerkkila.fi');
      await b.services.db.query(`update sessions set expires_at = now() - interval '1 minute' where staff_user_id = $1`, [p.id]);
      const c = await connect(HOST_A, p.cookie);
      expect(c.status).toBe(401);
      await c.ended;
      expect(JSON.parse(c.raw()).error.code).toBe('session_expired');
    });

    it('streams proper SSE: content type, no caching or buffering, retry line', async () => {
      const p = await staffSession(b, 'admin@esimerkkila.fi');
      const c = await connect(HOST_A, p.cookie);
      expect(c.status).toBe(200);
      expect(c.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(c.headers['cache-control']).toContain('no-cache');
      expect(c.headers['cache-control']).toContain('no-transform');
      expect(c.headers['x-accel-buffering']).toBe('no');
      expect(c.headers['content-encoding']).toBeUndefined();
      await expect.poll(() => c.raw()).toContain(`retry: ${SSE_LIMITS.retryMs}\n`);
      c.close();
    });

    it('delivers a tenant event published on instance A to a staff client of instance B, with an id', async () => {
      const p = await staffSession(b, 'admin@esimerkkila.fi');
      const c = await connect(HOST_A, p.cookie);
      const m = marker();
      await publish(a, { channel: tenantChannel(tenantA), type: 'test.ping', data: { m } });
      const got = await c.waitFor((e) => (e.data as { m?: string }).m === m);
      expect(got.event).toBe('test.ping');
      expect(got.id).toMatch(/^[0-9a-z]+-[0-9a-f]{12}$/);
      c.close();
    });

    it("never delivers tenant A's event to a client of tenant B", async () => {
      const pb = await staffSession(b, 'admin@jarvikyla.fi');
      const cb = await connect(HOST_B, pb.cookie);
      const leak = marker();
      const sentinel = marker();
      await publish(a, { channel: tenantChannel(tenantA), type: 'test.secret', data: { m: leak } });
      await publish(a, { channel: tenantChannel(tenantB), type: 'test.sentinel', data: { m: sentinel } });
      // NOTIFY delivers in commit order: once the sentinel is here, the leak would have been too.
      await cb.waitFor((e) => (e.data as { m?: string }).m === sentinel);
      expect(cb.events.some((e) => (e.data as { m?: string }).m === leak)).toBe(false);
      cb.close();
    });

    it("a session cookie of tenant A is not a session on tenant B's host", async () => {
      const p = await staffSession(b, 'admin@esimerkkila.fi');
      const c = await connect(HOST_B, p.cookie);
      expect(c.status).toBe(401);
      await c.ended;
    });

    it('delivers a user-channel event only to that user', async () => {
      const admin = await staffSession(b, 'admin@esimerkkila.fi');
      const other = await staffSession(b, 'viestinta@esimerkkila.fi');
      const ca = await connect(HOST_A, admin.cookie);
      const co = await connect(HOST_A, other.cookie);
      const personal = marker();
      const sentinel = marker();
      await publish(a, { channel: userChannel(tenantA, admin.id), type: 'test.personal', data: { m: personal } });
      await publish(a, { channel: tenantChannel(tenantA), type: 'test.sentinel', data: { m: sentinel } });
      await ca.waitFor((e) => (e.data as { m?: string }).m === personal);
      await co.waitFor((e) => (e.data as { m?: string }).m === sentinel);
      expect(co.events.some((e) => (e.data as { m?: string }).m === personal)).toBe(false);
      ca.close();
      co.close();
    });

    it('gives a resident their own channel but not the staff tenant channel', async () => {
      const r = await residentSession(b, tenantA);
      const c = await connect(HOST_A, r.cookie);
      expect(c.status).toBe(200);
      const staffOnly = marker();
      const mine = marker();
      await publish(a, { channel: tenantChannel(tenantA), type: 'test.staff', data: { m: staffOnly } });
      await publish(a, { channel: userChannel(tenantA, r.id), type: 'test.mine', data: { m: mine } });
      await c.waitFor((e) => (e.data as { m?: string }).m === mine);
      expect(c.events.some((e) => (e.data as { m?: string }).m === staffOnly)).toBe(false);
      c.close();
    });

    it('never delivers an event published in a rolled-back transaction', async () => {
      const p = await staffSession(b, 'admin@esimerkkila.fi');
      const c = await connect(HOST_A, p.cookie);
      const ghost = marker();
      const sentinel = marker();
      await expect(
        a.services.db.transaction(async (tx) => {
          await a.services.events.publish(tx, { channel: tenantChannel(tenantA), type: 'test.ghost', data: { m: ghost } });
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      await publish(a, { channel: tenantChannel(tenantA), type: 'test.sentinel', data: { m: sentinel } });
      await c.waitFor((e) => (e.data as { m?: string }).m === sentinel);
      expect(c.events.some((e) => (e.data as { m?: string }).m === ghost)).toBe(false);
      c.close();
    });

    it('tells the other tabs of a person about a preference change made through the API of instance A', async () => {
      const p = await staffSession(a, 'admin@esimerkkila.fi');
      const c = await connect(HOST_A, p.cookie);
      const csrf = 'c'.repeat(32);
      const r = await hostFetch(a, HOST_A)('/api/v1/me/preferences', {
        method: 'PATCH',
        headers: { cookie: `${p.cookie}; aukio_csrf=${csrf}`, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ preferredLanguage: 'sv' }),
      });
      expect(r.status).toBe(200);
      const got = await c.waitFor((e) => e.event === 'preferences.changed');
      expect(got.data).toEqual({ preferredLanguage: 'sv' });
      c.close();
    });

    // PGlite has no connection to lose.
    if (twoInstances) it('keeps delivering after the LISTEN connection is killed (reconnects by itself)', async () => {
      const p = await staffSession(b, 'admin@esimerkkila.fi');
      const c = await connect(HOST_A, p.cookie);
      const killed = await a.services.db.query<{ n: number }>(
        `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid() and query ilike 'LISTEN%'`,
      );
      expect(killed.rows[0].n).toBeGreaterThanOrEqual(1);
      // Events published while B is reconnecting are lost (by design); keep publishing until one arrives.
      const m = marker();
      await expect
        .poll(
          async () => {
            await publish(a, { channel: tenantChannel(tenantA), type: 'test.after-reconnect', data: { m } });
            return c.events.some((e) => (e.data as { m?: string }).m === m);
          },
          { timeout: 15_000, interval: 500 },
        )
        .toBe(true);
      c.close();
    });

    it('sends heartbeat comments and ends the stream once the session is signed out', async () => {
      const saved = SSE_LIMITS.heartbeatMs;
      SSE_LIMITS.heartbeatMs = 150;
      try {
        const p = await staffSession(b, 'asiakaspalvelu@esimerkkila.fi');
        const c = await connect(HOST_A, p.cookie);
        await expect.poll(() => c.raw(), { timeout: 5000 }).toContain(': heartbeat\n\n');
        await b.services.db.query('delete from sessions where staff_user_id = $1', [p.id]);
        await c.ended;
      } finally {
        SSE_LIMITS.heartbeatMs = saved;
      }
    });

    it('answers HEAD without opening a stream', async () => {
      const before = b.services.events.subscriberCount();
      const p = await staffSession(b, 'admin@esimerkkila.fi');
      const r = await hostFetch(b, HOST_A)('/api/v1/events', { method: 'HEAD', headers: { cookie: p.cookie } });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(b.services.events.subscriberCount()).toBe(before);
    });

    it('unsubscribes when the client disconnects', async () => {
      await new Promise((r) => setTimeout(r, 100));
      const before = b.services.events.subscriberCount();
      const p = await staffSession(b, 'admin@esimerkkila.fi');
      const c = await connect(HOST_A, p.cookie);
      await expect.poll(() => b.services.events.subscriberCount()).toBe(before + 2); // user + tenant channel
      c.close();
      await expect.poll(() => b.services.events.subscriberCount()).toBe(before);
    });

    it('caps the open streams of one session', async () => {
      const p = await staffSession(b, 'moderaattori@esimerkkila.fi');
      const open: SseClient[] = [];
      for (let i = 0; i < SSE_LIMITS.maxPerSession; i++) {
        const c = await connect(HOST_A, p.cookie);
        expect(c.status).toBe(200);
        open.push(c);
      }
      const extra = await connect(HOST_A, p.cookie);
      expect(extra.status).toBe(429);
      await extra.ended;
      expect(JSON.parse(extra.raw()).error.code).toBe('too_many_requests');
      // Closing one frees a slot.
      open[0].close();
      await expect
        .poll(async () => {
          const c = await connect(HOST_A, p.cookie);
          c.close();
          return c.status;
        })
        .toBe(200);
      for (const c of open) c.close();
    });
  });
}

describe('realtime SSE shutdown', () => {
  it('ends open streams when the instance closes, so close() does not hang', async () => {
    const app = await startTestApp('pglite', { work: false });
    const p = await staffSession(app, 'admin@esimerkkila.fi');
    const c = await openSse(app, HOST_A, { cookie: p.cookie });
    expect(c.status).toBe(200);
    const started = Date.now();
    await app.close();
    await c.ended;
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
