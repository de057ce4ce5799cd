import type { Queryable } from '../../platform/db.ts';
import { sha256 } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';

/**
 * Failed-attempt counting for sign-in steps in the auth_throttle table, so every instance
 * sees the same counts. A key (an account, a TOTP step, an address) that reaches its limit
 * within the window is locked until the window has passed again; callers answer 429 with
 * Retry-After meanwhile.
 */
export interface ThrottleKey {
  key: string;
  max: number;
}

export const accountKey = (email: string) => `account:${sha256(email.trim().toLowerCase())}`;
export const totpKey = (userId: string) => `totp:${userId}`;
export const ipKey = (ip: string) => `ip:${ip}`;
/** Forgotten-password requests from one address (apart from sign-in failures, so one cannot lock the other). */
export const resetIpKey = (ip: string) => `reset_ip:${ip}`;

export class LoginThrottle {
  constructor(
    private maxFailures: number,
    private windowMinutes: number,
  ) {}

  /** The keys guarding one attempt: the account (or step) at the limit, the address at 4×. */
  keys(primary: string, ip: string): ThrottleKey[] {
    return [
      { key: primary, max: this.maxFailures },
      { key: ipKey(ip), max: this.maxFailures * 4 },
    ];
  }

  /** Throws too_many_requests (429, Retry-After in seconds) when any key is locked. */
  async check(q: Queryable, tenantId: string, keys: ThrottleKey[]): Promise<void> {
    const r = await q.query<{ retry: number }>(
      `select ceil(extract(epoch from (locked_until - now())))::int as retry from auth_throttle
       where tenant_id = $1 and key = any($2::text[]) and locked_until > now()
       order by locked_until desc limit 1`,
      [tenantId, keys.map((k) => k.key)],
    );
    if (r.rows[0]) throw tooManyRequests(r.rows[0].retry);
  }

  /**
   * Counts one failure on every key. Returns the keys that became locked by it, so the
   * caller can audit the lockout once rather than on every refused attempt.
   */
  async fail(q: Queryable, tenantId: string, keys: ThrottleKey[]): Promise<string[]> {
    const locked: string[] = [];
    for (const k of keys) {
      // A window that has run out starts afresh; the lock lasts one window from the failure that reached the limit.
      const r = await q.query<{ locked: boolean }>(
        `insert into auth_throttle (tenant_id, key, failures, window_started_at, locked_until)
         values ($1, $2, 1, now(), case when 1 >= $3 then now() + make_interval(mins => $4) end)
         on conflict (tenant_id, key) do update set
           failures = case when auth_throttle.window_started_at < now() - make_interval(mins => $4) then 1 else auth_throttle.failures + 1 end,
           window_started_at = case when auth_throttle.window_started_at < now() - make_interval(mins => $4) then now() else auth_throttle.window_started_at end,
           locked_until = case
             when (case when auth_throttle.window_started_at < now() - make_interval(mins => $4) then 1 else auth_throttle.failures + 1 end) >= $3
               then now() + make_interval(mins => $4)
             else auth_throttle.locked_until end
         returning locked_until is not null and locked_until > now() and failures = $3 as locked`,
        [tenantId, k.key, k.max, this.windowMinutes],
      );
      if (r.rows[0]?.locked) locked.push(k.key);
    }
    return locked;
  }

  /** Forgets the failures of a key, e.g. the account after a successful sign-in. */
  async reset(q: Queryable, tenantId: string, key: string): Promise<void> {
    await q.query('delete from auth_throttle where tenant_id = $1 and key = $2', [tenantId, key]);
  }
}

export function tooManyRequests(retryAfterSeconds: number) {
  const s = Math.max(1, Math.ceil(retryAfterSeconds));
  return new AppError('too_many_requests', 429, { retryAfter: s }, { 'Retry-After': String(s) });
}
