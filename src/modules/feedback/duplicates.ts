import { requireStaff } from '../identity/access.ts';
import type { Actor } from '../identity/actor.ts';
import type { Db } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { addEvent, type CaseContext, type CaseRow, type FeedbackCaseService } from './cases.ts';
import { isUuid } from './categories.ts';
import type { CaseStatus } from './model.ts';

/**
 * Possible duplicates of a case and merging. A suggestion is a case of the same category
 * within 50 m, created within 30 days of it, that is not itself a duplicate. Merging
 * marks the duplicate (status duplicate, duplicate_of) through the core's changeStatus,
 * so its resident is told by e-mail like any other status change.
 */

export const DUPLICATE_RADIUS_M = 50;
export const DUPLICATE_WINDOW_DAYS = 30;

export interface DuplicateSuggestion {
  id: string;
  number: number;
  status: CaseStatus;
  address: string | null;
  excerpt: string;
  /** Metres from the case, rounded. */
  distance: number;
  createdAt: string;
}

// Great-circle distance in metres (haversine, mean Earth radius); least() guards asin
// against rounding just above 1 for (almost) antipodal points.
const HAVERSINE = `2 * 6371000 * asin(least(1, sqrt(
  power(sin(radians(c.lat - $3::float8) / 2), 2) + cos(radians($3::float8)) * cos(radians(c.lat)) * power(sin(radians(c.lon - $4::float8) / 2), 2))))`;

export class FeedbackDuplicateService {
  constructor(private d: { db: Db; cases: FeedbackCaseService }) {}

  async suggestions(actor: Actor, tenantId: string, id: string): Promise<DuplicateSuggestion[]> {
    const row = await this.d.cases.row(this.d.db, tenantId, id);
    if (!row) throw new AppError('not_found', 404);
    const user = await this.d.cases.requireHandler(actor, tenantId, row.org_unit_id);
    if (row.lat === null || row.lon === null) return [];
    // Only cases the staff member may open (a case can have been transferred elsewhere).
    const units = await this.d.cases.handledUnits(user, tenantId);
    // A bounding box first (0.001° of latitude ≈ 111 m) lets the index narrow the rows;
    // the haversine then decides.
    const dLat = 0.001;
    const dLon = 0.001 / Math.max(0.01, Math.cos((row.lat * Math.PI) / 180));
    const params: unknown[] = [tenantId, row.category_id, row.lat, row.lon, row.id, new Date(row.created_at).toISOString(), dLat, dLon];
    if (units) params.push(units);
    const r = await this.d.db.query<{ id: string; number: string; status: CaseStatus; address: string | null; excerpt: string; distance: number; created_at: Date }>(
      `select * from (
         select c.id, c.number, c.status, c.address, left(c.description, 200) as excerpt, c.created_at, ${HAVERSINE} as distance
         from feedback_cases c
         where c.tenant_id = $1 and c.category_id = $2 and c.id <> $5::uuid and c.lat is not null
           and c.status <> 'duplicate' and c.duplicate_of is null
           and c.created_at between $6::timestamptz - interval '${DUPLICATE_WINDOW_DAYS} days' and $6::timestamptz + interval '${DUPLICATE_WINDOW_DAYS} days'
           and c.lat between $3::float8 - $7::float8 and $3::float8 + $7::float8 and c.lon between $4::float8 - $8::float8 and $4::float8 + $8::float8
           ${units ? 'and c.org_unit_id = any($9::uuid[])' : ''}
       ) x where x.distance <= ${DUPLICATE_RADIUS_M} order by x.distance, x.created_at limit 20`,
      params,
    );
    return r.rows.map((x) => ({
      id: x.id,
      number: Number(x.number),
      status: x.status,
      address: x.address,
      excerpt: x.excerpt,
      distance: Math.round(Number(x.distance)),
      createdAt: new Date(x.created_at).toISOString(),
    }));
  }

  /**
   * Merges `duplicateId` into `intoId`. The actor must handle both cases; a case is not
   * merged into itself, into a duplicate, or twice. Cases that pointed at the duplicate
   * are re-pointed at the target, so chains never form and cycles cannot.
   */
  async merge(actor: Actor, tenantId: string, duplicateId: unknown, intoId: unknown, ctx: CaseContext = {}): Promise<void> {
    const user = requireStaff(actor);
    if (user.tenantId !== tenantId) throw new AppError('not_found', 404);
    if (!isUuid(duplicateId)) throw new AppError('not_found', 404);
    if (!isUuid(intoId)) throw new AppError('validation_failed', 400, { fields: { into: 'not_found' } });
    await this.d.db.transaction(async (tx) => {
      // Lock in id order so two opposite merges cannot deadlock.
      const rows = new Map<string, CaseRow>();
      for (const id of [...new Set([duplicateId, intoId])].sort()) {
        const row = await this.d.cases.row(tx, tenantId, id, true);
        if (row) rows.set(id, row);
      }
      const dup = rows.get(duplicateId);
      const into = rows.get(intoId);
      if (!dup) throw new AppError('not_found', 404);
      await this.d.cases.requireHandler(actor, tenantId, dup.org_unit_id, tx);
      if (duplicateId === intoId) throw new AppError('validation_failed', 400, { fields: { into: 'same_case' } });
      if (!into) throw new AppError('validation_failed', 400, { fields: { into: 'not_found' } });
      await this.d.cases.requireHandler(actor, tenantId, into.org_unit_id, tx);
      if (into.status === 'duplicate' || into.duplicate_of) throw new AppError('validation_failed', 400, { fields: { into: 'is_duplicate' } });
      if (dup.status === 'duplicate' || dup.duplicate_of) throw new AppError('conflict', 409, { fields: { status: 'already_duplicate' } });

      await this.d.cases.changeStatus(tx, dup, actor, 'duplicate', ctx);
      await tx.query('update feedback_cases set duplicate_of = $3, updated_at = now() where tenant_id = $1 and id = $2', [tenantId, dup.id, into.id]);
      const moved = await tx.query<{ id: string }>(
        'update feedback_cases set duplicate_of = $3, updated_at = now() where tenant_id = $1 and duplicate_of = $2 returning id',
        [tenantId, dup.id, into.id],
      );
      // The resident of the duplicate sees which case theirs was merged with (a number, nothing personal).
      await addEvent(tx, tenantId, dup.id, actor, { kind: 'merged', visibility: 'resident', data: { into: into.id, intoNumber: Number(into.number) } });
      await addEvent(tx, tenantId, into.id, actor, {
        kind: 'merged',
        visibility: 'internal',
        data: { from: dup.id, fromNumber: Number(dup.number), repointed: moved.rows.length },
      });
      await tx.query('update feedback_cases set updated_at = now() where tenant_id = $1 and id = $2', [tenantId, into.id]);
      await this.d.cases.auditCase(tx, tenantId, actor, 'feedback.case_merged', dup, ctx, { into: into.id, intoNumber: Number(into.number) });
      await this.d.cases.auditCase(tx, tenantId, actor, 'feedback.case_merge_target', into, ctx, { from: dup.id, fromNumber: Number(dup.number) });
    });
  }
}
