import pg from 'pg';
import { openDb, type Db } from '../../src/platform/db.ts';
import { migrate } from '../../src/platform/migrate.ts';

/**
 * The database engines an integration suite runs against: PGlite always; a real
 * PostgreSQL when one answers (TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 * In CI (CI=true) a missing PostgreSQL is a failure, not a skip.
 */
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestEngine {
  name: 'pglite' | 'postgres';
  /** Available on this machine; when false, suites using it are skipped loudly. */
  available: boolean;
}

export function engines(): TestEngine[] {
  return [
    { name: 'pglite', available: true },
    { name: 'postgres', available: process.env.AUKIO_TEST_PG_AVAILABLE === '1' },
  ];
}

export interface TestDb {
  db: Db;
  url?: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of the engine; drop() removes it (PostgreSQL) or closes it. */
export async function createTestDb(engine: TestEngine['name']): Promise<TestDb> {
  if (engine === 'pglite') {
    const db = await openDb({ dataDir: 'memory' });
    await migrate(db);
    return { db, drop: () => db.close() };
  }
  const name = `aukio_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const db = await openDb({ databaseUrl: url, dataDir: 'memory' });
  await migrate(db);
  return {
    db,
    url,
    drop: async () => {
      await db.close().catch(() => {});
      const a = new pg.Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
