import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../platform/errors.ts';

/**
 * Server-Sent Events plumbing shared by every stream (GET /api/v1/events, the chat's
 * conversation stream, the agent inbox stream): headers, the retry hint, heartbeat
 * comments with an optional liveness check, and closing on client disconnect or server
 * shutdown. Each stream decides what to subscribe to and what to replay.
 *
 * The reply is hijacked and written to directly (no intermediate stream object), so an
 * idle connection costs little more than its socket.
 */
export const SSE_LIMITS = {
  /** Comment lines keep proxies (and their idle timeouts) from closing a quiet stream. */
  heartbeatMs: 20_000,
  /** Sent as `retry:` so browsers reconnect soon after a deploy drains this instance. */
  retryMs: 5_000,
  /** Per session: a few tabs are normal; dozens mean a loop in a client. */
  maxPerSession: 5,
};

/**
 * Counts the open streams of each session so one session cannot hold more than
 * SSE_LIMITS.maxPerSession of a stream route. Each route keeps its own limiter.
 */
export function sessionStreamLimiter() {
  const open = new Map<string, number>();
  return {
    /** Counts one more stream, or throws 429 with retry-after when the session has the maximum; call the returned function when the stream closes. */
    acquire(sessionId: string): () => void {
      const n = open.get(sessionId) ?? 0;
      if (n >= SSE_LIMITS.maxPerSession) {
        throw new AppError('too_many_requests', 429, undefined, { 'retry-after': String(Math.ceil(SSE_LIMITS.retryMs / 1000)) });
      }
      open.set(sessionId, n + 1);
      return () => {
        const left = (open.get(sessionId) ?? 1) - 1;
        if (left > 0) open.set(sessionId, left);
        else open.delete(sessionId);
      };
    },
  };
}

/** Event types become the SSE `event:` field; anything but a simple word could break framing. */
const EVENT_TYPE = /^[a-z][a-z0-9_.:-]{0,63}$/i;

export interface SseEvent {
  /** The SSE `id:` line: what the browser sends back as Last-Event-ID after a reconnect. */
  id?: string | number;
  type: string;
  data: unknown;
}

export function formatSseEvent(e: SseEvent): string {
  const type = EVENT_TYPE.test(e.type) ? e.type : 'message';
  const id = e.id === undefined ? '' : String(e.id).replace(/[\r\n]/g, '');
  // JSON.stringify never emits a raw newline, so the data stays on one `data:` line.
  return `${id ? `id: ${id}\n` : ''}event: ${type}\ndata: ${JSON.stringify(e.data ?? {})}\n\n`;
}

export interface SseStream {
  send(e: SseEvent): void;
  readonly closed: boolean;
  close(): void;
}

/** Open streams per HTTP server (route plugins get child Fastify instances; the server is shared). */
const openStreams = new WeakMap<object, Set<() => void>>();

/**
 * Starts an event stream on the reply. `onClose` runs once, whoever closes (client, server,
 * shutdown, failed liveness check). `alive` runs at each heartbeat; false ends the stream
 * (a signed-out session). Headers the request hooks set (security headers) are kept.
 */
export function openSseStream(
  app: FastifyInstance,
  reply: FastifyReply,
  opts: { onClose: () => void; alive?: () => Promise<boolean> },
): SseStream {
  let closers = openStreams.get(app.server);
  if (!closers) {
    const set = new Set<() => void>();
    openStreams.set(app.server, (closers = set));
  }
  const raw = reply.raw;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearTimeout(heartbeat);
    clearInterval(heartbeat);
    closers.delete(close);
    try {
      opts.onClose();
    } finally {
      raw.end();
    }
  };
  const beat = () => {
    if (closed) return;
    const comment = () => {
      if (!closed) raw.write(': heartbeat\n\n');
    };
    if (!opts.alive) return comment();
    opts.alive().then((ok) => (ok ? comment() : close()), comment);
  };
  // Streams opened together (a deploy's reconnect wave) would beat together, and their
  // liveness queries would arrive as one burst every interval: each stream's first beat
  // comes at a random point of the first interval, which spreads them out for good.
  let heartbeat: NodeJS.Timeout = setTimeout(() => {
    beat();
    heartbeat = setInterval(beat, SSE_LIMITS.heartbeatMs);
    heartbeat.unref();
  }, Math.random() * SSE_LIMITS.heartbeatMs);
  heartbeat.unref();
  closers.add(close);
  raw.on('close', close);

  reply.hijack();
  const headers: Record<string, string | number | string[]> = {};
  for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = v as string | number | string[];
  raw.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    // no-transform keeps proxies from compressing (and so buffering) the stream.
    'cache-control': 'no-cache, no-store, no-transform',
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  });
  raw.write(`retry: ${SSE_LIMITS.retryMs}\n: connected\n\n`);
  return {
    send: (e) => {
      if (!closed) raw.write(formatSseEvent(e));
    },
    get closed() {
      return closed;
    },
    close,
  };
}

/**
 * Open streams never go idle, so app.close() would wait for them forever: a preClose hook
 * ends them first. Clients reconnect (retry:) to an instance that is still serving.
 * Registered once, on the root instance (buildApp).
 */
export function closeSseStreamsOnShutdown(app: FastifyInstance) {
  app.addHook('preClose', async () => {
    for (const close of [...(openStreams.get(app.server) ?? [])]) close();
  });
}
