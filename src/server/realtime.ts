import { PassThrough } from 'node:stream';
import { AppError } from '../platform/errors.ts';
import { tenantChannel, userChannel, type RealtimeEvent } from '../platform/events.ts';
import type { ApiRoutes } from './app.ts';

/**
 * Server-Sent Events: GET /api/v1/events streams the realtime events of the signed-in
 * person. Staff get their tenant's channel and their own; residents only their own.
 * Events reach this instance through the EventBus (PostgreSQL LISTEN/NOTIFY), so a
 * client may be connected to any instance. There is no replay: after a reconnect the
 * client refetches what it shows, and the stream is only a "something changed" signal.
 */
export const SSE_LIMITS = {
  /** Comment lines keep proxies (and their idle timeouts) from closing a quiet stream. */
  heartbeatMs: 20_000,
  /** Sent as `retry:` so browsers reconnect soon after a deploy drains this instance. */
  retryMs: 5_000,
  /** Per session: a few tabs are normal; dozens mean a loop in a client. */
  maxPerSession: 5,
};

/** Event types become the SSE `event:` field; anything but a simple word could break framing. */
const EVENT_TYPE = /^[a-z][a-z0-9_.:-]{0,63}$/i;

export function formatSseEvent(e: RealtimeEvent): string {
  const type = EVENT_TYPE.test(e.type) ? e.type : 'message';
  // JSON.stringify never emits a raw newline, so the data stays on one `data:` line.
  return `${e.id ? `id: ${e.id}\n` : ''}event: ${type}\ndata: ${JSON.stringify(e.data ?? {})}\n\n`;
}

export const realtimeApi: ApiRoutes = (app, services) => {
  const perSession = new Map<string, number>();
  const closers = new Set<() => void>();

  // Open streams never go idle, so close() would wait for them forever: end them first.
  // Clients reconnect (retry:) to an instance that is still serving.
  app.addHook('preClose', async () => {
    for (const close of [...closers]) close();
  });

  app.get('/api/v1/events', async (req, reply) => {
    const { actor, tenant } = req.aukio;
    if (actor.kind === 'anonymous') throw new AppError('unauthenticated', 401);
    if (actor.kind !== 'staff' && actor.kind !== 'resident') throw new AppError('forbidden', 403);

    // Fastify answers HEAD with this handler too: headers only, no subscription.
    if (req.method === 'HEAD') return reply.code(200).header('content-type', 'text/event-stream; charset=utf-8').send();

    const sessionId = actor.sessionId;
    const userId = actor.kind === 'staff' ? actor.user.id : actor.resident.id;
    const open = perSession.get(sessionId) ?? 0;
    if (open >= SSE_LIMITS.maxPerSession) {
      throw new AppError('too_many_requests', 429, undefined, { 'retry-after': String(Math.ceil(SSE_LIMITS.retryMs / 1000)) });
    }
    perSession.set(sessionId, open + 1);

    const channels = [userChannel(tenant.id, userId)];
    if (actor.kind === 'staff') channels.push(tenantChannel(tenant.id));

    const stream = new PassThrough();
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      clearInterval(heartbeat);
      closers.delete(close);
      const left = (perSession.get(sessionId) ?? 1) - 1;
      if (left > 0) perSession.set(sessionId, left);
      else perSession.delete(sessionId);
      stream.end();
    };

    const unsubscribe = services.events.subscribe(channels, (event) => {
      if (!closed) stream.write(formatSseEvent(event));
    });
    const heartbeat = setInterval(() => {
      if (closed) return;
      // The heartbeat also notices a session that was signed out (everywhere) or expired
      // while the stream was open, without extending it the way a page view does.
      services.db
        .query('select 1 from sessions where id = $1 and tenant_id = $2 and expires_at > now()', [sessionId, tenant.id])
        .then((r) => {
          if (!r.rows.length) close();
          else if (!closed) stream.write(': heartbeat\n\n');
        })
        .catch(() => {
          if (!closed) stream.write(': heartbeat\n\n');
        });
    }, SSE_LIMITS.heartbeatMs);
    heartbeat.unref();
    closers.add(close);
    // The response closes when the client goes away (or the stream ends): unsubscribe then.
    reply.raw.on('close', close);

    stream.write(`retry: ${SSE_LIMITS.retryMs}\n: connected\n\n`);
    reply
      .code(200)
      .header('content-type', 'text/event-stream; charset=utf-8')
      // no-transform keeps proxies from compressing (and so buffering) the stream.
      .header('cache-control', 'no-cache, no-store, no-transform')
      .header('x-accel-buffering', 'no')
      .header('connection', 'keep-alive');
    return reply.send(stream);
  });
};
