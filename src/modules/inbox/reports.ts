import type { AuditService } from '../audit/audit.ts';
import { addDays, localParts, localToInstant } from '../catalog/opening-hours.ts';
import type { ServiceHours } from '../catalog/model.ts';
import { feedbackCasesPerDay } from '../feedback/report.ts';
import { csvLine } from '../feedback/export.ts';
import { requireRole } from '../identity/access.ts';
import type { Actor } from '../identity/actor.ts';
import type { Db } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import { isUuid } from '../../platform/validation.ts';
import { businessMinutesBetween } from './business-hours.ts';
import { toTeam } from './conversations.ts';

/**
 * Customer-service reports (`services.inboxReports`) over the conversations created in a
 * range of Helsinki calendar days, optionally of one team: volume per channel per day (with
 * feedback cases beside chat and e-mail, read through the feedback module), first-response
 * and resolution times (median and 90th percentile, wall-clock from SQL percentile_cont and
 * in the team's business minutes), SLA breaches, CSAT, bot containment and the busiest
 * hours. Aggregates only: no names, addresses or message text. Customer service staff (and
 * tenant admins) may read them; a CSV export is audited like the feedback export.
 *
 * Words: first response = first_response_at − handed_off_at; resolution =
 * resolved_at − handed_off_at (both only for handed-off conversations); a breach is an
 * answer (or resolution) after its due time, or none yet when the due time has passed;
 * containment = conversations resolved without a hand-off / conversations the bot answered.
 */

export const REPORT_NAMES = ['volume', 'times', 'sla', 'csat', 'containment', 'hours'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];
export const isReportName = (v: unknown): v is ReportName => typeof v === 'string' && (REPORT_NAMES as readonly string[]).includes(v);

/** A year and a day: enough for year-on-year, small enough to stay quick. */
export const MAX_RANGE_DAYS = 366;
export const DEFAULT_RANGE_DAYS = 30;

export interface ReportFilter {
  /** Helsinki calendar dates, inclusive. */
  from: string;
  to: string;
  teamId: string | null;
}

export interface VolumeRow {
  date: string;
  chat: number;
  email: number;
  /** null when the report is for one team (feedback cases have no team). */
  feedback: number | null;
}

export interface TimeStats {
  count: number;
  /** Minutes; null when there is nothing to measure. */
  median: number | null;
  p90: number | null;
  businessMedian: number | null;
  businessP90: number | null;
}

export interface SlaStats {
  /** Conversations with a due time. */
  withTarget: number;
  breached: number;
}

export interface Report {
  filter: ReportFilter;
  volume: VolumeRow[];
  times: { firstResponse: TimeStats; resolution: TimeStats };
  sla: { firstResponse: SlaStats; resolution: SlaStats };
  csat: { count: number; average: number | null; distribution: [number, number, number, number, number]; resolved: number; responseRate: number | null };
  containment: { reachedBot: number; contained: number; rate: number | null };
  /** [weekday 0 = Monday][hour 0–23], conversations started, Helsinki time. */
  hours: number[][];
  total: number;
}

/** Today's Helsinki date. */
export function helsinkiToday(now = Date.now()): string {
  return localParts(now).date;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (v: string) => DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v;

/**
 * The filter from query parameters: the last 30 days up to today by default. Bad input is a
 * 400 with the field, never a guess.
 */
export function reportFilter(q: Record<string, unknown>, now = Date.now()): ReportFilter {
  const today = helsinkiToday(now);
  const str = (k: string) => (typeof q[k] === 'string' ? (q[k] as string).trim() : '');
  const to = str('to') || today;
  const from = str('from') || addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  const teamId = str('teamId') || null;
  const fields: Record<string, string> = {};
  if (!validDate(from)) fields.from = 'date';
  if (!validDate(to)) fields.to = 'date';
  if (teamId && !isUuid(teamId)) fields.teamId = 'unknown_team';
  if (!Object.keys(fields).length) {
    if (to < from) fields.to = 'before_from';
    else if ((Date.parse(to) - Date.parse(from)) / 86_400_000 + 1 > MAX_RANGE_DAYS) fields.from = 'range_too_long';
  }
  if (Object.keys(fields).length) throw new AppError('validation_failed', 400, { fields });
  return { from, to, teamId };
}

/** percentile_cont's definition (linear interpolation between the closest ranks), for values computed in JS. */
export function percentileCont(values: number[], p: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

interface TimingRow {
  team_id: string | null;
  handed_off_at: Date | string;
  first_response_at: Date | string | null;
  resolved_at: Date | string | null;
}

export class InboxReportService {
  constructor(private d: { db: Db; audit: AuditService }) {}

  async report(actor: Actor, tenantId: string, filter: ReportFilter): Promise<Report> {
    this.requireReader(actor, tenantId);
    const db = this.d.db;
    if (filter.teamId && !(await db.query('select 1 from inbox_teams where tenant_id = $1 and id = $2', [tenantId, filter.teamId])).rows.length) {
      throw new AppError('validation_failed', 400, { fields: { teamId: 'unknown_team' } });
    }
    const start = new Date(localToInstant(filter.from, 0));
    const end = new Date(localToInstant(addDays(filter.to, 1), 0));
    // $1 tenant, $2 start, $3 end, $4 team (null = all teams)
    const scope = `tenant_id = $1 and created_at >= $2 and created_at < $3 and ($4::uuid is null or team_id = $4::uuid)`;
    const params = [tenantId, start, end, filter.teamId];

    const perDay = await db.query<{ day: string; channel: string; n: string | number }>(
      `select to_char((created_at at time zone 'Europe/Helsinki')::date, 'YYYY-MM-DD') as day, channel, count(*) as n
         from inbox_conversations where ${scope} group by 1, 2`,
      params,
    );
    const feedback = filter.teamId ? null : await feedbackCasesPerDay(db, tenantId, start, end);
    const volume: VolumeRow[] = [];
    for (let day = filter.from; day <= filter.to; day = addDays(day, 1)) {
      const n = (channel: string) => Number(perDay.rows.find((r) => r.day === day && r.channel === channel)?.n ?? 0);
      volume.push({ date: day, chat: n('chat'), email: n('email'), feedback: feedback ? (feedback.get(day) ?? 0) : null });
    }

    const wall = await db.query<Record<string, string | number | null>>(
      `select
         count(first_response_at) as fr_n,
         percentile_cont(0.5) within group (order by extract(epoch from (first_response_at - handed_off_at)) / 60) as fr_median,
         percentile_cont(0.9) within group (order by extract(epoch from (first_response_at - handed_off_at)) / 60) as fr_p90,
         count(resolved_at) as res_n,
         percentile_cont(0.5) within group (order by extract(epoch from (resolved_at - handed_off_at)) / 60) as res_median,
         percentile_cont(0.9) within group (order by extract(epoch from (resolved_at - handed_off_at)) / 60) as res_p90,
         count(first_response_due_at) as fr_target,
         count(*) filter (where first_response_at > first_response_due_at or (first_response_at is null and first_response_due_at < now())) as fr_breached,
         count(resolution_due_at) as res_target,
         count(*) filter (where resolved_at > resolution_due_at or (resolved_at is null and resolution_due_at < now())) as res_breached
       from inbox_conversations where ${scope} and handed_off_at is not null`,
      params,
    );
    const w = wall.rows[0];

    // Business minutes depend on each conversation's team hours, so they are counted here.
    const teams = new Map<string, ServiceHours[]>();
    for (const t of (await db.query<Parameters<typeof toTeam>[0]>('select * from inbox_teams where tenant_id = $1', [tenantId])).rows) {
      teams.set(t.id, toTeam(t).businessHours);
    }
    const timing = await db.query<TimingRow>(
      `select team_id, handed_off_at, first_response_at, resolved_at from inbox_conversations where ${scope} and handed_off_at is not null`,
      params,
    );
    const firstBusiness: number[] = [];
    const resolutionBusiness: number[] = [];
    for (const r of timing.rows) {
      const hours = (r.team_id && teams.get(r.team_id)) || [];
      const from = new Date(r.handed_off_at).getTime();
      if (r.first_response_at) firstBusiness.push(businessMinutesBetween(hours, from, new Date(r.first_response_at).getTime()));
      if (r.resolved_at) resolutionBusiness.push(businessMinutesBetween(hours, from, new Date(r.resolved_at).getTime()));
    }

    const csat = await db.query<Record<string, string | number | null>>(
      `select count(csat_score) as n, avg(csat_score) as average,
         count(*) filter (where csat_score = 1) as s1, count(*) filter (where csat_score = 2) as s2, count(*) filter (where csat_score = 3) as s3,
         count(*) filter (where csat_score = 4) as s4, count(*) filter (where csat_score = 5) as s5,
         count(*) filter (where status = 'resolved') as resolved,
         count(*) filter (where exists (select 1 from inbox_messages m where m.tenant_id = c.tenant_id and m.conversation_id = c.id and m.author_kind = 'bot')) as reached_bot,
         count(*) filter (where status = 'resolved' and resolved_by_bot
           and exists (select 1 from inbox_messages m where m.tenant_id = c.tenant_id and m.conversation_id = c.id and m.author_kind = 'bot')) as contained,
         count(*) as total
       from inbox_conversations c where ${scope}`,
      params,
    );
    const c = csat.rows[0];
    const rated = Number(c.n);
    const resolved = Number(c.resolved);
    const reachedBot = Number(c.reached_bot);
    const contained = Number(c.contained);

    const busy = await db.query<{ dow: string | number; hour: string | number; n: string | number }>(
      `select extract(isodow from created_at at time zone 'Europe/Helsinki') as dow, extract(hour from created_at at time zone 'Europe/Helsinki') as hour,
         count(*) as n from inbox_conversations where ${scope} group by 1, 2`,
      params,
    );
    const hours = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
    for (const r of busy.rows) hours[Number(r.dow) - 1][Number(r.hour)] = Number(r.n);

    return {
      filter,
      volume,
      times: {
        firstResponse: {
          count: Number(w.fr_n),
          median: round1(num(w.fr_median)),
          p90: round1(num(w.fr_p90)),
          businessMedian: round1(percentileCont(firstBusiness, 0.5)),
          businessP90: round1(percentileCont(firstBusiness, 0.9)),
        },
        resolution: {
          count: Number(w.res_n),
          median: round1(num(w.res_median)),
          p90: round1(num(w.res_p90)),
          businessMedian: round1(percentileCont(resolutionBusiness, 0.5)),
          businessP90: round1(percentileCont(resolutionBusiness, 0.9)),
        },
      },
      sla: {
        firstResponse: { withTarget: Number(w.fr_target), breached: Number(w.fr_breached) },
        resolution: { withTarget: Number(w.res_target), breached: Number(w.res_breached) },
      },
      csat: {
        count: rated,
        average: rated ? Math.round(Number(c.average) * 100) / 100 : null,
        distribution: [Number(c.s1), Number(c.s2), Number(c.s3), Number(c.s4), Number(c.s5)],
        resolved,
        responseRate: resolved ? Math.round((rated / resolved) * 1000) / 1000 : null,
      },
      containment: { reachedBot, contained, rate: reachedBot ? Math.round((contained / reachedBot) * 1000) / 1000 : null },
      hours,
      total: Number(c.total),
    };
  }

  /** One table of the report as CSV (UTF-8 BOM, CRLF, like the feedback export); audited. */
  async csv(actor: Actor, tenantId: string, name: ReportName, filter: ReportFilter, lang: Lang, ctx: { ip?: string } = {}): Promise<{ filename: string; body: string }> {
    const r = await this.report(actor, tenantId, filter);
    const rows = csvRows(r, name, lang);
    await this.d.audit.record(this.d.db, tenantId, actor, {
      action: 'inbox.report_export',
      targetKind: 'inbox_report',
      targetId: name,
      details: { report: name, from: filter.from, to: filter.to, teamId: filter.teamId, rows: rows.length - 1 },
      ip: ctx.ip,
    });
    return { filename: `inbox-${name}-${filter.from}-${filter.to}.csv`, body: '\uFEFF' + rows.map(csvLine).join('') };
  }

  private requireReader(actor: Actor, tenantId: string) {
    if (actor.kind === 'staff' && actor.user.tenantId !== tenantId) throw new AppError('not_found', 404);
    requireRole(actor, 'customer_service');
  }
}

const WEEKDAY_NAMES: Record<Lang, string[]> = {
  fi: ['maanantai', 'tiistai', 'keskiviikko', 'torstai', 'perjantai', 'lauantai', 'sunnuntai'],
  sv: ['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag', 'söndag'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
};

const CSV_TEXT: Record<Lang, Record<string, string>> = {
  fi: {
    date: 'Päivä', chat: 'Chat', email: 'Sähköposti', feedback: 'Palaute', total: 'Yhteensä', measure: 'Mittari', count: 'Määrä',
    median: 'Mediaani (min)', p90: '90 % (min)', bmedian: 'Mediaani, aukioloaikaa (min)', bp90: '90 %, aukioloaikaa (min)',
    firstResponse: 'Ensimmäinen vastaus', resolution: 'Ratkaisu', withTarget: 'Tavoite asetettu', breached: 'Ylitetty', share: 'Osuus',
    score: 'Arvosana', average: 'Keskiarvo', rated: 'Arvioita', resolved: 'Ratkaistuja', rate: 'Vastausosuus',
    reachedBot: 'Botti vastasi', contained: 'Ratkesi ilman siirtoa', containment: 'Botin ratkaisuosuus', weekday: 'Viikonpäivä',
  },
  sv: {
    date: 'Dag', chat: 'Chatt', email: 'E-post', feedback: 'Respons', total: 'Totalt', measure: 'Mått', count: 'Antal',
    median: 'Median (min)', p90: '90 % (min)', bmedian: 'Median, öppettid (min)', bp90: '90 %, öppettid (min)',
    firstResponse: 'Första svar', resolution: 'Lösning', withTarget: 'Med mål', breached: 'Överskridna', share: 'Andel',
    score: 'Betyg', average: 'Medelvärde', rated: 'Betyg givna', resolved: 'Lösta', rate: 'Svarsandel',
    reachedBot: 'Botten svarade', contained: 'Löstes utan överföring', containment: 'Bottens lösningsandel', weekday: 'Veckodag',
  },
  en: {
    date: 'Date', chat: 'Chat', email: 'E-mail', feedback: 'Feedback', total: 'Total', measure: 'Measure', count: 'Count',
    median: 'Median (min)', p90: '90th percentile (min)', bmedian: 'Median, business time (min)', bp90: '90th percentile, business time (min)',
    firstResponse: 'First response', resolution: 'Resolution', withTarget: 'With a target', breached: 'Breached', share: 'Share',
    score: 'Score', average: 'Average', rated: 'Ratings', resolved: 'Resolved', rate: 'Response rate',
    reachedBot: 'Answered by the bot', contained: 'Resolved without hand-off', containment: 'Containment rate', weekday: 'Weekday',
  },
};

type Cell = string | number | null;

/** The rows of one report table, header first, in the page's language. */
export function csvRows(r: Report, name: ReportName, lang: Lang): Cell[][] {
  const t = CSV_TEXT[lang];
  const share = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 1000 : null);
  switch (name) {
    case 'volume': {
      const withFeedback = r.filter.teamId === null;
      return [
        [t.date, t.chat, t.email, ...(withFeedback ? [t.feedback] : []), t.total],
        ...r.volume.map((v) => [v.date, v.chat, v.email, ...(withFeedback ? [v.feedback] : []), v.chat + v.email + (v.feedback ?? 0)]),
      ];
    }
    case 'times':
      return [
        [t.measure, t.count, t.median, t.p90, t.bmedian, t.bp90],
        ...([['firstResponse', r.times.firstResponse], ['resolution', r.times.resolution]] as const).map(([k, s]) => [t[k], s.count, s.median, s.p90, s.businessMedian, s.businessP90]),
      ];
    case 'sla':
      return [
        [t.measure, t.withTarget, t.breached, t.share],
        ...([['firstResponse', r.sla.firstResponse], ['resolution', r.sla.resolution]] as const).map(([k, s]) => [t[k], s.withTarget, s.breached, share(s.breached, s.withTarget)]),
      ];
    case 'csat':
      return [
        [t.score, t.count],
        ...r.csat.distribution.map((n, i) => [i + 1, n]),
        [t.rated, r.csat.count],
        [t.average, r.csat.average],
        [t.resolved, r.csat.resolved],
        [t.rate, r.csat.responseRate],
      ];
    case 'containment':
      return [
        [t.reachedBot, t.contained, t.containment],
        [r.containment.reachedBot, r.containment.contained, r.containment.rate],
      ];
    case 'hours':
      return [[t.weekday, ...Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}`)], ...r.hours.map((row, d) => [WEEKDAY_NAMES[lang][d], ...row])];
  }
}
