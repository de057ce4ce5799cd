import { z } from 'zod';
import type { AuditService } from '../audit/audit.ts';
import type { Actor } from '../identity/actor.ts';
import { requireAdmin } from '../identity/admin-access.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { LANGUAGES, type Lang, type Localized } from '../../platform/i18n.ts';
import { parse } from '../../platform/validation.ts';

export const ORG_UNIT_KINDS = ['department', 'service_point', 'daycare', 'other'] as const;
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number];

/** Scope an integration token needs to administer the org-unit tree. */
export const ORG_UNITS_SCOPE = 'admin:org-units';

export interface OrgUnit {
  id: string;
  parentId: string | null;
  kind: OrgUnitKind;
  names: Localized;
  createdAt: string;
}

export interface OrgUnitNode extends OrgUnit {
  depth: number;
  children: OrgUnitNode[];
}

/** A unit in depth-first order with its depth: what an indented <select> or list needs. */
export interface OrgUnitRow extends OrgUnit {
  depth: number;
}

const namesSchema = z.object({ fi: z.string().nullish(), sv: z.string().nullish(), en: z.string().nullish() }, { message: 'invalid_type' });
const kindSchema = z.enum(ORG_UNIT_KINDS, { message: 'invalid_kind' });

export const createOrgUnitSchema = z.object({
  parentId: z.string().nullish(),
  kind: kindSchema,
  names: namesSchema,
});
export type OrgUnitInput = z.input<typeof createOrgUnitSchema>;

export const updateOrgUnitSchema = z.object({
  kind: kindSchema.optional(),
  names: namesSchema.optional(),
  /** Moving: the new parent, or null for the top level. Absent leaves it where it is. */
  parentId: z.string().nullable().optional(),
});
export type OrgUnitPatch = z.input<typeof updateOrgUnitSchema>;

export interface CommandContext {
  ip?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

interface Row {
  id: string;
  parent_id: string | null;
  kind: OrgUnitKind;
  names: Localized;
  created_at: string;
}

const toUnit = (r: Row): OrgUnit => ({ id: r.id, parentId: r.parent_id, kind: r.kind, names: r.names, createdAt: r.created_at });
const COLUMNS = `id, parent_id, kind, names, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at`;

/**
 * The org-unit tree of a tenant (departments, service points, daycare units…). Role grants
 * can be scoped to a unit and then cover its whole subtree, which is why `ancestors` exists:
 * access checks ask "is the granted unit this unit or one of its ancestors?".
 */
export class OrgUnitService {
  constructor(
    private db: Db,
    private audit: AuditService,
  ) {}

  /** Units in depth-first order, siblings sorted by name in lang. No authorization: names of units are not secret. */
  async rows(tenantId: string, lang: Lang = 'fi', q: Queryable = this.db): Promise<OrgUnitRow[]> {
    return flatten(await this.tree(tenantId, lang, q));
  }

  async tree(tenantId: string, lang: Lang = 'fi', q: Queryable = this.db): Promise<OrgUnitNode[]> {
    const r = await q.query<Row>(`select ${COLUMNS} from org_units where tenant_id = $1`, [tenantId]);
    const nodes = new Map<string, OrgUnitNode>(r.rows.map((row) => [row.id, { ...toUnit(row), depth: 0, children: [] }]));
    const roots: OrgUnitNode[] = [];
    for (const n of nodes.values()) {
      const parent = n.parentId ? nodes.get(n.parentId) : undefined;
      (parent ? parent.children : roots).push(n);
    }
    const collator = new Intl.Collator(lang);
    const label = (n: OrgUnitNode) => n.names[lang] || LANGUAGES.map((l) => n.names[l]).find(Boolean) || '';
    const visit = (list: OrgUnitNode[], depth: number) => {
      list.sort((a, b) => collator.compare(label(a), label(b)));
      for (const n of list) {
        n.depth = depth;
        visit(n.children, depth + 1);
      }
    };
    visit(roots, 0);
    return roots;
  }

  /** The tree for an administrator (the API's and console's list). */
  async list(actor: Actor, tenantId: string, lang: Lang = 'fi'): Promise<OrgUnitNode[]> {
    requireAdmin(actor, tenantId, ORG_UNITS_SCOPE);
    return this.tree(tenantId, lang);
  }

  /** One unit; a malformed id, a missing unit and another tenant's unit are the same 404. */
  async get(actor: Actor, tenantId: string, id: string): Promise<OrgUnit> {
    requireAdmin(actor, tenantId, ORG_UNITS_SCOPE);
    return this.load(this.db, tenantId, id);
  }

  /**
   * Names of the given units of the tenant, for showing a staff member's own grants; no
   * admin right needed, unknown ids are left out.
   */
  async names(tenantId: string, ids: string[]): Promise<Map<string, Localized>> {
    const wanted = ids.filter(isUuid);
    if (wanted.length === 0) return new Map();
    const r = await this.db.query<{ id: string; names: Localized }>(
      'select id, names from org_units where tenant_id = $1 and id = any($2::uuid[])',
      [tenantId, wanted],
    );
    return new Map(r.rows.map((u) => [u.id, u.names]));
  }

  /** The unit itself and all its ancestors, nearest first; [] for an unknown unit. */
  async ancestors(tenantId: string, unitId: string, q: Queryable = this.db): Promise<string[]> {
    if (!isUuid(unitId)) return [];
    // The depth bound stops the walk even if a cycle ever got into the data.
    const r = await q.query<{ id: string }>(
      `with recursive up(id, parent_id, depth) as (
         select id, parent_id, 0 from org_units where tenant_id = $1 and id = $2
         union all
         select o.id, o.parent_id, up.depth + 1 from org_units o join up on o.id = up.parent_id
         where o.tenant_id = $1 and up.depth < 100
       ) select id from up order by depth`,
      [tenantId, unitId],
    );
    return r.rows.map((x) => x.id);
  }

  async create(actor: Actor, tenantId: string, body: unknown, ctx: CommandContext = {}): Promise<OrgUnit> {
    requireAdmin(actor, tenantId, ORG_UNITS_SCOPE);
    const input = parse(createOrgUnitSchema, body);
    const parentId = input.parentId || null;
    return this.db.transaction(async (tx) => {
      await lockTree(tx, tenantId);
      const names = await checkNames(tx, tenantId, input.names);
      if (parentId !== null) await this.loadOr(tx, tenantId, parentId, 'parentId');
      const r = await tx.query<Row>(
        `insert into org_units (tenant_id, parent_id, kind, names) values ($1,$2,$3,$4) returning ${COLUMNS}`,
        [tenantId, parentId, input.kind, JSON.stringify(names)],
      );
      const unit = toUnit(r.rows[0]);
      await this.audit.record(tx, tenantId, actor, {
        action: 'admin.org_unit_created',
        targetKind: 'org_unit',
        targetId: unit.id,
        details: { parentId: unit.parentId, kind: unit.kind },
        ip: ctx.ip,
      });
      return unit;
    });
  }

  /** Renames, changes the kind and/or moves a unit. A move under itself or its own subtree is refused (409). */
  async update(actor: Actor, tenantId: string, id: string, body: unknown, ctx: CommandContext = {}): Promise<OrgUnit> {
    requireAdmin(actor, tenantId, ORG_UNITS_SCOPE);
    if (!isUuid(id)) throw new AppError('not_found', 404);
    const patch = parse(updateOrgUnitSchema, body);
    return this.db.transaction(async (tx) => {
      await lockTree(tx, tenantId);
      const current = await this.load(tx, tenantId, id);
      // PATCH semantics per language: a given name replaces, null or "" removes, an absent one stays.
      const names = patch.names !== undefined ? await checkNames(tx, tenantId, { ...current.names, ...patch.names }) : current.names;
      const kind = patch.kind ?? current.kind;
      const parentId = patch.parentId !== undefined ? patch.parentId || null : current.parentId;
      if (parentId !== current.parentId && parentId !== null) {
        await this.loadOr(tx, tenantId, parentId, 'parentId');
        // The tree lock above makes this check and the update one step for concurrent moves.
        if ((await this.ancestors(tenantId, parentId, tx)).includes(id)) {
          throw new AppError('conflict', 409, { reason: 'cycle', fields: { parentId: 'cycle' } });
        }
      }
      const r = await tx.query<Row>(
        `update org_units set names = $3, kind = $4, parent_id = $5 where tenant_id = $1 and id = $2 returning ${COLUMNS}`,
        [tenantId, id, JSON.stringify(names), kind, parentId],
      );
      const unit = toUnit(r.rows[0]);
      const changed: string[] = [];
      if (JSON.stringify(names) !== JSON.stringify(current.names)) changed.push('names');
      if (kind !== current.kind) changed.push('kind');
      if (parentId !== current.parentId) changed.push('parentId');
      if (changed.length) {
        await this.audit.record(tx, tenantId, actor, {
          action: changed.includes('parentId') ? 'admin.org_unit_moved' : 'admin.org_unit_updated',
          targetKind: 'org_unit',
          targetId: id,
          details: { fields: changed, ...(changed.includes('parentId') ? { from: current.parentId, to: parentId } : {}) },
          ip: ctx.ip,
        });
      }
      return unit;
    });
  }

  /** Deletes a leaf unit nobody holds a role in; anything else is a 409 saying why. */
  async delete(actor: Actor, tenantId: string, id: string, ctx: CommandContext = {}): Promise<void> {
    requireAdmin(actor, tenantId, ORG_UNITS_SCOPE);
    await this.db.transaction(async (tx) => {
      await lockTree(tx, tenantId);
      const unit = await this.load(tx, tenantId, id);
      const children = await tx.query('select 1 from org_units where tenant_id = $1 and parent_id = $2 limit 1', [tenantId, id]);
      if (children.rows.length) throw new AppError('conflict', 409, { reason: 'has_children' });
      // role_grants cascades on delete, so without this check a delete would silently take people's access away.
      const grants = await tx.query('select 1 from role_grants where tenant_id = $1 and org_unit_id = $2 limit 1', [tenantId, id]);
      if (grants.rows.length) throw new AppError('conflict', 409, { reason: 'has_role_grants' });
      try {
        await tx.query('delete from org_units where tenant_id = $1 and id = $2', [tenantId, id]);
      } catch (e) {
        // Another module's rows may point here with ON DELETE RESTRICT.
        if ((e as { code?: string }).code === '23503') throw new AppError('conflict', 409, { reason: 'in_use' });
        throw e;
      }
      await this.audit.record(tx, tenantId, actor, {
        action: 'admin.org_unit_deleted',
        targetKind: 'org_unit',
        targetId: id,
        details: { parentId: unit.parentId, kind: unit.kind, names: unit.names },
        ip: ctx.ip,
      });
    });
  }

  private async load(q: Queryable, tenantId: string, id: string): Promise<OrgUnit> {
    if (!isUuid(id)) throw new AppError('not_found', 404);
    const r = await q.query<Row>(`select ${COLUMNS} from org_units where tenant_id = $1 and id = $2`, [tenantId, id]);
    if (!r.rows[0]) throw new AppError('not_found', 404);
    return toUnit(r.rows[0]);
  }

  /** A unit referenced from a field (e.g. parentId): unknown is a field error, not a 404 of the whole request. */
  private async loadOr(q: Queryable, tenantId: string, id: string, field: string): Promise<OrgUnit> {
    try {
      return await this.load(q, tenantId, id);
    } catch (e) {
      if (e instanceof AppError && e.status === 404) throw new AppError('validation_failed', 400, { fields: { [field]: 'unknown_org_unit' } });
      throw e;
    }
  }
}

function flatten(nodes: OrgUnitNode[], out: OrgUnitRow[] = []): OrgUnitRow[] {
  for (const n of nodes) {
    const { children, ...row } = n;
    out.push(row);
    flatten(children, out);
  }
  return out;
}

/** Serializes tree changes per tenant, so two concurrent moves cannot build a cycle together. */
async function lockTree(tx: Queryable, tenantId: string) {
  await tx.query(`select pg_advisory_xact_lock(hashtext('org_units:' || $1::text))`, [tenantId]);
}

/** Trims names, drops empty ones and requires one in the tenant's default language. */
async function checkNames(q: Queryable, tenantId: string, input: { [L in Lang]?: string | null }): Promise<Localized> {
  const t = await q.query<{ default_language: Lang; languages: Lang[] }>('select default_language, languages from tenants where id = $1', [tenantId]);
  const { default_language: def } = t.rows[0];
  const names: Localized = {};
  const fields: Record<string, string> = {};
  for (const l of LANGUAGES) {
    const v = input[l]?.trim();
    if (!v) continue;
    if (v.length > 200) fields[`names.${l}`] = 'too_long';
    names[l] = v;
  }
  if (!names[def]) fields[`names.${def}`] = 'required';
  if (Object.keys(fields).length) throw new AppError('validation_failed', 400, { fields });
  return names;
}
