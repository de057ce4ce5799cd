import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/engines.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';

/*
 * A resident's contacts follow them when they sign in, on both engines: conversations
 * whose contact address is the resident's verified e-mail (e-mail code sign-in; not a
 * Suomi.fi resident's self-declared address; not another tenant's; never one that is
 * already someone else's), the chat of the browser's aukio_chat cookie, and
 * POST /api/v1/chat/link with X-Chat-Token + CSRF. Then "My conversations" lists only
 * their own and shows no internal notes.
 */

const CSRF = 'linking-test-csrf-token-0123456789';

/** A browser on a tenant host: a cookie jar with a CSRF cookie the test chose. */
function browser(app: TestApp, host: string) {
  const jar = new Map<string, string>([['aukio_csrf', CSRF]]);
  const f = hostFetch(app, host);
  const request = async (path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) => {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const r = await f(path, { ...init, headers: { cookie, ...(init.headers ?? {}) } });
    for (const sc of r.headers.getSetCookie()) {
      const [kv] = sc.split(';');
      const i = kv.indexOf('=');
      const value = kv.slice(i + 1);
      if (!value || /max-age=0/i.test(sc)) jar.delete(kv.slice(0, i));
      else jar.set(kv.slice(0, i), value);
    }
    return r;
  };
  const post = (path: string, fields: Record<string, string>) =>
    request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: CSRF, ...fields }).toString() });
  return { jar, request, post };
}

async function mailedCode(app: TestApp, to: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const r = await app.services.db.query<{ body_text: string }>('select body_text from outbox_messages where recipient = $1 order by created_at desc limit 1', [to]);
    if (r.rows[0]) return /\b(\d{6})\b/.exec(r.rows[0].body_text)![1];
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`no code mailed to ${to}`);
}

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`inbox linking (${engine.name})`, () => {
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

    const start = (tenantId: string, opts: { email?: string; residentId?: string; token?: boolean } = {}) =>
      app.services.db.transaction((tx) =>
        app.services.conversations.start(tx, tenantId, {
          channel: opts.token ? 'chat' : 'email',
          lang: 'fi',
          status: 'pending',
          contactEmail: opts.email,
          residentId: opts.residentId,
          withVisitorToken: opts.token,
        }),
      );
    const residentOf = async (id: string) =>
      (await app.services.db.query<{ resident_id: string | null }>('select resident_id from inbox_conversations where id = $1', [id])).rows[0].resident_id;

    it('links conversations from the verified address at e-mail sign-in, and nothing else', async () => {
      const email = `linkki.${engine.name}@example.fi`;
      const mine1 = await start(tenantA, { email });
      const mine2 = await start(tenantA, { email: email.toUpperCase() });
      const otherTenant = await start(tenantB, { email });
      const otherAddress = await start(tenantA, { email: `toinen.${engine.name}@example.fi` });
      // Already someone's: a strong resident who gave this address earlier.
      const someone = await app.services.db.query<{ id: string }>(
        `insert into residents (tenant_id, assurance, national_id, email) values ($1, 'strong', $2, $3) returning id`,
        [tenantA, engine.name === 'pglite' ? '010101A998X' : '020202A998X', email],
      );
      const taken = await start(tenantA, { email, residentId: someone.rows[0].id });

      const b = browser(app, HOST_A);
      const req = await b.post('/fi/sign-in/email', { email, next: '/fi/my' });
      expect(req.status).toBe(302);
      const verifyUrl = req.headers.get('location')!;
      const c = new URL(verifyUrl, 'http://x').searchParams.get('c')!;
      const ok = await b.post(verifyUrl, { c, code: await mailedCode(app, email), next: '/fi/my' });
      expect(ok.status).toBe(302);
      const resident = await app.services.db.query<{ id: string }>(`select id from residents where tenant_id = $1 and assurance = 'weak' and lower(email) = $2`, [tenantA, email]);
      const residentId = resident.rows[0].id;

      expect(await residentOf(mine1.conversation.id)).toBe(residentId);
      expect(await residentOf(mine2.conversation.id)).toBe(residentId);
      expect(await residentOf(otherTenant.conversation.id)).toBeNull();
      expect(await residentOf(otherAddress.conversation.id)).toBeNull();
      expect(await residentOf(taken.conversation.id)).toBe(someone.rows[0].id);
      const audit = await app.services.db.query<{ details: { by: string; count: number } }>(
        `select details from audit_log where tenant_id = $1 and action = 'inbox.conversations_linked' and target_id = $2`,
        [tenantA, residentId],
      );
      expect(audit.rows.map((r) => r.details)).toEqual([{ by: 'verified_email', count: 2 }]);

      // My conversations: the two, newest first; the other resident's is a 404.
      const list = await b.request('/fi/my/conversations');
      expect(list.status).toBe(200);
      const html = await list.text();
      expect(html).toContain(`#${mine1.conversation.number}`);
      expect(html).toContain(`#${mine2.conversation.number}`);
      expect(html).not.toContain(`#${taken.conversation.number}`);
      expect((await b.request(`/fi/my/conversations/${taken.conversation.id}`)).status).toBe(404);
      expect((await b.request('/fi/my/conversations/not-a-uuid')).status).toBe(404);
    });

    it("does not link by a Suomi.fi resident's self-declared address, but links the browser's chat", async () => {
      const address = `itse.${engine.name}@example.fi`;
      const byAddress = await start(tenantA, { email: address });
      const chat = await start(tenantA, { token: true });
      const { db, conversations } = app.services;
      await db.transaction((tx) => conversations.postMessage(tx, tenantA, chat.conversation.id, { clientId: 'a1', authorKind: 'resident', body: 'Kysymys <script>alert(1)</script>' }));
      await db.transaction((tx) => conversations.postMessage(tx, tenantA, chat.conversation.id, { authorKind: 'agent', authorName: 'Sanna', internal: true, body: 'Salainen muistiinpano' }));
      await db.transaction((tx) => conversations.postMessage(tx, tenantA, chat.conversation.id, { authorKind: 'agent', authorName: 'Sanna', body: 'Vastaus' }));
      const person = engine.name === 'pglite' ? '210281-9988' : '081181-9984';
      await db.query(`insert into residents (tenant_id, assurance, national_id, email) values ($1, 'strong', $2, $3) on conflict (tenant_id, national_id) do update set email = $3`, [
        tenantA,
        person,
        address,
      ]);

      const b = browser(app, HOST_A);
      b.jar.set('aukio_chat', chat.token!);
      const signIn = await b.post('/fi/dev-idp', { person, next: '/fi/my' });
      expect(signIn.status).toBe(302);
      const residentId = (await db.query<{ id: string }>('select id from residents where tenant_id = $1 and national_id = $2', [tenantA, person])).rows[0].id;
      expect(await residentOf(chat.conversation.id)).toBe(residentId);
      expect(await residentOf(byAddress.conversation.id)).toBeNull();

      const page = await b.request(`/fi/my/conversations/${chat.conversation.id}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toContain('no-store');
      const html = await page.text();
      expect(html).toContain('Vastaus');
      expect(html).toContain('Kysymys &lt;script&gt;');
      expect(html).not.toContain('<script>alert(1)');
      expect(html).not.toContain('Salainen muistiinpano');
      // The sv page has the same conversation in Swedish words.
      expect(await (await b.request('/sv/my/conversations')).text()).toContain('Mina samtal');
    });

    it('POST /api/v1/chat/link: resident session, CSRF and the chat token; never someone else’s chat', async () => {
      const chat = await start(tenantA, { token: true });
      const anonymous = browser(app, HOST_A);
      const call = (b: ReturnType<typeof browser>, headers: Record<string, string>) =>
        b.request('/api/v1/chat/link', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
      expect((await call(anonymous, { 'x-chat-token': chat.token!, 'x-csrf-token': CSRF })).status).toBe(401);

      const b = browser(app, HOST_A);
      const person = engine.name === 'pglite' ? '311299-999E' : '010280-952L';
      expect((await b.post('/fi/dev-idp', { person, next: '/fi/my' })).status).toBe(302);
      expect((await call(b, { 'x-chat-token': chat.token! })).status).toBe(403);
      const wrong = await call(b, { 'x-chat-token': 'x'.repeat(32), 'x-csrf-token': CSRF });
      expect(wrong.status).toBe(404);
      expect((await wrong.json()).error.code).toBe('not_found');
      const ok = await call(b, { 'x-chat-token': chat.token!, 'x-csrf-token': CSRF });
      expect(ok.status).toBe(200);
      const body = await ok.json();
      expect(body).toMatchObject({ linked: true, conversation: { id: chat.conversation.id, number: chat.conversation.number, channel: 'chat' } });
      const again = await call(b, { 'x-chat-token': chat.token!, 'x-csrf-token': CSRF });
      expect((await again.json()).linked).toBe(false);

      // Another resident holding the same token cannot take it over.
      const other = browser(app, HOST_A);
      expect((await other.post('/fi/dev-idp', { person: engine.name === 'pglite' ? '010280-952L' : '311299-999E', next: '/fi/my' })).status).toBe(302);
      expect((await call(other, { 'x-chat-token': chat.token!, 'x-csrf-token': CSRF })).status).toBe(404);
      // Nor from another tenant's host.
      const onB = browser(app, HOST_B);
      await onB.post('/fi/dev-idp', { person, next: '/fi/my' });
      expect((await call(onB, { 'x-chat-token': chat.token!, 'x-csrf-token': CSRF })).status).toBe(404);
      // Signed out, the page asks to sign in.
      const out = await anonymous.request('/fi/my/conversations');
      expect(out.status).toBe(302);
      expect(out.headers.get('location')).toBe('/fi/sign-in?next=%2Ffi%2Fmy%2Fconversations');
    });
  });
}
