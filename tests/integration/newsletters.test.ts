import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import type { EmailAdapter, EmailMessage, HandOver } from '../../src/adapters/email/email.ts';
import type { NewsItem } from '../../src/modules/newsroom/model.ts';
import { engines } from '../helpers/engines.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { staffClient } from '../helpers/staff-session.ts';
import { smtpSession, startSmtpSink, type SinkMessage, type SmtpSink } from '../helpers/smtp-sink.ts';

/*
 * Newsletters end to end on both engines. The app sends over real SMTP (the bulk
 * SmtpPool) to an SMTP sink run here, which refuses some recipients with 550 (a hard
 * bounce at send time); delivery reports come back through the app's inbound SMTP
 * listener to the VERP address of the message. Residents use the pages as a browser
 * without JavaScript would (form posts); staff use the console's forms.
 */

const CSRF = 'newsletter-test-csrf-token-0123456789';
const waitUntil = async (cond: () => Promise<boolean> | boolean, timeoutMs = 30_000, stepMs = 100) => {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error('condition not met in time');
};

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`newsletters (${engine.name})`, () => {
    let app: TestApp;
    let sink: SmtpSink;
    let tenantA: string;
    let tenantB: string;
    let editor: Awaited<ReturnType<typeof staffClient>>;
    let publisher: Awaited<ReturnType<typeof staffClient>>;
    let adminB: Awaited<ReturnType<typeof staffClient>>;
    const clock = new ManualClock();
    let fetchA: ReturnType<typeof hostFetch>;

    beforeAll(async () => {
      sink = await startSmtpSink({ rejectRecipient: (a) => (a.startsWith('no-such-user') ? 550 : undefined) });
      app = await startTestApp(engine.name, {
        clock,
        env: {
          INBOUND_SMTP_PORT: '0',
          EMAIL_ADAPTER: 'smtp',
          SMTP_URL: sink.url,
          EMAIL_FROM: 'Aukio <no-reply@aukio.test>',
          NEWSLETTER_RATE_PER_SECOND: '0',
          NEWSLETTER_SMTP_CONNECTIONS: '3',
          NEWSLETTER_SUBSCRIBE_RATE_PER_IP_HOUR: '1000',
        },
      });
      await app.services.inboundMail.startSmtp();
      const t = await app.services.db.query<{ id: string; slug: string }>('select id, slug from tenants');
      tenantA = t.rows.find((r) => r.slug === 'esimerkkila')!.id;
      tenantB = t.rows.find((r) => r.slug === 'jarvikyla')!.id;
      editor = await staffClient(app, HOST_A, 'viestinta@esimerkkila.fi');
      publisher = await staffClient(app, HOST_A, 'julkaisija@esimerkkila.fi');
      adminB = await staffClient(app, HOST_B, 'admin@jarvikyla.fi');
      fetchA = hostFetch(app, HOST_A);
    }, 120_000);
    afterAll(async () => {
      await app?.services.newsletters.close();
      await app?.services.inboundMail.close();
      await app?.close();
      await sink?.close();
    });

    const db = () => app.services.db;
    const to = (address: string) => sink.messages.filter((m) => m.envelopeTo.includes(address));
    /** A form post as a browser without JavaScript: the CSRF cookie and field, no session. */
    const residentPost = (path: string, fields: [string, string][]) => {
      const body = new URLSearchParams([['_csrf', CSRF], ...fields]).toString();
      return fetchA(path, { method: 'POST', headers: { cookie: `aukio_csrf=${CSRF}`, 'content-type': 'application/x-www-form-urlencoded' }, body });
    };
    const linkIn = (m: SinkMessage, re: RegExp) => {
      const found = re.exec(m.parsed.text ?? '');
      if (!found) throw new Error(`no link ${re} in ${m.parsed.text}`);
      return new URL(found[0]);
    };
    /** Confirmed subscribers straight into the table (for the sending tests). */
    const addSubscribers = async (prefix: string, n: number, extra: { topics?: string[]; frequency?: string; language?: string } = {}) => {
      await db().query(
        `insert into newsletter_subscribers (tenant_id, email, email_norm, language, topics, frequency, status, origin, confirmed_at, last_digest_at)
         select $1, $2 || g || '@example.org', $2 || g || '@example.org', $4, $5, $6, 'confirmed', 'http://esimerkkila.localhost', now(), now()
         from generate_series(1, $3) g`,
        [tenantA, prefix, n, extra.language ?? 'fi', extra.topics ?? ['liikenne'], extra.frequency ?? 'weekly'],
      );
    };
    const publish = async (title: Record<string, string>, topics: string[]) => {
      const r = await editor.api('POST', '/api/v1/news/items', { kind: 'news', title, lead: { fi: 'Ingressi.' }, topics });
      expect(r.status, await r.clone().text()).toBe(201);
      const item = (await r.json()) as NewsItem;
      expect((await editor.api('POST', `/api/v1/news/items/${item.id}/transitions`, { action: 'submit' })).status).toBe(200);
      const p = await publisher.api('POST', `/api/v1/news/items/${item.id}/transitions`, { action: 'approve', publish: true });
      expect(p.status, await p.clone().text()).toBe(200);
      return (await p.json()) as NewsItem;
    };
    const createCampaign = async (fields: Record<string, string | string[]>) => {
      const r = await editor.post('/fi/staff/newsletters/new', { intent: 'save', subject_fi: 'Kirje', subject_sv: 'Brev', intro_fi: 'Hei!', intro_sv: 'Hej!', ...fields });
      expect(r.status, await r.clone().text()).toBe(302);
      return /\/newsletters\/([0-9a-f-]{36})/.exec(r.headers.get('location')!)![1];
    };
    const report = (id: string) => app.services.newsletters.report(tenantA, id);

    it('double opt-in: nothing but the confirmation before the link; the same answer for a known address; confirming starts it', async () => {
      const email = 'Maija.Meikalainen@example.org';
      const form: [string, string][] = [
        ['email', email],
        ['topics', 'liikenne'],
        ['topics', 'kulttuuri'],
        ['frequency', 'instant'],
        ['language', 'fi'],
      ];
      const r = await residentPost('/fi/subscribe', form);
      expect(r.status).toBe(302);
      expect(r.headers.get('location')).toBe('/fi/subscribe?sent=1');
      const mail = await sink.waitFor((m) => m.envelopeTo.includes(email) && /Vahvista/.test(m.parsed.subject ?? ''));
      const row = await db().query<{ status: string }>('select status from newsletter_subscribers where email_norm = $1', [email.toLowerCase()]);
      expect(row.rows[0].status).toBe('pending');
      // The page confirms with a button (a link scanner's GET changes nothing).
      const link = linkIn(mail, /http\S+\/fi\/subscribe\/confirm\/\S+/);
      const page = await fetchA(link.pathname);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Vahvista tilaus');
      expect((await db().query<{ status: string }>('select status from newsletter_subscribers where email_norm = $1', [email.toLowerCase()])).rows[0].status).toBe('pending');
      // Bad input comes back as a 400 with the field; unknown topics too.
      expect((await residentPost('/fi/subscribe', [['email', 'not-an-address'], ['topics', 'liikenne'], ['frequency', 'instant'], ['language', 'fi']])).status).toBe(400);
      expect((await residentPost('/fi/subscribe', [['email', 'x@example.org'], ['topics', 'no-such-topic'], ['frequency', 'instant'], ['language', 'fi']])).status).toBe(400);

      const confirmed = await residentPost(link.pathname, []);
      expect(confirmed.status).toBe(302);
      const prefs = confirmed.headers.get('location')!;
      expect(prefs).toMatch(/^\/fi\/subscriptions\/[\w-]+\?notice=confirmed$/);
      const s = await db().query<{ status: string; topics: string[]; frequency: string }>('select status, topics, frequency from newsletter_subscribers where email_norm = $1', [
        email.toLowerCase(),
      ]);
      expect(s.rows[0]).toMatchObject({ status: 'confirmed', frequency: 'instant' });
      expect(s.rows[0].topics.sort()).toEqual(['kulttuuri', 'liikenne']);

      // Subscribing a confirmed address again: the same answer, and a new link, but nothing changes until it is opened.
      const again = await residentPost('/fi/subscribe', [['email', email], ['topics', 'hairiot'], ['frequency', 'weekly'], ['language', 'fi']]);
      expect(again.status).toBe(302);
      expect(again.headers.get('location')).toBe('/fi/subscribe?sent=1');
      await waitUntil(() => to(email).length === 2);
      expect((await db().query<{ frequency: string }>('select frequency from newsletter_subscribers where email_norm = $1', [email.toLowerCase()])).rows[0].frequency).toBe('instant');
    });

    it('rate-limits subscribe requests per address with 429, the same for known and unknown addresses', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await residentPost('/fi/subscribe', [['email', 'limit@example.org'], ['topics', 'liikenne'], ['frequency', 'daily'], ['language', 'fi']])).status);
      expect(statuses.slice(0, 5)).toEqual([302, 302, 302, 302, 302]);
      expect(statuses[5]).toBe(429);
    });

    it('the preference page changes topics, frequency and language; bad input is a 400', async () => {
      await addSubscribers('prefs', 1, { topics: ['liikenne'], frequency: 'instant' });
      const id = (await db().query<{ id: string }>(`select id from newsletter_subscribers where email_norm = 'prefs1@example.org'`)).rows[0].id;
      const token = app.services.subscriptions.linkTokens.make('prefs', id);
      const page = await fetchA(`/fi/subscriptions/${token}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toContain('no-store');
      const saved = await residentPost(`/fi/subscriptions/${token}`, [['topics', 'kulttuuri'], ['frequency', 'weekly'], ['language', 'sv']]);
      expect(saved.status).toBe(302);
      expect(saved.headers.get('location')).toBe(`/sv/subscriptions/${token}?notice=saved`);
      const row = await db().query<{ topics: string[]; frequency: string; language: string }>('select topics, frequency, language from newsletter_subscribers where id = $1', [id]);
      expect(row.rows[0]).toEqual({ topics: ['kulttuuri'], frequency: 'weekly', language: 'sv' });
      expect((await residentPost(`/fi/subscriptions/${token}`, [['frequency', 'hourly'], ['language', 'fi']])).status).toBe(400);
      expect((await fetchA(`/fi/subscriptions/${token.slice(0, -3)}abc`)).status).toBe(404);
    });

    it('RFC 8058: POST List-Unsubscribe=One-Click without cookies unsubscribes with 200; GET leads to a confirm page', async () => {
      await addSubscribers('oneclick', 1);
      const id = (await db().query<{ id: string }>(`select id from newsletter_subscribers where email_norm = 'oneclick1@example.org'`)).rows[0].id;
      const token = app.services.subscriptions.linkTokens.make('unsub', id);
      const get = await fetchA(`/unsubscribe/${token}`);
      expect(get.status).toBe(303);
      expect(get.headers.get('location')).toBe(`/fi/unsubscribe/${token}`);
      const page = await fetchA(`/fi/unsubscribe/${token}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(`action="/unsubscribe/${token}"`);
      const post = await fetchA(`/unsubscribe/${token}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      expect(post.status).toBe(200);
      expect((await db().query<{ status: string }>('select status from newsletter_subscribers where id = $1', [id])).rows[0].status).toBe('unsubscribed');
      // Again: still 200 (idempotent); a forged token: 404.
      expect((await fetchA(`/unsubscribe/${token}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })).status).toBe(200);
      const bad = await fetchA(`/unsubscribe/${token.slice(0, -4)}abcd`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      expect(bad.status).toBe(404);
    });

    it('publishing an item notifies confirmed instant subscribers of its topics in its languages, with the unsubscribe headers and link', async () => {
      await addSubscribers('instant', 2, { topics: ['hairiot'], frequency: 'instant' });
      await addSubscribers('instantsv', 1, { topics: ['hairiot'], frequency: 'instant', language: 'sv' });
      await addSubscribers('instanten', 1, { topics: ['hairiot'], frequency: 'instant', language: 'en' });
      await addSubscribers('daily', 1, { topics: ['hairiot'], frequency: 'daily' });
      await addSubscribers('othertopic', 1, { topics: ['kulttuuri'], frequency: 'instant' });
      const item = await publish({ fi: 'Vesikatko Keskuskadulla', sv: 'Vattenavbrott på Centralgatan' }, ['hairiot']);
      const m = await sink.waitFor((x) => x.envelopeTo.includes('instant1@example.org'));
      await sink.waitFor((x) => x.envelopeTo.includes('instant2@example.org'));
      const sv = await sink.waitFor((x) => x.envelopeTo.includes('instantsv1@example.org'));
      expect(m.parsed.subject).toBe('Vesikatko Keskuskadulla');
      expect(sv.parsed.subject).toBe('Vattenavbrott på Centralgatan');
      expect(m.header('list-unsubscribe')).toMatch(/^<http:\/\/esimerkkila\.localhost\/unsubscribe\/[\w-]+>$/);
      expect(m.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      expect(m.parsed.text).toContain('Peru tilaus: http://esimerkkila.localhost/unsubscribe/');
      expect(m.parsed.html).toContain('/unsubscribe/');
      expect(m.envelopeFrom).toMatch(/^bounces\+[\w-]{53}@aukio\.test$/);
      expect(m.parsed.messageId).toMatch(/^<nl\.[0-9a-f-]{36}\.[0-9a-f-]{36}@aukio\.test>$/);
      await new Promise((r) => setTimeout(r, 500));
      // Not the daily subscriber, not another topic, not a language the item lacks.
      expect(to('daily1@example.org')).toHaveLength(0);
      expect(to('othertopic1@example.org')).toHaveLength(0);
      expect(to('instanten1@example.org')).toHaveLength(0);
      // One notification per item, even if its job ran twice.
      expect(await app.services.newsletters.createNotification(tenantA, item.id)).toBeNull();
    });

    it('the daily digest collects items published since each subscriber’s last digest, once', async () => {
      await addSubscribers('digest', 1, { topics: ['paatoksenteko'], frequency: 'daily' });
      await db().query(`update newsletter_subscribers set last_digest_at = now() - interval '1 day' where email_norm = 'digest1@example.org'`);
      await publish({ fi: 'Valtuusto päätti uimahallista' }, ['paatoksenteko']);
      await publish({ fi: 'Kaavoituskatsaus julkaistiin' }, ['paatoksenteko']);
      clock.advance(60_000);
      const made = await app.services.newsletters.runDigests('daily');
      expect(made.length).toBeGreaterThan(0);
      const m = await sink.waitFor((x) => x.envelopeTo.includes('digest1@example.org'));
      expect(m.parsed.subject).toMatch(/päivän uutiset/);
      expect(m.parsed.text).toContain('Valtuusto päätti uimahallista');
      expect(m.parsed.text).toContain('Kaavoituskatsaus julkaistiin');
      expect(m.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      // Nothing new since: no second digest.
      clock.advance(60_000);
      await app.services.newsletters.runDigests('daily');
      await new Promise((r) => setTimeout(r, 1000));
      expect(to('digest1@example.org')).toHaveLength(1);
    });

    it('a campaign from items and text, previewed and test-sent, goes to its segment at the campaign’s rate', async () => {
      await addSubscribers('throttle', 24, { topics: ['varhaiskasvatus'] });
      await addSubscribers('throttlesv', 1, { topics: ['kulttuuri'], language: 'sv' });
      const item = await publish({ fi: 'Päiväkotihaku alkaa', sv: 'Daghemsansökan börjar' }, ['varhaiskasvatus']);
      const id = await createCampaign({ itemIds: [item.id], segmentTopics: ['varhaiskasvatus'], rate: '8' });
      const preview = await editor.get(`/fi/staff/newsletters/${id}/preview?in=sv`);
      expect(preview.status).toBe(200);
      const html = await preview.text();
      expect(html).toContain('Daghemsansökan börjar');
      expect(html).toContain('Hej!');
      expect(html).not.toContain('newsletter-open');
      const test = await editor.post(`/fi/staff/newsletters/${id}`, { intent: 'test', testEmail: 'tester@example.org', testLanguage: 'sv' });
      expect(test.status).toBe(302);
      const tm = await sink.waitFor((m) => m.envelopeTo.includes('tester@example.org'));
      expect(tm.parsed.subject).toBe('[TEST] Brev');
      const started = Date.now();
      expect((await editor.post(`/fi/staff/newsletters/${id}`, { intent: 'send' })).status).toBe(302);
      await waitUntil(async () => (await report(id)).sent === 24, 30_000);
      const elapsed = (Date.now() - started) / 1000;
      // 24 messages at 8/s take about three seconds (the first goes at once).
      expect(elapsed).toBeGreaterThan(2.5);
      expect(elapsed).toBeLessThan(15);
      // `sent` is written with the final dot: the sink may still be reading the last one.
      await waitUntil(async () => sink.messages.filter((m) => /^throttle\d+@/.test(m.envelopeTo[0])).length >= 24);
      for (let i = 1; i <= 24; i++) expect(to(`throttle${i}@example.org`)).toHaveLength(1);
      expect(to('throttlesv1@example.org')).toHaveLength(0);
      await waitUntil(async () => (await app.services.db.query<{ state: string }>('select state from newsletter_campaigns where id = $1', [id])).rows[0].state === 'done');
      const page = await editor.get(`/fi/staff/newsletters/${id}`);
      const text = await page.text();
      expect(text).toMatch(/<progress[^>]*max="24"[^>]*value="24"|<progress[^>]*value="24"[^>]*max="24"/);
    });

    it('pause stops the send, resume finishes it; nobody gets two copies', async () => {
      await addSubscribers('pause', 30, { topics: ['kulttuuri'] });
      const id = await createCampaign({ segmentTopics: ['kulttuuri'], segmentLanguages: ['fi'], rate: '10' });
      await editor.post(`/fi/staff/newsletters/${id}`, { intent: 'send' });
      await waitUntil(async () => (await report(id)).sent >= 5);
      expect((await editor.post(`/fi/staff/newsletters/${id}`, { intent: 'pause' })).status).toBe(302);
      await new Promise((r) => setTimeout(r, 1500));
      const atPause = (await report(id)).sent;
      await new Promise((r) => setTimeout(r, 1500));
      expect((await report(id)).sent).toBe(atPause);
      expect(atPause).toBeLessThan(31);
      const progress = await editor.api('GET', `/api/v1/newsletters/campaigns/${id}/progress`);
      expect(((await progress.json()) as { state: string }).state).toBe('paused');
      expect((await editor.post(`/fi/staff/newsletters/${id}`, { intent: 'resume' })).status).toBe(302);
      await waitUntil(async () => (await report(id)).remaining === 0, 30_000);
      const r = await report(id);
      expect(r.sent).toBe(r.total);
      const pauseMails = sink.messages.filter((m) => m.envelopeTo.some((a) => /^pause\d+@/.test(a)));
      expect(new Set(pauseMails.map((m) => m.envelopeTo[0])).size).toBe(pauseMails.length);
    });

    it('after a sender dies mid-send, a new one finishes: what it handed over is never sent again, the rest is sent once', async () => {
      await addSubscribers('crash', 40, { topics: ['liikenne'], frequency: 'daily' });
      // A campaign in 'sending' without a job: the senders below are run by hand.
      const c = await db().query<{ id: string }>(
        `insert into newsletter_campaigns (tenant_id, kind, state, subjects, intros, rate_per_second, started_at) values ($1, 'campaign', 'sending', '{"fi":"Kaatuu"}', '{"fi":"Teksti"}', 0, now()) returning id`,
        [tenantA],
      );
      const id = c.rows[0].id;
      await db().query(
        `insert into newsletter_recipients (campaign_id, subscriber_id, tenant_id, email, language)
         select $1, id, tenant_id, email, language from newsletter_subscribers where email_norm like 'crash%'`,
        [id],
      );
      // The first sender's transport delivers 15 messages. The next two reach the server
      // complete (hand-over and final dot) but the process "dies" before the reply is
      // recorded; every later one dies mid-conversation, before its final dot.
      const real = app.services.newsletters.transport();
      let delivered = 0;
      const dying: EmailAdapter = {
        kind: 'smtp',
        send: (m: EmailMessage, handOver?: HandOver) => {
          const n = ++delivered;
          if (n <= 15) return real.send(m, handOver);
          if (n <= 17) return real.send(m, handOver).then(() => new Promise<never>(() => {}));
          return new Promise<never>(() => {});
        },
      };
      const first = app.services.newsletters.sender({}, dying);
      void first.run(id);
      const count = async (state: string) =>
        (await db().query<{ n: number }>(`select count(*)::int as n from newsletter_recipients where campaign_id = $1 and state = $2`, [id, state])).rows[0].n;
      await waitUntil(async () => sink.messages.filter((m) => m.envelopeTo.some((a) => /^crash\d+@/.test(a))).length === 17);
      // The two handed over were marked sent with their final dot; what the process still
      // had in flight never reached the server complete.
      await waitUntil(async () => (await count('sent')) === 17);
      await waitUntil(async () => (await count('sending')) > 0);
      first.crash();
      // Its last heartbeat is long ago.
      await db().query(`update newsletter_sender_instances set seen_at = now() - interval '1 hour' where instance_id = $1`, [first.instanceId]);
      const leftInSending = await count('sending');
      expect(leftInSending).toBeGreaterThan(0);

      const second = app.services.newsletters.sender({ orphanAfterSeconds: 5 });
      expect(await second.run(id)).toBe('done');
      const r = await report(id);
      expect(r.sent).toBe(40);
      expect(r.unknown).toBe(0);
      expect(r.remaining).toBe(0);
      const crashMails = sink.messages.filter((m) => m.envelopeTo.some((a) => /^crash\d+@/.test(a)));
      const byRecipient = new Map<string, number>();
      for (const m of crashMails) byRecipient.set(m.envelopeTo[0], (byRecipient.get(m.envelopeTo[0]) ?? 0) + 1);
      expect([...byRecipient.values()].every((n) => n === 1)).toBe(true);
      expect(byRecipient.size).toBe(40);
      expect((await db().query<{ state: string }>('select state from newsletter_campaigns where id = $1', [id])).rows[0].state).toBe('done');
    });

    it('a 5xx at send time is a hard bounce: the address is suppressed and never mailed again', async () => {
      await addSubscribers('no-such-user', 1, { topics: ['hairiot'], frequency: 'weekly' });
      await addSubscribers('bounceok', 1, { topics: ['hairiot'], frequency: 'weekly' });
      const id = await createCampaign({ segmentTopics: ['hairiot'], rate: '0' });
      await editor.post(`/fi/staff/newsletters/${id}`, { intent: 'send' });
      await waitUntil(async () => (await report(id)).remaining === 0);
      const r = await report(id);
      expect(r.hardBounces).toBe(1);
      expect(r.failed).toBe(1);
      const sup = await db().query<{ reason: string }>(`select reason from newsletter_suppressions where tenant_id = $1 and email_norm = 'no-such-user1@example.org'`, [tenantA]);
      expect(sup.rows[0].reason).toBe('hard_bounce');
      // The next campaign leaves it out.
      const next = await createCampaign({ segmentTopics: ['hairiot'], rate: '0' });
      await editor.post(`/fi/staff/newsletters/${next}`, { intent: 'send' });
      await waitUntil(async () => (await report(next)).remaining === 0);
      const rows = await db().query<{ email: string }>('select email from newsletter_recipients where campaign_id = $1', [next]);
      expect(rows.rows.map((x) => x.email)).not.toContain('no-such-user1@example.org');
      // The suppression list is on the subscribers page, and reading it is audited.
      const page = await editor.get('/fi/staff/newsletters/subscribers?q=no-such');
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('no-such-user1@example.org');
      const audit = await db().query(`select 1 from audit_log where tenant_id = $1 and action = 'newsletter.subscribers.read'`, [tenantA]);
      expect(audit.rows.length).toBeGreaterThan(0);
    });

    it('a DSN to the VERP address: 5.x.x suppresses the address, 4.x.x is counted; other addresses are refused', async () => {
      await addSubscribers('dsnhard', 1, { topics: ['kulttuuri'], frequency: 'weekly', language: 'sv' });
      await addSubscribers('dsnsoft', 1, { topics: ['kulttuuri'], frequency: 'weekly', language: 'sv' });
      const id = await createCampaign({ segmentTopics: ['kulttuuri'], segmentLanguages: ['sv'], rate: '0' });
      await editor.post(`/fi/staff/newsletters/${id}`, { intent: 'send' });
      const hard = await sink.waitFor((m) => m.envelopeTo.includes('dsnhard1@example.org'));
      const soft = await sink.waitFor((m) => m.envelopeTo.includes('dsnsoft1@example.org'));
      const dsn = (recipient: string, status: string, action: string) =>
        [
          'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
          '',
          '--b1',
          'Content-Type: text/plain',
          '',
          'Delivery failed.',
          '--b1',
          'Content-Type: message/delivery-status',
          '',
          'Reporting-MTA: dns; mx.example.org',
          '',
          `Final-Recipient: rfc822; ${recipient}`,
          `Action: ${action}`,
          `Status: ${status}`,
          '',
          '--b1--',
          '',
        ].join('\r\n');
      const port = app.services.inboundMail.port!;
      const head = (rcpt: string, subject: string) => `From: MAILER-DAEMON@example.org\r\nTo: ${rcpt}\r\nSubject: ${subject}\r\nMIME-Version: 1.0\r\n`;
      // Bounces come with the null reverse-path.
      const h = await smtpSession(port, '', [hard.envelopeFrom!], head(hard.envelopeFrom!, 'Undelivered') + dsn('dsnhard1@example.org', '5.1.1', 'failed'));
      expect(h).toEqual({ mailFrom: 250, rcpt: [250], data: 250 });
      const s2 = await smtpSession(port, '', [soft.envelopeFrom!], head(soft.envelopeFrom!, 'Delayed') + dsn('dsnsoft1@example.org', '4.2.2', 'delayed'));
      expect(s2.data).toBe(250);
      await waitUntil(async () => (await report(id)).hardBounces === 1 && (await report(id)).softBounces === 1);
      const sup = await db().query(`select 1 from newsletter_suppressions where tenant_id = $1 and email_norm = 'dsnhard1@example.org'`, [tenantA]);
      expect(sup.rows).toHaveLength(1);
      expect((await db().query(`select 1 from newsletter_suppressions where email_norm = 'dsnsoft1@example.org'`)).rows).toHaveLength(0);
      // A bounce address with a forged token is refused at RCPT TO.
      const forged = hard.envelopeFrom!.replace(/\+(.)/, (_, c: string) => `+${c === 'A' ? 'B' : 'A'}`);
      expect((await smtpSession(port, '', [forged], 'Subject: x\r\n\r\nx')).rcpt).toEqual([550]);
    });

    it('the report counts unsubscribes from the campaign’s mail; no tracking pixel unless the tenant turns it on', async () => {
      await addSubscribers('report', 3, { topics: ['liikenne'], frequency: 'weekly', language: 'en' });
      const id = await createCampaign({ segmentTopics: ['liikenne'], segmentLanguages: ['en'], subject_en: 'Letter', intro_en: 'Hello!', rate: '0' });
      await editor.post(`/fi/staff/newsletters/${id}`, { intent: 'send' });
      await waitUntil(async () => (await report(id)).remaining === 0);
      await waitUntil(async () => sink.messages.filter((m) => /^report\d+@/.test(m.envelopeTo[0])).length >= 3);
      const mails = sink.messages.filter((m) => /^report\d+@/.test(m.envelopeTo[0]));
      expect(mails).toHaveLength(3);
      for (const m of mails) expect(m.parsed.html).not.toContain('newsletter-open');
      const unsub = m0Unsub(mails[0]);
      expect((await fetchA(unsub, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })).status).toBe(200);
      const r = await report(id);
      expect(r).toMatchObject({ total: 3, sent: 3, failed: 0, unsubscribes: 1, opens: null });
      expect(r.durationSeconds).not.toBeNull();

      // With tracking on, the pixel is in the mail and an open is counted.
      expect((await editor.post('/fi/staff/newsletters', { openTracking: 'on' })).status).toBe(302);
      await addSubscribers('tracked', 1, { topics: ['liikenne'], frequency: 'weekly', language: 'en' });
      const tracked = await createCampaign({ segmentTopics: ['liikenne'], segmentLanguages: ['en'], subject_en: 'Tracked', intro_en: 'Hi', rate: '0' });
      await editor.post(`/fi/staff/newsletters/${tracked}`, { intent: 'send' });
      const tm = await sink.waitFor((m) => m.envelopeTo.includes('tracked1@example.org') && m.parsed.subject === 'Tracked');
      const pixel = /src="http:\/\/esimerkkila\.localhost(\/newsletter-open\/[^"]+)"/.exec(tm.parsed.html as string)![1];
      const img = await fetchA(pixel);
      expect(img.headers.get('content-type')).toBe('image/gif');
      await waitUntil(async () => (await report(tracked)).remaining === 0);
      expect((await report(tracked)).opens).toBe(1);
      await editor.post('/fi/staff/newsletters', {});
      expect((await app.services.newsletters.settings(tenantA)).openTracking).toBe(false);
    });

    it('another tenant’s campaign is a 404; residents and other staff roles cannot reach the console pages', async () => {
      const id = await createCampaign({ rate: '0' });
      expect((await adminB.get(`/fi/staff/newsletters/${id}`)).status).toBe(404);
      expect((await adminB.api('GET', `/api/v1/newsletters/campaigns/${id}/progress`)).status).toBe(404);
      const agent = await staffClient(app, HOST_A, 'asiakaspalvelu@esimerkkila.fi');
      expect((await agent.get('/fi/staff/newsletters')).status).toBe(403);
      expect((await agent.get('/fi/staff/newsletters/subscribers')).status).toBe(403);
      expect((await fetchA(`/api/v1/newsletters/campaigns/${id}/progress`)).status).toBe(401);
      expect(tenantB).not.toBe(tenantA);
    });

    function m0Unsub(m: SinkMessage): string {
      return new URL(/<([^>]+)>/.exec(m.header('list-unsubscribe')!)![1]).pathname;
    }
  });
}
