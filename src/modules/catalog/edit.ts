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
import { channelFromRow, serviceFromRow, type Channel, type Classification, type LocalizedList, type Service } from './model.ts';
import { serviceDocument, unitDocument } from './search-documents.ts';

/**
 * Staff editing of the service catalog: local services and channels are edited in full;
 * for rows imported from the Finnish Service Catalogue (PTV, external_id set) PTV is the
 * master and the next import overwrites the imported fields, so only Aukio's own additions
 * are editable (a service's local keywords, a channel's link to a platform org unit).
 *
 * Every write runs in one transaction with its audit row, the routing index document and
 * the tenant's content version. Concurrent edits: the caller sends the `updatedAt` it
 * loaded; if the row changed since, the write is refused with 409 and nothing is saved.
 */

// ---------- validation ----------

const text = (max: number) => z.string().max(max, { message: 'too_long' });
const localized = (max: number) => z.strictObject({ fi: text(max).nullish(), sv: text(max).nullish(), en: text(max).nullish() }, { message: 'invalid_type' });
const localizedList = z.strictObject(
  {
    fi: z.array(text(100)).max(100, { message: 'too_many' }).optional(),
    sv: z.array(text(100)).max(100, { message: 'too_many' }).optional(),
    en: z.array(text(100)).max(100, { message: 'too_many' }).optional(),
  },
  { message: 'invalid_type' },
);
const classification = z.strictObject({ code: z.string().min(1).max(40), name: localized(200) });
const status = z.enum(['draft', 'published', 'archived'], { message: 'invalid_status' });
const langs = z.array(z.enum(LANGUAGES, { message: 'invalid_language' })).max(3);
const updatedAt = z.string({ message: 'required' }).min(1, { message: 'required' });

export const serviceInput = z.strictObject({
  type: z.enum(['Service', 'PermitOrObligation'], { message: 'invalid_type' }),
  status: status,
  names: localized(200),
  alternativeNames: localizedList.optional(),
  summary: localized(500).optional(),
  description: localized(10_000).optional(),
  userInstructions: localized(10_000).optional(),
  chargeType: z.enum(['Charged', 'Free', 'Other'], { message: 'invalid_type' }).nullish(),
  chargeDescription: localized(2_000).optional(),
  serviceClasses: z.array(classification).max(50).optional(),
  targetGroups: z.array(classification).max(50).optional(),
  keywords: localizedList.optional(),
  languages: langs.optional(),
  localKeywords: localizedList.optional(),
  /** Channels linked to the service, in order. */
  channelIds: z.array(z.string()).max(200).optional(),
});
export type ServiceInput = z.input<typeof serviceInput>;
/** PATCH: any subset of the fields, plus the updatedAt the editor loaded. */
export const servicePatch = serviceInput.partial().extend({ updatedAt });

const time = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, { message: 'invalid_time' });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'invalid_date' });
const weekday = z.enum(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'], { message: 'invalid_day' });
const serviceHours = z.strictObject({
  type: z.enum(['regular', 'exceptional']),
  validFrom: date.nullish(),
  validTo: date.nullish(),
  isClosed: z.boolean().default(false),
  hours: z.array(z.strictObject({ dayFrom: weekday, dayTo: weekday.nullish(), from: time, to: time })).max(50).default([]),
  info: localized(500).default({}),
});
export type ServiceHoursInput = z.input<typeof serviceHours>;

export const channelInput = z.strictObject({
  kind: z.enum(['service_location', 'phone', 'e_service', 'web_page', 'printable_form'], { message: 'invalid_kind' }),
  status: status,
  names: localized(200),
  summary: localized(500).optional(),
  description: localized(10_000).optional(),
  address: z
    .strictObject({
      street: localized(200),
      streetNumber: text(20).nullish(),
      postalCode: z.string().regex(/^\d{5}$/, { message: 'invalid_postal_code' }).nullish(),
      postOffice: localized(100),
    })
    .nullish(),
  latitude: z.number({ message: 'invalid_number' }).min(-90, { message: 'out_of_range' }).max(90, { message: 'out_of_range' }).nullish(),
  longitude: z.number({ message: 'invalid_number' }).min(-180, { message: 'out_of_range' }).max(180, { message: 'out_of_range' }).nullish(),
  phones: z
    .array(
      z.strictObject({
        number: z.string().regex(/^\+?[0-9 ()-]{3,30}$/, { message: 'invalid_phone' }),
        lang: z.enum(LANGUAGES).nullish(),
        chargeType: z.enum(['Charged', 'Free', 'Other']).nullish(),
        chargeDescription: text(500).nullish(),
      }),
    )
    .max(20)
    .optional(),
  email: z.email({ message: 'invalid_email' }).max(254).nullish().or(z.literal('')),
  urls: z
    .strictObject({
      fi: z.url({ protocol: /^https?$/, message: 'invalid_url' }).max(2000).nullish().or(z.literal('')),
      sv: z.url({ protocol: /^https?$/, message: 'invalid_url' }).max(2000).nullish().or(z.literal('')),
      en: z.url({ protocol: /^https?$/, message: 'invalid_url' }).max(2000).nullish().or(z.literal('')),
    })
    .optional(),
  serviceHours: z.array(serviceHours).max(100).optional(),
  languages: langs.optional(),
  orgUnitId: z.string().nullish(),
});
export type ChannelInput = z.input<typeof channelInput>;
export const channelPatch = channelInput.partial().extend({ updatedAt });

/** Fields of an imported service that Aukio owns; everything else belongs to PTV. */
const SERVICE_LOCAL_FIELDS = new Set(['localKeywords', 'updatedAt']);
const CHANNEL_LOCAL_FIELDS = new Set(['orgUnitId', 'updatedAt']);

// ---------- service ----------

export interface ServiceListQuery {
  q?: string;
  status?: string;
  source?: 'ptv' | 'local' | string;
  page?: number;
}

export interface ServiceListItem {
  id: string;
  externalId: string | null;
  type: Service['type'];
  status: Service['status'];
  names: Localized;
  updatedAt: string;
}

export interface ChannelListQuery extends ServiceListQuery {
  kind?: string;
}

export interface ChannelListItem {
  id: string;
  externalId: string | null;
  kind: Channel['kind'];
  status: Channel['status'];
  names: Localized;
  orgUnitId: string | null;
  updatedAt: string;
}

export const PAGE_SIZE = 50;

interface Deps {
  db: Db;
  audit: AuditService;
  searchIndex: SearchIndex;
  contentVersions: ContentVersions;
}

export class CatalogEditService {
  constructor(private deps: Deps) {}

  // ----- services -----

  async listServices(actor: Actor, tenantId: string, query: ServiceListQuery = {}): Promise<{ items: ServiceListItem[]; total: number; page: number; pageSize: number }> {
    requireCatalogEditor(actor, tenantId);
    const { where, params } = listFilter(tenantId, query);
    const page = Math.max(1, Math.floor(query.page ?? 1) || 1);
    const total = await this.deps.db.query<{ n: string }>(`select count(*) as n from catalog_services where ${where}`, params);
    const r = await this.deps.db.query(
      `select id, external_id, type, status, names, updated_at from catalog_services where ${where}
       order by coalesce(names->>'fi', names->>'sv', names->>'en') limit ${PAGE_SIZE} offset ${(page - 1) * PAGE_SIZE}`,
      params,
    );
    return {
      items: r.rows.map((x: any) => ({ id: x.id, externalId: x.external_id, type: x.type, status: x.status, names: x.names, updatedAt: iso(x.updated_at) })),
      total: Number(total.rows[0].n),
      page,
      pageSize: PAGE_SIZE,
    };
  }

  async getService(actor: Actor, tenantId: string, id: string): Promise<Service & { channelIds: string[] }> {
    requireCatalogEditor(actor, tenantId);
    const s = await this.loadService(this.deps.db, tenantId, id);
    return { ...s, channelIds: await this.serviceChannelIds(this.deps.db, tenantId, id) };
  }

  async createService(actor: Actor, tenantId: string, body: unknown, ctx: CommandContext = {}): Promise<Service> {
    const who = requireCatalogEditor(actor, tenantId);
    const input = parse(serviceInput, body);
    return this.deps.db.transaction(async (tx) => {
      const v = await normalizeService(tx, tenantId, input);
      const r = await tx.query(
        `insert into catalog_services (tenant_id, type, status, names, alternative_names, summary, description, user_instructions,
           charge_type, charge_description, service_classes, target_groups, keywords, languages, local_keywords, updated_by, updated_at)
         values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16, clock_timestamp()) returning *`,
        [tenantId, ...serviceValues(v), who.userId],
      );
      const service = serviceFromRow(r.rows[0]);
      if (input.channelIds) await this.linkChannels(tx, tenantId, service.id, input.channelIds);
      await this.afterServiceWrite(tx, tenantId, service, null);
      await this.deps.audit.record(tx, tenantId, actor, {
        action: 'catalog.service_created',
        targetKind: 'catalog_service',
        targetId: service.id,
        details: { status: service.status },
        ip: ctx.ip,
      });
      return service;
    });
  }

  /**
   * PATCH semantics: absent fields stay. For an imported service only localKeywords may
   * change; a different value for a PTV field is refused naming the field (422).
   */
  async updateService(actor: Actor, tenantId: string, id: string, body: unknown, ctx: CommandContext = {}): Promise<Service> {
    requireCatalogEditor(actor, tenantId);
    if (!isUuid(id)) throw new AppError('not_found', 404);
    const patch = parse(servicePatch, body);
    return this.deps.db.transaction(async (tx) => {
      const current = await this.loadService(tx, tenantId, id, true);
      checkFresh(current.updatedAt, patch.updatedAt);
      const currentChannels = await this.serviceChannelIds(tx, tenantId, id);
      if (current.externalId) {
        const refused: Record<string, string> = {};
        for (const [k, value] of Object.entries(patch)) {
          if (SERVICE_LOCAL_FIELDS.has(k) || value === undefined) continue;
          const cur: Record<string, unknown> = { ...(current as unknown as Record<string, unknown>), channelIds: currentChannels };
          if (!sameValue(mergePatch(cur, { [k]: value })[k], cur[k])) refused[k] = 'read_only_imported';
        }
        if (Object.keys(refused).length) throw new AppError('validation_failed', 422, { reason: 'imported_read_only', fields: refused });
      }
      const { updatedAt: _, ...fields } = patch;
      if (current.externalId) return this.updateImportedService(tx, actor, tenantId, current, cleanList(patch.localKeywords ?? current.localKeywords), ctx);
      const merged = parse(serviceInput, mergePatch({ ...serviceAsInput(current), channelIds: currentChannels }, fields));
      const v = await normalizeService(tx, tenantId, merged);
      const r = await tx.query(
        `update catalog_services set type = $2, status = $3, names = $4, alternative_names = $5, summary = $6, description = $7,
           user_instructions = $8, charge_type = $9, charge_description = $10, service_classes = $11, target_groups = $12,
           keywords = $13, languages = $14, local_keywords = $15, updated_by = $16, updated_at = clock_timestamp()
         where tenant_id = $1 and id = $17 returning *`,
        [tenantId, ...serviceValues(v), actorUserId(actor), id],
      );
      const service = serviceFromRow(r.rows[0]);
      const changed = changedFields(serviceAsInput(current), serviceAsInput(service));
      if (!current.externalId && patch.channelIds && !sameValue(patch.channelIds, currentChannels)) {
        await this.linkChannels(tx, tenantId, id, patch.channelIds);
        changed.push('channelIds');
      }
      await this.afterServiceWrite(tx, tenantId, service, current);
      await this.deps.audit.record(tx, tenantId, actor, {
        action: 'catalog.service_updated',
        targetKind: 'catalog_service',
        targetId: id,
        details: { fields: changed, imported: !!current.externalId },
        ip: ctx.ip,
      });
      return service;
    });
  }

  /** Service classes and target groups already used in the tenant's catalog: the choices for a local service. */
  async knownClassifications(tenantId: string): Promise<{ serviceClasses: Classification[]; targetGroups: Classification[] }> {
    const r = await this.deps.db.query<{ col: string; c: Classification }>(
      `select distinct on (col, c->>'code') col, c from (
         select 'serviceClasses' as col, jsonb_array_elements(service_classes) as c from catalog_services where tenant_id = $1
         union all
         select 'targetGroups', jsonb_array_elements(target_groups) from catalog_services where tenant_id = $1
       ) x order by col, c->>'code'`,
      [tenantId],
    );
    return {
      serviceClasses: r.rows.filter((x) => x.col === 'serviceClasses').map((x) => x.c),
      targetGroups: r.rows.filter((x) => x.col === 'targetGroups').map((x) => x.c),
    };
  }

  // ----- channels and units -----

  async listChannels(actor: Actor, tenantId: string, query: ChannelListQuery = {}): Promise<{ items: ChannelListItem[]; total: number; page: number; pageSize: number }> {
    requireCatalogEditor(actor, tenantId);
    const { where, params } = listFilter(tenantId, query);
    let w = where;
    if (query.kind && ['service_location', 'phone', 'e_service', 'web_page', 'printable_form'].includes(query.kind)) {
      params.push(query.kind);
      w += ` and kind = $${params.length}`;
    }
    const page = Math.max(1, Math.floor(query.page ?? 1) || 1);
    const total = await this.deps.db.query<{ n: string }>(`select count(*) as n from catalog_channels where ${w}`, params);
    const r = await this.deps.db.query(
      `select id, external_id, kind, status, names, org_unit_id, updated_at from catalog_channels where ${w}
       order by coalesce(names->>'fi', names->>'sv', names->>'en') limit ${PAGE_SIZE} offset ${(page - 1) * PAGE_SIZE}`,
      params,
    );
    return {
      items: r.rows.map((x: any) => ({
        id: x.id,
        externalId: x.external_id,
        kind: x.kind,
        status: x.status,
        names: x.names,
        orgUnitId: x.org_unit_id,
        updatedAt: iso(x.updated_at),
      })),
      total: Number(total.rows[0].n),
      page,
      pageSize: PAGE_SIZE,
    };
  }

  /** Every service's id and name (not archived): the choices for a promoted answer. */
  async serviceChoices(tenantId: string): Promise<{ id: string; names: Localized }[]> {
    const r = await this.deps.db.query(`select id, names from catalog_services where tenant_id = $1 and status <> 'archived' order by coalesce(names->>'fi', names->>'sv', names->>'en')`, [tenantId]);
    return r.rows.map((x: any) => ({ id: x.id, names: x.names }));
  }

  /** Every channel's id, kind and name: the choices when linking channels to a service. */
  async channelChoices(tenantId: string): Promise<{ id: string; kind: Channel['kind']; names: Localized }[]> {
    const r = await this.deps.db.query(`select id, kind, names from catalog_channels where tenant_id = $1 and status <> 'archived' order by kind, coalesce(names->>'fi', names->>'sv', names->>'en')`, [tenantId]);
    return r.rows.map((x: any) => ({ id: x.id, kind: x.kind, names: x.names }));
  }

  async getChannel(actor: Actor, tenantId: string, id: string): Promise<Channel & { serviceIds: string[] }> {
    requireCatalogEditor(actor, tenantId);
    const c = await this.loadChannel(this.deps.db, tenantId, id);
    const s = await this.deps.db.query<{ service_id: string }>(
      'select service_id from catalog_service_channels where tenant_id = $1 and channel_id = $2',
      [tenantId, id],
    );
    return { ...c, serviceIds: s.rows.map((x) => x.service_id) };
  }

  async createChannel(actor: Actor, tenantId: string, body: unknown, ctx: CommandContext = {}): Promise<Channel> {
    const who = requireCatalogEditor(actor, tenantId);
    const input = parse(channelInput, body);
    return this.deps.db.transaction(async (tx) => {
      const v = await normalizeChannel(tx, tenantId, input);
      const r = await tx.query(
        `insert into catalog_channels (tenant_id, kind, status, names, summary, description, address, latitude, longitude, phones,
           email, urls, service_hours, languages, org_unit_id, updated_by, updated_at)
         values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16, clock_timestamp()) returning *`,
        [tenantId, ...channelValues(v), who.userId],
      );
      const channel = channelFromRow(r.rows[0]);
      await this.afterChannelWrite(tx, tenantId, channel, null);
      await this.deps.audit.record(tx, tenantId, actor, {
        action: 'catalog.channel_created',
        targetKind: 'catalog_channel',
        targetId: channel.id,
        details: { kind: channel.kind, status: channel.status },
        ip: ctx.ip,
      });
      return channel;
    });
  }

  /** PATCH semantics; for an imported channel only orgUnitId may change. */
  async updateChannel(actor: Actor, tenantId: string, id: string, body: unknown, ctx: CommandContext = {}): Promise<Channel> {
    requireCatalogEditor(actor, tenantId);
    if (!isUuid(id)) throw new AppError('not_found', 404);
    const patch = parse(channelPatch, body);
    return this.deps.db.transaction(async (tx) => {
      const current = await this.loadChannel(tx, tenantId, id, true);
      checkFresh(current.updatedAt, patch.updatedAt);
      if (current.externalId) {
        const refused: Record<string, string> = {};
        for (const [k, value] of Object.entries(patch)) {
          if (CHANNEL_LOCAL_FIELDS.has(k) || value === undefined) continue;
          const cur = current as unknown as Record<string, unknown>;
          if (!sameValue(mergePatch(cur, { [k]: value })[k], cur[k])) refused[k] = 'read_only_imported';
        }
        if (Object.keys(refused).length) throw new AppError('validation_failed', 422, { reason: 'imported_read_only', fields: refused });
      }
      const { updatedAt: _, ...fields } = patch;
      if (current.externalId) return this.updateImportedChannel(tx, actor, tenantId, current, patch.orgUnitId === undefined ? current.orgUnitId : patch.orgUnitId || null, ctx);
      const merged = parse(channelInput, mergePatch(channelAsInput(current), fields));
      const v = await normalizeChannel(tx, tenantId, merged);
      const r = await tx.query(
        `update catalog_channels set kind = $2, status = $3, names = $4, summary = $5, description = $6, address = $7, latitude = $8,
           longitude = $9, phones = $10, email = $11, urls = $12, service_hours = $13, languages = $14, org_unit_id = $15,
           updated_by = $16, updated_at = clock_timestamp()
         where tenant_id = $1 and id = $17 returning *`,
        [tenantId, ...channelValues(v), actorUserId(actor), id],
      );
      const channel = channelFromRow(r.rows[0]);
      await this.afterChannelWrite(tx, tenantId, channel, current);
      await this.deps.audit.record(tx, tenantId, actor, {
        action: 'catalog.channel_updated',
        targetKind: 'catalog_channel',
        targetId: id,
        details: { fields: changedFields(channelAsInput(current), channelAsInput(channel)), imported: !!current.externalId },
        ip: ctx.ip,
      });
      return channel;
    });
  }

  /**
   * Imported rows: only Aukio's own column changes; the PTV fields are neither re-validated
   * nor rewritten (they are whatever PTV sent, and the next import replaces them anyway).
   */
  private async updateImportedService(tx: Queryable, actor: Actor, tenantId: string, current: Service, localKeywords: LocalizedList, ctx: CommandContext): Promise<Service> {
    const r = await tx.query(
      `update catalog_services set local_keywords = $3, updated_by = $4, updated_at = clock_timestamp() where tenant_id = $1 and id = $2 returning *`,
      [tenantId, current.id, JSON.stringify(localKeywords), actorUserId(actor)],
    );
    const service = serviceFromRow(r.rows[0]);
    await this.afterServiceWrite(tx, tenantId, service, current);
    await this.deps.audit.record(tx, tenantId, actor, {
      action: 'catalog.service_updated',
      targetKind: 'catalog_service',
      targetId: current.id,
      details: { fields: sameValue(localKeywords, current.localKeywords) ? [] : ['localKeywords'], imported: true },
      ip: ctx.ip,
    });
    return service;
  }

  private async updateImportedChannel(tx: Queryable, actor: Actor, tenantId: string, current: Channel, orgUnitId: string | null, ctx: CommandContext): Promise<Channel> {
    if (orgUnitId) {
      const u = isUuid(orgUnitId) ? await tx.query('select 1 from org_units where tenant_id = $1 and id = $2', [tenantId, orgUnitId]) : { rows: [] };
      if (!u.rows.length) throw new AppError('validation_failed', 400, { fields: { orgUnitId: 'unknown_org_unit' } });
    }
    const r = await tx.query(
      `update catalog_channels set org_unit_id = $3, updated_by = $4, updated_at = clock_timestamp() where tenant_id = $1 and id = $2 returning *`,
      [tenantId, current.id, orgUnitId, actorUserId(actor)],
    );
    const channel = channelFromRow(r.rows[0]);
    // The org-unit link is not shown to residents; the index and content version stay.
    await this.deps.audit.record(tx, tenantId, actor, {
      action: 'catalog.channel_updated',
      targetKind: 'catalog_channel',
      targetId: current.id,
      details: { fields: orgUnitId === current.orgUnitId ? [] : ['orgUnitId'], imported: true },
      ip: ctx.ip,
    });
    return channel;
  }

  // ----- internals -----

  private async afterServiceWrite(tx: Queryable, tenantId: string, s: Service, before: Service | null) {
    if (s.status === 'published') await this.deps.searchIndex.put(tx, tenantId, serviceDocument(s));
    else await this.deps.searchIndex.remove(tx, tenantId, 'service', s.id);
    // A draft that stays a draft is invisible to residents; anything else may show.
    if (s.status === 'published' || before?.status === 'published') await this.deps.contentVersions.bump(tx, tenantId);
  }

  private async afterChannelWrite(tx: Queryable, tenantId: string, c: Channel, before: Channel | null) {
    if (c.kind === 'service_location' && c.status === 'published') await this.deps.searchIndex.put(tx, tenantId, unitDocument(c));
    else await this.deps.searchIndex.remove(tx, tenantId, 'unit', c.id);
    if (c.status === 'published' || before?.status === 'published') await this.deps.contentVersions.bump(tx, tenantId);
  }

  private async linkChannels(tx: Queryable, tenantId: string, serviceId: string, ids: string[]) {
    const unique = [...new Set(ids)];
    const bad = unique.filter((x) => !isUuid(x));
    const found = bad.length
      ? []
      : (await tx.query<{ id: string }>('select id from catalog_channels where tenant_id = $1 and id = any($2::uuid[])', [tenantId, unique])).rows.map((r) => r.id);
    if (bad.length || found.length !== unique.length) throw new AppError('validation_failed', 400, { fields: { channelIds: 'unknown_channel' } });
    await tx.query('delete from catalog_service_channels where tenant_id = $1 and service_id = $2', [tenantId, serviceId]);
    for (const [i, channelId] of unique.entries()) {
      await tx.query('insert into catalog_service_channels (tenant_id, service_id, channel_id, position) values ($1,$2,$3,$4)', [tenantId, serviceId, channelId, i]);
    }
  }

  private async serviceChannelIds(q: Queryable, tenantId: string, serviceId: string): Promise<string[]> {
    const r = await q.query<{ channel_id: string }>(
      'select channel_id from catalog_service_channels where tenant_id = $1 and service_id = $2 order by position, channel_id',
      [tenantId, serviceId],
    );
    return r.rows.map((x) => x.channel_id);
  }

  private async loadService(q: Queryable, tenantId: string, id: string, lock = false): Promise<Service> {
    if (!isUuid(id)) throw new AppError('not_found', 404);
    const r = await q.query(`select * from catalog_services where tenant_id = $1 and id = $2${lock ? ' for update' : ''}`, [tenantId, id]);
    if (!r.rows[0]) throw new AppError('not_found', 404);
    return serviceFromRow(r.rows[0]);
  }

  private async loadChannel(q: Queryable, tenantId: string, id: string, lock = false): Promise<Channel> {
    if (!isUuid(id)) throw new AppError('not_found', 404);
    const r = await q.query(`select * from catalog_channels where tenant_id = $1 and id = $2${lock ? ' for update' : ''}`, [tenantId, id]);
    if (!r.rows[0]) throw new AppError('not_found', 404);
    return channelFromRow(r.rows[0]);
  }
}

// ---------- helpers ----------

function iso(v: unknown): string {
  return new Date(v as string).toISOString();
}

function actorUserId(actor: Actor): string | null {
  return actor.kind === 'staff' ? actor.user.id : null;
}

/** The row's updated_at (ms precision, as every reader gets it) must be what the editor loaded. */
export function checkFresh(current: string, loaded: string) {
  if (new Date(loaded).getTime() !== new Date(current).getTime()) {
    throw new AppError('conflict', 409, { reason: 'stale', updatedAt: current });
  }
}

/**
 * PATCH merge: absent fields stay; a localized object ({fi, sv, en}) is merged per
 * language, so sending {names: {sv: "…"}} changes only the Swedish name (null or ""
 * removes a language). Other values replace.
 */
export function mergePatch(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    const cur = current[k];
    out[k] = isLangObject(v) && isLangObject(cur) ? { ...cur, ...v } : v;
  }
  return out;
}

function isLangObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).every((k) => (LANGUAGES as readonly string[]).includes(k));
}

/** Equal after dropping empty strings, empty lists and nulls — what a form cannot tell apart. */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (v === '' || v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return v.length ? v.map(canonical) : undefined;
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const c = canonical((v as Record<string, unknown>)[k]);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}

function changedFields(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return Object.keys(b).filter((k) => !sameValue(a[k], b[k]));
}

function listFilter(tenantId: string, query: ServiceListQuery) {
  const params: unknown[] = [tenantId];
  let where = 'tenant_id = $1';
  const q = query.q?.trim();
  if (q) {
    params.push(`%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    where += ` and (names->>'fi' ilike $${params.length} or names->>'sv' ilike $${params.length} or names->>'en' ilike $${params.length} or external_id ilike $${params.length})`;
  }
  if (query.status && ['draft', 'published', 'archived'].includes(query.status)) {
    params.push(query.status);
    where += ` and status = $${params.length}`;
  }
  if (query.source === 'ptv') where += ' and external_id is not null';
  if (query.source === 'local') where += ' and external_id is null';
  return { where, params };
}

async function tenantLanguages(q: Queryable, tenantId: string): Promise<{ def: Lang; languages: Lang[] }> {
  const t = await q.query<{ default_language: Lang; languages: Lang[] }>('select default_language, languages from tenants where id = $1', [tenantId]);
  return { def: t.rows[0].default_language, languages: t.rows[0].languages };
}

/** Trimmed, empty languages dropped. */
export function cleanLocalized(v: { [L in Lang]?: string | null } | undefined | null): Localized {
  const out: Localized = {};
  for (const l of LANGUAGES) {
    const t = v?.[l]?.trim();
    if (t) out[l] = t;
  }
  return out;
}

/** Trimmed, de-duplicated (case-insensitively), empty entries and languages dropped. */
export function cleanList(v: LocalizedList | undefined | null): LocalizedList {
  const out: LocalizedList = {};
  for (const l of LANGUAGES) {
    const seen = new Set<string>();
    const list = (v?.[l] ?? []).map((x) => x.trim()).filter((x) => x && !seen.has(x.toLowerCase()) && seen.add(x.toLowerCase()));
    if (list.length) out[l] = list;
  }
  return out;
}

type ServiceValues = ReturnType<typeof cleanServiceShape>;

function cleanServiceShape(input: z.output<typeof serviceInput>) {
  return {
    type: input.type,
    status: input.status,
    names: cleanLocalized(input.names),
    alternativeNames: cleanList(input.alternativeNames),
    summary: cleanLocalized(input.summary),
    description: cleanLocalized(input.description),
    userInstructions: cleanLocalized(input.userInstructions),
    chargeType: input.chargeType ?? null,
    chargeDescription: cleanLocalized(input.chargeDescription),
    serviceClasses: (input.serviceClasses ?? []).map((c) => ({ code: c.code.trim(), name: cleanLocalized(c.name) })),
    targetGroups: (input.targetGroups ?? []).map((c) => ({ code: c.code.trim(), name: cleanLocalized(c.name) })),
    keywords: cleanList(input.keywords),
    languages: [...new Set(input.languages ?? [])],
    localKeywords: cleanList(input.localKeywords),
  };
}

/** A published service needs a name in the tenant's default language. */
async function normalizeService(q: Queryable, tenantId: string, input: z.output<typeof serviceInput>): Promise<ServiceValues> {
  const v = cleanServiceShape(input);
  const { def } = await tenantLanguages(q, tenantId);
  if (!v.names[def]) throw new AppError('validation_failed', 400, { fields: { [`names.${def}`]: 'required' } });
  return v;
}

function serviceValues(v: ServiceValues): unknown[] {
  return [
    v.type,
    v.status,
    JSON.stringify(v.names),
    JSON.stringify(v.alternativeNames),
    JSON.stringify(v.summary),
    JSON.stringify(v.description),
    JSON.stringify(v.userInstructions),
    v.chargeType,
    JSON.stringify(v.chargeDescription),
    JSON.stringify(v.serviceClasses),
    JSON.stringify(v.targetGroups),
    JSON.stringify(v.keywords),
    v.languages,
    JSON.stringify(v.localKeywords),
  ];
}

/** A stored service as the input shape (for merging a PATCH and comparing). */
function serviceAsInput(s: Service): Record<string, unknown> {
  return {
    type: s.type,
    status: s.status,
    names: s.names,
    alternativeNames: s.alternativeNames,
    summary: s.summary,
    description: s.description,
    userInstructions: s.userInstructions,
    chargeType: s.chargeType,
    chargeDescription: s.chargeDescription,
    serviceClasses: s.serviceClasses,
    targetGroups: s.targetGroups,
    keywords: s.keywords,
    languages: s.languages,
    localKeywords: s.localKeywords,
  };
}

type ChannelValues = Awaited<ReturnType<typeof normalizeChannel>>;

async function normalizeChannel(q: Queryable, tenantId: string, input: z.output<typeof channelInput>) {
  const { def } = await tenantLanguages(q, tenantId);
  const fields: Record<string, string> = {};
  const names = cleanLocalized(input.names);
  if (!names[def]) fields[`names.${def}`] = 'required';
  const address = input.address
    ? {
        street: cleanLocalized(input.address.street),
        streetNumber: input.address.streetNumber?.trim() || null,
        postalCode: input.address.postalCode?.trim() || null,
        postOffice: cleanLocalized(input.address.postOffice),
      }
    : null;
  const hasAddress = address && (Object.keys(address.street).length || address.postalCode || Object.keys(address.postOffice).length);
  if (input.kind === 'service_location' && hasAddress && !address!.street[def]) fields[`address.street.${def}`] = 'required';
  const lat = input.latitude ?? null;
  const lon = input.longitude ?? null;
  if ((lat === null) !== (lon === null)) fields[lat === null ? 'latitude' : 'longitude'] = 'required';
  const hours = (input.serviceHours ?? []).map((h, i) => {
    for (const [j, row] of h.hours.entries()) if (row.from >= row.to) fields[`serviceHours.${i}.hours.${j}.to`] = 'end_before_start';
    if (h.type === 'exceptional' && !h.validFrom) fields[`serviceHours.${i}.validFrom`] = 'required';
    if (h.validFrom && h.validTo && h.validTo < h.validFrom) fields[`serviceHours.${i}.validTo`] = 'end_before_start';
    if (h.type === 'exceptional' && !h.isClosed && h.hours.length === 0) fields[`serviceHours.${i}.hours`] = 'required';
    return {
      type: h.type,
      validFrom: h.validFrom ?? null,
      validTo: h.validTo ?? null,
      isClosed: h.isClosed,
      hours: h.isClosed ? [] : h.hours.map((x) => ({ dayFrom: x.dayFrom, dayTo: x.dayTo ?? null, from: x.from, to: x.to })),
      info: cleanLocalized(h.info),
    };
  });
  let orgUnitId: string | null = input.orgUnitId || null;
  if (orgUnitId) {
    const u = isUuid(orgUnitId) ? await q.query('select 1 from org_units where tenant_id = $1 and id = $2', [tenantId, orgUnitId]) : { rows: [] };
    if (!u.rows.length) fields.orgUnitId = 'unknown_org_unit';
  }
  if (Object.keys(fields).length) throw new AppError('validation_failed', 400, { fields });
  const urls: Localized = {};
  for (const l of LANGUAGES) if (input.urls?.[l]) urls[l] = input.urls[l]!;
  return {
    kind: input.kind,
    status: input.status,
    names,
    summary: cleanLocalized(input.summary),
    description: cleanLocalized(input.description),
    address: hasAddress ? address : null,
    latitude: lat,
    longitude: lon,
    phones: (input.phones ?? []).map((p) => ({ number: p.number.trim(), lang: p.lang ?? null, chargeType: p.chargeType ?? null, chargeDescription: p.chargeDescription?.trim() || null })),
    email: input.email?.trim() || null,
    urls,
    serviceHours: hours,
    languages: [...new Set(input.languages ?? [])],
    orgUnitId,
  };
}

function channelValues(v: ChannelValues): unknown[] {
  return [
    v.kind,
    v.status,
    JSON.stringify(v.names),
    JSON.stringify(v.summary),
    JSON.stringify(v.description),
    v.address ? JSON.stringify(v.address) : null,
    v.latitude,
    v.longitude,
    JSON.stringify(v.phones),
    v.email,
    JSON.stringify(v.urls),
    JSON.stringify(v.serviceHours),
    v.languages,
    v.orgUnitId,
  ];
}

function channelAsInput(c: Channel): Record<string, unknown> {
  return {
    kind: c.kind,
    status: c.status,
    names: c.names,
    summary: c.summary,
    description: c.description,
    address: c.address,
    latitude: c.latitude,
    longitude: c.longitude,
    phones: c.phones,
    email: c.email,
    urls: c.urls,
    serviceHours: c.serviceHours,
    languages: c.languages,
    orgUnitId: c.orgUnitId,
  };
}
