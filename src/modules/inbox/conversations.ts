import type { AuditService } from '../audit/audit.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import type { EventBus } from '../../platform/events.ts';
import type { Logger } from '../../platform/log.ts';
import { randomToken, sha256 } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import { isUuid } from '../../platform/validation.ts';
import { addBusinessMinutes } from './business-hours.ts';
import {
  CLIENT_ID,
  MESSAGE_MAX,
  conversationChannel,
  inboxChannel,
  teamChannel,
  type AuthorKind,
  type Conversation,
  type ConversationChannel,
  type ConversationStatus,
  type Message,
  type MessageData,
  type Team,
} from './model.ts';

/**
 * The conversation core every channel shares: start, numbered messages, status, hand-off,
 * assignment (manual and round-robin) and transfer, each in the caller's transaction and
 * each announced over the EventBus after commit. The channel APIs (chat, e-mail, agent
 * inbox) authorize first and then call these; nothing here checks who is asking.
 *
 * Message numbering: the conversation row is locked (`for update`), the client id is looked
 * up, and only a new message takes last_seq + 1. So a resend of the same client id returns
 * the first message (no duplicate), and numbers have no gaps, which lets a reconnecting
 * stream ask for "everything after n" and get exactly what it missed.
 */

/** Staff-side channel of one conversation (every message, notes included). */
export const conversationStaffChannel = (tenantId: string, conversationId: string) => `convstaff:${tenantId}:${conversationId}`;

/** NOTIFY payloads stay under 8,000 bytes: a longer message travels as its number only. */
const INLINE_MESSAGE_BYTES = 6000;
/** Agents count as online for round-robin while their stream has refreshed them lately. */
export const PRESENCE_FRESH_SECONDS = 90;

export interface StartInput {
  channel: ConversationChannel;
  lang: Lang;
  status: Extract<ConversationStatus, 'bot' | 'pending'>;
  teamId?: string | null;
  residentId?: string | null;
  contactName?: string | null;
  contactEmail?: string | null;
  subject?: string | null;
  origin?: string | null;
  /** Chat visitors get a secret token; e-mail conversations need none. */
  withVisitorToken?: boolean;
}

export interface PostInput {
  clientId?: string | null;
  authorKind: AuthorKind;
  authorId?: string | null;
  authorName?: string | null;
  internal?: boolean;
  body: string;
  data?: MessageData;
}

export interface ConversationRow {
  id: string;
  tenant_id: string;
  number: string | number;
  channel: ConversationChannel;
  status: ConversationStatus;
  team_id: string | null;
  assignee_id: string | null;
  resident_id: string | null;
  contact_name: string | null;
  contact_email: string | null;
  lang: Lang;
  subject: string | null;
  origin: string | null;
  last_seq: number;
  last_message_at: Date | string | null;
  last_message_preview: string | null;
  bot_misses: number;
  handed_off_at: Date | string | null;
  first_response_at: Date | string | null;
  first_response_due_at: Date | string | null;
  resolution_due_at: Date | string | null;
  resolved_at: Date | string | null;
  resolved_by_bot: boolean;
  snoozed_until: Date | string | null;
  csat_score: number | null;
  csat_comment: string | null;
  resident_read_seq: number;
  created_at: Date | string;
  updated_at: Date | string;
}

interface MessageRow {
  id: string | number;
  conversation_id: string;
  seq: number;
  client_id: string | null;
  author_kind: AuthorKind;
  author_id: string | null;
  author_name: string | null;
  internal: boolean;
  body: string;
  data: MessageData;
  created_at: Date | string;
}

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

export function toConversation(r: ConversationRow): Conversation {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    number: Number(r.number),
    channel: r.channel,
    status: r.status,
    teamId: r.team_id,
    assigneeId: r.assignee_id,
    residentId: r.resident_id,
    contactName: r.contact_name,
    contactEmail: r.contact_email,
    lang: r.lang,
    subject: r.subject,
    origin: r.origin,
    lastSeq: r.last_seq,
    lastMessageAt: iso(r.last_message_at),
    lastMessagePreview: r.last_message_preview,
    botMisses: r.bot_misses,
    handedOffAt: iso(r.handed_off_at),
    firstResponseAt: iso(r.first_response_at),
    firstResponseDueAt: iso(r.first_response_due_at),
    resolutionDueAt: iso(r.resolution_due_at),
    resolvedAt: iso(r.resolved_at),
    resolvedByBot: r.resolved_by_bot,
    snoozedUntil: iso(r.snoozed_until),
    csatScore: r.csat_score,
    csatComment: r.csat_comment,
    residentReadSeq: r.resident_read_seq,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

export function toMessage(r: MessageRow): Message {
  return {
    id: String(r.id),
    conversationId: r.conversation_id,
    seq: r.seq,
    clientId: r.client_id,
    authorKind: r.author_kind,
    authorId: r.author_id,
    authorName: r.author_name,
    internal: r.internal,
    body: r.body,
    data: r.data ?? {},
    createdAt: iso(r.created_at)!,
  };
}

export interface TeamRow {
  id: string;
  tenant_id: string;
  names: Team['names'];
  business_hours: Team['businessHours'];
  first_response_sla_minutes: number;
  resolution_sla_minutes: number;
  email_address: string | null;
  auto_assign: boolean;
  is_default: boolean;
  sort_order: number;
  active: boolean;
}

export function toTeam(r: TeamRow): Team {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    names: r.names,
    businessHours: r.business_hours ?? [],
    firstResponseSlaMinutes: r.first_response_sla_minutes,
    resolutionSlaMinutes: r.resolution_sla_minutes,
    emailAddress: r.email_address,
    autoAssign: r.auto_assign,
    isDefault: r.is_default,
    sortOrder: r.sort_order,
    active: r.active,
  };
}

const MESSAGE_COLUMNS = 'id, conversation_id, seq, client_id, author_kind, author_id, author_name, internal, body, data, created_at';

export interface ConversationDeps {
  db: Db;
  audit: AuditService;
  events: EventBus;
  log: Logger;
}

/** Sends an agent's reply out through a channel (e-mail), in the reply's transaction. */
export type OutboundSender = (tx: Queryable, conversation: Conversation, message: Message) => Promise<void>;
/** Reacts to a resident's message after it committed (the bot). */
export type ResidentMessageHook = (conversation: Conversation, message: Message) => Promise<void>;

export class ConversationService {
  private outbound = new Map<ConversationChannel, OutboundSender>();
  private residentHooks: ResidentMessageHook[] = [];

  constructor(private deps: ConversationDeps) {}

  /**
   * A channel whose replies leave the product (e-mail) registers its sender here; every
   * agent reply in that channel is handed to it inside the reply's transaction, so a reply
   * is stored and sent, or neither. Chat needs none: the stream delivers it.
   */
  registerOutbound(channel: ConversationChannel, send: OutboundSender) {
    this.outbound.set(channel, send);
  }

  /** The bot registers here; see residentMessageCommitted. */
  onResidentMessage(hook: ResidentMessageHook) {
    this.residentHooks.push(hook);
  }

  /**
   * The channel API calls this after the transaction that stored a resident's message
   * has committed. Hooks run one after another; a failing hook is logged and does not
   * fail the resident's request (their message is saved either way).
   */
  async residentMessageCommitted(conversation: Conversation, message: Message): Promise<void> {
    if (message.authorKind !== 'resident') return;
    for (const hook of this.residentHooks) {
      try {
        await hook(conversation, message);
      } catch (e) {
        this.deps.log.error({ err: e, conversationId: conversation.id }, 'inbox: resident message hook failed');
      }
    }
  }

  // ── reads (no authorization: callers check first) ──────────────────────────────────

  async get(q: Queryable, tenantId: string, id: string): Promise<Conversation | null> {
    if (!isUuid(id)) return null;
    const r = await q.query<ConversationRow>('select * from inbox_conversations where tenant_id = $1 and id = $2', [tenantId, id]);
    return r.rows[0] ? toConversation(r.rows[0]) : null;
  }

  /** The conversation whose chat visitor holds this token (null for a wrong or empty token). */
  async findByVisitorToken(q: Queryable, tenantId: string, token: string | undefined | null): Promise<Conversation | null> {
    if (!token || token.length < 20 || token.length > 100) return null;
    const r = await q.query<ConversationRow>('select * from inbox_conversations where tenant_id = $1 and visitor_token_hash = $2', [
      tenantId,
      sha256(token),
    ]);
    return r.rows[0] ? toConversation(r.rows[0]) : null;
  }

  /** Messages numbered after `afterSeq`, oldest first. Residents never get internal notes. */
  async messagesAfter(
    q: Queryable,
    tenantId: string,
    conversationId: string,
    afterSeq: number,
    opts: { includeInternal: boolean; limit?: number },
  ): Promise<Message[]> {
    const r = await q.query<MessageRow>(
      `select ${MESSAGE_COLUMNS} from inbox_messages
        where tenant_id = $1 and conversation_id = $2 and seq > $3 ${opts.includeInternal ? '' : 'and not internal'}
        order by seq limit $4`,
      [tenantId, conversationId, Math.max(0, Math.floor(afterSeq) || 0), opts.limit ?? 1000],
    );
    return r.rows.map(toMessage);
  }

  /** The message an event announced: inline when it fit the NOTIFY payload, else read. */
  async messageFromEvent(tenantId: string, data: { conversationId: string; seq: number; message?: Message }): Promise<Message | null> {
    if (data.message) return data.message;
    const r = await this.deps.db.query<MessageRow>(
      `select ${MESSAGE_COLUMNS} from inbox_messages where tenant_id = $1 and conversation_id = $2 and seq = $3`,
      [tenantId, data.conversationId, data.seq],
    );
    return r.rows[0] ? toMessage(r.rows[0]) : null;
  }

  async team(q: Queryable, tenantId: string, teamId: string): Promise<Team | null> {
    if (!isUuid(teamId)) return null;
    const r = await q.query<TeamRow>('select * from inbox_teams where tenant_id = $1 and id = $2', [tenantId, teamId]);
    return r.rows[0] ? toTeam(r.rows[0]) : null;
  }

  async teams(q: Queryable, tenantId: string): Promise<Team[]> {
    const r = await q.query<TeamRow>('select * from inbox_teams where tenant_id = $1 order by sort_order, names->>\'fi\'', [tenantId]);
    return r.rows.map(toTeam);
  }

  async defaultTeam(q: Queryable, tenantId: string): Promise<Team | null> {
    const r = await q.query<TeamRow>(
      'select * from inbox_teams where tenant_id = $1 and active order by is_default desc, sort_order limit 1',
      [tenantId],
    );
    return r.rows[0] ? toTeam(r.rows[0]) : null;
  }

  // ── commands (in the caller's transaction) ─────────────────────────────────────────

  /** A new conversation; `token` is the chat visitor's secret, returned once. */
  async start(tx: Queryable, tenantId: string, input: StartInput): Promise<{ conversation: Conversation; token: string | null }> {
    const teamId = input.teamId ?? (await this.defaultTeam(tx, tenantId))?.id ?? null;
    const token = input.withVisitorToken ? randomToken(24) : null;
    const r = await tx.query<ConversationRow>(
      `insert into inbox_conversations
         (tenant_id, channel, status, team_id, resident_id, contact_name, contact_email, lang, subject, origin, visitor_token_hash)
       values ($1, $2, 'bot', $3, $4, $5, $6, $7, $8, $9, $10) returning *`,
      [
        tenantId,
        input.channel,
        teamId,
        input.residentId ?? null,
        input.contactName?.trim() || null,
        input.contactEmail?.trim().toLowerCase() || null,
        input.lang,
        input.subject?.trim().slice(0, 300) || null,
        input.origin ?? null,
        token ? sha256(token) : null,
      ],
    );
    let conversation = toConversation(r.rows[0]);
    // Straight to a person: the queue clock starts now.
    if (input.status === 'pending') conversation = await this.handoff(tx, tenantId, conversation.id, { reason: 'direct' });
    return { conversation, token };
  }

  /**
   * Adds a message. A client id seen before returns that message with duplicate = true
   * and changes nothing. Agent messages stamp the first response; a resident writing to a
   * snoozed or resolved conversation reopens it.
   */
  async postMessage(
    tx: Queryable,
    tenantId: string,
    conversationId: string,
    input: PostInput,
  ): Promise<{ message: Message; conversation: Conversation; duplicate: boolean }> {
    const body = input.body.replace(/\r\n/g, '\n').trim();
    if (input.authorKind !== 'system' && input.authorKind !== 'bot' && body.length === 0 && !input.data?.attachments?.length) {
      throw new AppError('validation_failed', 400, { body: 'required' });
    }
    if (body.length > MESSAGE_MAX && input.authorKind !== 'resident' && input.authorKind !== 'system') {
      throw new AppError('validation_failed', 400, { body: 'too_long' });
    }
    if (input.clientId != null && !CLIENT_ID.test(input.clientId)) throw new AppError('validation_failed', 400, { clientId: 'invalid' });

    const locked = await tx.query<ConversationRow>('select * from inbox_conversations where tenant_id = $1 and id = $2 for update', [
      tenantId,
      conversationId,
    ]);
    if (!locked.rows[0]) throw new AppError('not_found', 404);
    const before = toConversation(locked.rows[0]);

    const internal = input.internal === true;
    const fromAgent = input.authorKind === 'agent' && !internal;
    const fromResident = input.authorKind === 'resident';
    // A resident's new message wakes a parked or finished conversation.
    const reopen = fromResident && (before.status === 'snoozed' || before.status === 'resolved');
    const reopenedStatus: ConversationStatus = before.assigneeId ? 'open' : 'pending';

    // One round trip (this runs for every chat message): under the row lock the message
    // takes the next number unless its client id is already stored, and only a message
    // that went in moves the conversation on. A resend inserts nothing and changes nothing.
    const stored = await tx.query<{ message: MessageRow | null; conversation: ConversationRow | null }>(
      `with m as (
         insert into inbox_messages (tenant_id, conversation_id, seq, client_id, author_kind, author_id, author_name, internal, body, data)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         on conflict (conversation_id, client_id) do nothing
         returning ${MESSAGE_COLUMNS}
       ), c as (
         update inbox_conversations ic set
           last_seq = m.seq,
           last_message_at = now(),
           last_message_preview = case when $11 then ic.last_message_preview else left($12, 140) end,
           first_response_at = case when $13 and ic.first_response_at is null then now() else ic.first_response_at end,
           status = case when $14 then $15 else ic.status end,
           resolved_at = case when $14 then null else ic.resolved_at end,
           snoozed_until = case when $14 then null else ic.snoozed_until end,
           updated_at = now()
         from m where ic.tenant_id = $1 and ic.id = $2 returning ic.*
       )
       select (select row_to_json(m) from m) as message, (select row_to_json(c) from c) as conversation`,
      [
        tenantId,
        conversationId,
        before.lastSeq + 1,
        input.clientId ?? null,
        input.authorKind,
        input.authorId ?? null,
        input.authorName ?? null,
        internal,
        body,
        JSON.stringify(input.data ?? {}),
        internal || input.authorKind === 'system',
        body.replace(/\s+/g, ' '),
        fromAgent,
        reopen,
        reopenedStatus,
      ],
    );
    const row = stored.rows[0];
    if (!row?.message || !row.conversation) {
      const seen = await tx.query<MessageRow>(`select ${MESSAGE_COLUMNS} from inbox_messages where conversation_id = $1 and client_id = $2`, [
        conversationId,
        input.clientId,
      ]);
      if (!seen.rows[0]) throw new Error('inbox: a message was neither stored nor found by its client id');
      return { message: toMessage(seen.rows[0]), conversation: before, duplicate: true };
    }
    const conversation = toConversation(row.conversation);
    const message = toMessage(row.message);
    if (input.data?.attachments?.length) {
      await tx.query(
        'update inbox_attachments set message_id = $1 where tenant_id = $2 and conversation_id = $3 and id = any($4::uuid[]) and message_id is null',
        [message.id, tenantId, conversationId, input.data.attachments.map((a) => a.id)],
      );
    }
    const send = fromAgent ? this.outbound.get(conversation.channel) : undefined;
    if (send) await send(tx, conversation, message);
    await this.publishMessage(tx, conversation, message);
    if (reopen) await this.publishConversation(tx, conversation);
    return { message, conversation, duplicate: false };
  }

  /**
   * The resident wants a person (asked, or the bot gave up): the conversation joins its
   * team's queue, the SLA clocks start in the team's business hours, and round-robin may
   * give it to an online agent at once.
   */
  async handoff(
    tx: Queryable,
    tenantId: string,
    conversationId: string,
    opts: { teamId?: string | null; reason: 'asked' | 'bot_gave_up' | 'direct' | 'offline_message' },
  ): Promise<Conversation> {
    const current = await this.lock(tx, tenantId, conversationId);
    if (current.status !== 'bot' && current.status !== 'resolved') return current;
    const teamId = opts.teamId ?? current.teamId ?? (await this.defaultTeam(tx, tenantId))?.id ?? null;
    const team = teamId ? await this.team(tx, tenantId, teamId) : null;
    const now = Date.now();
    const firstDue = team ? addBusinessMinutes(team.businessHours, now, team.firstResponseSlaMinutes) : null;
    const resolutionDue = team ? addBusinessMinutes(team.businessHours, now, team.resolutionSlaMinutes) : null;
    const r = await tx.query<ConversationRow>(
      `update inbox_conversations set status = 'pending', team_id = $3, handed_off_at = coalesce(handed_off_at, now()),
         first_response_due_at = $4, resolution_due_at = $5, resolved_at = null, resolved_by_bot = false, updated_at = now()
       where tenant_id = $1 and id = $2 returning *`,
      [tenantId, conversationId, team?.id ?? null, firstDue ? new Date(firstDue) : null, resolutionDue ? new Date(resolutionDue) : null],
    );
    let conversation = toConversation(r.rows[0]);
    await this.systemMessage(tx, conversation, { kind: 'handoff', reason: opts.reason, teamId: team?.id ?? null });
    await this.publishConversation(tx, conversation);
    if (team?.autoAssign) conversation = (await this.autoAssign(tx, tenantId, conversation.id)) ?? conversation;
    return (await this.get(tx, tenantId, conversation.id))!;
  }

  /**
   * Round-robin: the online agent of the conversation's team with free capacity who was
   * given a conversation longest ago. Returns the assigned conversation, or null when
   * nobody is free (it stays pending; the next agent to come online or free up takes it).
   */
  async autoAssign(tx: Queryable, tenantId: string, conversationId: string): Promise<Conversation | null> {
    const current = await this.lock(tx, tenantId, conversationId);
    if (current.status !== 'pending' || current.assigneeId || !current.teamId) return null;
    const pick = (lockMode: 'skip locked' | '') =>
      tx.query<{ staff_user_id: string; name: string }>(
        `select a.staff_user_id, u.name from inbox_agents a
           join inbox_team_members m on m.tenant_id = a.tenant_id and m.staff_user_id = a.staff_user_id and m.team_id = $2
           join staff_users u on u.tenant_id = a.tenant_id and u.id = a.staff_user_id and u.active
          where a.tenant_id = $1 and a.status = 'online' and a.last_seen_at > now() - make_interval(secs => $3)
            and a.capacity > (select count(*) from inbox_conversations c
                               where c.tenant_id = a.tenant_id and c.assignee_id = a.staff_user_id and c.status = 'open')
          order by a.last_assigned_at asc nulls first, a.staff_user_id
          limit 1 for update of a ${lockMode}`,
        [tenantId, current.teamId, PRESENCE_FRESH_SECONDS],
      );
    const hasRoom = async (staffUserId: string) =>
      (
        await tx.query<{ free: boolean }>(
          `select a.capacity > (select count(*) from inbox_conversations c
                                 where c.tenant_id = a.tenant_id and c.assignee_id = a.staff_user_id and c.status = 'open') as free
             from inbox_agents a where a.tenant_id = $1 and a.staff_user_id = $2`,
          [tenantId, staffUserId],
        )
      ).rows[0]?.free === true;
    // In a burst every free agent's row can be locked by transactions assigning other
    // conversations at this moment. Skipping them all would leave this one queued while
    // agents have room (nothing assigns it later), so then it waits for the next agent in
    // turn and counts again after the wait (the wait's own re-check counts from before it);
    // an agent that filled up meanwhile sends it back to look again. Bounded: each round
    // waits for another transaction to finish.
    for (let round = 0; round < 10; round++) {
      const free = (await pick('skip locked')).rows[0];
      if (free) return this.assign(tx, tenantId, conversationId, free.staff_user_id, { by: null, byName: null, auto: true });
      const next = (await pick('')).rows[0];
      if (!next) return null;
      if (await hasRoom(next.staff_user_id)) return this.assign(tx, tenantId, conversationId, next.staff_user_id, { by: null, byName: null, auto: true });
    }
    return null;
  }

  /**
   * Gives the conversation to an agent (null = back to the team's queue). A pending
   * conversation becomes open. `by` is the staff member who did it (null = round-robin).
   */
  async assign(
    tx: Queryable,
    tenantId: string,
    conversationId: string,
    staffUserId: string | null,
    opts: { by: string | null; byName: string | null; auto?: boolean },
  ): Promise<Conversation> {
    const current = await this.lock(tx, tenantId, conversationId);
    let assigneeName: string | null = null;
    if (staffUserId) {
      const u = await tx.query<{ name: string }>('select name from staff_users where tenant_id = $1 and id = $2 and active', [tenantId, staffUserId]);
      if (!u.rows[0]) throw new AppError('validation_failed', 400, { staffUserId: 'unknown' });
      assigneeName = u.rows[0].name;
      await tx.query(
        `insert into inbox_agents (tenant_id, staff_user_id, last_assigned_at) values ($1, $2, now())
         on conflict (tenant_id, staff_user_id) do update set last_assigned_at = now()`,
        [tenantId, staffUserId],
      );
    }
    const status: ConversationStatus = staffUserId
      ? current.status === 'pending' || current.status === 'bot'
        ? 'open'
        : current.status
      : current.status === 'open'
        ? 'pending'
        : current.status;
    const r = await tx.query<ConversationRow>(
      `update inbox_conversations set assignee_id = $3, status = $4,
         handed_off_at = case when $4 <> 'bot' then coalesce(handed_off_at, now()) else handed_off_at end, updated_at = now()
       where tenant_id = $1 and id = $2 returning *`,
      [tenantId, conversationId, staffUserId, status],
    );
    const conversation = toConversation(r.rows[0]);
    await this.systemMessage(tx, conversation, {
      kind: 'assigned',
      assigneeId: staffUserId,
      assigneeName,
      auto: opts.auto === true,
    });
    await this.publishConversation(tx, conversation);
    return conversation;
  }

  /** Moves the conversation to another team's queue with an internal note for them. */
  async transfer(
    tx: Queryable,
    tenantId: string,
    conversationId: string,
    teamId: string,
    note: string,
    by: { id: string; name: string },
  ): Promise<Conversation> {
    const team = await this.team(tx, tenantId, teamId);
    if (!team || !team.active) throw new AppError('validation_failed', 400, { teamId: 'unknown' });
    await this.lock(tx, tenantId, conversationId);
    const r = await tx.query<ConversationRow>(
      `update inbox_conversations set team_id = $3, assignee_id = null,
         status = case when status in ('open', 'bot') then 'pending' else status end, updated_at = now()
       where tenant_id = $1 and id = $2 returning *`,
      [tenantId, conversationId, team.id],
    );
    let conversation = toConversation(r.rows[0]);
    await this.postMessage(tx, tenantId, conversationId, {
      authorKind: 'agent',
      authorId: by.id,
      authorName: by.name,
      internal: true,
      body: note.trim() || '—',
      data: { event: { kind: 'transfer', teamId: team.id } },
    });
    await this.publishConversation(tx, conversation);
    if (team.autoAssign) conversation = (await this.autoAssign(tx, tenantId, conversationId)) ?? conversation;
    return (await this.get(tx, tenantId, conversation.id))!;
  }

  /**
   * Status changes by an agent or the resident: resolve (a conversation the bot alone
   * handled counts as contained), snooze until a time, reopen.
   */
  async setStatus(
    tx: Queryable,
    tenantId: string,
    conversationId: string,
    status: Extract<ConversationStatus, 'open' | 'pending' | 'snoozed' | 'resolved'>,
    opts: { snoozedUntil?: Date | null; byName?: string | null } = {},
  ): Promise<Conversation> {
    const current = await this.lock(tx, tenantId, conversationId);
    if (status === 'snoozed' && (!opts.snoozedUntil || opts.snoozedUntil.getTime() <= Date.now())) {
      throw new AppError('validation_failed', 400, { snoozedUntil: 'future_required' });
    }
    if (status === 'open' && !current.assigneeId) status = 'pending';
    if (current.status === status && status !== 'snoozed') return current;
    const r = await tx.query<ConversationRow>(
      `update inbox_conversations set status = $3,
         snoozed_until = $4,
         resolved_at = case when $3 = 'resolved' then now() else null end,
         resolved_by_bot = case when $3 = 'resolved' then (handed_off_at is null) else false end,
         updated_at = now()
       where tenant_id = $1 and id = $2 returning *`,
      [tenantId, conversationId, status, status === 'snoozed' ? opts.snoozedUntil : null],
    );
    const conversation = toConversation(r.rows[0]);
    await this.systemMessage(tx, conversation, { kind: 'status', status, snoozedUntil: iso(opts.snoozedUntil ?? null) });
    await this.publishConversation(tx, conversation);
    return conversation;
  }

  /** Wakes snoozed conversations whose time has come (a job runs this every minute). */
  async wakeSnoozed(): Promise<number> {
    const due = await this.deps.db.query<{ id: string; tenant_id: string }>(
      `select id, tenant_id from inbox_conversations where status = 'snoozed' and snoozed_until <= now() limit 500`,
    );
    for (const row of due.rows) {
      await this.deps.db.transaction((tx) => this.setStatus(tx, row.tenant_id, row.id, 'open'));
    }
    return due.rows.length;
  }

  // ── events ─────────────────────────────────────────────────────────────────────────

  /**
   * One NOTIFY per message: the resident's channel (unless internal), the staff view of
   * the conversation, and whoever works it: the assignee, else the team's queue, else
   * every agent of the tenant. Bot-stage messages reach only the two conversation channels.
   */
  async publishMessage(tx: Queryable, conversation: Conversation, message: Message) {
    const t = conversation.tenantId;
    const also = [conversationStaffChannel(t, conversation.id)];
    if (conversation.status !== 'bot') also.push(...this.workChannels(conversation));
    const inline = Buffer.byteLength(JSON.stringify(message)) <= INLINE_MESSAGE_BYTES;
    const data = { conversationId: conversation.id, seq: message.seq, ...(inline ? { message } : {}) };
    if (message.internal) {
      await this.deps.events.publish(tx, { channel: also[0], also: also.slice(1), type: 'message', data });
    } else {
      await this.deps.events.publish(tx, { channel: conversationChannel(t, conversation.id), also, type: 'message', data });
    }
  }

  /** Status, team or assignee changed: every agent's list and the resident's widget update. */
  async publishConversation(tx: Queryable, c: Conversation) {
    await this.deps.events.publish(tx, {
      channel: conversationChannel(c.tenantId, c.id),
      also: [conversationStaffChannel(c.tenantId, c.id), inboxChannel(c.tenantId)],
      type: 'conversation',
      data: { conversationId: c.id, status: c.status, teamId: c.teamId, assigneeId: c.assigneeId, lastSeq: c.lastSeq },
    });
  }

  private workChannels(c: Conversation): string[] {
    if (c.assigneeId) return [`user:${c.tenantId}:${c.assigneeId}`];
    if (c.teamId) return [teamChannel(c.tenantId, c.teamId)];
    return [inboxChannel(c.tenantId)];
  }

  private async systemMessage(tx: Queryable, c: Conversation, event: NonNullable<MessageData['event']>) {
    await this.postMessage(tx, c.tenantId, c.id, { authorKind: 'system', body: '', internal: false, data: { event } });
  }

  private async lock(tx: Queryable, tenantId: string, conversationId: string): Promise<Conversation> {
    if (!isUuid(conversationId)) throw new AppError('not_found', 404);
    const r = await tx.query<ConversationRow>('select * from inbox_conversations where tenant_id = $1 and id = $2 for update', [
      tenantId,
      conversationId,
    ]);
    if (!r.rows[0]) throw new AppError('not_found', 404);
    return toConversation(r.rows[0]);
  }
}
