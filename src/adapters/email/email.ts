/** A mailbox: a bare address, or a display name with the address. */
export type MailAddress = string | { name: string; address: string };

export interface EmailAttachment {
  filename: string;
  contentType: string;
  /** The bytes in base64: the message travels as a job's JSON payload. */
  contentBase64: string;
}

/** What the product asks of an e-mail channel. Implementations: smtp.ts, capture.ts. */
export interface EmailMessage {
  tenantId: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  /** Overrides EMAIL_FROM (e.g. a team's display name on the same address). */
  from?: MailAddress;
  replyTo?: MailAddress;
  /** "<id@domain>": set it when replies must find their way back (In-Reply-To). */
  messageId?: string;
  inReplyTo?: string;
  /** Message-IDs of the thread, oldest first. */
  references?: string[];
  attachments?: EmailAttachment[];
  /** SMTP envelope sender (Return-Path), e.g. a VERP bounce address; defaults to From. */
  envelopeFrom?: string;
}

/**
 * Runs at the moment the message becomes the server's: over SMTP once the whole message is
 * written except its final dot; in the capture outbox right before the row is stored. A
 * sender records there that the message was handed over (see
 * src/modules/newsletters/README.md). It may resolve to a function: the transport calls it
 * synchronously right before the final dot, with nothing in between, for a write that must
 * leave in the same instant as the dot. When either rejects or throws, the message is not
 * completed (SMTP: the connection is dropped mid-message, so the server discards it) and
 * send rejects with the same error.
 */
export type HandOver = () => Promise<(() => void) | void>;

export interface EmailAdapter {
  readonly kind: 'smtp' | 'capture';
  /**
   * Resolves only when the message was accepted (SMTP) or stored (capture). handOver is
   * honoured by the capture adapter and by SMTP in bulk mode (newsletters).
   */
  send(message: EmailMessage, handOver?: HandOver): Promise<{ messageId: string }>;
}

/**
 * Attachments of one message, base64 included, stay under this: the message is a job's
 * JSON payload in the database until it is sent, and most mail servers refuse much more.
 */
export const EMAIL_ATTACHMENTS_MAX_BYTES = 10 * 1024 * 1024;

/** Decoded size of the message's attachments in bytes. */
export function attachmentBytes(m: Pick<EmailMessage, 'attachments'>): number {
  return (m.attachments ?? []).reduce((n, a) => n + Math.floor((a.contentBase64.replace(/=+$/, '').length * 3) / 4), 0);
}

/** A mailbox as name and address; a string may be "Name <address>" or a bare address. */
export function parseMailbox(a: MailAddress): { name: string; address: string } {
  if (typeof a !== 'string') return a;
  const m = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(a);
  return m ? { name: m[1].replace(/^"(.*)"$/, '$1'), address: m[2] } : { name: '', address: a.trim() };
}

export function formatAddress(a: MailAddress): string {
  if (typeof a === 'string') return a;
  const name = a.name.replace(/[\r\n]+/g, ' ').trim();
  if (!name) return a.address;
  // A name with specials (",", "<", "(" …) must be quoted or the address list breaks.
  return /^[\p{L}\p{N} –-]+$/u.test(name)
    ? `${name} <${a.address}>`
    : `"${name.replace(/["\\]/g, '\\$&')}" <${a.address}>`;
}

/**
 * The headers the outbox shows for a message: what was set explicitly plus the threading
 * and sender headers, and one line naming the attachments (their bytes are not kept).
 */
export function outboxHeaders(m: EmailMessage, messageId: string | undefined, defaultFrom: string | undefined): Record<string, string> {
  const h: Record<string, string> = { ...(m.headers ?? {}) };
  const from = m.from ?? defaultFrom;
  if (from) h.From = formatAddress(from);
  if (m.replyTo) h['Reply-To'] = formatAddress(m.replyTo);
  if (messageId) h['Message-ID'] = messageId;
  if (m.inReplyTo) h['In-Reply-To'] = m.inReplyTo;
  if (m.references?.length) h.References = m.references.join(' ');
  if (m.attachments?.length) {
    h['X-Aukio-Attachments'] = m.attachments
      .map((a) => `${a.filename} (${a.contentType}, ${Math.floor((a.contentBase64.replace(/=+$/, '').length * 3) / 4)} B)`)
      .join('; ');
  }
  return h;
}
