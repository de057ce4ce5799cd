import { z } from 'zod';
import type { AuditService } from '../audit/audit.ts';
import { isUuid, type OrgUnitService } from '../tenancy/org-units.ts';
import type { EmailMessage } from '../../adapters/email/email.ts';
import { randomToken, sha256 } from '../../platform/crypto.ts';
import { isUniqueViolation, type Db, type Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { LANGUAGES, pick, type Lang, type Localized } from '../../platform/i18n.ts';
import { parse } from '../../platform/validation.ts';
import { ROLES, type Actor, type Role } from './actor.ts';
import { requireAdmin } from './admin-access.ts';
import type { SessionService } from './sessions.ts';

/** Scope an integration token needs to administer staff users and their roles. */
export const USERS_SCOPE = 'admin:users';

/** How long the "set your password" link of a new account stays valid. */
export const INVITE_TTL_DAYS = 7;

export interface StaffGrant {
  id: string;
  role: Role;
  /** null = the whole tenant; otherwise this unit and its subtree. */
  orgUnitId: string | null;
  createdAt: string;
}

export interface StaffUserItem {
  id: string;
  email: string;
  name: string;
  preferredLanguage: Lang | null;
  active: boolean;
  totpEnabled: boolean;
  /** False until the person has set a password through the invite (or signs in another way). */
  hasPassword: boolean;
  createdAt: string;
  lastSignInAt: string | null;
  grants: StaffGrant[];
}

export interface CommandContext {
  /** Origin of the request, e.g. https://esimerkkila.fi — used for the invite link unless PUBLIC_URL is set. */
  origin: string;
  ip?: string;
}

/** Something that enqueues mail in a transaction (services.mail). */
export interface MailQueue {
  enqueue(tx: Queryable, m: EmailMessage): Promise<void>;
}

const name = z.string().trim().min(1, 'required').max(200, 'too_long');
const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'too_long')
  .pipe(z.email({ message: 'invalid_email' }));
const preferredLanguage = z.enum(LANGUAGES, { message: 'invalid_language' });

export const createStaffUserSchema = z.object({
  name,
  email,
  preferredLanguage: preferredLanguage.nullish(),
});
export type CreateStaffUserInput = z.input<typeof createStaffUserSchema>;

export const updateStaffUserSchema = z.object({
  name: name.optional(),
  email: email.optional(),
  preferredLanguage: preferredLanguage.nullish(),
  active: z.boolean().optional(),
});
export type UpdateStaffUserInput = z.input<typeof updateStaffUserSchema>;

export const grantSchema = z.object({
  role: z.enum(ROLES, { message: 'invalid_role' }),
  orgUnitId: z.string().nullish(),
});
export type GrantInput = z.input<typeof grantSchema>;

interface UserRow {
  id: string;
  email: string;
  name: string;
  preferred_language: Lang | null;
  active: boolean;
  totp_enabled: boolean;
  has_password: boolean;
  created_at: string;
  last_sign_in_at: string | null;
  grants: StaffGrant[] | null;
}

const ts = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
const SELECT_USERS = `select u.id, u.email, u.name, u.preferred_language, u.active, u.totp_enabled, u.password_hash is not null as has_password,
    ${ts('u.created_at')} as created_at, ${ts('u.last_sign_in_at')} as last_sign_in_at,
    (select json_agg(json_build_object('id', g.id, 'role', g.role, 'orgUnitId', g.org_unit_id, 'createdAt', ${ts('g.created_at')})
       order by g.created_at, g.id)
     from role_grants g where g.tenant_id = u.tenant_id and g.user_id = u.id) as grants
  from staff_users u`;

const toItem = (r: UserRow): StaffUserItem => ({
  id: r.id,
  email: r.email,
  name: r.name,
  preferredLanguage: r.preferred_language,
  active: r.active,
  totpEnabled: r.totp_enabled,
  hasPassword: r.has_password,
  createdAt: r.created_at,
  lastSignInAt: r.last_sign_in_at,
  grants: r.grants ?? [],
});

/**
 * Staff accounts and their role grants, administered by tenant admins (or by integration
 * tokens with the admin:users scope). Two invariants hold after every command: e-mail
 * addresses are unique per tenant (case-insensitively), and a tenant always keeps at least
 * one active staff member with a tenant-wide tenant_admin grant.
 */
export class StaffUserService {
  constructor(
    private deps: {
      db: Db;
      audit: AuditService;
      sessions: SessionService;
      mail: MailQueue;
      orgUnits: OrgUnitService;
      /** PUBLIC_URL from config: overrides the request origin in e-mailed links ({host} is replaced). */
      publicUrl?: string;
    },
  ) {}

  async list(actor: Actor, tenantId: string): Promise<StaffUserItem[]> {
    requireAdmin(actor, tenantId, USERS_SCOPE);
    const r = await this.deps.db.query<UserRow>(`${SELECT_USERS} where u.tenant_id = $1 order by lower(u.name), u.email`, [tenantId]);
    return r.rows.map(toItem);
  }

  /** One user; a malformed id, a missing user and another tenant's user are the same 404. */
  async get(actor: Actor, tenantId: string, id: string): Promise<StaffUserItem> {
    requireAdmin(actor, tenantId, USERS_SCOPE);
    return this.load(this.deps.db, tenantId, id);
  }

  /** Who holds a role scoped to exactly this unit (shown on the unit's page; such grants block deleting it). */
  async grantsInUnit(actor: Actor, tenantId: string, unitId: string): Promise<{ grantId: string; role: Role; userId: string; name: string; active: boolean }[]> {
    requireAdmin(actor, tenantId, USERS_SCOPE);
    if (!isUuid(unitId)) return [];
    const r = await this.deps.db.query<{ grant_id: string; role: Role; user_id: string; name: string; active: boolean }>(
      `select g.id as grant_id, g.role, u.id as user_id, u.name, u.active from role_grants g
       join staff_users u on u.tenant_id = g.tenant_id and u.id = g.user_id
       where g.tenant_id = $1 and g.org_unit_id = $2 order by lower(u.name), g.role`,
      [tenantId, unitId],
    );
    return r.rows.map((x) => ({ grantId: x.grant_id, role: x.role, userId: x.user_id, name: x.name, active: x.active }));
  }

  /**
   * Creates an account without a password and e-mails its owner a link to set one
   * (a password_reset one-time token, valid INVITE_TTL_DAYS), in the same transaction.
   */
  async create(actor: Actor, tenantId: string, input: unknown, ctx: CommandContext): Promise<StaffUserItem> {
    requireAdmin(actor, tenantId, USERS_SCOPE);
    const v = parse(createStaffUserSchema, input);
    const { db, audit } = this.deps;
    return db.transaction(async (tx) => {
      const tenant = await tenantFacts(tx, tenantId);
      if (v.preferredLanguage && !tenant.languages.includes(v.preferredLanguage)) {
        throw new AppError('validation_failed', 400, { fields: { preferredLanguage: 'not_enabled' } });
      }
      await assertEmailFree(tx, tenantId, v.email);
      let id: string;
      try {
        const r = await tx.query<{ id: string }>(
          `insert into staff_users (tenant_id, email, name, preferred_language) values ($1,$2,$3,$4) returning id`,
          [tenantId, v.email, v.name, v.preferredLanguage ?? null],
        );
        id = r.rows[0].id;
      } catch (e) {
        if (isUniqueViolation(e)) throw emailTaken();
        throw e;
      }

      await this.sendInvite(tx, tenantId, tenant, { id, name: v.name, email: v.email, preferredLanguage: v.preferredLanguage ?? null }, ctx);

      await audit.record(tx, tenantId, actor, {
        action: 'admin.user_created',
        targetKind: 'staff_user',
        targetId: id,
        details: { invited: true, preferredLanguage: v.preferredLanguage ?? null },
        ip: ctx.ip,
      });
      return this.load(tx, tenantId, id);
    });
  }

  /**
   * Sends a new "set your password" link (e.g. the first one expired or got lost); earlier
   * unused links of the user stop working. Not for deactivated accounts.
   */
  async resendInvite(actor: Actor, tenantId: string, id: string, ctx: CommandContext): Promise<void> {
    requireAdmin(actor, tenantId, USERS_SCOPE);
    const { db, audit } = this.deps;
    await db.transaction(async (tx) => {
      const user = await this.load(tx, tenantId, id);
      if (!user.active) throw new AppError('conflict', 409, { reason: 'inactive' });
      await voidResetTokens(tx, tenantId, id);
      await this.sendInvite(tx, tenantId, await tenantFacts(tx, tenantId), user, ctx);
      await audit.record(tx, tenantId, actor, { action: 'admin.user_invited', targetKind: 'staff_user', targetId: id, ip: ctx.ip });
    });
  }

  /** Edits name, e-mail, language; `active: false` deactivates (and signs the person out everywhere). */
  async update(actor: Actor, tenantId: string, id: string, input: unknown, ctx: CommandContext): Promise<StaffUserItem> {
    requireAdmin(actor, tenantId, USERS_SCOPE);
    if (!isUuid(id)) throw new AppError('not_found', 404);
    const v = parse(updateStaffUserSchema, input);
    const { db, audit, sessions } = this.deps;
    return db.transaction(async (tx) => {
      await lockAdmins(tx, tenantId);
      const current = await this.load(tx, tenantId, id);
      const tenant = await tenantFacts(tx, tenantId);
      if (v.preferredLanguage && v.preferredLanguage !== current.preferredLanguage && !tenant.languages.includes(v.preferredLanguage)) {
        throw new AppError('validation_failed', 400, { fields: { preferredLanguage: 'not_enabled' } });
      }
      if (v.active === false && actor.kind === 'staff' && actor.user.id === id) {
        throw new AppError('conflict', 409, { reason: 'cannot_deactivate_self', fields: { active: 'cannot_deactivate_self' } });
      }
      const next = {
        name: v.name ?? current.name,
        email: v.email ?? current.email,
        preferredLanguage: v.preferredLanguage !== undefined ? v.preferredLanguage : current.preferredLanguage,
        active: v.active ?? current.active,
      };
      if (next.email !== current.email) await assertEmailFree(tx, tenantId, next.email, id);
      try {
        await tx.query(`update staff_users set name = $3, email = $4, preferred_language = $5, active = $6 where tenant_id = $1 and id = $2`, [
          tenantId,
          id,
          next.name,
          next.email,
          next.preferredLanguage,
          next.active,
        ]);
      } catch (e) {
        if (isUniqueViolation(e)) throw emailTaken();
        throw e;
      }
      const changed = (['name', 'email', 'preferredLanguage'] as const).filter((k) => next[k] !== current[k]);
      if (changed.length) {
        await audit.record(tx, tenantId, actor, {
          action: 'admin.user_updated',
          targetKind: 'staff_user',
          targetId: id,
          details: { fields: changed },
          ip: ctx.ip,
        });
      }
      if (next.active !== current.active) {
        if (!next.active) {
          await assertAdminRemains(tx, tenantId);
          await sessions.destroyAllForStaff(tx, tenantId, id);
          // An unused invite or reset link must not bring a deactivated account back.
          await voidResetTokens(tx, tenantId, id);
        }
        await audit.record(tx, tenantId, actor, {
          action: next.active ? 'admin.user_reactivated' : 'admin.user_deactivated',
          targetKind: 'staff_user',
          targetId: id,
          ip: ctx.ip,
        });
      }
      return this.load(tx, tenantId, id);
    });
  }

  async grant(actor: Actor, tenantId: string, userId: string, input: unknown, ctx: CommandContext): Promise<StaffGrant> {
    requireAdmin(actor, tenantId, USERS_SCOPE);
    if (!isUuid(userId)) throw new AppError('not_found', 404);
    const v = parse(grantSchema, input);
    const orgUnitId = v.orgUnitId ? v.orgUnitId : null;
    const { db, audit } = this.deps;
    return db.transaction(async (tx) => {
      await this.load(tx, tenantId, userId);
      if (orgUnitId !== null && !(await this.deps.orgUnits.ancestors(tenantId, orgUnitId, tx)).length) {
        throw new AppError('validation_failed', 400, { fields: { orgUnitId: 'unknown_org_unit' } });
      }
      const exists = await tx.query(
        `select 1 from role_grants where tenant_id = $1 and user_id = $2 and role = $3 and org_unit_id is not distinct from $4`,
        [tenantId, userId, v.role, orgUnitId],
      );
      if (exists.rows.length) throw new AppError('conflict', 409, { reason: 'duplicate_grant', fields: { role: 'duplicate_grant' } });
      let grant: StaffGrant;
      try {
        const r = await tx.query<{ id: string; created_at: string }>(
          `insert into role_grants (tenant_id, user_id, role, org_unit_id) values ($1,$2,$3,$4) returning id, ${ts('created_at')} as created_at`,
          [tenantId, userId, v.role, orgUnitId],
        );
        grant = { id: r.rows[0].id, role: v.role, orgUnitId, createdAt: r.rows[0].created_at };
      } catch (e) {
        if (isUniqueViolation(e)) throw new AppError('conflict', 409, { reason: 'duplicate_grant', fields: { role: 'duplicate_grant' } });
        throw e;
      }
      await audit.record(tx, tenantId, actor, {
        action: 'admin.role_granted',
        targetKind: 'staff_user',
        targetId: userId,
        details: { grantId: grant.id, role: grant.role, orgUnitId },
        ip: ctx.ip,
      });
      return grant;
    });
  }

  async revoke(actor: Actor, tenantId: string, userId: string, grantId: string, ctx: CommandContext): Promise<void> {
    requireAdmin(actor, tenantId, USERS_SCOPE);
    if (!isUuid(userId) || !isUuid(grantId)) throw new AppError('not_found', 404);
    const { db, audit } = this.deps;
    await db.transaction(async (tx) => {
      await lockAdmins(tx, tenantId);
      const r = await tx.query<{ role: Role; org_unit_id: string | null }>(
        `select role, org_unit_id from role_grants where tenant_id = $1 and user_id = $2 and id = $3`,
        [tenantId, userId, grantId],
      );
      const g = r.rows[0];
      if (!g) throw new AppError('not_found', 404);
      // An admin who takes away their own admin right locks themselves out mid-session.
      if (g.role === 'tenant_admin' && g.org_unit_id === null && actor.kind === 'staff' && actor.user.id === userId) {
        throw new AppError('conflict', 409, { reason: 'cannot_revoke_own_admin' });
      }
      await tx.query('delete from role_grants where tenant_id = $1 and id = $2', [tenantId, grantId]);
      await assertAdminRemains(tx, tenantId);
      await audit.record(tx, tenantId, actor, {
        action: 'admin.role_revoked',
        targetKind: 'staff_user',
        targetId: userId,
        details: { grantId, role: g.role, orgUnitId: g.org_unit_id },
        ip: ctx.ip,
      });
    });
  }

  /** The invite: a password_reset one-time token and the e-mail carrying it, in the caller's transaction. */
  private async sendInvite(
    tx: Queryable,
    tenantId: string,
    tenant: Awaited<ReturnType<typeof tenantFacts>>,
    user: { id: string; name: string; email: string; preferredLanguage: Lang | null },
    ctx: CommandContext,
  ) {
    const token = randomToken(32);
    await tx.query(
      `insert into one_time_tokens (tenant_id, purpose, token_hash, subject, data, expires_at)
       values ($1, 'password_reset', $2, $3, $4, now() + make_interval(days => $5))`,
      [tenantId, sha256(token), user.id, JSON.stringify({ reason: 'invite' }), INVITE_TTL_DAYS],
    );
    const lang = user.preferredLanguage && tenant.languages.includes(user.preferredLanguage) ? user.preferredLanguage : tenant.defaultLanguage;
    const link = `${linkOrigin(this.deps.publicUrl, ctx.origin)}/${lang}/staff/reset-password?token=${encodeURIComponent(token)}`;
    await this.deps.mail.enqueue(tx, inviteMail(tenantId, lang, pick(tenant.names, lang).text, user.name, user.email, link));
  }

  private async load(q: Queryable, tenantId: string, id: string): Promise<StaffUserItem> {
    if (!isUuid(id)) throw new AppError('not_found', 404);
    const r = await q.query<UserRow>(`${SELECT_USERS} where u.tenant_id = $1 and u.id = $2`, [tenantId, id]);
    if (!r.rows[0]) throw new AppError('not_found', 404);
    return toItem(r.rows[0]);
  }
}

async function voidResetTokens(tx: Queryable, tenantId: string, userId: string) {
  await tx.query(`update one_time_tokens set used_at = now() where tenant_id = $1 and purpose = 'password_reset' and subject = $2 and used_at is null`, [
    tenantId,
    userId,
  ]);
}

const emailTaken = () => new AppError('conflict', 409, { reason: 'email_taken', fields: { email: 'email_taken' } });

async function assertEmailFree(q: Queryable, tenantId: string, email: string, exceptId?: string) {
  // Older rows may carry capitals; compare case-insensitively so nobody gets a look-alike account.
  const r = await q.query(`select 1 from staff_users where tenant_id = $1 and lower(email) = $2 and ($3::uuid is null or id <> $3::uuid)`, [
    tenantId,
    email,
    exceptId ?? null,
  ]);
  if (r.rows.length) throw emailTaken();
}

/** Serializes admin-affecting changes per tenant, so two admins cannot demote each other at once. */
async function lockAdmins(tx: Queryable, tenantId: string) {
  await tx.query(`select pg_advisory_xact_lock(hashtext('tenant_admins:' || $1::text))`, [tenantId]);
}

/** Run after the change, inside its transaction: throwing rolls the change back. */
async function assertAdminRemains(tx: Queryable, tenantId: string) {
  const r = await tx.query(
    `select 1 from role_grants g join staff_users u on u.tenant_id = g.tenant_id and u.id = g.user_id
     where g.tenant_id = $1 and g.role = 'tenant_admin' and g.org_unit_id is null and u.active limit 1`,
    [tenantId],
  );
  if (!r.rows.length) throw new AppError('conflict', 409, { reason: 'last_admin' });
}

async function tenantFacts(q: Queryable, tenantId: string) {
  const r = await q.query<{ names: Localized; languages: Lang[]; default_language: Lang }>(
    'select names, languages, default_language from tenants where id = $1',
    [tenantId],
  );
  const t = r.rows[0];
  if (!t) throw new AppError('unknown_tenant', 404);
  return { names: t.names, languages: t.languages, defaultLanguage: t.default_language };
}

/** The origin for e-mailed links: PUBLIC_URL (with {host} filled in) when configured, else the request's. */
export function linkOrigin(publicUrl: string | undefined, requestOrigin: string): string {
  if (!publicUrl) return requestOrigin.replace(/\/$/, '');
  const host = new URL(requestOrigin).host;
  return publicUrl.replace('{host}', host).replace(/\/$/, '');
}

const INVITE = {
  fi: {
    subject: 'Sinulle on luotu tunnus: {tenant}',
    text: 'Hei {name},\n\nsinulle on luotu tunnus henkilöstön työtilaan: {tenant} (Aukio).\nKäyttäjätunnuksesi on {email}.\n\nAseta salasanasi tästä linkistä {days} päivän kuluessa:\n{link}\n\nJos et odottanut tätä viestiä, voit jättää sen huomiotta.',
  },
  sv: {
    subject: 'Ett konto har skapats åt dig: {tenant}',
    text: 'Hej {name},\n\nett konto har skapats åt dig i personalens arbetsyta: {tenant} (Aukio).\nDitt användarnamn är {email}.\n\nAnge ditt lösenord via den här länken inom {days} dagar:\n{link}\n\nOm du inte väntade dig det här meddelandet kan du strunta i det.',
  },
  en: {
    subject: 'An account has been created for you: {tenant}',
    text: 'Hello {name},\n\nan account has been created for you in the staff console of {tenant} (Aukio).\nYour user name is {email}.\n\nSet your password with this link within {days} days:\n{link}\n\nIf you did not expect this message, you can ignore it.',
  },
} satisfies Record<Lang, { subject: string; text: string }>;

function inviteMail(tenantId: string, lang: Lang, tenantName: string, name: string, email: string, link: string): EmailMessage {
  const vars: Record<string, string> = { tenant: tenantName, name, email, link, days: String(INVITE_TTL_DAYS) };
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
  return {
    tenantId,
    to: email,
    subject: fill(INVITE[lang].subject),
    text: fill(INVITE[lang].text),
    headers: { 'Content-Language': lang },
  };
}
