import type { AuditService } from '../audit/audit.ts';
import type { Actor } from '../identity/actor.ts';
import type { FeedbackInboxItems } from '../feedback/inbox-items.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import { sha256 } from '../../platform/crypto.ts';
import type { Localized } from '../../platform/i18n.ts';
import { canSeeConversation, type Agent } from './access.ts';
import type { AgentInboxService, Ctx } from './inbox.ts';
import type { Conversation } from './model.ts';

/**
 * The resident timeline: every contact of one resident, newest first, in the agent's side
 * panel. Who "the resident" is: an identified resident (resident_id) is matched by that
 * identity; an anonymous one by the conversation's contact e-mail address (lower case).
 * When an anonymous resident later signs in, their conversation gets a resident_id and the
 * identity match takes over.
 *
 * Sources are a list of functions, so later modules (message threads, bookings, orders)
 * add one each with `register()`. Every read writes an audit row
 * (`inbox.timeline.read`, subject the resident or a hash of the e-mail address).
 */

export interface TimelineSubject {
  residentId: string | null;
  email: string | null;
}

export interface TimelineItem {
  /** What kind of contact: 'conversation', 'feedback', later 'thread', 'booking', 'order'. */
  kind: string;
  id: string;
  /** chat, email, feedback, … */
  channel: string;
  number: number | null;
  status: string;
  at: string;
  /** One line: a subject, a message preview or a category name. */
  title: string | null;
  titleL10n?: Localized | null;
  /** Console path (after /{lang}/staff), null when this agent may not open it. */
  href: string | null;
  /** The conversation the panel is shown for. */
  current?: boolean;
}

export type TimelineSource = (q: Queryable, tenantId: string, subject: TimelineSubject, agent: Agent) => Promise<TimelineItem[]>;

export class TimelineService {
  private sources: { name: string; fn: TimelineSource }[] = [];

  constructor(
    private d: { db: Db; audit: AuditService; inbox: AgentInboxService; feedbackItems: FeedbackInboxItems },
  ) {
    this.register('conversations', conversationSource);
    this.register('feedback', (q, tenantId, subject, agent) => feedbackSource(d.feedbackItems, q, tenantId, subject, agent));
  }

  /** Adds a source of contacts (another module's); its items join the timeline. */
  register(name: string, fn: TimelineSource) {
    this.sources.push({ name, fn });
  }

  static subjectOf(c: Conversation): TimelineSubject {
    return { residentId: c.residentId, email: c.residentId ? null : c.contactEmail?.toLowerCase() ?? null };
  }

  /** The timeline of the resident of a conversation the agent may see. Audited. */
  async forConversation(actor: Actor, tenantId: string, conversationId: string, ctx: Ctx = {}) {
    return this.d.db.transaction(async (tx) => {
      const { agent, conversation } = await this.d.inbox.visible(tx, actor, tenantId, conversationId);
      const subject = TimelineService.subjectOf(conversation);
      let items: TimelineItem[] = [];
      if (subject.residentId || subject.email) {
        for (const s of this.sources) items.push(...(await s.fn(tx, tenantId, subject, agent)));
      } else {
        // Nobody to match by: the conversation itself is the whole story.
        items = (await conversationSource(tx, tenantId, { residentId: null, email: null, only: conversation.id } as TimelineSubject, agent)).slice(0, 1);
      }
      for (const i of items) if (i.kind === 'conversation' && i.id === conversation.id) i.current = true;
      items.sort((a, b) => b.at.localeCompare(a.at));
      await this.d.audit.record(tx, tenantId, actor, {
        action: 'inbox.timeline.read',
        targetKind: subject.residentId ? 'resident' : subject.email ? 'email' : 'inbox_conversation',
        targetId: subject.residentId ?? (subject.email ? sha256(subject.email) : conversation.id),
        reason: 'customer service',
        details: { conversationId: conversation.id, items: items.length },
        ip: ctx.ip,
      });
      return { subject: { identified: subject.residentId !== null, matchedBy: subject.residentId ? 'identity' : subject.email ? 'email' : 'none' }, items };
    });
  }
}

interface ConvRow {
  id: string;
  number: string;
  channel: string;
  status: string;
  subject: string | null;
  last_message_preview: string | null;
  created_at: Date | string;
  team_id: string | null;
  assignee_id: string | null;
}

async function conversationSource(q: Queryable, tenantId: string, subject: TimelineSubject & { only?: string }, agent: Agent): Promise<TimelineItem[]> {
  const params: unknown[] = [tenantId];
  let cond: string;
  if (subject.only) {
    params.push(subject.only);
    cond = 'id = $2';
  } else if (subject.residentId) {
    params.push(subject.residentId);
    cond = 'resident_id = $2';
  } else if (subject.email) {
    params.push(subject.email);
    cond = 'lower(contact_email) = $2';
  } else return [];
  const r = await q.query<ConvRow>(
    `select id, number, channel, status, subject, last_message_preview, created_at, team_id, assignee_id
       from inbox_conversations where tenant_id = $1 and ${cond} order by created_at desc limit 200`,
    params,
  );
  return r.rows.map((c) => ({
    kind: 'conversation',
    id: c.id,
    channel: c.channel,
    number: Number(c.number),
    status: c.status,
    at: new Date(c.created_at).toISOString(),
    title: c.subject ?? c.last_message_preview,
    href: canSeeConversation(agent, { teamId: c.team_id, assigneeId: c.assignee_id } as Conversation) ? `/inbox/${c.id}` : null,
  }));
}

async function feedbackSource(items: FeedbackInboxItems, q: Queryable, tenantId: string, subject: TimelineSubject, agent: Agent): Promise<TimelineItem[]> {
  const cases = await items.forResident(agent.user, tenantId, subject.residentId ? { residentId: subject.residentId } : { email: subject.email }, q);
  return cases.map((c) => ({
    kind: 'feedback',
    id: c.id,
    channel: 'feedback',
    number: c.number,
    status: c.caseStatus,
    at: c.createdAt,
    title: null,
    titleL10n: c.categoryNames,
    href: c.accessible ? `/feedback/cases/${c.id}` : null,
  }));
}
