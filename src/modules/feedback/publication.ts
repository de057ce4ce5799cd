import type { ContentVersions } from '../catalog/content-version.ts';
import { hasRole, requireStaff } from '../identity/access.ts';
import type { Actor, StaffUser } from '../identity/actor.ts';
import { redactPersonal } from '../routing/routing.ts';
import type { OrgUnitService } from '../tenancy/org-units.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { Localized } from '../../platform/i18n.ts';
import { addEvent, type CaseContext, type CaseRow, type FeedbackCaseService } from './cases.ts';
import { isUuid } from './categories.ts';
import { DESCRIPTION_MAX } from './model.ts';

/**
 * The public answer of a case: what the portal's feed and Open311 status_notes show.
 * A handler proposes a description and an answer with personal data removed; a moderator
 * (role moderator, tenant admins implied) approves — possibly after editing — or rejects
 * with a reason. A handler who is also a moderator may publish at once. Every step is
 * audited and every change of the public set bumps the tenant's content version, so
 * cached feed pages change with it.
 */

export interface PublicationDeps {
  db: Db;
  cases: FeedbackCaseService;
  orgUnits: OrgUnitService;
  contentVersions: ContentVersions;
}

export interface PublicationProposal {
  publicDescription?: unknown;
  publicAnswer?: unknown;
  /** Publish at once instead of sending to moderation: only for a moderator. */
  publish?: unknown;
}

export interface ModerationItem {
  id: string;
  number: number;
  categoryNames: Localized;
  orgUnitId: string;
  orgUnitNames: Localized;
  status: string;
  publicDescription: string;
  publicAnswer: string | null;
  /** Who proposed it, from the history. */
  proposedBy: string | null;
  updatedAt: string;
}

export const PUBLIC_TEXT_MAX = DESCRIPTION_MAX;

export class FeedbackPublicationService {
  constructor(private d: PublicationDeps) {}

  /**
   * The form's prefill: the description with identity codes, e-mail addresses and phone
   * numbers masked, and the latest staff reply (masked too) as the answer. The handler
   * still reads and edits it; masking catches the common cases, not every name.
   */
  async suggestion(actor: Actor, tenantId: string, id: string): Promise<{ publicDescription: string; publicAnswer: string }> {
    const row = await this.d.cases.row(this.d.db, tenantId, id);
    if (!row) throw new AppError('not_found', 404);
    await this.d.cases.requireHandler(actor, tenantId, row.org_unit_id);
    if (row.public_description) return { publicDescription: row.public_description, publicAnswer: row.public_answer ?? '' };
    const reply = await this.d.db.query<{ body: string }>(
      `select body from feedback_case_events where case_id = $1 and kind = 'reply' and actor_kind = 'staff' and body is not null order by id desc limit 1`,
      [id],
    );
    return { publicDescription: redactPersonal(row.description), publicAnswer: reply.rows[0] ? redactPersonal(reply.rows[0].body) : '' };
  }

  /** A handler proposes the public texts: pending moderation, or published at once by a moderator who asks for it. */
  async propose(actor: Actor, tenantId: string, id: string, input: PublicationProposal, ctx: CaseContext = {}): Promise<{ publication: 'pending' | 'published' }> {
    const texts = publicTexts(input);
    const publishNow = input.publish === true || input.publish === 'true' || input.publish === '1';
    let result: 'pending' | 'published' = 'pending';
    await this.d.cases.command(actor, tenantId, id, ctx, async (tx, row, user) => {
      await this.requirePublicCategory(tx, row);
      if (publishNow) {
        // A handler without the moderator role cannot skip moderation, whatever the form says.
        if (!(await this.isModerator(tx, user, tenantId, row.org_unit_id))) throw new AppError('forbidden', 403, { reason: 'moderator_required' });
        await this.publish(tx, row, actor, texts, ctx, 'feedback.public_answer_published');
        result = 'published';
        return;
      }
      await tx.query(
        `update feedback_cases set public_description = $3, public_answer = $4, publication = 'pending', published_at = null, updated_at = now()
         where tenant_id = $1 and id = $2`,
        [tenantId, id, texts.publicDescription, texts.publicAnswer],
      );
      await addEvent(tx, tenantId, id, actor, {
        kind: 'public_answer',
        visibility: 'internal',
        body: texts.publicAnswer,
        data: { action: 'proposed', publicDescription: texts.publicDescription },
      });
      // A new proposal replaces what was public until a moderator approves it again.
      if (row.publication === 'published') await this.d.contentVersions.bump(tx, tenantId);
      await this.d.cases.auditCase(tx, tenantId, actor, 'feedback.public_answer_proposed', row, ctx, { wasPublished: row.publication === 'published' });
    });
    return { publication: result };
  }

  /** A moderator approves a pending proposal, optionally with edited texts: the case becomes public. */
  async approve(actor: Actor, tenantId: string, id: string, input: { publicDescription?: unknown; publicAnswer?: unknown } = {}, ctx: CaseContext = {}): Promise<void> {
    await this.moderate(actor, tenantId, id, async (tx, row) => {
      if (row.publication !== 'pending') throw new AppError('conflict', 409, { fields: { publication: 'not_pending' } });
      await this.requirePublicCategory(tx, row);
      const edited = input.publicDescription !== undefined || input.publicAnswer !== undefined;
      const texts = edited
        ? publicTexts({ publicDescription: input.publicDescription ?? row.public_description, publicAnswer: input.publicAnswer ?? row.public_answer })
        : { publicDescription: row.public_description ?? '', publicAnswer: row.public_answer };
      if (!texts.publicDescription) throw new AppError('validation_failed', 400, { fields: { publicDescription: 'required' } });
      await this.publish(tx, row, actor, texts, ctx, 'feedback.public_answer_approved', {
        edited: edited && (texts.publicDescription !== row.public_description || texts.publicAnswer !== row.public_answer),
      });
    });
  }

  /** A moderator rejects a pending proposal with a reason the handler sees in the history. */
  async reject(actor: Actor, tenantId: string, id: string, reason: unknown, ctx: CaseContext = {}): Promise<void> {
    const why = requiredText(reason, 'reason', 1000);
    await this.moderate(actor, tenantId, id, async (tx, row) => {
      if (row.publication !== 'pending') throw new AppError('conflict', 409, { fields: { publication: 'not_pending' } });
      await tx.query(`update feedback_cases set publication = 'rejected', updated_at = now() where tenant_id = $1 and id = $2`, [tenantId, id]);
      await addEvent(tx, tenantId, id, actor, { kind: 'public_answer', visibility: 'internal', body: why, data: { action: 'rejected' } });
      await this.d.cases.auditCase(tx, tenantId, actor, 'feedback.public_answer_rejected', row, ctx, { reason: why });
    });
  }

  /** Takes a published case off the feed: a moderator, or a handler of the case (taking down is always safe). */
  async unpublish(actor: Actor, tenantId: string, id: string, reason: unknown, ctx: CaseContext = {}): Promise<void> {
    const why = typeof reason === 'string' && reason.trim() ? reason.trim().slice(0, 1000) : null;
    const user = requireStaff(actor);
    if (user.tenantId !== tenantId) throw new AppError('not_found', 404);
    await this.d.db.transaction(async (tx) => {
      const row = await this.d.cases.row(tx, tenantId, id, true);
      if (!row) throw new AppError('not_found', 404);
      if (!(await this.isModerator(tx, user, tenantId, row.org_unit_id))) await this.d.cases.requireHandler(actor, tenantId, row.org_unit_id, tx);
      if (row.publication !== 'published') throw new AppError('conflict', 409, { fields: { publication: 'not_published' } });
      await tx.query(`update feedback_cases set publication = 'none', published_at = null, updated_at = now() where tenant_id = $1 and id = $2`, [tenantId, id]);
      await addEvent(tx, tenantId, id, actor, { kind: 'public_answer', visibility: 'internal', body: why, data: { action: 'unpublished' } });
      await this.d.contentVersions.bump(tx, tenantId);
      await this.d.cases.auditCase(tx, tenantId, actor, 'feedback.public_answer_unpublished', row, ctx, { reason: why });
    });
  }

  /** Proposals waiting for a moderator, oldest first, in the units the moderator covers. */
  async moderationQueue(actor: Actor, tenantId: string): Promise<ModerationItem[]> {
    const user = requireStaff(actor);
    if (user.tenantId !== tenantId) throw new AppError('not_found', 404);
    const units = await this.moderatedUnits(user, tenantId);
    if (units && !units.length) throw new AppError('forbidden', 403);
    const r = await this.d.db.query<{
      id: string;
      number: string;
      names: Localized;
      org_unit_id: string;
      unit_names: Localized;
      status: string;
      public_description: string | null;
      public_answer: string | null;
      proposed_by: string | null;
      updated_at: Date;
    }>(
      `select c.id, c.number, k.names, c.org_unit_id, u.names as unit_names, c.status, c.public_description, c.public_answer, c.updated_at,
         (select e.actor_name from feedback_case_events e where e.case_id = c.id and e.kind = 'public_answer' order by e.id desc limit 1) as proposed_by
       from feedback_cases c join feedback_categories k on k.id = c.category_id join org_units u on u.id = c.org_unit_id
       where c.tenant_id = $1 and c.publication = 'pending'${units ? ' and c.org_unit_id = any($2::uuid[])' : ''}
       order by c.updated_at limit 200`,
      units ? [tenantId, units] : [tenantId],
    );
    return r.rows.map((x) => ({
      id: x.id,
      number: Number(x.number),
      categoryNames: x.names,
      orgUnitId: x.org_unit_id,
      orgUnitNames: x.unit_names,
      status: x.status,
      publicDescription: x.public_description ?? '',
      publicAnswer: x.public_answer,
      proposedBy: x.proposed_by,
      updatedAt: new Date(x.updated_at).toISOString(),
    }));
  }

  /** May this staff member moderate anything (the console shows the page)? */
  canModerate(actor: Actor, tenantId: string): boolean {
    return actor.kind === 'staff' && actor.user.tenantId === tenantId && actor.user.grants.some((g) => g.role === 'moderator' || g.role === 'tenant_admin');
  }

  /** Is the staff member a moderator of a case in this unit? */
  async isModerator(q: Queryable, user: StaffUser, tenantId: string, orgUnitId: string): Promise<boolean> {
    return hasRole(user, 'moderator', await this.d.orgUnits.ancestors(tenantId, orgUnitId, q));
  }

  // ---------------------------------------------------------------- internals

  private async moderate(actor: Actor, tenantId: string, id: string, fn: (tx: Queryable, row: CaseRow) => Promise<void>) {
    const user = requireStaff(actor);
    if (user.tenantId !== tenantId) throw new AppError('not_found', 404);
    if (!isUuid(id)) throw new AppError('not_found', 404);
    await this.d.db.transaction(async (tx) => {
      const row = await this.d.cases.row(tx, tenantId, id, true);
      if (!row) throw new AppError('not_found', 404);
      if (!(await this.isModerator(tx, user, tenantId, row.org_unit_id))) throw new AppError('forbidden', 403);
      await fn(tx, row);
    });
  }

  private async publish(
    tx: Queryable,
    row: CaseRow,
    actor: Actor,
    texts: { publicDescription: string; publicAnswer: string | null },
    ctx: CaseContext,
    action: string,
    details: Record<string, unknown> = {},
  ) {
    await tx.query(
      `update feedback_cases set public_description = $3, public_answer = $4, publication = 'published', published_at = now(), updated_at = now()
       where tenant_id = $1 and id = $2`,
      [row.tenant_id, row.id, texts.publicDescription, texts.publicAnswer],
    );
    await addEvent(tx, row.tenant_id, row.id, actor, {
      kind: 'public_answer',
      visibility: 'public',
      body: texts.publicAnswer,
      data: { action: 'published', publicDescription: texts.publicDescription },
    });
    await this.d.contentVersions.bump(tx, row.tenant_id);
    await this.d.cases.auditCase(tx, row.tenant_id, actor, action, row, ctx, details);
  }

  private async requirePublicCategory(q: Queryable, row: CaseRow) {
    const r = await q.query<{ allow_public: boolean }>('select allow_public from feedback_categories where id = $1', [row.category_id]);
    if (!r.rows[0]?.allow_public) throw new AppError('validation_failed', 400, { fields: { publication: 'not_allowed' } });
  }

  private async moderatedUnits(user: StaffUser, tenantId: string): Promise<string[] | null> {
    if (user.grants.some((g) => g.orgUnitId === null && (g.role === 'tenant_admin' || g.role === 'moderator'))) return null;
    const units = await this.d.orgUnits.rows(tenantId, 'fi');
    const parent = new Map(units.map((u) => [u.id, u.parentId]));
    const chain = (id: string) => {
      const out: string[] = [];
      for (let cur: string | null | undefined = id; cur; cur = parent.get(cur)) out.push(cur);
      return out;
    };
    return units.filter((u) => hasRole(user, 'moderator', chain(u.id))).map((u) => u.id);
  }
}

function requiredText(v: unknown, field: string, max: number): string {
  if (typeof v !== 'string' || !v.trim()) throw new AppError('validation_failed', 400, { fields: { [field]: 'required' } });
  if (v.trim().length > max) throw new AppError('validation_failed', 400, { fields: { [field]: 'too_long' }, max });
  return v.trim();
}

function publicTexts(input: { publicDescription?: unknown; publicAnswer?: unknown }): { publicDescription: string; publicAnswer: string | null } {
  const publicDescription = requiredText(input.publicDescription, 'publicDescription', PUBLIC_TEXT_MAX).replace(/\r\n/g, '\n');
  const a = input.publicAnswer;
  if (a !== undefined && a !== null && typeof a !== 'string') throw new AppError('validation_failed', 400, { fields: { publicAnswer: 'invalid_type' } });
  const answer = typeof a === 'string' && a.trim() ? a.trim().replace(/\r\n/g, '\n') : null;
  if (answer && answer.length > PUBLIC_TEXT_MAX) throw new AppError('validation_failed', 400, { fields: { publicAnswer: 'too_long' }, max: PUBLIC_TEXT_MAX });
  return { publicDescription, publicAnswer: answer };
}
