import { z } from 'zod';
import type { Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../identity/actor.ts';
import type { AuditRecord, AuditService } from './audit.ts';

/** Finnish municipalities keep Finnish time: day boundaries and shown times use it. */
export const AUDIT_TIME_ZONE = 'Europe/Helsinki';

function tzOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant a calendar day (YYYY-MM-DD) begins in Helsinki; null for a date that does not exist. */
export function helsinkiDayStart(ymd: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const wall = Date.UTC(y, mo - 1, d);
  const back = new Date(wall);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  // Twice, so a day that starts on the other side of a DST change still lands right.
  let t = wall - tzOffsetMs(wall, AUDIT_TIME_ZONE);
  t = wall - tzOffsetMs(t, AUDIT_TIME_ZONE);
  return new Date(t);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const dayOrInstant = z
  .string()
  .trim()
  .max(40)
  .refine((v) => v === '' || (DAY.test(v) ? helsinkiDayStart(v) !== null : !Number.isNaN(Date.parse(v)) && /^\d{4}-\d{2}-\d{2}T/.test(v)), 'date');

/**
 * Search filters as pages (form fields) and the API (query string) send them. from/to are
 * a Helsinki calendar day (both inclusive) or an ISO 8601 instant (to is then exclusive).
 */
export const auditQueryInput = z.object({
  q: z.string().trim().max(200, 'too_long').optional(),
  action: z.string().trim().max(100, 'too_long').optional(),
  from: dayOrInstant.optional(),
  to: dayOrInstant.optional(),
  before: z
    .string()
    .trim()
    .regex(/^(\d{1,18})?$/, 'invalid')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
export type AuditQueryInput = z.output<typeof auditQueryInput>;

function bound(v: string | undefined, end: boolean): Date | undefined {
  if (!v) return undefined;
  if (DAY.test(v)) {
    const start = helsinkiDayStart(v)!;
    // An inclusive "to" day ends where the next Helsinki day begins.
    if (!end) return start;
    const [y, m, d] = v.split('-').map(Number);
    return helsinkiDayStart(new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10))!;
  }
  return new Date(v);
}

export interface AuditPage {
  entries: AuditRecord[];
  /** ?before= value for the next (older) page, or null at the end. */
  nextBefore: string | null;
}

/**
 * Reads the audit log for a tenant admin or an audit:read token, and records that read
 * (audit.viewed with the filters): who looked at the log is itself in the log.
 */
export async function viewAuditLog(audit: AuditService, db: Queryable, tenantId: string, actor: Actor, input: AuditQueryInput, ip?: string): Promise<AuditPage> {
  const from = bound(input.from, false);
  const to = bound(input.to, true);
  if (from && to && from >= to) throw new AppError('validation_failed', 400, { fields: { to: 'before_from' } });
  const limit = input.limit ?? 50;
  const rows = await audit.search(tenantId, {
    text: input.q || undefined,
    action: input.action || undefined,
    from,
    to,
    before: input.before || undefined,
    limit: limit + 1,
  });
  const entries = rows.slice(0, limit);
  const filters = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== ''));
  await audit.record(db, tenantId, actor, { action: 'audit.viewed', targetKind: 'audit_log', details: { filters }, ip });
  return { entries, nextBefore: rows.length > limit ? entries[entries.length - 1].id : null };
}

/** The actions this tenant's log holds, for the search form's action list. */
export async function auditActions(db: Queryable, tenantId: string): Promise<string[]> {
  const r = await db.query<{ action: string }>('select distinct action from audit_log where tenant_id = $1 order by action limit 300', [tenantId]);
  return r.rows.map((x) => x.action);
}
