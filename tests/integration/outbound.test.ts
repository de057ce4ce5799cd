import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_A, startTestApp, type TestApp } from '../helpers/app.ts';
import { staffClient } from '../helpers/staff-session.ts';

/*
 * With OUTBOUND_ALLOW_PRIVATE off (the production default) a tenant admin cannot point a
 * publishing channel at the installation's own network: addresses that are plainly not
 * public are refused when saved, and a name that resolves to one is refused when called,
 * before any request leaves (the local receiver below must see nothing).
 */
describe('publishing channels may only call public addresses (OUTBOUND_ALLOW_PRIVATE=false)', () => {
  let app: TestApp;
  let server: Server;
  let calls = 0;
  let port = 0;
  let admin: Awaited<ReturnType<typeof staffClient>>;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      calls++;
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
    port = (server.address() as { port: number }).port;
    app = await startTestApp('pglite', { env: { OUTBOUND_ALLOW_PRIVATE: 'false' } });
    admin = await staffClient(app, HOST_A, 'admin@esimerkkila.fi');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await new Promise((r) => server?.close(r));
  });

  const field = async (body: Record<string, unknown>) => {
    const r = await admin.api('PUT', '/api/v1/news/channels', body);
    return { status: r.status, fields: ((await r.json()) as { error?: { fields?: Record<string, string> } }).error?.fields ?? {} };
  };

  it('refuses http and private literal addresses when they are saved', async () => {
    for (const url of [`http://127.0.0.1:${port}/hook`, `https://127.0.0.1:${port}/hook`, 'https://[::1]/hook', 'https://169.254.169.254/latest', 'https://10.0.0.5/hook', `https://localhost:${port}/hook`]) {
      const r = await field({ webhookEnabled: true, webhookUrl: url, webhookSecret: 'webhook-secret-for-the-test-0123456789' });
      expect(r.status, url).toBe(400);
      expect(r.fields.webhookUrl, url).toBe('invalid_url');
    }
    expect((await field({ mastodonEnabled: true, mastodonUrl: 'https://192.168.1.10', mastodonToken: 'token-0123456789' })).fields.mastodonUrl).toBe('invalid_url');
  });

  it('a name that resolves to a private address is refused when the channel is called; nothing is sent', async () => {
    const url = `https://${hostname()}:${port}/hook`;
    const saved = await admin.api('PUT', '/api/v1/news/channels', { webhookEnabled: true, webhookUrl: url, webhookSecret: 'webhook-secret-for-the-test-0123456789' });
    expect(saved.status, await saved.clone().text()).toBe(200);
    const r = await admin.api('POST', '/api/v1/news/channels/webhook/test');
    const body = (await r.json()) as { ok: boolean; error?: string };
    expect(body.ok).toBe(false);
    expect(body.error).toMatch(/address_not_public/);
    expect(calls).toBe(0);
  });
});
