import type { ApiRoutes } from '../../server/app.ts';
import { openSseStream, sessionStreamLimiter } from '../../server/sse.ts';
import { userChannel } from '../../platform/events.ts';
import { AppError } from '../../platform/errors.ts';
import { canSeeConversation, requireAgent } from './access.ts';
import { resumeAfter } from './chat-api.ts';
import { conversationStaffChannel } from './conversations.ts';
import { inboxChannel, teamChannel, type Message } from './model.ts';

/**
 * GET /api/v1/inbox/stream: the agent's live inbox. It carries the messages of
 * conversations assigned to the agent, the queues of the agent's teams, conversation
 * changes of the whole tenant (so lists stay current) and typing. With
 * `?conversation=<id>` it also carries every message of that conversation, notes
 * included, replaying those after Last-Event-ID / `?after=` first (the open view).
 *
 * While the stream is open the agent's presence stays fresh (`last_seen_at`), which keeps
 * them in round-robin; closing the inbox lets them drop out by themselves.
 */
export const agentStreamApi: ApiRoutes = (app, services) => {
  const { db, conversations } = services;
  const perSession = sessionStreamLimiter();

  app.get('/api/v1/inbox/stream', async (req, reply) => {
    const { tenant, actor } = req.aukio;
    const agent = await requireAgent(db, tenant.id, actor);
    if (actor.kind !== 'staff') throw new AppError('unauthenticated', 401);
    if (req.method === 'HEAD') return reply.code(200).header('content-type', 'text/event-stream; charset=utf-8').send();
    const q = (req.query ?? {}) as { conversation?: unknown };
    const viewed = typeof q.conversation === 'string' && q.conversation ? await conversations.get(db, tenant.id, q.conversation) : null;
    if (typeof q.conversation === 'string' && q.conversation && (!viewed || !canSeeConversation(agent, viewed))) throw new AppError('not_found', 404);

    const sessionId = actor.sessionId;
    const release = perSession.acquire(sessionId);

    const channels = [userChannel(tenant.id, agent.user.id), inboxChannel(tenant.id), ...agent.teamIds.map((t) => teamChannel(tenant.id, t))];
    if (viewed) channels.push(conversationStaffChannel(tenant.id, viewed.id));

    // Replay applies to the viewed conversation; other conversations' messages are live only
    // (the list is re-read on reconnect).
    let sent = viewed ? resumeAfter(req) : 0;
    let catchingUp = viewed !== null;
    const queued: { type: string; data: Record<string, unknown> }[] = [];
    const sendViewed = (m: Message) => {
      if (m.seq <= sent) return;
      sent = m.seq;
      stream.send({ id: m.seq, type: 'message', data: m as unknown as Record<string, unknown> });
    };
    const readGap = async () => {
      for (const m of await conversations.messagesAfter(db, tenant.id, viewed!.id, sent, { includeInternal: true })) sendViewed(m);
    };
    const handle = async (e: { type: string; data: Record<string, unknown> }) => {
      const d = e.data as { conversationId?: string; seq?: number; message?: Message };
      if (e.type === 'message' && viewed && d.conversationId === viewed.id) {
        if ((d.seq ?? 0) <= sent) return;
        if (d.message && d.seq === sent + 1) return sendViewed(d.message);
        return readGap();
      }
      if (e.type === 'message') {
        const m = await conversations.messageFromEvent(tenant.id, d as { conversationId: string; seq: number; message?: Message });
        if (m) stream.send({ type: 'message', data: m as unknown as Record<string, unknown> });
        return;
      }
      stream.send({ type: e.type, data: e.data });
    };
    let chain: Promise<void> = Promise.resolve();
    const unsubscribe = services.events.subscribe(channels, (e) => {
      if (catchingUp) queued.push(e);
      else chain = chain.then(() => handle(e)).catch(() => stream.close());
    });
    const touch = () =>
      db.query(
        `insert into inbox_agents (tenant_id, staff_user_id, last_seen_at) values ($1, $2, now())
         on conflict (tenant_id, staff_user_id) do update set last_seen_at = now()`,
        [tenant.id, agent.user.id],
      );
    const stream = openSseStream(app, reply, {
      onClose: () => {
        unsubscribe();
        release();
      },
      alive: async () => {
        const s = await db.query('select 1 from sessions where id = $1 and tenant_id = $2 and expires_at > now()', [sessionId, tenant.id]);
        if (!s.rows.length) return false;
        await touch();
        // Safety net for a lost signal (see EventBus.publish): catch up the viewed conversation.
        if (viewed && !catchingUp) {
          const now = await conversations.get(db, tenant.id, viewed.id);
          if (now && now.lastSeq > sent) chain = chain.then(readGap).catch(() => stream.close());
        }
        return true;
      },
    });
    try {
      await touch();
      if (viewed) await readGap();
    } catch {
      stream.close();
    }
    catchingUp = false;
    for (const e of queued.splice(0)) chain = chain.then(() => handle(e)).catch(() => stream.close());
  });
};
