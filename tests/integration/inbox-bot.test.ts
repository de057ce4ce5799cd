import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/engines.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { staffClient } from '../helpers/staff-session.ts';
import type { Message } from '../../src/modules/inbox/model.ts';

/*
 * The chat bot through HTTP on both engines: a resident starts a chat, writes, and the bot's
 * answers arrive as numbered messages (polled from GET conversation). FAQ answers with the
 * linked service card, catalog cards with hours and links, hand-off when asked in fi/sv/en
 * and after two unhelpful answers, nothing invented for nonsense, the tenant switch, tenant
 * isolation of the FAQ, and the FAQ API's authorization and validation.
 */

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`inbox bot (${engine.name})`, () => {
    let app: TestApp;
    let tenantA: string;
    let tenantB: string;

    beforeAll(async () => {
      app = await startTestApp(engine.name);
      const t = await app.services.db.query<{ id: string; slug: string }>('select id, slug from tenants');
      tenantA = t.rows.find((r) => r.slug === 'esimerkkila')!.id;
      tenantB = t.rows.find((r) => r.slug === 'jarvikyla')!.id;
    }, 120_000);
    afterAll(() => app?.close());

    async function startChat(lang: 'fi' | 'sv' | 'en', host = HOST_A) {
      const f = hostFetch(app, host);
      const r = await f('/api/v1/chat/conversations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lang }) });
      expect(r.status).toBe(201);
      const { conversation, token } = (await r.json()) as { conversation: { id: string; status: string }; token: string };
      const headers = { 'x-chat-token': token, 'content-type': 'application/json' };
      let n = 0;
      const read = async () => {
        const g = await f(`/api/v1/chat/conversations/${conversation.id}`, { headers });
        expect(g.status).toBe(200);
        return (await g.json()) as { conversation: { status: string }; messages: Message[] };
      };
      /** Sends a message and waits until the bot's reply to it (client id bot-<seq>) is there. */
      const say = async (body: string): Promise<{ reply: Message; messages: Message[]; status: string }> => {
        const p = await f(`/api/v1/chat/conversations/${conversation.id}/messages`, { method: 'POST', headers, body: JSON.stringify({ clientId: `r${++n}`, body }) });
        expect(p.status).toBe(201);
        const sent = ((await p.json()) as { message: Message }).message;
        for (let i = 0; i < 100; i++) {
          const got = await read();
          const reply = got.messages.find((m) => m.clientId === `bot-${sent.seq}`);
          if (reply) return { reply, messages: got.messages, status: got.conversation.status };
          await new Promise((res) => setTimeout(res, 50));
        }
        throw new Error(`no bot reply to ${JSON.stringify(body)}`);
      };
      return { id: conversation.id, status: conversation.status, say, read, headers, f };
    }

    it('answers a daycare question from the FAQ with the linked service card, in fi, sv and en', async () => {
      const fi = await startChat('fi');
      const a = await fi.say('Miten haen päivähoitopaikkaa lapselle?');
      expect(a.reply.authorKind).toBe('bot');
      expect(a.reply.data.bot?.source).toBe('faq');
      expect(a.reply.data.bot?.score).toBeGreaterThanOrEqual(0.5);
      expect(a.reply.data.bot?.faqId).toMatch(/^[0-9a-f-]{36}$/);
      expect(a.reply.body).toContain('neljä kuukautta');
      expect(a.reply.data.cards?.[0]).toMatchObject({ kind: 'service', name: 'Varhaiskasvatukseen hakeminen', lang: 'fi' });
      expect(a.reply.data.cards![0].href).toMatch(/^\/fi\/services\/[0-9a-f-]{36}$/);
      expect(a.status).toBe('bot');

      const sv = await (await startChat('sv')).say('Hur får jag ett lånekort?');
      expect(sv.reply.data.bot?.source).toBe('faq');
      expect(sv.reply.body).toContain('lånekort');
      expect(sv.reply.data.cards?.[0].href).toMatch(/^\/sv\/services\//);

      const en = await (await startChat('en')).say('how can I get a library card');
      expect(en.reply.data.bot?.source).toBe('faq');
      expect(en.reply.body).toContain('library card');
    });

    it('shows catalog cards with a link and today\'s hours when no FAQ entry fits', async () => {
      const c = await startChat('fi');
      const r = await c.say('kaupunginmuseo');
      expect(r.reply.data.bot?.source).toBe('catalog');
      expect(r.reply.body).toBe('Näistä palveluista voi olla apua:');
      const cards = r.reply.data.cards!;
      expect(cards.length).toBeGreaterThan(0);
      expect(cards.length).toBeLessThanOrEqual(3);
      expect(cards.some((x) => /museo/i.test(x.name))).toBe(true);
      for (const card of cards) expect(card.href).toMatch(/^\/fi\/(services|units|pages)\//);
      // The museum has opening hours in the catalog: a card says whether it is open today.
      expect(cards.some((x) => x.hours && /(Avoinna|Suljettu)/.test(x.hours))).toBe(true);
      // The link is the resident page of that item.
      const page = await c.f(cards[0].href);
      expect(page.status).toBe(200);
    });

    it.each([
      ['fi', 'haluan puhua ihmisen kanssa', 'asiakaspalvelijalle'],
      ['sv', 'jag vill prata med en människa', 'kundtjänstmedarbetare'],
      ['en', 'I want to talk to a person', 'customer service agent'],
    ] as const)('hands off when asked (%s)', async (lang, text, phrase) => {
      const c = await startChat(lang);
      const r = await c.say(text);
      expect(r.reply.data.bot?.source).toBe('handoff');
      expect(r.reply.body).toContain(phrase);
      const after = await c.read();
      expect(['pending', 'open']).toContain(after.conversation.status);
      const handoff = after.messages.find((m) => m.authorKind === 'system' && m.data.event?.kind === 'handoff');
      expect(handoff?.data.event?.reason).toBe('asked');
      // A person has it now: the bot stays quiet.
      await c.f(`/api/v1/chat/conversations/${c.id}/messages`, { method: 'POST', headers: c.headers, body: JSON.stringify({ clientId: 'later', body: 'kirjastokortti' }) });
      await new Promise((res) => setTimeout(res, 300));
      expect((await c.read()).messages.filter((m) => m.authorKind === 'bot')).toHaveLength(1);
    });

    it('invents nothing for nonsense and hands off by itself after two unhelpful answers', async () => {
      const c = await startChat('fi');
      const first = await c.say('qwxz blorf snargle');
      expect(first.reply.data.bot?.source).toBe('miss');
      expect(first.reply.data.cards).toBeUndefined();
      expect(first.reply.body).toContain('haluan puhua ihmisen kanssa');
      expect(first.status).toBe('bot');
      let row = await app.services.conversations.get(app.services.db, tenantA, c.id);
      expect(row?.botMisses).toBe(1);

      // A good answer resets the count.
      const good = await c.say('kirjastokortti');
      expect(good.reply.data.bot?.source).toBe('faq');
      row = await app.services.conversations.get(app.services.db, tenantA, c.id);
      expect(row?.botMisses).toBe(0);

      const unhelpful = await c.say('ei auttanut');
      expect(unhelpful.reply.data.bot?.source).toBe('miss');
      expect(unhelpful.status).toBe('bot');
      const second = await c.say('zzkrp vvoonx');
      expect(second.reply.data.bot?.source).toBe('handoff');
      const after = await c.read();
      expect(after.conversation.status).not.toBe('bot');
      expect(after.messages.find((m) => m.data.event?.kind === 'handoff')?.data.event?.reason).toBe('bot_gave_up');
    });

    it('answers a Swedish chat on a Finnish-only tenant from its Finnish entry, marked as Finnish, with Finnish links', async () => {
      const c = await startChat('sv', HOST_B);
      const r = await c.say('Miten otan yhteyttä kuntaan?');
      expect(r.reply.data.bot?.source).toBe('faq');
      expect(r.reply.data.bot?.lang).toBe('fi');
      expect(r.reply.body).toContain('alalaidassa');
      expect(r.reply.authorName).toBe('Chattbot');
    });

    it('summarises what the bot answered per conversation for the agent inbox', async () => {
      const c = await startChat('fi');
      await c.say('kirjastokortti');
      await c.say('qwxz blorf');
      const other = await startChat('fi', HOST_B);
      await other.say('kunnan yhteystiedot');
      const m = await app.services.chatBot.summaries(app.services.db, tenantA, [c.id, other.id, 'not-a-uuid']);
      expect(m.get(c.id)).toMatchObject({ counts: { faq: 1, miss: 1, catalog: 0 }, last: 'miss' });
      // Another tenant's conversation is not summarised for this tenant.
      expect(m.has(other.id)).toBe(false);
      const label = app.services.chatBot.describe((await c.read()).messages.find((x) => x.authorKind === 'bot')!, 'en');
      expect(label).toMatch(/^Bot: frequently asked question \(match /);
    });

    it('answers thanks and greetings politely without counting a miss', async () => {
      const c = await startChat('fi');
      const hello = await c.say('Hei!');
      expect(hello.reply.data.bot?.source).toBe('greeting');
      const thanks = await c.say('kiitos');
      expect(thanks.reply.data.bot?.source).toBe('greeting');
      expect(thanks.reply.body).toContain('Ole hyvä');
      expect((await app.services.conversations.get(app.services.db, tenantA, c.id))?.botMisses).toBe(0);
    });

    it('answers once even when the hook runs twice for the same message', async () => {
      const c = await startChat('fi');
      const r = await c.say('kirjastokortti');
      const conv = (await app.services.conversations.get(app.services.db, tenantA, c.id))!;
      const resident = r.messages.find((m) => m.authorKind === 'resident')!;
      await app.services.chatBot.handle(conv, resident);
      expect((await c.read()).messages.filter((m) => m.authorKind === 'bot')).toHaveLength(1);
    });

    it('says nothing when the tenant has switched the bot off, and a stranded bot chat goes to a person', async () => {
      await app.services.db.query('update inbox_settings set bot_enabled = false where tenant_id = $1', [tenantA]);
      try {
        const c = await startChat('fi');
        expect(c.status).not.toBe('bot');
        // Even a conversation still in the bot stage gets no bot answer while it is off.
        const { conversation } = await app.services.db.transaction((tx) =>
          app.services.conversations.start(tx, tenantA, { channel: 'chat', lang: 'fi', status: 'bot', withVisitorToken: true }),
        );
        const posted = await app.services.db.transaction((tx) =>
          app.services.conversations.postMessage(tx, tenantA, conversation.id, { clientId: 'x1', authorKind: 'resident', body: 'kirjastokortti' }),
        );
        await app.services.conversations.residentMessageCommitted(posted.conversation, posted.message);
        const all = await app.services.conversations.messagesAfter(app.services.db, tenantA, conversation.id, 0, { includeInternal: true });
        expect(all.filter((m) => m.authorKind === 'bot')).toHaveLength(0);
        // …and the message is not stranded with a switched-off bot: a person's queue has it.
        const after = await app.services.conversations.get(app.services.db, tenantA, conversation.id);
        expect(['pending', 'open']).toContain(after?.status);
        expect(all.find((m) => m.data.event?.kind === 'handoff')?.data.event?.reason).toBe('direct');
      } finally {
        await app.services.db.query('update inbox_settings set bot_enabled = true where tenant_id = $1', [tenantA]);
      }
    });

    it('keeps each tenant\'s FAQ to itself', async () => {
      // Järvikylä has no library-card entry: its bot must not answer with Esimerkkilä's.
      const b = await startChat('fi', HOST_B);
      const r = await b.say('Miten saan kirjastokortin?');
      expect(r.reply.data.bot?.source).not.toBe('faq');
      const own = await b.say('Miten otan yhteyttä kirjaamoon?');
      expect(own.reply.data.bot?.source).toBe('faq');
      const entry = await app.services.db.query<{ tenant_id: string }>('select tenant_id from inbox_faq_entries where id = $1', [own.reply.data.bot?.faqId]);
      expect(entry.rows[0].tenant_id).toBe(tenantB);

      // An entry id of tenant A is a missing id on tenant B's API.
      const a = await staffClient(app, HOST_A, 'asiakaspalvelu@esimerkkila.fi');
      const items = ((await (await a.api('GET', '/api/v1/inbox/faq')).json()) as { items: { id: string }[] }).items;
      const adminB = await staffClient(app, HOST_B, 'admin@jarvikyla.fi');
      expect((await adminB.api('GET', `/api/v1/inbox/faq/${items[0].id}`)).status).toBe(404);
      expect((await adminB.api('PATCH', `/api/v1/inbox/faq/${items[0].id}`, { active: false })).status).toBe(404);
      expect((await adminB.api('DELETE', `/api/v1/inbox/faq/${items[0].id}`)).status).toBe(404);
      const listB = ((await (await adminB.api('GET', '/api/v1/inbox/faq')).json()) as { items: { id: string }[] }).items;
      expect(listB.some((x) => x.id === items[0].id)).toBe(false);
    });

    it('FAQ API: create, try, change, delete with audit; the bot uses a new entry at once', async () => {
      const cs = await staffClient(app, HOST_A, 'viestinta@esimerkkila.fi');
      const created = await cs.api('POST', '/api/v1/inbox/faq', {
        questions: { fi: ['Milloin kirpputori on auki?', 'kirpputorin aukioloajat'], sv: ['När är loppmarknaden öppen?'] },
        answers: { fi: 'Kirpputori on auki kaupungin tapahtumakalenterissa kerrottuina päivinä.', sv: 'Loppmarknaden är öppen de dagar som anges i stadens evenemangskalender.' },
      });
      expect(created.status).toBe(201);
      const entry = (await created.json()) as { id: string; updatedAt: string; active: boolean };
      expect(entry.active).toBe(true);

      const tried = await cs.api('GET', `/api/v1/inbox/faq/try?q=${encodeURIComponent('kirpputorin aukioloajat')}&lang=fi`);
      expect(tried.status).toBe(200);
      const t = (await tried.json()) as { source: string; faq: { id: string; score: number }; body: string };
      expect(t.source).toBe('faq');
      expect(t.faq.id).toBe(entry.id);
      // Swedish conversation, Finnish question: answered in Swedish (the entry has it).
      const sv = await (await startChat('sv')).say('kirpputorin aukioloajat');
      expect(sv.reply.data.bot?.faqId).toBe(entry.id);
      expect(sv.reply.body).toContain('Loppmarknaden');
      expect(sv.reply.data.bot?.lang).toBeUndefined();
      // English conversation: no English answer, so the Finnish one, marked as Finnish.
      const en = await (await startChat('en')).say('kirpputorin aukioloajat');
      expect(en.reply.data.bot?.faqId).toBe(entry.id);
      expect(en.reply.data.bot?.lang).toBe('fi');

      const stale = await cs.api('PATCH', `/api/v1/inbox/faq/${entry.id}`, { active: false, updatedAt: '2000-01-01T00:00:00.000Z' });
      expect(stale.status).toBe(409);
      const off = await cs.api('PATCH', `/api/v1/inbox/faq/${entry.id}`, { active: false, updatedAt: entry.updatedAt });
      expect(off.status).toBe(200);
      const after = await (await startChat('fi')).say('kirpputorin aukioloajat');
      expect(after.reply.data.bot?.faqId).not.toBe(entry.id);

      expect((await cs.api('DELETE', `/api/v1/inbox/faq/${entry.id}`)).status).toBe(204);
      expect((await cs.api('GET', `/api/v1/inbox/faq/${entry.id}`)).status).toBe(404);
      const audit = await app.services.db.query<{ action: string }>(
        `select action from audit_log where tenant_id = $1 and target_id = $2 order by at`,
        [tenantA, entry.id],
      );
      expect(audit.rows.map((r) => r.action)).toEqual(['inbox.faq_created', 'inbox.faq_updated', 'inbox.faq_deleted']);
    });

    it('FAQ API authorization: 401 anonymous, 403 moderator and unit staff, CSRF required', async () => {
      const anon = hostFetch(app, HOST_A);
      expect((await anon('/api/v1/inbox/faq')).status).toBe(401);
      expect((await anon('/api/v1/inbox/faq/try?q=x')).status).toBe(401);
      const mod = await staffClient(app, HOST_A, 'moderaattori@esimerkkila.fi');
      const r = await mod.api('GET', '/api/v1/inbox/faq');
      expect(r.status).toBe(403);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('forbidden');
      expect((await mod.api('POST', '/api/v1/inbox/faq', { questions: { fi: ['x'] }, answers: { fi: 'y' } })).status).toBe(403);
      const unit = await staffClient(app, HOST_A, 'paivakoti@esimerkkila.fi');
      expect((await unit.api('GET', '/api/v1/inbox/faq')).status).toBe(403);
      const cs = await staffClient(app, HOST_A, 'asiakaspalvelu@esimerkkila.fi');
      expect((await cs.api('POST', '/api/v1/inbox/faq', { questions: { fi: ['x'] }, answers: { fi: 'y' } }, { csrf: false })).status).toBe(403);
    });

    it('FAQ API refuses bad input with 4xx and the error shape', async () => {
      const cs = await staffClient(app, HOST_A, 'asiakaspalvelu@esimerkkila.fi');
      const bad = async (body: unknown, field?: string) => {
        const r = await cs.api('POST', '/api/v1/inbox/faq', body);
        expect(r.status).toBe(400);
        const e = (await r.json()) as { error: { code: string; fields?: Record<string, string> } };
        expect(e.error.code).toBe('validation_failed');
        if (field) expect(Object.keys(e.error.fields ?? {})).toContain(field);
      };
      await bad({ questions: {}, answers: { fi: 'x' } }, 'questions');
      await bad({ questions: { fi: ['kysymys'] }, answers: {} }, 'answers.fi');
      await bad({ questions: { fi: 'not a list' }, answers: { fi: 'x' } });
      await bad({ questions: { fi: ['kysymys'] }, answers: { fi: '<script>alert(1)</script>' } }, 'answers.fi');
      await bad({ questions: { fi: ['kysymys'] }, answers: { fi: 'x' }, serviceId: "1' or '1'='1" }, 'serviceId');
      await bad({ questions: { fi: ['kysymys'] }, answers: { fi: 'x' }, serviceId: '00000000-0000-4000-8000-000000000000' }, 'serviceId');
      await bad({ questions: { fi: ['kysymys'] }, answers: { fi: 'x'.repeat(5000) } }, 'answers.fi');
      await bad({ questions: { xx: ['kysymys'] }, answers: { fi: 'x' } });
      await bad('just a string');
      const malformed = await hostFetch(app, HOST_A)('/api/v1/inbox/faq', { method: 'POST', headers: cs.json, body: '{"questions":' });
      expect(malformed.status).toBe(400);
      expect((await cs.api('GET', '/api/v1/inbox/faq/not-a-uuid')).status).toBe(404);
      expect((await cs.api('PUT', '/api/v1/inbox/faq/00000000-0000-4000-8000-000000000000', { questions: { fi: ['x'] }, answers: { fi: 'y' } })).status).toBe(404);
      expect((await cs.api('GET', '/api/v1/inbox/faq/try')).status).toBe(400);
      expect((await cs.api('GET', '/api/v1/inbox/faq/try?q=x&lang=de')).status).toBe(400);
      // Another tenant's service cannot be linked.
      const other = await app.services.db.query<{ id: string }>(`select id from catalog_services where tenant_id <> $1 limit 1`, [tenantA]);
      if (other.rows[0]) await bad({ questions: { fi: ['kysymys'] }, answers: { fi: 'x' }, serviceId: other.rows[0].id }, 'serviceId');
    });
  });
}
