import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';

/**
 * What the HTTP benchmarks (frontpage.ts, service-page.ts) share: the load settings, a free
 * port, a plain GET, waiting for readiness, and the two servers compared — Aukio started
 * exactly as `npm start` runs it, and a bare node:http hello-world — each as a child process
 * so neither shares a CPU with autocannon's event loop.
 */
export const CONNECTIONS = 50;
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
export const WARMUP_SECONDS = 2;
export const HOST = 'esimerkkila.localhost';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, headers: { host: HOST, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function waitFor(port: number, path: string, child: ChildProcess, seconds: number) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const r = await get(port, path).catch(() => null);
    if (r?.status === 200) return;
    if (Date.now() > deadline) throw new Error(`server on ${port} not ready in ${seconds}s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Aukio in production mode on a seeded embedded database in dataDir (or the DATABASE_URL in env). */
export function spawnAukio(port: number, dataDir: string, secret: string, env: Record<string, string> = {}) {
  // Exactly what `npm start` runs (it compiles the server to JavaScript when stale).
  return spawn(process.execPath, ['scripts/start.mjs'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      SESSION_SECRET: secret,
      SEED_DEMO: 'true',
      COOKIE_SECURE: 'false',
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      // e.g. DATABASE_URL for a run against PostgreSQL (bench/feedback.ts).
      ...env,
    },
    // Logs are written (that cost is part of serving) but not kept.
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** The baseline: node:http answering "hello world", ready when this resolves. */
export async function spawnHello(): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', `require('node:http').createServer((q, s) => s.end('hello world')).listen(${port}, '127.0.0.1')`], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitFor(port, '/', child, 30);
  return { port, child };
}

export async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

/** A new, empty PostgreSQL database for one run (the server migrates it); drop() removes it. */
export async function freshPostgres(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `aukio_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
