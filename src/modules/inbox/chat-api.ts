import type { FastifyRequest } from 'fastify';
import type { ApiRoutes } from '../../server/app.ts';
import type { Services } from '../../server/services.ts';
import { openSseStream } from '../../server/sse.ts';
import { safeEqual } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { isLang, type Lang } from '../../platform/i18n.ts';
import { isUuid } from '../../platform/validation.ts';
import { conversationChannel, inboxChannel, type Conversation, type Message } from './model.ts';

/**
 * The resident's side of chat: start a conversation, send numbered messages, and follow
 * the conversation over SSE with replay.
 *
 * Who may: the holder of the conversation's visitor token (the `X-Chat-Token` header, the
 * stream's `token` query parameter, or the `aukio_chat` cookie the no-JavaScript page
 * sets), or the signed-in resident the conversation belongs to. Token calls carry no
 * cookie credentials, so they skip the cookie CSRF check; JSON bodies cannot be posted
 * cross-site without a CORS preflight, which this API never allows.
 */

export const CHAT_COOKIE = 'aukio_chat';
export const CHAT_TOKEN_HEADER = 'x-chat-token';

/** What the resident sees of a conversation: no staff ids, no SLA internals. */
export interface ResidentConversation {
  id: string;
  number: number;
  channel: Conversation['channel'];
  status: Conversation['status'];
  lang: Lang;
  lastSeq: number;
  csatScore: number | null;
  createdAt: string;
}

export function residentConversation(c: Conversation): ResidentConversation {
  return { id: c.id, number: c.number, channel: c.channel, status: c.status, lang: c.lang, lastSeq: c.lastSeq, csatScore: c.csatScore, createdAt: c.createdAt };
}

/** Resident-safe view of a message: staff names stay, staff ids do not. */
export function residentMessage(m: Message): Omit<Message, 'authorId'> {
  const { authorId: _staffId, ...rest } = m;
  return rest;
}

/**
 * The conversation this request may act on as its resident, or 404. A token for another
 * conversation (or tenant) behaves exactly like a missing conversation.
 */
export async function conversationForResident(services: Services, req: FastifyRequest, conversationId: string): Promise<Conversation> {
  const { tenant, actor } = req.aukio;
  if (!isUuid(conversationId)) throw new AppError('not_found', 404);
  const header = req.headers[CHAT_TOKEN_HEADER];
  const query = (req.query ?? {}) as { token?: unknown };
  const token = typeof header === 'string' ? header : typeof query.token === 'string' ? query.token : req.cookies[CHAT_COOKIE];
  const byToken = await services.conversations.findByVisitorToken(services.db, tenant.id, token);
  if (byToken?.id === conversationId) return byToken;
  if (actor.kind === 'resident') {
    const c = await services.conversations.get(services.db, tenant.id, conversationId);
    if (c && c.residentId === actor.resident.id) return c;
  }
  throw new AppError('not_found', 404);
}

/** A signed-in resident's cookie call must echo the CSRF token; token calls need not. */
export function checkCookieCsrf(req: FastifyRequest) {
  const { actor, csrfToken } = req.aukio;
  if (typeof req.headers[CHAT_TOKEN_HEADER] === 'string') return;
  if (actor.kind === 'anonymous' && !req.cookies[CHAT_COOKIE]) return;
  const given = req.headers['x-csrf-token'];
  if (typeof given !== 'string' || !safeEqual(given, csrfToken)) throw new AppError('csrf_failed', 403);
}

export function objectBody(req: FastifyRequest): Record<string, unknown> {
  const b = req.body;
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw new AppError('validation_failed', 400, { fields: { body: 'invalid_type' } });
  return b as Record<string, unknown>;
}

const optionalText = (v: unknown, max: number, field: string): string | null => {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string' || v.length > max) throw new AppError('validation_failed', 400, { fields: { [field]: 'invalid' } });
  return v;
};

/** The number after which a reconnecting stream resumes: Last-Event-ID, else ?after=. */
export function resumeAfter(req: FastifyRequest): number {
  const header = req.headers['last-event-id'];
  const query = (req.query ?? {}) as { after?: unknown };
  const raw = typeof header === 'string' && header ? header : typeof query.after === 'string' ? query.after : '0';
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 && n < 2 ** 31 ? n : 0;
}

export const chatApi: ApiRoutes = (app, services) => {
  const { conversations, db } = services;

  app.post('/api/v1/chat/conversations', { config: { csrf: false } }, async (req, reply) => {
    checkCookieCsrf(req);
    const { tenant, actor, lang: requestLang } = req.aukio;
    const b = objectBody(req);
    const lang: Lang = isLang(b.lang) ? b.lang : requestLang;
    const contactName = optionalText(b.name, 200, 'name');
    const contactEmail = optionalText(b.email, 254, 'email');
    if (contactEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contactEmail)) throw new AppError('validation_failed', 400, { fields: { email: 'invalid' } });
    const teamId = optionalText(b.teamId, 36, 'teamId');
    if (teamId && !(await conversations.team(db, tenant.id, teamId))?.active) throw new AppError('validation_failed', 400, { fields: { teamId: 'unknown' } });
    const s = await services.chat.settings(db, tenant.id);
    if (!s.chatEnabled) throw new AppError('not_found', 404);
    // The site the widget was embedded on, when it is one the tenant allows.
    const origin = typeof b.origin === 'string' && s.allowedOrigins.includes(b.origin) ? b.origin : null;
    const { conversation, token } = await db.transaction(async (tx) => {
      await services.chat.countStart(tx, tenant.id, req.ip);
      return conversations.start(tx, tenant.id, {
        channel: 'chat',
        lang,
        status: s.botEnabled && b.human !== true ? 'bot' : 'pending',
        teamId,
        residentId: actor.kind === 'resident' ? actor.resident.id : null,
        contactName,
        contactEmail,
        origin,
        withVisitorToken: true,
      });
    });
    return reply.code(201).header('cache-control', 'no-store').send({ conversation: residentConversation(conversation), token });
  });

  app.get<{ Params: { id: string } }>('/api/v1/chat/conversations/:id', async (req, reply) => {
    const c = await conversationForResident(services, req, req.params.id);
    const messages = await conversations.messagesAfter(db, c.tenantId, c.id, resumeAfter(req), { includeInternal: false });
    const queue = await services.chat.queue(db, c);
    return reply
      .header('cache-control', 'private, no-store')
      .send({ conversation: residentConversation(c), queue, messages: messages.map(residentMessage) });
  });

  app.post<{ Params: { id: string } }>('/api/v1/chat/conversations/:id/messages', { config: { csrf: false } }, async (req, reply) => {
    checkCookieCsrf(req);
    const c = await conversationForResident(services, req, req.params.id);
    const b = objectBody(req);
    const body = typeof b.body === 'string' ? b.body : '';
    if (body.length > 4000) throw new AppError('validation_failed', 400, { fields: { body: 'too_long' } });
    const clientId = typeof b.clientId === 'string' ? b.clientId : null;
    // Files uploaded before (POST …/attachments) travel with the message that names them.
    const attachments = await services.chat.unsentUploadsOrResend(db, c, clientId, b.attachments);
    const r = await db.transaction((tx) =>
      conversations.postMessage(tx, c.tenantId, c.id, {
        clientId,
        authorKind: 'resident',
        authorName: c.contactName,
        body,
        data: attachments.length ? { attachments } : undefined,
      }),
    );
    // The bot answers after commit; its reply reaches the resident over the stream.
    if (!r.duplicate) void conversations.residentMessageCommitted(r.conversation, r.message);
    return reply.code(r.duplicate ? 200 : 201).send({ message: residentMessage(r.message), duplicate: r.duplicate });
  });

  /**
   * The conversation's events. On connect (and reconnect, with Last-Event-ID) every
   * message after the given number is sent first, then live ones; a live message whose
   * number is not the next one makes the stream read the gap from the database, and one
   * already sent is skipped. So the resident sees each message once, in order.
   */
  app.get<{ Params: { id: string } }>('/api/v1/chat/conversations/:id/stream', async (req, reply) => {
    const c = await conversationForResident(services, req, req.params.id);
    if (req.method === 'HEAD') return reply.code(200).header('content-type', 'text/event-stream; charset=utf-8').send();
    let sent = resumeAfter(req);
    // Events that arrive while the backlog is being read wait here, then go in order.
    let catchingUp = true;
    const queued: { type: string; data: Record<string, unknown> }[] = [];

    const sendMessage = (m: Message) => {
      if (m.internal || m.seq <= sent) return;
      sent = m.seq;
      stream.send({ id: m.seq, type: 'message', data: residentMessage(m) });
    };
    const readGap = async () => {
      const missing = await conversations.messagesAfter(db, c.tenantId, c.id, sent, { includeInternal: false });
      for (const m of missing) sendMessage(m);
    };
    const handle = async (e: { type: string; data: Record<string, unknown> }) => {
      if (e.type === 'message') {
        const d = e.data as { seq: number; message?: Message };
        if (d.seq <= sent) return;
        if (d.message && d.seq === sent + 1) return sendMessage(d.message);
        return readGap();
      }
      // Status and typing carry no number: they are sent as they come.
      stream.send({ type: e.type, data: e.data });
    };
    // The queue place moves when any conversation of the team is taken, so while this one
    // waits, every conversation change of the tenant (the inbox channel) re-reads it; a
    // burst of changes costs one read, and only a changed place is sent (`event: queue`).
    let status = c.status;
    let lastQueue = '';
    let queueTimer: NodeJS.Timeout | null = null;
    let closed = false;
    const refreshQueue = (delayMs = 300) => {
      if (queueTimer || closed) return;
      queueTimer = setTimeout(async () => {
        queueTimer = null;
        try {
          const current = await conversations.get(db, c.tenantId, c.id);
          if (!current || closed) return;
          status = current.status;
          const queue = await services.chat.queue(db, current);
          const key = JSON.stringify(queue);
          if (key !== lastQueue) {
            lastQueue = key;
            stream.send({ type: 'queue', data: { conversationId: c.id, queue } });
          }
        } catch {
          // A failed read is retried with the next change; the stream stays up.
        }
      }, delayMs);
    };
    // One event at a time, so a gap read and the events after it stay in order.
    let chain: Promise<void> = Promise.resolve();
    const unsubscribe = services.events.subscribe([conversationChannel(c.tenantId, c.id), inboxChannel(c.tenantId)], (e) => {
      if (e.data.conversationId !== c.id) {
        if (e.type === 'conversation' && status === 'pending') refreshQueue();
        return;
      }
      // An agent's note of this conversation reaches the inbox channel too (never the resident's).
      if (e.type === 'message' && e.channel !== conversationChannel(c.tenantId, c.id)) return;
      if (e.type === 'conversation') {
        if (typeof e.data.status === 'string') status = e.data.status as Conversation['status'];
        refreshQueue(0);
      }
      if (catchingUp) queued.push(e);
      else chain = chain.then(() => handle(e)).catch(() => stream.close());
    });
    const stream = openSseStream(app, reply, {
      onClose: () => {
        closed = true;
        if (queueTimer) clearTimeout(queueTimer);
        unsubscribe();
      },
      // The heartbeat is also the safety net for a lost signal (an instance that died
      // between a commit and its NOTIFY): a number beyond what was sent reads the gap.
      alive: async () => {
        const now = await conversations.get(db, c.tenantId, c.id);
        if (!now) return false;
        if (now.lastSeq > sent && !catchingUp) chain = chain.then(readGap).catch(() => stream.close());
        return true;
      },
    });
    try {
      await readGap();
      const current = (await conversations.get(db, c.tenantId, c.id)) ?? c;
      status = current.status;
      stream.send({ type: 'conversation', data: residentConversation(current) });
      refreshQueue(0);
    } catch {
      stream.close();
    }
    catchingUp = false;
    for (const e of queued.splice(0)) chain = chain.then(() => handle(e)).catch(() => stream.close());
  });
};
