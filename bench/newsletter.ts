import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { freshPostgres } from './harness.ts';
import { openDb, type Db } from '../src/platform/db.ts';
import { migrate } from '../src/platform/migrate.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createLogger } from '../src/platform/log.ts';
import { createServices } from '../src/server/services.ts';
import { personalize, renderTemplate, unsubscribeHeaders } from '../src/modules/newsletters/render.ts';
import { preferencesUrl, unsubscribeUrl } from '../src/modules/newsletters/common.ts';
import { LinkTokens } from '../src/modules/newsletters/tokens.ts';

/**
 * npm run bench:newsletter [-- --database-url postgres://… --subscribers 50000 --connections 5]
 *
 * 50,000 confirmed subscribers and one campaign, sent unthrottled over real SMTP by the
 * newsletter sender (SmtpEmailAdapter in bulk mode: composeBulk and SmtpPool with
 * NEWSLETTER_SMTP_CONNECTIONS connections) to an smtp-server sink on 127.0.0.1; the
 * baseline pushes one rendered message 50,000 times through pooled nodemailer with the
 * same number of connections to the same sink. The sink, the sender and the baseline each run in their own process.
 *
 * Then the crash run: a second campaign to the same subscribers, its sender killed with
 * SIGKILL in the middle, a new sender process started, and at the sink every subscriber
 * must have exactly one copy (counted strictly by recipient and campaign).
 *
 * Database: PostgreSQL at --database-url or TEST_PG_URL when it answers (a fresh database,
 * dropped at the end), else PGlite in a temporary directory (removed at the end).
 *
 * Last line:
 *   newsletter_msgs_per_s=… baseline_msgs_per_s=… ratio=… duplicates=… resumed_exactly_once=yes|no
 * Targets (issue 6): ratio ≥ 0.7, zero duplicates, resumed exactly once.
 * tests/integration/newsletter-kill.test.ts runs this at 3,000 subscribers.
 */

const SECRET = 'bench-newsletter-secret-0123456789abcdef';
const FROM = 'Aukio <no-reply@bench.aukio.test>';
const { values: args } = parseArgs({
  options: {
    role: { type: 'string' },
    'database-url': { type: 'string' },
    'data-dir': { type: 'string' },
    'smtp-url': { type: 'string' },
    campaign: { type: 'string' },
    subscribers: { type: 'string' },
    connections: { type: 'string' },
  },
});
const SUBSCRIBERS = Number(args.subscribers ?? 50_000);
const CONNECTIONS = Number(args.connections ?? 5);

type SinkStats = { total: number; byTag: Record<string, { messages: number; recipients: number; duplicates: number }> };

// ── child: the SMTP sink ────────────────────────────────────────────────────────────────
async function sinkRole() {
  // tag (campaign id or "baseline") → recipient → copies
  const counts = new Map<string, Map<string, number>>();
  let total = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    maxClients: 1000,
    onData(stream, session, callback) {
      let head = '';
      stream.on('data', (c: Buffer) => {
        if (head.length < 4096) head += c.toString('latin1');
      });
      stream.on('end', () => {
        const tag = /^Message-ID:\s*<nl\.([0-9a-f-]{36})\./im.exec(head)?.[1] ?? 'baseline';
        let m = counts.get(tag);
        if (!m) counts.set(tag, (m = new Map()));
        for (const r of session.envelope.rcptTo) m.set(r.address, (m.get(r.address) ?? 0) + 1);
        total++;
        callback();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  process.send!({ port: (server.server.address() as { port: number }).port });
  process.on('message', (msg: { stats?: boolean }) => {
    if (!msg.stats) return;
    const byTag: SinkStats['byTag'] = {};
    for (const [tag, m] of counts) {
      let messages = 0;
      let duplicates = 0;
      for (const n of m.values()) {
        messages += n;
        if (n > 1) duplicates += n - 1;
      }
      byTag[tag] = { messages, recipients: m.size, duplicates };
    }
    process.send!({ stats: { total, byTag } satisfies SinkStats });
  });
}

// ── child: the newsletter sender ────────────────────────────────────────────────────────
async function senderRole() {
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    SESSION_SECRET: SECRET,
    ...(args['database-url'] ? { DATABASE_URL: args['database-url'] } : { DATA_DIR: args['data-dir'] }),
    EMAIL_ADAPTER: 'smtp',
    SMTP_URL: args['smtp-url'],
    EMAIL_FROM: FROM,
    NEWSLETTER_RATE_PER_SECOND: '0',
    NEWSLETTER_SMTP_CONNECTIONS: String(CONNECTIONS),
  });
  const services = await createServices(config, createLogger('silent'));
  // A restarted sender waits this long for the dead one's heartbeat to go stale.
  const sender = services.newsletters.sender({ orphanAfterSeconds: 3, maxRunMs: 3_600_000 });
  process.send!({ ready: true });
  const started = performance.now();
  for (;;) {
    const r = await sender.run(args.campaign!);
    if (r === 'done' || r === 'paused') break;
    await new Promise((res) => setTimeout(res, 500));
  }
  const seconds = (performance.now() - started) / 1000;
  await services.newsletters.close();
  await services.db.close();
  process.send!({ done: true, seconds });
}

// ── child: the baseline ─────────────────────────────────────────────────────────────────
async function baselineRole() {
  const transport = nodemailer.createTransport({ url: args['smtp-url'], pool: true, maxConnections: CONNECTIONS, maxMessages: Infinity } as never);
  const { message } = (await new Promise((r) => process.once('message', r))) as { message: Parameters<typeof transport.sendMail>[0] };
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < SUBSCRIBERS) {
      const n = next++;
      await transport.sendMail({ ...message, to: `bench${n}@example.org`, envelope: { from: message.envelope && 'from' in message.envelope ? message.envelope.from : undefined, to: `bench${n}@example.org` } });
    }
  };
  // As many messages in flight as the newsletter sender keeps (two per connection).
  await Promise.all(Array.from({ length: CONNECTIONS * 2 }, worker));
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  process.send!({ done: true, seconds });
}

// ── parent ──────────────────────────────────────────────────────────────────────────────
function child(role: string, extra: string[] = []): ChildProcess {
  return fork(import.meta.filename, ['--role', role, '--subscribers', String(SUBSCRIBERS), '--connections', String(CONNECTIONS), ...extra], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}
const nextMessage = <T>(c: ChildProcess, pick: (m: any) => T | undefined): Promise<T> =>
  new Promise((resolve, reject) => {
    const on = (m: unknown) => {
      const v = pick(m);
      if (v !== undefined) {
        c.off('message', on);
        c.off('exit', onExit);
        resolve(v);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`child exited (${code}) before answering`));
    c.on('message', on);
    c.once('exit', onExit);
  });

async function pgAnswers(url: string) {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function createCampaign(db: Db, tenantId: string, subject: string): Promise<string> {
  const c = await db.query<{ id: string }>(
    `insert into newsletter_campaigns (tenant_id, kind, state, subjects, intros, rate_per_second, started_at, last_activity_at)
     values ($1, 'campaign', 'sending', $2, $3, 0, now(), now()) returning id`,
    [tenantId, JSON.stringify({ fi: subject }), JSON.stringify({ fi: 'Hyvää huomenta! Tässä viikon tärkeimmät uutiset kunnasta.\n\nKiitos, että luet.' })],
  );
  // The same rows the console's Send makes (every confirmed, unsuppressed subscriber).
  await db.query(
    `insert into newsletter_recipients (campaign_id, subscriber_id, tenant_id, email, language)
     select $1, id, tenant_id, email, language from newsletter_subscribers where tenant_id = $2 and status = 'confirmed'`,
    [c.rows[0].id, tenantId],
  );
  return c.rows[0].id;
}

async function main() {
  const adminUrl = args['database-url'] ?? process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const usePg = await pgAnswers(adminUrl);
  const pgDb = usePg ? await freshPostgres(adminUrl) : null;
  const dataDir = usePg ? null : mkdtempSync(join(tmpdir(), 'aukio-bench-newsletter-'));
  const dbArgs = pgDb ? ['--database-url', pgDb.url] : ['--data-dir', dataDir!];
  const open = () => openDb(pgDb ? { databaseUrl: pgDb.url, dataDir: tmpdir(), poolMax: 5 } : { dataDir: dataDir! });
  const sink = child('sink');
  const children: ChildProcess[] = [sink];
  try {
    const { port } = await nextMessage(sink, (m) => (m?.port ? m : undefined));
    const smtpUrl = `smtp://127.0.0.1:${port}`;
    const stats = () => {
      sink.send({ stats: true });
      return nextMessage<SinkStats>(sink, (m) => m?.stats);
    };
    console.error(`newsletter bench: ${SUBSCRIBERS} subscribers, ${CONNECTIONS} SMTP connections, ${usePg ? 'PostgreSQL' : 'PGlite'}`);

    // Set-up: a tenant, the subscribers, two campaigns (one for the measured run, one to crash).
    let db = await open();
    await migrate(db);
    const tenantId = (
      await db.query<{ id: string }>(`insert into tenants (slug, names, languages, default_language) values ('bench', '{"fi":"Penkkilä"}', '{fi}', 'fi') returning id`)
    ).rows[0].id;
    await db.query(
      `insert into newsletter_subscribers (tenant_id, email, email_norm, language, topics, frequency, status, origin, confirmed_at)
       select $1, 'bench' || g || '@example.org', 'bench' || g || '@example.org', 'fi', '{liikenne}', 'weekly', 'confirmed', 'http://bench.localhost', now()
       from generate_series(0, $2 - 1) g`,
      [tenantId, SUBSCRIBERS],
    );
    const measured = await createCampaign(db, tenantId, 'Viikon uutiset');
    const crashed = await createCampaign(db, tenantId, 'Viikon uutiset (kaatuva lähetys)');
    // The baseline sends exactly what a subscriber gets: the same renderer and links.
    const tokens = new LinkTokens(SECRET);
    const template = renderTemplate(
      { org: 'Penkkilä', origin: 'http://bench.localhost' },
      { kind: 'campaign', subjects: { fi: 'Viikon uutiset' }, intros: { fi: 'Hyvää huomenta! Tässä viikon tärkeimmät uutiset kunnasta.\n\nKiitos, että luet.' } },
      [],
      'fi',
      false,
    );
    const example = '00000000-0000-4000-8000-000000000000';
    const unsub = unsubscribeUrl('http://bench.localhost', tokens.make('unsub', example, measured));
    const p = {
      ...personalize(template, { unsubscribeUrl: unsub, preferencesUrl: preferencesUrl('http://bench.localhost', 'fi', tokens.make('prefs', example)) }),
      headers: unsubscribeHeaders(unsub, `<campaign.${tenantId}.bench.aukio.test>`),
    };
    await db.close();

    // 1. The newsletter sender, unthrottled.
    const s1 = child('sender', [...dbArgs, '--smtp-url', smtpUrl, '--campaign', measured]);
    children.push(s1);
    const r1 = await nextMessage<{ seconds: number }>(s1, (m) => (m?.done ? m : undefined));
    const st1 = (await stats()).byTag[measured];
    const newsletterRate = SUBSCRIBERS / r1.seconds;
    console.error(`newsletter: ${st1?.messages ?? 0} messages at the sink in ${r1.seconds.toFixed(2)} s (${newsletterRate.toFixed(0)}/s), duplicates ${st1?.duplicates ?? 0}`);

    // 2. The baseline: the same rendered message through pooled nodemailer, same connections.
    const b = child('baseline', ['--smtp-url', smtpUrl]);
    children.push(b);
    const message = {
      from: FROM,
      subject: p.subject,
      text: p.text,
      html: p.html,
      headers: p.headers,
      envelope: { from: 'bounces+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA@bench.aukio.test' },
    };
    b.send({ message });
    const rb = await nextMessage<{ seconds: number }>(b, (m) => (m?.done ? m : undefined));
    const baselineRate = SUBSCRIBERS / rb.seconds;
    console.error(`baseline: ${SUBSCRIBERS} messages in ${rb.seconds.toFixed(2)} s (${baselineRate.toFixed(0)}/s)`);

    // 3. The crash run: kill -9 in the middle, restart, complete.
    const s2 = child('sender', [...dbArgs, '--smtp-url', smtpUrl, '--campaign', crashed]);
    children.push(s2);
    await nextMessage(s2, (m) => (m?.ready ? m : undefined));
    for (;;) {
      const n = (await stats()).byTag[crashed]?.messages ?? 0;
      if (n >= SUBSCRIBERS * 0.4) break;
      if (s2.exitCode !== null) throw new Error('the sender finished before it could be killed');
      await new Promise((r) => setTimeout(r, 20));
    }
    s2.kill('SIGKILL');
    await new Promise((r) => (s2.exitCode !== null || s2.signalCode !== null ? r(null) : s2.once('exit', r)));
    const atKill = (await stats()).byTag[crashed]?.messages ?? 0;
    console.error(`crash run: killed the sender (SIGKILL) with ${atKill} messages at the sink; restarting`);
    const s3 = child('sender', [...dbArgs, '--smtp-url', smtpUrl, '--campaign', crashed]);
    children.push(s3);
    await nextMessage(s3, (m) => (m?.done ? m : undefined));
    const st2 = (await stats()).byTag[crashed] ?? { messages: 0, recipients: 0, duplicates: 0 };
    db = await open();
    const states = await db.query<{ state: string; n: number }>('select state, count(*)::int as n from newsletter_recipients where campaign_id = $1 group by state', [crashed]);
    await db.close();
    const missing = SUBSCRIBERS - st2.recipients;
    console.error(
      `crash run: ${st2.recipients} of ${SUBSCRIBERS} subscribers received it, ${st2.duplicates} duplicate copies, ${missing} never received; ledger: ${states.rows.map((r) => `${r.state}=${r.n}`).join(' ')}`,
    );
    const duplicates = (st1?.duplicates ?? 0) + st2.duplicates;
    const exactlyOnce = st2.duplicates === 0 && missing === 0;
    console.log(
      `newsletter_msgs_per_s=${newsletterRate.toFixed(0)} baseline_msgs_per_s=${baselineRate.toFixed(0)} ratio=${(newsletterRate / baselineRate).toFixed(2)} duplicates=${duplicates} resumed_exactly_once=${exactlyOnce ? 'yes' : 'no'}`,
    );
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    if (pgDb) await pgDb.drop().catch(() => {});
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

const role = args.role;
const run = role === 'sink' ? sinkRole : role === 'sender' ? senderRole : role === 'baseline' ? baselineRole : main;
run().then(
  () => {
    if (!role) process.exit(0);
  },
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
