import { randomUUID } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Mailer } from '../../server/services.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import { sha256 } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { pick, type Lang } from '../../platform/i18n.ts';
import type { Logger } from '../../platform/log.ts';
import { EMAIL_ATTACHMENTS_MAX_BYTES, type EmailAttachment } from '../../adapters/email/email.ts';
import { prepareAttachment } from '../feedback/attachments.ts';
import type { TenancyService } from '../tenancy/tenants.ts';
import type { ConversationService } from './conversations.ts';
import {
  addressDomain,
  autoReplyText,
  bareAddress,
  baseSubject,
  classifyMachineMail,
  deliveryFailure,
  hoursLine,
  mailHtml,
  messageIdDomain,
  messageIds,
  replyFooter,
  replySubject,
  stripQuotedReply,
  subjectToken,
  textToHtml,
  trimReferences,
  type MachineMail,
} from './email-text.ts';
import type { Conversation, Message, MessageData, Team } from './model.ts';

/**
 * The e-mail channel of the inbox: mail in (from the SMTP listener or the IMAP poller,
 * email-inbound.ts) becomes a conversation or threads into one; an agent's reply in an
 * e-mail conversation goes out through the mail job with headers that make the resident's
 * answer thread back.
 *
 * Threading, in order: the reply's In-Reply-To / References found among the Message-IDs
 * recorded in inbox_email_messages (this tenant's only); else the reference token in the
 * subject ("[#10023]"), but only from the conversation's own contact address (a token is
 * easy to guess); else a new conversation.
 *
 * Idempotency: each mail is ingested under a transaction-scoped advisory lock on its
 * (tenant, Message-ID), and a Message-ID already recorded is a duplicate: a mail delivered
 * twice, or fetched by two instances at once, makes one message.
 *
 * Machine-sent mail (bounces, autoresponders, lists, our own mail looping back) never
 * becomes a conversation and is never answered. A bounce of one of our replies, or an
 * autoresponder's answer to it, is noted on that conversation for the agent.
 */

/** One inbound e-mail as it arrived. */
export interface InboundEmail {
  /** SMTP MAIL FROM ('' = the null reverse-path of bounces); null when unknown. */
  envelopeFrom: string | null;
  /** Where it was delivered: SMTP RCPT TO, or for IMAP the mailbox's address or headers. */
  recipients: string[];
  raw: Buffer;
}

export type IngestOutcome =
  | { kind: 'created' | 'threaded'; tenantId: string; conversationId: string; messageSeq: number; autoReplied: boolean }
  | { kind: 'duplicate'; tenantId: string }
  | { kind: 'noted'; tenantId: string; conversationId: string; reason: MachineMail }
  | { kind: 'dropped'; tenantId: string; reason: MachineMail };

export interface EmailChannelDeps {
  db: Db;
  log: Logger;
  conversations: ConversationService;
  mail: Mailer;
  tenancy: TenancyService;
  config: { EMAIL_FROM: string; PUBLIC_URL?: string; INBOX_FROM_TEAM_ADDRESS: boolean };
}

/** A stored body's limit: the column's (residents' e-mails may be longer than chat messages). */
const BODY_MAX = 10_000;
/** Inbound attachments: per file and per mail. */
const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
const ATTACHMENTS_MAX = 10;
/** Inline images referenced from the HTML smaller than this are logos and trackers. */
const INLINE_NOISE_BYTES = 16 * 1024;
/** At most one auto-reply per address in this many minutes (two autoresponders cannot loop). */
const AUTO_REPLY_WINDOW_MINUTES = 60;

interface ParsedFacts {
  parsed: ParsedMail;
  messageId: string;
  from: string | null;
  fromName: string | null;
  subject: string;
  machine: MachineMail | null;
}

export class EmailChannel {
  /** The domain of the Message-IDs we generate (EMAIL_FROM's); mail carrying one is our own coming back. */
  readonly domain: string;

  constructor(private deps: EmailChannelDeps) {
    const publicHost = deps.config.PUBLIC_URL ? new URL(deps.config.PUBLIC_URL.replace('{host}', 'x')).hostname : null;
    this.domain = addressDomain(deps.config.EMAIL_FROM) ?? (publicHost && publicHost !== 'x' ? publicHost : 'aukio.localhost');
  }

  /** The active team an address belongs to (any tenant), or null. The listener accepts only these. */
  async teamByAddress(address: string): Promise<Team | null> {
    const a = bareAddress(address);
    if (!a) return null;
    const r = await this.deps.db.query<{ id: string; tenant_id: string }>(
      'select id, tenant_id from inbox_teams where email_address = $1 and active',
      [a],
    );
    const row = r.rows[0];
    return row ? this.deps.conversations.team(this.deps.db, row.tenant_id, row.id) : null;
  }

  /**
   * Ingests one mail for every tenant it was addressed to (normally one). Throws only when
   * the mail could not be stored (database down): the SMTP listener then answers 451 and
   * the sender retries, which is safe because ingesting is idempotent.
   */
  async ingest(mail: InboundEmail): Promise<IngestOutcome[]> {
    const teams: Team[] = [];
    for (const r of mail.recipients) {
      const team = await this.teamByAddress(r);
      // The first addressed team of each tenant takes it; the same mail to two teams of one
      // tenant is one conversation, not two.
      if (team && !teams.some((t) => t.tenantId === team.tenantId)) teams.push(team);
    }
    if (!teams.length) return [];
    const facts = await this.parse(mail);
    const outcomes: IngestOutcome[] = [];
    for (const team of teams) outcomes.push(await this.ingestFor(team, mail, facts));
    return outcomes;
  }

  private async parse(mail: InboundEmail): Promise<ParsedFacts> {
    const parsed = await simpleParser(mail.raw, { skipImageLinks: true, maxHtmlLengthToParse: 2_000_000 });
    const sender = parsed.from?.value[0];
    // Without a usable From the envelope sender is who to answer (never the null path).
    const from = sender?.address ? sender.address.toLowerCase() : mail.envelopeFrom ? bareAddress(mail.envelopeFrom) : null;
    const header = (name: string) => headerText(parsed, name);
    // A mail without a Message-ID still needs a stable key for "delivered twice".
    const messageId =
      messageIds(parsed.messageId)[0] ??
      `<${sha256([from, parsed.date?.toISOString(), parsed.subject, parsed.text].join('\n')).slice(0, 40)}@no-message-id.invalid>`;
    const ownAddresses = [bareAddress(this.deps.config.EMAIL_FROM)];
    let machine = classifyMachineMail({
      envelopeFrom: mail.envelopeFrom,
      from,
      header,
      contentType: header('content-type')?.split(';')[0].trim(),
      messageId,
      ownDomains: [this.domain],
    });
    // Our own sender address writing to a team is a loop too (a team's reply forwarded back).
    if (!machine && from && ownAddresses.includes(from)) machine = 'loop';
    return { parsed, messageId, from, fromName: sender?.name?.trim() || null, subject: (parsed.subject ?? '').trim(), machine };
  }

  private async ingestFor(team: Team, mail: InboundEmail, f: ParsedFacts): Promise<IngestOutcome> {
    const tenantId = team.tenantId;
    let committed: { conversation: Conversation; message: Message } | null = null;
    const outcome = await this.deps.db.transaction(async (tx): Promise<IngestOutcome> => {
      await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`inbox-email:${tenantId}:${f.messageId}`]);
      const seen = await tx.query('select 1 from inbox_email_messages where tenant_id = $1 and message_id = $2', [tenantId, f.messageId]);
      if (seen.rows.length) return { kind: 'duplicate', tenantId };

      if (f.machine === 'bulk' || f.machine === 'loop') return { kind: 'dropped', tenantId, reason: f.machine };
      if (f.machine === 'bounce') return this.noteBounce(tx, tenantId, mail, f);
      const thread = await this.findThread(tx, tenantId, f);
      if (f.machine === 'auto_reply') {
        if (!thread) return { kind: 'dropped', tenantId, reason: 'auto_reply' };
        const note = (f.parsed.text ?? '').trim().slice(0, 2000);
        const posted = await this.note(tx, tenantId, thread.id, note, { kind: 'email_auto_reply', from: f.from });
        await this.record(tx, tenantId, thread.id, f.messageId, 'in', posted.id);
        return { kind: 'noted', tenantId, conversationId: thread.id, reason: 'auto_reply' };
      }

      const lang = (await this.deps.tenancy.get(tenantId, tx)).defaultLanguage;
      const conversation =
        thread ??
        (
          await this.deps.conversations.start(tx, tenantId, {
            channel: 'email',
            lang,
            status: 'pending',
            teamId: team.id,
            contactName: f.fromName?.slice(0, 200) ?? null,
            contactEmail: f.from,
            subject: baseSubject(f.subject) || null,
          })
        ).conversation;

      const { stored, refused } = await this.storeAttachments(tx, tenantId, conversation.id, f.parsed);
      const posted = await this.deps.conversations.postMessage(tx, tenantId, conversation.id, {
        clientId: `em${sha256(f.messageId).slice(0, 40)}`,
        authorKind: 'resident',
        authorName: f.fromName ?? f.from,
        body: residentBody(f.parsed.text ?? '', f.subject, stored.length > 0),
        data: {
          ...(stored.length ? { attachments: stored } : {}),
          email: { subject: f.subject.slice(0, 300), messageId: f.messageId, ...(f.from ? { from: f.from } : {}) },
        },
      });
      if (refused.length) {
        await this.note(tx, tenantId, conversation.id, refused.map((r) => `${r.filename}: ${r.reason}`).join('\n'), {
          kind: 'email_attachments_refused',
          files: refused,
        });
      }
      await this.record(tx, tenantId, conversation.id, f.messageId, 'in', posted.message.id);
      const autoReplied = !thread && f.from ? await this.autoReply(tx, team, posted.conversation, f) : false;
      committed = { conversation: posted.conversation, message: posted.message };
      return {
        kind: thread ? 'threaded' : 'created',
        tenantId,
        conversationId: conversation.id,
        messageSeq: posted.message.seq,
        autoReplied,
      };
    });
    if (committed) {
      const c = committed as { conversation: Conversation; message: Message };
      await this.deps.conversations.residentMessageCommitted(c.conversation, c.message);
    }
    return outcome;
  }

  /** The conversation a reply belongs to: its Message-ID references, else the subject token from the contact's own address. */
  private async findThread(tx: Queryable, tenantId: string, f: ParsedFacts): Promise<Conversation | null> {
    const refs = [...messageIds(f.parsed.inReplyTo), ...messageIds(f.parsed.references)].slice(-100);
    if (refs.length) {
      const r = await tx.query<{ conversation_id: string }>(
        `select conversation_id from inbox_email_messages where tenant_id = $1 and message_id = any($2::text[]) order by id desc limit 1`,
        [tenantId, refs],
      );
      if (r.rows[0]) return this.deps.conversations.get(tx, tenantId, r.rows[0].conversation_id);
    }
    const number = subjectToken(f.subject);
    if (number !== null && f.from) {
      const r = await tx.query<{ id: string }>(
        `select id from inbox_conversations where tenant_id = $1 and number = $2 and channel = 'email' and lower(contact_email) = $3`,
        [tenantId, number, f.from],
      );
      if (r.rows[0]) return this.deps.conversations.get(tx, tenantId, r.rows[0].id);
    }
    return null;
  }

  /**
   * A delivery report: if it is about one of our messages (its Message-ID appears in the
   * report), the agent sees "delivery failed" on that conversation; otherwise it is dropped.
   */
  private async noteBounce(tx: Queryable, tenantId: string, mail: InboundEmail, f: ParsedFacts): Promise<IngestOutcome> {
    const ours = messageIds(mail.raw.toString('latin1')).filter((id) => messageIdDomain(id) === this.domain && id !== f.messageId);
    if (!ours.length) return { kind: 'dropped', tenantId, reason: 'bounce' };
    const r = await tx.query<{ conversation_id: string; message_id: string }>(
      `select conversation_id, message_id from inbox_email_messages
        where tenant_id = $1 and direction = 'out' and message_id = any($2::text[]) order by id desc limit 1`,
      [tenantId, ours.slice(0, 50)],
    );
    const original = r.rows[0];
    if (!original) return { kind: 'dropped', tenantId, reason: 'bounce' };
    const report = [f.parsed.text ?? '', ...f.parsed.attachments.filter((a) => /delivery-status/i.test(a.contentType)).map((a) => a.content.toString('utf8'))].join('\n');
    const failure = deliveryFailure(report);
    const conversation = await this.deps.conversations.get(tx, tenantId, original.conversation_id);
    const recipient = failure.recipient ?? conversation?.contactEmail ?? null;
    const body = `⚠ ${recipient ?? '?'}${failure.status ? ` (${failure.status})` : ''}${failure.diagnostic ? `: ${failure.diagnostic}` : ''}`;
    const posted = await this.note(tx, tenantId, original.conversation_id, body, {
      kind: 'email_bounced',
      recipient,
      status: failure.status,
      diagnostic: failure.diagnostic,
      originalMessageId: original.message_id,
    });
    await this.record(tx, tenantId, original.conversation_id, f.messageId, 'in', posted.id);
    return { kind: 'noted', tenantId, conversationId: original.conversation_id, reason: 'bounce' };
  }

  /** An internal system message for the agents (never sent, never shown to the resident; does not reopen). */
  private async note(tx: Queryable, tenantId: string, conversationId: string, body: string, event: NonNullable<MessageData['event']>) {
    const r = await this.deps.conversations.postMessage(tx, tenantId, conversationId, {
      authorKind: 'system',
      internal: true,
      body: body.slice(0, BODY_MAX),
      data: { event },
    });
    return r.message;
  }

  private async record(tx: Queryable, tenantId: string, conversationId: string, messageId: string, direction: 'in' | 'out', inboxMessageId: string | null) {
    await tx.query(
      `insert into inbox_email_messages (tenant_id, conversation_id, message_id, direction, inbox_message_id)
       values ($1, $2, $3, $4, $5) on conflict (tenant_id, message_id) do nothing`,
      [tenantId, conversationId, messageId.slice(0, 998), direction, inboxMessageId],
    );
  }

  /**
   * Images and PDF files are kept (type read from the bytes, photo location removed, as
   * for feedback); anything else, too large or beyond ten files is refused and named in a
   * note so the agent can ask for it another way.
   */
  private async storeAttachments(tx: Queryable, tenantId: string, conversationId: string, parsed: ParsedMail) {
    const stored: NonNullable<MessageData['attachments']> = [];
    const refused: { filename: string; reason: string }[] = [];
    for (const a of parsed.attachments) {
      if (a.related && a.size < INLINE_NOISE_BYTES) continue;
      const filename = a.filename || (a.contentType === 'message/rfc822' ? 'message.eml' : 'attachment');
      if (stored.length >= ATTACHMENTS_MAX) {
        refused.push({ filename, reason: 'too_many' });
        continue;
      }
      let prepared;
      try {
        prepared = prepareAttachment({ filename, data: new Uint8Array(a.content) }, ATTACHMENT_MAX_BYTES);
      } catch (e) {
        const fields = (e instanceof AppError ? (e.details?.fields as Record<string, string> | undefined) : undefined) ?? {};
        refused.push({ filename: filename.slice(0, 150), reason: fields.attachments ?? 'unsupported_type' });
        continue;
      }
      const r = await tx.query<{ id: string }>(
        `insert into inbox_attachments (tenant_id, conversation_id, uploaded_by, filename, content_type, size, bytes)
         values ($1, $2, 'email', $3, $4, $5, $6) returning id`,
        [tenantId, conversationId, prepared.filename, prepared.contentType, prepared.data.byteLength, prepared.data],
      );
      stored.push({ id: r.rows[0].id, filename: prepared.filename, contentType: prepared.contentType, size: prepared.data.byteLength });
    }
    return { stored, refused };
  }

  /**
   * The receipt with the reference number, in every language of the tenant. Sent only for
   * a new conversation from a person (machine mail never gets here), when the tenant has it
   * on, never to our own addresses, and at most once an hour per address.
   */
  private async autoReply(tx: Queryable, team: Team, conversation: Conversation, f: ParsedFacts): Promise<boolean> {
    const tenantId = team.tenantId;
    const to = f.from!;
    const settings = await tx.query<{ auto_reply: boolean }>('select auto_reply from inbox_settings where tenant_id = $1', [tenantId]);
    if (settings.rows[0] && !settings.rows[0].auto_reply) return false;
    const ownTeam = await tx.query('select 1 from inbox_teams where email_address = $1', [to]);
    if (ownTeam.rows.length) return false;
    const slot = await tx.query(
      `insert into inbox_auto_replies (tenant_id, address, sent_at) values ($1, $2, now())
       on conflict (tenant_id, address) do update set sent_at = now()
         where inbox_auto_replies.sent_at < now() - make_interval(mins => $3)
       returning sent_at`,
      [tenantId, to, AUTO_REPLY_WINDOW_MINUTES],
    );
    if (!slot.rows.length) return false;

    const tenant = await this.deps.tenancy.get(tenantId, tx);
    const langs: Lang[] = [tenant.defaultLanguage, ...tenant.languages.filter((l) => l !== tenant.defaultLanguage)];
    const reply = autoReplyText(langs, (lang) => ({
      number: conversation.number,
      teamName: pick(team.names, lang).text,
      org: pick(tenant.names, lang).text,
      hours: hoursLine(team.businessHours, Date.now(), lang),
    }));
    const messageId = this.newMessageId();
    const lang = langs[0];
    await this.deps.mail.enqueue(tx, {
      tenantId,
      to,
      ...this.senders(team, pick(tenant.names, lang).text, lang),
      subject: replySubject(f.subject, conversation.number, lang),
      text: reply.text,
      html: mailHtml(lang, textToHtml(reply.body), reply.signature),
      messageId,
      inReplyTo: f.messageId,
      references: [f.messageId],
      // RFC 3834: marks it machine-made, so well-behaved autoresponders do not answer it.
      headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
    });
    // A resident answering the auto-reply threads into the same conversation.
    await this.record(tx, tenantId, conversation.id, messageId, 'out', null);
    return true;
  }

  /**
   * Sends an agent's reply in an e-mail conversation (registered with
   * conversations.registerOutbound, so it runs in the reply's transaction: stored and
   * queued, or neither). In-Reply-To is the resident's latest mail; References the whole
   * thread (trimmed, the first kept), so the resident's client shows one conversation and
   * their answer comes back here.
   */
  async sendReply(tx: Queryable, conversation: Conversation, message: Message): Promise<void> {
    const tenantId = conversation.tenantId;
    if (!conversation.contactEmail) throw new AppError('conflict', 409, { reason: 'no_contact_email' });
    const tenant = await this.deps.tenancy.get(tenantId, tx);
    const team = conversation.teamId ? await this.deps.conversations.team(tx, tenantId, conversation.teamId) : null;
    const lang = conversation.lang;
    const org = pick(tenant.names, lang).text;
    const teamName = team ? pick(team.names, lang).text : org;
    const thread = await tx.query<{ message_id: string; direction: 'in' | 'out' }>(
      'select message_id, direction from inbox_email_messages where tenant_id = $1 and conversation_id = $2 order by id',
      [tenantId, conversation.id],
    );
    const inbound = thread.rows.filter((r) => r.direction === 'in');
    const inReplyTo = inbound[inbound.length - 1]?.message_id;
    const references = trimReferences(thread.rows.map((r) => r.message_id));
    const attachments = await this.outboundAttachments(tx, tenantId, conversation.id, message.data.attachments ?? []);
    const messageId = this.newMessageId();
    const subject = replySubject(conversation.subject, conversation.number, lang);
    const footer = replyFooter(lang, conversation.number, teamName, org);
    const signature = message.authorName ? `\n\n${message.authorName}` : '';
    await this.deps.mail.enqueue(tx, {
      tenantId,
      to: conversation.contactEmail,
      ...this.senders(team, org, lang),
      subject,
      text: `${message.body}${signature}\n\n-- \n${footer}`,
      html: mailHtml(lang, textToHtml(`${message.body}${signature}`), footer),
      messageId,
      ...(inReplyTo ? { inReplyTo } : {}),
      ...(references.length ? { references } : {}),
      ...(attachments.length ? { attachments } : {}),
    });
    await this.record(tx, tenantId, conversation.id, messageId, 'out', message.id);
    const email = { subject, messageId };
    await tx.query(`update inbox_messages set data = data || jsonb_build_object('email', $2::jsonb) where id = $1`, [
      message.id,
      JSON.stringify(email),
    ]);
    // The caller publishes this same object after we return: the event carries the header too.
    message.data = { ...message.data, email };
  }

  private async outboundAttachments(
    tx: Queryable,
    tenantId: string,
    conversationId: string,
    refs: NonNullable<MessageData['attachments']>,
  ): Promise<EmailAttachment[]> {
    if (!refs.length) return [];
    const ids = refs.map((a) => a.id);
    // Sizes first: a reply that cannot go out fails before any bytes are read.
    const total = await tx.query<{ total: string | number | null }>(
      'select sum(size) as total from inbox_attachments where tenant_id = $1 and conversation_id = $2 and id = any($3::uuid[])',
      [tenantId, conversationId, ids],
    );
    if (Number(total.rows[0]?.total ?? 0) > EMAIL_ATTACHMENTS_MAX_BYTES) {
      throw new AppError('payload_too_large', 413, { fields: { attachments: 'too_large_for_email' }, maxBytes: EMAIL_ATTACHMENTS_MAX_BYTES });
    }
    const r = await tx.query<{ filename: string; content_type: string; bytes: Uint8Array }>(
      `select filename, content_type, bytes from inbox_attachments
        where tenant_id = $1 and conversation_id = $2 and id = any($3::uuid[]) order by created_at, id`,
      [tenantId, conversationId, ids],
    );
    return r.rows.map((a) => ({ filename: a.filename, contentType: a.content_type, contentBase64: Buffer.from(a.bytes).toString('base64') }));
  }

  /** From and Reply-To of the tenant's mail for a team (see INBOX_FROM_TEAM_ADDRESS). */
  private senders(team: Team | null, org: string, lang: Lang) {
    const name = team ? `${pick(team.names, lang).text} – ${org}` : org;
    const ownAddress = bareAddress(this.deps.config.EMAIL_FROM) ?? `no-reply@${this.domain}`;
    if (team?.emailAddress && this.deps.config.INBOX_FROM_TEAM_ADDRESS) {
      return { from: { name, address: team.emailAddress } };
    }
    return {
      from: { name, address: ownAddress },
      ...(team?.emailAddress ? { replyTo: { name, address: team.emailAddress } } : {}),
    };
  }

  private newMessageId(): string {
    return `<${randomUUID()}@${this.domain}>`;
  }
}

/** A header's text (unfolded) from the raw header lines, which mailparser leaves as sent. */
function headerText(parsed: ParsedMail, name: string): string | undefined {
  const line = parsed.headerLines.find((h) => h.key === name)?.line;
  if (line === undefined) return undefined;
  return line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
}

/** The resident's new words: the quoted history cut off, within the column's limit. */
function residentBody(text: string, subject: string, hasAttachments: boolean): string {
  const body = stripQuotedReply(text);
  // A mail that is only attachments needs no words; one with nothing at all keeps its subject.
  const chosen = body || (hasAttachments ? '' : baseSubject(subject) || '—');
  return chosen.length > BODY_MAX ? `${chosen.slice(0, BODY_MAX - 1)}…` : chosen;
}
