import { z } from 'zod';
import type { AuditService } from '../audit/audit.ts';
import type { CatalogReader } from '../catalog/read.ts';
import { openStatus } from '../catalog/opening-hours.ts';
import { sniffType, stripLocation } from '../feedback/attachments.ts';
import { hasRole } from '../identity/access.ts';
import type { Actor, StaffUser } from '../identity/actor.ts';
import { ITEM_COLUMNS, itemFromRow, type NewsItem } from '../newsroom/model.ts';
import type { NewsroomService } from '../newsroom/items.ts';
import { parseMoment } from '../newsroom/model.ts';
import type { OrgUnitRow, OrgUnitService } from '../tenancy/org-units.ts';
import type { Clock } from '../../platform/clock.ts';
import { randomToken, sha256 } from '../../platform/crypto.ts';
import type { Db, Queryable, Tx } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { EventBus } from '../../platform/events.ts';
import { LANGUAGES, pick, type Lang, type Localized } from '../../platform/i18n.ts';
import { isUuid, parse } from '../../platform/validation.ts';

/**
 * Info-TV signage: screens registered per org unit, each reached by a secret URL, a
 * playlist of slides per screen, and urgent notices that take screens over while active.
 *
 * Who may: communications staff and tenant admins manage every screen; unit staff manage
 * the screens of their own units (a grant on a unit covers its sub-units). The screen
 * itself is anonymous and authenticates with its URL token; only the token's SHA-256 is
 * stored, so the URL is shown once (registration, rotation) and never read back.
 *
 * Changes go out on signageChannel(tenant) after commit; each screen's event stream also
 * listens to the newsroom's channel, so a publish reaches the screens within seconds.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

export const signageChannel = (tenantId: string) => `signage:${tenantId}`;

export const SLIDE_KINDS = ['news', 'bulletins', 'image', 'text', 'hours'] as const;
export type SlideKind = (typeof SLIDE_KINDS)[number];
export const NOTICE_SEVERITIES = ['info', 'warning', 'danger'] as const;
export type NoticeSeverity = (typeof NOTICE_SEVERITIES)[number];
const MANAGER_ROLES = ['communications', 'unit_staff'] as const;

/** Heartbeats are written at most this often per screen (a screen pings every minute). */
const HEARTBEAT_WRITE_MS = 30_000;
/** A notice that starts or ends later than this is picked up by the screen's periodic refetch. */
const MAX_REFRESH_S = 300;

export interface Screen {
  id: string;
  tenantId: string;
  orgUnitId: string;
  name: string;
  locationNote: string;
  orientation: 'landscape' | 'portrait';
  lang: Lang;
  slideSeconds: number;
  lastSeenAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SlideConfig {
  id: string;
  position: number;
  kind: SlideKind;
  config: Record<string, unknown>;
}

export interface Notice {
  id: string;
  message: Localized;
  severity: NoticeSeverity;
  unitIds: string[];
  startsAt: string;
  endsAt: string | null;
  createdAt: string;
}

/** One slide as the screen shows it (the screen page renders these; see screen.ts). */
export type Slide =
  | {
      kind: 'news' | 'bulletin';
      id: string;
      itemKind: NewsItem['kind'];
      title: string;
      lead: string;
      lang: Lang;
      publishedAt: string | null;
      eventStartsAt: string | null;
      image: { url: string; alt: string } | null;
    }
  | { kind: 'image'; id: string; url: string; alt: string; caption: string }
  | { kind: 'text'; id: string; title: string; body: string }
  | {
      kind: 'hours';
      id: string;
      name: string;
      nameLang: Lang;
      known: boolean;
      open: boolean;
      intervals: { from: string; to: string }[];
      opensAt: { time: string; daysFromToday: number } | null;
    };

export interface PlaylistNotice {
  id: string;
  severity: NoticeSeverity;
  text: string;
  lang: Lang;
}

export interface Playlist {
  screen: { id: string; name: string; lang: Lang; orientation: Screen['orientation']; slideSeconds: number };
  slides: Slide[];
  notice: PlaylistNotice | null;
  /** Seconds until something scheduled changes (a notice starts or ends, a place opens or closes), at most 300: the screen refetches then. */
  refreshInSeconds: number;
  generatedAt: string;
}

const iso = (v: Date | string | null | undefined) => (v == null ? null : new Date(v).toISOString());

function screenFromRow(r: Row): Screen {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    orgUnitId: r.org_unit_id,
    name: r.name,
    locationNote: r.location_note,
    orientation: r.orientation,
    lang: r.lang,
    slideSeconds: Number(r.slide_seconds),
    lastSeenAt: iso(r.last_seen_at),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

function noticeFromRow(r: Row): Notice {
  return {
    id: r.id,
    message: r.message ?? {},
    severity: r.severity,
    unitIds: r.unit_ids ?? [],
    startsAt: iso(r.starts_at)!,
    endsAt: iso(r.ends_at),
    createdAt: iso(r.created_at)!,
  };
}

const SCREEN_COLUMNS = 'id, tenant_id, org_unit_id, name, location_note, orientation, lang, slide_seconds, last_seen_at, created_at, updated_at';

const trimmed = (max: number) => z.string({ message: 'invalid_type' }).trim().max(max, { message: 'too_long' });
const uuid = z.string({ message: 'invalid_type' }).refine(isUuid, { message: 'invalid_id' });

export const screenInput = z.strictObject({
  name: trimmed(120).min(1, { message: 'required' }),
  orgUnitId: uuid,
  locationNote: trimmed(300).optional(),
  orientation: z.enum(['landscape', 'portrait'], { message: 'invalid' }).optional(),
  lang: z.enum(LANGUAGES, { message: 'invalid' }).optional(),
  slideSeconds: z.coerce.number({ message: 'invalid_type' }).int({ message: 'invalid' }).min(5, { message: 'too_small' }).max(120, { message: 'too_big' }).optional(),
});
export const screenUpdateInput = screenInput.partial();

export const slideInput = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('news'),
      topic: z.union([z.literal(''), z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'invalid' }).max(100)]).optional(),
      count: z.coerce.number({ message: 'invalid_type' }).int({ message: 'invalid' }).min(1, { message: 'too_small' }).max(10, { message: 'too_big' }).optional(),
    }),
    z.strictObject({
      kind: z.literal('bulletins'),
      count: z.coerce.number({ message: 'invalid_type' }).int({ message: 'invalid' }).min(1, { message: 'too_small' }).max(10, { message: 'too_big' }).optional(),
    }),
    z.strictObject({ kind: z.literal('image'), mediaId: uuid, alt: trimmed(300).optional() }),
    z.strictObject({ kind: z.literal('text'), title: trimmed(120).min(1, { message: 'required' }), body: trimmed(600).optional() }),
    z.strictObject({ kind: z.literal('hours'), locationId: uuid }),
  ],
  { message: 'invalid_kind' },
);

const moment = z.union([z.string({ message: 'invalid_type' }).max(40, { message: 'invalid_date' }), z.null()]).optional();

export const noticeInput = z.strictObject({
  message: z.strictObject({ fi: trimmed(500).optional(), sv: trimmed(500).optional(), en: trimmed(500).optional() }, { message: 'invalid_type' }),
  severity: z.enum(NOTICE_SEVERITIES, { message: 'invalid' }).optional(),
  /** Empty or missing: every screen of the tenant. */
  unitIds: z.array(uuid, { message: 'invalid_type' }).max(50, { message: 'too_many' }).optional(),
  startsAt: moment,
  endsAt: moment,
});

export interface SignageDeps {
  db: Db;
  audit: AuditService;
  events: EventBus;
  clock: Clock;
  orgUnits: OrgUnitService;
  newsroom: NewsroomService;
  catalogReader: CatalogReader;
  /** Largest uploaded image (the newsroom's media limit). */
  maxImageBytes: number;
}

/** What a member of staff may do here: all screens, or those of some units. */
export interface SignageAccess {
  user: StaffUser;
  /** Tenant-wide: every screen, notices to all screens. */
  all: boolean;
  units: OrgUnitRow[];
  /** The units whose screens this person manages (with sub-units). */
  manageableUnitIds: Set<string>;
  canManage(unitId: string): boolean;
}

export class SignageService {
  private lastHeartbeat = new Map<string, number>();

  constructor(private deps: SignageDeps) {}

  // ── access ───────────────────────────────────────────────────────────────────────────

  /** 401 without staff, 403 without a signage role anywhere; else who may manage which units. */
  async access(actor: Actor, tenantId: string, lang: Lang = 'fi'): Promise<SignageAccess> {
    if (actor.kind === 'anonymous') throw new AppError('unauthenticated', 401);
    if (actor.kind !== 'staff' || actor.user.tenantId !== tenantId) throw new AppError('forbidden', 403);
    const user = actor.user;
    const units = await this.deps.orgUnits.rows(tenantId, lang);
    const parent = new Map(units.map((u) => [u.id, u.parentId]));
    const ancestors = (id: string) => {
      const out: string[] = [];
      for (let cur: string | null | undefined = id; cur && !out.includes(cur); cur = parent.get(cur)) out.push(cur);
      return out;
    };
    const manageableUnitIds = new Set(units.filter((u) => hasRole(user, [...MANAGER_ROLES], ancestors(u.id))).map((u) => u.id));
    const all = hasRole(user, [...MANAGER_ROLES]);
    if (!all && manageableUnitIds.size === 0) throw new AppError('forbidden', 403);
    return { user, all, units, manageableUnitIds, canManage: (unitId) => manageableUnitIds.has(unitId) };
  }

  private async ancestorsOf(tenantId: string, unitId: string, q: Queryable = this.deps.db): Promise<string[]> {
    return this.deps.orgUnits.ancestors(tenantId, unitId, q);
  }

  // ── screens (staff) ──────────────────────────────────────────────────────────────────

  /** The screens this person manages, by name. */
  async listScreens(actor: Actor, tenantId: string): Promise<Screen[]> {
    const a = await this.access(actor, tenantId);
    const r = await this.deps.db.query<Row>(`select ${SCREEN_COLUMNS} from signage_screens where tenant_id = $1 order by lower(name), created_at`, [tenantId]);
    return r.rows.map(screenFromRow).filter((s) => a.canManage(s.orgUnitId));
  }

  /** One screen this person manages, else 404 (another unit's screen is not told apart from a missing one). */
  async getScreen(actor: Actor, tenantId: string, id: string): Promise<Screen> {
    const a = await this.access(actor, tenantId);
    const s = await this.loadScreen(this.deps.db, tenantId, id);
    if (!s || !a.canManage(s.orgUnitId)) throw new AppError('not_found', 404);
    return s;
  }

  private async loadScreen(q: Queryable, tenantId: string, id: string, lock = false): Promise<Screen | null> {
    if (!isUuid(id)) return null;
    const r = await q.query<Row>(`select ${SCREEN_COLUMNS} from signage_screens where tenant_id = $1 and id = $2${lock ? ' for update' : ''}`, [tenantId, id]);
    return r.rows[0] ? screenFromRow(r.rows[0]) : null;
  }

  /** Registers a screen; the answer carries its secret token, shown once. */
  async createScreen(actor: Actor, tenantId: string, body: unknown, languages: readonly Lang[] = LANGUAGES, ip?: string): Promise<{ screen: Screen; token: string }> {
    const a = await this.access(actor, tenantId);
    const input = parse(screenInput, body);
    if (!a.canManage(input.orgUnitId)) throw new AppError('validation_failed', 400, { fields: { orgUnitId: 'invalid' } });
    if (input.lang && !languages.includes(input.lang)) throw new AppError('validation_failed', 400, { fields: { lang: 'invalid' } });
    const token = randomToken(32);
    return this.deps.db.transaction(async (tx) => {
      const r = await tx.query<Row>(
        `insert into signage_screens (tenant_id, org_unit_id, name, location_note, orientation, lang, slide_seconds, token_hash)
         values ($1,$2,$3,$4,$5,$6,$7,$8) returning ${SCREEN_COLUMNS}`,
        [tenantId, input.orgUnitId, input.name, input.locationNote ?? '', input.orientation ?? 'landscape', input.lang ?? languages[0] ?? 'fi', input.slideSeconds ?? 12, sha256(token)],
      );
      const screen = screenFromRow(r.rows[0]);
      await this.deps.audit.record(tx, tenantId, actor, { action: 'signage.screen.create', targetKind: 'signage_screen', targetId: screen.id, ip });
      return { screen, token };
    });
  }

  async updateScreen(actor: Actor, tenantId: string, id: string, body: unknown, languages: readonly Lang[] = LANGUAGES, ip?: string): Promise<Screen> {
    const a = await this.access(actor, tenantId);
    const input = parse(screenUpdateInput, body);
    if (input.orgUnitId && !a.canManage(input.orgUnitId)) throw new AppError('validation_failed', 400, { fields: { orgUnitId: 'invalid' } });
    if (input.lang && !languages.includes(input.lang)) throw new AppError('validation_failed', 400, { fields: { lang: 'invalid' } });
    return this.deps.db.transaction(async (tx) => {
      const cur = await this.loadScreen(tx, tenantId, id, true);
      if (!cur || !a.canManage(cur.orgUnitId)) throw new AppError('not_found', 404);
      const r = await tx.query<Row>(
        `update signage_screens set name = $3, org_unit_id = $4, location_note = $5, orientation = $6, lang = $7, slide_seconds = $8, updated_at = now()
         where tenant_id = $1 and id = $2 returning ${SCREEN_COLUMNS}`,
        [
          tenantId,
          id,
          input.name ?? cur.name,
          input.orgUnitId ?? cur.orgUnitId,
          input.locationNote ?? cur.locationNote,
          input.orientation ?? cur.orientation,
          input.lang ?? cur.lang,
          input.slideSeconds ?? cur.slideSeconds,
        ],
      );
      await this.deps.audit.record(tx, tenantId, actor, { action: 'signage.screen.update', targetKind: 'signage_screen', targetId: id, ip });
      await this.announce(tx, tenantId, 'signage.playlist', { screenId: id });
      return screenFromRow(r.rows[0]);
    });
  }

  /** A new secret URL; the old one stops working at once (its open streams are closed). */
  async rotateToken(actor: Actor, tenantId: string, id: string, ip?: string): Promise<{ screen: Screen; token: string }> {
    const a = await this.access(actor, tenantId);
    const token = randomToken(32);
    return this.deps.db.transaction(async (tx) => {
      const cur = await this.loadScreen(tx, tenantId, id, true);
      if (!cur || !a.canManage(cur.orgUnitId)) throw new AppError('not_found', 404);
      await tx.query(`update signage_screens set token_hash = $3, last_seen_at = null, updated_at = now() where tenant_id = $1 and id = $2`, [tenantId, id, sha256(token)]);
      await this.deps.audit.record(tx, tenantId, actor, { action: 'signage.screen.rotate_url', targetKind: 'signage_screen', targetId: id, ip });
      await this.announce(tx, tenantId, 'signage.screen', { screenId: id, change: 'rotated' });
      return { screen: { ...cur, lastSeenAt: null }, token };
    });
  }

  async removeScreen(actor: Actor, tenantId: string, id: string, ip?: string): Promise<void> {
    const a = await this.access(actor, tenantId);
    await this.deps.db.transaction(async (tx) => {
      const cur = await this.loadScreen(tx, tenantId, id, true);
      if (!cur || !a.canManage(cur.orgUnitId)) throw new AppError('not_found', 404);
      await tx.query(`delete from signage_screens where tenant_id = $1 and id = $2`, [tenantId, id]);
      await this.deps.audit.record(tx, tenantId, actor, { action: 'signage.screen.remove', targetKind: 'signage_screen', targetId: id, details: { name: cur.name }, ip });
      await this.announce(tx, tenantId, 'signage.screen', { screenId: id, change: 'removed' });
    });
  }

  // ── playlists (staff) ────────────────────────────────────────────────────────────────

  async slides(actor: Actor, tenantId: string, screenId: string): Promise<SlideConfig[]> {
    await this.getScreen(actor, tenantId, screenId);
    return this.slidesOf(this.deps.db, tenantId, screenId);
  }

  private async slidesOf(q: Queryable, tenantId: string, screenId: string): Promise<SlideConfig[]> {
    const r = await q.query<Row>(`select id, position, kind, config from signage_slides where tenant_id = $1 and screen_id = $2 order by position, created_at`, [
      tenantId,
      screenId,
    ]);
    return r.rows.map((x) => ({ id: x.id, position: Number(x.position), kind: x.kind, config: x.config ?? {} }));
  }

  /** Appends a slide to the screen's playlist (checking that what it points at exists). */
  async addSlide(actor: Actor, tenantId: string, screenId: string, body: unknown, ip?: string): Promise<SlideConfig> {
    const a = await this.access(actor, tenantId);
    const input = parse(slideInput, body);
    const { kind, ...config } = input;
    if (input.kind === 'image') {
      if (!(await this.deps.newsroom.bankImage(tenantId, input.mediaId))) throw new AppError('validation_failed', 400, { fields: { mediaId: 'invalid' } });
    }
    if (input.kind === 'hours' && !(await this.deps.catalogReader.unit(tenantId, input.locationId))) {
      throw new AppError('validation_failed', 400, { fields: { locationId: 'invalid' } });
    }
    if (input.kind === 'news' && input.topic && !(await this.deps.newsroom.topics(tenantId)).some((t) => t.slug === input.topic)) {
      throw new AppError('validation_failed', 400, { fields: { topic: 'invalid' } });
    }
    if (input.kind === 'news' && !input.topic) delete (config as { topic?: string }).topic;
    return this.insertSlide(actor, a, tenantId, screenId, kind, config, null, ip);
  }

  /** Appends an image slide with an uploaded picture (JPEG, PNG, WebP; location data stripped); alt text is required. */
  async addUploadedImage(actor: Actor, tenantId: string, screenId: string, input: { data: Uint8Array; alt: unknown }, ip?: string): Promise<SlideConfig> {
    const a = await this.access(actor, tenantId);
    const alt = parse(z.strictObject({ alt: trimmed(300).min(1, { message: 'required' }) }), { alt: input.alt }).alt;
    if (!input.data.byteLength) throw new AppError('validation_failed', 400, { fields: { file: 'required' } });
    if (input.data.byteLength > this.deps.maxImageBytes) {
      throw new AppError('payload_too_large', 413, { fields: { file: 'too_large' }, maxBytes: this.deps.maxImageBytes });
    }
    const type = sniffType(input.data);
    if (!type || !type.startsWith('image/')) throw new AppError('unsupported_media_type', 415, { fields: { file: 'not_an_image' } });
    const bytes = stripLocation(type, input.data);
    return this.insertSlide(actor, a, tenantId, screenId, 'image', { uploaded: true, alt }, { bytes, type }, ip);
  }

  /** Appends a slide at the end of the screen's playlist (at most 30), audited and announced to the screen. */
  private async insertSlide(
    actor: Actor,
    a: SignageAccess,
    tenantId: string,
    screenId: string,
    kind: SlideKind,
    config: Record<string, unknown>,
    image: { bytes: Uint8Array; type: string } | null,
    ip?: string,
  ): Promise<SlideConfig> {
    return this.deps.db.transaction(async (tx) => {
      const screen = await this.loadScreen(tx, tenantId, screenId, true);
      if (!screen || !a.canManage(screen.orgUnitId)) throw new AppError('not_found', 404);
      const count = await tx.query<Row>(`select count(*) as n, coalesce(max(position), -1) as last from signage_slides where screen_id = $1`, [screenId]);
      if (Number(count.rows[0].n) >= 30) throw new AppError('validation_failed', 400, { fields: { kind: 'too_many' } });
      const r = await tx.query<Row>(
        `insert into signage_slides (tenant_id, screen_id, position, kind, config, image_bytes, image_type) values ($1,$2,$3,$4,$5,$6,$7)
         returning id, position, kind, config`,
        [tenantId, screenId, Number(count.rows[0].last) + 1, kind, JSON.stringify(config), image?.bytes ?? null, image?.type ?? null],
      );
      const details = image ? { kind, uploaded: true } : { kind };
      await this.deps.audit.record(tx, tenantId, actor, { action: 'signage.slide.add', targetKind: 'signage_screen', targetId: screenId, details, ip });
      await this.announce(tx, tenantId, 'signage.playlist', { screenId });
      const x = r.rows[0];
      return { id: x.id, position: Number(x.position), kind: x.kind, config: x.config ?? {} };
    });
  }

  /** An uploaded slide image for /signage/media/{slideId}; the slide's random id is its only key, as for a screen's content. */
  async uploadedImage(tenantId: string, slideId: string): Promise<{ bytes: Uint8Array; type: string } | null> {
    if (!isUuid(slideId)) return null;
    const r = await this.deps.db.query<Row>(`select image_bytes, image_type from signage_slides where tenant_id = $1 and id = $2 and image_bytes is not null`, [
      tenantId,
      slideId,
    ]);
    return r.rows[0] ? { bytes: r.rows[0].image_bytes, type: r.rows[0].image_type } : null;
  }

  async removeSlide(actor: Actor, tenantId: string, screenId: string, slideId: string, ip?: string): Promise<void> {
    const a = await this.access(actor, tenantId);
    await this.deps.db.transaction(async (tx) => {
      const screen = await this.loadScreen(tx, tenantId, screenId, true);
      if (!screen || !a.canManage(screen.orgUnitId) || !isUuid(slideId)) throw new AppError('not_found', 404);
      const r = await tx.query(`delete from signage_slides where tenant_id = $1 and screen_id = $2 and id = $3`, [tenantId, screenId, slideId]);
      if (!r.rowCount) throw new AppError('not_found', 404);
      await this.deps.audit.record(tx, tenantId, actor, { action: 'signage.slide.remove', targetKind: 'signage_screen', targetId: screenId, ip });
      await this.announce(tx, tenantId, 'signage.playlist', { screenId });
    });
  }

  /** Swaps the slide with its neighbour above or below (positions are renumbered 0…n-1). */
  async moveSlide(actor: Actor, tenantId: string, screenId: string, slideId: string, direction: unknown, ip?: string): Promise<void> {
    const a = await this.access(actor, tenantId);
    if (direction !== 'up' && direction !== 'down') throw new AppError('validation_failed', 400, { fields: { direction: 'invalid' } });
    await this.deps.db.transaction(async (tx) => {
      const screen = await this.loadScreen(tx, tenantId, screenId, true);
      if (!screen || !a.canManage(screen.orgUnitId)) throw new AppError('not_found', 404);
      const ids = (await this.slidesOf(tx, tenantId, screenId)).map((s) => s.id);
      const i = ids.indexOf(slideId);
      if (i < 0) throw new AppError('not_found', 404);
      const j = direction === 'up' ? i - 1 : i + 1;
      if (j < 0 || j >= ids.length) return;
      [ids[i], ids[j]] = [ids[j], ids[i]];
      for (const [n, id] of ids.entries()) await tx.query(`update signage_slides set position = $2 where id = $1`, [id, n]);
      await this.deps.audit.record(tx, tenantId, actor, { action: 'signage.slide.move', targetKind: 'signage_screen', targetId: screenId, details: { direction }, ip });
      await this.announce(tx, tenantId, 'signage.playlist', { screenId });
    });
  }

  /** Published catalog service locations, for the opening-hours slide's choice. */
  async hoursLocations(tenantId: string): Promise<{ id: string; names: Localized }[]> {
    const r = await this.deps.db.query<Row>(
      `select id, names from catalog_channels where tenant_id = $1 and kind = 'service_location' and status = 'published' order by names->>'fi' limit 500`,
      [tenantId],
    );
    return r.rows.map((x) => ({ id: x.id, names: x.names ?? {} }));
  }

  // ── urgent notices ───────────────────────────────────────────────────────────────────

  /** Notices this person may see: tenant-wide managers all; unit staff those aimed at everyone or at their units. */
  async listNotices(actor: Actor, tenantId: string): Promise<(Notice & { active: boolean; canEnd: boolean })[]> {
    const a = await this.access(actor, tenantId);
    const now = this.deps.clock.now().getTime();
    const r = await this.deps.db.query<Row>(
      `select id, message, severity, unit_ids, starts_at, ends_at, created_at from signage_notices where tenant_id = $1
       order by (ends_at is null or ends_at > $2) desc, starts_at desc limit 100`,
      [tenantId, new Date(now)],
    );
    return r.rows
      .map(noticeFromRow)
      .filter((n) => a.all || n.unitIds.length === 0 || n.unitIds.some((u) => a.canManage(u)))
      .map((n) => ({
        ...n,
        active: Date.parse(n.startsAt) <= now && (n.endsAt === null || Date.parse(n.endsAt) > now),
        canEnd: (n.endsAt === null || Date.parse(n.endsAt) > now) && this.mayTarget(a, n.unitIds),
      }));
  }

  private mayTarget(a: SignageAccess, unitIds: string[]) {
    return unitIds.length === 0 ? a.all : unitIds.every((u) => a.canManage(u));
  }

  /** An urgent notice; from now (by the application clock) unless startsAt says otherwise. */
  async createNotice(actor: Actor, tenantId: string, body: unknown, ip?: string): Promise<Notice> {
    const a = await this.access(actor, tenantId);
    const input = parse(noticeInput, body);
    const message: Localized = {};
    for (const l of LANGUAGES) if (input.message[l]) message[l] = input.message[l];
    if (!Object.keys(message).length) throw new AppError('validation_failed', 400, { fields: { message: 'required' } });
    const unitIds = [...new Set(input.unitIds ?? [])];
    if (!this.mayTarget(a, unitIds)) throw new AppError('validation_failed', 400, { fields: { unitIds: 'invalid' } });
    const now = this.deps.clock.now();
    const startsAt = input.startsAt ? parseMoment(input.startsAt) : now;
    const endsAt = input.endsAt ? parseMoment(input.endsAt) : null;
    if (!startsAt) throw new AppError('validation_failed', 400, { fields: { startsAt: 'invalid_date' } });
    if (input.endsAt && !endsAt) throw new AppError('validation_failed', 400, { fields: { endsAt: 'invalid_date' } });
    if (endsAt && (endsAt <= startsAt || endsAt <= now)) throw new AppError('validation_failed', 400, { fields: { endsAt: 'before_start' } });
    return this.deps.db.transaction(async (tx) => {
      const r = await tx.query<Row>(
        `insert into signage_notices (tenant_id, message, severity, unit_ids, starts_at, ends_at, created_by) values ($1,$2,$3,$4,$5,$6,$7)
         returning id, message, severity, unit_ids, starts_at, ends_at, created_at`,
        [tenantId, JSON.stringify(message), input.severity ?? 'warning', unitIds, startsAt, endsAt, a.user.id],
      );
      const notice = noticeFromRow(r.rows[0]);
      await this.deps.audit.record(tx, tenantId, actor, { action: 'signage.notice.create', targetKind: 'signage_notice', targetId: notice.id, ip });
      await this.announce(tx, tenantId, 'signage.notice', { noticeId: notice.id });
      return notice;
    });
  }

  /** Ends a notice now (by the application clock): screens return to their playlists. */
  async endNotice(actor: Actor, tenantId: string, id: string, ip?: string): Promise<void> {
    const a = await this.access(actor, tenantId);
    if (!isUuid(id)) throw new AppError('not_found', 404);
    await this.deps.db.transaction(async (tx) => {
      const r = await tx.query<Row>(`select id, message, severity, unit_ids, starts_at, ends_at, created_at from signage_notices where tenant_id = $1 and id = $2 for update`, [
        tenantId,
        id,
      ]);
      if (!r.rows[0]) throw new AppError('not_found', 404);
      const n = noticeFromRow(r.rows[0]);
      if (!a.all && !(n.unitIds.length === 0 || n.unitIds.some((u) => a.canManage(u)))) throw new AppError('not_found', 404);
      if (!this.mayTarget(a, n.unitIds)) throw new AppError('forbidden', 403);
      const now = this.deps.clock.now();
      if (n.endsAt && Date.parse(n.endsAt) <= now.getTime()) return;
      // A notice that has not started yet ends where it would have started: it never shows.
      const end = Date.parse(n.startsAt) > now.getTime() ? new Date(n.startsAt) : now;
      await tx.query(`update signage_notices set ends_at = $3 where tenant_id = $1 and id = $2`, [tenantId, id, end]);
      await this.deps.audit.record(tx, tenantId, actor, { action: 'signage.notice.end', targetKind: 'signage_notice', targetId: id, ip });
      await this.announce(tx, tenantId, 'signage.notice', { noticeId: id });
    });
  }

  // ── the screen's side ────────────────────────────────────────────────────────────────

  /** The screen a URL token opens, in this tenant; null for an unknown, rotated or malformed token. */
  async screenByToken(tenantId: string, token: string): Promise<Screen | null> {
    if (!/^[\w-]{30,100}$/.test(token)) return null;
    const r = await this.deps.db.query<Row>(`select ${SCREEN_COLUMNS} from signage_screens where tenant_id = $1 and token_hash = $2`, [tenantId, sha256(token)]);
    return r.rows[0] ? screenFromRow(r.rows[0]) : null;
  }

  /** Records that the screen is alive; at most one write per screen every 30 s (per instance). */
  async heartbeat(screen: Screen): Promise<void> {
    const now = Date.now();
    if (now - (this.lastHeartbeat.get(screen.id) ?? 0) < HEARTBEAT_WRITE_MS) return;
    this.lastHeartbeat.set(screen.id, now);
    if (this.lastHeartbeat.size > 10_000) this.lastHeartbeat.clear();
    await this.deps.db.query(`update signage_screens set last_seen_at = now() where tenant_id = $1 and id = $2`, [screen.tenantId, screen.id]);
  }

  /** What the screen shows now: its slides expanded (news items, bulletins, hours) and any active urgent notice. */
  async playlist(screen: Screen, fallbackLang: Lang): Promise<Playlist> {
    const { tenantId } = screen;
    const lang = screen.lang;
    const now = this.deps.clock.now();
    const ancestors = await this.ancestorsOf(tenantId, screen.orgUnitId);
    const slides: Slide[] = [];
    // The moment an hours slide's "open now" flips: the screen refetches then.
    let hoursChange: number | null = null;
    for (const s of await this.slidesOf(this.deps.db, tenantId, screen.id)) {
      const c = s.config as Record<string, string | number | undefined>;
      if (s.kind === 'news') {
        const { items } = await this.deps.newsroom.publicList(tenantId, {
          lang,
          kinds: ['news', 'event', 'press_release'],
          topic: typeof c.topic === 'string' && c.topic ? c.topic : undefined,
          limit: Number(c.count ?? 3),
        });
        for (const item of items) slides.push(itemSlide('news', item, lang, fallbackLang));
      } else if (s.kind === 'bulletins') {
        for (const item of await this.bulletins(tenantId, ancestors, Number(c.count ?? 3), lang, fallbackLang)) slides.push(itemSlide('bulletin', item, lang, fallbackLang));
      } else if (s.kind === 'image' && c.uploaded) {
        slides.push({ kind: 'image', id: s.id, url: uploadedImageUrl(s.id), alt: String(c.alt ?? ''), caption: '' });
      } else if (s.kind === 'image') {
        const media = await this.deps.newsroom.bankImage(tenantId, String(c.mediaId ?? ''));
        // An image taken out of the bank is no longer public: the slide is skipped.
        if (!media) continue;
        const alt = typeof c.alt === 'string' && c.alt ? c.alt : pick(media.alt, lang, [fallbackLang]).text;
        slides.push({ kind: 'image', id: s.id, url: media.url, alt, caption: pick(media.caption, lang, [fallbackLang]).text });
      } else if (s.kind === 'text') {
        slides.push({ kind: 'text', id: s.id, title: String(c.title ?? ''), body: String(c.body ?? '') });
      } else if (s.kind === 'hours') {
        const view = await this.deps.catalogReader.unit(tenantId, String(c.locationId ?? ''));
        if (!view) continue;
        const status = openStatus(view.unit.serviceHours, now.getTime());
        if (hoursChange === null || status.nextChange < hoursChange) hoursChange = status.nextChange;
        const name = pick(view.unit.names, lang, [fallbackLang]);
        slides.push({
          kind: 'hours',
          id: s.id,
          name: name.text,
          nameLang: name.lang,
          known: status.known,
          open: status.open,
          intervals: status.today.intervals,
          opensAt: status.opensAt ? { time: status.opensAt.time, daysFromToday: status.opensAt.daysFromToday } : null,
        });
      }
    }
    const { notice, nextChange: noticeChange } = await this.noticeFor(tenantId, ancestors, now);
    const changes = [noticeChange, hoursChange].filter((t): t is number => t !== null && Number.isFinite(t));
    const nextChange = changes.length ? Math.min(...changes) : null;
    const refreshInSeconds = Math.max(1, Math.min(MAX_REFRESH_S, nextChange === null ? MAX_REFRESH_S : Math.ceil((nextChange - now.getTime()) / 1000) + 1));
    return {
      screen: { id: screen.id, name: screen.name, lang, orientation: screen.orientation, slideSeconds: screen.slideSeconds },
      slides,
      notice: notice ? { id: notice.id, severity: notice.severity, ...toText(pick(notice.message, lang, [fallbackLang])) } : null,
      refreshInSeconds,
      generatedAt: now.toISOString(),
    };
  }

  /** Published staff-audience items for everyone or for the screen's unit (or a unit above it). */
  private async bulletins(tenantId: string, ancestors: string[], count: number, lang: Lang, fallbackLang: Lang): Promise<NewsItem[]> {
    const r = await this.deps.db.query<Row>(
      `select ${ITEM_COLUMNS} from news_items i where i.tenant_id = $1 and i.state = 'published' and i.audience = 'staff'
         and (cardinality(i.audience_unit_ids) = 0 or i.audience_unit_ids && $2::uuid[])
         and (coalesce(i.title->>'${lang}', '') <> '' or coalesce(i.title->>'${fallbackLang}', '') <> '')
       order by i.must_read desc, i.published_at desc limit ${Math.min(Math.max(count, 1), 10)}`,
      [tenantId, ancestors],
    );
    return r.rows.map((row) => itemFromRow(row));
  }

  /** The notice a screen shows now (most severe, then newest) and when the next one starts or ends. */
  private async noticeFor(tenantId: string, ancestors: string[], now: Date): Promise<{ notice: Notice | null; nextChange: number | null }> {
    const r = await this.deps.db.query<Row>(
      `select id, message, severity, unit_ids, starts_at, ends_at, created_at from signage_notices
       where tenant_id = $1 and (ends_at is null or ends_at > $2) and (cardinality(unit_ids) = 0 or unit_ids && $3::uuid[])
       order by starts_at`,
      [tenantId, now, ancestors],
    );
    const rank = { danger: 3, warning: 2, info: 1 } as const;
    let notice: Notice | null = null;
    let nextChange: number | null = null;
    const consider = (t: number) => {
      if (t > now.getTime() && (nextChange === null || t < nextChange)) nextChange = t;
    };
    for (const n of r.rows.map(noticeFromRow)) {
      consider(Date.parse(n.startsAt));
      if (n.endsAt) consider(Date.parse(n.endsAt));
      if (Date.parse(n.startsAt) > now.getTime()) continue;
      if (!notice || rank[n.severity] > rank[notice.severity] || (rank[n.severity] === rank[notice.severity] && n.startsAt >= notice.startsAt)) notice = n;
    }
    return { notice, nextChange };
  }

  private async announce(tx: Tx, tenantId: string, type: string, data: Record<string, unknown>) {
    await this.deps.events.publish(tx, { channel: signageChannel(tenantId), type, data: { tenantId, ...data } });
  }
}

export const uploadedImageUrl = (slideId: string) => `/signage/media/${slideId}`;

function toText(p: { text: string; lang: Lang }) {
  return { text: p.text, lang: p.lang };
}

function itemSlide(kind: 'news' | 'bulletin', item: NewsItem, lang: Lang, fallbackLang: Lang): Slide {
  const title = pick(item.title, lang, [fallbackLang]);
  const image = item.images[0];
  return {
    kind,
    id: item.id,
    itemKind: item.kind,
    title: title.text,
    lead: pick(item.lead, title.lang).text,
    lang: title.lang,
    publishedAt: item.publishedAt,
    eventStartsAt: item.eventStartsAt,
    // Bulletins' images need a staff session to load: the anonymous screen shows their text only.
    image: kind === 'news' && image ? { url: image.url, alt: pick(image.alt, title.lang).text } : null,
  };
}
