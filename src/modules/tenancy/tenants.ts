import type { Db, Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { isLang, type Lang, type Localized } from '../../platform/i18n.ts';

export interface TenantTheme {
  /** Brand colour for header and buttons; text on it is white, so it must be dark enough (checked on save). */
  primary: string;
  /** Accent for focus rings and highlights. */
  accent: string;
  logoUrl?: string;
}

export interface TenantContact {
  phone?: string;
  email?: string;
  address?: Localized;
  url?: string;
}

export interface Tenant {
  id: string;
  slug: string;
  names: Localized;
  languages: Lang[];
  defaultLanguage: Lang;
  theme: TenantTheme;
  contact: TenantContact;
  accessibilityStatement: Localized;
  privacyNotice: Localized;
  hostnames: string[];
}

const FTS_CONFIG: Record<Lang, string> = { fi: 'finnish', sv: 'swedish', en: 'english' };
const PAGE_TITLES = {
  accessibility: { fi: 'Saavutettavuusseloste', sv: 'Tillgänglighetsutlåtande', en: 'Accessibility statement' },
  privacy: { fi: 'Tietosuojaseloste', sv: 'Dataskyddsbeskrivning', en: 'Privacy notice' },
} as const;

const DEFAULT_THEME: TenantTheme = { primary: '#003479', accent: '#ffc61e' };

interface TenantRow {
  id: string;
  slug: string;
  names: Localized;
  languages: Lang[];
  default_language: Lang;
  theme: Partial<TenantTheme>;
  contact: TenantContact;
  accessibility_statement: Localized;
  privacy_notice: Localized;
  hostnames: string[] | null;
}

const SELECT = `select t.id, t.slug, t.names, t.languages, t.default_language, t.theme, t.contact,
  t.accessibility_statement, t.privacy_notice,
  (select array_agg(h.hostname order by h.hostname) from tenant_hosts h where h.tenant_id = t.id) as hostnames
  from tenants t`;

function toTenant(r: TenantRow): Tenant {
  return {
    id: r.id,
    slug: r.slug,
    names: r.names,
    languages: r.languages,
    defaultLanguage: r.default_language,
    theme: { ...DEFAULT_THEME, ...r.theme },
    contact: r.contact ?? {},
    accessibilityStatement: r.accessibility_statement ?? {},
    privacyNotice: r.privacy_notice ?? {},
    hostnames: r.hostnames ?? [],
  };
}

/** Plain hosts that mean "the default tenant" rather than a tenant of their own. */
const DEFAULT_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function normalizeHost(hostHeader: string | undefined): string {
  const host = (hostHeader ?? '').trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  return host.replace(/:\d+$/, '').replace(/\.$/, '');
}

/** Relative luminance contrast of white text on the colour (WCAG 2.1). */
export function contrastWithWhite(hex: string): number {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) return 0;
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(m[1].slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return 1.05 / (l + 0.05);
}

export interface TenantSettingsPatch {
  names?: Localized;
  languages?: Lang[];
  defaultLanguage?: Lang;
  theme?: TenantTheme;
  contact?: TenantContact;
  accessibilityStatement?: Localized;
  privacyNotice?: Localized;
}

export class TenancyService {
  // Tenants change rarely and every request needs one: a short cache keeps the hot
  // path to zero queries, and the TTL bounds staleness on other instances.
  private cache = new Map<string, { tenant: Tenant | null; at: number }>();
  private readonly ttlMs = 5000;

  constructor(
    private db: Db,
    private defaultTenantSlug: string,
  ) {}

  async resolveByHost(hostHeader: string | undefined): Promise<Tenant | null> {
    const host = normalizeHost(hostHeader);
    const hit = this.cache.get(host);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.tenant;
    const rows = DEFAULT_HOSTS.has(host)
      ? await this.db.query<TenantRow>(`${SELECT} where t.slug = $1`, [this.defaultTenantSlug])
      : await this.db.query<TenantRow>(
          `${SELECT} where t.id = (select tenant_id from tenant_hosts where hostname = $1)`,
          [host],
        );
    const tenant = rows.rows[0] ? toTenant(rows.rows[0]) : null;
    this.cache.set(host, { tenant, at: Date.now() });
    return tenant;
  }

  /**
   * Forgets every cached tenant, so the next request reads the database. Called after a
   * settings change commits (and on other instances through the event bus).
   */
  invalidate(): void {
    this.cache.clear();
  }

  async get(tenantId: string, q: Queryable = this.db): Promise<Tenant> {
    const r = await q.query<TenantRow>(`${SELECT} where t.id = $1`, [tenantId]);
    if (!r.rows[0]) throw new AppError('unknown_tenant', 404);
    return toTenant(r.rows[0]);
  }

  async getBySlug(slug: string): Promise<Tenant | null> {
    const r = await this.db.query<TenantRow>(`${SELECT} where t.slug = $1`, [slug]);
    return r.rows[0] ? toTenant(r.rows[0]) : null;
  }

  async list(): Promise<Tenant[]> {
    return (await this.db.query<TenantRow>(`${SELECT} order by t.slug`)).rows.map(toTenant);
  }

  /**
   * Searches the tenant's built-in pages (accessibility statement, privacy notice) with
   * PostgreSQL full-text search in the page language. The catalog module extends the
   * front door with services, units and content pages.
   */
  async searchPages(tenant: Tenant, lang: Lang, q: string): Promise<{ path: string; title: string; excerpt: string }[]> {
    if (!q.trim()) return [];
    const config = FTS_CONFIG[lang];
    const pages = [
      { path: '/accessibility', title: PAGE_TITLES.accessibility[lang], body: tenant.accessibilityStatement[lang] ?? '' },
      { path: '/privacy', title: PAGE_TITLES.privacy[lang], body: tenant.privacyNotice[lang] ?? '' },
    ];
    // Stemming alone misses Finnish and Swedish compounds: "saavutettavuus" is not a stem
    // of "saavutettavuusseloste". A page whose text contains every word of 3+ letters
    // also matches, ranked after the full-text hits.
    const words = [...new Set(q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3))];
    // The excerpt comes from the body alone: the result already shows the title as its link.
    const r = await this.db.query<{ i: number; excerpt: string }>(
      `with pages(i, doc, body) as (select * from unnest($2::int[], $3::text[], $6::text[]))
       select i, ts_headline($1::regconfig, body, websearch_to_tsquery($1::regconfig, $4),
                'StartSel="", StopSel="", MaxWords=30, MinWords=15') as excerpt
       from pages
       where to_tsvector($1::regconfig, doc) @@ websearch_to_tsquery($1::regconfig, $4)
          or (cardinality($5::text[]) > 0
              and not exists (select 1 from unnest($5::text[]) w where strpos(lower(doc), w) = 0))
       order by (to_tsvector($1::regconfig, doc) @@ websearch_to_tsquery($1::regconfig, $4)) desc,
                ts_rank(to_tsvector($1::regconfig, doc), websearch_to_tsquery($1::regconfig, $4)) desc, i`,
      [config, pages.map((_, i) => i), pages.map((p) => `${p.title}\n${p.body}`), q, words, pages.map((p) => p.body)],
    );
    return r.rows.map((row) => ({ path: pages[row.i].path, title: pages[row.i].title, excerpt: ellipsize(row.excerpt, pages[row.i].body) }));
  }

  /** Validates and applies a settings change; returns the changed field names for the audit log. */
  async updateSettings(tx: Queryable, tenantId: string, patch: TenantSettingsPatch): Promise<string[]> {
    const current = await this.get(tenantId, tx);
    const languages = patch.languages ?? current.languages;
    const defaultLanguage = patch.defaultLanguage ?? current.defaultLanguage;
    const fieldErrors: Record<string, string> = {};
    if (languages.length === 0 || !languages.every(isLang)) fieldErrors.languages = 'at_least_one';
    if (!languages.includes(defaultLanguage)) fieldErrors.defaultLanguage = 'must_be_enabled';
    if (patch.theme) {
      if (!/^#[0-9a-f]{6}$/i.test(patch.theme.primary)) fieldErrors['theme.primary'] = 'hex_colour';
      else if (contrastWithWhite(patch.theme.primary) < 4.5) fieldErrors['theme.primary'] = 'contrast_too_low';
      if (!/^#[0-9a-f]{6}$/i.test(patch.theme.accent)) fieldErrors['theme.accent'] = 'hex_colour';
      if (patch.theme.logoUrl && !/^(https:\/\/|\/)[^\s"'<>]*$/.test(patch.theme.logoUrl)) {
        fieldErrors['theme.logoUrl'] = 'url';
      }
    }
    const names = patch.names ?? current.names;
    if (!names[defaultLanguage]?.trim()) fieldErrors[`names.${defaultLanguage}`] = 'required';
    if (Object.keys(fieldErrors).length) throw new AppError('validation_failed', 400, { fields: fieldErrors });

    const changed = Object.keys(patch).filter((k) => patch[k as keyof TenantSettingsPatch] !== undefined);
    await tx.query(
      `update tenants set names = $2, languages = $3, default_language = $4, theme = $5, contact = $6,
         accessibility_statement = $7, privacy_notice = $8, updated_at = now() where id = $1`,
      [
        tenantId,
        JSON.stringify(names),
        languages,
        defaultLanguage,
        JSON.stringify(patch.theme ?? current.theme),
        JSON.stringify(patch.contact ?? current.contact),
        JSON.stringify(patch.accessibilityStatement ?? current.accessibilityStatement),
        JSON.stringify(patch.privacyNotice ?? current.privacyNotice),
      ],
    );
    this.cache.clear();
    return changed;
  }
}

/** Marks an excerpt cut from the middle of a text, so it does not read as a full sentence. */
function ellipsize(excerpt: string, body: string): string {
  const flat = (x: string) => x.replace(/\s+/g, ' ').trim();
  const e = flat(excerpt);
  const b = flat(body);
  if (!e) return e;
  return `${b.startsWith(e) ? '' : '…'}${e}${b.endsWith(e) ? '' : '…'}`;
}
