import { addDays, hoursOn, localParts, localToInstant } from '../catalog/opening-hours.ts';
import type { ServiceHours } from '../catalog/model.ts';

/**
 * A team's business hours (the catalog's ServiceHours shape, Helsinki wall clock) as
 * stretches of working time. SLA clocks run only inside them: a chat left at 15:50 on a
 * Friday with a 60-minute first-response target is due at 08:50 on Monday. No hours at all
 * means the team works around the clock. Spans past midnight are cut at midnight: a team
 * that works nights enters them as two rows.
 */
const DAY = 1440;
/** How far ahead to look for working time before giving up (a team closed for a year). */
const MAX_DAYS = 400;

function daySpans(hours: ServiceHours[], date: string): [number, number][] {
  return hoursOn(hours, date)
    .spans.map(([f, t]) => [Math.max(0, f), Math.min(DAY, t)] as [number, number])
    .filter(([f, t]) => t > f);
}

export function isWithinBusinessHours(hours: ServiceHours[], instant: number): boolean {
  if (!hours.length) return true;
  const { date, minutes } = localParts(instant);
  return daySpans(hours, date).some(([f, t]) => minutes >= f && minutes < t);
}

/** The instant `minutes` of working time after `start` (null when the team never works again). */
export function addBusinessMinutes(hours: ServiceHours[], start: number, minutes: number): number | null {
  if (!hours.length) return start + minutes * 60_000;
  const { date: startDate, minutes: startMin } = localParts(start);
  let left = minutes;
  for (let d = 0; d < MAX_DAYS; d++) {
    const date = addDays(startDate, d);
    for (const [f, t] of daySpans(hours, date)) {
      const from = d === 0 ? Math.max(f, startMin) : f;
      if (from >= t) continue;
      if (t - from >= left) return localToInstant(date, from + left);
      left -= t - from;
    }
  }
  return null;
}

/** Working minutes between two instants (for SLA reports); 0 when end is before start. */
export function businessMinutesBetween(hours: ServiceHours[], start: number, end: number): number {
  if (end <= start) return 0;
  if (!hours.length) return (end - start) / 60_000;
  const a = localParts(start);
  const b = localParts(end);
  let total = 0;
  for (let d = 0, date = a.date; d < MAX_DAYS; d++, date = addDays(a.date, d)) {
    for (const [f, t] of daySpans(hours, date)) {
      const from = date === a.date ? Math.max(f, a.minutes) : f;
      const to = date === b.date ? Math.min(t, b.minutes) : t;
      if (to > from) total += to - from;
    }
    if (date === b.date) break;
  }
  return total;
}

/** When the team next opens after `instant` (null when within hours now or never again). */
export function nextOpening(hours: ServiceHours[], instant: number): number | null {
  if (isWithinBusinessHours(hours, instant)) return null;
  const { date: startDate, minutes } = localParts(instant);
  for (let d = 0; d < 30; d++) {
    const date = addDays(startDate, d);
    for (const [f] of daySpans(hours, date)) if (d > 0 || f > minutes) return localToInstant(date, f);
  }
  return null;
}
