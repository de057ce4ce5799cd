import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/modules/identity/actor.ts';
import { engines } from '../helpers/engines.ts';
import { staffActor } from '../helpers/staff-session.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

/*
 * The feedback module's core on both engines, through the services: one submission path,
 * double submissions, spam checks, staff handling with unit-scoped access, the resident's
 * follow-up token, and tenant isolation.
 */

const ANON: Actor = { kind: 'anonymous' };


for (const engine of engines()) {
  describe.skipIf(!engine.available)(`feedback core (${engine.name})`, () => {
    let app: TestApp;
    let tenantA: string;
    let tenantB: string;
    let street: Actor;
    let daycare: Actor;

    beforeAll(async () => {
      app = await startTestApp(engine.name, { env: { FEEDBACK_RATE_PER_IP_HOUR: '3' } });
      const t = await app.services.db.query<{ id: string; slug: string }>('select id, slug from tenants');
      tenantA = t.rows.find((r) => r.slug === 'esimerkkila')!.id;
      tenantB = t.rows.find((r) => r.slug === 'jarvikyla')!.id;
      street = await staffActor(app, tenantA, 'katu@esimerkkila.fi');
      daycare = await staffActor(app, tenantA, 'paivakoti@esimerkkila.fi');
    }, 120_000);
    afterAll(() => app?.close());

    const pothole = (extra: Record<string, unknown> = {}) => ({
      categoryCode: 'pothole',
      description: `Syvä kuoppa pyörätiellä ${Math.random()}`,
      lat: 61.4981,
      lon: 23.7608,
      address: 'Hämeenkatu 10',
      contactEmail: 'asukas@example.com',
      lang: 'fi' as const,
      attributes: { size: 'large' },
      ...extra,
    });

    it('creates a case in the category unit queue with a receipt e-mail', async () => {
      const r = await app.services.feedback.submit(ANON, tenantA, pothole(), { channel: 'web', ip: '10.0.0.1', origin: 'http://esimerkkila.localhost' });
      expect(r.repeated).toBe(false);
      expect(r.followToken).toBeTruthy();
      const queue = await app.services.feedback.queue(street, tenantA, { status: 'open' });
      expect(queue.items.some((i) => i.id === r.caseId)).toBe(true);
      const view = await app.services.feedback.followView(tenantA, r.followToken!);
      expect(view.status).toBe('new');
      await expect
        .poll(async () => {
          const m = await app.services.db.query<{ body_text: string }>('select body_text from outbox_messages where recipient = $1', ['asukas@example.com']);
          return m.rows.some((x) => x.body_text.includes(`http://esimerkkila.localhost/fi/feedback/follow/${r.followToken}`));
        }, { timeout: 20_000 })
        .toBe(true);
    });

    it('makes one case of a double submission (same key, and same content within a minute)', async () => {
      const input = pothole({ idempotencyKey: 'k-1' });
      const results = await Promise.all([1, 2, 3].map(() => app.services.feedback.submit(ANON, tenantA, input, { channel: 'open311' })));
      expect(new Set(results.map((r) => r.caseId)).size).toBe(1);
      expect(results.filter((r) => !r.repeated)).toHaveLength(1);
      const again = await app.services.feedback.submit(ANON, tenantA, { ...input, idempotencyKey: undefined }, { channel: 'open311' });
      expect(again.caseId).toBe(results[0].caseId);
    });

    it('validates against the category and refuses spam', async () => {
      await expect(app.services.feedback.submit(ANON, tenantA, pothole({ lat: undefined, lon: undefined, address: '' }), { channel: 'open311' })).rejects.toMatchObject({
        status: 400,
        details: { fields: { location: 'required' } },
      });
      await expect(app.services.feedback.submit(ANON, tenantA, pothole({ attributes: { size: 'huge' } }), { channel: 'open311' })).rejects.toMatchObject({ status: 400 });
      await expect(app.services.feedback.submit(ANON, tenantA, pothole({ honeypot: 'x' }), { channel: 'web' })).rejects.toMatchObject({ code: 'spam_suspected' });
      await expect(
        app.services.feedback.submit(ANON, tenantA, pothole({ description: 'http://a.example http://b.example http://c.example' }), { channel: 'web' }),
      ).rejects.toMatchObject({ details: { fields: { description: 'too_many_links' } } });
      for (let i = 0; i < 3; i++) await app.services.feedback.submit(ANON, tenantA, pothole({ contactEmail: null }), { channel: 'web', ip: '10.9.9.9' });
      await expect(app.services.feedback.submit(ANON, tenantA, pothole({ contactEmail: null }), { channel: 'web', ip: '10.9.9.9' })).rejects.toMatchObject({ status: 429 });
    });

    it('lets the unit handle the case and the resident follow it; other units and tenants cannot', async () => {
      const r = await app.services.feedback.submit(ANON, tenantA, pothole(), { channel: 'web' });
      await expect(app.services.feedback.get(daycare, tenantA, r.caseId)).rejects.toMatchObject({ status: 403 });
      await expect(app.services.feedback.followView(tenantB, r.followToken!)).rejects.toMatchObject({ status: 404 });
      await app.services.feedback.setStatus(street, tenantA, r.caseId, 'in_progress');
      await app.services.feedback.addNote(street, tenantA, r.caseId, 'Sisäinen huomio');
      await app.services.feedback.reply(street, tenantA, r.caseId, { body: 'Korjaamme kuopan ensi viikolla.', status: 'resolved' });
      const c = await app.services.feedback.get(street, tenantA, r.caseId);
      expect(c.status).toBe('resolved');
      expect(c.contactEmail).toBe('asukas@example.com');
      const audit = await app.services.db.query(`select 1 from audit_log where action = 'feedback.case_read' and target_id = $1`, [r.caseId]);
      expect(audit.rows.length).toBe(1);
      const view = await app.services.feedback.followView(tenantA, r.followToken!);
      expect(view.askFixed).toBe(true);
      expect(view.events.some((e) => e.body === 'Korjaamme kuopan ensi viikolla.')).toBe(true);
      expect(view.events.some((e) => e.body === 'Sisäinen huomio')).toBe(false);
      await app.services.feedback.answerFixed(ANON, tenantA, r.followToken!, { fixed: 'no', comment: 'Kuoppa on yhä siellä' });
      expect((await app.services.feedback.followView(tenantA, r.followToken!)).status).toBe('in_progress');
    });

    it('a status change of a published case changes the public content version (cached feed pages follow)', async () => {
      const r = await app.services.feedback.submit(ANON, tenantA, pothole(), { channel: 'open311' });
      await app.services.db.query(
        `update feedback_cases set publication = 'published', public_description = 'Kuoppa', published_at = now() where id = $1`,
        [r.caseId],
      );
      const before = (await app.services.db.query<{ version: string }>('select version from content_versions where tenant_id = $1', [tenantA])).rows[0]?.version ?? '0';
      await app.services.feedback.setStatus(street, tenantA, r.caseId, 'planned');
      const after = (await app.services.db.query<{ version: string }>('select version from content_versions where tenant_id = $1', [tenantA])).rows[0].version;
      expect(Number(after)).toBeGreaterThan(Number(before));
    });

    it('purges submission keys and rate counters past their windows, keeping fresh ones', async () => {
      await app.services.db.query(
        `insert into feedback_submissions (tenant_id, key, case_id, created_at) values ($1, 'old', gen_random_uuid(), now() - interval '2 days'), ($1, 'fresh', gen_random_uuid(), now())`,
        [tenantA],
      );
      await app.services.db.query(`insert into feedback_rate (tenant_id, key, window_start, count) values ($1, 'old', now() - interval '2 hours', 5)`, [tenantA]);
      await app.services.feedback.purgeExpiredKeys();
      const keys = await app.services.db.query<{ key: string }>(`select key from feedback_submissions where key in ('old', 'fresh')`);
      expect(keys.rows.map((r) => r.key)).toEqual(['fresh']);
      expect((await app.services.db.query(`select 1 from feedback_rate where key = 'old'`)).rows).toHaveLength(0);
    });
  });
}
