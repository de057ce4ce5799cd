import type { z } from 'zod';
import type { AuditService } from '../audit/audit.ts';
import { requireRoleOrScope } from '../identity/access.ts';
import type { Actor } from '../identity/actor.ts';
import type { RoutingService } from '../routing/routing.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import { parse } from '../../platform/validation.ts';
import { ACCESSIBILITY_SLA_DAYS, categoryInput, categoryPatch, type Category, type CategoryAttribute } from './model.ts';

/** Scope an integration token needs to manage categories (Open311 posting has its own: open311). */
export const FEEDBACK_ADMIN_SCOPE = 'admin:settings';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

interface Row {
  id: string;
  code: string;
  names: Category['names'];
  descriptions: Category['descriptions'];
  group_names: Category['groupNames'];
  keywords: Category['keywords'];
  org_unit_id: string;
  service_id: string | null;
  location_mode: Category['locationMode'];
  allow_public: boolean;
  accessibility: boolean;
  sla_days: number;
  attributes: CategoryAttribute[];
  active: boolean;
  sort_order: number;
  updated_at: Date | string;
}

const COLUMNS = `id, code, names, descriptions, group_names, keywords, org_unit_id, service_id, location_mode, allow_public,
  accessibility, sla_days, attributes, active, sort_order, updated_at`;

export function categoryFromRow(r: Row): Category {
  return {
    id: r.id,
    code: r.code,
    names: r.names,
    descriptions: r.descriptions,
    groupNames: r.group_names,
    keywords: r.keywords,
    orgUnitId: r.org_unit_id,
    serviceId: r.service_id,
    locationMode: r.location_mode,
    allowPublic: r.allow_public,
    accessibility: r.accessibility,
    slaDays: r.sla_days,
    attributes: [...r.attributes].sort((a, b) => a.order - b.order),
    active: r.active,
    sortOrder: r.sort_order,
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/**
 * Feedback categories per tenant (Open311 "services"). Residents and Open311 clients read
 * the active ones; tenant admins (or tokens with admin:settings) manage them.
 */
export class FeedbackCategoryService {
  constructor(
    private db: Db,
    private audit: AuditService,
    private routing: RoutingService,
  ) {}

  /** Active categories in display order: public, no authorization. */
  async listActive(tenantId: string, q: Queryable = this.db): Promise<Category[]> {
    const r = await q.query<Row>(
      `select ${COLUMNS} from feedback_categories where tenant_id = $1 and active order by sort_order, code`,
      [tenantId],
    );
    return r.rows.map(categoryFromRow);
  }

  /** An active category by its code (Open311 service_code); null when there is none. */
  async byCode(tenantId: string, code: string, q: Queryable = this.db): Promise<Category | null> {
    if (typeof code !== 'string' || code.length > 63) return null;
    const r = await q.query<Row>(`select ${COLUMNS} from feedback_categories where tenant_id = $1 and code = $2 and active`, [tenantId, code]);
    return r.rows[0] ? categoryFromRow(r.rows[0]) : null;
  }

  async list(actor: Actor, tenantId: string): Promise<Category[]> {
    this.requireAdmin(actor, tenantId);
    const r = await this.db.query<Row>(`select ${COLUMNS} from feedback_categories where tenant_id = $1 order by sort_order, code`, [tenantId]);
    return r.rows.map(categoryFromRow);
  }

  async get(actor: Actor, tenantId: string, id: string): Promise<Category> {
    this.requireAdmin(actor, tenantId);
    return this.load(this.db, tenantId, id);
  }

  async create(actor: Actor, tenantId: string, body: unknown, ctx: { ip?: string } = {}): Promise<Category> {
    this.requireAdmin(actor, tenantId);
    const input = parse(categoryInput, body);
    checkRules(input);
    return this.db.transaction(async (tx) => {
      await this.checkRefs(tx, tenantId, input.orgUnitId, input.serviceId ?? null);
      const r = await tx.query<Row>(
        `insert into feedback_categories (tenant_id, code, names, descriptions, group_names, keywords, org_unit_id, service_id,
           location_mode, allow_public, accessibility, sla_days, attributes, active, sort_order)
         values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)
         on conflict (tenant_id, code) do nothing returning ${COLUMNS}`,
        [tenantId, ...columnValues(input)],
      );
      if (!r.rows[0]) throw new AppError('conflict', 409, { fields: { code: 'taken' } });
      const category = categoryFromRow(r.rows[0]);
      await this.audit.record(tx, tenantId, actor, {
        action: 'feedback.category_created',
        targetKind: 'feedback_category',
        targetId: category.id,
        details: { code: category.code },
        ip: ctx.ip,
      });
      return category;
    });
  }

  async update(actor: Actor, tenantId: string, id: string, body: unknown, ctx: { ip?: string } = {}): Promise<Category> {
    this.requireAdmin(actor, tenantId);
    const patch = parse(categoryPatch, body);
    return this.db.transaction(async (tx) => {
      const current = await this.load(tx, tenantId, id, true);
      if (new Date(patch.updatedAt).toISOString() !== current.updatedAt) throw new AppError('conflict', 409, { fields: { updatedAt: 'stale' } });
      const next = { ...current, ...stripUndefined(patch) };
      checkRules(next);
      await this.checkRefs(tx, tenantId, next.orgUnitId, next.serviceId ?? null);
      const r = await tx.query<Row>(
        `update feedback_categories set code = $3, names = $4, descriptions = $5, group_names = $6, keywords = $7,
           org_unit_id = $8, service_id = $9, location_mode = $10, allow_public = $11, accessibility = $12, sla_days = $13,
           attributes = $14, active = $15, sort_order = $16, updated_at = now()
         where tenant_id = $1 and id = $2 returning ${COLUMNS}`,
        [tenantId, id, ...columnValues(next)],
      ).catch((e: unknown) => {
        if (String((e as { code?: string }).code) === '23505') throw new AppError('conflict', 409, { fields: { code: 'taken' } });
        throw e;
      });
      const category = categoryFromRow(r.rows[0]);
      await this.audit.record(tx, tenantId, actor, {
        action: 'feedback.category_updated',
        targetKind: 'feedback_category',
        targetId: id,
        details: { code: category.code, fields: Object.keys(stripUndefined(patch)).filter((k) => k !== 'updatedAt') },
        ip: ctx.ip,
      });
      return category;
    });
  }

  /**
   * The category the routing engine points at for a resident's description: the first
   * category linked to one of the top services, else the category whose keywords or
   * names the text mentions most. null when nothing is a good guess.
   */
  async suggest(tenant: { id: string; defaultLanguage: Lang; languages?: Lang[] }, description: string, lang: Lang): Promise<Category | null> {
    const tenantId = tenant.id;
    const text = description.trim().slice(0, 500);
    if (text.length < 3) return null;
    const categories = await this.listActive(tenantId);
    if (!categories.length) return null;
    const routed = await this.routing.route(tenant, text, lang, { limit: 5, log: false });
    for (const r of routed.results) {
      if (r.kind !== 'service') continue;
      const hit = categories.find((c) => c.serviceId === r.id);
      if (hit) return hit;
    }
    const words = new Set(text.toLocaleLowerCase(lang).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 2));
    let best: { c: Category; score: number } | null = null;
    for (const c of categories) {
      const terms = [...(c.keywords[lang] ?? []), ...(c.names[lang] ? [c.names[lang]!] : [])].map((t) => t.toLocaleLowerCase(lang));
      let score = 0;
      for (const t of terms) for (const w of words) if (t === w || (w.length >= 5 && (t.startsWith(w.slice(0, 5)) || w.startsWith(t)))) score++;
      if (score > 0 && (!best || score > best.score)) best = { c, score };
    }
    return best?.c ?? null;
  }

  private requireAdmin(actor: Actor, tenantId: string) {
    const actorTenant = actor.kind === 'staff' ? actor.user.tenantId : actor.kind === 'api_token' ? actor.token.tenantId : null;
    if (actor.kind === 'staff' || actor.kind === 'api_token') {
      if (actorTenant !== tenantId) throw new AppError('not_found', 404);
    }
    requireRoleOrScope(actor, 'tenant_admin', FEEDBACK_ADMIN_SCOPE);
  }

  private async load(q: Queryable, tenantId: string, id: string, lock = false): Promise<Category> {
    if (!isUuid(id)) throw new AppError('not_found', 404);
    const r = await q.query<Row>(
      `select ${COLUMNS} from feedback_categories where tenant_id = $1 and id = $2${lock ? ' for update' : ''}`,
      [tenantId, id],
    );
    if (!r.rows[0]) throw new AppError('not_found', 404);
    return categoryFromRow(r.rows[0]);
  }

  private async checkRefs(q: Queryable, tenantId: string, orgUnitId: string, serviceId: string | null) {
    const unit = isUuid(orgUnitId) ? await q.query('select 1 from org_units where tenant_id = $1 and id = $2', [tenantId, orgUnitId]) : null;
    if (!unit?.rows.length) throw new AppError('validation_failed', 400, { fields: { orgUnitId: 'not_found' } });
    if (serviceId) {
      const s = isUuid(serviceId) ? await q.query('select 1 from catalog_services where tenant_id = $1 and id = $2', [tenantId, serviceId]) : null;
      if (!s?.rows.length) throw new AppError('validation_failed', 400, { fields: { serviceId: 'not_found' } });
    }
  }
}

/** A category as validated input, or a stored one with a patch laid over it. */
type CategoryFields = z.output<typeof categoryInput>;

/** The stored columns code … sort_order, in the order both the insert and the update list them. */
function columnValues(c: CategoryFields): unknown[] {
  return [
    c.code,
    JSON.stringify(c.names),
    JSON.stringify(c.descriptions),
    JSON.stringify(c.groupNames),
    JSON.stringify(c.keywords),
    c.orgUnitId,
    c.serviceId ?? null,
    c.locationMode,
    c.allowPublic,
    c.accessibility,
    c.slaDays,
    JSON.stringify(c.attributes),
    c.active,
    c.sortOrder,
  ];
}

function checkRules(c: { names: Partial<Record<Lang, string | null>>; accessibility: boolean; slaDays: number; attributes: CategoryAttribute[] | { code: string; datatype: string; values: unknown[] }[] }) {
  if (!c.names.fi && !c.names.sv && !c.names.en) throw new AppError('validation_failed', 400, { fields: { names: 'required' } });
  if (c.accessibility && c.slaDays > ACCESSIBILITY_SLA_DAYS) {
    throw new AppError('validation_failed', 400, { fields: { slaDays: 'accessibility_max_14' } });
  }
  const codes = new Set<string>();
  c.attributes.forEach((a, i) => {
    if (codes.has(a.code)) throw new AppError('validation_failed', 400, { fields: { [`attributes.${i}.code`]: 'duplicate' } });
    codes.add(a.code);
    const isList = a.datatype === 'singlevaluelist' || a.datatype === 'multivaluelist';
    if (isList && a.values.length === 0) throw new AppError('validation_failed', 400, { fields: { [`attributes.${i}.values`]: 'required' } });
  });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
