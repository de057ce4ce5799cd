import { execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freePort, freshPostgres, HOST, spawnAukio, waitFor } from './harness.ts';
import { randomToken, sha256 } from '../src/platform/crypto.ts';

/**
 * npm run bench:chat [-- --database-url postgres://…/postgres]: live chat across two
 * instances on one PostgreSQL. Instance A holds RESIDENTS resident chat streams and takes
 * their messages; instance B holds AGENTS agent inbox streams. Each resident sends a
 * message every 2 s (starts staggered over the first 2 s) for CHAT_SECONDS (30). Every
 * message carries a unique clientId; its latency runs from the start of the resident's
 * POST on A to the moment the assigned agent's stream on B delivers it (one clock: both
 * ends live in this process).
 *
 * Memory per idle SSE connection: instance A's resident set (from /metrics) with the
 * resident streams open and idle, minus before they were opened, over RESIDENTS. Both
 * samples follow a full garbage collection, asked for over the V8 inspector that the bench
 * turns on in A alone (SIGUSR1 on loopback; nothing in the server changes).
 *
 * Knobs (env): CHAT_SECONDS (30), CHAT_RESIDENTS (500), CHAT_AGENTS (50); CHAT_CPU_PROF=dir
 * writes V8 CPU profiles of both servers during the load; CHAT_DIAG_ASYNC_COMMIT=1 is a
 * diagnostic run without durable commits (see below). The info lines (stderr) also give
 * each process's CPU, the client's own event-loop lag (it must not be the bottleneck) and
 * what the run's PostgreSQL sessions wait on.
 *
 * Prints as the last line:
 *   chat_p50_ms=… chat_p99_ms=… lost=… duplicated=… sse_kb_per_conn=…
 * lost: the POST was acknowledged (201) but no agent received the message; duplicated: an
 * agent stream delivered it more than once. Targets (issue 5, not gates): p99 ≤ 100 ms,
 * zero lost, zero duplicated, ≤ 50 KB per idle SSE connection.
 */
const { values: args } = parseArgs({ options: { 'database-url': { type: 'string' } } });
const ADMIN_URL = args['database-url'] ?? process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.CHAT_SECONDS ?? 30);
const RESIDENTS = Number(process.env.CHAT_RESIDENTS ?? 500);
const AGENTS = Number(process.env.CHAT_AGENTS ?? 50);
/**
 * Connections each instance keeps to PostgreSQL (DB_POOL_MAX, default 30 here, 10 in the
 * product). With 10, POSTs queued for a connection at 250 messages/s (p50 118 ms); with 30
 * the median fell to about 4 ms on the same machine. A chat-heavy deployment raises it.
 */
const POOL = process.env.DB_POOL_MAX ?? '30';
const INTERVAL_MS = 2000;
/**
 * CHAT_DIAG_ASYNC_COMMIT=1: the bench database commits without waiting for the WAL flush.
 * Not how Aukio runs; it isolates the cost of durable commits that also NOTIFY (PostgreSQL
 * serializes those across the whole server and holds the lock through the flush).
 */
const ASYNC_COMMIT = process.env.CHAT_DIAG_ASYNC_COMMIT === '1';
/** After the last POST: how long a message may still be on its way. */
const STRAGGLER_MS = 5000;
/** Round-robin skips an agent at capacity; the bench's residents must all fit. */
const CAPACITY = Math.min(100, Math.max(10, Math.ceil((RESIDENTS / AGENTS) * 2)));
/** The whole run is bounded: a hung step fails the run instead of waiting forever. */
const OVERALL_TIMEOUT_MS = (SECONDS + 300) * 1000;

/** CHAT_CPU_PROF=dir: V8 CPU profiles of both servers during the load go there (a.cpuprofile, b.cpuprofile). */
const PROFILE_DIR = process.env.CHAT_CPU_PROF;
const log = (line: string) => console.error(`[bench:chat] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ── HTTP client: node:http, keep-alive for the POSTs, one socket per stream ────────────

const postAgent = new Agent({ keepAlive: true, maxSockets: 128, maxFreeSockets: 128 });
const streamAgent = new Agent({ keepAlive: false, maxSockets: Infinity });

function json(port: number, method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: postAgent,
        headers: { host: HOST, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (data += c));
        res.on('end', () => {
          let parsed: unknown = null;
          try {
            parsed = JSON.parse(data);
          } catch {
            parsed = data;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(text);
  });
}

interface SseHandle {
  close(): void;
  /** Resolves once the server's first bytes (`: connected`) arrived. */
  opened: Promise<void>;
}

/** A minimal EventSource: calls onEvent(type, data) per complete event. */
function openStream(port: number, path: string, headers: Record<string, string>, onEvent: (type: string, data: string) => void, onEnd: (why: string) => void): SseHandle {
  let res: IncomingMessage | undefined;
  let ended = false;
  const end = (why: string) => {
    if (ended) return;
    ended = true;
    onEnd(why);
  };
  const opened = new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: streamAgent, headers: { host: HOST, accept: 'text/event-stream', ...headers } }, (r) => {
      res = r;
      if (r.statusCode !== 200) {
        r.resume();
        reject(new Error(`stream ${path.split('?')[0]} answered ${r.statusCode}`));
        return end(`status ${r.statusCode}`);
      }
      r.setEncoding('utf8');
      let buf = '';
      let first = true;
      r.on('data', (chunk: string) => {
        if (first) {
          first = false;
          resolve();
        }
        buf += chunk;
        let cut: number;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          let type = 'message';
          let data = '';
          let hasData = false;
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) type = line.slice(7);
            else if (line.startsWith('data: ')) {
              data += (hasData ? '\n' : '') + line.slice(6);
              hasData = true;
            }
          }
          if (hasData) onEvent(type, data);
        }
      });
      r.on('end', () => end('ended by server'));
      r.on('error', (e) => end(e.message));
    });
    req.on('error', (e) => {
      reject(e);
      end(e.message);
    });
    req.end();
  });
  return {
    opened,
    close: () => {
      ended = true;
      res?.destroy();
    },
  };
}

/** Runs fn over items with at most `limit` in flight. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

function percentile(sorted: number[], p: number) {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

// ── the server processes ───────────────────────────────────────────────────────────────

/** spawnAukio runs scripts/start.mjs, which runs the server as its child: that is the process measured. */
async function serverPid(starter: ChildProcess): Promise<number> {
  for (let i = 0; i < 50; i++) {
    try {
      const children = readFileSync(`/proc/${starter.pid}/task/${starter.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      if (children.length) return Number(children[0]);
    } catch {
      /* not on Linux, or not yet */
    }
    await sleep(100);
  }
  throw new Error('could not find the server process under scripts/start.mjs');
}

/** Stops a starter and its server: SIGTERM, then SIGKILL after a grace period. */
async function stopBounded(starter: ChildProcess, server: number | null) {
  if (starter.exitCode === null && starter.signalCode === null) {
    const exited = new Promise((r) => starter.once('exit', r));
    starter.kill('SIGTERM');
    const t = setTimeout(() => {
      if (server) {
        try {
          process.kill(server, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      starter.kill('SIGKILL');
    }, 25_000);
    await exited;
    clearTimeout(t);
  }
  if (server) {
    try {
      process.kill(server, 0);
      process.kill(server, 'SIGKILL');
    } catch {
      /* gone, as it should be */
    }
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

async function metric(port: number, name: string): Promise<number> {
  const r = await new Promise<string>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/metrics', agent: false, headers: { host: HOST } }, (res) => {
      let b = '';
      res.on('data', (c) => (b += c));
      res.on('end', () => resolve(b));
    });
    req.on('error', reject);
    req.end();
  });
  const line = r.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  if (!line) throw new Error(`/metrics has no ${name}`);
  return Number(line.split(' ').pop());
}

/**
 * A full GC in the server through the inspector (the server was started with
 * --inspect-port; SIGUSR1 opens it on loopback). Node 20 has WebSocket only behind a flag,
 * so a tiny helper process speaks the protocol.
 */
const INSPECTOR_HELPER = `
const [url, mode, ms, out] = process.argv.slice(1);
const ws = new WebSocket(url);
let id = 0;
const pending = new Map();
const call = (method, params = {}) => new Promise((resolve) => { pending.set(++id, resolve); ws.send(JSON.stringify({ id, method, params })); });
ws.onmessage = (m) => { const r = JSON.parse(m.data); pending.get(r.id)?.(r.result); pending.delete(r.id); };
ws.onerror = () => process.exit(1);
ws.onopen = async () => {
  if (mode === 'gc') await call('HeapProfiler.collectGarbage');
  else {
    await call('Profiler.enable');
    await call('Profiler.setSamplingInterval', { interval: 500 });
    await call('Profiler.start');
    await new Promise((r) => setTimeout(r, Number(ms)));
    const { profile } = await call('Profiler.stop');
    require('node:fs').writeFileSync(out, JSON.stringify(profile));
  }
  ws.close();
  process.exit(0);
};
setTimeout(() => process.exit(2), Number(ms || 0) + 30000);
`;
async function inspectorCall(inspectPort: number, mode: 'gc' | 'profile', ms = 0, out = ''): Promise<boolean> {
  try {
    const list = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: inspectPort, path: '/json/list', agent: false }, (res) => {
        let b = '';
        res.on('data', (c) => (b += c));
        res.on('end', () => resolve(b));
      });
      req.on('error', reject);
      req.end();
    });
    const url = (JSON.parse(list) as { webSocketDebuggerUrl: string }[])[0]?.webSocketDebuggerUrl;
    if (!url) return false;
    return await new Promise<boolean>((resolve) => {
      execFile(process.execPath, ['--experimental-websocket', '--no-warnings', '-e', INSPECTOR_HELPER, url, mode, String(ms), out], { timeout: ms + 35_000 }, (err) => resolve(!err));
    });
  } catch {
    return false;
  }
}
const collectGarbage = (inspectPort: number) => inspectorCall(inspectPort, 'gc');

async function memorySample(port: number, inspectPort: number | null) {
  const gc = inspectPort ? await collectGarbage(inspectPort) : false;
  await sleep(500);
  const samples: { rss: number; heap: number; external: number }[] = [];
  for (let i = 0; i < 3; i++) {
    samples.push({
      rss: await metric(port, 'aukio_process_resident_memory_bytes'),
      heap: await metric(port, 'aukio_nodejs_heap_size_used_bytes'),
      external: await metric(port, 'aukio_nodejs_external_memory_bytes'),
    });
    await sleep(500);
  }
  const median = (k: 'rss' | 'heap' | 'external') => samples.map((s) => s[k]).sort((a, b) => a - b)[1];
  return { gc, rss: median('rss'), heap: median('heap'), external: median('external') };
}

// ── the run ────────────────────────────────────────────────────────────────────────────

interface Sent {
  resident: number;
  start: number;
  status: number;
  /** POST round trip. */
  postMs: number;
}

async function main() {
  const runStarted = performance.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'aukio-bench-chat-'));
  const secret = randomBytes(32).toString('hex');
  const starters: { child: ChildProcess; server: number | null }[] = [];
  const streams: SseHandle[] = [];
  let db: pg.Client | undefined;
  const pgDb = await freshPostgres(ADMIN_URL);
  const watchdog = setTimeout(() => {
    log(`gave up after ${OVERALL_TIMEOUT_MS / 1000} s`);
    process.exitCode = 1;
    void cleanup().finally(() => process.exit(1));
  }, OVERALL_TIMEOUT_MS);
  let cleaned: Promise<void> | undefined;
  // Ctrl-C must not leave two servers and a database behind.
  process.once('SIGINT', () => {
    log('interrupted: stopping the instances and dropping the database');
    void cleanup().finally(() => process.exit(130));
  });
  const cleanup = () =>
    (cleaned ??= (async () => {
      for (const s of streams) s.close();
      postAgent.destroy();
      streamAgent.destroy();
      await db?.end().catch(() => {});
      await Promise.all(starters.map((s) => stopBounded(s.child, s.server)));
      rmSync(dataDir, { recursive: true, force: true });
      await pgDb.drop().catch((e) => log(`could not drop the bench database: ${e instanceof Error ? e.message : e}`));
    })());
  try {
    if (ASYNC_COMMIT) {
      // Diagnostic only: shows how much of the latency is commits waiting for the WAL flush.
      const admin = new pg.Client({ connectionString: pgDb.url });
      await admin.connect();
      await admin.query(`alter database ${pg.escapeIdentifier(new URL(pgDb.url).pathname.slice(1))} set synchronous_commit = off`);
      await admin.end();
      log('DIAGNOSTIC RUN: synchronous_commit = off for the bench database (an acknowledged message could be lost in a database crash)');
    }
    // ── two instances on one database: A (web + worker) first, so only one migrates and seeds
    // Every resident starts from this one address: the per-IP start limit is raised for the bench.
    const env = { DATABASE_URL: pgDb.url, MAP_TILE_URL: 'none', EMAIL_ADAPTER: 'capture', PUBLIC_URL: 'http://esimerkkila.localhost', CHAT_START_RATE_PER_IP: '100000', DB_POOL_MAX: POOL };
    const portA = await freePort();
    const inspectPort = await freePort();
    const a = spawnAukio(portA, dataDir, secret, { ...env, ROLE: 'both', NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --inspect-port=127.0.0.1:${inspectPort}`.trim() });
    starters.push({ child: a, server: null });
    let t = performance.now();
    await waitFor(portA, '/readyz', a, 240);
    starters[0].server = await serverPid(a);
    const portB = await freePort();
    const inspectPortB = await freePort();
    const b = spawnAukio(portB, dataDir, secret, { ...env, ROLE: 'web', NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --inspect-port=127.0.0.1:${inspectPortB}`.trim() });
    starters.push({ child: b, server: null });
    await waitFor(portB, '/readyz', b, 240);
    starters[1].server = await serverPid(b);
    log(`instances ready in ${((performance.now() - t) / 1000).toFixed(1)} s: A :${portA} (web+worker, resident streams), B :${portB} (web, agent streams)`);

    // ── agents: staff users with sessions made the way SessionService.create makes them
    db = new pg.Client({ connectionString: pgDb.url });
    await db.connect();
    const tenantId = (await db.query<{ id: string }>(`select id from tenants where slug = 'esimerkkila'`)).rows[0]?.id;
    const teamId = (await db.query<{ id: string }>(`select id from inbox_teams where tenant_id = $1 and is_default`, [tenantId])).rows[0]?.id;
    if (!tenantId || !teamId) throw new Error('the demo tenant or its default team is missing');
    // Only the bench's agents take conversations: a demo agent without a stream would swallow messages.
    await db.query(`update inbox_agents set status = 'offline' where tenant_id = $1`, [tenantId]);
    const agents: { id: string; token: string }[] = [];
    await db.query('begin');
    for (let i = 0; i < AGENTS; i++) {
      const u = await db.query<{ id: string }>(
        `insert into staff_users (tenant_id, email, name, preferred_language) values ($1, $2, $3, 'fi') returning id`,
        [tenantId, `bench-agent-${i}@esimerkkila.fi`, `Bench Agent ${i}`],
      );
      const id = u.rows[0].id;
      await db.query(`insert into role_grants (tenant_id, user_id, role) values ($1, $2, 'customer_service')`, [tenantId, id]);
      await db.query(`insert into inbox_team_members (tenant_id, team_id, staff_user_id) values ($1, $2, $3)`, [tenantId, teamId, id]);
      await db.query(`insert into inbox_agents (tenant_id, staff_user_id, status, capacity, last_seen_at) values ($1, $2, 'online', $3, now())`, [tenantId, id, CAPACITY]);
      const token = randomToken();
      await db.query(
        `insert into sessions (id, tenant_id, staff_user_id, auth_method, expires_at) values ($1, $2, $3, 'password', now() + interval '2 hours')`,
        [sha256(token), tenantId, id],
      );
      agents.push({ id, token });
    }
    await db.query('commit');

    // ── agent streams on B
    const runId = randomBytes(3).toString('hex');
    const clientIdPattern = new RegExp(`^b${runId}r(\\d+)m(\\d+)$`);
    const sent = new Map<string, Sent>();
    const received = new Map<string, { first: number; count: number; agents: Set<number> }>();
    let agentStreamEnds = 0;
    let residentStreamEnds = 0;
    let strayEvents = 0;
    t = performance.now();
    await pool(agents, 10, async (ag, i) => {
      const h = openStream(
        portB,
        '/api/v1/inbox/stream',
        { cookie: `aukio_session=${ag.token}` },
        (type, data) => {
          if (type !== 'message') return;
          const now = performance.now();
          let m: { clientId?: string | null };
          try {
            m = JSON.parse(data);
          } catch {
            strayEvents++;
            return;
          }
          if (!m.clientId || !clientIdPattern.test(m.clientId)) return;
          const r = received.get(m.clientId);
          if (r) {
            r.count++;
            r.agents.add(i);
          } else received.set(m.clientId, { first: now, count: 1, agents: new Set([i]) });
        },
        () => agentStreamEnds++,
      );
      streams.push(h);
      await h.opened;
    });
    log(`${AGENTS} agent streams open on B in ${(performance.now() - t).toFixed(0)} ms (capacity ${CAPACITY} each)`);

    // ── residents start conversations on A, straight to the queue
    t = performance.now();
    const startStatuses = new Map<number, number>();
    const conversations = await pool(Array.from({ length: RESIDENTS }, (_, i) => i), 16, async () => {
      const r = await json(portA, 'POST', '/api/v1/chat/conversations', { lang: 'fi', human: true });
      startStatuses.set(r.status, (startStatuses.get(r.status) ?? 0) + 1);
      if (r.status !== 201) throw new Error(`starting a conversation answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
      return { id: r.body.conversation.id as string, token: r.body.token as string };
    });
    const startMs = performance.now() - t;
    const assigned = await db.query<{ assignee_id: string | null; n: string }>(
      `select assignee_id, count(*) as n from inbox_conversations where tenant_id = $1 and id = any($2::uuid[]) group by assignee_id`,
      [tenantId, conversations.map((c) => c.id)],
    );
    const agentIds = new Set(agents.map((x) => x.id));
    const unassigned = assigned.rows.filter((r) => !r.assignee_id || !agentIds.has(r.assignee_id)).reduce((n, r) => n + Number(r.n), 0);
    const perAgent = assigned.rows.filter((r) => r.assignee_id && agentIds.has(r.assignee_id)).map((r) => Number(r.n));
    log(
      `${RESIDENTS} conversations started on A in ${(startMs / 1000).toFixed(1)} s (${(RESIDENTS / (startMs / 1000)).toFixed(0)}/s); ` +
        `round-robin: ${RESIDENTS - unassigned} assigned to ${perAgent.length} agents (min ${Math.min(...perAgent)}, max ${Math.max(...perAgent)} each), ${unassigned} not assigned to a bench agent`,
    );
    if (unassigned > 0) throw new Error(`${unassigned} conversations have no bench agent: the load would measure nothing for them`);

    // ── memory of A before and after the idle resident streams
    const before = await memorySample(portA, await openInspector(starters[0].server!, inspectPort));
    t = performance.now();
    const residentReady = new Array<boolean>(RESIDENTS).fill(false);
    await pool(conversations, 25, async (c, i) => {
      let resolveReady: () => void;
      const ready = new Promise<void>((r) => (resolveReady = r));
      const h = openStream(
        portA,
        `/api/v1/chat/conversations/${c.id}/stream?token=${encodeURIComponent(c.token)}`,
        {},
        (type) => {
          // The stream sends its backlog, then the conversation's state: from then on it is live.
          if (type === 'conversation' && !residentReady[i]) {
            residentReady[i] = true;
            resolveReady();
          }
        },
        () => residentStreamEnds++,
      );
      streams.push(h);
      await h.opened;
      await ready;
    });
    log(`${RESIDENTS} resident streams open on A in ${(performance.now() - t).toFixed(0)} ms`);
    await sleep(3000);
    const after = await memorySample(portA, inspectPort);
    const kb = (bytes: number) => bytes / 1024 / RESIDENTS;
    const sseKbPerConn = kb(after.rss - before.rss);
    log(
      `A memory (${before.gc && after.gc ? 'after a full GC each' : 'no GC available: noisy'}): rss ${(before.rss / 1048576).toFixed(1)} → ${(after.rss / 1048576).toFixed(1)} MB, ` +
        `heap used ${(before.heap / 1048576).toFixed(1)} → ${(after.heap / 1048576).toFixed(1)} MB, external ${(before.external / 1048576).toFixed(1)} → ${(after.external / 1048576).toFixed(1)} MB; ` +
        `per idle stream: rss ${sseKbPerConn.toFixed(1)} KB, heap ${kb(after.heap - before.heap).toFixed(1)} KB, external ${kb(after.external - before.external).toFixed(1)} KB`,
    );

    // ── the load
    // The histogram includes its own sampling interval; the lag reported is beyond it.
    const LAG_RESOLUTION_MS = 10;
    const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
    lag.enable();
    const postFailures = new Map<string, number>();
    const profiling = PROFILE_DIR
      ? Promise.all([
          inspectorCall(inspectPort, 'profile', SECONDS * 1000, join(PROFILE_DIR, 'a.cpuprofile')),
          openInspector(starters[1].server!, inspectPortB).then((p) => (p ? inspectorCall(p, 'profile', SECONDS * 1000, join(PROFILE_DIR, 'b.cpuprofile')) : false)),
        ])
      : null;
    // What the database's sessions of this run wait on during the load, sampled every 100 ms.
    const waits = new Map<string, number>();
    let waitSamples = 0;
    let notifyLockWaiters = 0;
    let sampling = true;
    const waitSampler = (async () => {
      while (sampling) {
        const r = await db!.query<{ w: string; n: string }>(
          `select coalesce(wait_event_type || ':' || wait_event, 'cpu') as w, count(*) as n from pg_stat_activity
            where datname = current_database() and state = 'active' and pid <> pg_backend_pid() group by 1`,
        );
        // PostgreSQL serializes committing transactions that NOTIFY with this lock (async.c).
        const notifyLock = await db!.query<{ n: string }>(
          `select count(*) as n from pg_locks where not granted and locktype = 'object' and classid = 'pg_database'::regclass and objid = 0`,
        );
        waitSamples++;
        notifyLockWaiters += Number(notifyLock.rows[0].n);
        for (const row of r.rows) waits.set(row.w, (waits.get(row.w) ?? 0) + Number(row.n));
        await sleep(100);
      }
    })();
    const cpuBefore = { a: cpuSeconds(starters[0].server!), b: cpuSeconds(starters[1].server!), client: process.cpuUsage() };
    const loadStart = performance.now() + 100;
    const loadEnd = loadStart + SECONDS * 1000;
    const inFlight = new Set<Promise<void>>();
    const offset = INTERVAL_MS / RESIDENTS;
    await new Promise<void>((done) => {
      let finishedResidents = 0;
      conversations.forEach((c, i) => {
        let k = 0;
        const fire = () => {
          const at = loadStart + i * offset + k * INTERVAL_MS;
          if (at >= loadEnd) {
            if (++finishedResidents === RESIDENTS) done();
            return;
          }
          setTimeout(() => {
            const clientId = `b${runId}r${i}m${k}`;
            k++;
            const start = performance.now();
            const p = json(portA, 'POST', `/api/v1/chat/conversations/${c.id}/messages`, { clientId, body: `Hei, viesti ${k} asukkaalta ${i}.` }, { 'x-chat-token': c.token })
              .then(
                (r) => {
                  sent.set(clientId, { resident: i, start, status: r.status, postMs: performance.now() - start });
                  if (r.status !== 201) postFailures.set(String(r.status), (postFailures.get(String(r.status)) ?? 0) + 1);
                },
                (e: Error) => {
                  sent.set(clientId, { resident: i, start, status: 0, postMs: performance.now() - start });
                  postFailures.set(e.message, (postFailures.get(e.message) ?? 0) + 1);
                },
              )
              .finally(() => inFlight.delete(p));
            inFlight.add(p);
            fire();
          }, Math.max(0, at - performance.now()));
        };
        fire();
      });
    });
    await Promise.all([...inFlight]);
    const loadSeconds = (performance.now() - loadStart) / 1000;
    sampling = false;
    await waitSampler;
    const waitLine =
      `PostgreSQL sessions of this run, active on average (by wait): ` +
      ([...waits].sort((x, y) => y[1] - x[1]).map(([w, n]) => `${w} ${(n / waitSamples).toFixed(2)}`).join(', ') || 'none seen') +
      `; waiting for the NOTIFY commit lock (all databases): ${(notifyLockWaiters / waitSamples).toFixed(2)}`;
    if (profiling) log(`CPU profiles written: ${(await profiling).every(Boolean) ? `${PROFILE_DIR}/a.cpuprofile, b.cpuprofile` : 'no (inspector failed)'}`);
    const clientCpu = process.cpuUsage(cpuBefore.client);
    const busy = (cpu: number) => `${((cpu / loadSeconds) * 100).toFixed(0)}%`;
    const cpuLine =
      `CPU during the load (of one core): A ${busy(cpuSeconds(starters[0].server!) - cpuBefore.a)}, B ${busy(cpuSeconds(starters[1].server!) - cpuBefore.b)}, ` +
      `client ${busy((clientCpu.user + clientCpu.system) / 1e6)}; A spent ${(((cpuSeconds(starters[0].server!) - cpuBefore.a) / Math.max(1, sent.size)) * 1000).toFixed(2)} ms of CPU per message`;
    const acknowledged = [...sent].filter(([, s]) => s.status === 201);
    const stragglerDeadline = performance.now() + STRAGGLER_MS;
    while (performance.now() < stragglerDeadline && acknowledged.some(([id]) => !received.has(id))) await sleep(50);
    lag.disable();

    // ── results
    let lost = 0;
    let duplicated = 0;
    const latencies: number[] = [];
    for (const [id, s] of acknowledged) {
      const r = received.get(id);
      if (!r) {
        lost++;
        continue;
      }
      if (r.count > 1) duplicated += r.count - 1;
      latencies.push(r.first - s.start);
    }
    // A message delivered without a 201 (a timed-out POST that did commit) is neither lost nor counted.
    const unacknowledgedDelivered = [...received.keys()].filter((id) => sent.get(id)?.status !== 201).length;
    latencies.sort((x, y) => x - y);
    const postMs = acknowledged.map(([, s]) => s.postMs).sort((x, y) => x - y);
    const ms = (n: number) => Math.max(0, n / 1e6 - LAG_RESOLUTION_MS).toFixed(1);
    log(
      `load: ${sent.size} messages in ${SECONDS} s (${(sent.size / SECONDS).toFixed(0)}/s) from ${RESIDENTS} residents; ${acknowledged.length} acknowledged (201); ` +
        `POST failures: ${postFailures.size ? [...postFailures].map(([k, v]) => `${k}×${v}`).join(', ') : 'none'}`,
    );
    log(
      `POST round trip: p50 ${percentile(postMs, 50).toFixed(1)} ms, p99 ${percentile(postMs, 99).toFixed(1)} ms, max ${(postMs.at(-1) ?? 0).toFixed(1)} ms; ` +
        `POST → agent: p50 ${percentile(latencies, 50).toFixed(1)}, p90 ${percentile(latencies, 90).toFixed(1)}, p99 ${percentile(latencies, 99).toFixed(1)}, max ${(latencies.at(-1) ?? 0).toFixed(1)} ms`,
    );
    log(
      `client event-loop lag during the load: p50 ${ms(lag.percentile(50))} ms, p99 ${ms(lag.percentile(99))} ms, max ${ms(lag.max)} ms; ` +
        `streams ended early: ${agentStreamEnds} agent, ${residentStreamEnds} resident; unparsable events ${strayEvents}; delivered without a 201: ${unacknowledgedDelivered}`,
    );
    log(cpuLine);
    log(waitLine);
    log(`run took ${((performance.now() - runStarted) / 1000).toFixed(0)} s`);
    console.log(
      `chat_p50_ms=${percentile(latencies, 50).toFixed(1)} chat_p99_ms=${percentile(latencies, 99).toFixed(1)} lost=${lost} duplicated=${duplicated} sse_kb_per_conn=${sseKbPerConn.toFixed(1)}`,
    );
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

/** SIGUSR1 opens the server's inspector on the --inspect-port it was started with (loopback). */
async function openInspector(serverPid: number, port: number): Promise<number | null> {
  try {
    process.kill(serverPid, 'SIGUSR1');
  } catch {
    return null;
  }
  for (let i = 0; i < 30; i++) {
    await sleep(100);
    const ok = await new Promise<boolean>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/json/version', agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.end();
    });
    if (ok) return port;
  }
  log('the inspector did not open: memory is measured without a forced GC');
  return null;
}

main().catch((e) => {
  console.error(`[bench:chat] failed: ${e instanceof Error ? e.stack ?? e.message : e}`);
  process.exit(1);
});
