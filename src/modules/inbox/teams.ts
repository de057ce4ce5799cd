import { z } from 'zod';
import type { AuditService } from '../audit/audit.ts';
import { requireRoleOrScope } from '../identity/access.ts';
import type { Actor } from '../identity/actor.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { isUuid, parse } from '../../platform/validation.ts';
import { toTeam, type TeamRow } from './conversations.ts';
import type { Team } from './model.ts';

/**
 * Team administration (`services.inboxTeams`): names, weekly business hours, SLA targets,
 * the inbound e-mail address, round-robin, the default team, members and each member's
 * capacity. Tenant admins, or an API token with `admin:settings` (the scope feedback
 * categories use). Every write is audited in its own transaction.
 *
 * Rules the database alone cannot say nicely: an inbound address belongs to one team of
 * one tenant (409 with a field error, without telling whose it is); a tenant always has
 * exactly one default team, and it is active (making another team the default moves the
 * flag in the same transaction); a team that has conversations is kept for the reports
 * and can only be deactivated.
 */
export const INBOX_ADMIN_SCOPE = 'admin:settings';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { message: 'invalid_time' });
const weekday = z.enum(WEEKDAYS, { message: 'invalid_day' });
const hoursSchema = z.strictObject({
  type: z.enum(['regular', 'exceptional']),
  validFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'invalid_date' }).nullish(),
  validTo: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'invalid_date' }).nullish(),
  isClosed: z.boolean().default(false),
  hours: z.array(z.strictObject({ dayFrom: weekday, dayTo: weekday.nullish(), from: time, to: time })).max(50).default([]),
  info: z.record(z.string(), z.string().max(500)).default({}),
});
const name = z.string().trim().max(200, { message: 'too_long' });
const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, { message: 'too_long' })
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { message: 'email' });

export const teamInput = z.strictObject({
  names: z.strictObject({ fi: name.optional(), sv: name.optional(), en: name.optional() }),
  businessHours: z.array(hoursSchema).max(20).default([]),
  firstResponseSlaMinutes: z.number({ message: 'invalid_type' }).int({ message: 'integer' }).min(1, { message: 'too_small' }).max(100_000, { message: 'too_big' }),
  resolutionSlaMinutes: z.number({ message: 'invalid_type' }).int({ message: 'integer' }).min(1, { message: 'too_small' }).max(1_000_000, { message: 'too_big' }),
  emailAddress: z.union([z.literal(''), email]).nullish(),
  autoAssign: z.boolean().default(true),
  isDefault: z.boolean().default(false),
  active: z.boolean().default(true),
  sortOrder: z.number({ message: 'invalid_type' }).int({ message: 'integer' }).min(0, { message: 'too_small' }).max(10_000, { message: 'too_big' }).default(0),
  members: z
    .array(z.strictObject({ staffUserId: z.string().refine(isUuid, { message: 'unknown' }), capacity: z.number().int().min(0, { message: 'too_small' }).max(100, { message: 'too_big' }).default(5) }))
    .max(1000)
    // Left out of a PUT, the members stay as they are.
    .optional(),
});
export type TeamInput = z.input<typeof teamInput>;
type TeamFields = z.output<typeof teamInput>;

export interface TeamMember {
  staffUserId: string;
  name: string;
  email: string;
  capacity: number;
}

export interface TeamDetail extends Team {
  members: TeamMember[];
  conversationCount: number;
  updatedAt: string;
}

export interface TeamListItem extends Team {
  memberCount: number;
  conversationCount: number;
}

/** A staff user the editor can tick as a member, with their capacity (5 when never set). */
export interface StaffOption {
  id: string;
  name: string;
  email: string;
  capacity: number;
}

/** The inbox_teams row that toTeam reads, plus the version stamp the editor checks. */
type Row = TeamRow & { updated_at: Date | string };

const DEFAULT_CAPACITY = 5;

export class InboxTeamService {
  constructor(private d: { db: Db; audit: AuditService }) {}

  async list(actor: Actor, tenantId: string): Promise<TeamListItem[]> {
    this.requireAdmin(actor, tenantId);
    const r = await this.d.db.query<Row & { member_count: string | number; conversation_count: string | number }>(
      `select t.*,
         (select count(*) from inbox_team_members m where m.tenant_id = t.tenant_id and m.team_id = t.id) as member_count,
         (select count(*) from inbox_conversations c where c.tenant_id = t.tenant_id and c.team_id = t.id) as conversation_count
       from inbox_teams t where t.tenant_id = $1 order by t.sort_order, t.names->>'fi', t.id`,
      [tenantId],
    );
    return r.rows.map((x) => ({ ...toTeam(x), memberCount: Number(x.member_count), conversationCount: Number(x.conversation_count) }));
  }

  async get(actor: Actor, tenantId: string, id: string): Promise<TeamDetail> {
    this.requireAdmin(actor, tenantId);
    return this.detail(this.d.db, tenantId, id);
  }

  /** The tenant's active staff users, for the member checkboxes. */
  async staffOptions(actor: Actor, tenantId: string): Promise<StaffOption[]> {
    this.requireAdmin(actor, tenantId);
    const r = await this.d.db.query<{ id: string; name: string; email: string; capacity: number | null }>(
      `select u.id, u.name, u.email, a.capacity from staff_users u
         left join inbox_agents a on a.tenant_id = u.tenant_id and a.staff_user_id = u.id
        where u.tenant_id = $1 and u.active order by lower(u.name), u.email`,
      [tenantId],
    );
    return r.rows.map((x) => ({ id: x.id, name: x.name, email: x.email, capacity: x.capacity ?? DEFAULT_CAPACITY }));
  }

  async create(actor: Actor, tenantId: string, body: unknown, ctx: { ip?: string } = {}): Promise<TeamDetail> {
    this.requireAdmin(actor, tenantId);
    const input = parse(teamInput, body);
    checkRules(input);
    return this.d.db.transaction(async (tx) => {
      await this.checkEmail(tx, input.emailAddress || null, null);
      await this.checkMembers(tx, tenantId, input.members ?? []);
      // The first team of a tenant is its default, whatever the form said.
      const hasDefault = await tx.query('select 1 from inbox_teams where tenant_id = $1 and is_default', [tenantId]);
      const isDefault = input.isDefault || hasDefault.rows.length === 0;
      if (isDefault && !input.active) throw new AppError('validation_failed', 400, { fields: { active: 'default_inactive' } });
      if (isDefault) await tx.query('update inbox_teams set is_default = false, updated_at = now() where tenant_id = $1 and is_default', [tenantId]);
      const r = await tx
        .query<{ id: string }>(
          `insert into inbox_teams (tenant_id, names, business_hours, first_response_sla_minutes, resolution_sla_minutes, email_address,
             auto_assign, is_default, active, sort_order)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
          [tenantId, ...columnValues({ ...input, isDefault })],
        )
        .catch(emailTaken);
      const id = r.rows[0].id;
      await this.replaceMembers(tx, tenantId, id, input.members ?? []);
      await this.d.audit.record(tx, tenantId, actor, {
        action: 'inbox.team_created',
        targetKind: 'inbox_team',
        targetId: id,
        details: { names: input.names, emailAddress: input.emailAddress || null, isDefault, members: input.members?.length ?? 0 },
        ip: ctx.ip,
      });
      return this.detail(tx, tenantId, id);
    });
  }

  /** Replaces the team's settings with the input (PUT); the member list too when the input has one. */
  async update(actor: Actor, tenantId: string, id: string, body: unknown, ctx: { ip?: string } = {}): Promise<TeamDetail> {
    this.requireAdmin(actor, tenantId);
    const input = parse(teamInput, body);
    checkRules(input);
    return this.d.db.transaction(async (tx) => {
      const current = await this.detail(tx, tenantId, id, true);
      // Another team takes the flag by becoming the default, never by this one dropping it.
      if (current.isDefault && !input.isDefault) throw new AppError('validation_failed', 400, { fields: { isDefault: 'default_required' } });
      if (input.isDefault && !input.active) throw new AppError('validation_failed', 400, { fields: { active: 'default_inactive' } });
      await this.checkEmail(tx, input.emailAddress || null, id);
      if (input.members) await this.checkMembers(tx, tenantId, input.members);
      if (input.isDefault && !current.isDefault) {
        await tx.query('update inbox_teams set is_default = false, updated_at = now() where tenant_id = $1 and is_default', [tenantId]);
      }
      await tx
        .query(
          `update inbox_teams set names = $3, business_hours = $4, first_response_sla_minutes = $5, resolution_sla_minutes = $6,
             email_address = $7, auto_assign = $8, is_default = $9, active = $10, sort_order = $11, updated_at = now()
           where tenant_id = $1 and id = $2`,
          [tenantId, id, ...columnValues(input)],
        )
        .catch(emailTaken);
      if (input.members) await this.replaceMembers(tx, tenantId, id, input.members);
      const next = await this.detail(tx, tenantId, id);
      await this.d.audit.record(tx, tenantId, actor, {
        action: 'inbox.team_updated',
        targetKind: 'inbox_team',
        targetId: id,
        details: { fields: changedFields(current, next) },
        ip: ctx.ip,
      });
      return next;
    });
  }

  /** Deletes a team nobody has contacted yet; one with conversations is deactivated instead. */
  async remove(actor: Actor, tenantId: string, id: string, ctx: { ip?: string } = {}): Promise<void> {
    this.requireAdmin(actor, tenantId);
    await this.d.db.transaction(async (tx) => {
      const current = await this.detail(tx, tenantId, id, true);
      if (current.isDefault) throw new AppError('conflict', 409, { reason: 'default_team' });
      if (current.conversationCount > 0) throw new AppError('conflict', 409, { reason: 'has_conversations' });
      await tx.query('delete from inbox_teams where tenant_id = $1 and id = $2', [tenantId, id]);
      await this.d.audit.record(tx, tenantId, actor, {
        action: 'inbox.team_deleted',
        targetKind: 'inbox_team',
        targetId: id,
        details: { names: current.names },
        ip: ctx.ip,
      });
    });
  }

  private requireAdmin(actor: Actor, tenantId: string) {
    const actorTenant = actor.kind === 'staff' ? actor.user.tenantId : actor.kind === 'api_token' ? actor.token.tenantId : null;
    if ((actor.kind === 'staff' || actor.kind === 'api_token') && actorTenant !== tenantId) throw new AppError('not_found', 404);
    requireRoleOrScope(actor, 'tenant_admin', INBOX_ADMIN_SCOPE);
  }

  private async detail(q: Queryable, tenantId: string, id: string, lock = false): Promise<TeamDetail> {
    if (!isUuid(id)) throw new AppError('not_found', 404);
    const r = await q.query<Row>(`select * from inbox_teams where tenant_id = $1 and id = $2${lock ? ' for update' : ''}`, [tenantId, id]);
    const row = r.rows[0];
    if (!row) throw new AppError('not_found', 404);
    // One after another: a PGlite transaction has one connection.
    const members = await q.query<{ staff_user_id: string; name: string; email: string; capacity: number | null }>(
        `select m.staff_user_id, u.name, u.email, a.capacity from inbox_team_members m
           join staff_users u on u.tenant_id = m.tenant_id and u.id = m.staff_user_id
           left join inbox_agents a on a.tenant_id = m.tenant_id and a.staff_user_id = m.staff_user_id
          where m.tenant_id = $1 and m.team_id = $2 order by lower(u.name), u.email`,
        [tenantId, id],
    );
    const conversations = await q.query<{ n: string | number }>('select count(*) as n from inbox_conversations where tenant_id = $1 and team_id = $2', [
      tenantId,
      id,
    ]);
    return {
      ...toTeam(row),
      members: members.rows.map((m) => ({ staffUserId: m.staff_user_id, name: m.name, email: m.email, capacity: m.capacity ?? DEFAULT_CAPACITY })),
      conversationCount: Number(conversations.rows[0].n),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }

  /** Addresses are unique across tenants; the answer does not say whose it is. */
  private async checkEmail(q: Queryable, address: string | null, ownId: string | null) {
    if (!address) return;
    const r = await q.query('select 1 from inbox_teams where email_address = $1 and ($2::uuid is null or id <> $2::uuid)', [address, ownId]);
    if (r.rows.length) throw new AppError('conflict', 409, { fields: { emailAddress: 'email_taken' } });
  }

  private async checkMembers(q: Queryable, tenantId: string, members: NonNullable<TeamFields['members']>) {
    const ids = members.map((m) => m.staffUserId);
    if (new Set(ids).size !== ids.length) throw new AppError('validation_failed', 400, { fields: { members: 'duplicate' } });
    if (!ids.length) return;
    const r = await q.query<{ id: string }>('select id from staff_users where tenant_id = $1 and id = any($2::uuid[])', [tenantId, ids]);
    const known = new Set(r.rows.map((x) => x.id));
    const i = ids.findIndex((x) => !known.has(x));
    if (i >= 0) throw new AppError('validation_failed', 400, { fields: { [`members.${i}.staffUserId`]: 'unknown' } });
  }

  /** Members become exactly the input; each member's capacity is theirs in every team. */
  private async replaceMembers(tx: Queryable, tenantId: string, teamId: string, members: NonNullable<TeamFields['members']>) {
    const ids = members.map((m) => m.staffUserId);
    await tx.query('delete from inbox_team_members where tenant_id = $1 and team_id = $2 and not (staff_user_id = any($3::uuid[]))', [tenantId, teamId, ids]);
    for (const m of members) {
      await tx.query(
        'insert into inbox_team_members (tenant_id, team_id, staff_user_id) values ($1, $2, $3) on conflict do nothing',
        [tenantId, teamId, m.staffUserId],
      );
      await tx.query(
        `insert into inbox_agents (tenant_id, staff_user_id, capacity) values ($1, $2, $3)
         on conflict (tenant_id, staff_user_id) do update set capacity = excluded.capacity`,
        [tenantId, m.staffUserId, m.capacity],
      );
    }
  }
}

function columnValues(c: TeamFields): unknown[] {
  return [
    JSON.stringify(cleanNames(c.names)),
    JSON.stringify(c.businessHours),
    c.firstResponseSlaMinutes,
    c.resolutionSlaMinutes,
    c.emailAddress || null,
    c.autoAssign,
    c.isDefault,
    c.active,
    c.sortOrder,
  ];
}

function cleanNames(n: TeamFields['names']): Record<string, string> {
  return Object.fromEntries(Object.entries(n).filter(([, v]) => typeof v === 'string' && v.length > 0)) as Record<string, string>;
}

function checkRules(c: TeamFields) {
  const fields: Record<string, string> = {};
  if (!Object.keys(cleanNames(c.names)).length) fields.names = 'required';
  c.businessHours.forEach((h, i) =>
    h.hours.forEach((row, j) => {
      if (row.from >= row.to) fields[`businessHours.${i}.hours.${j}.to`] = 'end_before_start';
    }),
  );
  if (c.resolutionSlaMinutes < c.firstResponseSlaMinutes) fields.resolutionSlaMinutes = 'before_first_response';
  if (Object.keys(fields).length) throw new AppError('validation_failed', 400, { fields });
}

function emailTaken(e: unknown): never {
  if (String((e as { code?: string }).code) === '23505') throw new AppError('conflict', 409, { fields: { emailAddress: 'email_taken' } });
  throw e;
}

function changedFields(a: TeamDetail, b: TeamDetail): string[] {
  const keys = ['names', 'businessHours', 'firstResponseSlaMinutes', 'resolutionSlaMinutes', 'emailAddress', 'autoAssign', 'isDefault', 'active', 'sortOrder'] as const;
  const out: string[] = keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  const members = (t: TeamDetail) => JSON.stringify(t.members.map((m) => [m.staffUserId, m.capacity]).sort());
  if (members(a) !== members(b)) out.push('members');
  return out;
}
