import type { Db, Queryable } from '../../platform/db.ts';
import type { Localized } from '../../platform/i18n.ts';
import { isUuid } from '../../platform/validation.ts';
import type { StaffUser } from '../identity/actor.ts';
import type { FeedbackCaseService } from './cases.ts';
import { isFinished, type CaseStatus } from './model.ts';

/**
 * Feedback cases as the customer-service inbox sees them: a read-only window for the
 * agent inbox (src/modules/inbox) and the resident timeline. The feedback module keeps its
 * own access rule here too — a staff member sees only cases of the units their grants
 * cover (FeedbackCaseService.handledUnits) — so the inbox never widens who sees a case.
 * Contact details are never returned; opening a case goes through the feedback console,
 * which audits the read.
 */

/** The inbox's status words for feedback's own statuses. */
export type InboxLikeStatus = 'pending' | 'open' | 'snoozed' | 'resolved';

export const INBOX_STATUS_OF: Record<CaseStatus, InboxLikeStatus> = {
  new: 'pending',
  in_progress: 'open',
  planned: 'open',
  waiting_for_resident: 'snoozed',
  resolved: 'resolved',
  closed: 'resolved',
  not_ours: 'resolved',
  duplicate: 'resolved',
};

const CASE_STATUSES_FOR = (s: InboxLikeStatus): CaseStatus[] =>
  (Object.keys(INBOX_STATUS_OF) as CaseStatus[]).filter((k) => INBOX_STATUS_OF[k] === s);

export interface FeedbackInboxItem {
  id: string;
  number: number;
  caseStatus: CaseStatus;
  status: InboxLikeStatus;
  categoryNames: Localized;
  excerpt: string;
  assignedTo: string | null;
  assignedToName: string | null;
  dueAt: string;
  overdue: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface FeedbackInboxFilter {
  /** Inbox statuses to include; empty = all. 'bot' matches nothing (feedback has no bot). */
  statuses?: string[];
  assignee?: { kind: 'me' | 'unassigned' | 'user'; id?: string };
  q?: string;
  overdueOnly?: boolean;
  limit: number;
}

interface Row {
  id: string;
  number: string;
  status: CaseStatus;
  names: Localized;
  excerpt: string;
  assigned_to: string | null;
  assigned_name: string | null;
  due_at: Date | string;
  created_at: Date | string;
  updated_at: Date | string;
}

const iso = (v: Date | string) => new Date(v).toISOString();
const likeEscape = (s: string) => `%${s.replace(/[\\%_]/g, (m) => '\\' + m)}%`;

function item(r: Row): FeedbackInboxItem {
  return {
    id: r.id,
    number: Number(r.number),
    caseStatus: r.status,
    status: INBOX_STATUS_OF[r.status],
    categoryNames: r.names,
    excerpt: r.excerpt,
    assignedTo: r.assigned_to,
    assignedToName: r.assigned_name,
    dueAt: iso(r.due_at),
    overdue: !isFinished(r.status) && new Date(r.due_at).getTime() < Date.now(),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export class FeedbackInboxItems {
  constructor(
    private db: Db,
    private cases: FeedbackCaseService,
  ) {}

  /** Units whose cases this staff member may see; null = all; [] = none. */
  private units(user: StaffUser, tenantId: string, q: Queryable) {
    return this.cases.handledUnits(user, tenantId, q);
  }

  private async where(user: StaffUser, tenantId: string, q: Queryable, f: Omit<FeedbackInboxFilter, 'limit'>) {
    const units = await this.units(user, tenantId, q);
    if (units && units.length === 0) return null;
    const where = ['c.tenant_id = $1'];
    const params: unknown[] = [tenantId];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (units) add('c.org_unit_id = any(?::uuid[])', units);
    if (f.statuses?.length) {
      const wanted = f.statuses.flatMap((s) => (s === 'bot' ? [] : CASE_STATUSES_FOR(s as InboxLikeStatus)));
      if (!wanted.length) return null;
      add('c.status = any(?::text[])', wanted);
    }
    if (f.assignee?.kind === 'me') add('c.assigned_to = ?', user.id);
    else if (f.assignee?.kind === 'unassigned') where.push('c.assigned_to is null');
    else if (f.assignee?.kind === 'user' && isUuid(f.assignee.id)) add('c.assigned_to = ?', f.assignee.id);
    if (f.overdueOnly) add('c.due_at < now() and not (c.status = any(?::text[]))', ['resolved', 'closed', 'not_ours', 'duplicate']);
    const text = f.q?.trim().slice(0, 200);
    if (text) {
      const num = /^#?(\d{1,12})$/.exec(text);
      if (num) add('c.number = ?', Number(num[1]));
      else add(`(c.description ilike ? escape '\\' or c.contact_name ilike ? escape '\\' or c.contact_email ilike ? escape '\\')`, likeEscape(text));
    }
    return { sql: where.join(' and '), params };
  }

  /** The agent's view of feedback in the inbox list, most recently changed first. */
  async list(user: StaffUser, tenantId: string, f: FeedbackInboxFilter, q: Queryable = this.db): Promise<{ items: FeedbackInboxItem[]; total: number }> {
    const w = await this.where(user, tenantId, q, f);
    if (!w) return { items: [], total: 0 };
    const from = `from feedback_cases c join feedback_categories k on k.id = c.category_id left join staff_users s on s.id = c.assigned_to where ${w.sql}`;
    const rows = await q.query<Row>(
      `select c.id, c.number, c.status, k.names, left(c.description, 140) as excerpt, c.assigned_to, s.name as assigned_name,
              c.due_at, c.created_at, c.updated_at
         ${from} order by c.updated_at desc limit ${Math.max(1, Math.min(1000, f.limit))}`,
      w.params,
    );
    const count = await q.query<{ n: number }>(`select count(*)::int as n ${from}`, w.params);
    return { items: rows.rows.map(item), total: count.rows[0].n };
  }

  /** Counts per inbox status (for the inbox's status tabs). */
  async counts(user: StaffUser, tenantId: string, f: Omit<FeedbackInboxFilter, 'limit' | 'statuses'>, q: Queryable = this.db): Promise<Record<InboxLikeStatus, number>> {
    const out: Record<InboxLikeStatus, number> = { pending: 0, open: 0, snoozed: 0, resolved: 0 };
    const w = await this.where(user, tenantId, q, f);
    if (!w) return out;
    const r = await q.query<{ status: CaseStatus; n: number }>(`select c.status, count(*)::int as n from feedback_cases c where ${w.sql} group by c.status`, w.params);
    for (const row of r.rows) out[INBOX_STATUS_OF[row.status]] += row.n;
    return out;
  }

  /**
   * A resident's cases for the timeline: by identity (resident_id) or by the contact e-mail
   * address. Every case is listed (the timeline is the whole story); `accessible` says
   * whether this staff member may open it in the feedback console.
   */
  async forResident(
    user: StaffUser,
    tenantId: string,
    who: { residentId?: string | null; email?: string | null },
    q: Queryable = this.db,
  ): Promise<(FeedbackInboxItem & { accessible: boolean })[]> {
    const conds: string[] = [];
    const params: unknown[] = [tenantId];
    if (who.residentId) {
      params.push(who.residentId);
      conds.push(`c.resident_id = $${params.length}`);
    }
    if (who.email) {
      params.push(who.email.toLowerCase());
      conds.push(`lower(c.contact_email) = $${params.length}`);
    }
    if (!conds.length) return [];
    const r = await q.query<Row & { org_unit_id: string }>(
      `select c.id, c.number, c.status, k.names, left(c.description, 140) as excerpt, c.assigned_to, s.name as assigned_name,
              c.due_at, c.created_at, c.updated_at, c.org_unit_id
         from feedback_cases c join feedback_categories k on k.id = c.category_id left join staff_users s on s.id = c.assigned_to
        where c.tenant_id = $1 and (${conds.join(' or ')}) order by c.created_at desc limit 200`,
      params,
    );
    const units = await this.units(user, tenantId, q);
    return r.rows.map((row) => ({ ...item(row), accessible: units === null || units.includes(row.org_unit_id) }));
  }
}
