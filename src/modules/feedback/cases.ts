import { randomUUID } from 'node:crypto';
import type { AuditService } from '../audit/audit.ts';
import { hasRole, requireStaff } from '../identity/access.ts';
import type { Actor, StaffUser } from '../identity/actor.ts';
import type { OrgUnitService } from '../tenancy/org-units.ts';
import type { TenancyService } from '../tenancy/tenants.ts';
import type { Mailer } from '../../server/services.ts';
import type { ContentVersions } from '../catalog/content-version.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import { randomToken, SecretBox, sha256 } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { pick, type Lang, type Localized } from '../../platform/i18n.ts';
import { prepareAttachment, type PreparedAttachment } from './attachments.ts';
import { isUuid, type FeedbackCategoryService } from './categories.ts';
import {
  CASE_STATUSES,
  DESCRIPTION_MAX,
  FINISHED_STATUSES,
  isFinished,
  isLangValue,
  type Attachment,
  type CaseEvent,
  type CaseStatus,
  type Category,
  type PublicCase,
  type QueueFilter,
  type QueueItem,
  type ResidentCase,
  type StaffCase,
  type SubmissionInput,
  type SubmitContext,
  type SubmitResult,
} from './model.ts';
import { followPath, receiptMail, replyMail, statusMail } from './notify.ts';
import { checkContent, countSubmission, type SpamLimits } from './spam.ts';

/**
 * Cases: one submission path for the web form, the REST API and Open311; the staff
 * handling commands; the resident's and the public's read sides.
 *
 * Access: staff with customer_service or unit_staff (tenant admins implied) handle the
 * cases of the units their grants cover (a grant on a unit covers its sub-units). Every
 * staff read of a case with its contact details is written to the audit log. The resident
 * reaches their case through the private follow-up token or, signed in, as its owner.
 */

export const HANDLER_ROLES = ['customer_service', 'unit_staff'] as const;
export const PAGE_SIZE = 50;

export interface FeedbackConfig {
  limits: SpamLimits;
  maxAttachmentBytes: number;
  maxAttachments: number;
  /** PUBLIC_URL ({host} = the tenant's host); otherwise the request's origin is used. */
  publicUrl?: string;
  sessionSecret: string;
}

export interface FeedbackDeps {
  db: Db;
  audit: AuditService;
  mail: Mailer;
  orgUnits: OrgUnitService;
  tenancy: TenancyService;
  categories: FeedbackCategoryService;
  /** The public feed shows a published case's status: a change bumps the tenant's content version. */
  contentVersions: ContentVersions;
  config: FeedbackConfig;
}

/** Where a command came from: the IP for the audit log and rate limits, the origin for links. */
export interface CaseContext {
  ip?: string;
  /** e.g. https://esimerkkila.fi; e-mailed links use it unless PUBLIC_URL is set. */
  origin?: string;
}

export interface CaseRow {
  id: string;
  tenant_id: string;
  number: string;
  category_id: string;
  org_unit_id: string;
  status: CaseStatus;
  channel: 'web' | 'open311' | 'staff';
  description: string;
  attributes: Record<string, string | string[]>;
  lat: number | null;
  lon: number | null;
  address: string | null;
  resident_id: string | null;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  lang: Lang;
  follow_token_sealed: string;
  open311_token: string;
  assigned_to: string | null;
  duplicate_of: string | null;
  public_description: string | null;
  public_answer: string | null;
  publication: 'none' | 'pending' | 'published' | 'rejected';
  published_at: Date | string | null;
  due_at: Date | string;
  resolved_at: Date | string | null;
  fixed: 'yes' | 'no' | null;
  fixed_comment: string | null;
  fixed_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const iso = (v: Date | string) => new Date(v).toISOString();
const isoOrNull = (v: Date | string | null) => (v === null ? null : iso(v));
const EMAIL = /^[^\s@<>"]{1,64}@[^\s@<>"]{1,190}\.[^\s@<>"]{2,}$/;
const PHONE = /^\+?[0-9 ()-]{5,30}$/;

export class FeedbackCaseService {
  private box: SecretBox;

  constructor(private d: FeedbackDeps) {
    this.box = new SecretBox(d.config.sessionSecret);
  }

  // ---------------------------------------------------------------- submission

  /**
   * Creates a case, or returns the case an earlier identical submission made (the same
   * idempotency key within a day, or the same content from the same sender within a
   * minute). Validation, spam checks and attachment checks all happen before anything is
   * written; the case, its first event, its attachments and the receipt e-mail are one
   * transaction.
   */
  async submit(actor: Actor, tenantId: string, input: SubmissionInput, ctx: SubmitContext & CaseContext): Promise<SubmitResult> {
    checkContent(this.d.config.limits, { description: String(input.description ?? ''), honeypot: input.honeypot });
    const category = await this.d.categories.byCode(tenantId, String(input.categoryCode ?? ''));
    if (!category) throw new AppError('validation_failed', 400, { fields: { categoryCode: input.categoryCode ? 'not_found' : 'required' } });
    const clean = validateSubmission(category, input);
    const resident = actor.kind === 'resident' && actor.resident.tenantId === tenantId ? actor.resident : null;
    const email = clean.contactEmail ?? (resident?.email || null);
    const files = input.files ?? [];
    if (files.length > this.d.config.maxAttachments) {
      throw new AppError('validation_failed', 400, { fields: { attachments: 'too_many' }, max: this.d.config.maxAttachments });
    }
    const prepared: PreparedAttachment[] = files.map((f) => prepareAttachment(f, this.d.config.maxAttachmentBytes));

    const sameHash = sha256(
      JSON.stringify([category.id, clean.description, clean.attributes, clean.lat, clean.lon, clean.address, email, resident?.id ?? null, ctx.apiTokenId ?? null]),
    );
    const idemKey = typeof input.idempotencyKey === 'string' && input.idempotencyKey.trim() ? input.idempotencyKey.trim().slice(0, 200) : null;
    const caseId = randomUUID();

    return this.d.db.transaction(async (tx) => {
      const keys = [...(idemKey ? [{ key: `idem:${sha256(idemKey)}`, ttl: '1 day' }] : []), { key: `same:${sameHash}`, ttl: '1 minute' }];
      for (const k of keys) {
        const claimed = await tx.query(
          `insert into feedback_submissions (tenant_id, key, case_id) values ($1, $2, $3)
           on conflict (tenant_id, key) do update set case_id = excluded.case_id, created_at = now()
             where feedback_submissions.created_at < now() - $4::interval
           returning 1`,
          [tenantId, k.key, caseId, k.ttl],
        );
        if (claimed.rows.length) continue;
        const earlier = await tx.query<{ case_id: string }>('select case_id from feedback_submissions where tenant_id = $1 and key = $2', [tenantId, k.key]);
        const existing = await this.row(tx, tenantId, earlier.rows[0].case_id);
        if (existing) {
          // Keys this submission already claimed point at the case that exists.
          await tx.query(`update feedback_submissions set case_id = $3 where tenant_id = $1 and case_id = $2`, [tenantId, caseId, existing.id]);
          return {
            caseId: existing.id,
            number: Number(existing.number),
            token: existing.open311_token,
            followToken: this.box.open(existing.follow_token_sealed, `feedback-follow:${existing.id}`),
            repeated: true,
          };
        }
      }

      await countSubmission(tx, tenantId, this.d.config.limits, { ip: ctx.channel === 'web' ? ctx.ip : null, email });

      const followToken = randomToken(24);
      const open311Token = randomToken(12);
      const r = await tx.query<{ number: string }>(
        `insert into feedback_cases (id, tenant_id, category_id, org_unit_id, channel, api_token_id, description, attributes, lat, lon, address,
           resident_id, contact_name, contact_email, contact_phone, lang, follow_token_hash, follow_token_sealed, open311_token, due_at)
         values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19, now() + make_interval(days => $20))
         returning number`,
        [
          caseId,
          tenantId,
          category.id,
          category.orgUnitId,
          ctx.channel,
          ctx.apiTokenId ?? null,
          clean.description,
          JSON.stringify(clean.attributes),
          clean.lat,
          clean.lon,
          clean.address,
          resident?.id ?? null,
          clean.contactName,
          email,
          clean.contactPhone,
          input.lang,
          sha256(followToken),
          this.box.seal(followToken, `feedback-follow:${caseId}`),
          open311Token,
          category.slaDays,
        ],
      );
      const number = Number(r.rows[0].number);
      await addEvent(tx, tenantId, caseId, actor, { kind: 'created', visibility: 'resident', data: { ...ctx.createdData, channel: ctx.channel } });
      for (const a of prepared) {
        await tx.query(
          `insert into feedback_attachments (tenant_id, case_id, filename, content_type, size, sha256, location_kept, data)
           values ($1,$2,$3,$4,$5,$6,$7,$8)`,
          [tenantId, caseId, a.filename, a.contentType, a.data.byteLength, a.sha256, a.locationKept, a.data],
        );
      }
      if (email) {
        const { org, link } = await this.mailFrame(tx, { tenantId, lang: input.lang, token: followToken }, ctx.origin);
        await this.d.mail.enqueue(tx, { tenantId, to: email, ...receiptMail(input.lang, org, number, pick(category.names, input.lang).text, link) });
      }
      return { caseId, number, token: open311Token, followToken, repeated: false };
    });
  }

  // ---------------------------------------------------------------- staff

  /** The units whose cases a staff member handles; null = every unit of the tenant. */
  async handledUnits(user: StaffUser, tenantId: string, q: Queryable = this.d.db): Promise<string[] | null> {
    if (user.grants.some((g) => g.orgUnitId === null && (g.role === 'tenant_admin' || (HANDLER_ROLES as readonly string[]).includes(g.role)))) return null;
    const units = await this.d.orgUnits.rows(tenantId, 'fi', q);
    const parent = new Map(units.map((u) => [u.id, u.parentId]));
    const chain = (id: string) => {
      const out: string[] = [];
      for (let cur: string | null | undefined = id; cur; cur = parent.get(cur)) out.push(cur);
      return out;
    };
    return units.filter((u) => hasRole(user, [...HANDLER_ROLES], chain(u.id))).map((u) => u.id);
  }

  /** The staff member may handle cases of this unit; 404 for another tenant, 403 otherwise. */
  async requireHandler(actor: Actor, tenantId: string, orgUnitId: string, q: Queryable = this.d.db): Promise<StaffUser> {
    const user = requireStaff(actor);
    if (user.tenantId !== tenantId) throw new AppError('not_found', 404);
    const ancestors = await this.d.orgUnits.ancestors(tenantId, orgUnitId, q);
    if (!hasRole(user, [...HANDLER_ROLES], ancestors)) throw new AppError('forbidden', 403);
    return user;
  }

  /** A staff member's queue: cases of the units they handle, filtered; no contact details. */
  async queue(actor: Actor, tenantId: string, filter: QueueFilter = {}): Promise<{ items: QueueItem[]; total: number; page: number; pageSize: number }> {
    const user = requireStaff(actor);
    if (user.tenantId !== tenantId) throw new AppError('not_found', 404);
    const units = await this.handledUnits(user, tenantId);
    if (units && units.length === 0) throw new AppError('forbidden', 403);
    const where = ['c.tenant_id = $1'];
    const params: unknown[] = [tenantId];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (units) add('c.org_unit_id = any(?::uuid[])', units);
    if (filter.orgUnitId) {
      if (!isUuid(filter.orgUnitId)) throw new AppError('validation_failed', 400, { fields: { orgUnitId: 'invalid' } });
      add('c.org_unit_id = ?', filter.orgUnitId);
    }
    if (filter.status === 'open') add('c.status <> all(?::text[])', FINISHED_STATUSES);
    else if (filter.status === 'finished') add('c.status = any(?::text[])', FINISHED_STATUSES);
    else if (filter.status) {
      if (!(CASE_STATUSES as readonly string[]).includes(filter.status)) throw new AppError('validation_failed', 400, { fields: { status: 'invalid' } });
      add('c.status = ?', filter.status);
    }
    if (filter.categoryId) {
      if (!isUuid(filter.categoryId)) throw new AppError('validation_failed', 400, { fields: { categoryId: 'invalid' } });
      add('c.category_id = ?', filter.categoryId);
    }
    if (filter.assignedTo === 'none') where.push('c.assigned_to is null');
    else if (filter.assignedTo === 'me') add('c.assigned_to = ?', user.id);
    else if (filter.assignedTo) {
      if (!isUuid(filter.assignedTo)) throw new AppError('validation_failed', 400, { fields: { assignedTo: 'invalid' } });
      add('c.assigned_to = ?', filter.assignedTo);
    }
    if (filter.overdue) add(`c.due_at < now() and c.status <> all(?::text[])`, FINISHED_STATUSES);
    if (filter.q?.trim()) {
      const q = filter.q.trim().slice(0, 200);
      if (/^#?\d{1,12}$/.test(q)) add('c.number = ?', Number(q.replace('#', '')));
      else add(`(c.description ilike ? escape '\\' or c.address ilike $${params.length + 1} escape '\\')`, `%${q.replace(/[\\%_]/g, (m) => '\\' + m)}%`);
    }
    const page = Math.max(1, Math.min(10_000, Math.floor(filter.page ?? 1)));
    const sql = `from feedback_cases c join feedback_categories k on k.id = c.category_id join org_units u on u.id = c.org_unit_id
      left join staff_users s on s.id = c.assigned_to where ${where.join(' and ')}`;
    const [rows, count] = await Promise.all([
      this.d.db.query<QueueRow>(
        `select c.id, c.number, k.code as category_code, k.names as category_names, c.org_unit_id, u.names as unit_names, c.status, c.channel,
           left(c.description, 200) as excerpt, c.address, c.assigned_to, s.name as assigned_name, c.due_at, k.accessibility, c.publication,
           c.created_at, c.updated_at
         ${sql} order by (c.status = any('{${FINISHED_STATUSES.join(',')}}'::text[])), c.due_at, c.created_at
         limit ${PAGE_SIZE} offset ${(page - 1) * PAGE_SIZE}`,
        params,
      ),
      this.d.db.query<{ n: number }>(`select count(*)::int as n ${sql}`, params),
    ]);
    return { items: rows.rows.map(queueItem), total: count.rows[0].n, page, pageSize: PAGE_SIZE };
  }

  /** One case with contact details and history; the read is audited. */
  async get(actor: Actor, tenantId: string, id: string, ctx: CaseContext = {}): Promise<StaffCase> {
    const row = await this.row(this.d.db, tenantId, id);
    if (!row) throw new AppError('not_found', 404);
    await this.requireHandler(actor, tenantId, row.org_unit_id);
    const c = await this.staffView(this.d.db, row);
    await this.d.audit.record(this.d.db, tenantId, actor, {
      action: 'feedback.case_read',
      targetKind: 'feedback_case',
      targetId: id,
      reason: 'case handling',
      details: { number: c.number },
      ip: ctx.ip,
    });
    return c;
  }

  /** Sets the status; the resident sees it and gets an e-mail. Resolving asks "was this fixed?". */
  async setStatus(actor: Actor, tenantId: string, id: string, status: unknown, ctx: CaseContext = {}): Promise<void> {
    if (typeof status !== 'string' || !(CASE_STATUSES as readonly string[]).includes(status) || status === 'duplicate') {
      // duplicate is set by merging, which says of which case.
      throw new AppError('validation_failed', 400, { fields: { status: 'invalid' } });
    }
    await this.command(actor, tenantId, id, ctx, async (tx, row) => {
      if (row.status === status) return;
      await this.changeStatus(tx, row, actor, status as CaseStatus, ctx);
      await this.auditCase(tx, tenantId, actor, 'feedback.case_status', row, ctx, { from: row.status, to: status });
    });
  }

  async assign(actor: Actor, tenantId: string, id: string, userId: unknown, ctx: CaseContext = {}): Promise<void> {
    const target = userId === null || userId === '' || userId === undefined ? null : String(userId);
    if (target !== null && !isUuid(target)) throw new AppError('validation_failed', 400, { fields: { assignedTo: 'invalid' } });
    await this.command(actor, tenantId, id, ctx, async (tx, row) => {
      let name: string | null = null;
      if (target) {
        const candidates = await this.assignees(tx, tenantId, row.org_unit_id);
        const hit = candidates.find((c) => c.id === target);
        if (!hit) throw new AppError('validation_failed', 400, { fields: { assignedTo: 'not_a_handler' } });
        name = hit.name;
      }
      await tx.query('update feedback_cases set assigned_to = $3, updated_at = now() where tenant_id = $1 and id = $2', [tenantId, id, target]);
      await addEvent(tx, tenantId, id, actor, { kind: 'assigned', visibility: 'internal', data: { userId: target, name } });
      await this.auditCase(tx, tenantId, actor, 'feedback.case_assigned', row, ctx, { userId: target });
    });
  }

  /** Staff who can be assigned a case of the unit: active handlers whose grants cover it. */
  async assignees(q: Queryable, tenantId: string, orgUnitId: string): Promise<{ id: string; name: string }[]> {
    const ancestors = await this.d.orgUnits.ancestors(tenantId, orgUnitId, q);
    const r = await q.query<{ id: string; name: string }>(
      `select distinct u.id, u.name from staff_users u join role_grants g on g.user_id = u.id and g.tenant_id = u.tenant_id
       where u.tenant_id = $1 and u.active and g.role = any($2::text[]) and (g.org_unit_id is null or g.org_unit_id = any($3::uuid[]))
       order by u.name`,
      [tenantId, ['tenant_admin', ...HANDLER_ROLES], ancestors],
    );
    return r.rows;
  }

  async addNote(actor: Actor, tenantId: string, id: string, body: unknown, ctx: CaseContext = {}): Promise<void> {
    const text = requireText(body, 'body', 4000);
    await this.command(actor, tenantId, id, ctx, async (tx) => {
      await addEvent(tx, tenantId, id, actor, { kind: 'note', visibility: 'internal', body: text });
      await tx.query('update feedback_cases set updated_at = now() where tenant_id = $1 and id = $2', [tenantId, id]);
    });
  }

  /** Moves the case to another unit's queue with a reason; the assignment is cleared. */
  async transfer(actor: Actor, tenantId: string, id: string, input: { orgUnitId?: unknown; reason?: unknown }, ctx: CaseContext = {}): Promise<void> {
    const reason = requireText(input.reason, 'reason', 1000);
    const to = String(input.orgUnitId ?? '');
    await this.command(actor, tenantId, id, ctx, async (tx, row) => {
      if (!isUuid(to) || !(await tx.query('select 1 from org_units where tenant_id = $1 and id = $2', [tenantId, to])).rows.length) {
        throw new AppError('validation_failed', 400, { fields: { orgUnitId: 'not_found' } });
      }
      if (to === row.org_unit_id) throw new AppError('validation_failed', 400, { fields: { orgUnitId: 'same_unit' } });
      await tx.query('update feedback_cases set org_unit_id = $3, assigned_to = null, updated_at = now() where tenant_id = $1 and id = $2', [tenantId, id, to]);
      await addEvent(tx, tenantId, id, actor, { kind: 'transfer', visibility: 'internal', body: reason, data: { from: row.org_unit_id, to } });
      await this.auditCase(tx, tenantId, actor, 'feedback.case_transferred', row, ctx, { from: row.org_unit_id, to });
    });
  }

  /**
   * Replies to the resident: shown on the follow-up page and e-mailed when the case has an
   * address. A status can change with it (one e-mail, not two).
   */
  async reply(actor: Actor, tenantId: string, id: string, input: { body?: unknown; status?: unknown }, ctx: CaseContext = {}): Promise<void> {
    const body = requireText(input.body, 'body', 4000);
    const status = input.status === undefined || input.status === '' ? null : String(input.status);
    if (status !== null && (!(CASE_STATUSES as readonly string[]).includes(status) || status === 'duplicate')) {
      throw new AppError('validation_failed', 400, { fields: { status: 'invalid' } });
    }
    await this.command(actor, tenantId, id, ctx, async (tx, row) => {
      await addEvent(tx, tenantId, id, actor, { kind: 'reply', visibility: 'resident', body, data: { emailed: Boolean(row.contact_email) } });
      if (status && status !== row.status) await this.changeStatus(tx, row, actor, status as CaseStatus, ctx, { silent: true });
      else await tx.query('update feedback_cases set updated_at = now() where tenant_id = $1 and id = $2', [tenantId, id]);
      if (row.contact_email) {
        const { org, link } = await this.caseMailFrame(tx, row, ctx.origin);
        await this.d.mail.enqueue(tx, {
          tenantId,
          to: row.contact_email,
          ...replyMail(row.lang, org, Number(row.number), body, link),
        });
      }
      await this.auditCase(tx, tenantId, actor, 'feedback.case_replied', row, ctx, { status });
    });
  }

  /** An attachment's bytes for a handler of the case (audited) or for the case's own resident. */
  async attachment(
    actor: Actor,
    tenantId: string,
    attachmentId: string,
    access: { followToken?: string } = {},
    ctx: CaseContext = {},
  ): Promise<{ filename: string; contentType: string; data: Uint8Array }> {
    if (!isUuid(attachmentId)) throw new AppError('not_found', 404);
    const r = await this.d.db.query<{ case_id: string; filename: string; content_type: string; data: Uint8Array }>(
      'select case_id, filename, content_type, data from feedback_attachments where tenant_id = $1 and id = $2',
      [tenantId, attachmentId],
    );
    const a = r.rows[0];
    if (!a) throw new AppError('not_found', 404);
    const row = await this.row(this.d.db, tenantId, a.case_id);
    if (!row) throw new AppError('not_found', 404);
    const own = access.followToken ? await this.byToken(tenantId, access.followToken) : null;
    const mine = actor.kind === 'resident' && actor.resident.tenantId === tenantId && row.resident_id === actor.resident.id;
    if (own?.id !== row.id && !mine) {
      await this.requireHandler(actor, tenantId, row.org_unit_id);
      await this.d.audit.record(this.d.db, tenantId, actor, {
        action: 'feedback.attachment_read',
        targetKind: 'feedback_case',
        targetId: row.id,
        reason: 'case handling',
        details: { attachmentId },
        ip: ctx.ip,
      });
    }
    return { filename: a.filename, contentType: a.content_type, data: a.data };
  }

  // ---------------------------------------------------------------- resident

  /** The case behind a private follow-up token; 404 for a wrong token. */
  async followView(tenantId: string, token: string): Promise<ResidentCase> {
    const row = await this.byToken(tenantId, token);
    if (!row) throw new AppError('not_found', 404);
    return this.residentView(row);
  }

  /** A signed-in resident's own cases (My Aukio), newest first. */
  async myCases(actor: Actor, tenantId: string): Promise<{ id: string; number: number; categoryNames: Localized; status: CaseStatus; createdAt: string; updatedAt: string }[]> {
    if (actor.kind !== 'resident') throw new AppError('unauthenticated', 401);
    if (actor.resident.tenantId !== tenantId) throw new AppError('not_found', 404);
    const r = await this.d.db.query<{ id: string; number: string; names: Localized; status: CaseStatus; created_at: Date; updated_at: Date }>(
      `select c.id, c.number, k.names, c.status, c.created_at, c.updated_at from feedback_cases c join feedback_categories k on k.id = c.category_id
       where c.tenant_id = $1 and c.resident_id = $2 order by c.created_at desc limit 200`,
      [tenantId, actor.resident.id],
    );
    return r.rows.map((x) => ({ id: x.id, number: Number(x.number), categoryNames: x.names, status: x.status, createdAt: iso(x.created_at), updatedAt: iso(x.updated_at) }));
  }

  /** A signed-in resident's own case. */
  async myCase(actor: Actor, tenantId: string, id: string): Promise<ResidentCase> {
    if (actor.kind !== 'resident') throw new AppError('unauthenticated', 401);
    const row = await this.row(this.d.db, tenantId, id);
    if (!row || row.resident_id !== actor.resident.id || actor.resident.tenantId !== tenantId) throw new AppError('not_found', 404);
    return this.residentView(row);
  }

  /**
   * The resident adds information (typically when asked: waiting_for_resident). The case
   * returns to in_progress so it shows up in the queue again.
   */
  async residentAddInfo(actor: Actor, tenantId: string, token: string, body: unknown, ctx: CaseContext = {}): Promise<void> {
    const text = requireText(body, 'body', DESCRIPTION_MAX);
    await this.residentCommand(actor, tenantId, token, async (tx, row) => {
      if (isFinished(row.status)) throw new AppError('conflict', 409, { fields: { status: 'finished' } });
      await addEvent(tx, tenantId, row.id, actor, { kind: 'reply', visibility: 'resident', body: text, data: { fromResident: true } });
      if (row.status === 'waiting_for_resident') await this.changeStatus(tx, row, actor, 'in_progress', ctx, { silent: true });
      else await tx.query('update feedback_cases set updated_at = now() where id = $1', [row.id]);
    });
  }

  /** "Was this fixed?": once, after resolution. A no reopens the case. */
  async answerFixed(actor: Actor, tenantId: string, token: string, input: { fixed?: unknown; comment?: unknown }, ctx: CaseContext = {}): Promise<void> {
    if (input.fixed !== 'yes' && input.fixed !== 'no') throw new AppError('validation_failed', 400, { fields: { fixed: 'required' } });
    const comment = typeof input.comment === 'string' && input.comment.trim() ? input.comment.trim().slice(0, 2000) : null;
    await this.residentCommand(actor, tenantId, token, async (tx, row) => {
      if (row.status !== 'resolved' || row.fixed) throw new AppError('conflict', 409, { fields: { fixed: 'not_asked' } });
      await tx.query('update feedback_cases set fixed = $2, fixed_comment = $3, fixed_at = now(), updated_at = now() where id = $1', [row.id, input.fixed, comment]);
      await addEvent(tx, tenantId, row.id, actor, { kind: 'fixed', visibility: 'resident', body: comment, data: { fixed: input.fixed } });
      if (input.fixed === 'no') await this.changeStatus(tx, { ...row, fixed: 'no' }, actor, 'in_progress', ctx, { silent: true });
    });
  }

  // ---------------------------------------------------------------- public

  /** Published cases of categories that allow it, newest first (the feed, RSS and map). */
  async publicFeed(tenantId: string, opts: { page?: number; limit?: number; categoryCode?: string } = {}): Promise<{ items: PublicCase[]; total: number }> {
    const limit = Math.max(1, Math.min(200, opts.limit ?? PAGE_SIZE));
    const page = Math.max(1, Math.min(10_000, Math.floor(opts.page ?? 1)));
    const params: unknown[] = [tenantId];
    let extra = '';
    if (opts.categoryCode) {
      params.push(opts.categoryCode);
      extra = ` and k.code = $2`;
    }
    const from = `from feedback_cases c join feedback_categories k on k.id = c.category_id
      where c.tenant_id = $1 and c.publication = 'published' and k.allow_public${extra}`;
    const [rows, count] = await Promise.all([
      this.d.db.query<PublicRow>(`select ${PUBLIC_COLUMNS} ${from} order by c.published_at desc, c.number desc limit ${limit} offset ${(page - 1) * limit}`, params),
      this.d.db.query<{ n: number }>(`select count(*)::int as n ${from}`, params),
    ]);
    return { items: rows.rows.map(publicCase), total: count.rows[0].n };
  }

  /** One published case by id or number; 404 when it is not public. */
  async publicCase(tenantId: string, idOrNumber: string): Promise<PublicCase> {
    const byNumber = /^\d{1,15}$/.test(idOrNumber);
    if (!byNumber && !isUuid(idOrNumber)) throw new AppError('not_found', 404);
    const r = await this.d.db.query<PublicRow>(
      `select ${PUBLIC_COLUMNS} from feedback_cases c join feedback_categories k on k.id = c.category_id
       where c.tenant_id = $1 and ${byNumber ? 'c.number = $2' : 'c.id = $2'} and c.publication = 'published' and k.allow_public`,
      [tenantId, byNumber ? Number(idOrNumber) : idOrNumber],
    );
    if (!r.rows[0]) throw new AppError('not_found', 404);
    return publicCase(r.rows[0]);
  }

  /** Housekeeping (hourly job): submission keys and rate counters whose windows have passed. */
  async purgeExpiredKeys(): Promise<void> {
    await this.d.db.query(`delete from feedback_submissions where created_at < now() - interval '1 day'`);
    await this.d.db.query(`delete from feedback_rate where window_start < now() - interval '1 hour'`);
  }

  // ---------------------------------------------------------------- shared internals

  async row(q: Queryable, tenantId: string, id: string, lock = false): Promise<CaseRow | null> {
    if (!isUuid(id)) return null;
    const r = await q.query<CaseRow>(`select * from feedback_cases where tenant_id = $1 and id = $2${lock ? ' for update' : ''}`, [tenantId, id]);
    return r.rows[0] ?? null;
  }

  async byToken(tenantId: string, token: string, q: Queryable = this.d.db, lock = false): Promise<CaseRow | null> {
    if (typeof token !== 'string' || token.length < 16 || token.length > 100) return null;
    const r = await q.query<CaseRow>(
      `select * from feedback_cases where tenant_id = $1 and follow_token_hash = $2${lock ? ' for update' : ''}`,
      [tenantId, sha256(token)],
    );
    return r.rows[0] ?? null;
  }

  /**
   * Runs a staff command on a case in one transaction: the row is locked, the actor must
   * handle its unit. Other modules of the feature (publication, duplicates) use it too.
   */
  async command(actor: Actor, tenantId: string, id: string, _ctx: CaseContext, fn: (tx: Queryable, row: CaseRow, user: StaffUser) => Promise<void>): Promise<void> {
    await this.d.db.transaction(async (tx) => {
      const row = await this.row(tx, tenantId, id, true);
      if (!row) throw new AppError('not_found', 404);
      const user = await this.requireHandler(actor, tenantId, row.org_unit_id, tx);
      await fn(tx, row, user);
    });
  }

  private async residentCommand(actor: Actor, tenantId: string, token: string, fn: (tx: Queryable, row: CaseRow) => Promise<void>) {
    await this.d.db.transaction(async (tx) => {
      const row = await this.byToken(tenantId, token, tx, true);
      if (!row) throw new AppError('not_found', 404);
      await fn(tx, row);
    });
  }

  /** Changes status with its event and (unless silent) the resident's e-mail. */
  async changeStatus(tx: Queryable, row: CaseRow, actor: Actor, status: CaseStatus, ctx: CaseContext, opts: { silent?: boolean; body?: string } = {}) {
    const resolved = status === 'resolved';
    await tx.query(
      `update feedback_cases set status = $3, updated_at = now(),
         resolved_at = case when $4 then now() when $3 = any($5::text[]) then resolved_at else null end,
         fixed = case when $4 then null else fixed end, fixed_comment = case when $4 then null else fixed_comment end,
         fixed_at = case when $4 then null else fixed_at end
       where tenant_id = $1 and id = $2`,
      [row.tenant_id, row.id, status, resolved, FINISHED_STATUSES],
    );
    await addEvent(tx, row.tenant_id, row.id, actor, { kind: 'status', visibility: 'resident', body: opts.body ?? null, data: { from: row.status, to: status } });
    if (row.publication === 'published') await this.d.contentVersions.bump(tx, row.tenant_id);
    if (!opts.silent && row.contact_email) {
      const { org, link } = await this.caseMailFrame(tx, row, ctx.origin);
      await this.d.mail.enqueue(tx, {
        tenantId: row.tenant_id,
        to: row.contact_email,
        ...statusMail(row.lang, org, Number(row.number), status, link, resolved),
      });
    }
  }

  async auditCase(tx: Queryable, tenantId: string, actor: Actor, action: string, row: CaseRow, ctx: CaseContext, details: Record<string, unknown> = {}) {
    await this.d.audit.record(tx, tenantId, actor, { action, targetKind: 'feedback_case', targetId: row.id, details: { number: Number(row.number), ...details }, ip: ctx.ip });
  }

  /**
   * What every e-mail to the resident needs: the organisation's name and the case's private
   * link, from one read of the tenant. q: inside a transaction the tx must be used (PGlite
   * has one connection).
   */
  private async mailFrame(q: Queryable, c: { tenantId: string; lang: Lang; token: string | null }, requestOrigin?: string) {
    const tenant = await this.d.tenancy.get(c.tenantId, q);
    const host = tenant.hostnames[0] ?? 'localhost';
    const origin = this.d.config.publicUrl
      ? this.d.config.publicUrl.replace('{host}', host).replace(/\/$/, '')
      : requestOrigin
        ? requestOrigin.replace(/\/$/, '')
        : `http://${host}`;
    // A token sealed under an earlier SESSION_SECRET cannot be opened: link to the feedback
    // page instead of a broken link.
    const link = c.token ? `${origin}${followPath(c.lang, c.token)}` : `${origin}/${c.lang}/feedback`;
    return { org: pick(tenant.names, c.lang).text, link };
  }

  /** mailFrame for a stored case (its token is unsealed for the link). */
  private caseMailFrame(q: Queryable, row: CaseRow, origin?: string) {
    const token = this.box.open(row.follow_token_sealed, `feedback-follow:${row.id}`);
    return this.mailFrame(q, { tenantId: row.tenant_id, lang: row.lang, token }, origin);
  }

  async staffView(q: Queryable, row: CaseRow): Promise<StaffCase> {
    const [meta, events, attachments] = await Promise.all([
      q.query<{ code: string; names: Localized; unit_names: Localized; allow_public: boolean; accessibility: boolean; assigned_name: string | null; dup_number: string | null }>(
        `select k.code, k.names, u.names as unit_names, k.allow_public, k.accessibility, s.name as assigned_name, d.number as dup_number
         from feedback_categories k join org_units u on u.id = $2 left join staff_users s on s.id = $3 left join feedback_cases d on d.id = $4
         where k.id = $1`,
        [row.category_id, row.org_unit_id, row.assigned_to, row.duplicate_of],
      ),
      this.events(q, row.id),
      this.attachmentsOf(q, row.id),
    ]);
    const m = meta.rows[0];
    return {
      id: row.id,
      number: Number(row.number),
      categoryId: row.category_id,
      categoryCode: m.code,
      categoryNames: m.names,
      orgUnitId: row.org_unit_id,
      orgUnitNames: m.unit_names,
      status: row.status,
      channel: row.channel,
      description: row.description,
      attributes: row.attributes,
      lat: row.lat,
      lon: row.lon,
      address: row.address,
      residentId: row.resident_id,
      contactName: row.contact_name,
      contactEmail: row.contact_email,
      contactPhone: row.contact_phone,
      lang: row.lang,
      assignedTo: row.assigned_to,
      assignedToName: m.assigned_name,
      duplicateOf: row.duplicate_of,
      duplicateOfNumber: m.dup_number === null ? null : Number(m.dup_number),
      publicDescription: row.public_description,
      publicAnswer: row.public_answer,
      publication: row.publication,
      allowPublic: m.allow_public,
      accessibility: m.accessibility,
      dueAt: iso(row.due_at),
      overdue: !isFinished(row.status) && new Date(row.due_at).getTime() < Date.now(),
      resolvedAt: isoOrNull(row.resolved_at),
      fixed: row.fixed,
      fixedComment: row.fixed_comment,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      attachments,
      events,
    };
  }

  private async residentView(row: CaseRow): Promise<ResidentCase> {
    const [cat, events, attachments] = await Promise.all([
      this.d.db.query<{ names: Localized }>('select names from feedback_categories where id = $1', [row.category_id]),
      this.events(this.d.db, row.id),
      this.attachmentsOf(this.d.db, row.id),
    ]);
    return {
      id: row.id,
      number: Number(row.number),
      categoryNames: cat.rows[0].names,
      status: row.status,
      description: row.description,
      address: row.address,
      lat: row.lat,
      lon: row.lon,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      resolvedAt: isoOrNull(row.resolved_at),
      askFixed: row.status === 'resolved' && !row.fixed,
      fixed: row.fixed,
      attachments,
      events: events
        .filter((e) => e.visibility !== 'internal')
        .map((e) => ({ kind: e.kind, body: e.body, data: e.kind === 'status' || e.kind === 'fixed' || e.kind === 'reply' ? e.data : {}, createdAt: e.createdAt })),
    };
  }

  async events(q: Queryable, caseId: string): Promise<CaseEvent[]> {
    const r = await q.query<{ id: string; kind: CaseEvent['kind']; visibility: CaseEvent['visibility']; actor_kind: string; actor_name: string | null; body: string | null; data: Record<string, unknown>; created_at: Date }>(
      'select id, kind, visibility, actor_kind, actor_name, body, data, created_at from feedback_case_events where case_id = $1 order by id',
      [caseId],
    );
    return r.rows.map((e) => ({ id: String(e.id), kind: e.kind, visibility: e.visibility, actorKind: e.actor_kind, actorName: e.actor_name, body: e.body, data: e.data, createdAt: iso(e.created_at) }));
  }

  private async attachmentsOf(q: Queryable, caseId: string): Promise<Attachment[]> {
    const r = await q.query<{ id: string; filename: string; content_type: string; size: number; location_kept: boolean }>(
      'select id, filename, content_type, size, location_kept from feedback_attachments where case_id = $1 order by created_at, id',
      [caseId],
    );
    return r.rows.map((a) => ({ id: a.id, filename: a.filename, contentType: a.content_type, size: a.size, locationKept: a.location_kept }));
  }

  /**
   * (resident-feedback) The private follow-up token of the signed-in resident's own case, so
   * that My Aukio can offer the same "add information" and "was this fixed?" forms.
   */
  async myFollowToken(actor: Actor, tenantId: string, id: string): Promise<string> {
    if (actor.kind !== 'resident') throw new AppError('unauthenticated', 401);
    const row = await this.row(this.d.db, tenantId, id);
    if (!row || row.resident_id !== actor.resident.id || actor.resident.tenantId !== tenantId) throw new AppError('not_found', 404);
    const token = this.box.open(row.follow_token_sealed, `feedback-follow:${row.id}`);
    if (!token) throw new AppError('not_found', 404);
    return token;
  }
}

// ---------------------------------------------------------------- helpers

/** Appends to a case's history; the actor's name is kept as it was at the time. */
export async function addEvent(
  tx: Queryable,
  tenantId: string,
  caseId: string,
  actor: Actor,
  e: { kind: CaseEvent['kind']; visibility: CaseEvent['visibility']; body?: string | null; data?: Record<string, unknown> },
) {
  const who =
    actor.kind === 'staff'
      ? { id: actor.user.id, name: actor.user.name }
      : actor.kind === 'api_token'
        ? { id: actor.token.id, name: actor.token.name }
        : actor.kind === 'resident'
          ? { id: actor.resident.id, name: null }
          : actor.kind === 'system'
            ? { id: null, name: actor.label }
            : { id: null, name: null };
  await tx.query(
    `insert into feedback_case_events (tenant_id, case_id, kind, visibility, actor_kind, actor_id, actor_name, body, data)
     values ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
    [tenantId, caseId, e.kind, e.visibility, actor.kind, who.id, who.name, e.body ?? null, JSON.stringify(e.data ?? {})],
  );
}

function requireText(v: unknown, field: string, max: number): string {
  if (typeof v !== 'string' || !v.trim()) throw new AppError('validation_failed', 400, { fields: { [field]: 'required' } });
  if (v.length > max) throw new AppError('validation_failed', 400, { fields: { [field]: 'too_long' }, max });
  return v.trim();
}

interface CleanSubmission {
  description: string;
  attributes: Record<string, string | string[]>;
  lat: number | null;
  lon: number | null;
  address: string | null;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
}

/** Checks a submission against its category; every problem is named by field. */
export function validateSubmission(category: Category, input: SubmissionInput): CleanSubmission {
  const fields: Record<string, string> = {};
  if (!isLangValue(input.lang)) fields.lang = 'invalid';
  const description = typeof input.description === 'string' ? input.description.replace(/\r\n/g, '\n').trim() : '';
  if (!description) fields.description = 'required';
  else if (description.length > DESCRIPTION_MAX) fields.description = 'too_long';

  const attributes: Record<string, string | string[]> = {};
  for (const a of category.attributes) {
    const raw = input.attributes?.[a.code];
    const values = (Array.isArray(raw) ? raw : raw === undefined || raw === null || raw === '' ? [] : [raw]).map((v) => String(v).trim()).filter(Boolean);
    const key = `attributes.${a.code}`;
    if (!values.length) {
      if (a.required) fields[key] = 'required';
      continue;
    }
    if (a.datatype === 'multivaluelist') {
      if (values.some((v) => !a.values.some((o) => o.key === v))) fields[key] = 'invalid_value';
      else attributes[a.code] = [...new Set(values)];
      continue;
    }
    if (values.length > 1) {
      fields[key] = 'invalid_value';
      continue;
    }
    const v = values[0];
    if (a.datatype === 'singlevaluelist' && !a.values.some((o) => o.key === v)) fields[key] = 'invalid_value';
    else if (a.datatype === 'number' && !/^-?\d{1,12}([.,]\d{1,6})?$/.test(v)) fields[key] = 'invalid_number';
    else if (a.datatype === 'datetime' && (Number.isNaN(Date.parse(v)) || v.length > 40)) fields[key] = 'invalid_datetime';
    else if (v.length > (a.datatype === 'text' ? 2000 : 200)) fields[key] = 'too_long';
    else attributes[a.code] = a.datatype === 'number' ? v.replace(',', '.') : v;
  }
  for (const code of Object.keys(input.attributes ?? {})) if (!category.attributes.some((a) => a.code === code)) fields[`attributes.${code}`] = 'unknown';

  const num = (v: unknown) => (v === null || v === undefined || v === '' ? null : typeof v === 'number' ? v : Number(v));
  let lat = num(input.lat);
  let lon = num(input.lon);
  if ((lat === null) !== (lon === null)) fields.location = 'incomplete';
  if (lat !== null && (!Number.isFinite(lat) || lat < -90 || lat > 90)) fields.lat = 'out_of_range';
  if (lon !== null && (!Number.isFinite(lon) || lon < -180 || lon > 180)) fields.lon = 'out_of_range';
  const address = typeof input.address === 'string' && input.address.trim() ? input.address.trim() : null;
  if (address && address.length > 300) fields.address = 'too_long';
  if (category.locationMode === 'none') {
    lat = null;
    lon = null;
  } else if (category.locationMode === 'required' && lat === null && !address) fields.location = 'required';

  const opt = (v: unknown, max: number, field: string, re?: RegExp) => {
    if (v === undefined || v === null || (typeof v === 'string' && !v.trim())) return null;
    if (typeof v !== 'string') {
      fields[field] = 'invalid_type';
      return null;
    }
    const t = v.trim();
    if (t.length > max) fields[field] = 'too_long';
    else if (re && !re.test(t)) fields[field] = `invalid_${field === 'contactEmail' ? 'email' : 'phone'}`;
    return t;
  };
  const contactName = opt(input.contactName, 200, 'contactName');
  const contactEmail = opt(input.contactEmail, 254, 'contactEmail', EMAIL);
  const contactPhone = opt(input.contactPhone, 30, 'contactPhone', PHONE);
  if (Object.keys(fields).length) throw new AppError('validation_failed', 400, { fields });
  return {
    description,
    attributes,
    lat: category.locationMode === 'none' ? null : lat,
    lon: category.locationMode === 'none' ? null : lon,
    address: category.locationMode === 'none' ? null : address,
    contactName,
    contactEmail,
    contactPhone,
  };
}

interface QueueRow {
  id: string;
  number: string;
  category_code: string;
  category_names: Localized;
  org_unit_id: string;
  unit_names: Localized;
  status: CaseStatus;
  channel: string;
  excerpt: string;
  address: string | null;
  assigned_to: string | null;
  assigned_name: string | null;
  due_at: Date;
  accessibility: boolean;
  publication: string;
  created_at: Date;
  updated_at: Date;
}

function queueItem(r: QueueRow): QueueItem {
  return {
    id: r.id,
    number: Number(r.number),
    categoryCode: r.category_code,
    categoryNames: r.category_names,
    orgUnitId: r.org_unit_id,
    orgUnitNames: r.unit_names,
    status: r.status,
    channel: r.channel,
    excerpt: r.excerpt,
    address: r.address,
    assignedTo: r.assigned_to,
    assignedToName: r.assigned_name,
    dueAt: iso(r.due_at),
    overdue: !isFinished(r.status) && new Date(r.due_at).getTime() < Date.now(),
    accessibility: r.accessibility,
    publication: r.publication,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

const PUBLIC_COLUMNS = `c.id, c.number, k.code, k.names, c.status, c.public_description, c.public_answer, c.address, c.lat, c.lon,
  c.created_at, c.updated_at, c.published_at`;

interface PublicRow {
  id: string;
  number: string;
  code: string;
  names: Localized;
  status: CaseStatus;
  public_description: string | null;
  public_answer: string | null;
  address: string | null;
  lat: number | null;
  lon: number | null;
  created_at: Date;
  updated_at: Date;
  published_at: Date;
}

function publicCase(r: PublicRow): PublicCase {
  return {
    id: r.id,
    number: Number(r.number),
    categoryCode: r.code,
    categoryNames: r.names,
    status: r.status,
    description: r.public_description ?? '',
    answer: r.public_answer,
    address: r.address,
    lat: r.lat,
    lon: r.lon,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    publishedAt: iso(r.published_at),
  };
}
