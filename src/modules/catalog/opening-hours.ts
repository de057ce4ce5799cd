import type { Localized } from '../../platform/i18n.ts';
import type { ServiceHours, Weekday } from './model.ts';

/**
 * Opening hours in Europe/Helsinki wall-clock time. PTV stores hours as local "HH:MM" per
 * weekday, so everything here works in local dates and minutes of the local day; an instant
 * is turned into local parts with Intl (no tz library), and a local moment back into an
 * instant only for `nextChange` (cache expiry). Pure functions: the caller passes the instant.
 */

export const TIME_ZONE = 'Europe/Helsinki';
export const WEEKDAYS: Weekday[] = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const DAY = 1440;

export interface LocalMoment {
  /** Local ISO date, e.g. 2026-03-30. */
  date: string;
  weekday: Weekday;
  /** Local "HH:MM". */
  time: string;
  /** 0 = today, 1 = tomorrow, … (local days from the asked instant). */
  daysFromToday: number;
}

export interface DayHours {
  date: string;
  weekday: Weekday;
  /** Open intervals of the day, "HH:MM" local; to "24:00" = until midnight; to earlier than from = past midnight. */
  intervals: { from: string; to: string }[];
  /** The exceptional row that decides this day (closure or special hours), if any. */
  exceptional: { closed: boolean; info: Localized } | null;
  /** Info of the regular rows in force (e.g. "summer weekend hours"). */
  info: Localized[];
}

export interface OpenStatus {
  open: boolean;
  /** Open around the clock for the whole week looked at. */
  alwaysOpen: boolean;
  /** When open: the moment it closes (null = not within the next week). */
  until: LocalMoment | null;
  /** When closed: the next opening within the next week. */
  opensAt: LocalMoment | null;
  today: DayHours;
  /** Epoch ms of the next open/closed change (or of the next local midnight when nothing changes sooner): a page showing this status is valid until then. */
  nextChange: number;
  /** The channel has any hours at all; without them nothing is claimed. */
  known: boolean;
}

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** Local date ("YYYY-MM-DD") and minute of the day of an instant in Helsinki. */
export function localParts(instant: number): { date: string; minutes: number } {
  const p: Record<string, string> = {};
  for (const x of partsFormat.formatToParts(new Date(instant))) p[x.type] = x.value;
  return { date: `${p.year}-${p.month}-${p.day}`, minutes: Number(p.hour) * 60 + Number(p.minute) };
}

/** Helsinki's offset from UTC in ms at an instant (+2 h in winter, +3 h in summer). */
function offsetAt(instant: number): number {
  const { date, minutes } = localParts(instant);
  const asUtc = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  return asUtc - Math.floor(instant / 60_000) * 60_000;
}

/** The instant of a local wall-clock moment (a moment skipped by spring-forward maps to just after the gap). */
export function localToInstant(date: string, minutes: number): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  let instant = wall - offsetAt(wall);
  const second = offsetAt(instant);
  if (wall - second !== instant) instant = Math.max(instant, wall - second);
  return instant;
}

export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export function weekdayOf(date: string): Weekday {
  // 1970-01-01 was a Thursday (index 3 with Monday = 0).
  const days = Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
  return WEEKDAYS[(((days + 3) % 7) + 7) % 7];
}

function parseTime(t: string): number | null {
  const m = /^(\d{1,2}):(\d{2})(?::\d{2})?$/.exec(t.trim());
  if (!m) return null;
  const v = Number(m[1]) * 60 + Number(m[2]);
  return v <= DAY ? v : null;
}

export function formatMinutes(m: number): string {
  const mm = ((m % DAY) + DAY) % DAY;
  if (m === DAY) return '24:00';
  return `${String(Math.floor(mm / 60)).padStart(2, '0')}:${String(mm % 60).padStart(2, '0')}`;
}

/** Weekday range with wrap-around (Saturday..Monday = Sat, Sun, Mon). */
export function dayInRange(day: Weekday, from: Weekday, to: Weekday | null | undefined): boolean {
  const d = WEEKDAYS.indexOf(day);
  const f = WEEKDAYS.indexOf(from);
  const t = to ? WEEKDAYS.indexOf(to) : f;
  if (f < 0) return false;
  return f <= t ? d >= f && d <= t : d >= f || d <= t;
}

/**
 * An opening-hour row as minutes of the day: [start, end] with end > 1440 when it runs past
 * midnight. 00:00–00:00, 00:00–24:00 and 00:00–23:59 (how PTV data often writes it) are the
 * whole day.
 */
function span(from: string, to: string): [number, number] | null {
  const f = parseTime(from);
  let t = parseTime(to);
  if (f === null || t === null) return null;
  if (t === 1439 && f === 0) t = DAY;
  if (t === f) return [f, f + DAY];
  if (t < f) return [f, t + DAY];
  return [f, t];
}

function covers(h: ServiceHours, date: string): boolean {
  if (h.validFrom && date < h.validFrom.slice(0, 10)) return false;
  const to = h.validTo ?? (h.type === 'exceptional' ? h.validFrom : null);
  if (to && date > to.slice(0, 10)) return false;
  return true;
}

/** The hours of one local date: exceptional rows first, else the regular rows in force. */
export function hoursOn(hours: ServiceHours[], date: string): DayHours & { spans: [number, number][] } {
  const weekday = weekdayOf(date);
  const exceptional = hours.filter((h) => h.type === 'exceptional' && h.validFrom && covers(h, date));
  if (exceptional.length) {
    // The narrowest exceptional row wins (a single holiday inside a longer summer period).
    const ex = [...exceptional].sort((a, b) => rangeLength(a) - rangeLength(b))[0];
    const singleDay = !ex.validTo || ex.validTo.slice(0, 10) === ex.validFrom!.slice(0, 10);
    const rows = ex.isClosed ? [] : ex.hours.filter((o) => singleDay || !o.dayFrom || dayInRange(weekday, o.dayFrom, o.dayTo));
    const spans = rows.map((o) => span(o.from, o.to)).filter((s): s is [number, number] => s !== null);
    return { date, weekday, spans: sortSpans(spans), intervals: toIntervals(spans), exceptional: { closed: spans.length === 0, info: ex.info ?? {} }, info: [] };
  }
  const regular = hours.filter((h) => h.type === 'regular' && !h.isClosed && covers(h, date));
  // Rows limited in time (summer hours) replace the open-ended ones on the weekdays they
  // cover; on other weekdays the open-ended rows still apply (summer weekend opening added
  // to the usual weekday hours).
  const limited = regular.filter((h) => h.validFrom || h.validTo);
  const limitedToday = limited.filter((h) => h.hours.some((o) => dayInRange(weekday, o.dayFrom, o.dayTo)));
  const rowsInForce = limitedToday.length ? limitedToday : regular.filter((h) => !h.validFrom && !h.validTo);
  const spans: [number, number][] = [];
  for (const h of rowsInForce) {
    for (const o of h.hours) {
      if (!dayInRange(weekday, o.dayFrom, o.dayTo)) continue;
      const s = span(o.from, o.to);
      if (s) spans.push(s);
    }
  }
  const info = rowsInForce.map((h) => h.info ?? {}).filter((i) => Object.values(i).some(Boolean));
  return { date, weekday, spans: sortSpans(spans), intervals: toIntervals(spans), exceptional: null, info };
}

function rangeLength(h: ServiceHours) {
  const from = Date.parse(h.validFrom!.slice(0, 10));
  const to = h.validTo ? Date.parse(h.validTo.slice(0, 10)) : from;
  return to - from;
}

function sortSpans(s: [number, number][]) {
  return s.sort((a, b) => a[0] - b[0]);
}

function toIntervals(spans: [number, number][]) {
  return sortSpans([...spans]).map(([f, t]) => ({ from: formatMinutes(f), to: t >= DAY ? (t === DAY ? '24:00' : formatMinutes(t - DAY)) : formatMinutes(t) }));
}

/** Hours of `days` consecutive local days starting with the local date of the instant. */
export function weekFrom(hours: ServiceHours[], instant: number, days = 7): DayHours[] {
  const today = localParts(instant).date;
  return Array.from({ length: days }, (_, i) => {
    const { spans: _s, ...day } = hoursOn(hours, addDays(today, i));
    return day;
  });
}

/** Exceptional rows that end today or later, soonest first (closures and special hours to announce). */
export function upcomingExceptions(hours: ServiceHours[], instant: number): ServiceHours[] {
  const today = localParts(instant).date;
  return hours
    .filter((h) => h.type === 'exceptional' && h.validFrom && (h.validTo ?? h.validFrom).slice(0, 10) >= today)
    .sort((a, b) => a.validFrom!.localeCompare(b.validFrom!));
}

/** Is the place open at the instant, until when, or when does it open next (Helsinki time). */
export function openStatus(hours: ServiceHours[], instant: number): OpenStatus {
  const { date: today, minutes: now } = localParts(instant);
  const { spans: _s, ...todayHours } = hoursOn(hours, today);
  // One timeline in local minutes, day 0 = today, from yesterday (its past-midnight hours) to a week ahead.
  const timeline: [number, number][] = [];
  for (let d = -1; d <= 8; d++) {
    for (const [f, t] of hoursOn(hours, addDays(today, d)).spans) timeline.push([d * DAY + f, d * DAY + t]);
  }
  sortSpans(timeline);
  const merged: [number, number][] = [];
  for (const s of timeline) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([...s]);
  }
  const horizonEnd = 9 * DAY;
  const moment = (m: number): LocalMoment => {
    const d = Math.floor(m / DAY);
    const date = addDays(today, d);
    return { date, weekday: weekdayOf(date), time: formatMinutes(m - d * DAY), daysFromToday: d };
  };
  const toInstant = (m: number) => {
    const d = Math.floor(m / DAY);
    return localToInstant(addDays(today, d), m - d * DAY);
  };
  const nextMidnight = localToInstant(addDays(today, 1), 0);
  const known = hours.some((h) => h.hours.length > 0 || h.isClosed);
  const current = merged.find(([f, t]) => f <= now && now < t);
  if (current) {
    const alwaysOpen = current[0] <= -DAY + 1 && current[1] >= horizonEnd - 1;
    const until = current[1] >= horizonEnd - 1 ? null : moment(current[1]);
    return { open: true, alwaysOpen, until, opensAt: null, today: todayHours, nextChange: Math.min(until ? toInstant(current[1]) : Infinity, nextMidnight), known };
  }
  const next = merged.find(([f]) => f > now && f < 8 * DAY);
  const opensAt = next ? moment(next[0]) : null;
  return { open: false, alwaysOpen: false, until: null, opensAt, today: todayHours, nextChange: Math.min(next ? toInstant(next[0]) : Infinity, nextMidnight), known };
}
