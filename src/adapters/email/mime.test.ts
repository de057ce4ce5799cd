import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import type { EmailMessage } from './email.ts';
import { composeBulk } from './mime.ts';

/* composeBulk's output read back by an independent parser (mailparser). */

const base: EmailMessage = {
  tenantId: 't',
  to: 'maija.meikalainen@example.org',
  subject: 'Viikon uutiset – ääkköset ja “lainausmerkit”, sekä hyvin pitkä otsikko joka menee usealle riville varmasti',
  text: 'Hei!\n\n.Piste rivin alussa\n..kaksi\nÄäkköset ja € merkki.\n' + 'pitkä rivi '.repeat(40) + '\nLoppu  \n',
  html: '<p>Hei <b>ääkköset</b></p>\n<p>' + 'x'.repeat(300) + '</p>',
  headers: { 'List-Unsubscribe': '<https://esimerkkila.fi/newsletter/unsubscribe/abc>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'List-Id': '<campaign.t.esimerkkila.fi>' },
  messageId: '<nl.1.2@esimerkkila.fi>',
};

describe('composeBulk', () => {
  it('builds a multipart/alternative message that parses back to the same fields and bodies', async () => {
    const raw = composeBulk({ ...base, from: { name: 'Neuvonta, Esimerkkilä', address: 'no-reply@esimerkkila.fi' } }, 'Aukio <x@y.test>', new Date('2026-12-06T10:00:00Z'));
    const text = raw.toString('latin1');
    // 7-bit, CRLF, lines within 78 characters.
    expect(/[^\x00-\x7f]/.test(text)).toBe(false);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    const p = await simpleParser(raw);
    expect(p.subject).toBe(base.subject);
    expect(p.from?.value).toEqual([{ name: 'Neuvonta, Esimerkkilä', address: 'no-reply@esimerkkila.fi' }]);
    expect(p.to && !Array.isArray(p.to) ? p.to.value[0].address : null).toBe(base.to);
    expect(p.messageId).toBe(base.messageId);
    expect(p.date?.toISOString()).toBe('2026-12-06T10:00:00.000Z');
    expect(p.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(p.headerLines.find((h) => h.key === 'list-unsubscribe')?.line).toBe('List-Unsubscribe: <https://esimerkkila.fi/newsletter/unsubscribe/abc>');
    expect(p.text).toBe(base.text);
    expect(p.html).toBe(base.html);
  });

  it('a text-only message is one text/plain part; the default sender is used', async () => {
    const raw = composeBulk({ ...base, html: undefined }, 'Aukio <no-reply@aukio.test>');
    const p = await simpleParser(raw);
    expect(p.from?.value).toEqual([{ name: 'Aukio', address: 'no-reply@aukio.test' }]);
    expect(p.headers.get('content-type')).toMatchObject({ value: 'text/plain' });
    expect(p.text).toBe(base.text);
    expect(p.html).toBe(false);
  });

  it('CR/LF in values cannot add headers; odd header names and attachments are refused', async () => {
    const raw = composeBulk({ ...base, subject: 'Hei\r\nBcc: victim@example.org', headers: { 'X-Test': 'a\r\nBcc: b@example.org' } }, 'Aukio <x@y.test>');
    const p = await simpleParser(raw);
    expect(p.bcc).toBeUndefined();
    expect(p.subject).toBe('Hei Bcc: victim@example.org');
    expect(() => composeBulk({ ...base, headers: { 'X-Bad\r\nBcc': 'x' } }, 'x@y.test')).toThrow(/header name/);
    expect(() => composeBulk({ ...base, attachments: [{ filename: 'a.txt', contentType: 'text/plain', contentBase64: 'YQ==' }] }, 'x@y.test')).toThrow(/attachments/);
  });
});
