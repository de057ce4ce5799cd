import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders } from 'node:http';
import type { TestApp } from './app.ts';

export interface SseMessage {
  id?: string;
  event: string;
  data: unknown;
}

export interface SseClient {
  status: number;
  headers: IncomingHttpHeaders;
  /** Every event received so far, in order. */
  events: SseMessage[];
  /** Raw text received, for asserting retry:, comments and framing. */
  raw(): string;
  /** Resolves with the first event matching pred (already received or arriving within ms). */
  waitFor(pred: (m: SseMessage) => boolean, ms?: number): Promise<SseMessage>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/**
 * A minimal EventSource over node:http, so the Host header (the tenant) and the session
 * cookie can be set. Resolves once the response headers have arrived; a non-200 answer
 * resolves too, with the body in raw().
 */
export function openSse(app: TestApp, host: string, headers: Record<string, string> = {}, path = '/api/v1/events'): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    let text = '';
    let buffer = '';
    const events: SseMessage[] = [];
    const waiters = new Set<{ pred: (m: SseMessage) => boolean; done: (m: SseMessage) => void }>();
    let endResolve!: () => void;
    const ended = new Promise<void>((r) => (endResolve = r));
    const req: ClientRequest = httpRequest(app.url + path, { headers: { host, accept: 'text/event-stream', ...headers } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        buffer += chunk;
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const m: { id?: string; event: string; data?: string } = { event: 'message' };
          let hasData = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const [field, ...rest] = line.split(':');
            const value = rest.join(':').replace(/^ /, '');
            if (field === 'id') m.id = value;
            else if (field === 'event') m.event = value;
            else if (field === 'data') {
              m.data = (m.data === undefined ? '' : m.data + '\n') + value;
              hasData = true;
            }
          }
          if (!hasData) continue;
          const msg: SseMessage = { id: m.id, event: m.event, data: JSON.parse(m.data!) };
          events.push(msg);
          for (const w of [...waiters]) if (w.pred(msg)) w.done(msg);
        }
      });
      res.on('end', () => endResolve());
      res.on('close', () => endResolve());
      res.on('error', () => endResolve());
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        raw: () => text,
        ended,
        waitFor(pred, ms = 5000) {
          const hit = events.find(pred);
          if (hit) return Promise.resolve(hit);
          return new Promise((ok, fail) => {
            const w = {
              pred,
              done: (msg: SseMessage) => {
                clearTimeout(timer);
                waiters.delete(w);
                ok(msg);
              },
            };
            const timer = setTimeout(() => {
              waiters.delete(w);
              fail(new Error(`no matching SSE event within ${ms} ms; got ${JSON.stringify(events)}`));
            }, ms);
            waiters.add(w);
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', (e) => {
      // A destroy() after the response started is the client hanging up, not a failure.
      if ((e as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(e);
    });
    req.end();
  });
}
