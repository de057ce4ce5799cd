import type { Db, Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditService } from '../audit/audit.ts';
import type { Actor } from '../identity/actor.ts';
import type { SearchIndex } from '../routing/search-index.ts';
import type { ContentVersions } from './content-version.ts';
import { channelFromRow, serviceFromRow } from './model.ts';
import {
  contentHash,
  mapPtvDocument,
  validatePtvDocument,
  type ImportIssue,
  type MappedChannel,
  type MappedOrganization,
  type MappedService,
} from './ptv-schema.ts';
import { serviceDocument, unitDocument } from './search-documents.ts';

/**
 * PTV → catalog import. The whole document is validated and mapped first; then one
 * transaction upserts organizations, channels, services and their links, keyed by the PTV id
 * (external_id, unique per tenant). An item whose imported fields hash the same as last time
 * is `unchanged` and not written at all. Local additions (local_keywords, org_unit_id) are
 * never touched. Items of earlier imports that the document no longer has are reported as
 * `missing` and left as they are (a PTV export can be partial; deleting is a staff decision).
 */

export type ImportSource = 'upload' | 'api' | 'sync';

export interface KindCounts {
  created: number;
  updated: number;
  unchanged: number;
  missing: number;
  /** PTV ids of earlier imported items the document did not contain (at most 100 listed). */
  missingIds: string[];
}

export interface ImportReport {
  runId: string;
  status: 'succeeded' | 'failed';
  source: ImportSource;
  /** Totals over services and channels (what residents see). */
  created: number;
  updated: number;
  unchanged: number;
  missing: number;
  services: KindCounts;
  channels: KindCounts;
  organizations: Omit<KindCounts, 'missing' | 'missingIds'>;
  errors: ImportIssue[];
  /** Total number of errors found (errors lists at most 100). */
  errorCount: number;
  warnings: ImportIssue[];
  /** The document's own `source` line, if any. */
  documentSource: string | null;
  durationMs: number;
}

export interface ImportDeps {
  db: Db;
  audit: AuditService;
  searchIndex: SearchIndex;
  contentVersions: ContentVersions;
}

export interface ImportOptions {
  source: ImportSource;
  actor: Actor;
}

const emptyCounts = (): KindCounts => ({ created: 0, updated: 0, unchanged: 0, missing: 0, missingIds: [] });

function actorColumns(actor: Actor): { id: string | null; kind: string; label: string | null } {
  switch (actor.kind) {
    case 'staff':
      return { id: actor.user.id, kind: 'staff', label: actor.user.name };
    case 'api_token':
      return { id: actor.token.id, kind: 'api_token', label: actor.token.name };
    case 'system':
      return { id: null, kind: 'system', label: actor.label };
    default:
      return { id: null, kind: actor.kind, label: null };
  }
}

/**
 * Imports a PTV document into the tenant's catalog and returns the report. An invalid
 * document changes nothing, records a failed run and throws AppError `invalid_catalog` (422)
 * whose details carry `errors: [{path, message}]` and `runId`.
 */
export async function importPtvCatalog(deps: ImportDeps, tenantId: string, document: unknown, opts: ImportOptions): Promise<ImportReport> {
  const started = Date.now();
  const validation = validatePtvDocument(document);
  if (!validation.ok) {
    const runId = await recordFailedImport(deps, tenantId, opts, validation.errors, validation.errorCount, started);
    throw new AppError('invalid_catalog', 422, { errors: validation.errors, errorCount: validation.errorCount, runId });
  }
  const mapped = mapPtvDocument(validation.document);
  try {
    return await deps.db.transaction(async (tx) => {
      // One import per tenant at a time: two concurrent inserts of one PTV id would collide.
      await tx.query(`select pg_advisory_xact_lock(hashtext('catalog-import:' || $1))`, [tenantId]);
      const report: ImportReport = {
        runId: '',
        status: 'succeeded',
        source: opts.source,
        created: 0,
        updated: 0,
        unchanged: 0,
        missing: 0,
        services: emptyCounts(),
        channels: emptyCounts(),
        organizations: { created: 0, updated: 0, unchanged: 0 },
        errors: [],
        errorCount: 0,
        warnings: validation.warnings,
        documentSource: validation.document.source ?? null,
        durationMs: 0,
      };
      const by = opts.actor.kind === 'staff' ? opts.actor.user.id : null;
      const orgIds = await upsertOrganizations(tx, tenantId, mapped.organizations, report);
      const channelIds = await upsertChannels(deps, tx, tenantId, mapped.channels, orgIds, by, report);
      await upsertServices(deps, tx, tenantId, mapped.services, orgIds, channelIds, by, report);
      for (const kind of ['services', 'channels'] as const) {
        const table = kind === 'services' ? 'catalog_services' : 'catalog_channels';
        const present = new Set((kind === 'services' ? mapped.services : mapped.channels).map((x) => x.externalId));
        // Compared here rather than with "<> all($2)" in SQL, which is quadratic in the catalog's size.
        const r = await tx.query<{ external_id: string }>(
          `select external_id from ${table} where tenant_id = $1 and external_id is not null order by external_id`,
          [tenantId],
        );
        const missing = r.rows.map((x) => x.external_id).filter((id) => !present.has(id));
        report[kind].missing = missing.length;
        report[kind].missingIds = missing.slice(0, 100);
      }
      for (const k of ['created', 'updated', 'unchanged', 'missing'] as const) report[k] = report.services[k] + report.channels[k];
      const changed = report.created + report.updated + report.organizations.created + report.organizations.updated > 0;
      if (changed) await deps.contentVersions.bump(tx, tenantId);
      report.durationMs = Date.now() - started;
      const actor = actorColumns(opts.actor);
      const run = await tx.query<{ id: string }>(
        `insert into catalog_import_runs (tenant_id, source, status, finished_at, actor_id, actor_kind, actor_label, report)
         values ($1, $2, 'succeeded', now(), $3, $4, $5, $6) returning id`,
        [tenantId, opts.source, actor.id, actor.kind, actor.label, JSON.stringify(runReport(report))],
      );
      report.runId = run.rows[0].id;
      await deps.audit.record(tx, tenantId, opts.actor, {
        action: 'catalog.imported',
        targetKind: 'catalog_import_run',
        targetId: report.runId,
        details: { source: opts.source, created: report.created, updated: report.updated, unchanged: report.unchanged, missing: report.missing },
      });
      return report;
    });
  } catch (e) {
    // The transaction rolled back; the run is still on record as failed.
    const message = e instanceof AppError ? e.code : 'the import failed unexpectedly and nothing was imported';
    await recordFailedImport(deps, tenantId, opts, [{ path: '(document)', message }], 1, started).catch(() => undefined);
    throw e;
  }
}

/** What the run row keeps: the report without its own id. */
function runReport(r: ImportReport) {
  const { runId: _runId, ...rest } = r;
  return rest;
}

/** A run that imported nothing: written on its own, since the import's transaction (if any) rolled back. */
export async function recordFailedImport(
  deps: Pick<ImportDeps, 'db' | 'audit'>,
  tenantId: string,
  opts: ImportOptions,
  errors: ImportIssue[],
  errorCount: number,
  started = Date.now(),
) {
  const actor = actorColumns(opts.actor);
  return deps.db.transaction(async (tx) => {
    const report = {
      status: 'failed',
      source: opts.source,
      created: 0,
      updated: 0,
      unchanged: 0,
      missing: 0,
      errors,
      errorCount,
      warnings: [],
      durationMs: Date.now() - started,
    };
    const r = await tx.query<{ id: string }>(
      `insert into catalog_import_runs (tenant_id, source, status, finished_at, actor_id, actor_kind, actor_label, report)
       values ($1, $2, 'failed', now(), $3, $4, $5, $6) returning id`,
      [tenantId, opts.source, actor.id, actor.kind, actor.label, JSON.stringify(report)],
    );
    await deps.audit.record(tx, tenantId, opts.actor, {
      action: 'catalog.import_failed',
      targetKind: 'catalog_import_run',
      targetId: r.rows[0].id,
      details: { source: opts.source, errorCount },
    });
    return r.rows[0].id;
  });
}

interface Existing {
  id: string;
  external_id: string;
  content_hash: string | null;
}

async function existing(tx: Queryable, table: string, tenantId: string, externalIds: string[]): Promise<Map<string, Existing>> {
  const r = await tx.query<Existing>(`select id, external_id, content_hash from ${table} where tenant_id = $1 and external_id = any($2::text[])`, [
    tenantId,
    externalIds,
  ]);
  return new Map(r.rows.map((x) => [x.external_id, x]));
}

async function upsertOrganizations(tx: Queryable, tenantId: string, list: MappedOrganization[], report: ImportReport) {
  const known = await existing(tx, 'catalog_organizations', tenantId, list.map((o) => o.externalId));
  const ids = new Map<string, string>();
  for (const o of list) {
    const hash = contentHash(o);
    const row = known.get(o.externalId);
    if (row && row.content_hash === hash) {
      report.organizations.unchanged++;
      ids.set(o.externalId, row.id);
    } else if (row) {
      await tx.query(`update catalog_organizations set names = $3, content_hash = $4, updated_at = now() where tenant_id = $1 and id = $2`, [
        tenantId,
        row.id,
        JSON.stringify(o.names),
        hash,
      ]);
      report.organizations.updated++;
      ids.set(o.externalId, row.id);
    } else {
      const r = await tx.query<{ id: string }>(
        `insert into catalog_organizations (tenant_id, external_id, names, content_hash) values ($1, $2, $3, $4) returning id`,
        [tenantId, o.externalId, JSON.stringify(o.names), hash],
      );
      report.organizations.created++;
      ids.set(o.externalId, r.rows[0].id);
    }
  }
  return ids;
}

const CHANNEL_COLUMNS = [
  'organization_id',
  'kind',
  'status',
  'names',
  'summary',
  'description',
  'address',
  'latitude',
  'longitude',
  'phones',
  'email',
  'urls',
  'form_identifier',
  'requires_authentication',
  'requires_signature',
  'service_hours',
  'languages',
  'content_hash',
  'external_modified',
];

function channelValues(c: MappedChannel, orgId: string | null, hash: string): unknown[] {
  return [
    orgId,
    c.kind,
    c.status,
    JSON.stringify(c.names),
    JSON.stringify(c.summary),
    JSON.stringify(c.description),
    c.address ? JSON.stringify(c.address) : null,
    c.latitude,
    c.longitude,
    JSON.stringify(c.phones),
    c.email,
    JSON.stringify(c.urls),
    JSON.stringify(c.formIdentifier),
    c.requiresAuthentication,
    c.requiresSignature,
    JSON.stringify(c.serviceHours),
    c.languages,
    hash,
    c.externalModified,
  ];
}

async function upsertChannels(
  deps: ImportDeps,
  tx: Queryable,
  tenantId: string,
  list: MappedChannel[],
  orgIds: Map<string, string>,
  by: string | null,
  report: ImportReport,
) {
  const known = await existing(tx, 'catalog_channels', tenantId, list.map((c) => c.externalId));
  const ids = new Map<string, string>();
  const created: unknown[][] = [];
  const saved: Record<string, unknown>[] = [];
  for (const c of list) {
    const orgId = c.organizationExternalId ? (orgIds.get(c.organizationExternalId) ?? null) : null;
    const hash = contentHash(c);
    const row = known.get(c.externalId);
    if (row && row.content_hash === hash) {
      report.channels.unchanged++;
      ids.set(c.externalId, row.id);
      continue;
    }
    const values = channelValues(c, orgId, hash);
    if (row) {
      const set = CHANNEL_COLUMNS.map((col, i) => `${col} = $${i + 3}`).join(', ');
      const r = await tx.query(
        `update catalog_channels set ${set}, updated_at = now(), updated_by = $${CHANNEL_COLUMNS.length + 3} where tenant_id = $1 and id = $2 returning *`,
        [tenantId, row.id, ...values, by],
      );
      saved.push(r.rows[0]);
      report.channels.updated++;
    } else {
      created.push([tenantId, c.externalId, ...values, by]);
      report.channels.created++;
    }
  }
  saved.push(...(await insertMany(tx, 'catalog_channels', ['tenant_id', 'external_id', ...CHANNEL_COLUMNS, 'updated_by'], created)));
  for (const row of saved) {
    const channel = channelFromRow(row);
    ids.set(channel.externalId!, channel.id);
    // Units (service locations) are routable on their own; other channels are found through their services.
    if (channel.kind === 'service_location' && channel.status === 'published') await deps.searchIndex.put(tx, tenantId, unitDocument(channel));
    else if (channel.kind === 'service_location') await deps.searchIndex.remove(tx, tenantId, 'unit', channel.id);
  }
  return ids;
}

/**
 * Multi-row insert in chunks, returning the rows: one statement per few hundred items instead
 * of one per item (a 10,000-service catalog imports in seconds, not a minute, on PGlite).
 */
async function insertMany(tx: Queryable, table: string, columns: string[], rows: unknown[][]): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const chunk = Math.max(1, Math.floor(8000 / columns.length));
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const params: unknown[] = [];
    const tuples = part.map((row) => `(${row.map((v) => `$${params.push(v)}`).join(', ')})`);
    const r = await tx.query(`insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')} returning *`, params);
    out.push(...r.rows);
  }
  return out;
}

const SERVICE_COLUMNS = [
  'organization_id',
  'type',
  'status',
  'names',
  'alternative_names',
  'summary',
  'description',
  'user_instructions',
  'charge_type',
  'charge_description',
  'service_classes',
  'target_groups',
  'keywords',
  'languages',
  'content_hash',
  'external_modified',
];

function serviceValues(s: MappedService, orgId: string | null, hash: string): unknown[] {
  return [
    orgId,
    s.type,
    s.status,
    JSON.stringify(s.names),
    JSON.stringify(s.alternativeNames),
    JSON.stringify(s.summary),
    JSON.stringify(s.description),
    JSON.stringify(s.userInstructions),
    s.chargeType,
    JSON.stringify(s.chargeDescription),
    JSON.stringify(s.serviceClasses),
    JSON.stringify(s.targetGroups),
    JSON.stringify(s.keywords),
    s.languages,
    hash,
    s.externalModified,
  ];
}

async function upsertServices(
  deps: ImportDeps,
  tx: Queryable,
  tenantId: string,
  list: MappedService[],
  orgIds: Map<string, string>,
  channelIds: Map<string, string>,
  by: string | null,
  report: ImportReport,
) {
  const known = await existing(tx, 'catalog_services', tenantId, list.map((s) => s.externalId));
  const byExternalId = new Map(list.map((s) => [s.externalId, s]));
  const created: unknown[][] = [];
  const saved: Record<string, unknown>[] = [];
  for (const s of list) {
    const orgId = s.organizationExternalId ? (orgIds.get(s.organizationExternalId) ?? null) : null;
    // The links are part of the hash: a service whose channels changed is updated.
    const hash = contentHash(s);
    const row = known.get(s.externalId);
    if (row && row.content_hash === hash) {
      report.services.unchanged++;
      continue;
    }
    const values = serviceValues(s, orgId, hash);
    if (row) {
      const set = SERVICE_COLUMNS.map((col, i) => `${col} = $${i + 3}`).join(', ');
      const r = await tx.query(
        `update catalog_services set ${set}, updated_at = now(), updated_by = $${SERVICE_COLUMNS.length + 3} where tenant_id = $1 and id = $2 returning *`,
        [tenantId, row.id, ...values, by],
      );
      saved.push(r.rows[0]);
      report.services.updated++;
    } else {
      created.push([tenantId, s.externalId, ...values, by]);
      report.services.created++;
    }
  }
  const updatedIds = saved.map((r) => r.id as string);
  saved.push(...(await insertMany(tx, 'catalog_services', ['tenant_id', 'external_id', ...SERVICE_COLUMNS, 'updated_by'], created)));

  // Links follow the document: replaced as a whole for every written service, in the document's order.
  if (updatedIds.length) await tx.query(`delete from catalog_service_channels where tenant_id = $1 and service_id = any($2::uuid[])`, [tenantId, updatedIds]);
  const link = { services: [] as string[], channels: [] as string[], positions: [] as number[] };
  for (const row of saved) {
    const mapped = byExternalId.get(row.external_id as string)!;
    mapped.channelExternalIds.forEach((x, i) => {
      const channelId = channelIds.get(x);
      if (!channelId) return;
      link.services.push(row.id as string);
      link.channels.push(channelId);
      link.positions.push(i + 1);
    });
  }
  if (link.services.length) {
    await tx.query(
      `insert into catalog_service_channels (tenant_id, service_id, channel_id, position)
       select $1, u.s, u.c, u.p from unnest($2::uuid[], $3::uuid[], $4::int[]) as u(s, c, p)`,
      [tenantId, link.services, link.channels, link.positions],
    );
  }
  for (const row of saved) {
    const service = serviceFromRow(row);
    if (service.status === 'published') await deps.searchIndex.put(tx, tenantId, serviceDocument(service));
    else await deps.searchIndex.remove(tx, tenantId, 'service', service.id);
  }
}

export interface ImportRunListItem {
  id: string;
  source: ImportSource;
  status: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  actorKind: string | null;
  actorLabel: string | null;
  report: Partial<Omit<ImportReport, 'runId'>>;
}

const iso = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The tenant's most recent import runs, newest first. */
export async function listImportRuns(db: Queryable, tenantId: string, limit = 20): Promise<ImportRunListItem[]> {
  const r = await db.query<Record<string, unknown>>(
    `select id, source, status, ${iso('started_at')} as started_at, ${iso('finished_at')} as finished_at, actor_kind, actor_label, report
     from catalog_import_runs where tenant_id = $1 order by started_at desc, id limit $2`,
    [tenantId, limit],
  );
  return r.rows.map((x) => ({
    id: x.id as string,
    source: x.source as ImportSource,
    status: x.status as ImportRunListItem['status'],
    startedAt: x.started_at as string,
    finishedAt: (x.finished_at as string | null) ?? null,
    actorKind: (x.actor_kind as string | null) ?? null,
    actorLabel: (x.actor_label as string | null) ?? null,
    report: x.report as ImportRunListItem['report'],
  }));
}
