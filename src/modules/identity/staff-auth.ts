import type { EmailMessage } from '../../adapters/email/email.ts';
import type { AuditService } from '../audit/audit.ts';
import type { Tenant } from '../tenancy/tenants.ts';
import type { Config } from '../../platform/config.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import { SecretBox, sha256 } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { pick, type Lang } from '../../platform/i18n.ts';
import { ANONYMOUS, type Actor, type StaffUser } from './actor.ts';
import { OidcService } from './oidc.ts';
import { OidcSettingsService } from './oidc-settings.ts';
import { dummyHash, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { consumePasswordResetToken, createPasswordResetToken, peekPasswordResetToken, revokePasswordResetTokens } from './password-reset.ts';
import type { SessionService } from './sessions.ts';
import { accountKey, LoginThrottle, resetIpKey, totpKey } from './throttle.ts';
import { newTotpSecret, totpQrSvg, totpStep, totpUri } from './totp.ts';

/** A forgotten-password link lives one hour; invitations (staff admin) choose their own. */
export const PASSWORD_RESET_TTL_MINUTES = 60;
/** Forgotten-password requests per address and LOGIN_WINDOW_MINUTES, as a multiple of LOGIN_MAX_FAILURES. */
const RESET_REQUESTS_PER_IP_FACTOR = 2;

export interface MailQueue {
  enqueue(tx: Queryable, m: EmailMessage): Promise<void>;
}

export interface StaffAuthDeps {
  db: Db;
  config: Config;
  sessions: SessionService;
  audit: AuditService;
  mail: MailQueue;
}

export interface SignInResult {
  /** Session cookie value. */
  token: string;
  user: StaffUser;
  /** The session still owes a TOTP code (src/server/app.ts treats it as anonymous until then). */
  pendingSecondFactor: boolean;
}

interface AccountRow {
  id: string;
  email: string;
  password_hash: string | null;
  totp_enabled: boolean;
}

const RESET_MAIL: Record<Lang, { subject: (org: string) => string; text: (org: string, link: string) => string }> = {
  fi: {
    subject: (org) => `${org}: salasanan vaihto`,
    text: (org, link) =>
      `Hei,\n\nJoku (toivottavasti sinä) pyysi salasanan vaihtoa ${org}n henkilöstön työtilaan.\n\nVaihda salasana tästä linkistä tunnin kuluessa:\n${link}\n\nLinkki toimii kerran. Jos et pyytänyt vaihtoa, voit jättää tämän viestin huomiotta – salasanasi ei muutu.\n`,
  },
  sv: {
    subject: (org) => `${org}: byte av lösenord`,
    text: (org, link) =>
      `Hej,\n\nNågon (förhoppningsvis du) bad om att byta lösenord till personalens arbetsyta i ${org}.\n\nByt lösenord via den här länken inom en timme:\n${link}\n\nLänken fungerar en gång. Om du inte bad om bytet kan du bortse från meddelandet – ditt lösenord ändras inte.\n`,
  },
  en: {
    subject: (org) => `${org}: password reset`,
    text: (org, link) =>
      `Hello,\n\nSomeone (hopefully you) asked to reset the password of your ${org} staff console account.\n\nSet a new password with this link within one hour:\n${link}\n\nThe link works once. If you did not ask for this, ignore this message – your password stays as it is.\n`,
  },
};

/**
 * Staff sign-in and account security: password sign-in with throttling, the TOTP second
 * factor, sign-out, password reset and change, and (through `oidc`) OpenID Connect.
 * Every outcome that matters is audited in the transaction that causes it.
 */
export class StaffAuthService {
  readonly throttle: LoginThrottle;
  readonly oidc: OidcService;
  /** The tenant admin's side of OIDC: configuration with a sealed client secret. */
  readonly oidcSettings: OidcSettingsService;

  constructor(private d: StaffAuthDeps) {
    this.throttle = new LoginThrottle(d.config.LOGIN_MAX_FAILURES, d.config.LOGIN_WINDOW_MINUTES);
    this.oidc = new OidcService(d.db, d.sessions, d.audit, new SecretBox(d.config.SESSION_SECRET));
    this.oidcSettings = new OidcSettingsService(d.db, d.audit, this.oidc, d.config.NODE_ENV === 'production');
  }

  private async account(q: Queryable, tenantId: string, email: string): Promise<AccountRow | null> {
    const r = await q.query<AccountRow>(
      `select id, email, password_hash, totp_enabled from staff_users where tenant_id = $1 and lower(email) = $2 and active`,
      [tenantId, email.trim().toLowerCase()],
    );
    return r.rows[0] ?? null;
  }

  /** Checks e-mail and password; 401 invalid_credentials or 429 too_many_requests otherwise. */
  async signInWithPassword(input: { tenantId: string; email: string; password: string; ip: string }): Promise<SignInResult> {
    const { tenantId, ip } = input;
    const email = input.email.trim().toLowerCase().slice(0, 320);
    const keys = this.throttle.keys(accountKey(email), ip);
    await this.throttle.check(this.d.db, tenantId, keys);
    const row = email ? await this.account(this.d.db, tenantId, email) : null;
    // Unknown accounts and accounts without a password cost the same argon2 work as real ones.
    const hash = row?.password_hash ?? (await dummyHash());
    const ok = (await verifyPassword(hash, input.password.slice(0, 500))) && !!row?.password_hash;

    if (!ok || !row) {
      await this.d.db.transaction(async (tx) => {
        const locked = await this.throttle.fail(tx, tenantId, keys);
        const target = row ? { targetKind: 'staff_user', targetId: row.id } : {};
        await this.d.audit.record(tx, tenantId, ANONYMOUS, {
          action: 'staff.sign_in_failed',
          ...target,
          // Never the password; for unknown accounts only a hash of the e-mail, to spot repeated probing.
          details: row ? { method: 'password' } : { method: 'password', emailHash: sha256(email) },
          ip,
        });
        if (locked.length) {
          await this.d.audit.record(tx, tenantId, ANONYMOUS, {
            action: 'staff.locked_out',
            ...target,
            details: { step: 'password', keys: locked.map((k) => k.split(':')[0]), minutes: this.d.config.LOGIN_WINDOW_MINUTES },
            ip,
          });
        }
      });
      throw new AppError('invalid_credentials', 401);
    }

    return this.d.db.transaction(async (tx) => {
      await this.throttle.reset(tx, tenantId, keys[0].key);
      const pending = row.totp_enabled;
      const token = await this.d.sessions.create(tx, { tenantId, staffUserId: row.id, method: 'password', pendingSecondFactor: pending });
      const user = (await this.d.sessions.loadStaffUser(tenantId, row.id, tx))!;
      if (!pending) await this.signedIn(tx, tenantId, user, 'password', ip);
      return { token, user, pendingSecondFactor: pending };
    });
  }

  private async signedIn(tx: Queryable, tenantId: string, user: StaffUser, method: string, ip: string) {
    await tx.query('update staff_users set last_sign_in_at = now() where tenant_id = $1 and id = $2', [tenantId, user.id]);
    await this.d.audit.record(tx, tenantId, { kind: 'staff', user, sessionId: '' }, {
      action: 'staff.sign_in',
      targetKind: 'staff_user',
      targetId: user.id,
      details: { method },
      ip,
    });
  }

  /** Checks a TOTP code for the user (throttled per user and address); returns its time step. */
  private async checkTotp(tenantId: string, userId: string, code: string, ip: string, step: 'sign_in' | 'settings'): Promise<number> {
    const keys = this.throttle.keys(totpKey(userId), ip);
    await this.throttle.check(this.d.db, tenantId, keys);
    const r = await this.d.db.query<{ totp_secret: string | null; totp_last_step: string | null }>(
      'select totp_secret, totp_last_step::text from staff_users where tenant_id = $1 and id = $2',
      [tenantId, userId],
    );
    const row = r.rows[0];
    const s = row?.totp_secret ? totpStep(row.totp_secret, code) : null;
    if (s !== null && (row!.totp_last_step === null || s > Number(row!.totp_last_step))) return s;
    await this.d.db.transaction(async (tx) => {
      const locked = await this.throttle.fail(tx, tenantId, keys);
      if (step === 'sign_in') {
        await this.d.audit.record(tx, tenantId, ANONYMOUS, {
          action: 'staff.sign_in_failed',
          targetKind: 'staff_user',
          targetId: userId,
          details: { method: 'totp' },
          ip,
        });
      }
      if (locked.length) {
        await this.d.audit.record(tx, tenantId, ANONYMOUS, {
          action: 'staff.locked_out',
          targetKind: 'staff_user',
          targetId: userId,
          details: { step: 'totp', keys: locked.map((k) => k.split(':')[0]), minutes: this.d.config.LOGIN_WINDOW_MINUTES },
          ip,
        });
      }
    });
    throw new AppError('invalid_code', step === 'sign_in' ? 401 : 400, { fields: { code: 'invalid' } });
  }

  /** Records the used step; false when a concurrent request used the same code first. */
  private async useStep(tx: Queryable, tenantId: string, userId: string, step: number): Promise<boolean> {
    const r = await tx.query(
      `update staff_users set totp_last_step = $3 where tenant_id = $1 and id = $2 and (totp_last_step is null or totp_last_step < $3)`,
      [tenantId, userId, step],
    );
    return r.rowCount === 1;
  }

  /**
   * Second step of a password sign-in. The pending session is deleted and a new one with a
   * fresh token is created, so a token planted or seen before the second factor (session
   * fixation) never becomes a signed-in session. Returns the new cookie value.
   */
  async completeSecondFactor(input: { tenantId: string; sessionId: string; user: StaffUser; code: string; ip: string }): Promise<{ token: string; user: StaffUser }> {
    const { tenantId, user, ip } = input;
    const step = await this.checkTotp(tenantId, user.id, input.code, ip, 'sign_in');
    const token = await this.d.db.transaction(async (tx) => {
      if (!(await this.useStep(tx, tenantId, user.id, step))) throw new AppError('invalid_code', 401, { fields: { code: 'invalid' } });
      // Only a still-pending session of this user may be exchanged, once (two racing posts: one wins).
      const gone = await tx.query(
        'delete from sessions where id = $1 and tenant_id = $2 and staff_user_id = $3 and pending_second_factor',
        [input.sessionId, tenantId, user.id],
      );
      if (gone.rowCount !== 1) throw new AppError('invalid_code', 401, { fields: { code: 'invalid' } });
      const fresh = await this.d.sessions.create(tx, { tenantId, staffUserId: user.id, method: 'password+totp' });
      await this.throttle.reset(tx, tenantId, totpKey(user.id));
      await this.signedIn(tx, tenantId, user, 'password+totp', ip);
      return fresh;
    });
    return { token, user };
  }

  /** Housekeeping (with sessions.purge): throttle rows whose window and lock are over, dead links and states. */
  async purgeExpired(): Promise<void> {
    await this.d.db.query(
      `delete from auth_throttle where window_started_at < now() - make_interval(mins => $1) and (locked_until is null or locked_until < now())`,
      [this.d.config.LOGIN_WINDOW_MINUTES],
    );
    await this.d.db.query(
      `delete from one_time_tokens where expires_at < now() - interval '1 day'`,
    );
  }

  /** Ends a session (staff or resident, complete or pending); staff and resident sign-outs are audited. */
  async signOut(tenantId: string, sessionId: string, actor: Actor, ip: string): Promise<void> {
    await this.d.db.transaction(async (tx) => {
      await tx.query('delete from sessions where id = $1 and tenant_id = $2', [sessionId, tenantId]);
      if (actor.kind === 'staff') {
        await this.d.audit.record(tx, tenantId, actor, { action: 'staff.sign_out', targetKind: 'staff_user', targetId: actor.user.id, ip });
      } else if (actor.kind === 'resident' && actor.sessionId === sessionId) {
        // Same record as the portal's sign-out page (ResidentService.signOut).
        await this.d.audit.record(tx, tenantId, actor, { action: 'resident.sign_out', targetKind: 'resident', targetId: actor.resident.id, ip });
      }
    });
  }

  /**
   * Sends a reset link if the address belongs to an active account. The caller answers the
   * same either way, so the form cannot be used to find out who has an account.
   */
  async requestPasswordReset(input: { tenant: Tenant; email: string; lang: Lang; origin: string; ip: string }): Promise<void> {
    const { tenant, lang, ip } = input;
    const email = input.email.trim().toLowerCase();
    if (!email || email.length > 320 || !email.includes('@')) throw new AppError('validation_failed', 400, { fields: { email: 'email' } });
    // Every request counts (not only failures): one address cannot spray links at many mailboxes
    // nor probe addresses in bulk. The per-account limit below guards each mailbox on its own.
    const ipLimit = [{ key: resetIpKey(ip), max: this.d.config.LOGIN_MAX_FAILURES * RESET_REQUESTS_PER_IP_FACTOR }];
    await this.throttle.check(this.d.db, tenant.id, ipLimit);
    await this.d.db.transaction(async (tx) => {
      await this.throttle.fail(tx, tenant.id, ipLimit);
      const row = await this.account(tx, tenant.id, email);
      if (!row) {
        await this.d.audit.record(tx, tenant.id, ANONYMOUS, {
          action: 'staff.password_reset_requested',
          details: { emailHash: sha256(email), unknownAccount: true },
          ip,
        });
        return;
      }
      // At most LOGIN_MAX_FAILURES links per window and account, so the form cannot flood a mailbox.
      const recent = await tx.query<{ n: number }>(
        `select count(*)::int as n from one_time_tokens where tenant_id = $1 and purpose = 'password_reset' and subject = $2
         and created_at > now() - make_interval(mins => $3)`,
        [tenant.id, row.id, this.d.config.LOGIN_WINDOW_MINUTES],
      );
      const suppressed = recent.rows[0].n >= this.d.config.LOGIN_MAX_FAILURES;
      if (!suppressed) {
        const token = await createPasswordResetToken(tx, tenant.id, row.id, PASSWORD_RESET_TTL_MINUTES);
        const link = `${input.origin}/${lang}/staff/reset-password?token=${encodeURIComponent(token)}`;
        const org = pick(tenant.names, lang).text;
        await this.d.mail.enqueue(tx, { tenantId: tenant.id, to: row.email, subject: RESET_MAIL[lang].subject(org), text: RESET_MAIL[lang].text(org, link) });
      }
      await this.d.audit.record(tx, tenant.id, ANONYMOUS, {
        action: 'staff.password_reset_requested',
        targetKind: 'staff_user',
        targetId: row.id,
        details: suppressed ? { suppressed: true } : {},
        ip,
      });
    });
  }

  /** Whether a reset link can still be used (the page shows the form or an explanation). */
  async resetTokenValid(tenantId: string, token: string): Promise<boolean> {
    return (await peekPasswordResetToken(this.d.db, tenantId, token)) !== null;
  }

  /** Sets a new password with a link's token; signs the account out everywhere. */
  async resetPassword(input: { tenantId: string; token: string; password: string; confirm: string; ip: string }): Promise<void> {
    const { tenantId, ip } = input;
    checkNewPassword(input.password, input.confirm);
    if (!(await this.resetTokenValid(tenantId, input.token))) throw new AppError('invalid_token', 400);
    const hash = await hashPassword(input.password);
    await this.d.db.transaction(async (tx) => {
      const userId = await consumePasswordResetToken(tx, tenantId, input.token);
      if (!userId) throw new AppError('invalid_token', 400);
      const r = await tx.query<{ email: string }>(
        'update staff_users set password_hash = $3 where tenant_id = $1 and id::text = $2 and active returning email',
        [tenantId, userId, hash],
      );
      if (!r.rows[0]) throw new AppError('invalid_token', 400);
      await revokePasswordResetTokens(tx, tenantId, userId);
      await this.d.sessions.destroyAllForStaff(tx, tenantId, userId);
      // Whoever holds the mailbox has proved it; earlier failed guesses no longer lock them out.
      await this.throttle.reset(tx, tenantId, accountKey(r.rows[0].email));
      await this.d.audit.record(tx, tenantId, ANONYMOUS, {
        action: 'staff.password_changed',
        targetKind: 'staff_user',
        targetId: userId,
        details: { via: 'reset_link' },
        ip,
      });
    });
  }

  /** Own password change: the current password is required; other sessions are signed out. */
  async changePassword(input: { actor: Actor & { kind: 'staff' }; current: string; password: string; confirm: string; ip: string }) {
    const { actor, ip } = input;
    const { user } = actor;
    const keys = this.throttle.keys(accountKey(user.email), ip);
    await this.throttle.check(this.d.db, user.tenantId, keys);
    const row = await this.account(this.d.db, user.tenantId, user.email);
    if (!row || !(await verifyPassword(row.password_hash ?? (await dummyHash()), input.current.slice(0, 500))) || !row.password_hash) {
      await this.d.db.transaction((tx) => this.throttle.fail(tx, user.tenantId, keys));
      throw new AppError('invalid_credentials', 400, { fields: { current: 'wrong' } });
    }
    checkNewPassword(input.password, input.confirm);
    const hash = await hashPassword(input.password);
    await this.d.db.transaction(async (tx) => {
      await tx.query('update staff_users set password_hash = $3 where tenant_id = $1 and id = $2', [user.tenantId, user.id, hash]);
      await tx.query('delete from sessions where tenant_id = $1 and staff_user_id = $2 and id <> $3', [user.tenantId, user.id, actor.sessionId]);
      await this.d.audit.record(tx, user.tenantId, actor, {
        action: 'staff.password_changed',
        targetKind: 'staff_user',
        targetId: user.id,
        details: { via: 'self' },
        ip,
      });
    });
  }

  /** TOTP state for the security page; the secret is shown only while enrolment is unfinished. */
  async totpStatus(user: StaffUser, issuer: string): Promise<{ enabled: boolean; pending: { secret: string; uri: string; qrSvg: string } | null }> {
    const r = await this.d.db.query<{ totp_secret: string | null; totp_enabled: boolean }>(
      'select totp_secret, totp_enabled from staff_users where tenant_id = $1 and id = $2',
      [user.tenantId, user.id],
    );
    const row = r.rows[0];
    if (!row) throw new AppError('not_found', 404);
    if (row.totp_enabled || !row.totp_secret) return { enabled: row.totp_enabled, pending: null };
    const uri = totpUri(row.totp_secret, issuer, user.email);
    return { enabled: false, pending: { secret: row.totp_secret, uri, qrSvg: await totpQrSvg(uri) } };
  }

  /** Starts (or restarts) enrolment with a fresh secret; nothing changes at sign-in until confirmed. */
  async beginTotpEnrolment(user: StaffUser): Promise<void> {
    const r = await this.d.db.query(
      'update staff_users set totp_secret = $3, totp_last_step = null where tenant_id = $1 and id = $2 and not totp_enabled',
      [user.tenantId, user.id, newTotpSecret()],
    );
    if (r.rowCount === 0) throw new AppError('conflict', 409);
  }

  async cancelTotpEnrolment(user: StaffUser): Promise<void> {
    await this.d.db.query('update staff_users set totp_secret = null where tenant_id = $1 and id = $2 and not totp_enabled', [user.tenantId, user.id]);
  }

  /** Enables TOTP once the person proves their app produces the right codes. */
  async confirmTotp(actor: Actor & { kind: 'staff' }, code: string, ip: string): Promise<void> {
    const { user } = actor;
    const step = await this.checkTotp(user.tenantId, user.id, code, ip, 'settings');
    await this.d.db.transaction(async (tx) => {
      if (!(await this.useStep(tx, user.tenantId, user.id, step))) throw new AppError('invalid_code', 400, { fields: { code: 'invalid' } });
      const r = await tx.query('update staff_users set totp_enabled = true where tenant_id = $1 and id = $2 and not totp_enabled and totp_secret is not null', [
        user.tenantId,
        user.id,
      ]);
      if (r.rowCount === 0) throw new AppError('conflict', 409);
      await this.d.audit.record(tx, user.tenantId, actor, { action: 'staff.totp_enabled', targetKind: 'staff_user', targetId: user.id, ip });
    });
  }

  /** Turns TOTP off; a current code is required so a borrowed session alone cannot do it. */
  async disableTotp(actor: Actor & { kind: 'staff' }, code: string, ip: string): Promise<void> {
    const { user } = actor;
    const step = await this.checkTotp(user.tenantId, user.id, code, ip, 'settings');
    await this.d.db.transaction(async (tx) => {
      if (!(await this.useStep(tx, user.tenantId, user.id, step))) throw new AppError('invalid_code', 400, { fields: { code: 'invalid' } });
      const r = await tx.query(
        'update staff_users set totp_enabled = false, totp_secret = null, totp_last_step = null where tenant_id = $1 and id = $2 and totp_enabled',
        [user.tenantId, user.id],
      );
      if (r.rowCount === 0) throw new AppError('conflict', 409);
      await this.d.audit.record(tx, user.tenantId, actor, { action: 'staff.totp_disabled', targetKind: 'staff_user', targetId: user.id, ip });
    });
  }
}

function checkNewPassword(password: string, confirm: string) {
  const problem = passwordProblem(password);
  if (problem) throw new AppError('validation_failed', 400, { fields: { password: problem } });
  if (password !== confirm) throw new AppError('validation_failed', 400, { fields: { confirm: 'mismatch' } });
}
