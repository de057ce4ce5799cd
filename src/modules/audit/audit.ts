import type { Db, Queryable } from '../../platform/db.ts';
import type { Actor } from '../identity/actor.ts';

export interface AuditEntry {
  action: string;
  targetKind?: string;
  targetId?: string;
  /** Why a staff member read personal data, when known (e.g. "timeline", "case"). */
  reason?: string;
  details?: Record<string, unknown>;
  ip?: string;
}

export interface AuditRecord {
  id: string;
  at: string;
  actorKind: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetKind: string | null;
  targetId: string | null;
  reason: string | null;
  details: Record<string, unknown>;
  ip: string | null;
}

export interface AuditQuery {
  text?: string;
  action?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
  limit?: number;
  /** Keyset pagination: entries older than this id. */
  before?: string;
}

function actorColumns(actor: Actor): [string, string | null, string | null] {
  switch (actor.kind) {
    case 'staff':
      return ['staff', actor.user.id, actor.user.email];
    case 'resident':
      return ['resident', actor.resident.id, null];
    case 'api_token':
      return ['api_token', actor.token.id, actor.token.name];
    case 'system':
      return ['system', null, actor.label];
    default:
      return ['anonymous', null, null];
  }
}

/**
 * The append-only audit log (a trigger refuses UPDATE and DELETE). Entries are written in
 * the transaction of the change they describe, so a rolled-back change leaves no entry.
 */
export class AuditService {
  constructor(private db: Db) {}

  async record(q: Queryable, tenantId: string, actor: Actor, entry: AuditEntry): Promise<void> {
    const [kind, id, label] = actorColumns(actor);
    await q.query(
      `insert into audit_log (tenant_id, actor_kind, actor_id, actor_label, action, target_kind, target_id, reason, details, ip)
       values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
      [
        tenantId,
        kind,
        id,
        label,
        entry.action,
        entry.targetKind ?? null,
        entry.targetId ?? null,
        entry.reason ?? null,
        JSON.stringify(entry.details ?? {}),
        entry.ip ?? null,
      ],
    );
  }

  async search(tenantId: string, q: AuditQuery): Promise<AuditRecord[]> {
    const where = ['tenant_id = $1'];
    const params: unknown[] = [tenantId];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.text) {
      const like = `%${q.text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      params.push(like);
      const p = `$${params.length}`;
      where.push(`(action ilike ${p} or actor_label ilike ${p} or target_id ilike ${p} or target_kind ilike ${p} or reason ilike ${p})`);
    }
    if (q.action) add('action = ?', q.action);
    if (q.actorId) add('actor_id = ?', q.actorId);
    if (q.from) add('at >= ?', q.from.toISOString());
    if (q.to) add('at < ?', q.to.toISOString());
    if (q.before && /^\d+$/.test(q.before)) add('id < ?::bigint', q.before);
    params.push(Math.min(Math.max(q.limit ?? 50, 1), 500));
    const rows = await this.db.query<Record<string, unknown>>(
      `select id::text as id, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, actor_kind, actor_id, actor_label, action,
         target_kind, target_id, reason, details, ip
       from audit_log where ${where.join(' and ')} order by id desc limit $${params.length}`,
      params,
    );
    return rows.rows.map((r) => ({
      id: r.id as string,
      at: r.at as string,
      actorKind: r.actor_kind as string,
      actorId: r.actor_id as string | null,
      actorLabel: r.actor_label as string | null,
      action: r.action as string,
      targetKind: r.target_kind as string | null,
      targetId: r.target_id as string | null,
      reason: r.reason as string | null,
      details: r.details as Record<string, unknown>,
      ip: r.ip as string | null,
    }));
  }
}
