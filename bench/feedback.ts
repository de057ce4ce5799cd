import { type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, freshPostgres, HOST, SECONDS, spawnAukio, stop, waitFor, WARMUP_SECONDS } from './harness.ts';
import { openDb, type Db } from '../src/platform/db.ts';
import { DEMO_OPEN311_KEY } from '../src/server/demo/feedback.ts';

/**
 * npm run bench:feedback [-- --database-url postgres://…]: a sustained stream of Open311
 * POST requests (GeoReport v2, form-encoded, the demo key) against Aukio started as
 * `npm start` runs it, over 20 keep-alive connections for 10 s after a 2 s warm-up. Every
 * request carries a unique marker in its description and no e-mail address (the
 * per-address limit must not be what is measured).
 *
 * Afterwards the database is read directly (PGlite: after the server has stopped, since
 * only one process may open its files; PostgreSQL: a fresh database created for the run
 * and dropped after) and every accepted request — a 2xx with a service_request_id — must
 * exist exactly once, under that id, with its marker.
 *
 * Prints as the last line:
 *   open311_accepted_per_s=… p99_ms=… lost=… duplicated=…
 * (lost: accepted but not in the database; duplicated: more than one case for a marker.)
 * Targets (issue 4, not gates): ≥ 300/s on PGlite, ≥ 1000/s on PostgreSQL.
 */
const CONNECTIONS = 20;
const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    seconds: { type: 'string' },
  },
});
const seconds = Number(args.seconds ?? SECONDS);

interface Sent {
  marker: string;
  status: number;
  id: string | null;
  ms: number;
  measured: boolean;
}

/** Posts until the deadline from one connection's worth of loop; every outcome is recorded. */
function loadLoop(port: number, agent: Agent, run: string, next: () => number, until: number, measuredFrom: number, out: Sent[]): Promise<void> {
  return new Promise((resolve) => {
    const one = () => {
      if (Date.now() >= until) return resolve();
      const n = next();
      const marker = `bench-${run}-${n}`;
      const body = new URLSearchParams({
        api_key: DEMO_OPEN311_KEY,
        service_code: 'pothole',
        lat: (61.49 + (n % 1000) / 100000).toFixed(6),
        long: (23.76 + (n % 997) / 100000).toFixed(6),
        description: `Kuoppa pyörätiellä, ${marker}.`,
        'attribute[size]': 'medium',
      }).toString();
      const started = process.hrtime.bigint();
      const measured = Date.now() >= measuredFrom;
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/open311/v2/requests.json',
          method: 'POST',
          agent,
          headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (text += c));
          res.on('end', () => {
            const ms = Number(process.hrtime.bigint() - started) / 1e6;
            let id: string | null = null;
            if (res.statusCode && res.statusCode >= 200 && res.statusCode < 300) {
              try {
                id = (JSON.parse(text) as { service_request_id?: string }[])[0]?.service_request_id ?? null;
              } catch {
                id = null;
              }
            }
            out.push({ marker, status: res.statusCode ?? 0, id, ms, measured });
            one();
          });
        },
      );
      req.on('error', () => {
        out.push({ marker, status: 0, id: null, ms: Number(process.hrtime.bigint() - started) / 1e6, measured });
        one();
      });
      req.end(body);
    };
    one();
  });
}

async function verify(db: Db, run: string, sent: Sent[]) {
  const r = await db.query<{ number: string; description: string }>(`select number, description from feedback_cases where description like $1`, [`%bench-${run}-%`]);
  const byMarker = new Map<string, string[]>();
  for (const row of r.rows) {
    const m = /bench-[0-9a-f]+-\d+/.exec(row.description)?.[0];
    if (m) byMarker.set(m, [...(byMarker.get(m) ?? []), String(row.number)]);
  }
  let lost = 0;
  let duplicated = 0;
  let unacknowledged = 0;
  const accepted = sent.filter((s) => s.id !== null);
  const acceptedMarkers = new Set(accepted.map((s) => s.marker));
  for (const s of accepted) {
    const numbers = byMarker.get(s.marker) ?? [];
    if (!numbers.includes(s.id!)) lost++;
  }
  for (const [marker, numbers] of byMarker) {
    if (numbers.length > 1) duplicated += numbers.length - 1;
    if (!acceptedMarkers.has(marker)) unacknowledged++;
  }
  return { lost, duplicated, unacknowledged, stored: r.rows.length };
}

function percentile(sorted: number[], p: number) {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'aukio-bench-feedback-'));
  const children: ChildProcess[] = [];
  const pgDb = args['database-url'] ? await freshPostgres(args['database-url']) : null;
  try {
    const port = await freePort();
    const aukio = spawnAukio(port, dataDir, randomBytes(32).toString('hex'), pgDb ? { DATABASE_URL: pgDb.url } : {});
    children.push(aukio);
    await waitFor(port, '/readyz', aukio, 180);

    const run = randomBytes(4).toString('hex');
    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS, maxFreeSockets: CONNECTIONS });
    const sent: Sent[] = [];
    let n = 0;
    const start = Date.now();
    const measuredFrom = start + WARMUP_SECONDS * 1000;
    const until = measuredFrom + seconds * 1000;
    await Promise.all(Array.from({ length: CONNECTIONS }, () => loadLoop(port, agent, run, () => n++, until, measuredFrom, sent)));
    agent.destroy();

    const measured = sent.filter((s) => s.measured);
    const ok = measured.filter((s) => s.id !== null);
    const latencies = ok.map((s) => s.ms).sort((a, b) => a - b);
    const statuses = new Map<number, number>();
    for (const s of sent) statuses.set(s.status, (statuses.get(s.status) ?? 0) + 1);

    let result;
    if (pgDb) {
      const db = await openDb({ databaseUrl: pgDb.url, dataDir: 'memory' });
      try {
        result = await verify(db, run, sent);
      } finally {
        await db.close();
      }
      await stop(aukio);
    } else {
      // PGlite's files belong to the server until it stops.
      await stop(aukio);
      const db = await openDb({ dataDir: join(dataDir) });
      try {
        result = await verify(db, run, sent);
      } finally {
        await db.close();
      }
    }

    console.error(
      `${pgDb ? 'PostgreSQL' : 'PGlite'}: ${sent.length} requests (${measured.length} measured over ${seconds} s after ${WARMUP_SECONDS} s warm-up, ${CONNECTIONS} connections); ` +
        `statuses ${[...statuses].map(([s, c]) => `${s}×${c}`).join(', ')}; p50 ${percentile(latencies, 50).toFixed(1)} ms; ` +
        `${result.stored} bench cases stored, ${result.unacknowledged} stored without an accepted answer`,
    );
    console.log(
      `open311_accepted_per_s=${(ok.length / seconds).toFixed(0)} p99_ms=${percentile(latencies, 99).toFixed(1)} lost=${result.lost} duplicated=${result.duplicated}`,
    );
  } finally {
    await Promise.all(children.map(stop));
    rmSync(dataDir, { recursive: true, force: true });
    await pgDb?.drop();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
