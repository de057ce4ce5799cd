import { z } from 'zod';
import type { AuditService } from '../audit/audit.ts';
import type { Actor } from '../identity/actor.ts';
import type { SearchIndex } from '../routing/search-index.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { LANGUAGES, type Lang, type Localized } from '../../platform/i18n.ts';
import { parse } from '../../platform/validation.ts';
import { isUuid, requireCatalogEditor, type CommandContext } from './access.ts';
import type { ContentVersions } from './content-version.ts';
import { checkFresh, cleanLocalized } from './edit.ts';
import { contentPageFromRow, type ContentPage } from './model.ts';
import { sanitizeRichText } from './sanitize.ts';
import { pageDocument } from './search-documents.ts';

/**
 * Content pages with drafts: the row holds the draft; `published` is a copy made at
 * publish time, so editing never changes what residents see until the next publish.
 * Every create, save, publish and unpublish writes a content_page_versions row (who,
 * when, the text at that point): the page's history. Bodies are sanitized HTML.
 */

const text = (max: number) => z.string().max(max, { message: 'too_long' });
const localized = (max: number) => z.strictObject({ fi: text(max).nullish(), sv: text(max).nullish(), en: text(max).nullish() }, { message: 'invalid_type' });

export const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export const pageCreateInput = z.strictObject({
  slug: z.string({ message: 'required' }).trim().min(1, { message: 'required' }).max(100, { message: 'too_long' }).regex(SLUG, { message: 'invalid_slug' }),
  title: localized(200),
  summary: localized(1_000).optional(),
  body: localized(200_000).optional(),
  topic: z.string().trim().max(40, { message: 'too_long' }).regex(/^[A-Za-z0-9.]*$/, { message: 'invalid_topic' }).nullish(),
});
export type PageCreateInput = z.input<typeof pageCreateInput>;

export const pageSaveInput = pageCreateInput.omit({ slug: true }).partial().extend({ updatedAt: z.string({ message: 'required' }).min(1, { message: 'required' }) });

export type PageStatus = 'draft' | 'published' | 'changed';

export interface PageListItem {
  id: string;
  slug: string;
  title: Localized;
  topic: string | null;
  status: PageStatus;
  version: number;
  publishedAt: string | null;
  updatedAt: string;
}

export interface PageVersion {
  id: string;
  version: number;
  action: 'create' | 'save' | 'publish' | 'unpublish';
  changedBy: string | null;
  changedAt: string;
  /** Fields that differ from the previous history row, e.g. ["title.fi", "body.sv"]. */
  changedFields: string[];
}

export interface PageVersionText extends PageVersion {
  title: Localized;
  summary: Localized;
  body: Localized;
}

/** draft = never published (or unpublished); changed = published, with a newer draft. */
export function pageStatus(p: Pick<ContentPage, 'published' | 'version'>): PageStatus {
  if (!p.published) return 'draft';
  return p.published.version < p.version ? 'changed' : 'published';
}

interface Deps {
  db: Db;
  audit: AuditService;
  searchIndex: SearchIndex;
  contentVersions: ContentVersions;
}

export class ContentPageService {
  constructor(private deps: Deps) {}

  async list(actor: Actor, tenantId: string, query: { q?: string; status?: string } = {}): Promise<PageListItem[]> {
    requireCatalogEditor(actor, tenantId);
    const params: unknown[] = [tenantId];
    let where = 'tenant_id = $1';
    const q = query.q?.trim();
    if (q) {
      params.push(`%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
      where += ` and (slug ilike $2 or title->>'fi' ilike $2 or title->>'sv' ilike $2 or title->>'en' ilike $2)`;
    }
    const r = await this.deps.db.query(`select * from content_pages where ${where} order by updated_at desc limit 500`, params);
    const items = r.rows.map((row) => {
      const p = contentPageFromRow(row);
      return { id: p.id, slug: p.slug, title: p.title, topic: p.topic, status: pageStatus(p), version: p.version, publishedAt: p.publishedAt, updatedAt: p.updatedAt };
    });
    return query.status && ['draft', 'published', 'changed'].includes(query.status) ? items.filter((i) => i.status === query.status) : items;
  }

  async get(actor: Actor, tenantId: string, id: string): Promise<ContentPage> {
    requireCatalogEditor(actor, tenantId);
    return this.load(this.deps.db, tenantId, id);
  }

  async create(actor: Actor, tenantId: string, body: unknown, ctx: CommandContext = {}): Promise<ContentPage> {
    const who = requireCatalogEditor(actor, tenantId);
    const input = parse(pageCreateInput, body);
    return this.deps.db.transaction(async (tx) => {
      const v = await clean(tx, tenantId, input);
      const taken = await tx.query('select 1 from content_pages where tenant_id = $1 and slug = $2', [tenantId, input.slug]);
      if (taken.rows.length) throw new AppError('conflict', 409, { reason: 'slug_taken', fields: { slug: 'slug_taken' } });
      const r = await tx.query(
        `insert into content_pages (tenant_id, slug, title, summary, body, topic, version, updated_by, updated_at)
         values ($1,$2,$3,$4,$5,$6,1,$7, clock_timestamp()) returning *`,
        [tenantId, input.slug, JSON.stringify(v.title), JSON.stringify(v.summary), JSON.stringify(v.body), v.topic, who.userId],
      );
      const page = contentPageFromRow(r.rows[0]);
      await this.history(tx, tenantId, page, 'create', who);
      await this.deps.audit.record(tx, tenantId, actor, { action: 'content.page_created', targetKind: 'content_page', targetId: page.id, details: { slug: page.slug }, ip: ctx.ip });
      return page;
    });
  }

  /** Saves the draft (PATCH semantics): a new version, a history row; residents still see the published copy. */
  async save(actor: Actor, tenantId: string, id: string, body: unknown, ctx: CommandContext = {}): Promise<ContentPage> {
    const who = requireCatalogEditor(actor, tenantId);
    if (!isUuid(id)) throw new AppError('not_found', 404);
    const input = parse(pageSaveInput, body);
    return this.deps.db.transaction(async (tx) => {
      const current = await this.load(tx, tenantId, id, true);
      checkFresh(current.updatedAt, input.updatedAt);
      const v = await clean(tx, tenantId, {
        // Per language: a given text replaces, null or "" removes, an absent language stays.
        title: { ...current.title, ...input.title },
        summary: { ...current.summary, ...input.summary },
        body: { ...current.body, ...input.body },
        topic: input.topic !== undefined ? input.topic : current.topic,
      });
      const r = await tx.query(
        `update content_pages set title = $3, summary = $4, body = $5, topic = $6, version = version + 1, updated_by = $7, updated_at = clock_timestamp()
         where tenant_id = $1 and id = $2 returning *`,
        [tenantId, id, JSON.stringify(v.title), JSON.stringify(v.summary), JSON.stringify(v.body), v.topic, who.userId],
      );
      const page = contentPageFromRow(r.rows[0]);
      await this.history(tx, tenantId, page, 'save', who);
      // The topic is not part of the published copy: it moves a published page between listings at once.
      if (page.published && page.topic !== current.topic) await this.deps.contentVersions.bump(tx, tenantId);
      await this.deps.audit.record(tx, tenantId, actor, {
        action: 'content.page_saved',
        targetKind: 'content_page',
        targetId: id,
        details: { version: page.version, fields: diffText(current, page) },
        ip: ctx.ip,
      });
      return page;
    });
  }

  /** Copies the draft into `published`; residents and search see it from this transaction on. */
  async publish(actor: Actor, tenantId: string, id: string, body: unknown = {}, ctx: CommandContext = {}): Promise<ContentPage> {
    const who = requireCatalogEditor(actor, tenantId);
    if (!isUuid(id)) throw new AppError('not_found', 404);
    const { updatedAt } = parse(z.object({ updatedAt: z.string().optional() }), body ?? {});
    return this.deps.db.transaction(async (tx) => {
      const current = await this.load(tx, tenantId, id, true);
      if (updatedAt) checkFresh(current.updatedAt, updatedAt);
      const { def } = await tenantDefault(tx, tenantId);
      if (!current.title[def]) throw new AppError('validation_failed', 400, { fields: { [`title.${def}`]: 'required' } });
      const published = { title: current.title, summary: current.summary, body: current.body, version: current.version };
      const r = await tx.query(
        `update content_pages set published = $3, published_at = now(), updated_by = $4, updated_at = clock_timestamp() where tenant_id = $1 and id = $2 returning *`,
        [tenantId, id, JSON.stringify(published), who.userId],
      );
      const page = contentPageFromRow(r.rows[0]);
      await this.history(tx, tenantId, page, 'publish', who);
      const doc = pageDocument(page);
      if (doc) await this.deps.searchIndex.put(tx, tenantId, doc);
      await this.deps.contentVersions.bump(tx, tenantId);
      await this.deps.audit.record(tx, tenantId, actor, { action: 'content.page_published', targetKind: 'content_page', targetId: id, details: { version: page.version }, ip: ctx.ip });
      return page;
    });
  }

  async unpublish(actor: Actor, tenantId: string, id: string, body: unknown = {}, ctx: CommandContext = {}): Promise<ContentPage> {
    const who = requireCatalogEditor(actor, tenantId);
    if (!isUuid(id)) throw new AppError('not_found', 404);
    const { updatedAt } = parse(z.object({ updatedAt: z.string().optional() }), body ?? {});
    return this.deps.db.transaction(async (tx) => {
      const current = await this.load(tx, tenantId, id, true);
      if (updatedAt) checkFresh(current.updatedAt, updatedAt);
      if (!current.published) return current;
      const r = await tx.query(
        `update content_pages set published = null, published_at = null, updated_by = $3, updated_at = clock_timestamp() where tenant_id = $1 and id = $2 returning *`,
        [tenantId, id, who.userId],
      );
      const page = contentPageFromRow(r.rows[0]);
      await this.history(tx, tenantId, page, 'unpublish', who);
      await this.deps.searchIndex.remove(tx, tenantId, 'page', id);
      await this.deps.contentVersions.bump(tx, tenantId);
      await this.deps.audit.record(tx, tenantId, actor, { action: 'content.page_unpublished', targetKind: 'content_page', targetId: id, ip: ctx.ip });
      return page;
    });
  }

  /** The page's history, newest first, each row with the fields it changed. */
  async versions(actor: Actor, tenantId: string, id: string): Promise<PageVersion[]> {
    requireCatalogEditor(actor, tenantId);
    await this.load(this.deps.db, tenantId, id);
    const rows = await this.versionRows(tenantId, id);
    return rows.map(({ title: _t, summary: _s, body: _b, ...v }) => v);
  }

  /** One history row with the text as it was then. */
  async version(actor: Actor, tenantId: string, id: string, versionId: string): Promise<PageVersionText> {
    requireCatalogEditor(actor, tenantId);
    await this.load(this.deps.db, tenantId, id);
    const v = (await this.versionRows(tenantId, id)).find((x) => x.id === versionId);
    if (!v) throw new AppError('not_found', 404);
    return v;
  }

  /** Known topics (service class codes used in the catalog) with names, for the topic select. */
  async topics(tenantId: string): Promise<{ code: string; name: Localized }[]> {
    const r = await this.deps.db.query<{ code: string; name: Localized }>(
      `select distinct on (c->>'code') c->>'code' as code, c->'name' as name
       from catalog_services, jsonb_array_elements(service_classes) c where tenant_id = $1 order by c->>'code'`,
      [tenantId],
    );
    return r.rows;
  }

  private async versionRows(tenantId: string, id: string): Promise<PageVersionText[]> {
    const r = await this.deps.db.query<any>(
      `select id, version, action, title, summary, body, changed_by_name, changed_at from content_page_versions
       where tenant_id = $1 and page_id = $2
       order by changed_at, version, case action when 'create' then 0 when 'save' then 1 else 2 end`,
      [tenantId, id],
    );
    const out: PageVersionText[] = [];
    let prev: { title: Localized; summary: Localized; body: Localized } | null = null;
    for (const row of r.rows) {
      const cur = { title: row.title as Localized, summary: row.summary as Localized, body: row.body as Localized };
      out.push({
        id: row.id,
        version: row.version,
        action: row.action,
        changedBy: row.changed_by_name,
        changedAt: new Date(row.changed_at).toISOString(),
        changedFields: row.action === 'create' ? diffText({ title: {}, summary: {}, body: {} }, cur) : prev && row.action === 'save' ? diffText(prev, cur) : [],
        ...cur,
      });
      prev = cur;
    }
    return out.reverse();
  }

  private async history(tx: Queryable, tenantId: string, p: ContentPage, action: PageVersion['action'], who: { userId: string | null; name: string }) {
    await tx.query(
      `insert into content_page_versions (tenant_id, page_id, version, action, title, summary, body, changed_by, changed_by_name, changed_at)
       values ($1,$2,$3,$4,$5,$6,$7,$8,$9, clock_timestamp())`,
      [tenantId, p.id, p.version, action, JSON.stringify(p.title), JSON.stringify(p.summary), JSON.stringify(p.body), who.userId, who.name],
    );
  }

  private async load(q: Queryable, tenantId: string, id: string, lock = false): Promise<ContentPage> {
    if (!isUuid(id)) throw new AppError('not_found', 404);
    const r = await q.query(`select * from content_pages where tenant_id = $1 and id = $2${lock ? ' for update' : ''}`, [tenantId, id]);
    if (!r.rows[0]) throw new AppError('not_found', 404);
    return contentPageFromRow(r.rows[0]);
  }
}

async function tenantDefault(q: Queryable, tenantId: string): Promise<{ def: Lang }> {
  const t = await q.query<{ default_language: Lang }>('select default_language from tenants where id = $1', [tenantId]);
  return { def: t.rows[0].default_language };
}

/** Trims, sanitizes the bodies and requires a title in the tenant's default language. */
type Loose = { [L in Lang]?: string | null };

async function clean(q: Queryable, tenantId: string, input: { title?: Loose | null; summary?: Loose | null; body?: Loose | null; topic?: string | null }) {
  const { def } = await tenantDefault(q, tenantId);
  const title = cleanLocalized(input.title);
  if (!title[def]) throw new AppError('validation_failed', 400, { fields: { [`title.${def}`]: 'required' } });
  const body: Localized = {};
  for (const l of LANGUAGES) {
    const html = input.body?.[l] ? sanitizeRichText(input.body[l]!) : '';
    if (html) body[l] = html;
  }
  return { title, summary: cleanLocalized(input.summary), body, topic: input.topic?.trim() || null };
}

function diffText(a: { title: Localized; summary: Localized; body: Localized }, b: { title: Localized; summary: Localized; body: Localized }): string[] {
  const out: string[] = [];
  for (const f of ['title', 'summary', 'body'] as const) for (const l of LANGUAGES) if ((a[f][l] ?? '') !== (b[f][l] ?? '')) out.push(`${f}.${l}`);
  return out;
}
