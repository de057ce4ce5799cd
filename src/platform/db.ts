import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';

/**
 * One database interface over two engines that speak the same PostgreSQL dialect:
 * PGlite (embedded, file-backed) and a real PostgreSQL server (DATABASE_URL).
 * Everything above this file writes plain PostgreSQL with $1 parameters.
 */
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
}

export interface Tx extends Queryable {
  /**
   * Runs cb once the transaction has committed (never after a rollback). For signals
   * to other processes that must not wait inside the commit: see EventBus.publish.
   * A failing callback is ignored: the transaction's work is already durable.
   */
  afterCommit(cb: () => Promise<unknown> | unknown): void;
}

/** Runs the after-commit callbacks of a committed transaction, one after another. */
async function runAfterCommit(callbacks: (() => Promise<unknown> | unknown)[]) {
  for (const cb of callbacks) {
    try {
      await cb();
    } catch {
      /* already committed; the callback's own concern */
    }
  }
}

export interface Db extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Runs fn in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** LISTEN on a channel; returns an unlisten function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** A connection of its own for writes that must be ordered before another socket's (see OrderedWriter). */
  orderedWriter(): Promise<OrderedWriter>;
  /** Executor for pg-boss, optionally bound to an open transaction. */
  bossExecutor(tx?: Queryable): { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> };
  close(): Promise<void>;
}

/**
 * One statement at a time on a connection of its own, for a record that must reach the
 * database no later than a write the caller makes to another socket right after it (the
 * newsletter sender's hand-over mark before SMTP's final dot).
 *
 * On PostgreSQL `detached` is true: when the writer is idle, `issue` has put the statement
 * on the server's socket before it returns (node-postgres writes synchronously to an idle
 * connection). Once bytes are in the kernel, killing this process does not stop them: the
 * server still reads and commits the statement. The caller may therefore make its own
 * write in the same synchronous step, without waiting for the commit.
 *
 * PGlite runs inside this process, so a kill stops the database too: `detached` is false
 * and the caller must wait for `issue`'s promise (the commit) before its own write.
 */
export interface OrderedWriter {
  readonly detached: boolean;
  /** False once the connection failed: an issue would not reach the server. */
  readonly healthy: boolean;
  /** True while a statement is in flight; `issue` then throws. */
  readonly busy: boolean;
  /** Sends one statement now (its own transaction); resolves once the server committed it. */
  issue<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  close(): Promise<void>;
}

/** Tracks the one statement in flight; shared by both engines' writers. */
abstract class WriterBase implements OrderedWriter {
  abstract readonly detached: boolean;
  healthy = true;
  busy = false;
  protected abstract run<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  abstract close(): Promise<void>;

  issue<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    // A second statement would queue inside the driver, in this process's memory: the
    // ordering the caller relies on would silently not hold.
    if (this.busy) throw new Error('OrderedWriter: a statement is already in flight');
    this.busy = true;
    return this.run<T>(sql, params).finally(() => {
      this.busy = false;
    });
  }
}

class PostgresWriter extends WriterBase {
  readonly detached = true;
  constructor(private client: pg.Client) {
    super();
    client.on('error', () => {
      this.healthy = false;
    });
    client.on('end', () => {
      this.healthy = false;
    });
  }
  private names = new Map<string, string>();
  protected async run<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    // A writer repeats a few statements many times: prepared once per connection, each
    // later one costs the server no parse and no plan.
    let name = this.names.get(sql);
    if (!name) this.names.set(sql, (name = `ordered_writer_${this.names.size}`));
    try {
      const r = await this.client.query({ name, text: sql, values: params as unknown[] });
      return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
    } catch (e) {
      // A statement error leaves the connection usable; a broken connection does not.
      if (!(e as { code?: string }).code) this.healthy = false;
      throw e;
    }
  }
  async close() {
    this.healthy = false;
    await this.client.end().catch(() => {});
  }
}

class PgliteWriter extends WriterBase {
  readonly detached = false;
  constructor(private db: Queryable) {
    super();
  }
  protected run<T>(sql: string, params?: unknown[]) {
    return this.db.query<T>(sql, params);
  }
  async close() {
    this.healthy = false;
  }
}

// pg returns int8 and numeric as strings by default; we keep that (no precision loss)
// and cast to int in SQL where a number is wanted, which behaves the same on PGlite.

class PostgresDb implements Db {
  readonly engine = 'postgres' as const;
  private pool: pg.Pool;
  private listener?: pg.Client;
  private listeners = new Map<string, Set<(payload: string) => void>>();
  private closed = false;

  constructor(
    private url: string,
    poolMax = 10,
  ) {
    this.pool = new pg.Pool({ connectionString: url, max: poolMax });
    // An idle client that errors (server restart) must not crash the process.
    this.pool.on('error', () => {});
  }

  async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    const r = await this.pool.query(sql, params as unknown[]);
    return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const afterCommit: (() => Promise<unknown> | unknown)[] = [];
    let result: T;
    try {
      await client.query('BEGIN');
      const tx: Tx = {
        query: async <R>(sql: string, params?: unknown[]) => {
          const r = await client.query(sql, params as unknown[]);
          return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
        },
        afterCommit: (cb) => void afterCommit.push(cb),
      };
      result = await fn(tx);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
    await runAfterCommit(afterCommit);
    return result;
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async listen(channel: string, onPayload: (payload: string) => void) {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      if (this.listener) await this.listener.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    }
    set.add(onPayload);
    if (!this.listener) await this.connectListener();
    return async () => {
      set!.delete(onPayload);
    };
  }

  /**
   * One dedicated connection per process carries every LISTEN. When it drops (server
   * restart, failover, idle kill) it is reopened with backoff and LISTENs again, so
   * realtime recovers by itself; events sent while it was down are lost, which SSE
   * clients tolerate by refetching on reconnect.
   */
  private async connectListener(attempt = 0): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.url });
    this.listener = client;
    let retrying = false;
    const retry = () => {
      if (retrying || this.closed) return;
      retrying = true;
      client.removeAllListeners('notification');
      client.end().catch(() => {});
      if (this.listener === client) this.listener = undefined;
      const delay = Math.min(30_000, 500 * 2 ** attempt);
      setTimeout(() => void this.connectListener(attempt + 1).catch(() => {}), delay).unref();
    };
    client.on('error', retry);
    client.on('end', retry);
    client.on('notification', (n) => {
      for (const cb of this.listeners.get(n.channel) ?? []) cb(n.payload ?? '');
    });
    try {
      await client.connect();
      for (const channel of this.listeners.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      attempt = 0;
    } catch (e) {
      if (attempt > 0) return retry();
      // The first connection is part of start-up: its failure is the caller's to see.
      retrying = true;
      client.end().catch(() => {});
      this.listener = undefined;
      throw e;
    }
  }

  async orderedWriter(): Promise<OrderedWriter> {
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    return new PostgresWriter(client);
  }

  bossExecutor(tx?: Queryable) {
    const target: Queryable = tx ?? this;
    return { executeSql: (text: string, values?: unknown[]) => target.query(text, values ?? []) };
  }

  async close() {
    this.closed = true;
    await this.listener?.end().catch(() => {});
    await this.pool.end();
  }
}

class PgliteDb implements Db {
  readonly engine = 'pglite' as const;
  constructor(private pg: PGlite) {}

  async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    const r = await this.pg.query<T>(sql, params as unknown[]);
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const afterCommit: (() => Promise<unknown> | unknown)[] = [];
    const result = await this.pg.transaction(async (t) => {
      const tx: Tx = {
        query: async <R>(sql: string, params?: unknown[]) => {
          const r = await t.query<R>(sql, params as unknown[]);
          return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
        },
        afterCommit: (cb) => void afterCommit.push(cb),
      };
      return fn(tx);
    });
    await runAfterCommit(afterCommit);
    return result;
  }

  async exec(sql: string): Promise<void> {
    await this.pg.exec(sql);
  }

  async listen(channel: string, onPayload: (payload: string) => void) {
    const unlisten = await this.pg.listen(channel, onPayload);
    return async () => unlisten();
  }

  async orderedWriter(): Promise<OrderedWriter> {
    return new PgliteWriter(this);
  }

  bossExecutor(tx?: Queryable) {
    return {
      executeSql: async (text: string, values?: unknown[]) => {
        if (tx) return tx.query(text, values ?? []);
        // pg-boss sends multi-statement scripts without parameters (its own migrations);
        // PGlite's extended protocol takes one statement, so those go through exec.
        if (!values || values.length === 0) {
          const results = await this.pg.exec(text);
          return results[results.length - 1] ?? { rows: [] };
        }
        return this.query(text, values);
      },
    };
  }

  async close() {
    await this.pg.close();
  }
}

export interface DbOptions {
  databaseUrl?: string;
  /** Directory for the embedded database; 'memory' keeps it in memory (tests). */
  dataDir: string;
  /** Connections in the PostgreSQL pool (DB_POOL_MAX); PGlite has one. */
  poolMax?: number;
}

export async function openDb(opts: DbOptions): Promise<Db> {
  if (opts.databaseUrl) {
    const db = new PostgresDb(opts.databaseUrl, opts.poolMax);
    await db.query('select 1');
    return db;
  }
  if (opts.dataDir === 'memory') return new PgliteDb(await PGlite.create({ extensions: EMBEDDED_EXTENSIONS }));
  mkdirSync(opts.dataDir, { recursive: true });
  const dir = `${opts.dataDir.replace(/\/$/, '')}/pglite`;
  if (!existsSync(join(dir, 'PG_VERSION'))) await initEmbedded(dir);
  return new PgliteDb(
    await PGlite.create(dir, { startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS], extensions: EMBEDDED_EXTENSIONS }),
  );
}

/**
 * PostgreSQL's default shared_buffers (128 MB) lives inside PGlite's WASM memory and is
 * all resident; an embedded Aukio's data is small and the OS caches its files anyway.
 */
const EMBEDDED_SETTINGS = ['-c', 'shared_buffers=16MB'];

/** Contrib extensions the migrations create (PostgreSQL servers ship them in postgresql-contrib). */
const EMBEDDED_EXTENSIONS = { pg_trgm };

/**
 * Creates a new embedded cluster (initdb) in a short-lived child process: initdb's own
 * WASM instance leaves a few hundred MB resident in whichever process ran it.
 */
async function initEmbedded(dir: string) {
  const script = `const { PGlite } = await import(process.env.AUKIO_PGLITE_URL);
const db = await PGlite.create(process.env.AUKIO_PGLITE_DIR);
await db.close();`;
  await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, AUKIO_PGLITE_URL: typeof import.meta.resolve === 'function' ? import.meta.resolve('@electric-sql/pglite') : '@electric-sql/pglite', AUKIO_PGLITE_DIR: dir },
  });
}

/** True when the error is PostgreSQL's unique_violation. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as { code?: string; constraint?: string; message?: string };
  if (err?.code !== '23505') return false;
  return !constraint || err.constraint === constraint || (err.message ?? '').includes(constraint);
}
