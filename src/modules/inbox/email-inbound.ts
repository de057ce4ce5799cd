import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { ImapFlow } from 'imapflow';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Config } from '../../platform/config.ts';
import type { Logger } from '../../platform/log.ts';
import type { EmailChannel, InboundEmail } from './email-channel.ts';
import { bareAddress } from './email-text.ts';

/**
 * How mail reaches the inbox: an SMTP listener (smtp-server) that the organisation's mail
 * relay delivers to, and/or an IMAP mailbox polled for unread mail (imapflow). Both hand
 * each mail to EmailChannel.ingest, which is idempotent on Message-ID, so a mail the relay
 * retries or two instances fetch at once is stored once.
 *
 * The listener is not an open relay: RCPT TO is accepted only for a team's address
 * (inbox_teams.email_address), anything else gets 550. A mail that cannot be stored
 * (database down) gets 451 and the sending server tries again later.
 */

type SmtpError = Error & { responseCode?: number };
const smtpError = (code: number, message: string): SmtpError => Object.assign(new Error(message), { responseCode: code });

/** Recipients per mail: a relay splits larger lists. */
const MAX_RECIPIENTS = 20;
/** Unread mails fetched per IMAP poll; the rest wait for the next one. */
const IMAP_BATCH = 50;

export type InboundConfig = Pick<
  Config,
  | 'INBOUND_SMTP_PORT'
  | 'INBOUND_SMTP_HOST'
  | 'INBOUND_MAX_BYTES'
  | 'INBOUND_SMTP_USER'
  | 'INBOUND_SMTP_PASSWORD'
  | 'INBOUND_SMTP_TLS_CERT'
  | 'INBOUND_SMTP_TLS_KEY'
  | 'IMAP_URL'
  | 'IMAP_POLL_SECONDS'
>;

/**
 * Another module's addresses on the same listener (the newsletters' VERP bounce
 * addresses): accepts() is asked at RCPT TO before the teams, and a mail for its
 * addresses goes to its ingest() instead of the inbox.
 */
export interface InboundRecipientHandler {
  accepts(address: string): boolean;
  ingest(mail: InboundEmail): Promise<void>;
}

export class InboundMail {
  private handlers: InboundRecipientHandler[] = [];
  private smtp: SMTPServer | null = null;
  private imapTimer: NodeJS.Timeout | null = null;
  private imapRunning: Promise<void> | null = null;
  private stopped = false;
  /** The listener's bound port (null while it is off); with INBOUND_SMTP_PORT=0 the one the system chose. */
  port: number | null = null;

  constructor(
    private config: InboundConfig,
    private channel: EmailChannel,
    private log: Logger,
  ) {}

  addRecipientHandler(handler: InboundRecipientHandler) {
    this.handlers.push(handler);
  }

  /** Starts the SMTP listener when INBOUND_SMTP_PORT is set. */
  async startSmtp(): Promise<void> {
    const c = this.config;
    if (c.INBOUND_SMTP_PORT === undefined || this.smtp) return;
    const auth = c.INBOUND_SMTP_USER !== undefined && c.INBOUND_SMTP_PASSWORD !== undefined;
    const tls = c.INBOUND_SMTP_TLS_CERT !== undefined && c.INBOUND_SMTP_TLS_KEY !== undefined;
    const server = new SMTPServer({
      name: hostname(),
      banner: 'Aukio inbox',
      size: c.INBOUND_MAX_BYTES,
      logger: false,
      disableReverseLookup: true,
      maxClients: 100,
      closeTimeout: 5000,
      disabledCommands: [...(auth ? [] : ['AUTH']), ...(tls ? [] : ['STARTTLS'])],
      authOptional: !auth,
      authMethods: ['PLAIN', 'LOGIN'],
      // Without TLS a password crosses in the clear: acceptable only to a relay on a
      // trusted network, which is the set-up this option exists for.
      allowInsecureAuth: !tls,
      ...(tls ? { key: c.INBOUND_SMTP_TLS_KEY, cert: c.INBOUND_SMTP_TLS_CERT } : {}),
      onAuth: (a, _session, callback) => {
        const ok =
          typeof a.username === 'string' &&
          typeof a.password === 'string' &&
          same(a.username, c.INBOUND_SMTP_USER!) &&
          same(a.password, c.INBOUND_SMTP_PASSWORD!);
        if (ok) callback(null, { user: a.username });
        else callback(smtpError(535, 'Authentication failed'));
      },
      onRcptTo: (address, session, callback) => {
        if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) return callback(smtpError(452, 'Too many recipients'));
        if (this.handlers.some((h) => h.accepts(address.address))) return callback();
        this.channel.teamByAddress(address.address).then(
          (team) => callback(team ? null : smtpError(550, `No such mailbox here: ${bareAddress(address.address) ?? 'invalid address'}`)),
          (e: unknown) => {
            this.log.error({ err: e }, 'inbound mail: recipient check failed');
            callback(smtpError(451, 'Temporary failure, try again later'));
          },
        );
      },
      onData: (stream, session, callback) => {
        this.receive(stream, session).then(
          () => callback(),
          (e: SmtpError) => callback(e),
        );
      },
    });
    server.on('error', (e) => this.log.warn({ err: { message: e.message } }, 'inbound mail: SMTP connection error'));
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(c.INBOUND_SMTP_PORT, c.INBOUND_SMTP_HOST, () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    this.smtp = server;
    this.port = (server.server.address() as AddressInfo).port;
    this.log.info({ port: this.port, host: c.INBOUND_SMTP_HOST }, 'inbound mail: SMTP listener started');
  }

  private async receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      // Past the limit the rest is read and thrown away (smtp-server flags it); never held.
      if (bytes <= this.config.INBOUND_MAX_BYTES) chunks.push(chunk);
    }
    if (stream.sizeExceeded || bytes > this.config.INBOUND_MAX_BYTES) throw smtpError(552, 'Message exceeds the size limit');
    const mail: InboundEmail = {
      envelopeFrom: session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address,
      recipients: session.envelope.rcptTo.map((r) => r.address),
      raw: Buffer.concat(chunks),
    };
    try {
      for (const h of this.handlers) {
        const mine = mail.recipients.filter((r) => h.accepts(r));
        if (mine.length) await h.ingest({ ...mail, recipients: mine });
      }
      mail.recipients = mail.recipients.filter((r) => !this.handlers.some((h) => h.accepts(r)));
      if (mail.recipients.length) await this.channel.ingest(mail);
    } catch (e) {
      this.log.error({ err: e }, 'inbound mail: could not store a message');
      throw smtpError(451, 'Temporary failure, try again later');
    }
  }

  /** Starts polling IMAP_URL every IMAP_POLL_SECONDS (the first poll at once). */
  startImap(): void {
    if (!this.config.IMAP_URL || this.imapTimer || this.imapRunning) return;
    const tick = () => {
      this.imapRunning = this.pollImap()
        .then(() => undefined)
        .catch((e: unknown) => this.log.warn({ err: { message: (e as Error).message } }, 'inbound mail: IMAP poll failed'))
        .finally(() => {
          this.imapRunning = null;
          if (!this.stopped) this.imapTimer = setTimeout(tick, this.config.IMAP_POLL_SECONDS * 1000);
        });
    };
    tick();
  }

  /**
   * One poll: unread mail of the mailbox, oldest first, each ingested and then marked
   * \Seen. A mail that fails to ingest stays unread and is tried on the next poll; one over
   * INBOUND_MAX_BYTES is marked \Seen and \Flagged (for a person to look at) and skipped.
   */
  async pollImap(): Promise<{ ingested: number; skipped: number }> {
    const target = imapTarget(this.config.IMAP_URL!);
    const client = new ImapFlow({
      host: target.host,
      port: target.port,
      secure: target.secure,
      auth: { user: target.user, pass: target.pass },
      logger: false,
      disableAutoIdle: true,
    });
    client.on('error', (e: Error) => this.log.warn({ err: { message: e.message } }, 'inbound mail: IMAP connection error'));
    let ingested = 0;
    let skipped = 0;
    await client.connect();
    try {
      const lock = await client.getMailboxLock(target.mailbox);
      try {
        const uids = (await client.search({ seen: false }, { uid: true })) || [];
        for (const uid of uids.slice(0, IMAP_BATCH)) {
          if (this.stopped) break;
          const range = String(uid);
          const head = await client.fetchOne(range, { uid: true, size: true }, { uid: true });
          if (!head) continue;
          if ((head.size ?? 0) > this.config.INBOUND_MAX_BYTES) {
            this.log.warn({ uid, size: head.size }, 'inbound mail: IMAP message over INBOUND_MAX_BYTES skipped');
            await client.messageFlagsAdd(range, ['\\Seen', '\\Flagged'], { uid: true });
            skipped++;
            continue;
          }
          const msg = await client.fetchOne(range, { uid: true, source: true }, { uid: true });
          if (!msg || !msg.source) continue;
          let outcomes;
          try {
            outcomes = await this.channel.ingest(imapMail(msg.source, target.user));
          } catch (e) {
            this.log.error({ err: e, uid }, 'inbound mail: could not store an IMAP message; it stays unread');
            continue;
          }
          if (!outcomes.length) {
            // Addressed to no team: leave it flagged for a person rather than drop it unseen.
            this.log.warn({ uid }, 'inbound mail: IMAP message for no team address; flagged');
            await client.messageFlagsAdd(range, ['\\Seen', '\\Flagged'], { uid: true });
            skipped++;
            continue;
          }
          await client.messageFlagsAdd(range, ['\\Seen'], { uid: true });
          ingested++;
        }
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
    return { ingested, skipped };
  }

  /** Stops accepting mail; a message being received is finished first (up to 5 s). */
  async close(): Promise<void> {
    this.stopped = true;
    if (this.imapTimer) clearTimeout(this.imapTimer);
    this.imapTimer = null;
    await this.imapRunning;
    const server = this.smtp;
    this.smtp = null;
    this.port = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface ImapTarget {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
  mailbox: string;
}

/** imaps://user:password@host:993/INBOX (user and password percent-encoded). */
export function imapTarget(url: string): ImapTarget {
  const u = new URL(url);
  const secure = u.protocol === 'imaps:';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(u.username),
    pass: decodeURIComponent(u.password),
    mailbox: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX',
  };
}

/**
 * An IMAP message as an inbound mail. The envelope is gone by now: the sender comes from
 * Return-Path (the delivering server's copy of MAIL FROM; "<>" for bounces), the
 * recipients from the mailbox's own address when the login is one (the mailbox belongs to
 * that team), else from Delivered-To / X-Original-To (set by the receiving server), else
 * To and Cc.
 */
export function imapMail(source: Buffer, login: string): InboundEmail {
  const head = source.subarray(0, Math.min(source.length, 256 * 1024)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const headers = (end < 0 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
  const values = (name: string) =>
    headers.filter((h) => h.toLowerCase().startsWith(`${name}:`)).map((h) => h.slice(name.length + 1).trim());
  const returnPath = values('return-path')[0];
  const envelopeFrom = returnPath === undefined ? null : (bareAddress(returnPath) ?? (/<\s*>/.test(returnPath) ? '' : null));
  const addresses = (names: string[]) =>
    names.flatMap((n) => values(n).flatMap((v) => v.split(',').map((x) => bareAddress(x)).filter((x): x is string => x !== null)));
  const own = bareAddress(login);
  const delivered = addresses(['delivered-to', 'x-original-to']);
  const recipients = own ? [own] : delivered.length ? delivered : addresses(['to', 'cc']);
  return { envelopeFrom, recipients: [...new Set(recipients)], raw: source };
}
