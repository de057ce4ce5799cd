import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/modules/identity/actor.ts';
import { csvCell } from '../../src/modules/feedback/export.ts';
import { engines } from '../helpers/engines.ts';
import { HOST_A, HOST_B, startTestApp, type TestApp } from '../helpers/app.ts';
import { staffClient, staffActor } from '../helpers/staff-session.ts';

/*
 * Staff case handling beyond the core, on both engines: the moderated public answer,
 * duplicate suggestions and merging, the CSV export, and the staff REST API's unit and
 * tenant scoping; the console page renders a resident's markup as text.
 */

const ANON: Actor = { kind: 'anonymous' };


// Each test works at its own spot so the 50 m suggestions never see another test's cases.
let spot = 0;
const nextSpot = () => ({ lat: 61.40 + ++spot * 0.01, lon: 23.70 });
/** Metres north of a point in degrees of latitude. */
const north = (m: number) => m / 111_195;

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`feedback staff (${engine.name})`, () => {
    let app: TestApp;
    let tenantA: string;
    let street: Actor;
    let daycare: Actor;
    let moderator: Actor;
    let admin: Actor;
    let adminB: Actor;

    beforeAll(async () => {
      app = await startTestApp(engine.name, { env: { FEEDBACK_RATE_PER_EMAIL_HOUR: '10000', FEEDBACK_RATE_PER_IP_HOUR: '10000' } });
      const t = await app.services.db.query<{ id: string; slug: string }>('select id, slug from tenants');
      tenantA = t.rows.find((r) => r.slug === 'esimerkkila')!.id;
      const tenantB = t.rows.find((r) => r.slug === 'jarvikyla')!.id;
      street = await staffActor(app, tenantA, 'katu@esimerkkila.fi');
      daycare = await staffActor(app, tenantA, 'paivakoti@esimerkkila.fi');
      moderator = await staffActor(app, tenantA, 'moderaattori@esimerkkila.fi');
      admin = await staffActor(app, tenantA, 'admin@esimerkkila.fi');
      adminB = await staffActor(app, tenantB, 'admin@jarvikyla.fi');
    }, 120_000);
    afterAll(() => app?.close());

    const submit = (extra: Record<string, unknown> = {}) =>
      app.services.feedback.submit(
        ANON,
        tenantA,
        {
          categoryCode: 'pothole',
          description: `Kuoppa ${Math.random()}`,
          ...nextSpot(),
          address: 'Hämeenkatu 10',
          contactEmail: 'asukas@example.com',
          lang: 'fi',
          ...extra,
        },
        { channel: 'open311' },
      );
    const audits = async (action: string, targetId?: string) =>
      (await app.services.db.query(`select 1 from audit_log where action = $1${targetId ? ' and target_id = $2' : ''}`, targetId ? [action, targetId] : [action])).rows.length;
    const version = async () => (await app.services.db.query<{ version: string }>('select version from content_versions where tenant_id = $1', [tenantA])).rows[0]?.version ?? '0';

    it('moderates the public answer: a handler proposes, a moderator approves; a non-moderator cannot publish directly', async () => {
      const pub = app.services.feedbackPublication;
      const r = await submit({ description: 'Kuoppa Hämeenkadulla, soita 040 123 4567 tai matti@example.com' });
      const prefill = await pub.suggestion(street, tenantA, r.caseId);
      expect(prefill.publicDescription).toBe('Kuoppa Hämeenkadulla, soita [phone] tai [email]');

      await expect(pub.propose(street, tenantA, r.caseId, { ...prefill, publicAnswer: 'Korjataan.', publish: true })).rejects.toMatchObject({ status: 403 });
      // A moderator who does not handle the unit cannot propose for it either.
      await expect(pub.propose(moderator, tenantA, r.caseId, { ...prefill, publicAnswer: 'x' })).rejects.toMatchObject({ status: 403 });
      await expect(pub.propose(street, tenantA, r.caseId, { publicDescription: 'x'.repeat(4001) })).rejects.toMatchObject({ status: 400 });
      expect(await pub.propose(street, tenantA, r.caseId, { ...prefill, publicAnswer: 'Korjataan ensi viikolla.' })).toEqual({ publication: 'pending' });
      expect((await app.services.feedback.publicFeed(tenantA)).items.some((i) => i.id === r.caseId)).toBe(false);

      await expect(pub.moderationQueue(street, tenantA)).rejects.toMatchObject({ status: 403 });
      await expect(pub.approve(street, tenantA, r.caseId)).rejects.toMatchObject({ status: 403 });
      await expect(pub.approve(adminB, tenantA, r.caseId)).rejects.toMatchObject({ status: 404 });
      const queue = await pub.moderationQueue(moderator, tenantA);
      expect(queue.find((i) => i.id === r.caseId)).toMatchObject({ publicAnswer: 'Korjataan ensi viikolla.', proposedBy: 'Kalle Katu' });

      const before = await version();
      await pub.approve(moderator, tenantA, r.caseId, { publicAnswer: 'Korjataan viikolla 48.' });
      expect(Number(await version())).toBeGreaterThan(Number(before));
      const item = (await app.services.feedback.publicFeed(tenantA)).items.find((i) => i.id === r.caseId);
      expect(item).toMatchObject({ description: 'Kuoppa Hämeenkadulla, soita [phone] tai [email]', answer: 'Korjataan viikolla 48.' });
      const c = await app.services.feedback.get(street, tenantA, r.caseId);
      expect(c.publication).toBe('published');
      expect(c.events.some((e) => e.kind === 'public_answer' && e.visibility === 'public' && e.body === 'Korjataan viikolla 48.')).toBe(true);
      await expect(pub.approve(moderator, tenantA, r.caseId)).rejects.toMatchObject({ status: 409 });
      expect(await audits('feedback.public_answer_proposed', r.caseId)).toBe(1);
      expect(await audits('feedback.public_answer_approved', r.caseId)).toBe(1);

      await pub.unpublish(street, tenantA, r.caseId, 'Vanhentunut');
      expect((await app.services.feedback.publicFeed(tenantA)).items.some((i) => i.id === r.caseId)).toBe(false);
      expect(await audits('feedback.public_answer_unpublished', r.caseId)).toBe(1);

      // Reject with a reason; a tenant admin (handler and moderator) may publish directly.
      const r2 = await submit();
      await pub.propose(street, tenantA, r2.caseId, { publicDescription: 'Kuoppa', publicAnswer: 'Matti Meikäläinen soitti' });
      await expect(pub.reject(moderator, tenantA, r2.caseId, '')).rejects.toMatchObject({ status: 400 });
      await pub.reject(moderator, tenantA, r2.caseId, 'Vastauksessa on nimi');
      expect((await app.services.feedback.get(street, tenantA, r2.caseId)).publication).toBe('rejected');
      expect(await audits('feedback.public_answer_rejected', r2.caseId)).toBe(1);
      expect(await pub.propose(admin, tenantA, r2.caseId, { publicDescription: 'Kuoppa', publicAnswer: 'Korjattu.', publish: true })).toEqual({ publication: 'published' });

      // Categories that do not allow publishing refuse a proposal.
      const acc = await app.services.feedback.submit(ANON, tenantA, { categoryCode: 'accessibility', description: 'Sivu ei toimi ruudunlukijalla', lang: 'fi' }, { channel: 'open311' });
      await expect(pub.propose(admin, tenantA, acc.caseId, { publicDescription: 'x' })).rejects.toMatchObject({ status: 400, details: { fields: { publication: 'not_allowed' } } });
    });

    it('suggests duplicates of the same category within 50 m and 30 days, nearest first', async () => {
      const at = nextSpot();
      const a = await submit({ ...at });
      const near = await submit({ lat: at.lat + north(30), lon: at.lon });
      const nearer = await submit({ lat: at.lat + north(10), lon: at.lon });
      const far = await submit({ lat: at.lat + north(80), lon: at.lon });
      const old = await submit({ ...at });
      await app.services.db.query(`update feedback_cases set created_at = now() - interval '40 days' where id = $1`, [old.caseId]);
      const other = await submit({ ...at, categoryCode: 'street-light' });
      const s = await app.services.feedbackDuplicates.suggestions(street, tenantA, a.caseId);
      expect(s.map((x) => x.id)).toEqual([nearer.caseId, near.caseId]);
      expect(s[0].distance).toBeGreaterThanOrEqual(9);
      expect(s[0].distance).toBeLessThanOrEqual(11);
      expect(s.some((x) => [far.caseId, old.caseId, other.caseId, a.caseId].includes(x.id))).toBe(false);
      await expect(app.services.feedbackDuplicates.suggestions(daycare, tenantA, a.caseId)).rejects.toMatchObject({ status: 403 });
    });

    it('merges a duplicate: status, link, events, e-mail; refuses self, duplicates, cycles, other units and tenants', async () => {
      const d = app.services.feedbackDuplicates;
      const at = nextSpot();
      const a = await submit({ ...at });
      const b = await submit({ ...at, contactEmail: 'kaksoset@example.com' });
      const c = await submit({ ...at });
      await expect(d.merge(street, tenantA, b.caseId, b.caseId)).rejects.toMatchObject({ status: 400, details: { fields: { into: 'same_case' } } });
      await expect(d.merge(daycare, tenantA, b.caseId, a.caseId)).rejects.toMatchObject({ status: 403 });
      await expect(d.merge(adminB, tenantA, b.caseId, a.caseId)).rejects.toMatchObject({ status: 404 });
      await d.merge(street, tenantA, b.caseId, a.caseId);
      const merged = await app.services.feedback.get(street, tenantA, b.caseId);
      expect(merged).toMatchObject({ status: 'duplicate', duplicateOf: a.caseId });
      expect(merged.events.some((e) => e.kind === 'merged' && e.visibility === 'resident')).toBe(true);
      expect((await app.services.feedback.get(street, tenantA, a.caseId)).events.some((e) => e.kind === 'merged' && e.data.fromNumber === b.number)).toBe(true);
      expect(await audits('feedback.case_merged', b.caseId)).toBe(1);
      // Suggestions no longer offer the merged case.
      expect((await d.suggestions(street, tenantA, a.caseId)).map((x) => x.id)).toEqual([c.caseId]);
      await expect(d.merge(street, tenantA, c.caseId, b.caseId)).rejects.toMatchObject({ status: 400, details: { fields: { into: 'is_duplicate' } } });
      await expect(d.merge(street, tenantA, b.caseId, c.caseId)).rejects.toMatchObject({ status: 409 });
      // A cycle would need a → b while b → a: b is a duplicate, so a cannot go into it.
      await expect(d.merge(street, tenantA, a.caseId, b.caseId)).rejects.toMatchObject({ status: 400 });
      // Merging the target onward re-points its duplicates: no chains.
      await d.merge(street, tenantA, a.caseId, c.caseId);
      expect((await app.services.feedback.get(street, tenantA, b.caseId)).duplicateOf).toBe(c.caseId);
      await expect
        .poll(async () => (await app.services.db.query(`select 1 from outbox_messages where recipient = 'kaksoset@example.com' and subject like '%${b.number}%'`)).rows.length, { timeout: 20_000 })
        .toBeGreaterThanOrEqual(2);
    });

    it('exports the queue as CSV: BOM, RFC 4180 quoting, formula injection neutralized, audited', async () => {
      expect(csvCell('=1+2')).toBe("'=1+2");
      expect(csvCell('a,"b"\nc')).toBe('"a,""b""\nc"');
      expect(csvCell('\tx')).toBe("'\tx");
      const marker = `vientitesti${Date.now()}`;
      const r = await submit({ description: `=SUM(A1) ${marker} "lainaus", pilkku\n<script>alert(1)</script>`, contactName: '@Evil', contactPhone: '+358 40 123 4567' });
      const katu = await staffClient(app, HOST_A, 'katu@esimerkkila.fi');
      const res = await katu.get(`/api/v1/feedback/cases.csv?q=${marker}&status=open&lang=en`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/csv');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="feedback-\d{4}-\d{2}-\d{2}\.csv"$/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
      const lines = text.slice(1).split('\r\n');
      expect(lines[0]).toBe('Number,Received,Category,Unit,Status,Channel,Address,Latitude,Longitude,Description,Assigned to,Due,Overdue,Accessibility,Publication,Name,E-mail,Phone');
      expect(text).toContain(`"'=SUM(A1) ${marker} ""lainaus"", pilkku\n<script>alert(1)</script>"`);
      expect(text).toContain(`,'@Evil,asukas@example.com,'+358 40 123 4567`);
      expect(text.startsWith(`\uFEFFNumber`)).toBe(true);
      expect(lines[1].startsWith(`${r.number},`)).toBe(true);
      const a = await app.services.db.query<{ details: { rows: number; filter: Record<string, unknown> } }>(`select details from audit_log where action = 'feedback.export' order by id desc limit 1`);
      expect(a.rows[0].details).toMatchObject({ rows: 1, filter: { q: marker, status: 'open' } });
    });

    it('scopes the staff API by unit and tenant', async () => {
      const r = await submit();
      const paivakoti = await staffClient(app, HOST_A, 'paivakoti@esimerkkila.fi');
      const list = await paivakoti.get('/api/v1/feedback/cases?status=open');
      if (list.status === 200) expect(((await list.json()) as { items: { id: string }[] }).items.some((i) => i.id === r.caseId)).toBe(false);
      else expect(list.status).toBe(403);
      expect((await paivakoti.get(`/api/v1/feedback/cases/${r.caseId}`)).status).toBe(403);
      expect((await paivakoti.api('POST', `/api/v1/feedback/cases/${r.caseId}/status`, { status: 'closed' })).status).toBe(403);
      expect((await paivakoti.get(`/fi/staff/feedback/cases/${r.caseId}`)).status).toBe(403);
      const b = await staffClient(app, HOST_B, 'admin@jarvikyla.fi');
      expect((await b.get(`/api/v1/feedback/cases/${r.caseId}`)).status).toBe(404);
      expect((await b.api('POST', `/api/v1/feedback/cases/${r.caseId}/status`, { status: 'closed' })).status).toBe(404);
      expect((await b.api('POST', `/api/v1/feedback/cases/${r.caseId}/merge`, { into: r.caseId })).status).toBe(404);
      expect((await b.get(`/fi/staff/feedback/cases/${r.caseId}`)).status).toBe(404);
      const katu = await staffClient(app, HOST_A, 'katu@esimerkkila.fi');
      expect((await katu.api('POST', `/api/v1/feedback/cases/${r.caseId}/status`, { status: 'in_progress' })).status).toBe(204);
      expect((await katu.api('POST', `/api/v1/feedback/cases/${r.caseId}/status`, { status: 'bogus' })).status).toBe(400);
      expect((await katu.api('POST', `/api/v1/feedback/cases/${r.caseId}/public-answer`, { publicDescription: 'x', publish: true })).status).toBe(403);
      expect(await audits('feedback.case_status', r.caseId)).toBe(1);
      // Category admin: tenant admins only.
      expect((await katu.get('/api/v1/feedback/admin/categories')).status).toBe(403);
      const admin = await staffClient(app, HOST_A, 'admin@esimerkkila.fi');
      const cats = (await (await admin.get('/api/v1/feedback/admin/categories')).json()) as { items: { id: string; code: string }[] };
      expect(cats.items.some((c) => c.code === 'pothole')).toBe(true);
      expect((await b.get(`/api/v1/feedback/admin/categories/${cats.items[0].id}`)).status).toBe(404);
    });

    it('renders a resident\'s markup as inert text in the console', async () => {
      const r = await submit({ description: '<script>alert("xss")</script><img src=x onerror=alert(1)>' });
      const katu = await staffClient(app, HOST_A, 'katu@esimerkkila.fi');
      const page = await katu.get(`/fi/staff/feedback/cases/${r.caseId}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).not.toContain('<script>alert("xss")');
      expect(html).not.toContain('<img src=x');
      expect(html).toContain('&lt;script&gt;');
      const queue = await (await katu.get(`/fi/staff/feedback/cases?q=${encodeURIComponent('alert')}`)).text();
      expect(queue).not.toContain('<script>alert("xss")');
      expect(await audits('feedback.case_read', r.caseId)).toBeGreaterThanOrEqual(1);
    });
  });
}
