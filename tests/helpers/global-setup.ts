import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { PG_ADMIN_URL } from './engines.ts';

/**
 * Runs once before all suites: finds out which real dependencies this machine has and
 * says loudly what will be skipped. In CI nothing may be skipped.
 */
export default async function setup() {
  const ci = process.env.CI === 'true';
  const missing: string[] = [];

  let pgOk = false;
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    pgOk = true;
  } catch {
    missing.push(`PostgreSQL at ${PG_ADMIN_URL.replace(/\/\/[^@]*@/, '//')} (set TEST_PG_URL)`);
  } finally {
    await client.end().catch(() => {});
  }
  process.env.AUKIO_TEST_PG_AVAILABLE = pgOk ? '1' : '0';

  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const chromiumOk = existsSync(chromium);
  process.env.AUKIO_TEST_CHROMIUM = chromiumOk ? chromium : '';
  if (!chromiumOk) missing.push(`Chromium at ${chromium} (apt-get install -y chromium, or set CHROMIUM_PATH)`);

  if (!existsSync('build/server/index.js')) {
    execSync('npx react-router build', { stdio: ['ignore', 'ignore', 'inherit'] });
  }

  if (missing.length) {
    const banner = '!'.repeat(78);
    const text = `\n${banner}\n  SKIPPING SUITES: missing ${missing.join('; ')}\n${banner}\n`;
    if (ci) throw new Error(`CI must run every suite, but these are missing: ${missing.join('; ')}`);
    console.warn(text);
  }
}
