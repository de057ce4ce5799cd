import PgBoss from 'pg-boss';
import type { Db, Queryable } from './db.ts';
import type { Logger } from './log.ts';

/**
 * The job queue: pg-boss on the same PostgreSQL (or PGlite) as the business data, so a
 * job is enqueued in the transaction of the change that causes it (transactional outbox):
 * it exists if and only if the change committed. Handlers must be idempotent; failures
 * are retried with exponential backoff and stay visible on the staff Jobs page.
 *
 * Two priorities: `urgent` (alerts, sign-in e-mails) and `bulk` (newsletters, imports) are
 * separate queues, so a large send never delays an urgent one.
 */
export type Priority = 'urgent' | 'bulk';

export interface JobData {
  tenantId: string;
  [key: string]: unknown;
}

export interface JobDefinition<T extends JobData = JobData> {
  name: string;
  priority: Priority;
  handler: (data: T, job: { id: string; retryCount: number }) => Promise<void>;
  retryLimit?: number;
}

export interface FailedJob {
  id: string;
  name: string;
  state: string;
  retryCount: number;
  createdOn: string;
  completedOn: string | null;
  /** When a job in the retry state runs again (backoff), ISO 8601; null for failed jobs. */
  nextAttemptAt: string | null;
  error: string;
}

const QUEUE_PREFIX = 'aukio.';

export class JobQueue {
  private boss: PgBoss;
  private definitions = new Map<string, JobDefinition<any>>();
  private started = false;

  constructor(
    private db: Db,
    private log: Logger,
  ) {
    this.boss = new PgBoss({
      db: db.bossExecutor(),
      schema: 'pgboss',
      // Maintenance (expiry, archiving) runs on whichever instance gets there first.
      superviseIntervalSeconds: 60,
    } as ConstructorParameters<typeof PgBoss>[0]);
    this.boss.on('error', (e) => this.log.error({ err: { message: e.message } }, 'job queue error'));
  }

  define<T extends JobData>(def: JobDefinition<T>) {
    this.definitions.set(def.name, def);
  }

  /** Creates pg-boss's schema and the queues; safe on every instance. */
  async start() {
    if (this.started) return;
    // Instances starting together on an empty PostgreSQL would race (and deadlock) inside
    // pg-boss's schema and queue creation: take turns under an advisory lock, held by a
    // transaction on its own connection while pg-boss works on the pool. (PGlite is one
    // process, and its single connection cannot hold a transaction open meanwhile.)
    if (this.db.engine === 'postgres') {
      await this.db.transaction(async (tx) => {
        await tx.query('select pg_advisory_xact_lock(727276)');
        await this.install();
      });
    } else {
      await this.install();
    }
    this.started = true;
  }

  private async install() {
    await this.boss.start();
    for (const def of this.definitions.values()) {
      await this.boss.createQueue(QUEUE_PREFIX + def.name, {
        name: QUEUE_PREFIX + def.name,
        retryLimit: def.retryLimit ?? 5,
        retryDelay: 5,
        retryBackoff: true,
      } as never);
    }
  }

  /** Starts consuming every defined queue (worker role). */
  async work() {
    for (const def of this.definitions.values()) {
      await this.boss.work<JobData>(
        QUEUE_PREFIX + def.name,
        { pollingIntervalSeconds: def.priority === 'urgent' ? 0.5 : 2, batchSize: 1 },
        async (jobs) => {
          for (const job of jobs) {
            await def.handler(job.data, { id: job.id, retryCount: (job as unknown as { retryCount?: number }).retryCount ?? 0 });
          }
        },
      );
    }
  }

  /** Enqueues inside the caller's transaction: the job commits or rolls back with it. */
  async enqueue(tx: Queryable, name: string, data: JobData, opts: { singletonKey?: string; startAfter?: Date } = {}) {
    const def = this.definitions.get(name);
    if (!def) throw new Error(`Unknown job ${name}`);
    return this.boss.send(QUEUE_PREFIX + name, data, {
      db: this.db.bossExecutor(tx),
      retryLimit: def.retryLimit ?? 5,
      retryDelay: 5,
      retryBackoff: true,
      ...(opts.singletonKey ? { singletonKey: opts.singletonKey } : {}),
      ...(opts.startAfter ? { startAfter: opts.startAfter } : {}),
    } as PgBoss.SendOptions);
  }

  /**
   * Runs a job on a cron schedule (Europe/Helsinki). pg-boss keeps one schedule per name in
   * the database, so every instance may call this at start and the job still runs once per tick.
   */
  async schedule(name: string, cron: string, data: JobData) {
    if (!this.definitions.has(name)) throw new Error(`Unknown job ${name}`);
    await this.boss.schedule(QUEUE_PREFIX + name, cron, data, { tz: 'Europe/Helsinki' } as PgBoss.ScheduleOptions);
  }

  /** Jobs of this tenant that failed for good (retries exhausted) or are failing now. */
  async failed(tenantId: string, limit = 100): Promise<FailedJob[]> {
    const r = await this.db.query<{
      id: string;
      name: string;
      state: string;
      retry_count: number;
      created_on: string;
      completed_on: string | null;
      next_attempt_at: string | null;
      output: unknown;
    }>(
      `select id::text, name, state::text, retry_count, created_on::text, completed_on::text, output,
         case when state = 'retry' then to_char(start_after at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') end as next_attempt_at
       from pgboss.job where state in ('failed', 'retry') and data->>'tenantId' = $1
       order by created_on desc limit $2`,
      [tenantId, limit],
    );
    return r.rows.map((j) => ({
      id: j.id,
      name: j.name.replace(QUEUE_PREFIX, ''),
      state: j.state,
      retryCount: j.retry_count,
      createdOn: j.created_on,
      completedOn: j.completed_on,
      nextAttemptAt: j.next_attempt_at,
      error: describeOutput(j.output),
    }));
  }

  /** Puts a failed job of this tenant back in line (inside tx when given, e.g. with its audit entry). */
  async retry(tenantId: string, jobId: string, tx?: Queryable): Promise<boolean> {
    const q = tx ?? this.db;
    const r = await q.query<{ name: string }>(
      `select name from pgboss.job where id::text = $1 and data->>'tenantId' = $2 and state = 'failed'`,
      [jobId, tenantId],
    );
    if (!r.rows[0]) return false;
    await this.boss.retry(r.rows[0].name, jobId, { db: this.db.bossExecutor(tx) } as never);
    return true;
  }

  /** Stops taking new jobs and waits up to graceSeconds for running ones. */
  async stop(graceSeconds: number) {
    if (!this.started) return;
    await this.boss.stop({ graceful: true, wait: true, timeout: Math.max(graceSeconds, 1) * 1000, close: false } as never);
    this.started = false;
  }
}

function describeOutput(output: unknown): string {
  if (!output) return '';
  if (typeof output === 'object' && output && 'message' in output) return String((output as { message: unknown }).message);
  return JSON.stringify(output).slice(0, 500);
}
