import { describe, expect, it } from 'vitest';
import type { ServiceHours } from '../catalog/model.ts';
import {
  baseSubject,
  classifyMachineMail,
  deliveryFailure,
  hoursLine,
  messageIds,
  replySubject,
  stripQuotedReply,
  subjectToken,
  textToHtml,
  trimReferences,
  type MailFacts,
} from './email-text.ts';

describe('stripQuotedReply', () => {
  it('cuts at the attribution lines of the common clients in fi, sv and en', () => {
    const cases: [string, string][] = [
      ['Kiitos!\n\nOn Mon, 7 Dec 2026 at 10:00, Neuvonta <neuvonta@esimerkkila.fi> wrote:\n> Hei', 'Kiitos!'],
      // Gmail wraps a long attribution onto two lines.
      ['Selvä.\n\nOn Mon, Dec 7, 2026 at 10:00 AM Neuvonta – Esimerkkilän kaupunki <\nneuvonta@esimerkkila.fi> wrote:\n\n> Hei', 'Selvä.'],
      ['Kiitos vastauksesta.\n\nma 7.12.2026 klo 10.00 Neuvonta (neuvonta@esimerkkila.fi) kirjoitti:\n> Hei', 'Kiitos vastauksesta.'],
      ['Tack!\n\nDen 7 dec. 2026 kl. 10:00 skrev Rådgivning <neuvonta@esimerkkila.fi>:\n> Hej', 'Tack!'],
      ['Thanks\n\n-----Original Message-----\nFrom: Neuvonta\nSent: Monday\n\nHello', 'Thanks'],
      ['Kiitos\n\n-----Alkuperäinen viesti-----\nLähettäjä: Neuvonta', 'Kiitos'],
      ['Okei.\n\n________________________________\nLähettäjä: Neuvonta <neuvonta@esimerkkila.fi>\nLähetetty: maanantai 7. joulukuuta 2026 10.00\nVastaanottaja: Maija', 'Okei.'],
      ['Sure.\n\nFrom: Neuvonta <neuvonta@esimerkkila.fi>\nSent: Monday, December 7, 2026 10:00\nTo: Maija\nSubject: Re: x\n\nHello', 'Sure.'],
    ];
    for (const [text, expected] of cases) expect(stripQuotedReply(text)).toBe(expected);
  });

  it('drops a trailing > block but keeps quotes interleaved with new text', () => {
    expect(stripQuotedReply('Vastaus tässä.\n\n> vanha rivi\n> toinen\n')).toBe('Vastaus tässä.');
    const interleaved = '> Milloin korjaatte?\nHuomenna.\n> Entä kadun toinen pää?\nSamalla kertaa.';
    expect(stripQuotedReply(interleaved)).toBe(interleaved);
  });

  it('keeps the whole text when cutting would leave nothing, and text without quotes as it is', () => {
    expect(stripQuotedReply('> vain lainaus')).toBe('> vain lainaus');
    expect(stripQuotedReply('Naapuri kirjoitti:\nroskis on täynnä')).toBe('Naapuri kirjoitti:\nroskis on täynnä');
    expect(stripQuotedReply('On the other hand I wrote nothing wrong.\nRivi kaksi')).toBe('On the other hand I wrote nothing wrong.\nRivi kaksi');
    expect(stripQuotedReply('Hei\r\n\r\nTerveisin Maija\r\n')).toBe('Hei\n\nTerveisin Maija');
  });
});

describe('machine mail', () => {
  const facts = (over: Partial<MailFacts> & { headers?: Record<string, string> } = {}): MailFacts => ({
    envelopeFrom: 'maija@example.org',
    from: 'maija@example.org',
    contentType: 'text/plain',
    messageId: '<1@example.org>',
    ownDomains: ['aukio.test'],
    header: (name) => over.headers?.[name],
    ...over,
  });

  it('tells bounces, autoresponders, lists and loops from a person', () => {
    expect(classifyMachineMail(facts())).toBeNull();
    expect(classifyMachineMail(facts({ envelopeFrom: '' }))).toBe('bounce');
    expect(classifyMachineMail(facts({ contentType: 'multipart/report' }))).toBe('bounce');
    expect(classifyMachineMail(facts({ from: 'MAILER-DAEMON@mx.example.org' }))).toBe('bounce');
    expect(classifyMachineMail(facts({ from: 'postmaster@example.org' }))).toBe('bounce');
    expect(classifyMachineMail(facts({ headers: { 'auto-submitted': 'auto-replied' } }))).toBe('auto_reply');
    expect(classifyMachineMail(facts({ headers: { 'auto-submitted': 'auto-generated; owner-email="x@y"' } }))).toBe('auto_reply');
    expect(classifyMachineMail(facts({ headers: { 'auto-submitted': 'no' } }))).toBeNull();
    expect(classifyMachineMail(facts({ headers: { 'x-autoreply': 'yes' } }))).toBe('auto_reply');
    expect(classifyMachineMail(facts({ headers: { 'x-autorespond': 'x' } }))).toBe('auto_reply');
    expect(classifyMachineMail(facts({ headers: { precedence: 'bulk' } }))).toBe('bulk');
    expect(classifyMachineMail(facts({ headers: { precedence: 'junk' } }))).toBe('bulk');
    expect(classifyMachineMail(facts({ headers: { 'list-id': '<x.example.org>' } }))).toBe('bulk');
    expect(classifyMachineMail(facts({ headers: { 'list-unsubscribe': '<mailto:x@y>' } }))).toBe('bulk');
    expect(classifyMachineMail(facts({ messageId: '<abc@AUKIO.test>' }))).toBe('loop');
    // Not known (IMAP without Return-Path) is not the null reverse-path.
    expect(classifyMachineMail(facts({ envelopeFrom: null }))).toBeNull();
  });

  it('reads the failed recipient and reason from a delivery report', () => {
    const report = 'Reporting-MTA: dns; mx\n\nFinal-Recipient: rfc822; Maija@Example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown';
    expect(deliveryFailure(report)).toEqual({ recipient: 'maija@example.org', status: '5.1.1', diagnostic: '550 5.1.1 User unknown' });
    expect(deliveryFailure('nothing here')).toEqual({ recipient: null, status: null, diagnostic: null });
  });
});

describe('subjects and Message-IDs', () => {
  it('finds the reference token and builds reply subjects without stacking prefixes', () => {
    expect(subjectToken('Re: Katuvalo [#10023]')).toBe(10023);
    expect(subjectToken('Katuvalo #10023')).toBeNull();
    expect(baseSubject('VS: Re: SV: Katuvalo [#10023]')).toBe('Katuvalo');
    expect(replySubject('Re: Katuvalo [#10023]', 10023, 'fi')).toBe('Re: Katuvalo [#10023]');
    expect(replySubject(null, 10024, 'sv')).toBe('Re: Ditt meddelande [#10024]');
  });

  it('reads every Message-ID of a header and trims long reference chains keeping the first', () => {
    expect(messageIds('<a@x> <b@y>\r\n <a@x>')).toEqual(['<a@x>', '<b@y>']);
    expect(messageIds(['<a@x>', '<c@z>'])).toEqual(['<a@x>', '<c@z>']);
    expect(messageIds(undefined)).toEqual([]);
    const ids = Array.from({ length: 30 }, (_, i) => `<${i}@x>`);
    const trimmed = trimReferences(ids);
    expect(trimmed).toHaveLength(12);
    expect(trimmed[0]).toBe('<0@x>');
    expect(trimmed[11]).toBe('<29@x>');
  });
});

describe('texts', () => {
  it('escapes everything in the HTML body', () => {
    expect(textToHtml('Hei <script>alert(1)</script>\nrivi 2\n\n"kaksi" & \'kolme\'')).toBe(
      '<p>Hei &lt;script&gt;alert(1)&lt;/script&gt;<br>rivi 2</p>\n<p>&quot;kaksi&quot; &amp; &#39;kolme&#39;</p>',
    );
  });

  it('says the business hours in a line, consecutive days joined', () => {
    const hours: ServiceHours[] = [
      {
        type: 'regular',
        validFrom: null,
        validTo: null,
        isClosed: false,
        hours: [
          { dayFrom: 'Monday', dayTo: 'Thursday', from: '08:00', to: '16:00' },
          { dayFrom: 'Friday', dayTo: null, from: '08:00', to: '14:00' },
        ],
        info: {},
      },
    ];
    const now = Date.parse('2026-12-07T10:00:00Z');
    expect(hoursLine(hours, now, 'fi')).toBe('ma–to 08:00–16:00, pe 08:00–14:00');
    expect(hoursLine(hours, now, 'en')).toBe('Mon–Thu 08:00–16:00, Fri 08:00–14:00');
    expect(hoursLine([], now, 'fi')).toBe('');
  });
});
