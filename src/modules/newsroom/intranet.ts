import type { AuditService } from '../audit/audit.ts';
import type { Actor, StaffUser } from '../identity/actor.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { isUuid } from '../../platform/validation.ts';
import { ITEM_COLUMNS, itemFromRow, type NewsItem } from './model.ts';
import { requireNewsEditor, type CommandContext, type NewsroomService } from './items.ts';

/**
 * The staff intranet: published staff-audience items (bulletins, and staff-only news or
 * events) shown on the console's home page to the staff they target, and "must read"
 * confirmations with a report of who has and has not confirmed.
 *
 * Targeting: an item without units is for every member of staff. With units, a member
 * sees it when one of their role grants is for a targeted unit or a unit below one; a
 * grant for the whole organisation (org unit null) sees every staff item, since such a
 * person belongs to no single unit and is responsible for all of them.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

export interface Bulletin {
  item: NewsItem;
  /** When this member confirmed having read it; null when not (or not a must-read). */
  confirmedAt: string | null;
}

export interface ReaderRow {
  userId: string;
  name: string;
  email: string;
  confirmedAt: string | null;
}

export interface ReaderReport {
  item: NewsItem;
  /** Targeted staff who confirmed, in confirmation order; also people who confirmed and are no longer targeted. */
  confirmed: ReaderRow[];
  /** Targeted active staff who have not confirmed, by name. */
  notConfirmed: ReaderRow[];
}

const BULLETIN_LIMIT = 10;

export class IntranetService {
  constructor(private deps: { db: Db; audit: AuditService; newsroom: NewsroomService }) {}

  /**
   * The published staff items targeted to this member, newest first, unconfirmed
   * must-reads before everything else (they are what the member has to act on).
   */
  async bulletinsFor(actor: Actor, limit = BULLETIN_LIMIT): Promise<Bulletin[]> {
    const user = staffOnly(actor);
    return this.query(user, null, Math.min(Math.max(limit, 1), 50));
  }

  /** One published staff item, when it is targeted to this member; otherwise 404. */
  async bulletin(actor: Actor, tenantId: string, itemId: string): Promise<Bulletin> {
    const user = staffOnly(actor, tenantId);
    if (!isUuid(itemId)) throw new AppError('not_found', 404);
    const [found] = await this.query(user, itemId, 1);
    if (!found) throw new AppError('not_found', 404);
    return found;
  }

  /** "I have read this": stored once per member and item (a second confirmation keeps the first time). */
  async confirmRead(actor: Actor, tenantId: string, itemId: string, ctx: CommandContext = {}): Promise<Bulletin> {
    const { item } = await this.bulletin(actor, tenantId, itemId);
    if (!item.mustRead) throw new AppError('conflict', 409, { reason: 'not_must_read' });
    const user = staffOnly(actor, tenantId);
    await this.deps.db.transaction(async (tx) => {
      const r = await tx.query(
        `insert into news_read_confirmations (tenant_id, item_id, user_id) values ($1, $2, $3) on conflict (item_id, user_id) do nothing returning item_id`,
        [tenantId, itemId, user.id],
      );
      if (r.rows.length) {
        await this.deps.audit.record(tx, tenantId, actor, { action: 'news.read_confirm', targetKind: 'news_item', targetId: itemId, ip: ctx.ip });
      }
    });
    return this.bulletin(actor, tenantId, itemId);
  }

  /**
   * Who of the targeted staff has confirmed a must-read item and who has not (editors).
   * Names and e-mail addresses of colleagues are personal data: the read is audited.
   */
  async readerReport(actor: Actor, tenantId: string, itemId: string, ctx: CommandContext = {}): Promise<ReaderReport> {
    requireNewsEditor(actor, tenantId);
    const item = await this.deps.newsroom.staffGet(actor, tenantId, itemId);
    if (item.audience !== 'staff' || !item.mustRead) throw new AppError('conflict', 409, { reason: 'not_must_read' });
    return this.deps.db.transaction(async (tx) => {
      const targeted = await targetedStaff(tx, tenantId, item.audienceUnitIds);
      const confirmations = await tx.query<Row>(
        `select c.user_id, c.confirmed_at, u.name, u.email from news_read_confirmations c
         join staff_users u on u.tenant_id = c.tenant_id and u.id = c.user_id
         where c.tenant_id = $1 and c.item_id = $2 order by c.confirmed_at, u.name`,
        [tenantId, itemId],
      );
      const confirmed: ReaderRow[] = confirmations.rows.map((r) => ({
        userId: r.user_id,
        name: r.name,
        email: r.email,
        confirmedAt: new Date(r.confirmed_at).toISOString(),
      }));
      const done = new Set(confirmed.map((c) => c.userId));
      const notConfirmed = targeted.filter((u) => !done.has(u.userId));
      await this.deps.audit.record(tx, tenantId, actor, {
        action: 'news.readers.read',
        targetKind: 'news_item',
        targetId: itemId,
        reason: 'must_read_report',
        details: { confirmed: confirmed.length, notConfirmed: notConfirmed.length },
        ip: ctx.ip,
      });
      return { item, confirmed, notConfirmed };
    });
  }

  private async query(user: StaffUser, itemId: string | null, limit: number): Promise<Bulletin[]> {
    const unitIds = user.grants.flatMap((g) => (g.orgUnitId ? [g.orgUnitId] : []));
    const everything = user.grants.some((g) => g.orgUnitId === null);
    const args: unknown[] = [user.tenantId, unitIds, user.id, everything];
    const only = itemId ? `and i.id = $${args.push(itemId)}` : '';
    // "mine" is each granted unit and all its ancestors: an item targeted to any of them
    // covers the granted unit (a targeted unit's sub-units are included).
    const r = await this.deps.db.query<Row>(
      `with recursive mine as (
         select o.id, o.parent_id from org_units o where o.tenant_id = $1 and o.id = any($2::uuid[])
         union
         select p.id, p.parent_id from org_units p join mine m on p.id = m.parent_id where p.tenant_id = $1
       )
       select ${ITEM_COLUMNS}, c.confirmed_at
       from news_items i
       left join news_read_confirmations c on c.item_id = i.id and c.user_id = $3
       where i.tenant_id = $1 and i.state = 'published' and i.audience = 'staff' ${only}
         and ($4 or cardinality(i.audience_unit_ids) = 0 or i.audience_unit_ids && array(select id from mine))
       order by (i.must_read and c.confirmed_at is null) desc, i.published_at desc
       limit ${limit}`,
      args,
    );
    const media = await this.deps.newsroom.mediaOf(user.tenantId, r.rows.map((row) => row.id));
    return r.rows.map((row) => ({
      item: itemFromRow(row, media.get(row.id) ?? []),
      confirmedAt: row.confirmed_at ? new Date(row.confirmed_at).toISOString() : null,
    }));
  }
}

function staffOnly(actor: Actor, tenantId?: string): StaffUser {
  if (actor.kind === 'anonymous') throw new AppError('unauthenticated', 401);
  if (actor.kind !== 'staff') throw new AppError('forbidden', 403);
  // Another tenant's item is simply not there.
  if (tenantId !== undefined && actor.user.tenantId !== tenantId) throw new AppError('not_found', 404);
  return actor.user;
}

/**
 * Active staff members an item targets: with no units everyone who has a role; otherwise
 * those with a tenant-wide grant or a grant for a targeted unit or any unit below one.
 */
async function targetedStaff(q: Queryable, tenantId: string, unitIds: string[]): Promise<ReaderRow[]> {
  const r = await q.query<Row>(
    `with recursive covered as (
       select o.id from org_units o where o.tenant_id = $1 and o.id = any($2::uuid[])
       union
       select c.id from org_units c join covered p on c.parent_id = p.id where c.tenant_id = $1
     )
     select u.id, u.name, u.email from staff_users u
     where u.tenant_id = $1 and u.active and exists (
       select 1 from role_grants g where g.tenant_id = $1 and g.user_id = u.id
         and (cardinality($2::uuid[]) = 0 or g.org_unit_id is null or g.org_unit_id in (select id from covered)))
     order by u.name, u.email`,
    [tenantId, unitIds],
  );
  return r.rows.map((u) => ({ userId: u.id, name: u.name, email: u.email, confirmedAt: null }));
}
