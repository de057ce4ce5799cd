import { z } from 'zod';
import type { AuditService } from '../audit/audit.ts';
import { isUuid, requireCatalogEditor, type CommandContext } from '../catalog/access.ts';
import type { Actor } from '../identity/actor.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { LANGUAGES, type Lang, type Localized } from '../../platform/i18n.ts';
import { parse } from '../../platform/validation.ts';
import type { SearchKind } from './search-index.ts';

/**
 * The write side of a tenant's search vocabulary: synonyms (a resident's word → what the
 * catalog calls it, per language: "päikky → päiväkoti") and promoted answers (a phrase →
 * a service, unit or page shown first). The routing engine reads both tables directly at
 * query time, so nothing here touches the index or the content version.
 */

/** Lowercase, trimmed, inner whitespace collapsed: the form the engine matches on. */
export const normalizeTerm = (v: string) => v.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

const term = (max: number) =>
  z
    .string({ message: 'required' })
    .transform(normalizeTerm)
    .pipe(z.string().min(1, { message: 'required' }).max(max, { message: 'too_long' }));

export const synonymInput = z.strictObject({
  lang: z.enum(LANGUAGES, { message: 'invalid_language' }),
  term: term(60),
  expansion: term(200),
});

export const promotionInput = z.strictObject({
  lang: z.enum(LANGUAGES, { message: 'invalid_language' }),
  phrase: term(100),
  kind: z.enum(['service', 'unit', 'page'], { message: 'invalid_kind' }),
  refId: z.string({ message: 'required' }).min(1, { message: 'required' }),
});

export interface Synonym {
  id: string;
  lang: Lang;
  term: string;
  expansion: string;
  createdAt: string;
}

export interface Promotion {
  id: string;
  lang: Lang;
  phrase: string;
  kind: SearchKind;
  refId: string;
  /** Name of the target (service/unit name, page title); null if it was deleted. */
  targetNames: Localized | null;
  createdAt: string;
}

export class SynonymService {
  constructor(
    private db: Db,
    private audit: AuditService,
  ) {}

  async listSynonyms(actor: Actor, tenantId: string, lang?: string): Promise<Synonym[]> {
    requireCatalogEditor(actor, tenantId);
    const params: unknown[] = [tenantId];
    if (lang && (LANGUAGES as readonly string[]).includes(lang)) params.push(lang);
    const r = await this.db.query<any>(
      `select id, lang, term, expansion, created_at from search_synonyms where tenant_id = $1 ${params.length > 1 ? 'and lang = $2' : ''} order by lang, term, expansion`,
      params,
    );
    return r.rows.map((x) => ({ id: x.id, lang: x.lang, term: x.term, expansion: x.expansion, createdAt: new Date(x.created_at).toISOString() }));
  }

  async addSynonym(actor: Actor, tenantId: string, body: unknown, ctx: CommandContext = {}): Promise<Synonym> {
    const who = requireCatalogEditor(actor, tenantId);
    const input = parse(synonymInput, body);
    if (input.term === input.expansion) throw new AppError('validation_failed', 400, { fields: { expansion: 'same_as_term' } });
    return this.db.transaction(async (tx) => {
      const dup = await tx.query('select 1 from search_synonyms where tenant_id = $1 and lang = $2 and term = $3 and expansion = $4', [tenantId, input.lang, input.term, input.expansion]);
      if (dup.rows.length) throw new AppError('conflict', 409, { reason: 'duplicate', fields: { term: 'duplicate' } });
      const r = await tx.query<any>(
        `insert into search_synonyms (tenant_id, lang, term, expansion, created_by) values ($1,$2,$3,$4,$5) returning id, created_at`,
        [tenantId, input.lang, input.term, input.expansion, who.userId],
      );
      const syn: Synonym = { id: r.rows[0].id, ...input, createdAt: new Date(r.rows[0].created_at).toISOString() };
      await this.audit.record(tx, tenantId, actor, { action: 'search.synonym_added', targetKind: 'search_synonym', targetId: syn.id, details: { lang: syn.lang, term: syn.term, expansion: syn.expansion }, ip: ctx.ip });
      return syn;
    });
  }

  async removeSynonym(actor: Actor, tenantId: string, id: string, ctx: CommandContext = {}): Promise<void> {
    requireCatalogEditor(actor, tenantId);
    if (!isUuid(id)) throw new AppError('not_found', 404);
    await this.db.transaction(async (tx) => {
      const r = await tx.query<any>('delete from search_synonyms where tenant_id = $1 and id = $2 returning lang, term, expansion', [tenantId, id]);
      if (!r.rows[0]) throw new AppError('not_found', 404);
      await this.audit.record(tx, tenantId, actor, { action: 'search.synonym_removed', targetKind: 'search_synonym', targetId: id, details: r.rows[0], ip: ctx.ip });
    });
  }

  async listPromotions(actor: Actor, tenantId: string, filter: { kind?: SearchKind; refId?: string } = {}): Promise<Promotion[]> {
    requireCatalogEditor(actor, tenantId);
    const params: unknown[] = [tenantId];
    let where = 'p.tenant_id = $1';
    if (filter.kind && filter.refId && isUuid(filter.refId)) {
      params.push(filter.kind, filter.refId);
      where += ' and p.kind = $2 and p.ref_id = $3';
    }
    const r = await this.db.query<any>(
      `select p.id, p.lang, p.phrase, p.kind, p.ref_id, p.created_at,
              coalesce(s.names, c.names, cp.title) as target_names
       from search_promotions p
       left join catalog_services s on p.kind = 'service' and s.tenant_id = p.tenant_id and s.id = p.ref_id
       left join catalog_channels c on p.kind = 'unit' and c.tenant_id = p.tenant_id and c.id = p.ref_id
       left join content_pages cp on p.kind = 'page' and cp.tenant_id = p.tenant_id and cp.id = p.ref_id
       where ${where} order by p.lang, p.phrase`,
      params,
    );
    return r.rows.map((x) => ({ id: x.id, lang: x.lang, phrase: x.phrase, kind: x.kind, refId: x.ref_id, targetNames: x.target_names, createdAt: new Date(x.created_at).toISOString() }));
  }

  async addPromotion(actor: Actor, tenantId: string, body: unknown, ctx: CommandContext = {}): Promise<Promotion> {
    const who = requireCatalogEditor(actor, tenantId);
    const input = parse(promotionInput, body);
    return this.db.transaction(async (tx) => {
      const targetNames = isUuid(input.refId) ? await target(tx, tenantId, input.kind, input.refId) : null;
      if (!targetNames) throw new AppError('validation_failed', 400, { fields: { refId: 'unknown_target' } });
      const dup = await tx.query('select 1 from search_promotions where tenant_id = $1 and lang = $2 and phrase = $3 and kind = $4 and ref_id = $5', [
        tenantId,
        input.lang,
        input.phrase,
        input.kind,
        input.refId,
      ]);
      if (dup.rows.length) throw new AppError('conflict', 409, { reason: 'duplicate', fields: { phrase: 'duplicate' } });
      const r = await tx.query<any>(
        `insert into search_promotions (tenant_id, lang, phrase, kind, ref_id, created_by) values ($1,$2,$3,$4,$5,$6) returning id, created_at`,
        [tenantId, input.lang, input.phrase, input.kind, input.refId, who.userId],
      );
      const p: Promotion = { id: r.rows[0].id, ...input, targetNames, createdAt: new Date(r.rows[0].created_at).toISOString() };
      await this.audit.record(tx, tenantId, actor, {
        action: 'search.promotion_added',
        targetKind: 'search_promotion',
        targetId: p.id,
        details: { lang: p.lang, phrase: p.phrase, kind: p.kind, refId: p.refId },
        ip: ctx.ip,
      });
      return p;
    });
  }

  async removePromotion(actor: Actor, tenantId: string, id: string, ctx: CommandContext = {}): Promise<void> {
    requireCatalogEditor(actor, tenantId);
    if (!isUuid(id)) throw new AppError('not_found', 404);
    await this.db.transaction(async (tx) => {
      const r = await tx.query<any>('delete from search_promotions where tenant_id = $1 and id = $2 returning lang, phrase, kind, ref_id', [tenantId, id]);
      if (!r.rows[0]) throw new AppError('not_found', 404);
      await this.audit.record(tx, tenantId, actor, { action: 'search.promotion_removed', targetKind: 'search_promotion', targetId: id, details: r.rows[0], ip: ctx.ip });
    });
  }
}

/** The target's name if it exists in the tenant (a unit is a service_location channel). */
async function target(tx: Queryable, tenantId: string, kind: SearchKind, id: string): Promise<Localized | null> {
  const sql =
    kind === 'service'
      ? 'select names as n from catalog_services where tenant_id = $1 and id = $2'
      : kind === 'unit'
        ? `select names as n from catalog_channels where tenant_id = $1 and id = $2 and kind = 'service_location'`
        : 'select title as n from content_pages where tenant_id = $1 and id = $2';
  const r = await tx.query<{ n: Localized }>(sql, [tenantId, id]);
  return r.rows[0]?.n ?? null;
}
