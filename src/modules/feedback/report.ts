import type { Queryable } from '../../platform/db.ts';

/**
 * Read side of feedback for other modules' reports: how many cases arrived per day. The
 * inbox's channel report shows feedback beside chat and e-mail through this, so it never
 * reads feedback tables itself. Days are Helsinki calendar days.
 */
export async function feedbackCasesPerDay(q: Queryable, tenantId: string, from: Date, to: Date): Promise<Map<string, number>> {
  const r = await q.query<{ day: string; n: string | number }>(
    `select to_char((created_at at time zone 'Europe/Helsinki')::date, 'YYYY-MM-DD') as day, count(*) as n
       from feedback_cases where tenant_id = $1 and created_at >= $2 and created_at < $3
      group by 1`,
    [tenantId, from, to],
  );
  return new Map(r.rows.map((x) => [x.day, Number(x.n)]));
}
