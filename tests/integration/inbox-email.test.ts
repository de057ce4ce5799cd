import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/engines.ts';
import type { TestApp } from '../helpers/app.ts';
import { startMailTestApp, type MailTestApp } from '../helpers/mail-app.ts';
import { sendMail, smtpSession, type SmtpSink } from '../helpers/smtp-sink.ts';
import type { Message } from '../../src/modules/inbox/model.ts';
import { imapMail, InboundMail } from '../../src/modules/inbox/email-inbound.ts';

/*
 * The e-mail channel end to end on both engines: a real SMTP client (nodemailer) sends to
 * the app's inbound listener, the app sends (EMAIL_ADAPTER=smtp) to an SMTP sink run here,
 * and everything is read back from the sink as a mail client would see it.
 */

// A 1×1 PNG and a minimal PDF: types the channel keeps.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const TEAM_A = 'neuvonta@esimerkkila.fi';
const TEAM_B = 'kirjaamo@jarvikyla.fi';

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`inbox e-mail channel (${engine.name})`, () => {
    let mailApp: MailTestApp;
    let app: TestApp;
    let sink: SmtpSink;
    let port: number;
    let tenantA: string;
    let tenantB: string;
    let agentId: string;

    beforeAll(async () => {
      mailApp = await startMailTestApp(engine.name);
      ({ app, sink, inboundPort: port } = mailApp);
      const t = await app.services.db.query<{ id: string; slug: string }>('select id, slug from tenants');
      tenantA = t.rows.find((r) => r.slug === 'esimerkkila')!.id;
      tenantB = t.rows.find((r) => r.slug === 'jarvikyla')!.id;
      const u = await app.services.db.query<{ id: string }>('select id from staff_users where tenant_id = $1 and email = $2', [
        tenantA,
        'asiakaspalvelu@esimerkkila.fi',
      ]);
      agentId = u.rows[0].id;
    }, 120_000);
    afterAll(() => mailApp?.close());

    const db = () => app.services.db;
    const conversationsOf = async (tenantId: string, email: string) =>
      (
        await db().query<{ id: string; number: string; status: string; channel: string; contact_name: string | null; subject: string | null; team_id: string }>(
          'select id, number, status, channel, contact_name, subject, team_id from inbox_conversations where tenant_id = $1 and contact_email = $2 order by created_at',
          [tenantId, email],
        )
      ).rows;
    const messagesOf = (tenantId: string, conversationId: string) =>
      app.services.conversations.messagesAfter(db(), tenantId, conversationId, 0, { includeInternal: true });
    const autoRepliesTo = (address: string) => sink.messages.filter((m) => m.envelopeTo.includes(address) && m.header('auto-submitted') === 'auto-replied');
    const agentReply = (tenantId: string, conversationId: string, body: string, extra: Partial<Parameters<typeof app.services.conversations.postMessage>[3]> = {}) =>
      db().transaction((tx) =>
        app.services.conversations.postMessage(tx, tenantId, conversationId, {
          authorKind: 'agent',
          authorId: agentId,
          authorName: 'Aino Asiakaspalvelu',
          body,
          ...extra,
        }),
      );

    it('threads a whole exchange: mail in → pending conversation and auto-reply; agent reply out with threading headers; the resident answer back in', async () => {
      const resident = 'maija.meikalainen@example.org';
      const first = await sendMail(port, {
        from: 'Maija Meikäläinen <maija.meikalainen@example.org>',
        to: TEAM_A,
        subject: 'Katuvalo ei toimi',
        text: 'Hei,\n\nKoulutien katuvalo on ollut pimeänä viikon.\n\nTerveisin Maija',
        html: '<p>Hei,</p><p>Koulutien katuvalo on ollut pimeänä viikon.</p><p>Terveisin Maija</p>',
        attachments: [
          { filename: 'valo.png', content: PNG, contentType: 'image/png' },
          { filename: 'ohjelma.exe', content: Buffer.from('MZ\x90\x00not really a program'), contentType: 'application/octet-stream' },
        ],
      });

      const [conv] = await conversationsOf(tenantA, resident);
      expect(conv).toMatchObject({ channel: 'email', status: 'pending', contact_name: 'Maija Meikäläinen', subject: 'Katuvalo ei toimi' });
      const defaultTeam = await app.services.conversations.defaultTeam(db(), tenantA);
      expect(conv.team_id).toBe(defaultTeam!.id);
      const number = Number(conv.number);
      let messages = await messagesOf(tenantA, conv.id);
      const inbound = messages.find((m) => m.authorKind === 'resident')!;
      expect(inbound.body).toBe('Hei,\n\nKoulutien katuvalo on ollut pimeänä viikon.\n\nTerveisin Maija');
      expect(inbound.data.email).toEqual({ subject: 'Katuvalo ei toimi', messageId: first.messageId, from: resident });
      expect(inbound.data.attachments).toEqual([expect.objectContaining({ filename: 'valo.png', contentType: 'image/png' })]);
      const stored = await db().query<{ uploaded_by: string; message_id: string }>('select uploaded_by, message_id::text from inbox_attachments where conversation_id = $1', [conv.id]);
      expect(stored.rows).toEqual([{ uploaded_by: 'email', message_id: inbound.id }]);
      // The program was refused and the agents are told so in an internal note.
      const refused = messages.find((m) => m.data.event?.kind === 'email_attachments_refused')!;
      expect(refused.internal).toBe(true);
      expect(refused.body).toContain('ohjelma.exe');

      // The auto-reply: the reference number, business hours, threading to the mail, marked automatic.
      const auto = await sink.waitFor((m) => m.envelopeTo.includes(resident) && m.header('auto-submitted') === 'auto-replied');
      expect(auto.parsed.subject).toBe(`Re: Katuvalo ei toimi [#${number}]`);
      expect(auto.parsed.text).toContain(`#${number}`);
      expect(auto.parsed.text).toContain('ma–pe 08:00–16:00');
      expect(auto.parsed.text).toContain('mån–fre 08:00–16:00');
      expect(auto.parsed.inReplyTo).toBe(first.messageId);
      expect(auto.parsed.from?.value[0].address).toBe('no-reply@aukio.test');
      expect(auto.parsed.replyTo?.value[0].address).toBe(TEAM_A);

      // The agent answers with a PDF attached.
      const pdf = await db().query<{ id: string }>(
        `insert into inbox_attachments (tenant_id, conversation_id, uploaded_by, filename, content_type, size, bytes)
         values ($1, $2, 'agent', 'ohje.pdf', 'application/pdf', $3, $4) returning id`,
        [tenantA, conv.id, PDF.length, PDF],
      );
      const reply = await agentReply(tenantA, conv.id, 'Kiitos ilmoituksesta!\n\nKorjaamme valon <b>huomenna</b>.', {
        clientId: 'reply-1',
        data: { attachments: [{ id: pdf.rows[0].id, filename: 'ohje.pdf', contentType: 'application/pdf', size: PDF.length }] },
      });
      expect(reply.message.data.email?.messageId).toMatch(/^<[0-9a-f-]{36}@aukio\.test>$/);
      const replyId = reply.message.data.email!.messageId!;
      const out = await sink.waitFor((m) => m.parsed.messageId === replyId);
      expect(out.envelopeTo).toEqual([resident]);
      expect(out.header('auto-submitted')).toBeUndefined();
      expect(out.parsed.subject).toBe(`Re: Katuvalo ei toimi [#${number}]`);
      expect(out.parsed.inReplyTo).toBe(first.messageId);
      const refs = [out.parsed.references ?? []].flat();
      expect(refs[0]).toBe(first.messageId);
      expect(refs).toContain(auto.parsed.messageId);
      expect(out.parsed.text).toContain('Korjaamme valon <b>huomenna</b>.');
      expect(out.parsed.text).toContain(`Viite #${number}`);
      expect(out.parsed.html).toContain('Korjaamme valon &lt;b&gt;huomenna&lt;/b&gt;.');
      expect(out.parsed.html).not.toContain('<b>');
      expect(out.parsed.attachments.map((a) => [a.filename, a.contentType, a.content.equals(PDF)])).toEqual([['ohje.pdf', 'application/pdf', true]]);
      expect(out.parsed.from?.value[0]).toEqual({ name: 'Neuvonta – Esimerkkilän kaupunki', address: 'no-reply@aukio.test' });
      expect(out.parsed.replyTo?.value[0].address).toBe(TEAM_A);
      const recorded = await db().query('select direction, inbox_message_id::text as m from inbox_email_messages where tenant_id = $1 and message_id = $2', [tenantA, replyId]);
      expect(recorded.rows).toEqual([{ direction: 'out', m: reply.message.id }]);

      // The conversation is resolved; the resident answers from their client, quoting us.
      await db().transaction((tx) => app.services.conversations.setStatus(tx, tenantA, conv.id, 'resolved'));
      const sentBefore = autoRepliesTo(resident).length;
      const answer = await sendMail(port, {
        from: 'Maija Meikäläinen <maija.meikalainen@example.org>',
        to: TEAM_A,
        subject: out.parsed.subject!.replace(/^/, 'Re: '),
        inReplyTo: replyId,
        references: [...refs, replyId],
        text: `Kiitos paljon!\n\nOn Mon, 7 Dec 2026 at 10:00, Neuvonta <${TEAM_A}> wrote:\n> Kiitos ilmoituksesta!\n>\n> Korjaamme valon huomenna.`,
      });
      const after = await conversationsOf(tenantA, resident);
      expect(after).toHaveLength(1);
      expect(after[0].status).toBe('pending'); // reopened (nobody is assigned)
      messages = await messagesOf(tenantA, conv.id);
      const back = messages.find((m) => m.data.email?.messageId === answer.messageId)!;
      expect(back).toMatchObject({ authorKind: 'resident', body: 'Kiitos paljon!' });
      // A reply in an existing conversation gets no second receipt.
      await new Promise((r) => setTimeout(r, 1500));
      expect(autoRepliesTo(resident)).toHaveLength(sentBefore);
    });

    it('threads by the subject token only from the conversation’s own address', async () => {
      const resident = 'token.tester@example.org';
      await sendMail(port, { from: resident, to: TEAM_A, subject: 'Lupa-asia', text: 'Ensimmäinen viesti.' });
      const [conv] = await conversationsOf(tenantA, resident);
      await sendMail(port, { from: resident, to: TEAM_A, subject: `Lisätietoa [#${conv.number}]`, text: 'Unohdin liitteen.' });
      expect(await conversationsOf(tenantA, resident)).toHaveLength(1);
      expect((await messagesOf(tenantA, conv.id)).filter((m) => m.authorKind === 'resident').map((m) => m.body)).toEqual([
        'Ensimmäinen viesti.',
        'Unohdin liitteen.',
      ]);
      // Someone else quoting the number starts their own conversation.
      await sendMail(port, { from: 'stranger@example.net', to: TEAM_A, subject: `Re: [#${conv.number}]`, text: 'Mitä tässä lukee?' });
      const theirs = await conversationsOf(tenantA, 'stranger@example.net');
      expect(theirs).toHaveLength(1);
      expect(theirs[0].id).not.toBe(conv.id);
    });

    it('neither answers nor opens conversations for bounces and autoresponders; a bounce of our reply is noted for the agent', async () => {
      const resident = 'bounce.case@example.org';
      const firstMail = await sendMail(port, { from: resident, to: TEAM_A, subject: 'Vesimittari', text: 'Mittari vuotaa.' });
      const [conv] = await conversationsOf(tenantA, resident);
      await sink.waitFor((m) => m.envelopeTo.includes(resident) && m.header('auto-submitted') === 'auto-replied');
      const reply = await agentReply(tenantA, conv.id, 'Tulemme katsomaan.');
      const replyId = reply.message.data.email!.messageId!;
      const before = (await db().query<{ n: number }>('select count(*)::int as n from inbox_conversations where tenant_id = $1', [tenantA])).rows[0].n;
      const sinkBefore = sink.messages.length;

      // A delivery report for our reply, from the null reverse-path.
      const dsn = [
        'From: Mail Delivery System <MAILER-DAEMON@mx.example.org>',
        `To: ${TEAM_A}`,
        'Subject: Undelivered Mail Returned to Sender',
        'Message-ID: <dsn-1@mx.example.org>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="BOUND"',
        '',
        '--BOUND',
        'Content-Type: text/plain; charset=utf-8',
        '',
        `Your message could not be delivered to ${resident}.`,
        '',
        '--BOUND',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example.org',
        '',
        `Final-Recipient: rfc822; ${resident}`,
        'Action: failed',
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
        '',
        '--BOUND',
        'Content-Type: text/rfc822-headers',
        '',
        'From: Neuvonta <no-reply@aukio.test>',
        `To: ${resident}`,
        `Message-ID: ${replyId}`,
        'Subject: Re: Vesimittari',
        '',
        '--BOUND--',
        '',
      ].join('\r\n');
      expect(await smtpSession(port, '', [TEAM_A], dsn)).toEqual({ mailFrom: 250, rcpt: [250], data: 250 });
      const note = (await messagesOf(tenantA, conv.id)).find((m) => m.data.event?.kind === 'email_bounced')!;
      expect(note).toMatchObject({ authorKind: 'system', internal: true });
      expect(note.body).toContain(resident);
      expect(note.body).toContain('5.1.1');

      // An out-of-office answer to nothing of ours, and a mailing list post.
      await sendMail(port, {
        from: 'lomalla@example.org',
        to: TEAM_A,
        subject: 'Automaattinen vastaus: Tiedote',
        text: 'Olen lomalla 31.12. asti.',
        headers: { 'Auto-Submitted': 'auto-replied' },
      });
      await sendMail(port, { from: 'uutiskirje@example.org', to: TEAM_A, subject: 'Uutiskirje', text: 'Uutisia', headers: { 'List-Id': '<news.example.org>', Precedence: 'bulk' } });
      // A message claiming to be ours (a loop through a forwarding rule).
      await sendMail(port, { from: 'forwarder@example.org', to: TEAM_A, subject: 'Fwd', text: 'loop', messageId: '<looped-1@aukio.test>' });
      const after = (await db().query<{ n: number }>('select count(*)::int as n from inbox_conversations where tenant_id = $1', [tenantA])).rows[0].n;
      expect(after).toBe(before);

      // The resident's own autoresponder answering our reply lands on the conversation as a note, nothing more.
      await sendMail(port, {
        from: resident,
        to: TEAM_A,
        subject: 'Poissa: Re: Vesimittari',
        inReplyTo: replyId,
        text: 'Olen poissa toimistolta.',
        headers: { 'Auto-Submitted': 'auto-replied' },
      });
      const notes = (await messagesOf(tenantA, conv.id)).filter((m) => m.data.event?.kind === 'email_auto_reply');
      expect(notes).toHaveLength(1);
      expect(notes[0].internal).toBe(true);
      expect((await conversationsOf(tenantA, resident))[0].status).toBe('pending');

      await new Promise((r) => setTimeout(r, 2000));
      const answered = sink.messages.slice(sinkBefore).filter((m) => m.parsed.messageId !== replyId);
      expect(answered.map((m) => m.envelopeTo)).toEqual([]);
      expect(firstMail.messageId).toBeTruthy();
    });

    it('sends at most one auto-reply an hour to an address', async () => {
      const sender = 'kiireinen@example.org';
      await sendMail(port, { from: sender, to: TEAM_A, subject: 'Ensimmäinen asia', text: 'Yksi' });
      await sendMail(port, { from: sender, to: TEAM_A, subject: 'Toinen asia', text: 'Kaksi' });
      expect(await conversationsOf(tenantA, sender)).toHaveLength(2);
      await sink.waitFor((m) => m.envelopeTo.includes(sender));
      await new Promise((r) => setTimeout(r, 2000));
      expect(autoRepliesTo(sender)).toHaveLength(1);
    });

    it('refuses recipients that are no team’s address (not an open relay)', async () => {
      const r = await smtpSession(port, 'someone@example.org', ['nobody@esimerkkila.fi'], 'Subject: x\r\n\r\nx');
      expect(r).toEqual({ mailFrom: 250, rcpt: [550], data: null });
      const relay = await smtpSession(port, 'someone@example.org', ['victim@example.com'], 'Subject: x\r\n\r\nx');
      expect(relay.rcpt).toEqual([550]);
      await expect(sendMail(port, { from: 'someone@example.org', to: 'victim@example.com', subject: 'x', text: 'x' })).rejects.toThrow(/550/);
    });

    it('with INBOUND_SMTP_USER/PASSWORD requires AUTH, and refuses a message over INBOUND_MAX_BYTES with 552', async () => {
      const guarded = new InboundMail(
        { ...app.services.config, INBOUND_SMTP_PORT: 0, INBOUND_MAX_BYTES: 10 * 1024, INBOUND_SMTP_USER: 'relay', INBOUND_SMTP_PASSWORD: 'relay-secret-1' },
        app.services.emailChannel,
        app.services.log,
      );
      await guarded.startSmtp();
      try {
        const p = guarded.port!;
        const anonymous = await smtpSession(p, 'someone@example.org', [TEAM_A], 'Subject: x\r\n\r\nx');
        expect(anonymous.mailFrom).toBe(530);
        const wrong = { user: 'relay', pass: 'wrong-password' };
        await expect(sendMail(p, { from: 'a@example.org', to: TEAM_A, subject: 'x', text: 'x' }, wrong)).rejects.toThrow(/535|Invalid login|Authentication/i);
        const auth = { user: 'relay', pass: 'relay-secret-1' };
        await sendMail(p, { from: 'valtuutettu@example.org', to: TEAM_A, subject: 'Välittäjän kautta', text: 'Tuli perille.' }, auth);
        expect(await conversationsOf(tenantA, 'valtuutettu@example.org')).toHaveLength(1);
        await expect(
          sendMail(p, { from: 'iso@example.org', to: TEAM_A, subject: 'Iso', text: 'x'.repeat(20 * 1024) }, auth),
        ).rejects.toThrow(/552|size/i);
        expect(await conversationsOf(tenantA, 'iso@example.org')).toHaveLength(0);
      } finally {
        await guarded.close();
      }
      expect(guarded.port).toBeNull();
    });

    it('keeps threading inside the tenant: another tenant’s Message-ID starts a new conversation', async () => {
      const resident = 'kaksi.kuntaa@example.org';
      await sendMail(port, { from: resident, to: TEAM_A, subject: 'Asia A', text: 'Esimerkkilälle' });
      const [convA] = await conversationsOf(tenantA, resident);
      const replyA = await agentReply(tenantA, convA.id, 'Vastaus A');
      await sendMail(port, {
        from: resident,
        to: TEAM_B,
        subject: `Re: Asia A [#${convA.number}]`,
        inReplyTo: replyA.message.data.email!.messageId!,
        references: [replyA.message.data.email!.messageId!],
        text: 'Järvikylälle',
      });
      const inB = await conversationsOf(tenantB, resident);
      expect(inB).toHaveLength(1);
      expect(inB[0].id).not.toBe(convA.id);
      expect((await messagesOf(tenantA, convA.id)).filter((m) => m.authorKind === 'resident').map((m) => m.body)).toEqual(['Esimerkkilälle']);
      expect((await messagesOf(tenantB, inB[0].id)).filter((m) => m.authorKind === 'resident').map((m) => m.body)).toEqual(['Järvikylälle']);
    });

    it('stores a mail delivered twice once', async () => {
      const mail = {
        from: 'kahdesti@example.org',
        to: TEAM_A,
        subject: 'Sama viesti',
        text: 'Tämä tulee kahdesti.',
        messageId: '<same-mail-twice@example.org>',
      };
      await sendMail(port, mail);
      await sendMail(port, mail);
      // Two deliveries at the same moment (a relay retrying while the first is still being stored).
      const again = { ...mail, messageId: '<same-mail-at-once@example.org>', subject: 'Samaan aikaan' };
      await Promise.all([sendMail(port, again), sendMail(port, again), sendMail(port, again)]);
      const convs = await conversationsOf(tenantA, 'kahdesti@example.org');
      expect(convs.map((c) => c.subject).sort()).toEqual(['Sama viesti', 'Samaan aikaan']);
      const atOnce = convs.find((c) => c.subject === 'Samaan aikaan')!;
      expect((await messagesOf(tenantA, atOnce.id)).filter((m: Message) => m.authorKind === 'resident')).toHaveLength(1);
      convs.splice(convs.indexOf(atOnce), 1);
      expect(convs).toHaveLength(1);
      const resident = (await messagesOf(tenantA, convs[0].id)).filter((m: Message) => m.authorKind === 'resident');
      expect(resident).toHaveLength(1);
    });

    it('ingests a message fetched over IMAP (sender from Return-Path, team from the mailbox login) like one from the listener', async () => {
      const source = Buffer.from(
        [
          'Return-Path: <imap.asukas@example.org>',
          'Delivered-To: varhaiskasvatus@esimerkkila.fi',
          'From: Iida Imap <imap.asukas@example.org>',
          'To: varhaiskasvatus@esimerkkila.fi',
          'Subject: Hoitopaikka',
          'Message-ID: <imap-1@example.org>',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Haemme hoitopaikkaa tammikuusta.',
          '',
        ].join('\r\n'),
      );
      const outcomes = await app.services.emailChannel.ingest(imapMail(source, 'varhaiskasvatus@esimerkkila.fi'));
      expect(outcomes).toEqual([expect.objectContaining({ kind: 'created', tenantId: tenantA, autoReplied: true })]);
      const [conv] = await conversationsOf(tenantA, 'imap.asukas@example.org');
      const team = (await app.services.conversations.teams(db(), tenantA)).find((t) => t.emailAddress === 'varhaiskasvatus@esimerkkila.fi')!;
      expect(conv).toMatchObject({ channel: 'email', status: 'pending', team_id: team.id, contact_name: 'Iida Imap' });
      // Fetched again (another instance, or before \Seen was stored): the same message.
      expect(await app.services.emailChannel.ingest(imapMail(source, 'varhaiskasvatus@esimerkkila.fi'))).toEqual([{ kind: 'duplicate', tenantId: tenantA }]);
      // A mailbox that is no team's address, and headers naming none: nothing.
      expect(await app.services.emailChannel.ingest(imapMail(source, 'postilaatikko'))).toHaveLength(1);
      expect(await app.services.emailChannel.ingest(imapMail(Buffer.from('To: muu@example.org\r\n\r\nx'), 'postilaatikko'))).toEqual([]);
      const auto = await sink.waitFor((m) => m.envelopeTo.includes('imap.asukas@example.org'));
      expect(auto.parsed.text).toContain('ma–pe 09:00–15:00');
      expect(auto.parsed.replyTo?.value[0].address).toBe('varhaiskasvatus@esimerkkila.fi');
    });

    it('a reply too large for e-mail is refused before anything is stored', async () => {
      await sendMail(port, { from: 'iso.liite@example.org', to: TEAM_A, subject: 'Iso', text: 'Iso' });
      const [conv] = await conversationsOf(tenantA, 'iso.liite@example.org');
      const big = Buffer.concat([PDF, Buffer.alloc(11 * 1024 * 1024)]);
      const att = await db().query<{ id: string }>(
        `insert into inbox_attachments (tenant_id, conversation_id, uploaded_by, filename, content_type, size, bytes)
         values ($1, $2, 'agent', 'iso.pdf', 'application/pdf', $3, $4) returning id`,
        [tenantA, conv.id, big.length, big],
      );
      const lastSeq = (await messagesOf(tenantA, conv.id)).length;
      await expect(
        agentReply(tenantA, conv.id, 'Liitteenä', { data: { attachments: [{ id: att.rows[0].id, filename: 'iso.pdf', contentType: 'application/pdf', size: big.length }] } }),
      ).rejects.toMatchObject({ code: 'payload_too_large', status: 413 });
      expect(await messagesOf(tenantA, conv.id)).toHaveLength(lastSeq);
    });
  });
}

