import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/engines.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { openSse, type SseClient } from '../helpers/sse.ts';
import { staffClient } from '../helpers/staff-session.ts';

/*
 * Chat over HTTP: a resident's conversation stream replays what it missed and never
 * repeats a message, and an agent on another instance (PostgreSQL: two instances on one
 * database) receives the resident's messages live.
 */

interface Started {
  conversation: { id: string; number: number; status: string };
  token: string;
}

for (const engine of engines()) {
  const twoInstances = engine.name === 'postgres';
  describe.skipIf(!engine.available)(`inbox streams (${engine.name}${twoInstances ? ', two instances' : ''})`, () => {
    let a: TestApp;
    let b: TestApp;
    const clients: SseClient[] = [];

    beforeAll(async () => {
      a = await startTestApp(engine.name);
      b = twoInstances ? await startTestApp(engine.name, { databaseUrl: a.databaseUrl }) : a;
    }, 120_000);
    afterAll(async () => {
      for (const c of clients) c.close();
      if (b !== a) await b?.close();
      await a?.close();
    });

    const startChat = async (app: TestApp, body: Record<string, unknown> = {}): Promise<Started> => {
      const r = await hostFetch(app, HOST_A)('/api/v1/chat/conversations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ lang: 'fi', ...body }),
      });
      expect(r.status).toBe(201);
      return (await r.json()) as Started;
    };
    const send = (app: TestApp, s: Started, clientId: string, body: string) =>
      hostFetch(app, HOST_A)(`/api/v1/chat/conversations/${s.conversation.id}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-chat-token': s.token },
        body: JSON.stringify({ clientId, body }),
      });
    const stream = async (app: TestApp, s: Started, headers: Record<string, string> = {}) => {
      const c = await openSse(app, HOST_A, headers, `/api/v1/chat/conversations/${s.conversation.id}/stream?token=${s.token}`);
      clients.push(c);
      return c;
    };
    const bodies = (c: SseClient) => c.events.filter((e) => e.event === 'message').map((e) => (e.data as { body: string; authorKind: string }));

    it('replays after Last-Event-ID and sends each message once', async () => {
      const s = await startChat(a);
      expect((await send(a, s, 'one', 'Ensimmäinen')).status).toBe(201);
      expect((await send(a, s, 'one', 'Ensimmäinen')).status).toBe(200);
      const first = await stream(b, s);
      expect(first.status).toBe(200);
      await first.waitFor((e) => e.event === 'message' && (e.data as { body: string }).body === 'Ensimmäinen');
      await send(a, s, 'two', 'Toinen');
      await first.waitFor((e) => e.event === 'message' && (e.data as { body: string }).body === 'Toinen');
      first.close();
      const residentOnly = bodies(first).filter((m) => m.authorKind === 'resident').map((m) => m.body);
      expect(residentOnly).toEqual(['Ensimmäinen', 'Toinen']);
      const lastId = first.events.filter((e) => e.event === 'message').at(-1)!.id!;

      // Offline for a moment: two messages are sent meanwhile; the reconnect gets exactly those.
      await send(a, s, 'three', 'Kolmas');
      await send(a, s, 'four', 'Neljäs');
      const again = await stream(b, s, { 'last-event-id': lastId });
      await again.waitFor((e) => e.event === 'message' && (e.data as { body: string }).body === 'Neljäs');
      expect(bodies(again).filter((m) => m.authorKind === 'resident').map((m) => m.body)).toEqual(['Kolmas', 'Neljäs']);
      const ids = again.events.filter((e) => e.event === 'message').map((e) => Number(e.id));
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      expect(ids[0]).toBe(Number(lastId) + 1);
    });

    it('refuses a wrong token and another tenant\'s host like a missing conversation', async () => {
      const s = await startChat(a);
      const wrong = await hostFetch(a, HOST_A)(`/api/v1/chat/conversations/${s.conversation.id}`, { headers: { 'x-chat-token': 'x'.repeat(32) } });
      expect(wrong.status).toBe(404);
      const other = await hostFetch(a, HOST_B)(`/api/v1/chat/conversations/${s.conversation.id}`, { headers: { 'x-chat-token': s.token } });
      expect(other.status).toBe(404);
      const bad = await hostFetch(a, HOST_A)(`/api/v1/chat/conversations/${s.conversation.id}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-chat-token': s.token },
        body: '{"body": ',
      });
      expect(bad.status).toBe(400);
    });

    it('delivers a resident message on instance A to the assigned agent on instance B', async () => {
      const agent = await staffClient(b, HOST_A, 'asiakaspalvelu@esimerkkila.fi');
      // Only this agent is online, so round-robin must pick them.
      await a.services.db.query(`update inbox_agents set status = 'offline'`);
      await a.services.db.query(
        `insert into inbox_agents (tenant_id, staff_user_id, status, capacity) values ($1, $2, 'online', 50)
         on conflict (tenant_id, staff_user_id) do update set status = 'online', capacity = 50`,
        [agent.tenantId, agent.userId],
      );
      const inbox = await openSse(b, HOST_A, { cookie: agent.cookie }, '/api/v1/inbox/stream');
      clients.push(inbox);
      expect(inbox.status).toBe(200);
      const s = await startChat(a, { human: true });
      const state = await (await hostFetch(a, HOST_A)(`/api/v1/chat/conversations/${s.conversation.id}`, { headers: { 'x-chat-token': s.token } })).json();
      expect(state.conversation.status).toBe('open');
      expect((await send(a, s, 'hello', 'Tarvitsen apua laskun kanssa')).status).toBe(201);
      const got = await inbox.waitFor((e) => e.event === 'message' && (e.data as { body?: string }).body === 'Tarvitsen apua laskun kanssa', 10_000);
      expect((got.data as { conversationId: string }).conversationId).toBe(s.conversation.id);
      await a.services.db.query(`update inbox_agents set status = 'offline'`);
    });

    it('refuses the agent stream to residents and anonymous callers', async () => {
      const r = await hostFetch(a, HOST_A)('/api/v1/inbox/stream');
      expect(r.status).toBe(401);
      const moderator = await staffClient(a, HOST_A, 'moderaattori@esimerkkila.fi');
      expect((await moderator.get('/api/v1/inbox/stream')).status).toBe(403);
    });
  });
}
