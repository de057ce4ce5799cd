import { connect } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { SMTPServer } from 'smtp-server';

/**
 * E-mail test tools: an SMTP sink (a real smtp-server that keeps every message it is
 * given, parsed with mailparser) for the app to send to with EMAIL_ADAPTER=smtp, a real
 * SMTP client (nodemailer) for sending to the app's inbound listener, and a raw SMTP
 * conversation for what nodemailer will not do (the null reverse-path, reading the reply
 * codes).
 */

export interface SinkMessage {
  envelopeFrom: string | null;
  envelopeTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
  /** A header's text value (lower-case name), from the raw header lines. */
  header(name: string): string | undefined;
}

export interface SmtpSink {
  port: number;
  /** For SMTP_URL. */
  url: string;
  messages: SinkMessage[];
  /** The first message (already received or arriving within the timeout) that matches. */
  waitFor(match: (m: SinkMessage) => boolean, timeoutMs?: number): Promise<SinkMessage>;
  close(): Promise<void>;
}

export interface SinkOptions {
  /** An SMTP reply code (e.g. 550) to refuse this recipient with at RCPT TO; undefined accepts. */
  rejectRecipient?: (address: string) => number | undefined;
}

export async function startSmtpSink(opts: SinkOptions = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    onRcptTo(address, _session, callback) {
      const code = opts.rejectRecipient?.(address.address);
      if (code) return callback(Object.assign(new Error(`${code} mailbox unavailable: ${address.address}`), { responseCode: code }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            messages.push({
              envelopeFrom: session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address,
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              raw,
              parsed,
              header: (name) => {
                const line = parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
                return line === undefined ? undefined : line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
              },
            });
            for (const w of waiters) w();
            callback();
          },
          (e: Error) => callback(e),
        );
      });
    },
  });
  // A client that hangs up mid-session is an 'error' event; unheard it would crash the suite.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitFor(match, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(match);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`smtp sink: no matching message within ${timeoutMs} ms (${messages.length} received)`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Sends through a real SMTP client to 127.0.0.1:port (no TLS; AUTH when given). */
export async function sendMail(port: number, mail: Mail.Options, auth?: { user: string; pass: string }): Promise<{ messageId: string; response: string }> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, ...(auth ? { auth } : {}) });
  try {
    const info = await transport.sendMail(mail);
    return { messageId: info.messageId, response: info.response };
  } finally {
    transport.close();
  }
}

/**
 * A raw SMTP session: EHLO, MAIL FROM:<from> (from '' = the null reverse-path), RCPT TO
 * for each recipient and, when every recipient was accepted, DATA with the message.
 * Returns the server's reply code to each step.
 */
export async function smtpSession(port: number, from: string, to: string[], data: string): Promise<{ mailFrom: number; rcpt: number[]; data: number | null }> {
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('utf8');
  socket.on('error', () => {});
  let buffer = '';
  const pending: ((line: string) => void)[] = [];
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let i;
    while ((i = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      // Multi-line replies ("250-…") end with "250 …".
      if (/^\d{3} /.test(line) || /^\d{3}$/.test(line)) pending.shift()?.(line);
    }
  });
  const reply = () => new Promise<number>((resolve) => pending.push((line) => resolve(Number(line.slice(0, 3)))));
  const send = (command: string) => {
    const r = reply();
    socket.write(`${command}\r\n`);
    return r;
  };
  try {
    await reply(); // greeting
    await send('EHLO tests.local');
    const mailFrom = await send(`MAIL FROM:<${from}>`);
    const rcpt: number[] = [];
    for (const r of to) rcpt.push(await send(`RCPT TO:<${r}>`));
    let dataCode: number | null = null;
    if (rcpt.every((c) => c === 250)) {
      const go = await send('DATA');
      if (go === 354) {
        const body = data.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
        dataCode = await send(`${body}\r\n.`);
      }
    }
    socket.write('QUIT\r\n');
    return { mailFrom, rcpt, data: dataCode };
  } finally {
    socket.destroy();
  }
}
