import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/engines.ts';
import { HOST_A, HOST_B, startTestApp, type TestApp } from '../helpers/app.ts';
import { staffClient } from '../helpers/staff-session.ts';
import type { Actor } from '../../src/modules/identity/actor.ts';
import { percentileCont } from '../../src/modules/inbox/reports.ts';

/*
 * Inbox reports on both engines, from conversations with known timestamps (a week in
 * January 2026, Helsinki winter time = UTC+2) in a team that works Mon–Fri 08–16:
 *
 *   c1 chat  Mon 09:00  first answer +10 min, resolved +60 min, CSAT 5
 *   c2 chat  Mon 15:50  first answer Tue 08:20 (990 min; 30 business), resolved Tue 09:50 (1080; 120), CSAT 3
 *   c3 email Tue 10:00  first answer 12:00 after its 11:00 due (breach), unresolved past its due (breach)
 *   c4 chat  Wed 12:00  the bot answered and it was resolved without a hand-off (contained), CSAT 4
 *   c5 chat  Wed 12:30  the bot answered, then a person: first answer +10 min, open
 *   c6 chat  Thu 14:00  first answer +5 min, resolved +30 min, no CSAT
 *   and one feedback case on Wed.
 */

const ANON: Actor = { kind: 'anonymous' };
const at = (local: string) => new Date(`${local}+02:00`);
const HOURS = [
  { type: 'regular', validFrom: null, validTo: null, isClosed: false, hours: [{ dayFrom: 'Monday', dayTo: 'Friday', from: '08:00', to: '16:00' }], info: {} },
];

interface Seed {
  channel: 'chat' | 'email';
  created: string;
  bot?: boolean;
  handedOff?: string;
  firstResponse?: string;
  firstDue?: string;
  resolved?: string;
  resolutionDue?: string;
  byBot?: boolean;
  csat?: number;
}

const SEEDS: Seed[] = [
  { channel: 'chat', created: '2026-01-05T09:00', handedOff: '2026-01-05T09:00', firstResponse: '2026-01-05T09:10', firstDue: '2026-01-05T10:00', resolved: '2026-01-05T10:00', resolutionDue: '2026-01-05T13:00', csat: 5 },
  { channel: 'chat', created: '2026-01-05T15:50', handedOff: '2026-01-05T15:50', firstResponse: '2026-01-06T08:20', firstDue: '2026-01-06T08:50', resolved: '2026-01-06T09:50', resolutionDue: '2026-01-06T11:50', csat: 3 },
  { channel: 'email', created: '2026-01-06T10:00', handedOff: '2026-01-06T10:00', firstResponse: '2026-01-06T12:00', firstDue: '2026-01-06T11:00', resolutionDue: '2026-01-06T14:00' },
  { channel: 'chat', created: '2026-01-07T12:00', bot: true, resolved: '2026-01-07T12:05', byBot: true, csat: 4 },
  { channel: 'chat', created: '2026-01-07T12:30', bot: true, handedOff: '2026-01-07T12:30', firstResponse: '2026-01-07T12:40', firstDue: '2026-01-07T13:30', resolutionDue: '2099-01-01T12:00' },
  { channel: 'chat', created: '2026-01-08T14:00', handedOff: '2026-01-08T14:00', firstResponse: '2026-01-08T14:05', firstDue: '2026-01-08T15:00', resolved: '2026-01-08T14:30', resolutionDue: '2026-01-09T10:00' },
];

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`inbox reports (${engine.name})`, () => {
    let app: TestApp;
    let cs: Awaited<ReturnType<typeof staffClient>>;
    let tenantA: string;
    let teamId: string;
    const range = 'from=2026-01-05&to=2026-01-11';

    beforeAll(async () => {
      app = await startTestApp(engine.name);
      const admin = await staffClient(app, HOST_A, 'admin@esimerkkila.fi');
      cs = await staffClient(app, HOST_A, 'asiakaspalvelu@esimerkkila.fi');
      tenantA = admin.tenantId;
      const created = await admin.api('POST', '/api/v1/inbox/teams', {
        names: { fi: 'Raporttitiimi' },
        businessHours: HOURS,
        firstResponseSlaMinutes: 60,
        resolutionSlaMinutes: 240,
      });
      expect(created.status).toBe(201);
      teamId = (await created.json()).id;
      const { db, conversations } = app.services;
      for (const s of SEEDS) {
        const { conversation } = await db.transaction((tx) =>
          conversations.start(tx, tenantA, { channel: s.channel, lang: 'fi', status: 'bot', teamId, contactEmail: 'asukas@example.fi' }),
        );
        if (s.bot) await db.transaction((tx) => conversations.postMessage(tx, tenantA, conversation.id, { authorKind: 'bot', body: 'Hei! Miten voin auttaa?' }));
        await db.query(
          `update inbox_conversations set created_at = $3, handed_off_at = $4, first_response_at = $5, first_response_due_at = $6,
             resolved_at = $7, resolution_due_at = $8, resolved_by_bot = $9, csat_score = $10,
             status = case when $7::timestamptz is not null then 'resolved' when $4::timestamptz is not null then 'open' else 'bot' end
           where tenant_id = $1 and id = $2`,
          [
            tenantA,
            conversation.id,
            at(s.created),
            s.handedOff ? at(s.handedOff) : null,
            s.firstResponse ? at(s.firstResponse) : null,
            s.firstDue ? at(s.firstDue) : null,
            s.resolved ? at(s.resolved) : null,
            s.resolutionDue ? at(s.resolutionDue) : null,
            s.byBot === true,
            s.csat ?? null,
          ],
        );
      }
      const fb = await app.services.feedback.submit(ANON, tenantA, { categoryCode: 'accessibility', description: 'Sivu ei toimi ruudunlukijalla', lang: 'fi' }, { channel: 'open311' });
      await db.query('update feedback_cases set created_at = $3 where tenant_id = $1 and id = $2', [tenantA, fb.caseId, at('2026-01-07T18:00')]);
    }, 120_000);
    afterAll(() => app?.close());

    it('agrees with percentile_cont', () => {
      expect(percentileCont([10, 990, 120, 10, 5], 0.5)).toBe(10);
      expect(percentileCont([10, 990, 120, 10, 5], 0.9)).toBeCloseTo(642);
      expect(percentileCont([], 0.5)).toBeNull();
    });

    it('counts conversations per channel per day, with feedback cases beside them', async () => {
      const r = await cs.api('GET', `/api/v1/inbox/reports?${range}`);
      expect(r.status).toBe(200);
      const report = await r.json();
      expect(report.total).toBe(6);
      expect(report.volume).toHaveLength(7);
      expect(report.volume.slice(0, 4)).toEqual([
        { date: '2026-01-05', chat: 2, email: 0, feedback: 0 },
        { date: '2026-01-06', chat: 0, email: 1, feedback: 0 },
        { date: '2026-01-07', chat: 2, email: 0, feedback: 1 },
        { date: '2026-01-08', chat: 1, email: 0, feedback: 0 },
      ]);
      // One team: feedback cases have no team, so they are left out.
      const team = await (await cs.api('GET', `/api/v1/inbox/reports?${range}&teamId=${teamId}`)).json();
      expect(team.volume[2]).toEqual({ date: '2026-01-07', chat: 2, email: 0, feedback: null });
    });

    it('measures first response and resolution in wall-clock and business minutes', async () => {
      const report = await (await cs.api('GET', `/api/v1/inbox/reports?${range}&teamId=${teamId}`)).json();
      expect(report.times.firstResponse).toEqual({ count: 5, median: 10, p90: 642, businessMedian: 10, businessP90: 84 });
      expect(report.times.resolution).toEqual({ count: 3, median: 60, p90: 876, businessMedian: 60, businessP90: 108 });
    });

    it('counts SLA breaches, CSAT, containment and the busiest hours', async () => {
      const report = await (await cs.api('GET', `/api/v1/inbox/reports?${range}`)).json();
      expect(report.sla).toEqual({ firstResponse: { withTarget: 5, breached: 1 }, resolution: { withTarget: 5, breached: 1 } });
      expect(report.csat).toEqual({ count: 3, average: 4, distribution: [0, 0, 1, 1, 1], resolved: 4, responseRate: 0.75 });
      expect(report.containment).toEqual({ reachedBot: 2, contained: 1, rate: 0.5 });
      const cells: [number, number, number][] = [];
      report.hours.forEach((row: number[], d: number) => row.forEach((n, h) => n && cells.push([d, h, n])));
      expect(cells).toEqual([
        [0, 9, 1],
        [0, 15, 1],
        [1, 10, 1],
        [2, 12, 2],
        [3, 14, 1],
      ]);
    });

    it('exports each table as CSV with a BOM, audited', async () => {
      const r = await cs.get(`/api/v1/inbox/reports/times.csv?${range}&teamId=${teamId}&lang=fi`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('text/csv');
      expect(r.headers.get('content-disposition')).toBe('attachment; filename="inbox-times-2026-01-05-2026-01-11.csv"');
      const bytes = Buffer.from(await r.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.toString('utf8').slice(1).split('\r\n');
      expect(lines[0]).toBe('Mittari,Määrä,Mediaani (min),90 % (min),"Mediaani, aukioloaikaa (min)","90 %, aukioloaikaa (min)"');
      expect(lines[1]).toBe('Ensimmäinen vastaus,5,10,642,10,84');
      expect(lines[2]).toBe('Ratkaisu,3,60,876,60,108');

      // text() drops the BOM, as a spreadsheet does.
      const volume = (await (await cs.get(`/api/v1/inbox/reports/volume.csv?${range}&lang=sv`)).text()).split('\r\n');
      expect(volume[0]).toBe('Dag,Chatt,E-post,Respons,Totalt');
      expect(volume[3]).toBe('2026-01-07,2,0,1,3');
      const hours = (await (await cs.get(`/api/v1/inbox/reports/hours.csv?${range}&lang=en`)).text()).split('\r\n');
      expect(hours[1].split(',').slice(0, 11)).toEqual(['Monday', '0', '0', '0', '0', '0', '0', '0', '0', '0', '1']);
      for (const name of ['sla', 'csat', 'containment']) expect((await cs.get(`/api/v1/inbox/reports/${name}.csv?${range}`)).status).toBe(200);

      const audit = await app.services.db.query<{ details: { report: string; from: string } }>(
        `select details from audit_log where tenant_id = $1 and action = 'inbox.report_export' order by at`,
        [tenantA],
      );
      expect(audit.rows.map((x) => x.details.report)).toEqual(['times', 'volume', 'hours', 'sla', 'csat', 'containment']);
    });

    it('refuses bad filters, unknown reports, other roles and another tenant', async () => {
      for (const q of ['from=2026-13-01', 'from=2026-01-10&to=2026-01-01', 'from=2020-01-01&to=2026-01-01', 'teamId=x', "teamId=1'%20or%201=1"]) {
        const r = await cs.api('GET', `/api/v1/inbox/reports?${q}`);
        expect(r.status).toBe(400);
        expect((await r.json()).error.code).toBe('validation_failed');
      }
      expect((await cs.get(`/api/v1/inbox/reports/nope.csv?${range}`)).status).toBe(404);
      expect((await cs.get(`/api/v1/inbox/reports/times.txt?${range}`)).status).toBe(404);
      const unit = await staffClient(app, HOST_A, 'paivakoti@esimerkkila.fi');
      expect((await unit.api('GET', `/api/v1/inbox/reports?${range}`)).status).toBe(403);
      const other = await staffClient(app, HOST_B, 'admin@jarvikyla.fi');
      const r = await other.api('GET', `/api/v1/inbox/reports?${range}&teamId=${teamId}`);
      expect(r.status).toBe(400);
      expect((await r.json()).error.fields).toEqual({ teamId: 'unknown_team' });
      expect((await (await other.api('GET', `/api/v1/inbox/reports?${range}`)).json()).total).toBe(0);
    });

    it('defaults to the last 30 Helsinki days', async () => {
      const report = await (await cs.api('GET', '/api/v1/inbox/reports')).json();
      expect(report.volume).toHaveLength(30);
      expect(report.filter.to).toBe(new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Helsinki' }).format(new Date()));
    });
  });
}
