import { AppError } from '../platform/errors.ts';
import { tenantChannel, userChannel } from '../platform/events.ts';
import type { ApiRoutes } from './app.ts';
import { openSseStream, sessionStreamLimiter } from './sse.ts';

/**
 * Server-Sent Events: GET /api/v1/events streams the realtime events of the signed-in
 * person. Staff get their tenant's channel and their own; residents only their own.
 * Events reach this instance through the EventBus (PostgreSQL LISTEN/NOTIFY), so a
 * client may be connected to any instance. There is no replay here: after a reconnect the
 * client refetches what it shows, and the stream is only a "something changed" signal.
 * (Chat and the agent inbox have their own streams, which do replay: src/modules/inbox.)
 */
export const realtimeApi: ApiRoutes = (app, services) => {
  const perSession = sessionStreamLimiter();

  app.get('/api/v1/events', async (req, reply) => {
    const { actor, tenant } = req.aukio;
    if (actor.kind === 'anonymous') throw new AppError('unauthenticated', 401);
    if (actor.kind !== 'staff' && actor.kind !== 'resident') throw new AppError('forbidden', 403);

    // Fastify answers HEAD with this handler too: headers only, no subscription.
    if (req.method === 'HEAD') return reply.code(200).header('content-type', 'text/event-stream; charset=utf-8').send();

    const sessionId = actor.sessionId;
    const userId = actor.kind === 'staff' ? actor.user.id : actor.resident.id;
    const release = perSession.acquire(sessionId);

    const channels = [userChannel(tenant.id, userId)];
    if (actor.kind === 'staff') channels.push(tenantChannel(tenant.id));

    let unsubscribe = () => {};
    const stream = openSseStream(app, reply, {
      onClose: () => {
        unsubscribe();
        release();
      },
      // The heartbeat also notices a session that was signed out (everywhere) or expired
      // while the stream was open, without extending it the way a page view does.
      alive: () =>
        services.db
          .query('select 1 from sessions where id = $1 and tenant_id = $2 and expires_at > now()', [sessionId, tenant.id])
          .then((r) => r.rows.length > 0),
    });
    unsubscribe = services.events.subscribe(channels, (event) => stream.send(event));
  });
};
