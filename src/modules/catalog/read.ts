import type { Localized } from '../../platform/i18n.ts';
import type { Queryable } from '../../platform/db.ts';
import { channelFromRow, serviceFromRow, type Channel, type ChannelKind, type Classification, type Service } from './model.ts';

/**
 * What residents may read of the catalog: published services, published channels, published
 * content page snapshots. Every query takes the tenant; an id of another tenant, a draft, an
 * archived item and a malformed id all read as "not there" (null), so pages answer 404 alike.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: string | undefined): v is string => !!v && UUID.test(v);

/** The order residents should try the ways to get a service: online first, then phone, then a visit. */
export const CHANNEL_ORDER: ChannelKind[] = ['e_service', 'phone', 'service_location', 'web_page', 'printable_form'];

export interface ServiceSummary {
  id: string;
  names: Localized;
  summary: Localized;
  type: Service['type'];
}

export interface ServiceView {
  service: Service;
  /** Provider for the page and JSON-LD; null when the service has no organization. */
  organization: { id: string; names: Localized } | null;
  /** Published channels by kind, each list in the service's own channel order. */
  channels: Record<ChannelKind, Channel[]>;
}

export interface UnitView {
  unit: Channel;
  organization: { id: string; names: Localized } | null;
  services: ServiceSummary[];
}

export interface Topic {
  code: string;
  name: Localized;
  count: number;
}

export interface PublishedPage {
  id: string;
  slug: string;
  topic: string | null;
  title: Localized;
  summary: Localized;
  body: Localized;
  version: number;
  publishedAt: string | null;
}

export interface SitemapEntries {
  services: { id: string; updatedAt: string }[];
  units: { id: string; updatedAt: string }[];
  topics: string[];
  pages: { slug: string; updatedAt: string }[];
}

const summaryCols = `s.id, s.names, s.summary, s.type`;
const toSummary = (r: Record<string, any>): ServiceSummary => ({ id: r.id, names: r.names, summary: r.summary, type: r.type });

export class CatalogReader {
  constructor(private db: Queryable) {}

  async service(tenantId: string, id: string | undefined): Promise<ServiceView | null> {
    if (!isUuid(id)) return null;
    const r = await this.db.query(
      `select s.*, o.names as org_names from catalog_services s
       left join catalog_organizations o on o.id = s.organization_id and o.tenant_id = s.tenant_id
       where s.tenant_id = $1 and s.id = $2 and s.status = 'published'`,
      [tenantId, id],
    );
    const row = r.rows[0];
    if (!row) return null;
    const ch = await this.db.query(
      `select c.* from catalog_service_channels sc
       join catalog_channels c on c.id = sc.channel_id and c.tenant_id = sc.tenant_id
       where sc.tenant_id = $1 and sc.service_id = $2 and c.status = 'published'
       order by sc.position, c.id`,
      [tenantId, id],
    );
    const channels = Object.fromEntries(CHANNEL_ORDER.map((k) => [k, [] as Channel[]])) as Record<ChannelKind, Channel[]>;
    for (const c of ch.rows) channels[(c as { kind: ChannelKind }).kind]?.push(channelFromRow(c));
    return {
      service: serviceFromRow(row),
      organization: row.organization_id && row.org_names ? { id: row.organization_id as string, names: row.org_names as Localized } : null,
      channels,
    };
  }

  /** A unit is a published service location channel, with the published services offered there. */
  async unit(tenantId: string, id: string | undefined): Promise<UnitView | null> {
    if (!isUuid(id)) return null;
    const r = await this.db.query(
      `select c.*, o.names as org_names from catalog_channels c
       left join catalog_organizations o on o.id = c.organization_id and o.tenant_id = c.tenant_id
       where c.tenant_id = $1 and c.id = $2 and c.kind = 'service_location' and c.status = 'published'`,
      [tenantId, id],
    );
    const row = r.rows[0];
    if (!row) return null;
    const s = await this.db.query(
      `select ${summaryCols} from catalog_service_channels sc
       join catalog_services s on s.id = sc.service_id and s.tenant_id = sc.tenant_id
       where sc.tenant_id = $1 and sc.channel_id = $2 and s.status = 'published'`,
      [tenantId, id],
    );
    return {
      unit: channelFromRow(row),
      organization: row.organization_id && row.org_names ? { id: row.organization_id as string, names: row.org_names as Localized } : null,
      services: s.rows.map(toSummary),
    };
  }

  /** Service classes that published services use, with how many services each has. */
  topics(tenantId: string): Promise<Topic[]> {
    return this.classificationCounts(tenantId, 'service_classes');
  }

  /** Target groups (who a service is for) that published services use, with counts. */
  targetGroups(tenantId: string): Promise<Topic[]> {
    return this.classificationCounts(tenantId, 'target_groups');
  }

  /** The codes in one classification column of published services, each with its service count. */
  private async classificationCounts(tenantId: string, column: 'service_classes' | 'target_groups'): Promise<Topic[]> {
    const r = await this.db.query<{ code: string; name: Localized; n: string }>(
      `select c->>'code' as code, (array_agg(c->'name'))[1] as name, count(distinct s.id) as n
       from catalog_services s, jsonb_array_elements(s.${column}) c
       where s.tenant_id = $1 and s.status = 'published' and c ? 'code'
       group by c->>'code'`,
      [tenantId],
    );
    return r.rows.map((x) => ({ code: x.code, name: x.name ?? {}, count: Number(x.n) }));
  }

  /** The published services for one target group. */
  async targetGroup(tenantId: string, code: string | undefined | null): Promise<{ group: Classification; services: ServiceSummary[] } | null> {
    if (!code || !/^[A-Za-z0-9._-]{1,40}$/.test(code)) return null;
    const r = await this.db.query(
      `select ${summaryCols}, s.target_groups from catalog_services s
       where s.tenant_id = $1 and s.status = 'published' and s.target_groups @> $2::jsonb`,
      [tenantId, JSON.stringify([{ code }])],
    );
    if (!r.rows.length) return null;
    const group = (r.rows[0].target_groups as Classification[]).find((c) => c.code === code)!;
    return { group: { code, name: group.name ?? {} }, services: r.rows.map(toSummary) };
  }

  /** One service class: its published services and the published pages filed under it. */
  async topic(tenantId: string, code: string | undefined): Promise<{ topic: Classification; services: ServiceSummary[]; pages: { slug: string; title: Localized; summary: Localized }[] } | null> {
    if (!code || !/^[A-Za-z0-9._-]{1,40}$/.test(code)) return null;
    const r = await this.db.query(
      `select ${summaryCols}, s.service_classes from catalog_services s
       where s.tenant_id = $1 and s.status = 'published' and s.service_classes @> $2::jsonb`,
      [tenantId, JSON.stringify([{ code }])],
    );
    if (!r.rows.length) return null;
    const cls = (r.rows[0].service_classes as Classification[]).find((c) => c.code === code)!;
    const p = await this.db.query<{ slug: string; published: { title: Localized; summary: Localized } }>(
      `select slug, published from content_pages where tenant_id = $1 and topic = $2 and published is not null order by slug`,
      [tenantId, code],
    );
    return {
      topic: { code, name: cls.name ?? {} },
      services: r.rows.map(toSummary),
      pages: p.rows.map((x) => ({ slug: x.slug, title: x.published.title, summary: x.published.summary ?? {} })),
    };
  }

  /** The published snapshot of a content page; drafts and unpublished pages are not there. */
  async page(tenantId: string, slug: string | undefined): Promise<PublishedPage | null> {
    if (!slug || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) || slug.length > 200) return null;
    const r = await this.db.query<{ id: string; slug: string; topic: string | null; published: any; published_at: Date | string | null }>(
      `select id, slug, topic, published, published_at from content_pages where tenant_id = $1 and slug = $2 and published is not null`,
      [tenantId, slug],
    );
    const row = r.rows[0];
    if (!row) return null;
    return {
      id: row.id,
      slug: row.slug,
      topic: row.topic,
      title: row.published.title ?? {},
      summary: row.published.summary ?? {},
      body: row.published.body ?? {},
      version: row.published.version ?? 1,
      publishedAt: row.published_at ? new Date(row.published_at).toISOString() : null,
    };
  }

  /** Every public URL's item, for sitemap.xml. */
  async sitemap(tenantId: string): Promise<SitemapEntries> {
    const [s, u, p, t] = await Promise.all([
      this.db.query<{ id: string; updated_at: Date | string }>(`select id, updated_at from catalog_services where tenant_id = $1 and status = 'published' order by id`, [tenantId]),
      this.db.query<{ id: string; updated_at: Date | string }>(
        `select id, updated_at from catalog_channels where tenant_id = $1 and kind = 'service_location' and status = 'published' order by id`,
        [tenantId],
      ),
      this.db.query<{ slug: string; published_at: Date | string | null; updated_at: Date | string }>(
        `select slug, published_at, updated_at from content_pages where tenant_id = $1 and published is not null order by slug`,
        [tenantId],
      ),
      this.topics(tenantId),
    ]);
    const iso = (d: Date | string) => new Date(d).toISOString();
    return {
      services: s.rows.map((r) => ({ id: r.id, updatedAt: iso(r.updated_at) })),
      units: u.rows.map((r) => ({ id: r.id, updatedAt: iso(r.updated_at) })),
      topics: t.map((x) => x.code).sort(),
      pages: p.rows.map((r) => ({ slug: r.slug, updatedAt: iso(r.published_at ?? r.updated_at) })),
    };
  }
}
