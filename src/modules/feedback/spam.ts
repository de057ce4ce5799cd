import type { Queryable } from '../../platform/db.ts';
import { sha256 } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { tooManyRequests } from '../identity/throttle.ts';

/**
 * Spam protection without a CAPTCHA (which would lock out screen-reader and keyboard
 * users): a honeypot field people never see, a cap on links in the text, and submission
 * counts per IP address and per e-mail address in the database, so every instance sees
 * the same counts.
 */

export interface SpamLimits {
  perIpPerHour: number;
  perEmailPerHour: number;
  maxLinks: number;
}

const LINK = /\b(?:https?:\/\/|www\.)\S+/gi;

export function countLinks(text: string): number {
  return text.match(LINK)?.length ?? 0;
}

/** Checks the parts that need no database: the honeypot and the links. */
export function checkContent(limits: SpamLimits, input: { description: string; honeypot?: string | null }): void {
  if (input.honeypot && input.honeypot.trim() !== '') throw new AppError('spam_suspected', 400, { fields: { _: 'honeypot' } });
  if (countLinks(input.description) > limits.maxLinks) {
    throw new AppError('validation_failed', 400, { fields: { description: 'too_many_links' }, maxLinks: limits.maxLinks });
  }
}

/**
 * Counts one submission for each key and refuses (429 with Retry-After) when a key is
 * over its hourly limit. Runs in the submission's transaction, so a refused submission
 * leaves no count behind either.
 */
export async function countSubmission(
  tx: Queryable,
  tenantId: string,
  limits: SpamLimits,
  keys: { ip?: string | null; email?: string | null },
): Promise<void> {
  const checks: { key: string; max: number }[] = [];
  if (keys.ip) checks.push({ key: `ip:${keys.ip}`, max: limits.perIpPerHour });
  if (keys.email) checks.push({ key: `email:${sha256(keys.email.trim().toLowerCase())}`, max: limits.perEmailPerHour });
  for (const c of checks) {
    const r = await tx.query<{ count: number; retry: number }>(
      `insert into feedback_rate (tenant_id, key, window_start, count) values ($1, $2, now(), 1)
       on conflict (tenant_id, key) do update set
         count = case when feedback_rate.window_start < now() - interval '1 hour' then 1 else feedback_rate.count + 1 end,
         window_start = case when feedback_rate.window_start < now() - interval '1 hour' then now() else feedback_rate.window_start end
       returning count, ceil(extract(epoch from (window_start + interval '1 hour' - now())))::int as retry`,
      [tenantId, c.key],
    );
    const row = r.rows[0];
    if (row.count > c.max) throw tooManyRequests(row.retry);
  }
}
