import type { Db, Queryable } from '../../platform/db.ts';
import type { EventBus } from '../../platform/events.ts';

/** Internal channel: a tenant's public content changed on some instance. Never sent to browsers. */
export const CONTENT_CHANNEL = 'system:content';

/**
 * A per-tenant number that changes whenever anything residents can see in the catalog or
 * content pages changes. Anonymous page caches (the microcache, ETags) include it, so a
 * publish shows up at once on every instance without tracking which page shows what.
 */
export class ContentVersions {
  private cache = new Map<string, number>();

  constructor(
    private db: Db,
    private events: EventBus,
  ) {
    events.subscribe([CONTENT_CHANNEL], (e) => {
      const tenantId = e.data.tenantId;
      if (typeof tenantId === 'string') this.cache.delete(tenantId);
    });
  }

  /** Call in the transaction of the change; every instance drops its cached number after commit. */
  async bump(tx: Queryable, tenantId: string): Promise<void> {
    await tx.query(
      `insert into content_versions (tenant_id, version) values ($1, 1)
       on conflict (tenant_id) do update set version = content_versions.version + 1`,
      [tenantId],
    );
    this.cache.delete(tenantId);
    await this.events.publish(tx, { channel: CONTENT_CHANNEL, type: 'content.changed', data: { tenantId } });
  }

  async current(tenantId: string): Promise<number> {
    const hit = this.cache.get(tenantId);
    if (hit !== undefined) return hit;
    const r = await this.db.query<{ version: string }>(`select version from content_versions where tenant_id = $1`, [tenantId]);
    const version = r.rows[0] ? Number(r.rows[0].version) : 0;
    this.cache.set(tenantId, version);
    return version;
  }
}
