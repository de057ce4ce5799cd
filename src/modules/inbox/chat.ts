import type { AuditService } from '../audit/audit.ts';
import type { ContentVersions } from '../catalog/content-version.ts';
import { weekFrom, type DayHours } from '../catalog/opening-hours.ts';
import type { Actor } from '../identity/actor.ts';
import { tooManyRequests } from '../identity/throttle.ts';
import { prepareAttachment } from '../feedback/attachments.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import type { EventBus } from '../../platform/events.ts';
import { AppError } from '../../platform/errors.ts';
import { pick, type Lang } from '../../platform/i18n.ts';
import { isUuid } from '../../platform/validation.ts';
import { isWithinBusinessHours, nextOpening } from './business-hours.ts';
import { normalizeOrigin } from './origins.ts';
import { conversationStaffChannel, PRESENCE_FRESH_SECONDS, type ConversationService } from './conversations.ts';
import { CLIENT_ID, teamChannel, inboxChannel, type Conversation, type Message } from './model.ts';

/**
 * The resident's chat beyond sending messages: whether anyone is there (settings, the
 * default team's hours, agents online), the queue, "talk to a person", typing, attachments,
 * the transcript, ending and rating, and the leave-a-message form that becomes an e-mail
 * conversation. It does not authorize residents: the chat API finds the conversation the
 * caller may act on first (conversationForResident), then calls these.
 */

export interface ChatSettings {
  chatEnabled: boolean;
  botEnabled: boolean;
  allowedOrigins: string[];
  autoReply: boolean;
}

export interface ChatStatus {
  enabled: boolean;
  /** The bot answers first (also when nobody is on duty). */
  botEnabled: boolean;
  team: { id: string; name: string; nameLang: Lang } | null;
  /** The default team's hours for the next seven days (Helsinki wall clock). */
  week: DayHours[];
  /** No hours at all means the team answers around the clock. */
  alwaysOpen: boolean;
  openNow: boolean;
  agentsOnline: number;
  /** ISO instant of the next opening when closed now. */
  nextOpening: string | null;
  /** Someone can answer now: open and at least one team member online. */
  available: boolean;
}

export interface QueueInfo {
  /** 1 = next to be answered. */
  position: number;
  estimatedWaitMinutes: number;
}

export interface ChatAttachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

/**
 * The embeddable chat page names the sites that may frame it in this response header;
 * the server turns it into frame-ancestors (src/server/app.ts) and never sends it.
 */
export const FRAME_ANCESTORS_HEADER = 'x-aukio-frame-ancestors';

/**
 * Chat starts per IP address and window: enough for a library's shared address, not for a
 * script. `max` is the default of CHAT_START_RATE_PER_IP.
 */
export const CHAT_START_LIMIT = { max: 30, windowMinutes: 10 } as const;
/** Resident attachments: images and PDF, each at most this many bytes. */
export const CHAT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
/** Unsent uploads per conversation (a runaway client cannot fill the table). */
const MAX_PENDING_UPLOADS = 10;
/** A rating may be changed within this time of the first one; later it stays. */
export const RATING_CHANGE_HOURS = 24;
/** Minutes to the first answer when the team has no history yet. */
const DEFAULT_FIRST_RESPONSE_MINUTES = 5;
/** The resident's typing signal is passed on at most this often per conversation. */
const TYPING_INTERVAL_MS = 2000;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const TRANSCRIPT_TEXT = {
  fi: {
    title: 'Keskustelu',
    started: 'Aloitettu',
    you: 'Sinä',
    bot: 'Botti',
    agent: 'Asiakaspalvelu',
    attachment: 'Liite',
    handoff: 'Siirretty asiakaspalvelijalle',
    assigned: '{name} liittyi keskusteluun',
    status: 'Tila: {status}',
    transfer: 'Siirretty toiselle tiimille',
    resolved: 'päättynyt',
    open: 'avoin',
    pending: 'jonossa',
    snoozed: 'odottaa',
    bot_status: 'botti',
  },
  sv: {
    title: 'Samtal',
    started: 'Inlett',
    you: 'Du',
    bot: 'Botten',
    agent: 'Kundtjänst',
    attachment: 'Bilaga',
    handoff: 'Överfört till en kundtjänstmedarbetare',
    assigned: '{name} anslöt till samtalet',
    status: 'Status: {status}',
    transfer: 'Överfört till ett annat team',
    resolved: 'avslutat',
    open: 'öppet',
    pending: 'i kö',
    snoozed: 'väntar',
    bot_status: 'botten',
  },
  en: {
    title: 'Conversation',
    started: 'Started',
    you: 'You',
    bot: 'Bot',
    agent: 'Customer service',
    attachment: 'Attachment',
    handoff: 'Handed over to customer service',
    assigned: '{name} joined the conversation',
    status: 'Status: {status}',
    transfer: 'Transferred to another team',
    resolved: 'ended',
    open: 'open',
    pending: 'in the queue',
    snoozed: 'waiting',
    bot_status: 'bot',
  },
} as const;

const LOCALES: Record<Lang, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

export function helsinkiTime(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone: 'Europe/Helsinki',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

export interface ChatDeps {
  db: Db;
  audit: AuditService;
  events: EventBus;
  contentVersions: ContentVersions;
  conversations: ConversationService;
  /** CHAT_START_RATE_PER_IP: starts per IP address per CHAT_START_LIMIT.windowMinutes. */
  startsPerIp: number;
}

export class ChatService {
  private typingSeen = new Map<string, number>();

  constructor(private d: ChatDeps) {}

  // ── settings ───────────────────────────────────────────────────────────────────────

  async settings(q: Queryable, tenantId: string): Promise<ChatSettings> {
    const r = await q.query<{ chat_enabled: boolean; bot_enabled: boolean; allowed_origins: string[]; auto_reply: boolean }>(
      'select chat_enabled, bot_enabled, allowed_origins, auto_reply from inbox_settings where tenant_id = $1',
      [tenantId],
    );
    const s = r.rows[0];
    return s
      ? { chatEnabled: s.chat_enabled, botEnabled: s.bot_enabled, allowedOrigins: s.allowed_origins ?? [], autoReply: s.auto_reply }
      : { chatEnabled: true, botEnabled: true, allowedOrigins: [], autoReply: true };
  }

  /**
   * Tenant admins change the chat settings. Origins are validated one by one (the field
   * names the first bad line). Pages show the chat button from these settings, so the
   * content version moves and cached pages are not served with the old state.
   */
  async updateSettings(
    tenantId: string,
    actor: Actor,
    input: { chatEnabled: boolean; botEnabled: boolean; autoReply: boolean; allowedOrigins: string[] },
    ctx: { ip?: string } = {},
  ): Promise<{ changed: string[]; settings: ChatSettings }> {
    const origins: string[] = [];
    for (const [i, raw] of input.allowedOrigins.entries()) {
      if (!raw.trim()) continue;
      const o = normalizeOrigin(raw);
      if (!o) throw new AppError('validation_failed', 400, { fields: { allowedOrigins: 'invalid_origin' }, line: i + 1 });
      if (!origins.includes(o)) origins.push(o);
    }
    if (origins.length > 50) throw new AppError('validation_failed', 400, { fields: { allowedOrigins: 'too_many' } });
    return this.d.db.transaction(async (tx) => {
      const before = await this.settings(tx, tenantId);
      const after: ChatSettings = { chatEnabled: input.chatEnabled, botEnabled: input.botEnabled, autoReply: input.autoReply, allowedOrigins: origins };
      const changed = (Object.keys(after) as (keyof ChatSettings)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
      if (!changed.length) return { changed, settings: before };
      await tx.query(
        `insert into inbox_settings (tenant_id, chat_enabled, bot_enabled, allowed_origins, auto_reply, updated_at)
         values ($1, $2, $3, $4, $5, now())
         on conflict (tenant_id) do update set chat_enabled = $2, bot_enabled = $3, allowed_origins = $4, auto_reply = $5, updated_at = now()`,
        [tenantId, after.chatEnabled, after.botEnabled, after.allowedOrigins, after.autoReply],
      );
      await this.d.audit.record(tx, tenantId, actor, {
        action: 'inbox.settings_changed',
        targetKind: 'inbox_settings',
        targetId: tenantId,
        details: { changed, before, after },
        ip: ctx.ip,
      });
      await this.d.contentVersions.bump(tx, tenantId);
      return { changed, settings: after };
    });
  }

  // ── availability and queue ─────────────────────────────────────────────────────────

  /** Is the chat on, when does the default team work, and is anyone there now. */
  async status(q: Queryable, tenantId: string, lang: Lang, now = Date.now()): Promise<ChatStatus> {
    const settings = await this.settings(q, tenantId);
    const team = await this.d.conversations.defaultTeam(q, tenantId);
    if (!team) {
      return { enabled: settings.chatEnabled, botEnabled: settings.botEnabled, team: null, week: [], alwaysOpen: false, openNow: false, agentsOnline: 0, nextOpening: null, available: false };
    }
    const openNow = isWithinBusinessHours(team.businessHours, now);
    const agentsOnline = await this.agentsOnline(q, tenantId, team.id);
    const next = nextOpening(team.businessHours, now);
    const name = pick(team.names, lang);
    return {
      enabled: settings.chatEnabled,
      botEnabled: settings.botEnabled,
      team: { id: team.id, name: name.text, nameLang: name.lang },
      week: weekFrom(team.businessHours, now),
      alwaysOpen: team.businessHours.length === 0,
      openNow,
      agentsOnline,
      nextOpening: next === null ? null : new Date(next).toISOString(),
      available: settings.chatEnabled && openNow && agentsOnline > 0,
    };
  }

  async agentsOnline(q: Queryable, tenantId: string, teamId: string): Promise<number> {
    const r = await q.query<{ n: number }>(
      `select count(*)::int as n from inbox_agents a
         join inbox_team_members m on m.tenant_id = a.tenant_id and m.staff_user_id = a.staff_user_id and m.team_id = $2
         join staff_users u on u.tenant_id = a.tenant_id and u.id = a.staff_user_id and u.active
        where a.tenant_id = $1 and a.status = 'online' and a.last_seen_at > now() - make_interval(secs => $3)`,
      [tenantId, teamId, PRESENCE_FRESH_SECONDS],
    );
    return r.rows[0]?.n ?? 0;
  }

  /**
   * Place in the team's queue (by hand-off time) and the expected wait: the median time
   * to a first answer over the team's last 50 answered conversations, times the place,
   * shared among the agents online. Null unless the conversation is waiting.
   */
  async queue(q: Queryable, c: Conversation): Promise<QueueInfo | null> {
    if (c.status !== 'pending' || !c.teamId || !c.handedOffAt) return null;
    const pos = await q.query<{ n: number }>(
      `select count(*)::int as n from inbox_conversations
        where tenant_id = $1 and team_id = $2 and status = 'pending' and handed_off_at is not null
          and (handed_off_at < $3 or (handed_off_at = $3 and id < $4))`,
      [c.tenantId, c.teamId, new Date(c.handedOffAt), c.id],
    );
    const position = (pos.rows[0]?.n ?? 0) + 1;
    const med = await q.query<{ minutes: number | null }>(
      `select percentile_cont(0.5) within group (order by extract(epoch from (first_response_at - handed_off_at)) / 60)::float8 as minutes
         from (select first_response_at, handed_off_at from inbox_conversations
                where tenant_id = $1 and team_id = $2 and first_response_at is not null and handed_off_at is not null
                  and first_response_at >= handed_off_at
                order by first_response_at desc limit 50) recent`,
      [c.tenantId, c.teamId],
    );
    const median = med.rows[0]?.minutes ?? null;
    const perConversation = median !== null && Number.isFinite(median) ? Math.max(1, median) : DEFAULT_FIRST_RESPONSE_MINUTES;
    const agents = Math.max(1, await this.agentsOnline(q, c.tenantId, c.teamId));
    return { position, estimatedWaitMinutes: Math.max(1, Math.ceil((perConversation * position) / agents)) };
  }

  /**
   * Counts one chat start for the address; over the limit → 429 with Retry-After. In the
   * start's transaction, so a refused start leaves no count.
   */
  async countStart(tx: Queryable, tenantId: string, ip: string): Promise<void> {
    const r = await tx.query<{ count: number; retry: number }>(
      `insert into inbox_chat_rate (tenant_id, key, window_start, count) values ($1, $2, now(), 1)
       on conflict (tenant_id, key) do update set
         count = case when inbox_chat_rate.window_start < now() - make_interval(mins => $3) then 1 else inbox_chat_rate.count + 1 end,
         window_start = case when inbox_chat_rate.window_start < now() - make_interval(mins => $3) then now() else inbox_chat_rate.window_start end
       returning count, ceil(extract(epoch from (window_start + make_interval(mins => $3) - now())))::int as retry`,
      [tenantId, `start:${ip}`, CHAT_START_LIMIT.windowMinutes],
    );
    const row = r.rows[0];
    if (row.count > this.d.startsPerIp) throw tooManyRequests(row.retry);
  }

  // ── resident commands ──────────────────────────────────────────────────────────────

  /** "Talk to a person": the conversation joins the queue (no-op when a person already has it). */
  async handoff(c: Conversation): Promise<Conversation> {
    const settings = await this.settings(this.d.db, c.tenantId);
    if (!settings.chatEnabled) throw new AppError('feature_disabled', 403);
    return this.d.db.transaction((tx) => this.d.conversations.handoff(tx, c.tenantId, c.id, { reason: 'asked' }));
  }

  /** The resident ends the chat; a second "end" changes nothing. */
  async close(c: Conversation): Promise<Conversation> {
    if (c.status === 'resolved') return c;
    return this.d.db.transaction((tx) => this.d.conversations.setStatus(tx, c.tenantId, c.id, 'resolved', { byName: null }));
  }

  /**
   * CSAT 1–5 and an optional comment, once the conversation has ended. The first rating
   * may be replaced within RATING_CHANGE_HOURS (a slip of the finger); after that it stands
   * and a new one is refused with 409.
   */
  async rate(c: Conversation, input: { score: unknown; comment: unknown }): Promise<Conversation> {
    const score = typeof input.score === 'string' && /^[1-5]$/.test(input.score) ? Number(input.score) : input.score;
    if (typeof score !== 'number' || !Number.isInteger(score) || score < 1 || score > 5) {
      throw new AppError('validation_failed', 400, { fields: { score: 'invalid' } });
    }
    if (input.comment !== undefined && input.comment !== null && typeof input.comment !== 'string') {
      throw new AppError('validation_failed', 400, { fields: { comment: 'invalid_type' } });
    }
    const comment = typeof input.comment === 'string' ? input.comment.replace(/\r\n/g, '\n').trim() : '';
    if (comment.length > 2000) throw new AppError('validation_failed', 400, { fields: { comment: 'too_long' } });
    return this.d.db.transaction(async (tx) => {
      const r = await tx.query<{ status: string; csat_at: Date | string | null }>(
        'select status, csat_at from inbox_conversations where tenant_id = $1 and id = $2 for update',
        [c.tenantId, c.id],
      );
      const row = r.rows[0];
      if (!row) throw new AppError('not_found', 404);
      if (row.status !== 'resolved') throw new AppError('conflict', 409, { reason: 'not_ended' });
      if (row.csat_at && Date.now() - new Date(row.csat_at).getTime() > RATING_CHANGE_HOURS * 3600_000) {
        throw new AppError('conflict', 409, { reason: 'already_rated' });
      }
      await tx.query(
        `update inbox_conversations set csat_score = $3, csat_comment = $4, csat_at = coalesce(csat_at, now()), updated_at = now()
          where tenant_id = $1 and id = $2`,
        [c.tenantId, c.id, score, comment || null],
      );
      const updated = (await this.d.conversations.get(tx, c.tenantId, c.id))!;
      await this.d.conversations.publishConversation(tx, updated);
      return updated;
    });
  }

  /** Whether the rating form is offered: ended, and not rated or rated within the change window. */
  async canRate(q: Queryable, c: Conversation): Promise<boolean> {
    if (c.status !== 'resolved') return false;
    const r = await q.query<{ csat_at: Date | string | null }>('select csat_at from inbox_conversations where tenant_id = $1 and id = $2', [c.tenantId, c.id]);
    const at = r.rows[0]?.csat_at;
    return !at || Date.now() - new Date(at).getTime() <= RATING_CHANGE_HOURS * 3600_000;
  }

  /**
   * The resident's typing signal to whoever works the conversation, at most every two
   * seconds per conversation (per instance; it is a hint, never stored). Returns whether
   * it was passed on.
   */
  async typing(c: Conversation): Promise<boolean> {
    const now = Date.now();
    const last = this.typingSeen.get(c.id) ?? 0;
    if (now - last < TYPING_INTERVAL_MS) return false;
    this.typingSeen.set(c.id, now);
    if (this.typingSeen.size > 10_000) {
      for (const [k, t] of this.typingSeen) if (now - t > TYPING_INTERVAL_MS) this.typingSeen.delete(k);
    }
    const work = c.assigneeId ? `user:${c.tenantId}:${c.assigneeId}` : c.teamId ? teamChannel(c.tenantId, c.teamId) : inboxChannel(c.tenantId);
    await this.d.events.publish(this.d.db, {
      channel: conversationStaffChannel(c.tenantId, c.id),
      also: c.status === 'bot' ? [] : [work],
      type: 'typing',
      data: { conversationId: c.id, who: 'resident' },
    });
    return true;
  }

  /**
   * Stores a resident's file for the next message: the type comes from the bytes (images
   * and PDF), photos lose their location metadata. Not linked to a message until sent.
   */
  /**
   * Uploads (resident's or agent's) that no message took within a day: the sender gave up
   * or the tab closed. Their bytes are removed (an hourly job; every tenant).
   */
  async purgeUnsentUploads(): Promise<number> {
    const r = await this.d.db.query(`delete from inbox_attachments where message_id is null and created_at < now() - interval '1 day'`);
    return r.rowCount;
  }

  async upload(c: Conversation, file: { filename: string; data: Uint8Array }): Promise<ChatAttachment> {
    if (c.status === 'resolved') throw new AppError('conflict', 409, { reason: 'ended' });
    const prepared = prepareAttachment({ filename: file.filename, data: file.data, keepLocation: false }, CHAT_ATTACHMENT_MAX_BYTES);
    return this.d.db.transaction(async (tx) => {
      const pending = await tx.query<{ n: number }>(
        `select count(*)::int as n from inbox_attachments where tenant_id = $1 and conversation_id = $2 and message_id is null`,
        [c.tenantId, c.id],
      );
      if ((pending.rows[0]?.n ?? 0) >= MAX_PENDING_UPLOADS) throw new AppError('too_many_requests', 429, undefined, { 'Retry-After': '60' });
      const r = await tx.query<{ id: string }>(
        `insert into inbox_attachments (tenant_id, conversation_id, uploaded_by, filename, content_type, size, bytes)
         values ($1, $2, 'resident', $3, $4, $5, $6) returning id`,
        [c.tenantId, c.id, prepared.filename, prepared.contentType, prepared.data.byteLength, Buffer.from(prepared.data)],
      );
      return { id: r.rows[0].id, filename: prepared.filename, contentType: prepared.contentType, size: prepared.data.byteLength };
    });
  }

  /**
   * The attachments a resident's message names. A resend of a message that already went
   * through (same client id) names files that are linked by now: it is the same message,
   * so nothing is checked and postMessage returns the first one.
   */
  async unsentUploadsOrResend(q: Queryable, c: Conversation, clientId: string | null, ids: unknown): Promise<ChatAttachment[]> {
    if (clientId && CLIENT_ID.test(clientId)) {
      const seen = await q.query('select 1 from inbox_messages where tenant_id = $1 and conversation_id = $2 and client_id = $3', [c.tenantId, c.id, clientId]);
      if (seen.rows.length) return [];
    }
    return this.unsentUploads(q, c, ids);
  }

  /** Uploaded, not yet sent attachments of this conversation by these ids (unknown ids → 400). */
  async unsentUploads(q: Queryable, c: Conversation, ids: unknown): Promise<ChatAttachment[]> {
    if (ids === undefined || ids === null) return [];
    if (!Array.isArray(ids) || ids.length > MAX_PENDING_UPLOADS || !ids.every(isUuid)) {
      throw new AppError('validation_failed', 400, { fields: { attachments: 'invalid' } });
    }
    if (!ids.length) return [];
    const r = await q.query<{ id: string; filename: string; content_type: string; size: number }>(
      `select id, filename, content_type, size from inbox_attachments
        where tenant_id = $1 and conversation_id = $2 and id = any($3::uuid[]) and message_id is null and uploaded_by = 'resident'`,
      [c.tenantId, c.id, ids],
    );
    if (r.rows.length !== new Set(ids).size) throw new AppError('validation_failed', 400, { fields: { attachments: 'unknown' } });
    return r.rows.map((a) => ({ id: a.id, filename: a.filename, contentType: a.content_type, size: a.size }));
  }

  /**
   * One attachment of a conversation, by tenant, conversation and id (the resident's and
   * the agents' download routes both read through this after their own checks). A file
   * the resident uploaded but has not sent is theirs to see; agents pass sentOnly.
   */
  async attachment(
    q: Queryable,
    tenantId: string,
    conversationId: string,
    attachmentId: string,
    opts: { sentOnly?: boolean; includeInternal?: boolean } = {},
  ): Promise<{ id: string; filename: string; contentType: string; data: Uint8Array } | null> {
    if (!isUuid(conversationId) || !isUuid(attachmentId)) return null;
    const r = await q.query<{ id: string; filename: string; content_type: string; bytes: Uint8Array; message_id: string | null; internal: boolean | null }>(
      `select a.id, a.filename, a.content_type, a.bytes, a.message_id, m.internal from inbox_attachments a
         left join inbox_messages m on m.id = a.message_id
        where a.tenant_id = $1 and a.conversation_id = $2 and a.id = $3`,
      [tenantId, conversationId, attachmentId],
    );
    const a = r.rows[0];
    if (!a) return null;
    if (opts.sentOnly && a.message_id === null) return null;
    if (!opts.includeInternal && a.internal) return null;
    return { id: a.id, filename: a.filename, contentType: a.content_type, data: new Uint8Array(a.bytes) };
  }

  /**
   * "Leave a message" when nobody is there: an e-mail conversation in the default team's
   * queue with the resident's text as its first message. The answer goes out by e-mail
   * (the e-mail channel's sender); the reference number is shown to the resident.
   */
  async leaveMessage(
    tenantId: string,
    actor: Actor,
    input: { lang: Lang; name: unknown; email: unknown; body: unknown; ip: string },
  ): Promise<Conversation> {
    const fields: Record<string, string> = {};
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    const email = typeof input.email === 'string' ? input.email.trim() : '';
    const body = typeof input.body === 'string' ? input.body.replace(/\r\n/g, '\n').trim() : '';
    if (input.name !== undefined && input.name !== null && typeof input.name !== 'string') fields.name = 'invalid_type';
    else if (name.length > 200) fields.name = 'too_long';
    if (!email) fields.email = 'required';
    else if (email.length > 254 || !EMAIL.test(email)) fields.email = 'invalid';
    if (!body) fields.body = 'required';
    else if (body.length > 4000) fields.body = 'too_long';
    if (Object.keys(fields).length) throw new AppError('validation_failed', 400, { fields });
    const settings = await this.settings(this.d.db, tenantId);
    if (!settings.chatEnabled) throw new AppError('feature_disabled', 403);
    const subject = body.split('\n')[0].slice(0, 120);
    return this.d.db.transaction(async (tx) => {
      await this.countStart(tx, tenantId, input.ip);
      const { conversation } = await this.d.conversations.start(tx, tenantId, {
        channel: 'email',
        lang: input.lang,
        status: 'bot',
        residentId: actor.kind === 'resident' ? actor.resident.id : null,
        contactName: name || null,
        contactEmail: email,
        subject,
      });
      await this.d.conversations.handoff(tx, tenantId, conversation.id, { reason: 'offline_message' });
      await this.d.conversations.postMessage(tx, tenantId, conversation.id, { authorKind: 'resident', authorName: name || null, body });
      return (await this.d.conversations.get(tx, tenantId, conversation.id))!;
    });
  }

  // ── transcript ─────────────────────────────────────────────────────────────────────

  /** Plain-text record of everything the resident saw, in Helsinki time. */
  async transcript(c: Conversation, lang: Lang, origin: string): Promise<string> {
    const t = TRANSCRIPT_TEXT[lang];
    const messages: Message[] = [];
    for (let after = 0; ; ) {
      const batch = await this.d.conversations.messagesAfter(this.d.db, c.tenantId, c.id, after, { includeInternal: false, limit: 1000 });
      messages.push(...batch);
      if (batch.length < 1000) break;
      after = batch[batch.length - 1].seq;
    }
    const lines: string[] = [`${t.title} #${c.number}`, `${t.started}: ${helsinkiTime(c.createdAt, lang)}`, ''];
    const statusWord = (s: unknown) => (s === 'bot' ? t.bot_status : typeof s === 'string' && s in t ? t[s as 'open'] : String(s));
    for (const m of messages) {
      const when = helsinkiTime(m.createdAt, lang);
      if (m.authorKind === 'system') {
        const e = m.data.event;
        let text = '';
        if (e?.kind === 'handoff') text = t.handoff;
        else if (e?.kind === 'assigned' && typeof e.assigneeName === 'string') text = t.assigned.replace('{name}', e.assigneeName);
        else if (e?.kind === 'status') text = t.status.replace('{status}', statusWord(e.status));
        else if (e?.kind === 'transfer') text = t.transfer;
        if (text) lines.push(`[${when}] — ${text}`);
        continue;
      }
      const who = m.authorKind === 'resident' ? t.you : m.authorKind === 'bot' ? t.bot : m.authorName || t.agent;
      lines.push(`[${when}] ${who}:`);
      if (m.body) lines.push(...m.body.split('\n').map((l) => `  ${l}`));
      for (const card of m.data.cards ?? []) {
        lines.push(`  • ${card.name}${card.summary ? ` – ${card.summary}` : ''}`);
        if (card.hours) lines.push(`    ${card.hours}`);
        lines.push(`    ${card.href.startsWith('/') ? origin + card.href : card.href}`);
      }
      for (const a of m.data.attachments ?? []) lines.push(`  ${t.attachment}: ${a.filename}`);
      lines.push('');
    }
    return lines.join('\n').trimEnd() + '\n';
  }
}

