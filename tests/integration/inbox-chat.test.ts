import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../helpers/engines.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { staffClient } from '../helpers/staff-session.ts';
import { openSse } from '../helpers/sse.ts';
import { CHAT_START_LIMIT } from '../../src/modules/inbox/chat.ts';
import { conversationStaffChannel } from '../../src/modules/inbox/conversations.ts';
import type { RealtimeEvent } from '../../src/platform/events.ts';

/*
 * The resident's chat beyond sending messages, over HTTP on both engines: availability,
 * "talk to a person" and the queue, typing, attachments (a disguised file refused),
 * the transcript, ending and rating, leave-a-message as an e-mail conversation, the start
 * rate limit, bad input, another tenant's ids, the no-JavaScript page, the embed page's
 * frame-ancestors and the settings page.
 */

interface Started {
  conversation: { id: string; number: number; status: string };
  token: string;
}

// The smallest valid PNG (1×1) and a PDF header.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d000000000000000049454e44ae426082', 'hex');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`resident chat (${engine.name})`, () => {
    let app: TestApp;
    let tenantA: string;
    let f: ReturnType<typeof hostFetch>;

    beforeAll(async () => {
      app = await startTestApp(engine.name);
      f = hostFetch(app, HOST_A);
      const t = await app.services.db.query<{ id: string; slug: string }>('select id, slug from tenants');
      tenantA = t.rows.find((r) => r.slug === 'esimerkkila')!.id;
    }, 120_000);
    afterAll(() => app?.close());
    // Every test starts conversations from the same address; the limit has its own test.
    beforeEach(async () => {
      await app.services.db.query('delete from inbox_chat_rate');
    });

    const json = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      f(path, {
        method,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
    const start = async (body: Record<string, unknown> = {}): Promise<Started> => {
      const r = await json('POST', '/api/v1/chat/conversations', { lang: 'fi', ...body });
      expect(r.status).toBe(201);
      return (await r.json()) as Started;
    };
    const as = (s: Started) => ({ 'x-chat-token': s.token });
    const path = (s: Started, rest = '') => `/api/v1/chat/conversations/${s.conversation.id}${rest}`;
    const setOnline = async (online: boolean) => {
      await app.services.db.query(
        `insert into inbox_agents (tenant_id, staff_user_id, status, last_seen_at)
         select $1, u.id, $2, now() from staff_users u where u.tenant_id = $1 and u.email = 'asiakaspalvelu@esimerkkila.fi'
         on conflict (tenant_id, staff_user_id) do update set status = $2, last_seen_at = now()`,
        [tenantA, online ? 'online' : 'offline'],
      );
    };

    it('tells whether chat is on, the team hours of the week, open now, agents online', async () => {
      const r = await json('GET', '/api/v1/chat/status?lang=sv');
      expect(r.status).toBe(200);
      const s = (await r.json()) as Record<string, unknown> & { week: { weekday: string; intervals: unknown[] }[]; team: { name: string } };
      expect(s.enabled).toBe(true);
      expect(s.team.name).toBe('Rådgivning');
      expect(s.week).toHaveLength(7);
      expect(s.agentsOnline).toBe(0);
      expect(s.available).toBe(false);
      // Always open (no hours) and one member online: available.
      await app.services.db.query(`update inbox_teams set business_hours = '[]' where tenant_id = $1 and is_default`, [tenantA]);
      await setOnline(true);
      const open = (await (await json('GET', '/api/v1/chat/status')).json()) as Record<string, unknown>;
      expect(open).toMatchObject({ openNow: true, alwaysOpen: true, agentsOnline: 1, available: true, nextOpening: null });
      await setOnline(false);
      // Weekday hours again for the rest of the file.
      await app.services.db.query(
        `update inbox_teams set business_hours = $2 where tenant_id = $1 and is_default`,
        [tenantA, JSON.stringify([{ type: 'regular', validFrom: null, validTo: null, isClosed: false, hours: [{ dayFrom: 'Monday', dayTo: 'Friday', from: '08:00', to: '16:00' }], info: {} }])],
      );
      const closedWeekend = (await (await json('GET', '/api/v1/chat/status?lang=fi')).json()) as { week: { weekday: string; intervals: unknown[] }[] };
      expect(closedWeekend.week.find((d) => d.weekday === 'Sunday')!.intervals).toEqual([]);
      expect(closedWeekend.week.find((d) => d.weekday === 'Monday')!.intervals).toEqual([{ from: '08:00', to: '16:00' }]);
    });

    it('hands off to a person on request and reports the queue place and wait', async () => {
      const first = await start();
      const second = await start();
      expect(first.conversation.status).toBe('bot');
      const h1 = await json('POST', path(first, '/handoff'), {}, as(first));
      expect(h1.status).toBe(200);
      const b1 = (await h1.json()) as { conversation: { status: string }; queue: { position: number; estimatedWaitMinutes: number } };
      expect(b1.conversation.status).toBe('pending');
      expect(b1.queue.position).toBeGreaterThanOrEqual(1);
      const h2 = (await (await json('POST', path(second, '/handoff'), {}, as(second))).json()) as typeof b1;
      expect(h2.queue.position).toBe(b1.queue.position + 1);
      expect(h2.queue.estimatedWaitMinutes).toBeGreaterThan(b1.queue.estimatedWaitMinutes - 1);
      // A second "talk to a person" changes nothing; GET shows the same place.
      expect((await json('POST', path(first, '/handoff'), {}, as(first))).status).toBe(200);
      const got = (await (await json('GET', path(second), undefined, as(second))).json()) as typeof b1;
      expect(got.queue.position).toBe(h2.queue.position);
      // The first one is taken by an agent: the second moves up, and its stream says so.
      const sse = await openSse(app, HOST_A, {}, `${path(second, '/stream')}?token=${second.token}`);
      try {
        await sse.waitFor((e) => e.event === 'queue');
        const user = await app.services.db.query<{ id: string }>(`select id from staff_users where tenant_id = $1 and email = 'asiakaspalvelu@esimerkkila.fi'`, [tenantA]);
        await app.services.db.transaction((tx) => app.services.conversations.assign(tx, tenantA, first.conversation.id, user.rows[0].id, { by: null, byName: null }));
        const moved = await sse.waitFor((e) => e.event === 'queue' && (e.data as { queue: { position: number } }).queue?.position === h2.queue.position - 1);
        expect(moved).toBeTruthy();
      } finally {
        sse.close();
      }
    });

    it('passes the resident typing to staff, at most every two seconds', async () => {
      const s = await start({ human: true });
      const got: RealtimeEvent[] = [];
      const off = app.services.events.subscribe([conversationStaffChannel(tenantA, s.conversation.id)], (e) => got.push(e));
      try {
        const r1 = await json('POST', path(s, '/typing'), {}, as(s));
        expect(r1.status).toBe(202);
        expect(await r1.json()).toEqual({ forwarded: true });
        expect(await (await json('POST', path(s, '/typing'), {}, as(s))).json()).toEqual({ forwarded: false });
        await expect.poll(() => got.filter((e) => e.type === 'typing').map((e) => e.data), { timeout: 5000 }).toEqual([
          { conversationId: s.conversation.id, who: 'resident' },
        ]);
      } finally {
        off();
      }
    });

    it('takes images and PDFs, refuses a disguised file, and sends them with a message', async () => {
      const s = await start();
      const up = (body: Buffer, name: string, type = 'application/octet-stream') =>
        f(path(s, '/attachments'), { method: 'POST', headers: { ...as(s), 'content-type': type, 'x-filename': encodeURIComponent(name) }, body });
      const png = await up(PNG, 'kuva äö.png', 'image/png');
      expect(png.status).toBe(201);
      const pngA = ((await png.json()) as { attachment: { id: string; filename: string; contentType: string } }).attachment;
      expect(pngA).toMatchObject({ filename: 'kuva äö.png', contentType: 'image/png' });
      const pdfA = ((await (await up(PDF, 'hakemus.pdf')).json()) as { attachment: { id: string } }).attachment;
      // HTML with a picture's name and type is refused: the type comes from the bytes.
      const disguised = await up(Buffer.from('<html><script>alert(1)</script></html>'), 'kuva.png', 'image/png');
      expect(disguised.status).toBe(415);
      expect(((await disguised.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
      expect((await f(path(s, '/attachments'), { method: 'POST', headers: { ...as(s), 'content-type': 'text/html' }, body: '<p>x</p>' })).status).toBe(415);
      expect((await up(Buffer.alloc(11 * 1024 * 1024, 1), 'iso.png', 'image/png')).status).toBe(413);

      const sent = await json('POST', path(s, '/messages'), { clientId: 'with-files', body: 'Liitteet', attachments: [pngA.id, pdfA.id] }, as(s));
      expect(sent.status).toBe(201);
      const msg = ((await sent.json()) as { message: { data: { attachments: { id: string }[] } } }).message;
      expect(msg.data.attachments.map((a) => a.id).sort()).toEqual([pngA.id, pdfA.id].sort());
      // A resend of the same message is the same message, though the files are linked by now.
      const again = await json('POST', path(s, '/messages'), { clientId: 'with-files', body: 'Liitteet', attachments: [pngA.id, pdfA.id] }, as(s));
      expect(again.status).toBe(200);
      // An attachment id that is not an unsent upload of this conversation is refused.
      expect((await json('POST', path(s, '/messages'), { clientId: 'x2', body: 'x', attachments: [pngA.id] }, as(s))).status).toBe(400);
      expect((await json('POST', path(s, '/messages'), { clientId: 'x3', body: 'x', attachments: 'nope' }, as(s))).status).toBe(400);

      const img = await f(`${path(s, `/attachments/${pngA.id}`)}?token=${s.token}`);
      expect(img.status).toBe(200);
      expect(img.headers.get('content-type')).toBe('image/png');
      expect(img.headers.get('x-content-type-options')).toBe('nosniff');
      expect(img.headers.get('content-security-policy')).toContain('sandbox');
      expect(Buffer.from(await img.arrayBuffer()).equals(PNG)).toBe(true);
      const pdf = await f(path(s, `/attachments/${pdfA.id}`), { headers: as(s) });
      expect(pdf.headers.get('content-disposition')).toMatch(/^attachment; filename="hakemus.pdf"/);
      // Another conversation's token does not open it.
      const other = await start();
      expect((await f(path(s, `/attachments/${pdfA.id}`), { headers: as(other) })).status).toBe(404);
      expect((await f(`/api/v1/chat/conversations/${other.conversation.id}/attachments/${pdfA.id}`, { headers: as(other) })).status).toBe(404);
      const stored = await app.services.db.query<{ uploaded_by: string; message_id: string | null }>('select uploaded_by, message_id from inbox_attachments where id = $1', [pngA.id]);
      expect(stored.rows[0]).toMatchObject({ uploaded_by: 'resident' });
      expect(stored.rows[0].message_id).not.toBeNull();
    });

    it('downloads a plain-text transcript with times, authors, cards and attachment names', async () => {
      const s = await start({ name: 'Matti' });
      await json('POST', path(s, '/messages'), { clientId: 't1', body: 'Missä on kirjasto?' }, as(s));
      await app.services.db.transaction((tx) =>
        app.services.conversations.postMessage(tx, tenantA, s.conversation.id, {
          authorKind: 'bot',
          body: 'Tässä palvelu:',
          data: { cards: [{ kind: 'service', id: 'x', name: 'Pääkirjasto', summary: 'Lainaa kirjoja', href: '/fi/services/x', hours: 'Avoinna 10–18', lang: 'fi' }] },
        }),
      );
      await app.services.db.transaction((tx) =>
        app.services.conversations.postMessage(tx, tenantA, s.conversation.id, { authorKind: 'agent', authorName: 'Maija', internal: true, body: 'Salainen muistiinpano' }),
      );
      const r = await f(`${path(s, '/transcript')}?token=${s.token}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(r.headers.get('content-disposition')).toContain(`chat-${s.conversation.number}.txt`);
      const text = await r.text();
      expect(text).toContain(`Keskustelu #${s.conversation.number}`);
      expect(text).toMatch(/\[\d{1,2}\.\d{1,2}\.\d{4} (klo )?\d{2}[.:]\d{2}\] Sinä:\n {2}Missä on kirjasto\?/);
      expect(text).toContain('Botti:');
      expect(text).toContain('• Pääkirjasto – Lainaa kirjoja');
      expect(text).toContain('/fi/services/x');
      expect(text).not.toContain('Salainen');
      const sv = await (await f(`${path(s, '/transcript')}?lang=sv`, { headers: as(s) })).text();
      expect(sv).toContain(`Samtal #${s.conversation.number}`);
      expect(sv).toContain('Du:');
    });

    it('rates only an ended conversation; a change within 24 hours replaces, later ones are refused', async () => {
      const s = await start();
      await json('POST', path(s, '/messages'), { clientId: 'r1', body: 'Hei' }, as(s));
      const early = await json('POST', path(s, '/rating'), { score: 5 }, as(s));
      expect(early.status).toBe(409);
      const closed = await json('POST', path(s, '/close'), {}, as(s));
      expect(((await closed.json()) as { conversation: { status: string } }).conversation.status).toBe('resolved');
      expect((await json('POST', path(s, '/close'), {}, as(s))).status).toBe(200);
      for (const bad of [{ score: 6 }, { score: 0 }, { score: 'viisi' }, { score: 2.5 }, {}, { score: 4, comment: 'x'.repeat(2001) }, { score: 4, comment: 7 }]) {
        const r = await json('POST', path(s, '/rating'), bad, as(s));
        expect(r.status, JSON.stringify(bad).slice(0, 40)).toBe(400);
      }
      expect((await json('POST', path(s, '/rating'), '[1]', as(s))).status).toBe(400);
      expect((await json('POST', path(s, '/rating'), '{"score":', as(s))).status).toBe(400);
      expect((await json('POST', path(s, '/rating'), { score: 2, comment: '<script>alert(1)</script>' }, as(s))).status).toBe(200);
      expect((await json('POST', path(s, '/rating'), { score: 4, comment: 'Nopea vastaus' }, as(s))).status).toBe(200);
      const row = await app.services.db.query<{ csat_score: number; csat_comment: string }>('select csat_score, csat_comment from inbox_conversations where id = $1', [s.conversation.id]);
      expect(row.rows[0]).toEqual({ csat_score: 4, csat_comment: 'Nopea vastaus' });
      await app.services.db.query(`update inbox_conversations set csat_at = now() - interval '25 hours' where id = $1`, [s.conversation.id]);
      const late = await json('POST', path(s, '/rating'), { score: 1 }, as(s));
      expect(late.status).toBe(409);
      expect(((await late.json()) as { error: { code: string } }).error.code).toBe('conflict');
    });

    it('turns "leave a message" into an e-mail conversation in the queue', async () => {
      const r = await json('POST', '/api/v1/chat/offline-messages', { lang: 'sv', name: 'Anna', email: 'Anna@Example.fi', body: 'Hur ansöker jag om dagvård?\nTack' });
      expect(r.status).toBe(201);
      const { conversation } = (await r.json()) as { conversation: { number: number; channel: string; status: string } };
      expect(conversation).toMatchObject({ channel: 'email', status: 'pending' });
      const row = await app.services.db.query<{ id: string; contact_email: string; contact_name: string; subject: string; lang: string; handed_off_at: Date | null }>(
        'select id, contact_email, contact_name, subject, lang, handed_off_at from inbox_conversations where tenant_id = $1 and number = $2',
        [tenantA, conversation.number],
      );
      expect(row.rows[0]).toMatchObject({ contact_email: 'anna@example.fi', contact_name: 'Anna', subject: 'Hur ansöker jag om dagvård?', lang: 'sv' });
      expect(row.rows[0].handed_off_at).not.toBeNull();
      const msgs = await app.services.conversations.messagesAfter(app.services.db, tenantA, row.rows[0].id, 0, { includeInternal: true });
      expect(msgs.find((m) => m.authorKind === 'resident')?.body).toBe('Hur ansöker jag om dagvård?\nTack');
      const bad = await json('POST', '/api/v1/chat/offline-messages', { email: 'not-an-address', body: '' });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields).toEqual({ email: 'invalid', body: 'required' });
      expect((await json('POST', '/api/v1/chat/offline-messages', { email: 'a@b.fi', body: 'x', name: ['x'] })).status).toBe(400);
    });

    it('limits chat starts per address with 429 and Retry-After', async () => {
      for (let i = 0; i < CHAT_START_LIMIT.max; i++) {
        expect((await json('POST', '/api/v1/chat/conversations', { lang: 'fi' })).status).toBe(201);
      }
      const refused = await json('POST', '/api/v1/chat/conversations', { lang: 'fi' });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('too_many_requests');
      expect((await json('POST', '/api/v1/chat/offline-messages', { email: 'a@b.fi', body: 'x' })).status).toBe(429);
    });

    it('answers bad input and another tenant\'s ids with 4xx, never 500', async () => {
      const s = await start();
      expect((await json('POST', path(s, '/messages'), '{"clientId":', as(s))).status).toBe(400);
      expect((await json('POST', path(s, '/messages'), { clientId: 'bad id!', body: 'x' }, as(s))).status).toBe(400);
      expect((await json('POST', path(s, '/messages'), { clientId: "1'; drop table inbox_messages;--", body: 'x' }, as(s))).status).toBe(400);
      expect((await json('POST', path(s, '/typing'), {}, { 'x-chat-token': 'x'.repeat(30) })).status).toBe(404);
      expect((await json('POST', '/api/v1/chat/conversations/not-a-uuid/handoff', {}, as(s))).status).toBe(404);
      expect((await f(`${path(s, '/attachments/not-a-uuid')}?token=${s.token}`)).status).toBe(404);
      expect((await json('POST', '/api/v1/chat/offline-messages', 'x'.repeat(2 * 1024 * 1024))).status).toBe(413);
      const other = hostFetch(app, HOST_B);
      for (const [method, p] of [
        ['GET', path(s)],
        ['POST', path(s, '/handoff')],
        ['POST', path(s, '/typing')],
        ['POST', path(s, '/close')],
        ['POST', path(s, '/rating')],
        ['GET', path(s, '/transcript')],
      ] as const) {
        const r = await other(p, { method, headers: { ...as(s), ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) }, body: method === 'POST' ? '{}' : undefined });
        expect(r.status, `${method} ${p}`).toBe(404);
      }
    });

    it('works as a page without JavaScript: start sets the cookie, send, see the message, refresh', async () => {
      const csrf = 'c'.repeat(32);
      const form = (fields: Record<string, string>, cookie: string) =>
        f('/fi/chat', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: `http://${HOST_A}` },
          body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
        });
      const started = await form({ intent: 'start', name: 'Liisa' }, `aukio_csrf=${csrf}`);
      expect(started.status).toBe(302);
      const setCookie = started.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/aukio_chat=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
      const cookie = `aukio_csrf=${csrf}; ${setCookie.split(';')[0]}`;
      const page = await f('/fi/chat', { headers: { cookie } });
      expect(page.status).toBe(200);
      const html = await page.text();
      const clientId = /name="clientId" value="([^"]+)"/.exec(html)![1];
      expect(html).toContain('Päivitä viestit');
      expect((await form({ intent: 'send', body: 'Hei ilman skriptiä', clientId }, cookie)).status).toBe(302);
      // The same form posted twice is one message.
      expect((await form({ intent: 'send', body: 'Hei ilman skriptiä', clientId }, cookie)).status).toBe(302);
      const after = await (await f('/fi/chat', { headers: { cookie } })).text();
      expect(after.match(/<p class="chat-msg-body">Hei ilman skriptiä<\/p>/g)).toHaveLength(1);
      expect((await form({ intent: 'send', body: '', clientId: 'empty1' }, cookie)).status).toBe(400);
      expect((await form({ intent: 'close' }, cookie)).status).toBe(302);
      expect((await form({ intent: 'rate', score: '9' }, cookie)).status).toBe(400);
      expect((await form({ intent: 'rate', score: '5', comment: 'Hyvä' }, cookie)).status).toBe(302);
      // Without the CSRF field the post is refused.
      const noCsrf = await f('/fi/chat', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: 'intent=close' });
      expect(noCsrf.status).toBe(403);
    });

    it('lets only the allowed origins frame the embed page; everything else stays unframeable', async () => {
      const admin = await staffClient(app, HOST_A, 'admin@esimerkkila.fi');
      const bad = await admin.post('/fi/staff/inbox/settings', { chatEnabled: 'on', botEnabled: 'on', allowedOrigins: 'https://ok.example.fi\nhttp://evil.example.com' });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('Rivi 2');
      for (const origin of ['javascript:alert(1)', "https://x.fi 'unsafe-inline'", 'https://x.fi/path', 'https://*.example.fi']) {
        expect((await admin.post('/fi/staff/inbox/settings', { chatEnabled: 'on', allowedOrigins: origin })).status, origin).toBe(400);
      }
      const ok = await admin.post('/fi/staff/inbox/settings', {
        chatEnabled: 'on',
        botEnabled: 'on',
        autoReply: 'on',
        allowedOrigins: 'https://www.esimerkkila.fi\r\nhttp://127.0.0.1:8123/\n\n',
      });
      expect(ok.status).toBe(302);
      expect(ok.headers.get('location')).toBe('/fi/staff/inbox/settings?saved=1');
      const settings = await app.services.chat.settings(app.services.db, tenantA);
      expect(settings.allowedOrigins).toEqual(['https://www.esimerkkila.fi', 'http://127.0.0.1:8123']);
      const audit = await app.services.db.query('select 1 from audit_log where tenant_id = $1 and action = $2', [tenantA, 'inbox.settings_changed']);
      expect(audit.rows.length).toBe(1);

      const embed = await f('/fi/chat?embed=1');
      expect(embed.status).toBe(200);
      expect(embed.headers.get('content-security-policy')).toContain("frame-ancestors 'self' https://www.esimerkkila.fi http://127.0.0.1:8123");
      expect(embed.headers.get('x-frame-options')).toBeNull();
      expect(embed.headers.get('x-aukio-frame-ancestors')).toBeNull();
      const plain = await f('/fi/chat');
      expect(plain.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(plain.headers.get('x-frame-options')).toBe('DENY');
      const front = await f('/fi');
      expect(front.headers.get('x-frame-options')).toBe('DENY');

      const script = await f('/embed/chat.js');
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toContain('javascript');
      expect(await script.text()).toContain('/chat?embed=1');
      // A start from the embed records the allowed site, never an unlisted one.
      const listed = await start({ origin: 'https://www.esimerkkila.fi' });
      const unlisted = await start({ origin: 'https://evil.example.com' });
      const origins = await app.services.db.query<{ id: string; origin: string | null }>('select id, origin from inbox_conversations where id = any($1::uuid[])', [
        [listed.conversation.id, unlisted.conversation.id],
      ]);
      expect(origins.rows.find((r) => r.id === listed.conversation.id)!.origin).toBe('https://www.esimerkkila.fi');
      expect(origins.rows.find((r) => r.id === unlisted.conversation.id)!.origin).toBeNull();

      // Chat off: no start, no widget on the pages.
      expect((await admin.post('/fi/staff/inbox/settings', { allowedOrigins: '' })).status).toBe(302);
      expect((await json('POST', '/api/v1/chat/conversations', { lang: 'fi' })).status).toBe(404);
      expect((await json('POST', '/api/v1/chat/offline-messages', { email: 'a@b.fi', body: 'x' })).status).toBe(403);
      expect(await (await f('/fi')).text()).not.toContain('chat-launcher');
      await admin.post('/fi/staff/inbox/settings', { chatEnabled: 'on', botEnabled: 'on', autoReply: 'on', allowedOrigins: '' });
      expect(await (await f('/fi')).text()).toContain('chat-launcher');
      // Not for other staff.
      const agent = await staffClient(app, HOST_A, 'asiakaspalvelu@esimerkkila.fi');
      expect((await agent.get('/fi/staff/inbox/settings')).status).toBe(403);
    });
  });
}
