import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_A, hostFetch, startTestApp } from '../helpers/app.ts';
import pg from 'pg';
import { DEMO_ACCOUNTS } from '../../src/server/seed.ts';
import { engines, PG_ADMIN_URL } from '../helpers/engines.ts';

/**
 * The real process, as `npm start` runs it: `node --import tsx src/server/main.ts` with
 * its configuration in the environment and a fresh embedded database in a temp dir.
 */
function runAukio(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, out: () => stdout, err: () => stderr };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // agent: false — a fresh connection each time, as a new client would open.
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: false, headers: { host: HOST_A, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('configuration is validated at boot', () => {
  const cases: { env: Record<string, string>; variable: string }[] = [
    { env: { PORT: 'abc' }, variable: 'PORT' },
    { env: { DATABASE_URL: 'mysql://x' }, variable: 'DATABASE_URL' },
    { env: { LOG_LEVEL: 'loud' }, variable: 'LOG_LEVEL' },
    { env: { NODE_ENV: 'production' }, variable: 'SESSION_SECRET' },
  ];
  for (const { env, variable } of cases) {
    it(`stops with one clear line naming ${variable} (${JSON.stringify(env)})`, async () => {
      const p = runAukio({ DATA_DIR: join(tmpdir(), 'aukio-never-created'), ...env });
      const { code } = await p.exited;
      expect(code).not.toBe(0);
      const lines = (p.out() + p.err()).split('\n').filter((l) => l.trim());
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(variable);
      expect(lines[0]).toMatch(/^Invalid configuration: /);
      // A URL may hold a password: its value is never echoed.
      if (variable === 'DATABASE_URL') expect(lines[0]).not.toContain('mysql://x');
    });
  }
});

describe('the running process', () => {
  let dir: string;
  let port: number;
  let aukio: ReturnType<typeof runAukio>;
  const SECRET_EMAIL = 'matti.meikalainen.secret@example.fi';
  const SECRET_COOKIE = 'CookieValueThatMustNotBeLogged0123456789';
  const SECRET_BEARER = 'BearerTokenThatMustNotBeLogged0123456789';
  const SECRET_IP = '203.0.113.77';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aukio-ops-'));
    port = await freePort();
    aukio = runAukio({ DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', SHUTDOWN_GRACE_SECONDS: '10' });
    const deadline = Date.now() + 90_000;
    for (;;) {
      const r = await get(port, '/readyz').catch(() => null);
      if (r?.status === 200) break;
      if (aukio.child.exitCode !== null) throw new Error(`Aukio exited: ${aukio.err()}`);
      if (Date.now() > deadline) throw new Error(`Aukio did not become ready: ${aukio.err()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 120_000);

  afterAll(async () => {
    if (aukio?.child.exitCode === null) {
      aukio.child.kill('SIGKILL');
      await aukio.exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints where it runs and the demo accounts', () => {
    expect(aukio.out()).toContain(`http://esimerkkila.localhost:${port}/fi`);
  });

  it('answers /healthz and /readyz', async () => {
    const h = await get(port, '/healthz');
    expect(h.status).toBe(200);
    expect(JSON.parse(h.body)).toEqual({ status: 'ok' });
    const r = await get(port, '/readyz');
    expect(JSON.parse(r.body)).toEqual({ status: 'ready' });
  });

  it('exposes Prometheus metrics with request counters', async () => {
    await get(port, '/fi');
    await get(port, '/api/v1/tenant');
    const m = await get(port, '/metrics');
    expect(m.status).toBe(200);
    expect(String(m.headers['content-type'])).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(m.body).toContain('# TYPE aukio_http_requests_total counter');
    expect(m.body).toMatch(/aukio_http_requests_total\{method="GET",route="page",status="200"\} [1-9]/);
    expect(m.body).toMatch(/aukio_http_requests_total\{method="GET",route="\/api\/v1\/tenant",status="200"\} [1-9]/);
    expect(m.body).toContain('aukio_http_request_duration_seconds_bucket');
    expect(m.body).toContain('aukio_process_resident_memory_bytes');
  });

  it('logs requests as structured JSON without personal data or secrets', async () => {
    const before = aukio.out().length;
    await get(port, `/fi/search?q=${encodeURIComponent(SECRET_EMAIL)}`, { 'x-forwarded-for': SECRET_IP, cookie: `aukio_session=${SECRET_COOKIE}` });
    await get(port, `/api/v1/tenant?email=${encodeURIComponent(SECRET_EMAIL)}`, { authorization: `Bearer ${SECRET_BEARER}` });
    await get(port, '/api/v1/me/preferences', { cookie: `aukio_session=${SECRET_COOKIE}`, 'x-forwarded-for': SECRET_IP });
    await get(port, `/fi/${encodeURIComponent(SECRET_EMAIL)}`);
    await new Promise((r) => setTimeout(r, 200));
    const logged = aukio.out().slice(before) + aukio.err();
    const lines = logged.split('\n').filter((l) => l.startsWith('{'));
    // The flow was logged (method, route pattern, status) …
    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(4);
    expect(requests.find((r) => r.route === 'page')).toMatchObject({ method: 'GET', status: 200, component: 'http', ms: expect.any(Number) });
    expect(requests.some((r) => r.route === '/api/v1/tenant' && r.status === 401)).toBe(true);
    // … and nothing that identifies the person or could replay their session.
    for (const secret of [SECRET_EMAIL, encodeURIComponent(SECRET_EMAIL), SECRET_COOKIE, SECRET_BEARER, SECRET_IP]) {
      expect(logged).not.toContain(secret);
    }
    expect(logged).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
  });

  it('drains on SIGTERM: the in-flight request completes, new connections are refused, exit 0', async () => {
    // A request whose body is still arriving when SIGTERM comes.
    const body = JSON.stringify({ preferredLanguage: 'fi', pad: 'x'.repeat(200) });
    const inflight = new Promise<Answer>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'PATCH',
          path: '/api/v1/me/preferences',
          agent: false,
          headers: { host: HOST_A, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 20));
      setTimeout(() => {
        aukio.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(20)), 700);
      }, 300);
    });
    const started = Date.now();
    const answer = await inflight;
    // It got its real answer (the body was parsed, then CSRF refused the anonymous write),
    // not a reset connection or a 503.
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error.code).toBe('csrf_failed');
    await expect(get(port, '/healthz')).rejects.toThrow(/ECONNREFUSED|ECONNRESET/);
    const { code } = await aukio.exited;
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(aukio.out()).toMatch(/"msg":"shutting down"/);
  });
});

describe('draining', () => {
  it('turns /readyz to 503 draining and answers new work with 503 unavailable, while /healthz stays up', async () => {
    const app = await startTestApp('pglite', { work: false });
    try {
      const f = hostFetch(app, HOST_A);
      expect((await f('/readyz')).status).toBe(200);
      app.drain();
      const ready = await f('/readyz');
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'draining' });
      expect((await f('/healthz')).status).toBe(200);
      const api = await f('/api/v1/tenant');
      expect(api.status).toBe(503);
      expect(api.headers.get('retry-after')).toBe('5');
      expect(await api.json()).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
      expect((await f('/fi')).status).toBe(503);
    } finally {
      await app.close();
    }
  });
});

const postgres = engines().find((e) => e.name === 'postgres')!;
describe.skipIf(!postgres.available)('instances starting together on postgres', () => {
  it('migrate and seed one empty database exactly once', async () => {
    // An empty database, not even migrated.
    const name = `aukio_race_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
    try {
      // Two instances race through migrations (advisory lock) and the demo seed.
      const apps = await Promise.all([
        startTestApp('postgres', { databaseUrl: url, work: false }).catch((e) => e as Error),
        startTestApp('postgres', { databaseUrl: url, work: false }).catch((e) => e as Error),
      ]);
      for (const a of apps) if (a instanceof Error) throw a;
      const [x, y] = apps as Exclude<(typeof apps)[number], Error>[];
      const t = await x.services.db.query<{ n: number }>('select count(*)::int as n from tenants');
      expect(t.rows[0].n).toBe(2);
      const s = await y.services.db.query<{ n: number }>('select count(*)::int as n from staff_users');
      expect(s.rows[0].n).toBe(DEMO_ACCOUNTS.staff.length);
      const c = await y.services.db.query<{ n: number }>('select count(*)::int as n from feedback_categories');
      expect(c.rows[0].n).toBe(10);
      await y.close();
      await x.close();
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});

describe('npm run migrate', () => {
  it('applies the migrations once to an embedded database and then reports it up to date', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aukio-migrate-'));
    const run = () =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/migrate.ts'], {
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dir },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout!.on('data', (d) => (out += d));
        child.stderr!.on('data', (d) => (out += d));
        child.on('exit', (code) => resolve({ code, out }));
      });
    try {
      const first = await run();
      expect(first.code).toBe(0);
      expect(first.out).toMatch(/Applied \d+ migration\(s\): 0001_foundation/);
      const second = await run();
      expect(second.code).toBe(0);
      expect(second.out).toContain('up to date');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
