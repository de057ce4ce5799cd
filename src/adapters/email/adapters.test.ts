import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../platform/db.ts';
import { migrate } from '../../platform/migrate.ts';
import { startSmtpSink, type SmtpSink } from '../../../tests/helpers/smtp-sink.ts';
import { CaptureEmailAdapter } from './capture.ts';
import { attachmentBytes, formatAddress, type EmailMessage } from './email.ts';
import { SmtpEmailAdapter } from './smtp.ts';

/*
 * Both adapters honour the sender, the threading headers and the attachments: SMTP puts
 * them on the wire (read back from a real SMTP sink), capture stores them for the outbox.
 */

describe('e-mail adapters', () => {
  let db: Db;
  let sink: SmtpSink;
  let tenantId: string;
  const message = (over: Partial<EmailMessage> = {}): EmailMessage => ({
    tenantId,
    to: 'maija@example.org',
    subject: 'Re: Katuvalo [#10001]',
    text: 'Korjaamme huomenna.',
    html: '<p>Korjaamme huomenna.</p>',
    from: { name: 'Neuvonta – Esimerkkilä', address: 'no-reply@aukio.test' },
    replyTo: { name: 'Neuvonta, "Esimerkkilä"', address: 'neuvonta@esimerkkila.fi' },
    messageId: '<11111111-2222-3333-4444-555555555555@aukio.test>',
    inReplyTo: '<in-1@example.org>',
    references: ['<in-0@example.org>', '<in-1@example.org>'],
    attachments: [{ filename: 'ohje.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4 test').toString('base64') }],
    ...over,
  });

  beforeAll(async () => {
    db = await openDb({ dataDir: 'memory' });
    await migrate(db);
    tenantId = (
      await db.query<{ id: string }>(`insert into tenants (slug, names, languages, default_language) values ('testi', '{"fi":"Testi"}', '{fi}', 'fi') returning id`)
    ).rows[0].id;
    sink = await startSmtpSink();
  }, 120_000);
  afterAll(async () => {
    await sink?.close();
    await db?.close();
  });

  it('SMTP sends Message-ID, In-Reply-To, References, From, Reply-To and attachments as given', async () => {
    const smtp = new SmtpEmailAdapter(db, sink.url, 'Aukio <no-reply@aukio.test>');
    const sent = await smtp.send(message());
    smtp.close();
    expect(sent.messageId).toBe('<11111111-2222-3333-4444-555555555555@aukio.test>');
    const got = await sink.waitFor((m) => m.parsed.messageId === sent.messageId);
    expect(got.parsed.inReplyTo).toBe('<in-1@example.org>');
    expect(got.parsed.references).toEqual(['<in-0@example.org>', '<in-1@example.org>']);
    expect(got.parsed.from?.value[0]).toEqual({ name: 'Neuvonta – Esimerkkilä', address: 'no-reply@aukio.test' });
    expect(got.parsed.replyTo?.value[0]).toEqual({ name: 'Neuvonta, "Esimerkkilä"', address: 'neuvonta@esimerkkila.fi' });
    expect(got.parsed.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['ohje.pdf', '%PDF-1.4 test']]);
    const row = await db.query<{ headers: Record<string, string>; status: string }>('select headers, status from outbox_messages where subject = $1 and status = $2', [
      'Re: Katuvalo [#10001]',
      'sent',
    ]);
    expect(row.rows[0].headers['In-Reply-To']).toBe('<in-1@example.org>');
  });

  it('capture stores the sender, threading headers and the attachments’ names for the outbox', async () => {
    const capture = new CaptureEmailAdapter(db, 'Aukio <no-reply@aukio.test>');
    const stored = await capture.send(message({ subject: 'captured' }));
    expect(stored.messageId).toBe('<11111111-2222-3333-4444-555555555555@aukio.test>');
    const row = await db.query<{ headers: Record<string, string> }>('select headers from outbox_messages where subject = $1', ['captured']);
    expect(row.rows[0].headers).toEqual({
      From: 'Neuvonta – Esimerkkilä <no-reply@aukio.test>',
      'Reply-To': '"Neuvonta, \\"Esimerkkilä\\"" <neuvonta@esimerkkila.fi>',
      'Message-ID': '<11111111-2222-3333-4444-555555555555@aukio.test>',
      'In-Reply-To': '<in-1@example.org>',
      References: '<in-0@example.org> <in-1@example.org>',
      'X-Aukio-Attachments': 'ohje.pdf (application/pdf, 13 B)',
    });
    // Existing callers (no sender, no threading) keep working: the default From is recorded.
    const plain = await capture.send({ tenantId, to: 'x@example.org', subject: 'plain', text: 'x' });
    expect(plain.messageId).toMatch(/@capture\.aukio>$/);
    const p = await db.query<{ headers: Record<string, string> }>('select headers from outbox_messages where subject = $1', ['plain']);
    expect(p.rows[0].headers).toEqual({ From: 'Aukio <no-reply@aukio.test>' });
  });

  it('counts attachment bytes from base64 and formats addresses', () => {
    expect(attachmentBytes({ attachments: [{ filename: 'a', contentType: 'x', contentBase64: Buffer.alloc(1000).toString('base64') }] })).toBe(1000);
    expect(formatAddress('a@b.fi')).toBe('a@b.fi');
    expect(formatAddress({ name: '', address: 'a@b.fi' })).toBe('a@b.fi');
    expect(formatAddress({ name: 'Matti <evil@x>', address: 'a@b.fi' })).toBe('"Matti <evil@x>" <a@b.fi>');
  });
});
