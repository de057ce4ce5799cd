import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPtvDocument, PtvFetchError } from './ptv-sync.ts';

/*
 * The sync's fetch against a local HTTP server: what is retried (network, timeouts, 5xx) and
 * what is not (4xx, not JSON, too large).
 */
describe('fetchPtvDocument', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      switch (req.url) {
        case '/ok':
          return res.writeHead(200, { 'content-type': 'application/json' }).end('{"services":[]}');
        case '/missing':
          return res.writeHead(404).end('not here');
        case '/busy':
          return res.writeHead(503).end('later');
        case '/html':
          return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
        case '/big-declared':
          return res.writeHead(200, { 'content-length': '5000' }).end('x'.repeat(5000));
        case '/big-chunked':
          res.writeHead(200, { 'content-type': 'application/json' });
          for (let i = 0; i < 10; i++) res.write('x'.repeat(1000));
          return res.end();
        case '/slow':
          return setTimeout(() => res.writeHead(200).end('{}'), 2000);
        default:
          return res.writeHead(500).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const get = (path: string, timeoutMs = 1000) => fetchPtvDocument(base + path, { timeoutMs, maxBytes: 2000 });
  const failure = async (p: Promise<unknown>) => {
    const e = await p.catch((x) => x);
    expect(e).toBeInstanceOf(PtvFetchError);
    return { reason: (e as PtvFetchError).reason, retry: (e as PtvFetchError).retry };
  };

  it('parses a JSON answer', async () => {
    expect(await get('/ok')).toEqual({ services: [] });
  });

  it('does not retry what cannot get better: 404, not JSON, too large (declared or streamed)', async () => {
    expect(await failure(get('/missing'))).toEqual({ reason: 'the PTV URL answered HTTP 404', retry: false });
    expect(await failure(get('/html'))).toEqual({ reason: 'the PTV URL did not answer with valid JSON', retry: false });
    expect(await failure(get('/big-declared'))).toEqual({ reason: 'the document is larger than 2000 bytes', retry: false });
    expect(await failure(get('/big-chunked'))).toEqual({ reason: 'the document is larger than 2000 bytes', retry: false });
  });

  it('retries what may pass: 503, a timeout, a refused connection', async () => {
    expect(await failure(get('/busy'))).toEqual({ reason: 'the PTV URL answered HTTP 503', retry: true });
    expect(await failure(get('/slow', 300))).toEqual({ reason: 'no answer from the PTV URL within 300 ms', retry: true });
    // A port that was free a moment ago (port 1 would be refused by fetch itself as a "bad port").
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const refused = await failure(fetchPtvDocument(`http://127.0.0.1:${port}/x`, { timeoutMs: 1000, maxBytes: 100 }));
    expect(refused).toEqual({ reason: 'could not reach the PTV URL (ECONNREFUSED)', retry: true });
  });

  it('publicOnly (production) refuses the installation’s own network before any request', async () => {
    const local = await failure(fetchPtvDocument(base + '/ok', { timeoutMs: 1000, maxBytes: 2000, publicOnly: true }));
    expect(local.retry).toBe(false);
    expect(local.reason).toMatch(/^the PTV URL is not allowed: /);
    const metadata = await failure(fetchPtvDocument('https://169.254.169.254/latest', { timeoutMs: 1000, maxBytes: 2000, publicOnly: true }));
    expect(metadata.reason).toBe('the PTV URL is not allowed: the host 169.254.169.254 is not a public address');
  });
});
