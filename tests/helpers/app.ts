import { request as httpRequest } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerBuild } from 'react-router';
import { buildApp } from '../../src/server/app.ts';
import { registerJobs, scheduleJobs } from '../../src/server/main.ts';
import { apiRoutes } from '../../src/server/routes.ts';
import { seedDemo } from '../../src/server/seed.ts';
import { createServices, type Services } from '../../src/server/services.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createLogger } from '../../src/platform/log.ts';
import type { Clock } from '../../src/platform/clock.ts';
import { createTestDb, type TestEngine } from './engines.ts';

export interface TestApp {
  /** e.g. http://127.0.0.1:41234 — send Host: esimerkkila.localhost / jarvikyla.localhost to pick a tenant. */
  url: string;
  port: number;
  services: Services;
  databaseUrl?: string;
  /** What SIGTERM does first: /readyz turns 503 and new requests get 503 unavailable. */
  drain(): void;
  close(): Promise<void>;
}

let build: Promise<ServerBuild> | undefined;
function webBuild() {
  return (build ??= import(pathToFileURL(resolve('build/server/index.js')).href) as Promise<ServerBuild>);
}

/**
 * A real Aukio on a random port with a fresh seeded database of the engine, with the
 * job worker running (set work: false to inspect queued jobs instead).
 */
export async function startTestApp(
  engine: TestEngine['name'],
  opts: {
    env?: Record<string, string>;
    work?: boolean;
    databaseUrl?: string;
    /** Test-only jobs, defined before the queue starts (queues are created at start). */
    defineJobs?: (services: Services) => void;
    /** The app's clock (a ManualClock to move time, e.g. past an embargo). */
    clock?: Clock;
  } = {},
): Promise<TestApp> {
  const testDb = opts.databaseUrl ? undefined : await createTestDb(engine);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: opts.databaseUrl ?? testDb?.url,
    // No map tiles: this machine has no outside network and tests must not try to reach a
    // tile server. A test that wants a map passes MAP_TILE_URL (e.g. a path on the app itself).
    MAP_TILE_URL: 'none',
    ...opts.env,
  });
  const log = createLogger(config.LOG_LEVEL);
  const services = await createServices(config, log, { ...(testDb ? { db: testDb.db } : {}), ...(opts.clock ? { clock: opts.clock } : {}) });
  registerJobs(services);
  opts.defineJobs?.(services);
  await services.jobs.start();
  await scheduleJobs(services);
  await seedDemo(services);
  await services.events.start();
  const { app, drain } = await buildApp(services, { webBuild: await webBuild(), clientDir: join(resolve('build'), 'client'), apiRoutes });
  if (opts.work !== false) await services.jobs.work();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    services,
    databaseUrl: opts.databaseUrl ?? testDb?.url,
    drain,
    close: async () => {
      await app.close();
      // A job still running on a busy machine must finish before the pool closes (else an unhandled rejection).
      await services.jobs.stop(5);
      await services.events.stop();
      if (testDb) await testDb.drop();
      else await services.db.close().catch(() => {});
    },
  };
}

export const HOST_A = 'esimerkkila.localhost';
export const HOST_B = 'jarvikyla.localhost';

/**
 * fetch against the test app as tenant host, without following redirects. Node's fetch
 * ignores a Host header, so this speaks node:http and returns a standard Response.
 */
export function hostFetch(app: TestApp, host: string) {
  return (path: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}) =>
    new Promise<Response>((resolve, reject) => {
      const req = httpRequest(
        app.url + path,
        { method: init.method ?? 'GET', headers: { host, ...(init.headers ?? {}) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const headers = new Headers();
            for (const [k, v] of Object.entries(res.headers)) {
              if (v === undefined) continue;
              for (const x of Array.isArray(v) ? v : [v]) headers.append(k, String(x));
            }
            const status = res.statusCode ?? 500;
            const body = status === 204 || status === 304 || init.method === 'HEAD' ? null : Buffer.concat(chunks);
            resolve(new Response(body, { status, headers }));
          });
        },
      );
      req.on('error', reject);
      if (init.body !== undefined) req.write(init.body);
      req.end();
    });
}
