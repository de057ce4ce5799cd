import { randomBytes } from 'node:crypto';
import { encodeWord, encodeWords, foldLines } from 'nodemailer/lib/mime-funcs/index.js';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp/index.js';
import { formatAddress, parseMailbox, type EmailMessage, type MailAddress } from './email.ts';

/**
 * The MIME message of bulk mail: text, optionally an HTML alternative, and headers; no
 * attachments. nodemailer's MailComposer builds the same structure through a tree of
 * streams that costs more per message than the rest of a newsletter send together; this
 * builds it with plain string work, using nodemailer's own encoders (RFC 2047 words,
 * quoted-printable, folding), so the bytes follow the same rules. Everything else
 * (attachments) goes through MailComposer in SmtpEmailAdapter.
 */
export function composeBulk(m: EmailMessage, defaultFrom: MailAddress, now = new Date()): Buffer {
  if (m.attachments?.length) throw new Error('composeBulk: bulk mail has no attachments');
  const lines: string[] = [];
  const header = (name: string, value: string) => {
    // CR and LF in a value would start a header of the sender's choosing.
    const clean = value.replace(/[\r\n]+/g, ' ');
    lines.push(foldLines(`${name}: ${encodeWords(clean, 'Q', 52)}`, 76));
  };
  lines.push(foldLines(`From: ${mailbox(m.from ?? defaultFrom)}`, 76));
  if (m.replyTo) lines.push(foldLines(`Reply-To: ${mailbox(m.replyTo)}`, 76));
  header('To', m.to);
  header('Subject', m.subject);
  if (m.messageId) header('Message-ID', m.messageId);
  if (m.inReplyTo) header('In-Reply-To', m.inReplyTo);
  if (m.references?.length) header('References', m.references.join(' '));
  header('Date', now.toUTCString().replace(/GMT$/, '+0000'));
  for (const [name, value] of Object.entries(m.headers ?? {})) {
    // Header names are the caller's constants; anything else in a name would be injection.
    if (!/^[A-Za-z0-9-]+$/.test(name)) throw new Error(`composeBulk: invalid header name ${JSON.stringify(name)}`);
    header(name, value);
  }
  lines.push('MIME-Version: 1.0');
  const text = part('text/plain', m.text);
  if (m.html === undefined) {
    return Buffer.from([...lines, text.head, '', text.body].join('\r\n'), 'latin1');
  }
  const html = part('text/html', m.html);
  // Random per message, so no content can contain it by accident.
  const boundary = `--_Aukio-${randomBytes(12).toString('hex')}`;
  lines.push(`Content-Type: multipart/alternative;\r\n boundary="${boundary}"`);
  return Buffer.from(
    [...lines, '', `--${boundary}`, text.head, '', text.body, `--${boundary}`, html.head, '', html.body, `--${boundary}--`, ''].join('\r\n'),
    'latin1',
  );
}

function part(type: string, content: string) {
  return {
    head: `Content-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable`,
    // CRLF line ends before encoding: quoted-printable keeps them as the text's lines.
    body: qpWrap(qpEncode(Buffer.from(content.replace(/\r?\n/g, '\r\n'), 'utf-8')), 76),
  };
}

/** "Name <address>" with a non-ASCII name as encoded words (formatAddress quotes the rest). */
function mailbox(a: MailAddress): string {
  const { name, address } = parseMailbox(a);
  const clean = { name: name.replace(/[\r\n]+/g, ' ').trim(), address: address.replace(/[\r\n<>]+/g, '') };
  // The whole name as encoded words: a comma left outside them would split the address.
  if (/[^\x20-\x7e]/.test(clean.name)) return `${encodeWord(clean.name, 'Q', 52)} <${clean.address}>`;
  return formatAddress(clean);
}
