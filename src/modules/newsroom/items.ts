import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AuditService } from '../audit/audit.ts';
import type { ContentVersions } from '../catalog/content-version.ts';
import { sanitizeRichText } from '../catalog/sanitize.ts';
import { sniffType, stripLocation } from '../feedback/attachments.ts';
import { hasRole } from '../identity/access.ts';
import type { Actor, StaffUser } from '../identity/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Queryable, Tx } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { EventBus } from '../../platform/events.ts';
import { LANGUAGES, type Lang, type Localized } from '../../platform/i18n.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import type { Logger } from '../../platform/log.ts';
import { isUuid, parse } from '../../platform/validation.ts';
import {
  dueAt,
  ITEM_COLUMNS,
  itemFromRow,
  MEDIA_COLUMNS,
  mediaFromRow,
  NEWS_ACTIONS,
  NEWS_KINDS,
  parseMoment,
  slugify,
  type NewsAction,
  type NewsComment,
  type NewsItem,
  type NewsKind,
  type NewsMedia,
  type NewsState,
  type NewsTopic,
  type NewsVersion,
} from './model.ts';

/**
 * The newsroom's core: items and their workflow. Communications staff write (draft →
 * in review), publishers approve and publish; tenant admins may do both. Every save and
 * transition writes a news_item_versions row; comments are the editor's and approver's
 * conversation about the item.
 *
 * Publishing is one transaction: the item turns `published`, public content caches are
 * bumped, an event goes out on newsChannel(tenant) after commit, and every registered
 * publication hook (newsletters, social media, signage, media mail) runs in the same
 * transaction, so each channel's deliveries exist exactly when the publication does. A
 * hook enqueues jobs; it never talks to the network inside the transaction.
 *
 * Timed publishing and embargoes: the item waits in `scheduled`; a job enqueued for the
 * due moment (and a sweep every minute, for jobs lost with a restored backup) publishes
 * everything whose time has come by the application clock. Embargo rules (Superdesk's):
 * press releases only; the moment must be in the future (time-zone aware, see
 * parseMoment); never together with a scheduled time; never added or changed once the
 * item has been published. While the embargo holds, only the media distribution list
 * receives the release (the `embargoed` hooks), marked EMBARGOED.
 */

/** Rows come back untyped from SQL; each is mapped through model.ts's converters. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

export const newsChannel = (tenantId: string) => `news:${tenantId}`;

export interface CommandContext {
  ip?: string;
}

export type PublicationHook = (tx: Tx, item: NewsItem) => Promise<void>;

type HookKind = 'published' | 'embargoed' | 'updated' | 'archived';

const text = (max: number) => z.string({ message: 'invalid_type' }).max(max, { message: 'too_long' });
const localized = (max: number) =>
  z.strictObject({ fi: text(max).nullish(), sv: text(max).nullish(), en: text(max).nullish() }, { message: 'invalid_type' });
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const slugSchema = z.string({ message: 'invalid_type' }).trim().min(1, { message: 'required' }).max(100, { message: 'too_long' }).regex(SLUG, { message: 'invalid_slug' });
const uuidList = (max: number) =>
  z.array(z.string({ message: 'invalid_type' }).refine(isUuid, { message: 'invalid_id' }), { message: 'invalid_type' }).max(max, { message: 'too_many' });
/** A moment as ISO 8601 (with an offset) or Helsinki wall-clock time; '' or null clears it. */
const moment = z
  .union([z.string({ message: 'invalid_type' }).max(40, { message: 'invalid_date' }), z.null()], { message: 'invalid_type' })
  .transform((v, ctx) => {
    if (v === null || v.trim() === '') return null;
    const d = parseMoment(v);
    if (!d) {
      ctx.addIssue({ code: 'custom', message: 'invalid_date' });
      return z.NEVER;
    }
    return d;
  });

export const itemFields = {
  kind: z.enum(NEWS_KINDS, { message: 'invalid_kind' }),
  slug: slugSchema.optional(),
  title: localized(200),
  lead: localized(1_000),
  body: localized(200_000),
  topics: z.array(slugSchema, { message: 'invalid_type' }).max(20, { message: 'too_many' }),
  tags: z.array(z.string({ message: 'invalid_type' }).trim().min(1, { message: 'required' }).max(50, { message: 'too_long' }), { message: 'invalid_type' }).max(30, { message: 'too_many' }),
  serviceIds: uuidList(20),
  audience: z.enum(['public', 'staff'], { message: 'invalid_audience' }),
  audienceUnitIds: uuidList(50),
  mustRead: z.boolean({ message: 'invalid_type' }),
  eventStartsAt: moment,
  eventEndsAt: moment,
  eventLocation: localized(300),
  embargoUntil: moment,
  scheduledAt: moment,
};
/** Create: kind and a title are needed; the rest defaults. */
export const itemCreateInput = z.strictObject({ ...itemFields, kind: itemFields.kind }).partial().required({ kind: true, title: true });
/** Update: any subset, with the updatedAt the editor read (a newer row answers 409). */
export const itemUpdateInput = z
  .strictObject(itemFields)
  .omit({ kind: true })
  .partial()
  .extend({ updatedAt: z.string({ message: 'required' }).min(1, { message: 'required' }).max(40, { message: 'invalid' }) });
export type ItemCreateInput = z.input<typeof itemCreateInput>;
export type ItemUpdateInput = z.input<typeof itemUpdateInput>;

export const transitionInput = z.strictObject({
  action: z.enum(NEWS_ACTIONS, { message: 'invalid_action' }),
  /** Why (returning to the editor); stored with the version and as a comment. */
  note: z.string({ message: 'invalid_type' }).trim().max(2_000, { message: 'too_long' }).optional(),
  /** approve: also publish (or schedule, when the item has a time) at once. */
  publish: z.boolean({ message: 'invalid_type' }).optional(),
});

export const topicInput = z.strictObject({
  slug: slugSchema,
  names: localized(100),
  position: z.number({ message: 'invalid_type' }).int().min(0).max(10_000).optional(),
});

export const mediaMetaInput = z.strictObject({
  alt: localized(500).optional(),
  caption: localized(1_000).optional(),
  credit: text(200).nullish(),
  license: text(200).nullish(),
  inImageBank: z.boolean({ message: 'invalid_type' }).optional(),
  position: z.number({ message: 'invalid_type' }).int().min(0).max(1_000).optional(),
});

/** Who may move an item with each action, from which states, to which state. */
const TRANSITIONS: Record<NewsAction, { from: NewsState[]; roles: 'editor' | 'publisher' }> = {
  submit: { from: ['draft'], roles: 'editor' },
  withdraw: { from: ['in_review'], roles: 'editor' },
  return: { from: ['in_review', 'approved'], roles: 'publisher' },
  approve: { from: ['in_review'], roles: 'publisher' },
  publish: { from: ['approved'], roles: 'editor' },
  unschedule: { from: ['scheduled'], roles: 'editor' },
  archive: { from: ['published'], roles: 'editor' },
  restore: { from: ['archived'], roles: 'editor' },
};

const EDITABLE: NewsState[] = ['draft', 'in_review', 'approved', 'published'];

export function isNewsEditor(user: StaffUser) {
  return hasRole(user, ['communications', 'publisher']);
}
export function isNewsPublisher(user: StaffUser) {
  return hasRole(user, ['publisher']);
}

/** Writers of the newsroom: communications and publishers (tenant admins implied), of this tenant. */
export function requireNewsEditor(actor: Actor, tenantId: string): StaffUser {
  if (actor.kind === 'anonymous') throw new AppError('unauthenticated', 401);
  if (actor.kind !== 'staff' || actor.user.tenantId !== tenantId || !isNewsEditor(actor.user)) throw new AppError('forbidden', 403);
  return actor.user;
}

export function requireNewsPublisher(actor: Actor, tenantId: string): StaffUser {
  const user = requireNewsEditor(actor, tenantId);
  if (!isNewsPublisher(user)) throw new AppError('forbidden', 403);
  return user;
}

export interface NewsroomDeps {
  db: Db;
  audit: AuditService;
  events: EventBus;
  jobs: JobQueue;
  contentVersions: ContentVersions;
  clock: Clock;
  log: Logger;
  maxMediaBytes: number;
}

export interface StaffListFilter {
  state?: NewsState;
  kind?: NewsKind;
  q?: string;
  limit?: number;
  offset?: number;
}

export interface PublicListFilter {
  lang: Lang;
  kinds?: NewsKind[];
  topic?: string;
  /** Finnish/Swedish/English-aware search of title, lead and body. */
  q?: string;
  /** Published on or after / before (inclusive dates, YYYY-MM-DD, Helsinki). */
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}

const FTS: Record<Lang, string> = { fi: 'finnish', sv: 'swedish', en: 'english' };

export class NewsroomService {
  private hooks: Record<HookKind, PublicationHook[]> = { published: [], embargoed: [], updated: [], archived: [] };

  constructor(private deps: NewsroomDeps) {
    deps.jobs.define<{ tenantId: string }>({
      name: 'newsroom.release',
      priority: 'urgent',
      handler: async () => {
        await this.releaseDue();
      },
    });
  }

  /**
   * Registers a channel: `published` runs in the transaction that makes an item public
   * (or staff-visible, for bulletins); `embargoed` when an embargoed press release goes
   * to the media list; `updated` when a published item is corrected; `archived` when it
   * is withdrawn from view.
   */
  on(kind: HookKind, hook: PublicationHook) {
    this.hooks[kind].push(hook);
  }

  private async runHooks(kind: HookKind, tx: Tx, item: NewsItem) {
    for (const hook of this.hooks[kind]) await hook(tx, item);
  }

  // ── reading ──────────────────────────────────────────────────────────────────────────

  /** One item with its media, any state (callers check visibility). */
  async load(tenantId: string, id: string, q: Queryable = this.deps.db): Promise<NewsItem | null> {
    if (!isUuid(id)) return null;
    const r = await q.query<Row>(`select ${ITEM_COLUMNS} from news_items i where i.tenant_id = $1 and i.id = $2`, [tenantId, id]);
    if (!r.rows[0]) return null;
    return itemFromRow(r.rows[0], await this.mediaOf(tenantId, [id], q).then((m) => m.get(id) ?? []));
  }

  async mediaOf(tenantId: string, itemIds: string[], q: Queryable = this.deps.db): Promise<Map<string, NewsMedia[]>> {
    const out = new Map<string, NewsMedia[]>();
    if (!itemIds.length) return out;
    const r = await q.query<Row>(
      `select ${MEDIA_COLUMNS} from news_media m where m.tenant_id = $1 and m.item_id = any($2::uuid[]) order by m.position, m.created_at`,
      [tenantId, itemIds],
    );
    for (const row of r.rows) {
      const m = mediaFromRow(row);
      out.set(m.itemId!, [...(out.get(m.itemId!) ?? []), m]);
    }
    return out;
  }

  private async withMedia(tenantId: string, rows: Record<string, any>[], q: Queryable = this.deps.db): Promise<NewsItem[]> {
    const media = await this.mediaOf(tenantId, rows.map((r) => r.id), q);
    return rows.map((r) => itemFromRow(r, media.get(r.id) ?? []));
  }

  /** The staff list (editors): newest first, any state. */
  async staffList(actor: Actor, tenantId: string, f: StaffListFilter = {}): Promise<{ items: NewsItem[]; total: number }> {
    requireNewsEditor(actor, tenantId);
    const where = ['i.tenant_id = $1'];
    const args: unknown[] = [tenantId];
    if (f.state) where.push(`i.state = $${args.push(f.state)}`);
    if (f.kind) where.push(`i.kind = $${args.push(f.kind)}`);
    if (f.q?.trim()) where.push(`(i.title::text ilike $${args.push(`%${f.q.trim().replace(/[\\%_]/g, '\\$&')}%`)} or i.slug ilike $${args.length})`);
    const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
    const offset = Math.max(f.offset ?? 0, 0);
    const rows = await this.deps.db.query<Row>(
      `select ${ITEM_COLUMNS}, count(*) over () as total from news_items i where ${where.join(' and ')}
       order by i.updated_at desc limit ${limit} offset ${offset}`,
      args,
    );
    return { items: await this.withMedia(tenantId, rows.rows), total: Number(rows.rows[0]?.total ?? 0) };
  }

  async staffGet(actor: Actor, tenantId: string, id: string): Promise<NewsItem> {
    requireNewsEditor(actor, tenantId);
    const item = await this.load(tenantId, id);
    if (!item) throw new AppError('not_found', 404);
    return item;
  }

  /**
   * Published public items for residents, the media and feeds: newest first. With `q`, the
   * language's full-text configuration (the same stemming as the service search) with
   * prefix matching of each word, ranked by relevance.
   */
  async publicList(tenantId: string, f: PublicListFilter): Promise<{ items: NewsItem[]; total: number }> {
    const cfg = FTS[f.lang];
    const where = [`i.tenant_id = $1`, `i.state = 'published'`, `i.audience = 'public'`, `coalesce(i.title->>'${f.lang}', '') <> ''`];
    const args: unknown[] = [tenantId];
    if (f.kinds?.length) where.push(`i.kind = any($${args.push(f.kinds)}::text[])`);
    if (f.topic) where.push(`$${args.push(f.topic)} = any(i.topics)`);
    if (f.from) where.push(`i.published_at >= ($${args.push(f.from)}::date::timestamp at time zone 'Europe/Helsinki')`);
    if (f.to) where.push(`i.published_at < (($${args.push(f.to)}::date + 1)::timestamp at time zone 'Europe/Helsinki')`);
    let order = 'i.published_at desc';
    const words = searchWords(f.q ?? '');
    if (words.length) {
      // Each word as a stemmed prefix; in Finnish also as a shortened raw prefix, because the
      // stemmer keeps consonant gradation apart ("päiväkodin" → päiväkod, "päiväkoti" → päiväkot).
      const tsq = words
        .map((w) => {
          const stemmed = `to_tsquery('${cfg}', $${args.push(`${w}:*`)})`;
          const short = f.lang === 'fi' ? gradationPrefix(w) : null;
          return short ? `(${stemmed} || to_tsquery('simple', $${args.push(`${short}:*`)}))` : stemmed;
        })
        .join(' && ');
      where.push(`i.search_${f.lang} @@ (${tsq})`);
      order = `ts_rank(i.search_${f.lang}, ${tsq}) desc, i.published_at desc`;
    }
    const limit = Math.min(Math.max(f.limit ?? 20, 1), 100);
    const offset = Math.max(f.offset ?? 0, 0);
    const rows = await this.deps.db.query<Row>(
      `select ${ITEM_COLUMNS}, count(*) over () as total from news_items i where ${where.join(' and ')} order by ${order} limit ${limit} offset ${offset}`,
      args,
    );
    return { items: await this.withMedia(tenantId, rows.rows), total: Number(rows.rows[0]?.total ?? 0) };
  }

  /** A published public item by its slug (or id), for its permalink; null when not public. */
  async publicGet(tenantId: string, slugOrId: string): Promise<NewsItem | null> {
    const byId = isUuid(slugOrId);
    const r = await this.deps.db.query<Row>(
      `select ${ITEM_COLUMNS} from news_items i where i.tenant_id = $1 and ${byId ? 'i.id = $2' : 'i.slug = $2'}
         and i.state = 'published' and i.audience = 'public'`,
      [tenantId, slugOrId],
    );
    if (!r.rows[0]) return null;
    return (await this.withMedia(tenantId, r.rows))[0];
  }

  /** Published public items that name the service: shown on its page automatically. */
  async forService(tenantId: string, serviceId: string, lang: Lang, limit = 5): Promise<NewsItem[]> {
    if (!isUuid(serviceId)) return [];
    const r = await this.deps.db.query<Row>(
      `select ${ITEM_COLUMNS} from news_items i where i.tenant_id = $1 and i.state = 'published' and i.audience = 'public'
         and $2::uuid = any(i.service_ids) and coalesce(i.title->>'${lang}', '') <> ''
       order by i.published_at desc limit ${Math.min(Math.max(limit, 1), 20)}`,
      [tenantId, serviceId],
    );
    return this.withMedia(tenantId, r.rows);
  }

  async topics(tenantId: string): Promise<NewsTopic[]> {
    const r = await this.deps.db.query<Row>(`select id, slug, names, position from news_topics where tenant_id = $1 order by position, slug`, [tenantId]);
    return r.rows.map((t) => ({ id: t.id, slug: t.slug, names: t.names ?? {}, position: Number(t.position) }));
  }

  async comments(actor: Actor, tenantId: string, itemId: string): Promise<NewsComment[]> {
    await this.staffGet(actor, tenantId, itemId);
    const r = await this.deps.db.query<Row>(
      `select id, author_id, author_name, body, created_at from news_comments where tenant_id = $1 and item_id = $2 order by created_at`,
      [tenantId, itemId],
    );
    return r.rows.map((c) => ({ id: c.id, authorId: c.author_id, authorName: c.author_name, body: c.body, createdAt: new Date(c.created_at).toISOString() }));
  }

  async versions(actor: Actor, tenantId: string, itemId: string): Promise<NewsVersion[]> {
    await this.staffGet(actor, tenantId, itemId);
    const r = await this.deps.db.query<Row>(
      `select v.id, v.version, v.action, v.state, v.note, v.changed_by, v.changed_at, v.snapshot, u.name as changed_by_name
       from news_item_versions v left join staff_users u on u.tenant_id = v.tenant_id and u.id = v.changed_by
       where v.tenant_id = $1 and v.item_id = $2 order by v.changed_at desc, v.version desc`,
      [tenantId, itemId],
    );
    return r.rows.map((v) => ({
      id: v.id,
      version: Number(v.version),
      action: v.action,
      state: v.state,
      note: v.note,
      changedBy: v.changed_by,
      changedByName: v.changed_by_name ?? null,
      changedAt: new Date(v.changed_at).toISOString(),
      snapshot: v.snapshot ?? {},
    }));
  }

  // ── writing ──────────────────────────────────────────────────────────────────────────

  async create(actor: Actor, tenantId: string, body: unknown, ctx: CommandContext = {}): Promise<NewsItem> {
    const user = requireNewsEditor(actor, tenantId);
    const input = parse(itemCreateInput, body);
    const title = cleanLocalized(input.title);
    if (!Object.keys(title).length) throw new AppError('validation_failed', 400, { fields: { title: 'required' } });
    const kind = input.kind;
    const fields = await this.normalize(tenantId, kind, input, null, this.deps.db);
    const base = input.slug ?? slugify(title.fi ?? title.sv ?? title.en ?? '');
    return this.deps.db.transaction(async (tx) => {
      const slug = await this.freeSlug(tx, tenantId, base, !!input.slug);
      const r = await tx.query<{ id: string }>(
        `insert into news_items (tenant_id, kind, slug, title, lead, body, topics, tags, service_ids, audience, audience_unit_ids,
           must_read, event_starts_at, event_ends_at, event_location, embargo_until, scheduled_at, created_by, updated_by)
         values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$18) returning id`,
        [
          tenantId,
          kind,
          slug,
          JSON.stringify(title),
          JSON.stringify(fields.lead ?? {}),
          JSON.stringify(fields.body ?? {}),
          fields.topics ?? [],
          fields.tags ?? [],
          fields.serviceIds ?? [],
          fields.audience,
          fields.audienceUnitIds ?? [],
          fields.mustRead ?? false,
          fields.eventStartsAt ?? null,
          fields.eventEndsAt ?? null,
          JSON.stringify(fields.eventLocation ?? {}),
          fields.embargoUntil ?? null,
          fields.scheduledAt ?? null,
          user.id,
        ],
      );
      const item = (await this.load(tenantId, r.rows[0].id, tx))!;
      await this.recordVersion(tx, item, 'create', user.id);
      await this.deps.audit.record(tx, tenantId, actor, { action: 'news.create', targetKind: 'news_item', targetId: item.id, details: { kind }, ip: ctx.ip });
      return item;
    });
  }

  async update(actor: Actor, tenantId: string, id: string, body: unknown, ctx: CommandContext = {}): Promise<NewsItem> {
    const user = requireNewsEditor(actor, tenantId);
    const input = parse(itemUpdateInput, body);
    return this.deps.db.transaction(async (tx) => {
      const before = await this.lockItem(tx, tenantId, id);
      if (new Date(input.updatedAt).getTime() !== new Date(before.updatedAt).getTime()) {
        throw new AppError('conflict', 409, { reason: 'changed_meanwhile', updatedAt: before.updatedAt });
      }
      if (!EDITABLE.includes(before.state)) throw new AppError('conflict', 409, { reason: 'not_editable', state: before.state });
      if (before.state === 'published' && !isNewsEditor(user)) throw new AppError('forbidden', 403);
      const fields = await this.normalize(tenantId, before.kind, input, before, tx);
      if (input.title !== undefined && !Object.keys(fields.title ?? {}).length) throw new AppError('validation_failed', 400, { fields: { title: 'required' } });
      const slug = input.slug && input.slug !== before.slug ? await this.freeSlug(tx, tenantId, input.slug, true) : before.slug;
      if (slug !== before.slug && before.publishedAt) throw new AppError('validation_failed', 400, { fields: { slug: 'permalink_published' } });
      // Changing an approved text needs a new approval.
      const state: NewsState = before.state === 'approved' ? 'draft' : before.state;
      const set = (v: unknown, old: unknown) => (v === undefined ? old : v);
      await tx.query<Row>(
        `update news_items set slug = $3, title = $4, lead = $5, body = $6, topics = $7, tags = $8, service_ids = $9, audience = $10,
           audience_unit_ids = $11, must_read = $12, event_starts_at = $13, event_ends_at = $14, event_location = $15,
           embargo_until = $16, scheduled_at = $17, state = $18, version = version + 1, updated_by = $19, updated_at = now()
         where tenant_id = $1 and id = $2`,
        [
          tenantId,
          id,
          slug,
          JSON.stringify(set(fields.title, before.title)),
          JSON.stringify(set(fields.lead, before.lead)),
          JSON.stringify(set(fields.body, before.body)),
          set(fields.topics, before.topics),
          set(fields.tags, before.tags),
          set(fields.serviceIds, before.serviceIds),
          fields.audience,
          set(fields.audienceUnitIds, before.audienceUnitIds),
          set(fields.mustRead, before.mustRead),
          set(fields.eventStartsAt, before.eventStartsAt),
          set(fields.eventEndsAt, before.eventEndsAt),
          JSON.stringify(set(fields.eventLocation, before.eventLocation)),
          set(fields.embargoUntil, before.embargoUntil),
          set(fields.scheduledAt, before.scheduledAt),
          state,
          user.id,
        ],
      );
      const item = (await this.load(tenantId, id, tx))!;
      await this.recordVersion(tx, item, 'save', user.id);
      await this.deps.audit.record(tx, tenantId, actor, { action: 'news.update', targetKind: 'news_item', targetId: id, ip: ctx.ip });
      if (item.state === 'published') {
        // A correction changes what cached public pages and feeds show.
        if (item.audience === 'public') await this.deps.contentVersions.bump(tx, tenantId);
        await this.announce(tx, item, 'news.updated');
        await this.runHooks('updated', tx, item);
      }
      return item;
    });
  }

  /** Moves an item through the workflow (see TRANSITIONS); approve with publish:true goes on to publish. */
  async transition(actor: Actor, tenantId: string, id: string, body: unknown, ctx: CommandContext = {}): Promise<NewsItem> {
    const user = requireNewsEditor(actor, tenantId);
    const input = parse(transitionInput, body);
    return this.deps.db.transaction(async (tx) => {
      let item = await this.lockItem(tx, tenantId, id);
      item = await this.step(tx, user, item, input.action, input.note);
      if (input.action === 'approve' && input.publish) item = await this.step(tx, user, item, 'publish');
      await this.deps.audit.record(tx, tenantId, actor, {
        action: `news.${input.action}`,
        targetKind: 'news_item',
        targetId: id,
        details: { state: item.state, ...(input.publish ? { publish: true } : {}) },
        ip: ctx.ip,
      });
      return item;
    });
  }

  private async step(tx: Tx, user: StaffUser, item: NewsItem, action: NewsAction, note?: string): Promise<NewsItem> {
    const rule = TRANSITIONS[action];
    if (rule.roles === 'publisher' && !isNewsPublisher(user)) throw new AppError('forbidden', 403, { reason: 'publisher_only' });
    if (!rule.from.includes(item.state)) throw new AppError('conflict', 409, { reason: 'invalid_transition', state: item.state, action });
    const now = this.deps.clock.now();
    let next: NewsState;
    const extra: string[] = [];
    const args: unknown[] = [item.tenantId, item.id, user.id];
    switch (action) {
      case 'submit':
        next = 'in_review';
        break;
      case 'withdraw':
      case 'return':
        next = 'draft';
        break;
      case 'approve':
        next = 'approved';
        break;
      case 'publish': {
        const due = dueAt(item);
        if (item.embargoUntil && new Date(item.embargoUntil) <= now) {
          throw new AppError('validation_failed', 400, { fields: { embargoUntil: 'must_be_future' } });
        }
        if (item.scheduledAt && new Date(item.scheduledAt) <= now) {
          throw new AppError('validation_failed', 400, { fields: { scheduledAt: 'must_be_future' } });
        }
        if (due) {
          next = 'scheduled';
          // The exact moment; the minute sweep catches it too if this job is ever lost.
          await this.deps.jobs.enqueue(tx, 'newsroom.release', { tenantId: item.tenantId, itemId: item.id }, { startAfter: new Date(due) });
        } else {
          next = 'published';
          extra.push(`published_at = $${args.push(now)}`);
        }
        break;
      }
      case 'unschedule':
        next = 'approved';
        break;
      case 'archive':
        next = 'archived';
        extra.push(`archived_at = $${args.push(now)}`);
        break;
      case 'restore':
        next = 'draft';
        extra.push('archived_at = null');
        break;
    }
    const r = await tx.query<Row>(
      `update news_items set state = '${next}', version = version + 1, updated_by = $3, updated_at = now()${extra.map((e) => ', ' + e).join('')}
       where tenant_id = $1 and id = $2 returning id`,
      args,
    );
    if (!r.rows[0]) throw new AppError('not_found', 404);
    if (note) {
      await tx.query<Row>(`insert into news_comments (tenant_id, item_id, author_id, author_name, body) values ($1, $2, $3, $4, $5)`, [
        item.tenantId,
        item.id,
        user.id,
        user.name,
        note,
      ]);
    }
    let after = (await this.load(item.tenantId, item.id, tx))!;
    await this.recordVersion(tx, after, action, user.id, note);
    if (next === 'published') await this.afterPublish(tx, after);
    if (next === 'scheduled' && after.embargoUntil && !after.embargoSentAt) {
      await tx.query<Row>(`update news_items set embargo_sent_at = $3 where tenant_id = $1 and id = $2`, [item.tenantId, item.id, now]);
      after = (await this.load(item.tenantId, item.id, tx))!;
      await this.runHooks('embargoed', tx, after);
    }
    if (next === 'archived') {
      if (after.audience === 'public') await this.deps.contentVersions.bump(tx, after.tenantId);
      await this.announce(tx, after, 'news.archived');
      await this.runHooks('archived', tx, after);
    }
    return after;
  }

  private async afterPublish(tx: Tx, item: NewsItem) {
    if (item.audience === 'public') await this.deps.contentVersions.bump(tx, item.tenantId);
    await this.announce(tx, item, 'news.published');
    await this.runHooks('published', tx, item);
  }

  private async announce(tx: Tx, item: NewsItem, type: string) {
    await this.deps.events.publish(tx, {
      channel: newsChannel(item.tenantId),
      type,
      data: { id: item.id, kind: item.kind, audience: item.audience, tenantId: item.tenantId },
    });
  }

  /**
   * Publishes every scheduled item whose moment has come by the application clock: the
   * embargo's or the scheduled time becomes its publication time. Safe to run anywhere,
   * any number of times (rows are claimed with SKIP LOCKED and re-checked).
   */
  async releaseDue(): Promise<number> {
    const now = this.deps.clock.now();
    const due = await this.deps.db.query<{ id: string; tenant_id: string }>(
      `select id, tenant_id from news_items where state = 'scheduled' and coalesce(embargo_until, scheduled_at) <= $1 order by coalesce(embargo_until, scheduled_at) limit 500`,
      [now],
    );
    let released = 0;
    for (const row of due.rows) {
      const ok = await this.deps.db.transaction(async (tx) => {
        const r = await tx.query<Row>(
          `update news_items set state = 'published', published_at = coalesce(embargo_until, scheduled_at), version = version + 1, updated_at = now()
           where id = $1 and state = 'scheduled' and coalesce(embargo_until, scheduled_at) <= $2 returning id`,
          [row.id, now],
        );
        if (!r.rows[0]) return false;
        const item = (await this.load(row.tenant_id, row.id, tx))!;
        await this.recordVersion(tx, item, 'release', null);
        await this.deps.audit.record(tx, row.tenant_id, { kind: 'system', label: 'newsroom.release' }, { action: 'news.release', targetKind: 'news_item', targetId: row.id });
        await this.afterPublish(tx, item);
        return true;
      });
      if (ok) released++;
    }
    if (released) this.deps.log.info({ released }, 'newsroom released scheduled items');
    return released;
  }

  async addComment(actor: Actor, tenantId: string, itemId: string, body: unknown, ctx: CommandContext = {}): Promise<NewsComment> {
    const user = requireNewsEditor(actor, tenantId);
    const input = parse(z.strictObject({ body: z.string({ message: 'required' }).trim().min(1, { message: 'required' }).max(4_000, { message: 'too_long' }) }), body);
    return this.deps.db.transaction(async (tx) => {
      await this.lockItem(tx, tenantId, itemId);
      const r = await tx.query<Row>(
        `insert into news_comments (tenant_id, item_id, author_id, author_name, body) values ($1, $2, $3, $4, $5) returning id, created_at`,
        [tenantId, itemId, user.id, user.name, input.body],
      );
      await this.deps.audit.record(tx, tenantId, actor, { action: 'news.comment', targetKind: 'news_item', targetId: itemId, ip: ctx.ip });
      return { id: r.rows[0].id, authorId: user.id, authorName: user.name, body: input.body, createdAt: new Date(r.rows[0].created_at).toISOString() };
    });
  }

  // ── topics ───────────────────────────────────────────────────────────────────────────

  async saveTopic(actor: Actor, tenantId: string, body: unknown, ctx: CommandContext = {}): Promise<NewsTopic> {
    requireNewsEditor(actor, tenantId);
    const input = parse(topicInput, body);
    const names = cleanLocalized(input.names);
    if (!Object.keys(names).length) throw new AppError('validation_failed', 400, { fields: { names: 'required' } });
    return this.deps.db.transaction(async (tx) => {
      const r = await tx.query<Row>(
        `insert into news_topics (tenant_id, slug, names, position) values ($1, $2, $3, $4)
         on conflict (tenant_id, slug) do update set names = excluded.names, position = excluded.position returning id, slug, names, position`,
        [tenantId, input.slug, JSON.stringify(names), input.position ?? 0],
      );
      await this.deps.audit.record(tx, tenantId, actor, { action: 'news.topic.save', targetKind: 'news_topic', targetId: r.rows[0].id, ip: ctx.ip });
      const t = r.rows[0];
      return { id: t.id, slug: t.slug, names: t.names, position: Number(t.position) };
    });
  }

  // ── media ────────────────────────────────────────────────────────────────────────────

  /**
   * Stores an image or attachment (type read from the bytes; photos lose their location
   * metadata). itemId null = the press image bank only. Images need alt text.
   */
  async addMedia(
    actor: Actor,
    tenantId: string,
    input: { itemId: string | null; kind: 'image' | 'attachment'; filename: string; data: Uint8Array; meta?: unknown },
    ctx: CommandContext = {},
  ): Promise<NewsMedia> {
    const user = requireNewsEditor(actor, tenantId);
    const meta = parse(mediaMetaInput, input.meta ?? {});
    const data = input.data;
    if (!data.byteLength) throw new AppError('validation_failed', 400, { fields: { file: 'empty_file' } });
    if (data.byteLength > this.deps.maxMediaBytes) throw new AppError('payload_too_large', 413, { fields: { file: 'file_too_large' }, maxBytes: this.deps.maxMediaBytes });
    const type = sniffType(data);
    if (!type) throw new AppError('unsupported_media_type', 415, { fields: { file: 'unsupported_type' } });
    if (input.kind === 'image' && !type.startsWith('image/')) throw new AppError('unsupported_media_type', 415, { fields: { file: 'not_an_image' } });
    const alt = cleanLocalized(meta.alt ?? {});
    if (input.kind === 'image' && !Object.keys(alt).length) throw new AppError('validation_failed', 400, { fields: { alt: 'required' } });
    const bytes = stripLocation(type, data);
    const filename = safeFilename(input.filename, type);
    return this.deps.db.transaction(async (tx) => {
      if (input.itemId !== null) {
        const item = await this.lockItem(tx, tenantId, input.itemId);
        if (item.state === 'archived') throw new AppError('conflict', 409, { reason: 'not_editable', state: item.state });
      }
      const r = await tx.query<Row>(
        `insert into news_media (tenant_id, item_id, kind, filename, content_type, bytes, size, sha256, alt, caption, credit, license,
           in_image_bank, position, created_by)
         values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,
           coalesce($14, (select coalesce(max(position) + 1, 0) from news_media where tenant_id = $1 and item_id is not distinct from $2)), $15)
         returning ${MEDIA_COLUMNS.replace(/m\./g, '')}`,
        [
          tenantId,
          input.itemId,
          input.kind,
          filename,
          type,
          bytes,
          bytes.byteLength,
          createHash('sha256').update(bytes).digest('hex'),
          JSON.stringify(alt),
          JSON.stringify(cleanLocalized(meta.caption ?? {})),
          meta.credit?.trim() || null,
          meta.license?.trim() || null,
          meta.inImageBank ?? input.itemId === null,
          meta.position ?? null,
          user.id,
        ],
      );
      await this.deps.audit.record(tx, tenantId, actor, { action: 'news.media.add', targetKind: 'news_media', targetId: r.rows[0].id, ip: ctx.ip });
      if (r.rows[0].in_image_bank) await this.deps.contentVersions.bump(tx, tenantId); // the public image bank page
      if (input.itemId) await this.touch(tx, tenantId, input.itemId, user.id);
      return mediaFromRow(r.rows[0]);
    });
  }

  async updateMedia(actor: Actor, tenantId: string, mediaId: string, body: unknown, ctx: CommandContext = {}): Promise<NewsMedia> {
    const user = requireNewsEditor(actor, tenantId);
    const meta = parse(mediaMetaInput, body);
    if (!isUuid(mediaId)) throw new AppError('not_found', 404);
    return this.deps.db.transaction(async (tx) => {
      const cur = await tx.query<Row>(`select ${MEDIA_COLUMNS} from news_media m where m.tenant_id = $1 and m.id = $2 for update`, [tenantId, mediaId]);
      if (!cur.rows[0]) throw new AppError('not_found', 404);
      const m = mediaFromRow(cur.rows[0]);
      const alt = meta.alt !== undefined ? cleanLocalized(meta.alt) : m.alt;
      if (m.kind === 'image' && !Object.keys(alt).length) throw new AppError('validation_failed', 400, { fields: { alt: 'required' } });
      const r = await tx.query<Row>(
        `update news_media set alt = $3, caption = $4, credit = $5, license = $6, in_image_bank = $7, position = $8
         where tenant_id = $1 and id = $2 returning ${MEDIA_COLUMNS.replace(/m\./g, '')}`,
        [
          tenantId,
          mediaId,
          JSON.stringify(alt),
          JSON.stringify(meta.caption !== undefined ? cleanLocalized(meta.caption) : m.caption),
          meta.credit !== undefined ? meta.credit?.trim() || null : m.credit,
          meta.license !== undefined ? meta.license?.trim() || null : m.license,
          meta.inImageBank ?? m.inImageBank,
          meta.position ?? m.position,
        ],
      );
      await this.deps.audit.record(tx, tenantId, actor, { action: 'news.media.update', targetKind: 'news_media', targetId: mediaId, ip: ctx.ip });
      if (m.inImageBank || r.rows[0].in_image_bank) await this.deps.contentVersions.bump(tx, tenantId); // the public image bank page
      if (m.itemId) await this.touch(tx, tenantId, m.itemId, user.id);
      return mediaFromRow(r.rows[0]);
    });
  }

  async removeMedia(actor: Actor, tenantId: string, mediaId: string, ctx: CommandContext = {}): Promise<void> {
    const user = requireNewsEditor(actor, tenantId);
    if (!isUuid(mediaId)) throw new AppError('not_found', 404);
    await this.deps.db.transaction(async (tx) => {
      const r = await tx.query<{ item_id: string | null; in_image_bank: boolean }>(`delete from news_media where tenant_id = $1 and id = $2 returning item_id, in_image_bank`, [tenantId, mediaId]);
      if (!r.rows[0]) throw new AppError('not_found', 404);
      await this.deps.audit.record(tx, tenantId, actor, { action: 'news.media.remove', targetKind: 'news_media', targetId: mediaId, ip: ctx.ip });
      if (r.rows[0].in_image_bank) await this.deps.contentVersions.bump(tx, tenantId); // the public image bank page
      if (r.rows[0].item_id) await this.touch(tx, tenantId, r.rows[0].item_id, user.id);
    });
  }

  /** The press image bank: images marked for it, newest first (public). */
  async imageBank(tenantId: string, limit = 200): Promise<NewsMedia[]> {
    const r = await this.deps.db.query<Row>(
      `select ${MEDIA_COLUMNS} from news_media m where m.tenant_id = $1 and m.in_image_bank and m.kind = 'image'
       order by m.created_at desc limit ${Math.min(Math.max(limit, 1), 500)}`,
      [tenantId],
    );
    return r.rows.map(mediaFromRow);
  }

  /** One image of the press image bank by id (public), or null when it is not in the bank. */
  async bankImage(tenantId: string, mediaId: string): Promise<NewsMedia | null> {
    if (!isUuid(mediaId)) return null;
    const r = await this.deps.db.query<Row>(
      `select ${MEDIA_COLUMNS} from news_media m where m.tenant_id = $1 and m.id = $2 and m.in_image_bank and m.kind = 'image'`,
      [tenantId, mediaId],
    );
    return r.rows[0] ? mediaFromRow(r.rows[0]) : null;
  }

  /**
   * The bytes of a media file for a request. Anyone may read the image bank and the media
   * of published public items; staff-audience items' media need a staff session of the
   * tenant; drafts' media need a newsroom editor. Otherwise 404 (existence is not told).
   */
  async mediaBytes(actor: Actor, tenantId: string, mediaId: string): Promise<{ media: NewsMedia; bytes: Uint8Array; sha256: string }> {
    if (!isUuid(mediaId)) throw new AppError('not_found', 404);
    const r = await this.deps.db.query<Row>(
      `select ${MEDIA_COLUMNS}, m.bytes, m.sha256, i.state as item_state, i.audience as item_audience
       from news_media m left join news_items i on i.tenant_id = m.tenant_id and i.id = m.item_id
       where m.tenant_id = $1 and m.id = $2`,
      [tenantId, mediaId],
    );
    const row = r.rows[0];
    if (!row) throw new AppError('not_found', 404);
    const staff = actor.kind === 'staff' && actor.user.tenantId === tenantId ? actor.user : null;
    const published = row.item_state === 'published';
    const visible =
      row.in_image_bank ||
      (published && row.item_audience === 'public') ||
      (published && row.item_audience === 'staff' && staff !== null) ||
      (staff !== null && isNewsEditor(staff));
    if (!visible) throw new AppError('not_found', 404);
    return { media: mediaFromRow(row), bytes: row.bytes, sha256: row.sha256 };
  }

  // ── internals ────────────────────────────────────────────────────────────────────────

  private async lockItem(tx: Tx, tenantId: string, id: string): Promise<NewsItem> {
    if (!isUuid(id)) throw new AppError('not_found', 404);
    const r = await tx.query<Row>(`select id from news_items where tenant_id = $1 and id = $2 for update`, [tenantId, id]);
    if (!r.rows[0]) throw new AppError('not_found', 404);
    return (await this.load(tenantId, id, tx))!;
  }

  private async touch(tx: Tx, tenantId: string, id: string, userId: string) {
    const r = await tx.query<Row>(`update news_items set updated_at = now(), updated_by = $3 where tenant_id = $1 and id = $2 returning state, audience`, [tenantId, id, userId]);
    // A published public item's images and attachments are on cached public pages.
    if (r.rows[0]?.state === 'published' && r.rows[0]?.audience === 'public') await this.deps.contentVersions.bump(tx, tenantId);
  }

  private async recordVersion(tx: Tx, item: NewsItem, action: string, userId: string | null, note?: string) {
    const snapshot = {
      title: item.title,
      lead: item.lead,
      body: item.body,
      topics: item.topics,
      tags: item.tags,
      serviceIds: item.serviceIds,
      audience: item.audience,
      audienceUnitIds: item.audienceUnitIds,
      mustRead: item.mustRead,
      embargoUntil: item.embargoUntil,
      scheduledAt: item.scheduledAt,
      eventStartsAt: item.eventStartsAt,
      eventEndsAt: item.eventEndsAt,
      eventLocation: item.eventLocation,
      slug: item.slug,
    };
    await tx.query<Row>(
      `insert into news_item_versions (tenant_id, item_id, version, action, state, snapshot, note, changed_by, changed_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, clock_timestamp())`,
      [item.tenantId, item.id, item.version, action, item.state, JSON.stringify(snapshot), note ?? null, userId],
    );
  }

  private async freeSlug(tx: Tx, tenantId: string, base: string, exact: boolean): Promise<string> {
    for (let n = 1; n < 100; n++) {
      const slug = n === 1 ? base : `${base}-${n}`;
      const r = await tx.query<Row>(`select 1 from news_items where tenant_id = $1 and slug = $2`, [tenantId, slug]);
      if (!r.rows[0]) return slug;
      if (exact) throw new AppError('validation_failed', 400, { fields: { slug: 'taken' } });
    }
    throw new AppError('validation_failed', 400, { fields: { slug: 'taken' } });
  }

  /**
   * Cleans and checks the fields of a create or update against the item's kind and
   * current state: sanitized bodies, known topics/services/units, the audience rules of
   * each kind and the embargo rules.
   */
  private async normalize(
    tenantId: string,
    kind: NewsKind,
    input: Partial<Record<string, any>>,
    before: NewsItem | null,
    q: Queryable,
  ) {
    const fieldErrors: Record<string, string> = {};
    const now = this.deps.clock.now();
    const out: {
      title?: Localized;
      lead?: Localized;
      body?: Localized;
      topics?: string[];
      tags?: string[];
      serviceIds?: string[];
      audience: 'public' | 'staff';
      audienceUnitIds?: string[];
      mustRead?: boolean;
      eventStartsAt?: Date | string | null;
      eventEndsAt?: Date | string | null;
      eventLocation?: Localized;
      embargoUntil?: Date | string | null;
      scheduledAt?: Date | string | null;
    } = { audience: 'public' };
    if (input.title !== undefined) out.title = cleanLocalized(input.title, true);
    if (input.lead !== undefined) out.lead = cleanLocalized(input.lead);
    if (input.body !== undefined) {
      const body: Localized = {};
      for (const l of LANGUAGES) {
        const v = input.body?.[l];
        if (typeof v === 'string' && v.trim()) body[l] = sanitizeRichText(v);
      }
      out.body = body;
    }
    if (input.topics !== undefined) {
      const topics = [...new Set(input.topics as string[])];
      if (topics.length) {
        const r = await q.query<{ slug: string }>(`select slug from news_topics where tenant_id = $1 and slug = any($2::text[])`, [tenantId, topics]);
        if (r.rows.length !== topics.length) fieldErrors.topics = 'unknown_topic';
      }
      out.topics = topics;
    }
    if (input.tags !== undefined) out.tags = [...new Set((input.tags as string[]).map((t) => t.toLowerCase()))];
    if (input.serviceIds !== undefined) {
      const ids = [...new Set(input.serviceIds as string[])];
      if (ids.length) {
        const r = await q.query<Row>(`select id from catalog_services where tenant_id = $1 and id = any($2::uuid[])`, [tenantId, ids]);
        if (r.rows.length !== ids.length) fieldErrors.serviceIds = 'unknown_service';
      }
      out.serviceIds = ids;
    }
    if (input.audienceUnitIds !== undefined) {
      const ids = [...new Set(input.audienceUnitIds as string[])];
      if (ids.length) {
        const r = await q.query<Row>(`select id from org_units where tenant_id = $1 and id = any($2::uuid[])`, [tenantId, ids]);
        if (r.rows.length !== ids.length) fieldErrors.audienceUnitIds = 'unknown_unit';
      }
      out.audienceUnitIds = ids;
    }
    // Bulletins are the intranet's; press releases and event notices are public by nature.
    const audience = kind === 'bulletin' ? 'staff' : kind === 'press_release' ? 'public' : (input.audience ?? before?.audience ?? 'public');
    if (input.audience !== undefined && input.audience !== audience) fieldErrors.audience = 'not_for_kind';
    out.audience = audience;
    if (audience === 'public') {
      out.audienceUnitIds = [];
      if (input.mustRead) fieldErrors.mustRead = 'staff_only';
      out.mustRead = false;
    } else if (input.mustRead !== undefined) out.mustRead = input.mustRead;
    if (input.eventStartsAt !== undefined) out.eventStartsAt = input.eventStartsAt;
    if (input.eventEndsAt !== undefined) out.eventEndsAt = input.eventEndsAt;
    if (input.eventLocation !== undefined) out.eventLocation = cleanLocalized(input.eventLocation);
    const starts = out.eventStartsAt !== undefined ? out.eventStartsAt : before?.eventStartsAt;
    const ends = out.eventEndsAt !== undefined ? out.eventEndsAt : before?.eventEndsAt;
    if (starts && ends && new Date(ends) < new Date(starts)) fieldErrors.eventEndsAt = 'before_start';

    // Embargo and scheduled time.
    if (input.embargoUntil !== undefined) {
      const changed = String(input.embargoUntil ? new Date(input.embargoUntil).toISOString() : null) !== String(before?.embargoUntil ?? null);
      if (changed && before?.publishedAt) fieldErrors.embargoUntil = 'published_already';
      else if (input.embargoUntil && kind !== 'press_release') fieldErrors.embargoUntil = 'press_release_only';
      else if (changed && input.embargoUntil && new Date(input.embargoUntil) <= now) fieldErrors.embargoUntil = 'must_be_future';
      out.embargoUntil = input.embargoUntil;
    }
    if (input.scheduledAt !== undefined) {
      const changed = String(input.scheduledAt ? new Date(input.scheduledAt).toISOString() : null) !== String(before?.scheduledAt ?? null);
      if (changed && input.scheduledAt && new Date(input.scheduledAt) <= now) fieldErrors.scheduledAt = 'must_be_future';
      if (changed && input.scheduledAt && before?.publishedAt) fieldErrors.scheduledAt = 'published_already';
      out.scheduledAt = input.scheduledAt;
    }
    const embargo = out.embargoUntil !== undefined ? out.embargoUntil : before?.embargoUntil;
    const scheduled = out.scheduledAt !== undefined ? out.scheduledAt : before?.scheduledAt;
    if (embargo && scheduled) fieldErrors.embargoUntil ??= 'not_with_schedule';
    if (Object.keys(fieldErrors).length) throw new AppError('validation_failed', 400, { fields: fieldErrors });
    return out;
  }
}

/** Trimmed values, empty languages dropped; oneLine also folds whitespace. */
export function cleanLocalized(v: Record<string, string | null | undefined> | undefined, oneLine = false): Localized {
  const out: Localized = {};
  for (const l of LANGUAGES) {
    let s = v?.[l];
    if (typeof s !== 'string') continue;
    s = s.normalize('NFC').replace(/\r\n/g, '\n').trim();
    if (oneLine) s = s.replace(/\s+/g, ' ');
    if (s) out[l] = s;
  }
  return out;
}

/** The words of a search: lower case letters and digits, at most 12. */
export function searchWords(q: string): string[] {
  return q
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 12);
}

/**
 * A Finnish word's first letters without its last three (at least five remain), matched
 * as a prefix of the stems: an inflected form whose stem ends differently (consonant
 * gradation: päiväkodin/päiväkoti, kunnossapidon/kunnossapito) still finds the text.
 * null for words under seven letters, where that would match too much.
 */
export function gradationPrefix(word: string): string | null {
  return word.length >= 7 ? word.slice(0, Math.max(5, word.length - 3)) : null;
}

const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif', 'application/pdf': 'pdf' };

function safeFilename(name: string, type: string): string {
  // eslint-disable-next-line no-control-regex
  let base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f"<>]/g, '').trim().slice(0, 150);
  if (!base) base = 'file';
  if (!/\.[a-z0-9]{2,5}$/i.test(base)) base += `.${EXT[type] ?? 'bin'}`;
  return base;
}

