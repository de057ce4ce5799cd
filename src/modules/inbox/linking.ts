import type { AuditService } from '../audit/audit.ts';
import { requireResident } from '../identity/access.ts';
import type { Actor } from '../identity/actor.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/log.ts';
import { isUuid } from '../../platform/validation.ts';
import { CHAT_COOKIE } from './chat-api.ts';
import { toConversation, type ConversationRow, type ConversationService } from './conversations.ts';
import type { Conversation, Message } from './model.ts';

/**
 * A resident's contacts follow them once they sign in (`services.inboxLinking`):
 *
 * - conversations of the tenant without a resident whose contact address is the
 *   resident's VERIFIED e-mail address (a resident who signed in with an e-mailed code;
 *   the contact address a Suomi.fi resident typed in is not proof of anything, so it
 *   links nothing), and
 * - the chat this browser started anonymously (its visitor token, from the `aukio_chat`
 *   cookie at sign-in or `POST /api/v1/chat/link` from the widget, which keeps the token
 *   in localStorage).
 *
 * A conversation that already belongs to a resident is never moved to another. Then
 * "My conversations" lists them, and the resident reads what they and the municipality
 * wrote (never internal notes).
 */

export interface MyConversation {
  id: string;
  number: number;
  channel: Conversation['channel'];
  status: Conversation['status'];
  subject: string | null;
  createdAt: string;
  lastMessageAt: string | null;
}

export interface MyMessage {
  seq: number;
  authorKind: Message['authorKind'];
  authorName: string | null;
  body: string;
  createdAt: string;
}

const mine = (c: Conversation): MyConversation => ({
  id: c.id,
  number: c.number,
  channel: c.channel,
  status: c.status,
  subject: c.subject,
  createdAt: c.createdAt,
  lastMessageAt: c.lastMessageAt,
});

/** The visitor token in a Cookie header, if any. */
export function chatTokenFromCookies(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  const m = new RegExp(`(?:^|;\\s*)${CHAT_COOKIE}=([^;]*)`).exec(cookieHeader);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]) || null;
  } catch {
    return null;
  }
}

export class InboxLinkingService {
  constructor(private d: { db: Db; audit: AuditService; conversations: ConversationService; log: Logger }) {}

  /**
   * Called right after a resident signed in. Links by verified address and by the
   * browser's chat cookie. Never fails the sign-in: a failure is logged and the resident
   * can still link the chat from the widget.
   */
  async afterSignIn(tenantId: string, residentId: string, cookieHeader?: string | null): Promise<number> {
    try {
      return await this.d.db.transaction(async (tx) => {
        const byEmail = await this.linkByVerifiedEmail(tx, tenantId, residentId);
        const chat = await this.linkToken(tx, tenantId, residentId, chatTokenFromCookies(cookieHeader));
        return byEmail + (chat.linked ? 1 : 0);
      });
    } catch (e) {
      this.d.log.error({ err: e, tenantId }, 'inbox: linking conversations at sign-in failed');
      return 0;
    }
  }

  /** Conversations without a resident whose contact address is the resident's verified address. */
  async linkByVerifiedEmail(tx: Queryable, tenantId: string, residentId: string): Promise<number> {
    const r = await tx.query<{ id: string }>(
      `update inbox_conversations c set resident_id = r.id, updated_at = now()
         from residents r
        where r.tenant_id = $1 and r.id = $2 and r.assurance = 'weak' and r.email is not null
          and c.tenant_id = r.tenant_id and c.resident_id is null and c.contact_email is not null
          and lower(c.contact_email) = lower(r.email)
        returning c.id`,
      [tenantId, residentId],
    );
    if (r.rows.length) {
      await this.d.audit.record(tx, tenantId, residentActor(residentId), {
        action: 'inbox.conversations_linked',
        targetKind: 'resident',
        targetId: residentId,
        details: { by: 'verified_email', count: r.rows.length },
      });
    }
    return r.rows.length;
  }

  /**
   * The conversation of a visitor token becomes the resident's. `linked` is false when it
   * already was theirs; a token of another resident's conversation (or none) is null.
   */
  async linkToken(tx: Queryable, tenantId: string, residentId: string, token: string | null): Promise<{ conversation: Conversation | null; linked: boolean }> {
    const c = await this.d.conversations.findByVisitorToken(tx, tenantId, token);
    if (!c || (c.residentId !== null && c.residentId !== residentId)) return { conversation: null, linked: false };
    if (c.residentId === residentId) return { conversation: c, linked: false };
    const r = await tx.query<ConversationRow>(
      'update inbox_conversations set resident_id = $3, updated_at = now() where tenant_id = $1 and id = $2 and resident_id is null returning *',
      [tenantId, c.id, residentId],
    );
    if (!r.rows[0]) return { conversation: null, linked: false };
    await this.d.audit.record(tx, tenantId, residentActor(residentId), {
      action: 'inbox.conversations_linked',
      targetKind: 'inbox_conversation',
      targetId: c.id,
      details: { by: 'chat_token', count: 1 },
    });
    return { conversation: toConversation(r.rows[0]), linked: true };
  }

  /** POST /api/v1/chat/link: the signed-in resident claims the chat whose token they hold. */
  async linkChat(actor: Actor, tenantId: string, token: string | null): Promise<{ conversation: MyConversation; linked: boolean }> {
    const resident = requireResident(actor);
    const out = await this.d.db.transaction((tx) => this.linkToken(tx, tenantId, resident.id, token));
    if (!out.conversation) throw new AppError('not_found', 404);
    return { conversation: mine(out.conversation), linked: out.linked };
  }

  async list(actor: Actor, tenantId: string): Promise<MyConversation[]> {
    const resident = requireResident(actor);
    const r = await this.d.db.query<ConversationRow>(
      'select * from inbox_conversations where tenant_id = $1 and resident_id = $2 order by created_at desc limit 200',
      [tenantId, resident.id],
    );
    return r.rows.map((x) => mine(toConversation(x)));
  }

  /** One of the resident's own conversations with what was said in it; another's is 404. */
  async read(actor: Actor, tenantId: string, id: string): Promise<{ conversation: MyConversation; messages: MyMessage[] }> {
    const resident = requireResident(actor);
    if (!isUuid(id)) throw new AppError('not_found', 404);
    const c = await this.d.conversations.get(this.d.db, tenantId, id);
    if (!c || c.residentId !== resident.id) throw new AppError('not_found', 404);
    const messages = await this.d.conversations.messagesAfter(this.d.db, tenantId, id, 0, { includeInternal: false, limit: 2000 });
    return {
      conversation: mine(c),
      messages: messages
        .filter((m) => !m.internal && m.authorKind !== 'system' && m.body.trim().length > 0)
        .map((m) => ({ seq: m.seq, authorKind: m.authorKind, authorName: m.authorKind === 'resident' ? null : m.authorName, body: m.body, createdAt: m.createdAt })),
    };
  }
}

/** The audit actor of a resident acting in their own sign-in (no session id needed). */
function residentActor(residentId: string): Actor {
  return { kind: 'resident', resident: { id: residentId }, sessionId: '' } as Actor;
}
