import { z } from 'zod';
import type { Queryable } from '../../platform/db.ts';
import { AppError, isAppError } from '../../platform/errors.ts';
import { assertPublicUrl, OutboundRefused } from '../../platform/outbound.ts';
import { parse } from '../../platform/validation.ts';
import type { Services } from '../../server/services.ts';
import type { Actor } from '../identity/actor.ts';
import { requireRole, requireRoleOrScope } from '../identity/access.ts';
import { importPtvCatalog, recordFailedImport, type ImportReport } from './ptv-import.ts';

/**
 * Scheduled PTV sync. Each tenant may keep one PTV URL (catalog_ptv_sync_settings, edited by
 * tenant admins on the import page). A scheduler job on PTV_SYNC_CRON enqueues one
 * `catalog.ptv-sync` job per tenant with the sync on; the job fetches the document (timeout
 * PTV_SYNC_TIMEOUT_SECONDS, at most CATALOG_IMPORT_MAX_BYTES) and imports it with source
 * `sync`. Every failure is a failed import run with the reason. Network errors, timeouts and
 * HTTP 5xx/429/408 are retried by the queue (with backoff); a 4xx, a body that is not JSON, a
 * too-large body or an invalid document are not (trying again cannot fix them).
 */

export const PTV_SYNC_JOB = 'catalog.ptv-sync';
export const PTV_SYNC_SCHEDULE_JOB = 'catalog.ptv-sync-schedule';
/** Who the import runs and audit rows of the sync name. */
export const SYNC_ACTOR: Actor = { kind: 'system', label: 'PTV sync' };

export interface PtvSyncSettings {
  url: string;
  enabled: boolean;
  updatedAt: string;
}

export const syncSettingsInput = z.strictObject({
  url: z
    .string()
    .trim()
    .max(2000, 'too_long')
    .pipe(z.url({ protocol: /^https?$/, error: 'invalid_url' })),
  enabled: z.boolean(),
});

export async function getSyncSettings(db: Queryable, tenantId: string): Promise<PtvSyncSettings | null> {
  const r = await db.query<{ url: string; enabled: boolean; updated_at: string }>(
    `select url, enabled, to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as updated_at
     from catalog_ptv_sync_settings where tenant_id = $1`,
    [tenantId],
  );
  const row = r.rows[0];
  return row ? { url: row.url, enabled: row.enabled, updatedAt: row.updated_at } : null;
}

/** Tenant admins set the PTV URL and switch the nightly sync on or off (audited). */
export async function saveSyncSettings(services: Services, tenantId: string, actor: Actor, input: unknown): Promise<PtvSyncSettings> {
  const user = requireRole(actor, 'tenant_admin');
  const v = parse(syncSettingsInput, input);
  await services.db.transaction(async (tx) => {
    await tx.query(
      `insert into catalog_ptv_sync_settings (tenant_id, url, enabled, updated_at, updated_by) values ($1, $2, $3, now(), $4)
       on conflict (tenant_id) do update set url = excluded.url, enabled = excluded.enabled, updated_at = now(), updated_by = excluded.updated_by`,
      [tenantId, v.url, v.enabled, user.id],
    );
    await services.audit.record(tx, tenantId, actor, {
      action: 'catalog.ptv_sync_settings_changed',
      targetKind: 'tenant',
      targetId: tenantId,
      details: { url: v.url, enabled: v.enabled },
    });
  });
  return (await getSyncSettings(services.db, tenantId))!;
}

/** "Sync now": queues the tenant's sync at once, whether or not the nightly sync is on. */
export async function requestSync(services: Services, tenantId: string, actor: Actor): Promise<void> {
  requireRoleOrScope(actor, 'communications', 'catalog:import');
  const settings = await getSyncSettings(services.db, tenantId);
  if (!settings) throw new AppError('validation_failed', 400, { fields: { url: 'required' } });
  await services.db.transaction(async (tx) => {
    await services.jobs.enqueue(tx, PTV_SYNC_JOB, { tenantId, manual: true }, { singletonKey: `ptv-sync:${tenantId}` });
    await services.audit.record(tx, tenantId, actor, { action: 'catalog.ptv_sync_requested', targetKind: 'tenant', targetId: tenantId });
  });
}

/** Why a fetch failed, and whether trying again later might help. */
export class PtvFetchError extends Error {
  constructor(
    readonly reason: string,
    readonly retry: boolean,
  ) {
    super(reason);
  }
}

/**
 * GETs the document with a timeout and a size cap, and parses it as JSON. publicOnly (the
 * production default, OUTBOUND_ALLOW_PRIVATE off): the URL a tenant admin typed must be
 * https to a public address and no redirect is followed (see platform/outbound.ts).
 */
export async function fetchPtvDocument(url: string, opts: { timeoutMs: number; maxBytes: number; publicOnly?: boolean }): Promise<unknown> {
  if (opts.publicOnly) {
    try {
      await assertPublicUrl(url, false);
    } catch (e) {
      if (e instanceof OutboundRefused) throw new PtvFetchError(`the PTV URL is not allowed: ${e.message}`, false);
      throw e;
    }
  }
  let res: Response;
  const signal = AbortSignal.timeout(opts.timeoutMs);
  const timedOut = () => new PtvFetchError(`no answer from the PTV URL within ${opts.timeoutMs >= 1000 ? `${Math.round(opts.timeoutMs / 1000)} s` : `${opts.timeoutMs} ms`}`, true);
  try {
    res = await fetch(url, { signal, headers: { accept: 'application/json' }, redirect: opts.publicOnly ? 'error' : 'follow' });
  } catch (e) {
    if (signal.aborted) throw timedOut();
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    throw new PtvFetchError(`could not reach the PTV URL${cause ? ` (${cause})` : ''}`, true);
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    const retry = res.status >= 500 || res.status === 429 || res.status === 408;
    throw new PtvFetchError(`the PTV URL answered HTTP ${res.status}`, retry);
  }
  const tooBig = () => new PtvFetchError(`the document is larger than ${opts.maxBytes} bytes`, false);
  if (Number(res.headers.get('content-length') ?? 0) > opts.maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooBig();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > opts.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooBig();
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof PtvFetchError) throw e;
    if (signal.aborted) throw timedOut();
    throw new PtvFetchError('the connection to the PTV URL broke off', true);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new PtvFetchError('the PTV URL did not answer with valid JSON', false);
  }
}

/**
 * One sync of one tenant. Returns the report, or null when there is nothing to do (no URL, or
 * the nightly sync is off and this is not a "Sync now"). Throws only when a retry may help.
 */
export async function runPtvSync(services: Services, tenantId: string, opts: { manual?: boolean } = {}): Promise<ImportReport | null> {
  const settings = await getSyncSettings(services.db, tenantId);
  if (!settings || (!settings.enabled && !opts.manual)) return null;
  const importOpts = { source: 'sync' as const, actor: SYNC_ACTOR };
  let document: unknown;
  try {
    document = await fetchPtvDocument(settings.url, {
      timeoutMs: services.config.PTV_SYNC_TIMEOUT_SECONDS * 1000,
      maxBytes: services.config.CATALOG_IMPORT_MAX_BYTES,
      publicOnly: !services.config.OUTBOUND_ALLOW_PRIVATE,
    });
  } catch (e) {
    if (!(e instanceof PtvFetchError)) throw e;
    await recordFailedImport(services, tenantId, importOpts, [{ path: '(fetch)', message: e.reason }], 1);
    if (e.retry) throw new Error(`PTV sync: ${e.reason}`);
    return null;
  }
  try {
    return await importPtvCatalog(services, tenantId, document, importOpts);
  } catch (e) {
    // The failed run holds the reasons; the same document would fail the same way again.
    if (isAppError(e) && e.code === 'invalid_catalog') return null;
    throw e;
  }
}

/** Called from registerJobs (src/server/main.ts). */
export function registerCatalogJobs(services: Services) {
  services.jobs.define<{ tenantId: string; manual?: boolean }>({
    name: PTV_SYNC_JOB,
    priority: 'bulk',
    retryLimit: 3,
    handler: async (data) => {
      await runPtvSync(services, data.tenantId, { manual: data.manual === true });
    },
  });
  services.jobs.define({
    name: PTV_SYNC_SCHEDULE_JOB,
    priority: 'bulk',
    retryLimit: 2,
    handler: async () => {
      const r = await services.db.query<{ tenant_id: string }>(`select tenant_id from catalog_ptv_sync_settings where enabled`);
      for (const { tenant_id: tenantId } of r.rows) {
        await services.db.transaction((tx) => services.jobs.enqueue(tx, PTV_SYNC_JOB, { tenantId }, { singletonKey: `ptv-sync:${tenantId}` }));
      }
    },
  });
}

/** Called from scheduleJobs (src/server/main.ts). */
export async function scheduleCatalogJobs(services: Services) {
  await services.jobs.schedule(PTV_SYNC_SCHEDULE_JOB, services.config.PTV_SYNC_CRON.trim(), { tenantId: 'system' });
}
