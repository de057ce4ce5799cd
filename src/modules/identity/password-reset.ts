import type { Queryable } from '../../platform/db.ts';
import { randomToken, sha256 } from '../../platform/crypto.ts';

/**
 * Password-setting links, shared by "forgot password" (1 hour) and account invitations
 * (7 days): a one_time_tokens row with purpose 'password_reset', token_hash = sha256(token),
 * subject = the staff user's id. The link is /{lang}/staff/reset-password?token=<token>;
 * only the hash is stored, and a token works once.
 */
export async function createPasswordResetToken(tx: Queryable, tenantId: string, userId: string, ttlMinutes: number): Promise<string> {
  const token = randomToken(32);
  await tx.query(
    `insert into one_time_tokens (tenant_id, purpose, token_hash, subject, expires_at)
     values ($1, 'password_reset', $2, $3, now() + make_interval(mins => $4))`,
    [tenantId, sha256(token), userId, ttlMinutes],
  );
  return token;
}

/** The user a still-valid token belongs to, without using it up (to show the form or an error). */
export async function peekPasswordResetToken(q: Queryable, tenantId: string, token: string): Promise<string | null> {
  if (!token || token.length > 100) return null;
  const r = await q.query<{ subject: string }>(
    `select subject from one_time_tokens
     where tenant_id = $1 and purpose = 'password_reset' and token_hash = $2 and used_at is null and expires_at > now()`,
    [tenantId, sha256(token)],
  );
  return r.rows[0]?.subject ?? null;
}

/**
 * Uses the token up and returns its user id, or null when it is unknown, used or expired.
 * One UPDATE makes it single-use even when two requests race.
 */
export async function consumePasswordResetToken(tx: Queryable, tenantId: string, token: string): Promise<string | null> {
  if (!token || token.length > 100) return null;
  const r = await tx.query<{ subject: string }>(
    `update one_time_tokens set used_at = now()
     where tenant_id = $1 and purpose = 'password_reset' and token_hash = $2 and used_at is null and expires_at > now()
     returning subject`,
    [tenantId, sha256(token)],
  );
  return r.rows[0]?.subject ?? null;
}

/** Voids a user's other open links once one has been used, so an old e-mail cannot reset again. */
export async function revokePasswordResetTokens(tx: Queryable, tenantId: string, userId: string): Promise<void> {
  await tx.query(
    `update one_time_tokens set used_at = now()
     where tenant_id = $1 and purpose = 'password_reset' and subject = $2 and used_at is null`,
    [tenantId, userId],
  );
}
