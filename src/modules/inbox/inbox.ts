import { z } from 'zod';
import type { AuditService } from '../audit/audit.ts';
import type { Actor } from '../identity/actor.ts';
import type { FeedbackInboxItems } from '../feedback/inbox-items.ts';
import { prepareAttachment } from '../feedback/attachments.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import type { EventBus } from '../../platform/events.ts';
import { AppError } from '../../platform/errors.ts';
import type { Localized } from '../../platform/i18n.ts';
import { isUuid } from '../../platform/validation.ts';
import { canSeeConversation, requireAgent, type Agent } from './access.ts';
import type { AgentPresenceService } from './agents.ts';
import { firstName } from './canned.ts';
import { conversationStaffChannel, type ConversationService } from './conversations.ts';
import { LIST_CHANNELS, LIST_STATUSES, type ListChannel, type ListStatus } from './list-filter.ts';
import { conversationChannel, type Conversation, type ConversationStatus, type Message, type MessageData, type Team } from './model.ts';

/**
 * The agent inbox: one list of chat and e-mail conversations and feedback cases, and the
 * agent's commands on a conversation. Every method authorizes (requireAgent,
 * canSeeConversation) and then calls the conversation core in one transaction. A
 * conversation the agent may not see behaves like a missing one (404).
 *
 * Reads of a conversation's content and contact details are audited
 * (`inbox.conversation.read`, reason "customer service"); so is every attachment download.
 */

export const PAGE_SIZE = 50;
export { LIST_CHANNELS, LIST_STATUSES, type ListChannel, type ListStatus };

export interface ListFilter {
  status?: string;
  team?: string;
  channel?: string;
  assignee?: string;
  q?: string;
  sla?: string;
  page?: number | string;
}

export interface SlaState {
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  firstResponseBreached: boolean;
  resolutionBreached: boolean;
  breached: boolean;
}

export interface InboxItem {
  kind: 'conversation' | 'feedback';
  id: string;
  number: number;
  channel: ListChannel;
  status: ConversationStatus;
  /** The feedback case's own status word (feedback items only). */
  caseStatus?: string;
  teamId: string | null;
  teamNames: Localized | null;
  assigneeId: string | null;
  assigneeName: string | null;
  /** Conversations: the contact's name or the subject; feedback: null (see categoryNames). */
  contactName: string | null;
  subject: string | null;
  categoryNames: Localized | null;
  preview: string | null;
  lastActivityAt: string;
  unread: number;
  sla: SlaState;
}

export interface InboxList {
  items: InboxItem[];
  total: number;
  page: number;
  pageSize: number;
  counts: Record<ListStatus, number>;
  unreadTotal: number;
}

export interface ConversationView {
  conversation: Conversation;
  sla: SlaState;
  team: Team | null;
  assigneeName: string | null;
  messages: Message[];
  /** Agents the conversation can be given to: members of its team. */
  teamAgents: { id: string; name: string; presence: string }[];
  teams: { id: string; names: Localized }[];
  lastReadSeq: number;
}

const iso = (v: Date | string | null | undefined): string | null => (v == null ? null : new Date(v).toISOString());
const likeEscape = (s: string) => `%${s.replace(/[\\%_]/g, (m) => '\\' + m)}%`;

export function slaState(c: {
  status: ConversationStatus;
  firstResponseDueAt: string | null;
  firstResponseAt: string | null;
  resolutionDueAt: string | null;
  resolvedAt: string | null;
}, now = Date.now()): SlaState {
  const t = (v: string | null) => (v ? new Date(v).getTime() : null);
  const frDue = t(c.firstResponseDueAt);
  const resDue = t(c.resolutionDueAt);
  const frAt = t(c.firstResponseAt) ?? (c.status === 'resolved' ? null : now);
  const resAt = c.status === 'resolved' ? t(c.resolvedAt) : now;
  const firstResponseBreached = frDue !== null && frAt !== null && frAt > frDue;
  const resolutionBreached = resDue !== null && resAt !== null && resAt > resDue;
  return {
    firstResponseDueAt: c.firstResponseAt ? null : c.firstResponseDueAt,
    resolutionDueAt: c.status === 'resolved' ? null : c.resolutionDueAt,
    firstResponseBreached,
    resolutionBreached,
    breached: firstResponseBreached || resolutionBreached,
  };
}

/** The SQL twin of slaState().breached, for the list filter. */
const BREACHED_SQL = `((c.first_response_due_at < coalesce(c.first_response_at, case when c.status = 'resolved' then null else now() end))
  or (c.resolution_due_at < case when c.status = 'resolved' then c.resolved_at else now() end))`;

const MessageInput = z.strictObject({
  clientId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  body: z.string().max(4000),
  internal: z.boolean().optional(),
  attachmentIds: z.array(z.string().uuid()).max(10).optional(),
});
const StatusInput = z.strictObject({
  status: z.enum(['open', 'pending', 'snoozed', 'resolved']),
  snoozedUntil: z.string().max(40).nullable().optional(),
});
const AssignInput = z.strictObject({ staffUserId: z.string().uuid().nullable() });
const TransferInput = z.strictObject({ teamId: z.string().uuid(), note: z.string().trim().min(1).max(2000) });
const ReadInput = z.strictObject({ seq: z.number().int().min(0).max(2 ** 31 - 1) });
const UploadInput = z.strictObject({ filename: z.string().min(1).max(200), data: z.string().min(1) });

interface ListRow {
  id: string;
  number: string;
  channel: 'chat' | 'email';
  status: ConversationStatus;
  team_id: string | null;
  team_names: Localized | null;
  assignee_id: string | null;
  assignee_name: string | null;
  contact_name: string | null;
  subject: string | null;
  last_message_preview: string | null;
  activity: Date | string;
  unread: number;
  first_response_due_at: Date | string | null;
  first_response_at: Date | string | null;
  resolution_due_at: Date | string | null;
  resolved_at: Date | string | null;
}

export interface InboxDeps {
  db: Db;
  audit: AuditService;
  events: EventBus;
  conversations: ConversationService;
  presence: AgentPresenceService;
  feedbackItems: FeedbackInboxItems;
  maxAttachmentBytes: number;
}

export interface Ctx {
  ip?: string;
}

export class AgentInboxService {
  private typingSentAt = new Map<string, number>();

  constructor(private d: InboxDeps) {}

  agent(actor: Actor, tenantId: string, q: Queryable = this.d.db): Promise<Agent> {
    return requireAgent(q, tenantId, actor);
  }

  // ── list ───────────────────────────────────────────────────────────────────────────

  async list(actor: Actor, tenantId: string, raw: ListFilter = {}): Promise<InboxList> {
    const agent = await this.agent(actor, tenantId);
    const me = agent.user.id;
    const status = (raw.status || 'active') as ListStatus;
    if (!(LIST_STATUSES as readonly string[]).includes(status)) throw new AppError('validation_failed', 400, { fields: { status: 'invalid' } });
    const channel = raw.channel || '';
    if (channel && !(LIST_CHANNELS as readonly string[]).includes(channel)) throw new AppError('validation_failed', 400, { fields: { channel: 'invalid' } });
    if (raw.team && !isUuid(raw.team)) throw new AppError('validation_failed', 400, { fields: { team: 'invalid' } });
    const assignee = raw.assignee || '';
    if (assignee && assignee !== 'me' && assignee !== 'unassigned' && !isUuid(assignee)) {
      throw new AppError('validation_failed', 400, { fields: { assignee: 'invalid' } });
    }
    if (raw.sla && raw.sla !== 'breached') throw new AppError('validation_failed', 400, { fields: { sla: 'invalid' } });
    const q = typeof raw.q === 'string' ? raw.q.trim().slice(0, 200) : '';
    const page = Math.max(1, Math.min(1000, Math.floor(Number(raw.page) || 1)));

    // Conversations: everything but the status, so the tabs can be counted from one base.
    const where = ['c.tenant_id = $1'];
    const params: unknown[] = [tenantId];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (!agent.allTeams) {
      params.push(agent.teamIds, me);
      where.push(`(c.team_id = any($${params.length - 1}::uuid[]) or c.assignee_id = $${params.length})`);
    }
    if (raw.team) add('c.team_id = ?', raw.team);
    if (channel) add('c.channel = ?', channel);
    if (assignee === 'me') add('c.assignee_id = ?', me);
    else if (assignee === 'unassigned') where.push('c.assignee_id is null');
    else if (assignee) add('c.assignee_id = ?', assignee);
    if (raw.sla === 'breached') where.push(BREACHED_SQL);
    if (q) {
      const num = /^#?(\d{1,12})$/.exec(q);
      if (num) add('c.number = ?', Number(num[1]));
      else
        add(
          `(c.contact_name ilike ? escape '\\' or c.contact_email ilike ? escape '\\' or c.subject ilike ? escape '\\'
            or exists (select 1 from inbox_messages m where m.tenant_id = c.tenant_id and m.conversation_id = c.id and m.body ilike ? escape '\\'))`,
          likeEscape(q),
        );
    }
    const statusSql = (s: ListStatus) =>
      s === 'all' ? 'true' : s === 'active' ? `c.status in ('pending', 'open')` : `c.status = '${s}'`;
    const base = where.join(' and ');
    const includeConversations = channel !== 'feedback';
    // Feedback has no teams: a team filter shows conversations only.
    const includeFeedback = (channel === '' || channel === 'feedback') && !raw.team;

    const counts = Object.fromEntries(LIST_STATUSES.map((s) => [s, 0])) as Record<ListStatus, number>;
    let unreadTotal = 0;
    let convRows: ListRow[] = [];
    let convTotal = 0;
    const unreadSql = `(select count(*)::int from inbox_messages m where m.tenant_id = c.tenant_id and m.conversation_id = c.id
        and m.seq > coalesce(r.last_read_seq, 0) and not m.internal
        and (m.author_kind = 'resident' or (m.author_kind = 'agent' and m.author_id is distinct from $${params.length + 1})))`;
    if (includeConversations) {
      const grouped = await this.d.db.query<{ status: ConversationStatus; n: number }>(
        `select c.status, count(*)::int as n from inbox_conversations c where ${base} group by c.status`,
        params,
      );
      for (const g of grouped.rows) {
        counts[g.status] += g.n;
        counts.all += g.n;
        if (g.status === 'pending' || g.status === 'open') counts.active += g.n;
      }
      const rows = await this.d.db.query<ListRow>(
        `select c.id, c.number, c.channel, c.status, c.team_id, t.names as team_names, c.assignee_id, u.name as assignee_name,
                c.contact_name, c.subject, c.last_message_preview, coalesce(c.last_message_at, c.created_at) as activity,
                ${unreadSql} as unread,
                c.first_response_due_at, c.first_response_at, c.resolution_due_at, c.resolved_at
           from inbox_conversations c
           left join inbox_teams t on t.tenant_id = c.tenant_id and t.id = c.team_id
           left join staff_users u on u.tenant_id = c.tenant_id and u.id = c.assignee_id
           left join inbox_reads r on r.conversation_id = c.id and r.staff_user_id = $${params.length + 1}
          where ${base} and ${statusSql(status)}
          order by coalesce(c.last_message_at, c.created_at) desc, c.number desc
          limit ${page * PAGE_SIZE}`,
        [...params, me],
      );
      convRows = rows.rows;
      convTotal = status === 'all' ? counts.all : counts[status];
      const unread = await this.d.db.query<{ n: number }>(
        `select coalesce(sum(${unreadSql}), 0)::int as n from inbox_conversations c
           left join inbox_reads r on r.conversation_id = c.id and r.staff_user_id = $${params.length + 1}
          where ${base} and c.status in ('pending', 'open')`,
        [...params, me],
      );
      unreadTotal = unread.rows[0].n;
    }

    let feedbackItems: InboxItem[] = [];
    let feedbackTotal = 0;
    if (includeFeedback) {
      const fbFilter = {
        assignee: assignee === 'me' ? { kind: 'me' as const } : assignee === 'unassigned' ? { kind: 'unassigned' as const } : assignee ? { kind: 'user' as const, id: assignee } : undefined,
        q: q || undefined,
        overdueOnly: raw.sla === 'breached',
      };
      const fbCounts = await this.d.feedbackItems.counts(agent.user, tenantId, fbFilter);
      for (const [s, n] of Object.entries(fbCounts)) {
        counts[s as ListStatus] += n;
        counts.all += n;
        if (s === 'pending' || s === 'open') counts.active += n;
      }
      const statuses = status === 'all' ? [] : status === 'active' ? ['pending', 'open'] : [status];
      if (status !== 'bot') {
        const fb = await this.d.feedbackItems.list(agent.user, tenantId, { ...fbFilter, statuses, limit: page * PAGE_SIZE });
        feedbackTotal = fb.total;
        feedbackItems = fb.items.map((f) => ({
          kind: 'feedback',
          id: f.id,
          number: f.number,
          channel: 'feedback',
          status: f.status,
          caseStatus: f.caseStatus,
          teamId: null,
          teamNames: null,
          assigneeId: f.assignedTo,
          assigneeName: f.assignedToName,
          contactName: null,
          subject: null,
          categoryNames: f.categoryNames,
          preview: f.excerpt,
          lastActivityAt: f.updatedAt,
          unread: 0,
          sla: {
            firstResponseDueAt: null,
            resolutionDueAt: f.status === 'resolved' ? null : f.dueAt,
            firstResponseBreached: false,
            resolutionBreached: f.overdue,
            breached: f.overdue,
          },
        }));
      }
    }

    const conversationItems: InboxItem[] = convRows.map((r) => {
      const sla = slaState({
        status: r.status,
        firstResponseDueAt: iso(r.first_response_due_at),
        firstResponseAt: iso(r.first_response_at),
        resolutionDueAt: iso(r.resolution_due_at),
        resolvedAt: iso(r.resolved_at),
      });
      return {
        kind: 'conversation',
        id: r.id,
        number: Number(r.number),
        channel: r.channel,
        status: r.status,
        teamId: r.team_id,
        teamNames: r.team_names,
        assigneeId: r.assignee_id,
        assigneeName: r.assignee_name,
        contactName: r.contact_name,
        subject: r.subject,
        categoryNames: null,
        preview: r.last_message_preview,
        lastActivityAt: iso(r.activity)!,
        unread: r.unread,
        sla,
      };
    });
    const items = [...conversationItems, ...feedbackItems]
      .sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt) || b.number - a.number)
      .slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    return { items, total: convTotal + feedbackTotal, page, pageSize: PAGE_SIZE, counts, unreadTotal };
  }

  // ── one conversation ───────────────────────────────────────────────────────────────

  /** A conversation the agent may see, or 404 (also for another tenant's id). */
  async visible(q: Queryable, actor: Actor, tenantId: string, id: string): Promise<{ agent: Agent; conversation: Conversation }> {
    const agent = await this.agent(actor, tenantId, q);
    const conversation = isUuid(id) ? await this.d.conversations.get(q, tenantId, id) : null;
    if (!conversation || !canSeeConversation(agent, conversation)) throw new AppError('not_found', 404);
    return { agent, conversation };
  }

  /** The conversation with every message (notes included); marks it read; audited. */
  async view(actor: Actor, tenantId: string, id: string, ctx: Ctx = {}): Promise<ConversationView> {
    return this.d.db.transaction(async (tx) => {
      const { agent, conversation } = await this.visible(tx, actor, tenantId, id);
      const messages = await this.d.conversations.messagesAfter(tx, tenantId, id, 0, { includeInternal: true, limit: 5000 });
      const team = conversation.teamId ? await this.d.conversations.team(tx, tenantId, conversation.teamId) : null;
      const assignee = conversation.assigneeId
        ? (await tx.query<{ name: string }>('select name from staff_users where tenant_id = $1 and id = $2', [tenantId, conversation.assigneeId])).rows[0]?.name ?? null
        : null;
      const teamAgents = conversation.teamId
        ? (
            await tx.query<{ id: string; name: string; presence: string | null }>(
              `select u.id, u.name, a.status as presence from inbox_team_members m
                 join staff_users u on u.tenant_id = m.tenant_id and u.id = m.staff_user_id and u.active
                 left join inbox_agents a on a.tenant_id = m.tenant_id and a.staff_user_id = m.staff_user_id
                where m.tenant_id = $1 and m.team_id = $2 order by u.name`,
              [tenantId, conversation.teamId],
            )
          ).rows.map((r) => ({ id: r.id, name: r.name, presence: r.presence ?? 'offline' }))
        : [];
      const teams = (await this.d.conversations.teams(tx, tenantId)).filter((t) => t.active).map((t) => ({ id: t.id, names: t.names }));
      const read = await tx.query<{ last_read_seq: number }>('select last_read_seq from inbox_reads where conversation_id = $1 and staff_user_id = $2', [
        id,
        agent.user.id,
      ]);
      const lastReadSeq = read.rows[0]?.last_read_seq ?? 0;
      await this.markRead(tx, tenantId, id, agent.user.id, conversation.lastSeq);
      await this.d.audit.record(tx, tenantId, actor, {
        action: 'inbox.conversation.read',
        targetKind: 'inbox_conversation',
        targetId: id,
        reason: 'customer service',
        details: { number: conversation.number },
        ip: ctx.ip,
      });
      return {
        conversation,
        sla: slaState(conversation),
        team,
        assigneeName: assignee,
        messages,
        teamAgents,
        teams,
        lastReadSeq,
      };
    });
  }

  private async markRead(q: Queryable, tenantId: string, conversationId: string, staffUserId: string, seq: number) {
    await q.query(
      `insert into inbox_reads (tenant_id, conversation_id, staff_user_id, last_read_seq) values ($1, $2, $3, $4)
       on conflict (conversation_id, staff_user_id) do update set last_read_seq = greatest(inbox_reads.last_read_seq, excluded.last_read_seq)`,
      [tenantId, conversationId, staffUserId, seq],
    );
  }

  async read(actor: Actor, tenantId: string, id: string, input: unknown): Promise<{ lastReadSeq: number }> {
    const { seq } = ReadInput.parse(input);
    return this.d.db.transaction(async (tx) => {
      const { agent, conversation } = await this.visible(tx, actor, tenantId, id);
      await this.markRead(tx, tenantId, id, agent.user.id, Math.min(seq, conversation.lastSeq));
      const r = await tx.query<{ last_read_seq: number }>('select last_read_seq from inbox_reads where conversation_id = $1 and staff_user_id = $2', [id, agent.user.id]);
      return { lastReadSeq: r.rows[0].last_read_seq };
    });
  }

  // ── commands ───────────────────────────────────────────────────────────────────────

  /** An agent's reply (or, internal, a note). Replying to an unassigned pending conversation takes it. */
  async postMessage(actor: Actor, tenantId: string, id: string, input: unknown): Promise<{ message: Message; conversation: Conversation; duplicate: boolean }> {
    const v = MessageInput.parse(input);
    return this.d.db.transaction(async (tx) => {
      const { agent, conversation } = await this.visible(tx, actor, tenantId, id);
      const internal = v.internal === true;
      const data: MessageData = {};
      if (v.attachmentIds?.length) {
        const r = await tx.query<{ id: string; filename: string; content_type: string; size: number }>(
          `select id, filename, content_type, size from inbox_attachments
            where tenant_id = $1 and conversation_id = $2 and id = any($3::uuid[]) and message_id is null and uploaded_by = 'agent'`,
          [tenantId, id, v.attachmentIds],
        );
        if (r.rows.length !== new Set(v.attachmentIds).size) throw new AppError('validation_failed', 400, { fields: { attachmentIds: 'unknown' } });
        data.attachments = r.rows.map((a) => ({ id: a.id, filename: a.filename, contentType: a.content_type, size: a.size }));
      }
      if (!internal && !conversation.assigneeId && (conversation.status === 'pending' || conversation.status === 'bot')) {
        await this.d.conversations.assign(tx, tenantId, id, agent.user.id, { by: agent.user.id, byName: agent.user.name });
      }
      const r = await this.d.conversations.postMessage(tx, tenantId, id, {
        clientId: v.clientId,
        authorKind: 'agent',
        authorId: agent.user.id,
        // Residents see an agent's first name; colleagues see notes with the full name.
        authorName: internal ? agent.user.name : firstName(agent.user.name),
        internal,
        body: v.body,
        data,
      });
      await this.markRead(tx, tenantId, id, agent.user.id, r.message.seq);
      return r;
    });
  }

  async accept(actor: Actor, tenantId: string, id: string): Promise<Conversation> {
    return this.d.db.transaction(async (tx) => {
      const { agent, conversation } = await this.visible(tx, actor, tenantId, id);
      if (conversation.assigneeId === agent.user.id) return conversation;
      // Two agents pressing "accept" at once: the second one hears that it is taken.
      if (conversation.assigneeId) throw new AppError('conflict', 409, { fields: { assignee: 'taken' } });
      return this.d.conversations.assign(tx, tenantId, id, agent.user.id, { by: agent.user.id, byName: agent.user.name });
    });
  }

  /** Gives the conversation to a member of its team (or a customer-service agent), or back to the queue (null). */
  async assign(actor: Actor, tenantId: string, id: string, input: unknown): Promise<Conversation> {
    const { staffUserId } = AssignInput.parse(input);
    return this.d.db.transaction(async (tx) => {
      const { agent, conversation } = await this.visible(tx, actor, tenantId, id);
      if (staffUserId) {
        const ok = await tx.query(
          `select 1 from staff_users u where u.tenant_id = $1 and u.id = $2 and u.active and (
             exists (select 1 from inbox_team_members m where m.tenant_id = u.tenant_id and m.staff_user_id = u.id and m.team_id = $3)
             or exists (select 1 from role_grants g where g.tenant_id = u.tenant_id and g.user_id = u.id and g.org_unit_id is null
                          and g.role in ('customer_service', 'tenant_admin')))`,
          [tenantId, staffUserId, conversation.teamId],
        );
        if (!ok.rows.length) throw new AppError('validation_failed', 400, { fields: { staffUserId: 'unknown' } });
      }
      const previous = conversation.assigneeId;
      const c = await this.d.conversations.assign(tx, tenantId, id, staffUserId, { by: agent.user.id, byName: agent.user.name });
      if (previous && previous !== staffUserId) await this.d.presence.drainTeam(tx, tenantId, c.teamId);
      return c;
    });
  }

  async transfer(actor: Actor, tenantId: string, id: string, input: unknown): Promise<Conversation> {
    const { teamId, note } = TransferInput.parse(input);
    return this.d.db.transaction(async (tx) => {
      const { agent, conversation } = await this.visible(tx, actor, tenantId, id);
      const c = await this.d.conversations.transfer(tx, tenantId, id, teamId, note, { id: agent.user.id, name: agent.user.name });
      // The agent who had it has room again: the old team's queue moves on.
      if (conversation.assigneeId && conversation.teamId !== teamId) await this.d.presence.drainTeam(tx, tenantId, conversation.teamId);
      return c;
    });
  }

  async setStatus(actor: Actor, tenantId: string, id: string, input: unknown): Promise<Conversation> {
    const v = StatusInput.parse(input);
    let snoozedUntil: Date | null = null;
    if (v.status === 'snoozed') {
      const t = v.snoozedUntil ? new Date(v.snoozedUntil) : null;
      if (!t || Number.isNaN(t.getTime())) throw new AppError('validation_failed', 400, { fields: { snoozedUntil: 'invalid' } });
      if (t.getTime() <= Date.now()) throw new AppError('validation_failed', 400, { fields: { snoozedUntil: 'future_required' } });
      if (t.getTime() > Date.now() + 365 * 86_400_000) throw new AppError('validation_failed', 400, { fields: { snoozedUntil: 'too_far' } });
      snoozedUntil = t;
    }
    return this.d.db.transaction(async (tx) => {
      const { agent, conversation } = await this.visible(tx, actor, tenantId, id);
      if (conversation.status === 'bot' && v.status !== 'resolved') {
        throw new AppError('conflict', 409, { fields: { status: 'bot_stage' } });
      }
      const c = await this.d.conversations.setStatus(tx, tenantId, id, v.status, { snoozedUntil, byName: agent.user.name });
      if (conversation.status === 'open' && c.status !== 'open') await this.d.presence.drainTeam(tx, tenantId, c.teamId);
      return c;
    });
  }

  /**
   * "The agent is typing": an event to the resident's widget and the staff view, never
   * stored. At most one every 2 seconds per agent and conversation.
   */
  async typing(actor: Actor, tenantId: string, id: string): Promise<{ sent: boolean }> {
    const { agent, conversation } = await this.visible(this.d.db, actor, tenantId, id);
    const key = `${conversation.id}:${agent.user.id}`;
    const now = Date.now();
    if (now - (this.typingSentAt.get(key) ?? 0) < 2000) return { sent: false };
    this.typingSentAt.set(key, now);
    if (this.typingSentAt.size > 10_000) for (const [k, at] of this.typingSentAt) if (now - at > 10_000) this.typingSentAt.delete(k);
    await this.d.events.publish(this.d.db, {
      channel: conversationChannel(tenantId, conversation.id),
      also: [conversationStaffChannel(tenantId, conversation.id)],
      type: 'typing',
      data: { conversationId: conversation.id, who: 'agent', name: firstName(agent.user.name) },
    });
    return { sent: true };
  }

  // ── attachments ────────────────────────────────────────────────────────────────────

  /** Stores an agent's file (type sniffed from the bytes, photo metadata removed) for the next message. */
  async upload(actor: Actor, tenantId: string, id: string, input: unknown) {
    const v = UploadInput.parse(input);
    const bytes = Buffer.from(v.data, 'base64');
    return this.d.db.transaction(async (tx) => {
      await this.visible(tx, actor, tenantId, id);
      const file = prepareAttachment({ filename: v.filename, data: new Uint8Array(bytes) }, this.d.maxAttachmentBytes);
      return this.storeFile(tx, tenantId, id, file);
    });
  }

  /** The page's multipart form already has the bytes: same checks, same table. */
  async uploadBytes(actor: Actor, tenantId: string, id: string, file: { filename: string; data: Uint8Array }) {
    return this.d.db.transaction(async (tx) => {
      await this.visible(tx, actor, tenantId, id);
      return this.storeFile(tx, tenantId, id, prepareAttachment(file, this.d.maxAttachmentBytes));
    });
  }

  private async storeFile(tx: Queryable, tenantId: string, id: string, file: { filename: string; contentType: string; data: Uint8Array }) {
    const r = await tx.query<{ id: string }>(
      `insert into inbox_attachments (tenant_id, conversation_id, uploaded_by, filename, content_type, size, bytes)
       values ($1, $2, 'agent', $3, $4, $5, $6) returning id`,
      [tenantId, id, file.filename, file.contentType, file.data.byteLength, Buffer.from(file.data)],
    );
    return { id: r.rows[0].id, filename: file.filename, contentType: file.contentType, size: file.data.byteLength };
  }

  /** An attachment of a conversation the agent may see; the download is audited. */
  async attachment(actor: Actor, tenantId: string, id: string, attachmentId: string, ctx: Ctx = {}) {
    return this.d.db.transaction(async (tx) => {
      await this.visible(tx, actor, tenantId, id);
      if (!isUuid(attachmentId)) throw new AppError('not_found', 404);
      const r = await tx.query<{ filename: string; content_type: string; bytes: Uint8Array }>(
        'select filename, content_type, bytes from inbox_attachments where tenant_id = $1 and conversation_id = $2 and id = $3',
        [tenantId, id, attachmentId],
      );
      if (!r.rows[0]) throw new AppError('not_found', 404);
      await this.d.audit.record(tx, tenantId, actor, {
        action: 'inbox.attachment.read',
        targetKind: 'inbox_attachment',
        targetId: attachmentId,
        reason: 'customer service',
        details: { conversationId: id },
        ip: ctx.ip,
      });
      return { filename: r.rows[0].filename, contentType: r.rows[0].content_type, bytes: Buffer.from(r.rows[0].bytes) };
    });
  }

  // ── presence ───────────────────────────────────────────────────────────────────────

  async presence(actor: Actor, tenantId: string) {
    const agent = await this.agent(actor, tenantId);
    return this.d.presence.get(this.d.db, tenantId, agent.user.id);
  }

  async setPresence(actor: Actor, tenantId: string, input: unknown) {
    const v = z.strictObject({ status: z.enum(['online', 'away', 'offline']), capacity: z.number().int().min(0).max(100).optional() }).parse(input);
    const agent = await this.agent(actor, tenantId);
    const assigned = await this.d.db.transaction((tx) => this.d.presence.set(tx, tenantId, agent.user.id, v.status, v.capacity));
    return { ...(await this.d.presence.get(this.d.db, tenantId, agent.user.id)), assigned };
  }

  /** For pages: the team names by id (list filters). */
  async teamsFor(actor: Actor, tenantId: string): Promise<{ id: string; names: Localized }[]> {
    const agent = await this.agent(actor, tenantId);
    const teams = await this.d.conversations.teams(this.d.db, tenantId);
    return teams.filter((t) => t.active && (agent.allTeams || agent.teamIds.includes(t.id))).map((t) => ({ id: t.id, names: t.names }));
  }
}

