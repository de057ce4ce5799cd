import { randomUUID } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { Db } from '../../platform/db.ts';
import { outboxHeaders, parseMailbox, type EmailAdapter, type EmailMessage, type HandOver, type MailAddress } from './email.ts';
import { composeBulk } from './mime.ts';
import { SmtpPool } from './smtp-pool.ts';

/**
 * Real delivery through an SMTP server; each accepted message is also logged in the outbox.
 *
 * Bulk mode (newsletters) sends through SmtpPool instead of nodemailer's transport: a pool
 * of kept-open connections that can run the sender's hand-over right before the final dot
 * (nodemailer has no such point), with messages built by composeBulk (mime.ts: text and
 * HTML, no attachments, at a fraction of MailComposer's cost per message).
 */
export class SmtpEmailAdapter implements EmailAdapter {
  readonly kind = 'smtp' as const;
  private transport: Transporter | null = null;
  private pool: SmtpPool | null = null;

  constructor(
    private db: Db,
    smtpUrl: string,
    private from: string,
    /**
     * Bulk mode (newsletters): a pool of this many kept-open connections, and no outbox
     * row per message (the newsletter's own per-recipient ledger records each send).
     */
    bulk?: { connections: number },
  ) {
    if (bulk) this.pool = new SmtpPool({ url: smtpUrl, connections: bulk.connections });
    else this.transport = nodemailer.createTransport(smtpUrl);
  }

  async send(m: EmailMessage, handOver?: HandOver) {
    if (this.pool) {
      const from = parseMailbox(m.from ?? this.from).address;
      const messageId = m.messageId ?? `<${randomUUID()}@${from.split('@')[1] ?? 'aukio.localhost'}>`;
      await this.pool.send({ from: m.envelopeFrom ?? from, to: m.to }, composeBulk({ ...m, messageId }, this.from), handOver);
      return { messageId };
    }
    // Outside bulk mode nothing needs the hand-over point: nodemailer cannot offer it.
    if (handOver) throw new Error('SmtpEmailAdapter: a hand-over needs bulk mode');
    const info = await this.transport!.sendMail(this.mailOptions(m));
    await this.db.query(
      `insert into outbox_messages (tenant_id, channel, recipient, subject, body_text, body_html, headers, status)
       values ($1, 'email', $2, $3, $4, $5, $6, 'sent')`,
      [m.tenantId, m.to, m.subject, m.text, m.html ?? null, JSON.stringify(outboxHeaders(m, info.messageId, this.from))],
    );
    return { messageId: info.messageId };
  }

  private mailOptions(m: EmailMessage): Mail.Options {
    return {
      ...(m.envelopeFrom ? { envelope: { from: m.envelopeFrom, to: m.to } } : {}),
      from: toNodemailer(m.from ?? this.from),
      replyTo: m.replyTo ? toNodemailer(m.replyTo) : undefined,
      to: m.to,
      subject: m.subject,
      text: m.text,
      html: m.html,
      headers: m.headers,
      messageId: m.messageId,
      inReplyTo: m.inReplyTo,
      references: m.references,
      attachments: m.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.contentBase64, encoding: 'base64' })),
    };
  }

  /** Closes kept-open connections (shutdown). */
  async close() {
    this.transport?.close();
    await this.pool?.close();
  }
}

function toNodemailer(a: MailAddress) {
  return typeof a === 'string' ? a : { name: a.name, address: a.address };
}
