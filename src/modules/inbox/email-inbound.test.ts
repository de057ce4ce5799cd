import { describe, expect, it } from 'vitest';
import { imapMail, imapTarget } from './email-inbound.ts';

/*
 * The IMAP poller's mapping from a stored message to an inbound mail. (No IMAP server runs
 * in the tests; the ingest path it feeds is exercised in tests/integration/inbox-email.test.ts.)
 */

const raw = (headers: string[]) => Buffer.from(`${headers.join('\r\n')}\r\n\r\nbody\r\n`, 'latin1');

describe('imapTarget', () => {
  it('reads host, port, TLS, the percent-encoded login and the mailbox', () => {
    expect(imapTarget('imaps://neuvonta%40esimerkkila.fi:p%40ss%3Aw@mail.example.fi:993/INBOX')).toEqual({
      host: 'mail.example.fi',
      port: 993,
      secure: true,
      user: 'neuvonta@esimerkkila.fi',
      pass: 'p@ss:w',
      mailbox: 'INBOX',
    });
    expect(imapTarget('imap://u:p@localhost/Saapuneet%20viestit')).toMatchObject({ port: 143, secure: false, mailbox: 'Saapuneet viestit' });
    expect(imapTarget('imaps://u:p@h').mailbox).toBe('INBOX');
  });
});

describe('imapMail', () => {
  it('takes the sender from Return-Path and "<>" as the null reverse-path', () => {
    expect(imapMail(raw(['Return-Path: <Maija@Example.org>', 'To: a@b.fi']), 'user').envelopeFrom).toBe('maija@example.org');
    expect(imapMail(raw(['Return-Path: <>', 'To: a@b.fi']), 'user').envelopeFrom).toBe('');
    expect(imapMail(raw(['To: a@b.fi']), 'user').envelopeFrom).toBeNull();
  });

  it('delivers to the mailbox’s own address when the login is one, else the delivery headers, else To and Cc', () => {
    const headers = ['Delivered-To: neuvonta@esimerkkila.fi', 'To: "Kunta" <kirjaamo@jarvikyla.fi>, muu@example.org', 'Cc: x@y.fi'];
    expect(imapMail(raw(headers), 'varhaiskasvatus@esimerkkila.fi').recipients).toEqual(['varhaiskasvatus@esimerkkila.fi']);
    expect(imapMail(raw(headers), 'mailuser').recipients).toEqual(['neuvonta@esimerkkila.fi']);
    expect(imapMail(raw(headers.slice(1)), 'mailuser').recipients).toEqual(['kirjaamo@jarvikyla.fi', 'muu@example.org', 'x@y.fi']);
    // Folded header lines are read whole.
    expect(imapMail(raw(['To: a@b.fi,\r\n c@d.fi']), 'mailuser').recipients).toEqual(['a@b.fi', 'c@d.fi']);
  });
});
