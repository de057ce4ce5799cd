import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import type { NewsItem } from '../../src/modules/newsroom/model.ts';
import type { Delivery } from '../../src/modules/distribution/distribution.ts';
import { DELIVERY_RETRY_LIMIT } from '../../src/modules/distribution/distribution.ts';
import { engines } from '../helpers/engines.ts';
import { HOST_A, HOST_B, startTestApp, type TestApp } from '../helpers/app.ts';
import { startMastodonServer, type MastodonTestServer } from '../helpers/mastodon-server.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { staffActor, staffClient } from '../helpers/staff-session.ts';

/*
 * Distribution on both engines: the media distribution list (staff CRUD, audited reads,
 * journalists' double opt-in), the embargoed copy to the embargo list only at approval
 * and the release to topic subscribers when the embargo lapses (real SMTP to a sink),
 * Mastodon through a local test server (media with alt text, polling, retries after
 * failures without a second status), the signed webhook, the retry button, channel
 * settings (validation, sealed secrets never returned, tenant admin only for addresses
 * and secrets), other tenants and roles.
 */

const HOUR = 3_600_000;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPj/HwADAgH/eL9GtQAAAABJRU5ErkJggg==', 'base64');

interface Hook {
  headers: IncomingHttpHeaders;
  body: string;
}

async function startReceiver() {
  const calls: Hook[] = [];
  let answer = 200;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(answer, { 'content-type': 'text/plain' });
      res.end(answer === 200 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks/aukio`,
    calls,
    answer: (status: number) => {
      answer = status;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function until<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 60_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`distribution (${engine.name})`, () => {
    let app: TestApp;
    let sink: SmtpSink;
    let masto: MastodonTestServer;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    const clock = new ManualClock();
    let editor: Awaited<ReturnType<typeof staffClient>>;
    let publisher: Awaited<ReturnType<typeof staffClient>>;
    let admin: Awaited<ReturnType<typeof staffClient>>;
    let agent: Awaited<ReturnType<typeof staffClient>>;
    let adminB: Awaited<ReturnType<typeof staffClient>>;
    const WEBHOOK_SECRET = 'webhook-secret-for-the-test-0123456789';

    beforeAll(async () => {
      sink = await startSmtpSink();
      masto = await startMastodonServer();
      receiver = await startReceiver();
      app = await startTestApp(engine.name, { clock, env: { EMAIL_ADAPTER: 'smtp', SMTP_URL: sink.url } });
      editor = await staffClient(app, HOST_A, 'viestinta@esimerkkila.fi');
      publisher = await staffClient(app, HOST_A, 'julkaisija@esimerkkila.fi');
      admin = await staffClient(app, HOST_A, 'admin@esimerkkila.fi');
      agent = await staffClient(app, HOST_A, 'asiakaspalvelu@esimerkkila.fi');
      adminB = await staffClient(app, HOST_B, 'admin@jarvikyla.fi');
      // The test keeps its own list: the demo contacts would receive the test's releases too.
      await app.services.db.query('delete from media_contacts');
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await sink?.close();
      await masto?.close();
      await receiver?.close();
    });

    const contact = async (body: Record<string, unknown>) => {
      const r = await editor.api('POST', '/api/v1/news/media-contacts', body);
      expect(r.status, await r.clone().text()).toBe(201);
      return (await r.json()) as { id: string };
    };
    const create = async (body: Record<string, unknown>) => {
      const r = await editor.api('POST', '/api/v1/news/items', body);
      expect(r.status, await r.clone().text()).toBe(201);
      return (await r.json()) as NewsItem;
    };
    const move = async (who: typeof editor, id: string, action: string, extra: Record<string, unknown> = {}) => {
      const r = await who.api('POST', `/api/v1/news/items/${id}/transitions`, { action, ...extra });
      expect(r.status, await r.clone().text()).toBe(200);
      return (await r.json()) as NewsItem;
    };
    const deliveries = async (itemId: string) => {
      const r = await editor.api('GET', `/api/v1/news/items/${itemId}/deliveries`);
      expect(r.status).toBe(200);
      return ((await r.json()) as { deliveries: Delivery[] }).deliveries;
    };
    const to = (address: string) => sink.messages.filter((m) => m.envelopeTo.includes(address));

    it('staff keep the media list: add, edit, duplicates refused, audited reads, no access for other roles or tenants', async () => {
      const a = await contact({ name: 'Aino Embargo', email: 'aino@uutiset.example', outlet: 'Uutiset', topics: ['paatoksenteko'], embargoList: true, language: 'fi' });
      await contact({ name: 'Bertil Ämne', email: 'bertil@tidning.example', outlet: 'Tidningen', topics: ['paatoksenteko'], language: 'sv' });
      await contact({ name: 'Cecilia Traffic', email: 'cecilia@radio.example', outlet: 'Radio', topics: ['liikenne'], embargoList: true, language: 'en' });
      await contact({ name: 'Daniel Kaikki', email: 'daniel@lehti.example', outlet: 'Lehti' });

      let r = await editor.api('POST', '/api/v1/news/media-contacts', { name: 'Toinen', email: 'AINO@uutiset.example' });
      expect(r.status).toBe(409);
      r = await editor.api('POST', '/api/v1/news/media-contacts', { name: '', email: 'not-an-address', topics: ['no-such-topic'] });
      expect(r.status).toBe(400);
      const err = (await r.json()) as { error: { code: string; fields: Record<string, string> } };
      expect(err.error.code).toBe('validation_failed');
      expect(err.error.fields).toMatchObject({ name: 'required', email: 'invalid_email' });
      r = await editor.api('POST', '/api/v1/news/media-contacts', { name: 'X', email: 'x@y.example', topics: ['no-such-topic'] });
      expect(((await r.json()) as { error: { fields: Record<string, string> } }).error.fields.topics).toBe('unknown_topic');

      r = await editor.api('PUT', `/api/v1/news/media-contacts/${a.id}`, { name: 'Aino Embargo', email: 'aino@uutiset.example', outlet: 'Uutiset Oy', topics: ['paatoksenteko'], embargoList: true });
      expect(r.status).toBe(200);
      expect(((await r.json()) as { outlet: string }).outlet).toBe('Uutiset Oy');

      r = await editor.api('GET', '/api/v1/news/media-contacts?q=uutiset');
      const list = (await r.json()) as { contacts: { email: string }[]; total: number };
      expect(list.contacts.map((c) => c.email)).toEqual(['aino@uutiset.example']);
      const audit = await app.services.db.query<{ action: string }>(`select action from audit_log where tenant_id = $1 and action like 'media_contacts.%'`, [editor.tenantId]);
      expect(audit.rows.map((x) => x.action)).toEqual(expect.arrayContaining(['media_contacts.create', 'media_contacts.update', 'media_contacts.list']));

      expect((await agent.api('GET', '/api/v1/news/media-contacts')).status).toBe(403);
      expect((await adminB.api('GET', `/api/v1/news/media-contacts/${a.id}`)).status).toBe(404);
      expect((await adminB.api('DELETE', `/api/v1/news/media-contacts/${a.id}`)).status).toBe(404);
      expect((await editor.api('GET', `/api/v1/news/media-contacts/not-a-uuid`)).status).toBe(404);
    });

    it('staff import contacts from CSV: all or nothing, existing addresses updated, semicolons and quotes', async () => {
      const f = (await import('../helpers/app.ts')).hostFetch(app, HOST_A);
      const post = (csv: string) =>
        f('/api/v1/news/media-contacts/import', { method: 'POST', headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrf, 'content-type': 'text/csv' }, body: csv });
      let r = await post('name,email,topics\nBad Row,not-an-address,liikenne\nOther,other@x.example,no-such-topic\n');
      expect(r.status).toBe(400);
      const err = (await r.json()) as { error: { rows: { line: number; field: string; code: string }[] } };
      expect(err.error.rows).toEqual([
        { line: 2, field: 'email', code: 'invalid_email' },
        { line: 3, field: 'topics', code: 'unknown_topic' },
      ]);
      expect((await app.services.db.query(`select 1 from media_contacts where email = 'other@x.example'`)).rows).toHaveLength(0);
      r = await post('\uFEFFname;email;outlet;topics;embargo;language\r\n"Fanny ""Fakta"" Fredriksson";fanny@fakta.example;"Fakta; Nyheter";liikenne hairiot;ja;sv\r\nDaniel Kaikki;DANIEL@lehti.example;Lehti Oyj;;ei;fi\r\n');
      expect(r.status, await r.clone().text()).toBe(200);
      expect(await r.json()).toEqual({ created: 1, updated: 1 });
      const rows = await app.services.db.query<{ name: string; outlet: string; topics: string[]; embargo_list: boolean; language: string; confirmed: boolean }>(
        `select name, outlet, topics, embargo_list, language, confirmed from media_contacts where email in ('fanny@fakta.example', 'daniel@lehti.example') order by email`,
      );
      expect(rows.rows).toEqual([
        { name: 'Daniel Kaikki', outlet: 'Lehti Oyj', topics: [], embargo_list: false, language: 'fi', confirmed: true },
        { name: 'Fanny "Fakta" Fredriksson', outlet: 'Fakta; Nyheter', topics: ['liikenne', 'hairiot'], embargo_list: true, language: 'sv', confirmed: true },
      ]);
      // Fanny stays out of the embargo test below: her topics differ from the release's.
      expect((await f('/api/v1/news/media-contacts/import', { method: 'POST', headers: { cookie: agent.cookie, 'x-csrf-token': agent.csrf, 'content-type': 'text/csv' }, body: 'name,email\nA,a@a.example' })).status).toBe(403);
    });

    it('a journalist subscribes by topic with a double opt-in', async () => {
      const f = (await import('../helpers/app.ts')).hostFetch(app, HOST_A);
      const r = await f('/api/v1/press/subscriptions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: 'aukio_csrf=abcdefghijklmnopqrstuvwxyz', 'x-csrf-token': 'abcdefghijklmnopqrstuvwxyz' },
        body: JSON.stringify({ name: 'Eeva Tilaaja', email: 'eeva@media.example', outlet: 'Media', topics: ['paatoksenteko'], language: 'fi' }),
      });
      expect(r.status, await r.clone().text()).toBe(202);
      const mail = await sink.waitFor((m) => m.envelopeTo.includes('eeva@media.example'));
      const link = /http:\/\/\S+\/fi\/press\/subscribe\/confirm\/([\w-]+)/.exec(mail.parsed.text ?? '');
      expect(link, mail.parsed.text).not.toBeNull();
      let row = await app.services.db.query<{ confirmed: boolean }>(`select confirmed from media_contacts where email = 'eeva@media.example'`);
      expect(row.rows[0].confirmed).toBe(false);
      expect((await f('/api/v1/press/subscriptions/confirm/wrong-token', { method: 'POST', headers: { cookie: 'aukio_csrf=abcdefghijklmnopqrstuvwxyz', 'x-csrf-token': 'abcdefghijklmnopqrstuvwxyz' } })).status).toBe(404);
      const ok = await f(`/api/v1/press/subscriptions/confirm/${link![1]}`, { method: 'POST', headers: { cookie: 'aukio_csrf=abcdefghijklmnopqrstuvwxyz', 'x-csrf-token': 'abcdefghijklmnopqrstuvwxyz' } });
      expect(ok.status).toBe(200);
      row = await app.services.db.query<{ confirmed: boolean }>(`select confirmed from media_contacts where email = 'eeva@media.example'`);
      expect(row.rows[0].confirmed).toBe(true);
    });

    let release: NewsItem;

    it('an embargoed release reaches only the embargo list, marked EMBARGOED, and only once a publisher approves it', async () => {
      const embargo = new Date(clock.now().getTime() + 3 * HOUR);
      release = await create({
        kind: 'press_release',
        title: { fi: 'Valtuusto päättää uudesta koulusta', sv: 'Fullmäktige beslutar om ny skola' },
        lead: { fi: 'Uusi koulu avataan 2028.' },
        body: { fi: '<p>Päätös tehdään <strong>maanantaina</strong>.</p>' },
        topics: ['paatoksenteko'],
        embargoUntil: embargo.toISOString(),
      });
      await move(editor, release.id, 'submit');
      // Submitted but not approved: nothing goes out.
      expect(await deliveries(release.id)).toEqual([]);
      const scheduled = await move(publisher, release.id, 'approve', { publish: true });
      expect(scheduled.state).toBe('scheduled');

      const ds = await deliveries(release.id);
      expect(ds.map((d) => [d.channel, d.target, d.phase])).toEqual([['media_email', 'aino@uutiset.example', 'embargoed']]);
      const mail = await sink.waitFor((m) => m.envelopeTo.includes('aino@uutiset.example'));
      const subject = mail.parsed.subject ?? '';
      expect(subject).toMatch(/^EMBARGO \d{1,2}\.\d{1,2}\.\d{4} klo \d{2}\.\d{2} asti \(Suomen aikaa\) – Valtuusto päättää uudesta koulusta$/);
      const parts = new Intl.DateTimeFormat('fi-FI', { timeZone: 'Europe/Helsinki', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(embargo);
      const hhmm = `${parts.find((p) => p.type === 'hour')!.value}.${parts.find((p) => p.type === 'minute')!.value}`;
      expect(subject).toContain(`klo ${hhmm}`);
      const text = mail.parsed.text ?? '';
      expect(text.startsWith('EMBARGO – EI JULKAISTAVAKSI ENNEN')).toBe(true);
      expect(text).toContain('Päätös tehdään maanantaina.');
      expect(text).toContain('http://esimerkkila.localhost/fi/press/valtuusto-paattaa-uudesta-koulusta');
      expect(mail.parsed.html).toContain('EMBARGO');
      expect(mail.header('list-unsubscribe')).toMatch(/^<http:\/\/esimerkkila\.localhost\/api\/v1\/press\/unsubscribe\/[\w-]+>$/);
      expect(mail.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      await until(async () => (await deliveries(release.id))[0].status === 'sent', 20_000, 'embargo delivery sent');
      // Nobody else: not the topic subscriber off the embargo list, not the embargo contact of another topic.
      expect(to('bertil@tidning.example')).toEqual([]);
      expect(to('cecilia@radio.example')).toEqual([]);
      expect(to('daniel@lehti.example')).toEqual([]);
    });

    it('when the embargo lapses, the release goes to topic subscribers who did not have the embargoed copy', async () => {
      clock.set(new Date(new Date(release.embargoUntil!).getTime() + 60_000));
      expect(await app.services.newsroom.releaseDue()).toBeGreaterThanOrEqual(1);
      const bertil = await sink.waitFor((m) => m.envelopeTo.includes('bertil@tidning.example'));
      expect(bertil.parsed.subject).toBe('Pressmeddelande: Fullmäktige beslutar om ny skola');
      expect(bertil.parsed.text).toContain('http://esimerkkila.localhost/sv/press/valtuusto-paattaa-uudesta-koulusta');
      expect(bertil.parsed.text).not.toContain('EMBARGO');
      await sink.waitFor((m) => m.envelopeTo.includes('daniel@lehti.example'));
      await sink.waitFor((m) => m.envelopeTo.includes('eeva@media.example') && (m.parsed.subject ?? '').startsWith('Tiedote:'));
      const ds = await until(async () => {
        const all = await deliveries(release.id);
        return all.length === 4 && all.every((d) => d.status === 'sent') && all;
      }, 20_000, 'all release mails sent');
      expect(ds.filter((d) => d.target === 'aino@uutiset.example')).toHaveLength(1);
      expect(to('aino@uutiset.example')).toHaveLength(1);
      expect(to('cecilia@radio.example')).toEqual([]);

      // The unsubscribe link works (one click, no cookies): Bertil is off the list.
      const link = /<(http:\/\/[^>]+)>/.exec(bertil.header('list-unsubscribe')!)![1];
      const f = (await import('../helpers/app.ts')).hostFetch(app, HOST_A);
      const r = await f(new URL(link).pathname, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      expect(r.status).toBe(200);
      const left = await app.services.db.query(`select 1 from media_contacts where email = 'bertil@tidning.example'`);
      expect(left.rows).toHaveLength(0);
    });

    it('channel settings: validation, secrets sealed and never returned, addresses and secrets for tenant admins only', async () => {
      let r = await admin.api('PUT', '/api/v1/news/channels', { mastodonEnabled: true, mastodonUrl: 'ftp://example.org' });
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: { fields: Record<string, string> } }).error.fields.mastodonUrl).toBe('invalid_url');
      r = await admin.api('PUT', '/api/v1/news/channels', { mastodonEnabled: true, mastodonUrl: 'http://example.org' });
      expect(((await r.json()) as { error: { fields: Record<string, string> } }).error.fields.mastodonUrl).toBe('invalid_url');
      r = await admin.api('PUT', '/api/v1/news/channels', { mastodonEnabled: true, mastodonUrl: masto.url });
      expect(((await r.json()) as { error: { fields: Record<string, string> } }).error.fields.mastodonToken).toBe('required');
      r = await admin.api('PUT', '/api/v1/news/channels', { webhookEnabled: true, webhookUrl: receiver.url, webhookSecret: 'short' });
      expect(((await r.json()) as { error: { fields: Record<string, string> } }).error.fields.webhookSecret).toBe('too_short');
      r = await admin.api('PUT', '/api/v1/news/channels', { mastodonVisibility: 'everyone' });
      expect(r.status).toBe(400);

      r = await admin.api('PUT', '/api/v1/news/channels', {
        mastodonEnabled: true,
        mastodonUrl: masto.url,
        mastodonToken: masto.token,
        mastodonVisibility: 'public',
        mastodonLanguage: 'fi',
        webhookEnabled: true,
        webhookUrl: receiver.url,
        webhookSecret: WEBHOOK_SECRET,
      });
      expect(r.status, await r.clone().text()).toBe(200);
      const saved = await r.text();
      expect(saved).not.toContain(masto.token);
      expect(saved).not.toContain(WEBHOOK_SECRET);
      expect(JSON.parse(saved)).toMatchObject({ mastodon: { enabled: true, url: masto.url, tokenSet: true }, webhook: { enabled: true, secretSet: true } });
      const stored = await app.services.db.query<Record<string, string>>('select mastodon_token_sealed, webhook_secret_sealed from distribution_channels where tenant_id = $1', [admin.tenantId]);
      expect(stored.rows[0].mastodon_token_sealed).toMatch(/^aukio-sealed:v1:/);
      expect(stored.rows[0].webhook_secret_sealed).not.toContain(WEBHOOK_SECRET);
      const read = await editor.api('GET', '/api/v1/news/channels');
      const readText = await read.text();
      expect(readText).not.toContain(masto.token);
      expect(JSON.parse(readText).canEditSecrets).toBe(false);

      // Communications staff switch channels and choose kinds, but not where they point.
      r = await editor.api('PUT', '/api/v1/news/channels', { mastodonUrl: 'https://mastodon.example' });
      expect(r.status).toBe(403);
      r = await editor.api('PUT', '/api/v1/news/channels', { webhookSecret: 'another-secret-of-enough-length' });
      expect(r.status).toBe(403);
      r = await editor.api('PUT', '/api/v1/news/channels', { mastodonUrl: masto.url, mastodonKinds: ['news', 'press_release', 'event'] });
      expect(r.status).toBe(200);

      r = await editor.api('POST', '/api/v1/news/channels/mastodon/test');
      expect(await r.json()).toEqual({ ok: true, account: 'aukio' });
      expect(masto.requests.some((x) => x.path === '/api/v1/accounts/verify_credentials' && x.status === 200)).toBe(true);
      r = await editor.api('POST', '/api/v1/news/channels/webhook/test');
      expect(await r.json()).toEqual({ ok: true });
      expect(receiver.calls.at(-1)!.headers['x-aukio-event']).toBe('ping');
      expect((await editor.api('POST', '/api/v1/news/channels/telegraph/test')).status).toBe(400);

      // Another tenant has its own (empty) settings; other roles have none.
      const b = (await (await adminB.api('GET', '/api/v1/news/channels')).json()) as { mastodon: { url: string; tokenSet: boolean } };
      expect(b.mastodon).toMatchObject({ url: '', tokenSet: false });
      expect((await agent.api('GET', '/api/v1/news/channels')).status).toBe(403);
      expect((await agent.api('PUT', '/api/v1/news/channels', { mastodonEnabled: false })).status).toBe(403);
    });

    let news: NewsItem;

    it('a published news item goes to Mastodon with its image and alt text, retried after failures without a second status', async () => {
      news = await create({
        kind: 'news',
        title: { fi: 'Kirjasto laajentaa aukioloaikoja' },
        lead: { fi: 'Pääkirjasto on auki myös sunnuntaisin.' },
        body: { fi: '<p>Lisää tunteja.</p>' },
        topics: ['kulttuuri'],
      });
      const actor = await staffActor(app, editor.tenantId, 'viestinta@esimerkkila.fi');
      await app.services.newsroom.addMedia(actor, editor.tenantId, {
        itemId: news.id,
        kind: 'image',
        filename: 'kirjasto.png',
        data: PNG,
        meta: { alt: { fi: 'Pääkirjaston lukusali auringonpaisteessa' }, credit: 'Kaupunki' },
      });
      await move(editor, news.id, 'submit');
      masto.failNext(2);
      const before = masto.statuses.length;
      await move(publisher, news.id, 'approve', { publish: true });

      const ds = await deliveries(news.id);
      expect(ds.map((d) => d.channel).sort()).toEqual(['mastodon', 'webhook']);
      const done = await until(
        async () => {
          const d = (await deliveries(news.id)).find((x) => x.channel === 'mastodon')!;
          return d.status === 'sent' && d;
        },
        90_000,
        'mastodon delivery sent',
      );
      expect(done.attempts).toBe(3);
      expect(masto.statuses.length).toBe(before + 1);
      const status = masto.statuses.at(-1)!;
      expect(done.externalUrl).toBe(status.url);
      expect(done.externalId).toBe(status.id);
      expect(status.idempotencyKey).toBe(done.id);
      expect(status.status).toContain('Kirjasto laajentaa aukioloaikoja');
      expect(status.status).toContain('Pääkirjasto on auki myös sunnuntaisin.');
      expect(status.status).toContain('http://esimerkkila.localhost/fi/news/kirjasto-laajentaa-aukioloaikoja');
      expect(status.visibility).toBe('public');
      expect(status.language).toBe('fi');
      expect(status.mediaIds).toHaveLength(1);
      const media = masto.media.find((m) => m.id === status.mediaIds[0])!;
      expect(media.description).toBe('Pääkirjaston lukusali auringonpaisteessa');
      expect(media.bytes.equals(PNG)).toBe(true);
      expect(media.polls).toBeGreaterThanOrEqual(2);
      expect(masto.requests.filter((x) => x.status >= 500)).toHaveLength(2);

      // Run again (as a manual retry would): the same Idempotency-Key gets the same status back.
      await app.services.db.query(`update distribution_deliveries set status = 'failed' where id = $1`, [done.id]);
      const retry = await editor.api('POST', `/api/v1/news/deliveries/${done.id}/retry`);
      expect(retry.status).toBe(200);
      const again = await until(async () => {
        const d = (await deliveries(news.id)).find((x) => x.channel === 'mastodon')!;
        return d.status === 'sent' && d;
      }, 30_000, 'mastodon delivery sent again');
      expect(again.attempts).toBe(4);
      expect(again.externalId).toBe(status.id);
      expect(masto.statuses.length).toBe(before + 1);
    }, 120_000);

    it('the webhook is signed: HMAC-SHA256 over timestamp and body with the tenant secret', async () => {
      const d = await until(async () => {
        const x = (await deliveries(news.id)).find((y) => y.channel === 'webhook')!;
        return x.status === 'sent' && x;
      }, 30_000, 'webhook sent');
      const call = receiver.calls.find((c) => c.headers['x-aukio-delivery'] === d.id)!;
      expect(call.headers['x-aukio-event']).toBe('news.published');
      const ts = String(call.headers['x-aukio-timestamp']);
      const expected = 'sha256=' + createHmac('sha256', WEBHOOK_SECRET).update(`${ts}.${call.body}`).digest('hex');
      expect(call.headers['x-aukio-signature']).toBe(expected);
      expect(Math.abs(Number(ts) - clock.now().getTime() / 1000)).toBeLessThan(120);
      const payload = JSON.parse(call.body);
      expect(payload).toMatchObject({
        event: 'news.published',
        item: { id: news.id, kind: 'news', title: { fi: 'Kirjasto laajentaa aukioloaikoja' }, url: 'http://esimerkkila.localhost/fi/news/kirjasto-laajentaa-aukioloaikoja', topics: ['kulttuuri'] },
      });
      expect(payload.item.image.alt.fi).toBe('Pääkirjaston lukusali auringonpaisteessa');
      expect(payload.item.publishedAt).toBeTruthy();
    });

    it('a failing webhook is retried, then fails; the retry button on the deliveries page sends it again', async () => {
      receiver.answer(500);
      const item = await create({ kind: 'event', title: { fi: 'Kevätkonsertti' }, topics: ['kulttuuri'] });
      await move(editor, item.id, 'submit');
      await move(publisher, item.id, 'approve', { publish: true });
      const retrying = await until(async () => {
        const d = (await deliveries(item.id)).find((x) => x.channel === 'webhook')!;
        return d.status === 'retrying' && d;
      }, 30_000, 'webhook retrying');
      expect(retrying.lastError).toContain('HTTP 500');
      // The last attempt that pg-boss would make: the delivery fails for good.
      await app.services.distribution.deliver(editor.tenantId, retrying.id, DELIVERY_RETRY_LIMIT);
      const failed = (await deliveries(item.id)).find((x) => x.channel === 'webhook')!;
      expect(failed.status).toBe('failed');
      expect(failed.attempts).toBeGreaterThanOrEqual(2);

      // The page lists it with a Retry button (a plain form); the post requeues it.
      const page = await editor.get(`/fi/staff/news/${item.id}/deliveries`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('Kevätkonsertti');
      expect(html).toContain(`name="deliveryId" value="${failed.id}"`);
      expect((await adminB.post(`/fi/staff/news/${item.id}/deliveries`, { intent: 'retry', deliveryId: failed.id })).status).toBe(404);
      expect((await agent.post(`/fi/staff/news/${item.id}/deliveries`, { intent: 'retry', deliveryId: failed.id })).status).toBe(403);
      receiver.answer(200);
      const posted = await editor.post(`/fi/staff/news/${item.id}/deliveries`, { intent: 'retry', deliveryId: failed.id });
      expect(posted.status).toBe(302);
      const sent = await until(async () => {
        const d = (await deliveries(item.id)).find((x) => x.channel === 'webhook')!;
        return d.status === 'sent' && d;
      }, 30_000, 'webhook sent after retry');
      expect(sent.lastError).toBeNull();
      // Retrying something that is not failed is a conflict.
      expect((await editor.api('POST', `/api/v1/news/deliveries/${sent.id}/retry`)).status).toBe(409);
    }, 90_000);

    it('delivery status belongs to the tenant and the newsroom roles', async () => {
      expect((await adminB.api('GET', `/api/v1/news/items/${news.id}/deliveries`)).status).toBe(404);
      const d = (await deliveries(news.id))[0];
      expect((await adminB.api('POST', `/api/v1/news/deliveries/${d.id}/retry`)).status).toBe(404);
      expect((await agent.api('GET', `/api/v1/news/items/${news.id}/deliveries`)).status).toBe(403);
      const recent = (await (await editor.api('GET', '/api/v1/news/deliveries')).json()) as { deliveries: Delivery[] };
      expect(recent.deliveries.some((x) => x.itemId === news.id)).toBe(true);
      const recentB = (await (await adminB.api('GET', '/api/v1/news/deliveries')).json()) as { deliveries: Delivery[] };
      expect(recentB.deliveries).toEqual([]);
    });
  });
}
