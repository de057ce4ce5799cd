import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../../platform/db.ts';
import { outboxHeaders, type EmailAdapter, type EmailMessage, type MailAddress } from './email.ts';

/** Real delivery through an SMTP server; each accepted message is also logged in the outbox. */
export class SmtpEmailAdapter implements EmailAdapter {
  readonly kind = 'smtp' as const;
  private transport: Transporter;

  constructor(
    private db: Db,
    smtpUrl: string,
    private from: string,
    /**
     * Bulk mode (newsletters): a pool of this many kept-open connections, and no outbox
     * row per message (the newsletter's own per-recipient ledger records each send).
     */
    private bulk?: { connections: number },
  ) {
    this.transport = bulk
      ? nodemailer.createTransport({ url: smtpUrl, pool: true, maxConnections: bulk.connections, maxMessages: Infinity } as never)
      : nodemailer.createTransport(smtpUrl);
  }

  async send(m: EmailMessage) {
    const info = await this.transport.sendMail({
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
    });
    if (this.bulk) return { messageId: info.messageId };
    await this.db.query(
      `insert into outbox_messages (tenant_id, channel, recipient, subject, body_text, body_html, headers, status)
       values ($1, 'email', $2, $3, $4, $5, $6, 'sent')`,
      [m.tenantId, m.to, m.subject, m.text, m.html ?? null, JSON.stringify(outboxHeaders(m, info.messageId, this.from))],
    );
    return { messageId: info.messageId };
  }

  /** Closes pooled connections (shutdown). */
  close() {
    this.transport.close();
  }
}

function toNodemailer(a: MailAddress) {
  return typeof a === 'string' ? a : { name: a.name, address: a.address };
}
