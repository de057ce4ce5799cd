import type { Db } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditService } from '../audit/audit.ts';
import type { Actor } from '../identity/actor.ts';

export interface OutboxListItem {
  id: string;
  channel: string;
  recipient: string;
  subject: string | null;
  status: 'captured' | 'sent' | 'failed';
  /** ISO 8601 instant (UTC). */
  createdAt: string;
}

export interface OutboxMessage extends OutboxListItem {
  headers: Record<string, string>;
  bodyText: string | null;
  bodyHtml: string | null;
  error: string | null;
}

export interface OutboxPage {
  items: OutboxListItem[];
  /** Cursor for the next (older) page, or null at the end. */
  nextBefore: string | null;
}

// Microseconds in the cursor: a millisecond cursor could skip or repeat rows written
// within the same millisecond.
const AT = `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)~([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toItem(r: Record<string, unknown>): OutboxListItem {
  return {
    id: r.id as string,
    channel: r.channel as string,
    recipient: r.recipient as string,
    subject: r.subject as string | null,
    status: r.status as OutboxListItem['status'],
    createdAt: (r.at as string).replace(/(\.\d{3})\d{3}Z$/, '$1Z'),
  };
}

/**
 * What Aukio sent, or in the embedded default captured instead of sending, for this tenant.
 * Recipients are personal data, so every staff read is audited: each list page
 * (staff.list_outbox) and each opened message (staff.read_outbox_message).
 */
export class OutboxService {
  constructor(
    private db: Db,
    private audit: AuditService,
  ) {}

  async list(tenantId: string, actor: Actor, opts: { before?: string | null; limit?: number } = {}): Promise<OutboxPage> {
    const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
    const params: unknown[] = [tenantId];
    let keyset = '';
    const cursor = opts.before ? CURSOR.exec(opts.before) : null;
    if (opts.before && !cursor) throw new AppError('validation_failed', 400, { fields: { before: 'invalid' } });
    if (cursor) {
      params.push(cursor[1], cursor[2]);
      keyset = 'and (created_at, id) < ($2::timestamptz, $3::uuid)';
    }
    params.push(limit + 1);
    const r = await this.db.query<Record<string, unknown>>(
      `select id, channel, recipient, subject, status, ${AT} as at from outbox_messages
       where tenant_id = $1 ${keyset} order by created_at desc, id desc limit $${params.length}`,
      params,
    );
    const rows = r.rows.slice(0, limit);
    const last = rows[rows.length - 1];
    await this.audit.record(this.db, tenantId, actor, {
      action: 'staff.list_outbox',
      targetKind: 'outbox',
      details: { count: rows.length, ...(opts.before ? { before: opts.before } : {}) },
    });
    return {
      items: rows.map(toItem),
      nextBefore: r.rows.length > limit && last ? `${last.at as string}~${last.id as string}` : null,
    };
  }

  /** One message of this tenant (404 otherwise), its read audited in the same transaction. */
  async read(tenantId: string, actor: Actor, id: string): Promise<OutboxMessage> {
    if (!UUID.test(id)) throw new AppError('not_found', 404);
    return this.db.transaction(async (tx) => {
      const r = await tx.query<Record<string, unknown>>(
        `select id, channel, recipient, subject, status, ${AT} as at, headers, body_text, body_html, error
         from outbox_messages where tenant_id = $1 and id = $2::uuid`,
        [tenantId, id],
      );
      const row = r.rows[0];
      if (!row) throw new AppError('not_found', 404);
      await this.audit.record(tx, tenantId, actor, {
        action: 'staff.read_outbox_message',
        targetKind: 'outbox_message',
        targetId: id,
      });
      return {
        ...toItem(row),
        headers: (row.headers ?? {}) as Record<string, string>,
        bodyText: row.body_text as string | null,
        bodyHtml: row.body_html as string | null,
        error: row.error as string | null,
      };
    });
  }
}
