import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { engines, PG_ADMIN_URL } from '../helpers/engines.ts';

/*
 * kill -9 in the middle of a campaign, for real: the benchmark's crash scenario at a small
 * scale (bench/newsletter.ts). Separate processes for the SMTP sink and the senders; the
 * first sender is killed with SIGKILL once the sink holds 40% of the campaign, a new one
 * finishes it, and the sink counts the copies each subscriber got. PostgreSQL only: the
 * guarantee rests on the database surviving the sender (src/modules/newsletters/README.md).
 */
const postgres = engines().find((e) => e.name === 'postgres')!;

describe.skipIf(!postgres.available)('newsletter sender killed with SIGKILL (PostgreSQL)', () => {
  it('the resumed campaign reaches every subscriber exactly once', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'bench/newsletter.ts', '--database-url', PG_ADMIN_URL, '--subscribers', '3000', '--connections', '3'],
      { timeout: 150_000, maxBuffer: 1024 * 1024 },
    );
    expect(stderr).toMatch(/killed the sender \(SIGKILL\) with \d+ messages at the sink/);
    const last = stdout.trim().split('\n').pop()!;
    expect(last).toMatch(/ duplicates=0 resumed_exactly_once=yes$/);
    // The ledger has nothing left in line or in flight.
    const ledger = /ledger: (.*)$/m.exec(stderr)?.[1] ?? '';
    expect(ledger).not.toMatch(/\b(pending|sending)=/);
    expect(stderr).toMatch(/crash run: 3000 of 3000 subscribers received it, 0 duplicate copies, 0 never received/);
  }, 180_000);
});
