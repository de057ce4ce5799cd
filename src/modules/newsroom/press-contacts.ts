import { z } from 'zod';
import type { AuditService } from '../audit/audit.ts';
import type { ContentVersions } from '../catalog/content-version.ts';
import type { Actor } from '../identity/actor.ts';
import type { Db, Queryable, Tx } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { Localized } from '../../platform/i18n.ts';
import { isUuid, parse } from '../../platform/validation.ts';
import { cleanLocalized, requireNewsEditor, type CommandContext } from './items.ts';

/**
 * The press room's contact people (migrations/0013_press_room.sql): name, job title per
 * language, phone, e-mail, the topics they answer about, in the order staff choose. They
 * are public by intent: the press room shows them to anyone. Newsroom editors
 * (communications, publishers) keep the list; every change is audited and bumps the
 * tenant's content version, so cached press-room pages show it at once.
 */

export interface PressContact {
  id: string;
  name: string;
  title: Localized;
  phone: string | null;
  email: string | null;
  topics: string[];
  position: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

const COLUMNS = 'id, name, title, phone, email, topics, position';
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const optionalText = (max: number) =>
  z
    .string({ message: 'invalid_type' })
    .trim()
    .max(max, { message: 'too_long' })
    .nullish()
    .transform((v) => v || null);

export const pressContactInput = z.strictObject({
  name: z.string({ message: 'required' }).trim().min(1, { message: 'required' }).max(120, { message: 'too_long' }),
  title: z
    .strictObject(
      {
        fi: z.string({ message: 'invalid_type' }).max(150, { message: 'too_long' }).nullish(),
        sv: z.string({ message: 'invalid_type' }).max(150, { message: 'too_long' }).nullish(),
        en: z.string({ message: 'invalid_type' }).max(150, { message: 'too_long' }).nullish(),
      },
      { message: 'invalid_type' },
    )
    .optional(),
  // Digits, spaces, +, -, parentheses: what a phone number is written with.
  phone: optionalText(40).refine((v) => v === null || /^\+?[\d\s()-]{5,40}$/.test(v), { message: 'invalid_phone' }),
  email: optionalText(200).refine((v) => v === null || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), { message: 'invalid_email' }),
  topics: z.array(z.string({ message: 'invalid_type' }).regex(SLUG, { message: 'unknown_topic' }), { message: 'invalid_type' }).max(20, { message: 'too_many' }).optional(),
});
export type PressContactInput = z.input<typeof pressContactInput>;

const toContact = (r: Row): PressContact => ({
  id: r.id,
  name: r.name,
  title: r.title ?? {},
  phone: r.phone ?? null,
  email: r.email ?? null,
  topics: r.topics ?? [],
  position: Number(r.position),
});

export interface PressContactDeps {
  db: Db;
  audit: AuditService;
  contentVersions: ContentVersions;
}

export class PressContactService {
  constructor(private deps: PressContactDeps) {}

  /** The press room's list, in the staff's order (public). */
  async list(tenantId: string, q: Queryable = this.deps.db): Promise<PressContact[]> {
    const r = await q.query<Row>(`select ${COLUMNS} from press_contacts where tenant_id = $1 order by position, name`, [tenantId]);
    return r.rows.map(toContact);
  }

  async get(actor: Actor, tenantId: string, id: string): Promise<PressContact> {
    requireNewsEditor(actor, tenantId);
    if (!isUuid(id)) throw new AppError('not_found', 404);
    const r = await this.deps.db.query<Row>(`select ${COLUMNS} from press_contacts where tenant_id = $1 and id = $2`, [tenantId, id]);
    if (!r.rows[0]) throw new AppError('not_found', 404);
    return toContact(r.rows[0]);
  }

  async create(actor: Actor, tenantId: string, body: unknown, ctx: CommandContext = {}): Promise<PressContact> {
    requireNewsEditor(actor, tenantId);
    const v = parse(pressContactInput, body);
    return this.deps.db.transaction(async (tx) => {
      await this.checkTopics(tx, tenantId, v.topics ?? []);
      const r = await tx.query<Row>(
        `insert into press_contacts (tenant_id, name, title, phone, email, topics, position)
         values ($1, $2, $3, $4, $5, $6, (select coalesce(max(position) + 1, 0) from press_contacts where tenant_id = $1))
         returning ${COLUMNS}`,
        [tenantId, v.name, JSON.stringify(cleanLocalized(v.title ?? {}, true)), v.phone, v.email, [...new Set(v.topics ?? [])]],
      );
      await this.changed(tx, tenantId, actor, 'news.press_contact.create', r.rows[0].id, ctx);
      return toContact(r.rows[0]);
    });
  }

  async update(actor: Actor, tenantId: string, id: string, body: unknown, ctx: CommandContext = {}): Promise<PressContact> {
    requireNewsEditor(actor, tenantId);
    const v = parse(pressContactInput, body);
    if (!isUuid(id)) throw new AppError('not_found', 404);
    return this.deps.db.transaction(async (tx) => {
      await this.checkTopics(tx, tenantId, v.topics ?? []);
      const r = await tx.query<Row>(
        `update press_contacts set name = $3, title = $4, phone = $5, email = $6, topics = $7, updated_at = now()
         where tenant_id = $1 and id = $2 returning ${COLUMNS}`,
        [tenantId, id, v.name, JSON.stringify(cleanLocalized(v.title ?? {}, true)), v.phone, v.email, [...new Set(v.topics ?? [])]],
      );
      if (!r.rows[0]) throw new AppError('not_found', 404);
      await this.changed(tx, tenantId, actor, 'news.press_contact.update', id, ctx);
      return toContact(r.rows[0]);
    });
  }

  async remove(actor: Actor, tenantId: string, id: string, ctx: CommandContext = {}): Promise<void> {
    requireNewsEditor(actor, tenantId);
    if (!isUuid(id)) throw new AppError('not_found', 404);
    await this.deps.db.transaction(async (tx) => {
      const r = await tx.query<Row>(`delete from press_contacts where tenant_id = $1 and id = $2 returning id`, [tenantId, id]);
      if (!r.rows[0]) throw new AppError('not_found', 404);
      await this.changed(tx, tenantId, actor, 'news.press_contact.remove', id, ctx);
    });
  }

  /** Moves a contact one place up or down; positions are renumbered 0..n-1 on the way. */
  async move(actor: Actor, tenantId: string, id: string, direction: 'up' | 'down', ctx: CommandContext = {}): Promise<PressContact[]> {
    requireNewsEditor(actor, tenantId);
    if (!isUuid(id)) throw new AppError('not_found', 404);
    if (direction !== 'up' && direction !== 'down') throw new AppError('validation_failed', 400, { fields: { direction: 'invalid' } });
    return this.deps.db.transaction(async (tx) => {
      // Lock the tenant's list so two reorders in parallel cannot interleave.
      const r = await tx.query<Row>(`select id from press_contacts where tenant_id = $1 order by position, name for update`, [tenantId]);
      const ids = r.rows.map((x) => x.id as string);
      const at = ids.indexOf(id);
      if (at < 0) throw new AppError('not_found', 404);
      const to = direction === 'up' ? at - 1 : at + 1;
      if (to >= 0 && to < ids.length) [ids[at], ids[to]] = [ids[to], ids[at]];
      for (const [i, x] of ids.entries()) await tx.query(`update press_contacts set position = $3 where tenant_id = $1 and id = $2`, [tenantId, x, i]);
      await this.changed(tx, tenantId, actor, 'news.press_contact.move', id, ctx, { direction });
      return this.list(tenantId, tx);
    });
  }

  private async checkTopics(tx: Tx, tenantId: string, topics: string[]) {
    const unique = [...new Set(topics)];
    if (!unique.length) return;
    const r = await tx.query<Row>(`select slug from news_topics where tenant_id = $1 and slug = any($2::text[])`, [tenantId, unique]);
    if (r.rows.length !== unique.length) throw new AppError('validation_failed', 400, { fields: { topics: 'unknown_topic' } });
  }

  private async changed(tx: Tx, tenantId: string, actor: Actor, action: string, id: string, ctx: CommandContext, details?: Record<string, unknown>) {
    await this.deps.audit.record(tx, tenantId, actor, { action, targetKind: 'press_contact', targetId: id, details, ip: ctx.ip });
    await this.deps.contentVersions.bump(tx, tenantId);
  }
}
