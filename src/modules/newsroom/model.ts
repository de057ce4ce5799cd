import { localToInstant } from '../catalog/opening-hours.ts';
import { LANGUAGES, type Lang, type Localized } from '../../platform/i18n.ts';

/** What the newsroom publishes. Bulletins are the staff intranet's; the rest can be public. */
export const NEWS_KINDS = ['news', 'press_release', 'event', 'bulletin'] as const;
export type NewsKind = (typeof NEWS_KINDS)[number];

/**
 * draft → in_review → approved → scheduled | published → archived.
 * `scheduled` covers both a timed publish and an embargo (the release has gone to the
 * media distribution list and waits for the embargo to lapse).
 */
export const NEWS_STATES = ['draft', 'in_review', 'approved', 'scheduled', 'published', 'archived'] as const;
export type NewsState = (typeof NEWS_STATES)[number];

export const NEWS_ACTIONS = ['submit', 'withdraw', 'return', 'approve', 'publish', 'unschedule', 'archive', 'restore'] as const;
export type NewsAction = (typeof NEWS_ACTIONS)[number];

export type NewsAudience = 'public' | 'staff';

export interface NewsMedia {
  id: string;
  itemId: string | null;
  kind: 'image' | 'attachment';
  filename: string;
  contentType: string;
  size: number;
  alt: Localized;
  caption: Localized;
  credit: string | null;
  license: string | null;
  inImageBank: boolean;
  position: number;
  createdAt: string;
  /** Where the bytes are served (GET; `?download=1` for an attachment download). */
  url: string;
}

export interface NewsItem {
  id: string;
  tenantId: string;
  kind: NewsKind;
  state: NewsState;
  slug: string;
  title: Localized;
  lead: Localized;
  /** Sanitized HTML per language. */
  body: Localized;
  /** news_topics slugs. */
  topics: string[];
  tags: string[];
  serviceIds: string[];
  audience: NewsAudience;
  /** Staff items: empty = all staff; otherwise these org units and their sub-units. */
  audienceUnitIds: string[];
  mustRead: boolean;
  eventStartsAt: string | null;
  eventEndsAt: string | null;
  eventLocation: Localized;
  embargoUntil: string | null;
  scheduledAt: string | null;
  embargoSentAt: string | null;
  publishedAt: string | null;
  archivedAt: string | null;
  version: number;
  createdBy: string | null;
  updatedBy: string | null;
  createdAt: string;
  updatedAt: string;
  /** Languages that have a title: the item exists in these. */
  languages: Lang[];
  images: NewsMedia[];
  attachments: NewsMedia[];
}

export interface NewsTopic {
  id: string;
  slug: string;
  names: Localized;
  position: number;
}

export interface NewsComment {
  id: string;
  authorId: string | null;
  authorName: string;
  body: string;
  createdAt: string;
}

export interface NewsVersion {
  id: string;
  version: number;
  action: string;
  state: NewsState;
  note: string | null;
  changedBy: string | null;
  changedByName: string | null;
  changedAt: string;
  /** The item's fields after this step (title, lead, body, topics, …). */
  snapshot: Record<string, unknown>;
}

const iso = (v: Date | string | null | undefined) => (v == null ? null : new Date(v).toISOString());

export const ITEM_COLUMNS = `i.id, i.tenant_id, i.kind, i.state, i.slug, i.title, i.lead, i.body, i.topics, i.tags, i.service_ids,
  i.audience, i.audience_unit_ids, i.must_read, i.event_starts_at, i.event_ends_at, i.event_location, i.embargo_until,
  i.scheduled_at, i.embargo_sent_at, i.published_at, i.archived_at, i.version, i.created_by, i.updated_by, i.created_at, i.updated_at`;

export const MEDIA_COLUMNS = `m.id, m.item_id, m.kind, m.filename, m.content_type, m.size, m.alt, m.caption, m.credit, m.license,
  m.in_image_bank, m.position, m.created_at`;

export function mediaFromRow(r: Record<string, any>): NewsMedia {
  return {
    id: r.id,
    itemId: r.item_id ?? null,
    kind: r.kind,
    filename: r.filename,
    contentType: r.content_type,
    size: Number(r.size),
    alt: r.alt ?? {},
    caption: r.caption ?? {},
    credit: r.credit ?? null,
    license: r.license ?? null,
    inImageBank: r.in_image_bank,
    position: Number(r.position),
    createdAt: iso(r.created_at)!,
    url: mediaUrl(r.id, r.filename),
  };
}

/** The media URL carries the file name so a saved file keeps it. */
export function mediaUrl(id: string, filename: string) {
  return `/news-media/${id}/${encodeURIComponent(filename)}`;
}

export function itemFromRow(r: Record<string, any>, media: NewsMedia[] = []): NewsItem {
  const title: Localized = r.title ?? {};
  return {
    id: r.id,
    tenantId: r.tenant_id,
    kind: r.kind,
    state: r.state,
    slug: r.slug,
    title,
    lead: r.lead ?? {},
    body: r.body ?? {},
    topics: r.topics ?? [],
    tags: r.tags ?? [],
    serviceIds: r.service_ids ?? [],
    audience: r.audience,
    audienceUnitIds: r.audience_unit_ids ?? [],
    mustRead: r.must_read,
    eventStartsAt: iso(r.event_starts_at),
    eventEndsAt: iso(r.event_ends_at),
    eventLocation: r.event_location ?? {},
    embargoUntil: iso(r.embargo_until),
    scheduledAt: iso(r.scheduled_at),
    embargoSentAt: iso(r.embargo_sent_at),
    publishedAt: iso(r.published_at),
    archivedAt: iso(r.archived_at),
    version: Number(r.version),
    createdBy: r.created_by ?? null,
    updatedBy: r.updated_by ?? null,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    languages: LANGUAGES.filter((l) => (title[l] ?? '').trim() !== ''),
    images: media.filter((m) => m.kind === 'image'),
    attachments: media.filter((m) => m.kind === 'attachment'),
  };
}

/** The item's public address on the tenant's site (relative). */
export function itemPath(lang: Lang, item: Pick<NewsItem, 'kind' | 'slug'>): string {
  return item.kind === 'press_release' ? `/${lang}/press/${item.slug}` : `/${lang}/news/${item.slug}`;
}

/** When a scheduled item goes public: the embargo or the scheduled time. */
export function dueAt(item: Pick<NewsItem, 'embargoUntil' | 'scheduledAt'>): string | null {
  return item.embargoUntil ?? item.scheduledAt;
}

/**
 * A moment from a form or an API: ISO 8601 with an offset or Z ("2026-12-01T09:00:00+02:00")
 * is taken as is; a wall-clock time without one ("2026-12-01T09:00", what
 * <input type=datetime-local> sends) is Helsinki time, summer or winter. null when unreadable.
 */
export function parseMoment(value: string): Date | null {
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(v)) {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::\d{2})?$/.exec(v);
  if (!m) return null;
  const [, date, hh, mm] = m;
  if (Number(hh) > 23 || Number(mm) > 59 || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) return null;
  return new Date(localToInstant(date, Number(hh) * 60 + Number(mm)));
}

/** "2026-12-01T09:00" in Helsinki time, for <input type=datetime-local> values. */
export function toLocalInput(isoValue: string | null): string {
  if (!isoValue) return '';
  const parts: Record<string, string> = {};
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Helsinki',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  for (const p of fmt.formatToParts(new Date(isoValue))) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** A slug from a title: lower case ASCII words joined by hyphens (ä → a, ö → o, å → a). */
export function slugify(title: string): string {
  const s = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
  return s || 'item';
}
