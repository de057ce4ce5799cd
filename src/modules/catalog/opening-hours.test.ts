import { describe, expect, it } from 'vitest';
import type { ServiceHours } from './model.ts';
import { dayInRange, hoursOn, localParts, localToInstant, openStatus, weekFrom, weekdayOf } from './opening-hours.ts';

const regular = (hours: ServiceHours['hours'], extra: Partial<ServiceHours> = {}): ServiceHours => ({
  type: 'regular',
  validFrom: null,
  validTo: null,
  isClosed: false,
  hours,
  info: {},
  ...extra,
});
const exceptional = (validFrom: string, validTo: string | null, extra: Partial<ServiceHours> = {}): ServiceHours => ({
  type: 'exceptional',
  validFrom,
  validTo,
  isClosed: true,
  hours: [],
  info: { fi: 'Suljettu', sv: 'Stängt' },
  ...extra,
});
const at = (iso: string) => Date.parse(iso);
/** Office hours of the fixture's City Hall service point. */
const office = [
  regular([
    { dayFrom: 'Monday', dayTo: 'Friday', from: '09:00', to: '16:00' },
  ]),
];

describe('local time in Helsinki', () => {
  it('knows the offset on both sides of daylight saving', () => {
    expect(localParts(at('2026-01-15T10:00:00Z'))).toEqual({ date: '2026-01-15', minutes: 12 * 60 });
    expect(localParts(at('2026-07-15T10:00:00Z'))).toEqual({ date: '2026-07-15', minutes: 13 * 60 });
    // Spring forward 2026-03-29 03:00 → 04:00 (01:00 UTC).
    expect(localParts(at('2026-03-29T00:59:00Z')).minutes).toBe(2 * 60 + 59);
    expect(localParts(at('2026-03-29T01:00:00Z')).minutes).toBe(4 * 60);
    // Autumn back 2026-10-25 04:00 → 03:00 (01:00 UTC).
    expect(localParts(at('2026-10-25T00:59:00Z')).minutes).toBe(3 * 60 + 59);
    expect(localParts(at('2026-10-25T01:00:00Z')).minutes).toBe(3 * 60);
  });

  it('turns a local moment back into the instant', () => {
    expect(new Date(localToInstant('2026-03-30', 9 * 60)).toISOString()).toBe('2026-03-30T06:00:00.000Z');
    expect(new Date(localToInstant('2026-03-27', 9 * 60)).toISOString()).toBe('2026-03-27T07:00:00.000Z');
    expect(new Date(localToInstant('2026-10-26', 16 * 60)).toISOString()).toBe('2026-10-26T14:00:00.000Z');
  });

  it('names weekdays and wraps weekday ranges', () => {
    expect(weekdayOf('2026-03-29')).toBe('Sunday');
    expect(weekdayOf('2026-12-24')).toBe('Thursday');
    expect(dayInRange('Sunday', 'Saturday', 'Monday')).toBe(true);
    expect(dayInRange('Monday', 'Saturday', 'Monday')).toBe(true);
    expect(dayInRange('Wednesday', 'Saturday', 'Monday')).toBe(false);
    expect(dayInRange('Thursday', 'Thursday', null)).toBe(true);
    expect(dayInRange('Friday', 'Thursday', null)).toBe(false);
  });
});

describe('open now across daylight saving', () => {
  it('spring forward: 06:30 UTC on Monday 2026-03-30 is 09:30 local (open), the same UTC time the Friday before is 08:30 (closed)', () => {
    const after = openStatus(office, at('2026-03-30T06:30:00Z'));
    expect(after.open).toBe(true);
    expect(after.until).toMatchObject({ date: '2026-03-30', time: '16:00', daysFromToday: 0 });
    expect(new Date(after.nextChange).toISOString()).toBe('2026-03-30T13:00:00.000Z');
    const before = openStatus(office, at('2026-03-27T06:30:00Z'));
    expect(before.open).toBe(false);
    expect(before.opensAt).toMatchObject({ date: '2026-03-27', time: '09:00', weekday: 'Friday', daysFromToday: 0 });
    expect(new Date(before.nextChange).toISOString()).toBe('2026-03-27T07:00:00.000Z');
  });

  it('autumn back: 06:30 UTC on Monday 2026-10-26 is 08:30 local (closed), on Friday 2026-10-23 it is 09:30 (open)', () => {
    const after = openStatus(office, at('2026-10-26T06:30:00Z'));
    expect(after.open).toBe(false);
    expect(after.opensAt).toMatchObject({ date: '2026-10-26', time: '09:00', daysFromToday: 0 });
    expect(new Date(after.nextChange).toISOString()).toBe('2026-10-26T07:00:00.000Z');
    const before = openStatus(office, at('2026-10-23T06:30:00Z'));
    expect(before.open).toBe(true);
    expect(before.until?.time).toBe('16:00');
  });

  it('the night of the change itself: a 24 h place stays open, and the closing hour counts in local time', () => {
    const night = [regular([{ dayFrom: 'Saturday', dayTo: 'Sunday', from: '22:00', to: '06:00' }])];
    // 2026-03-29 02:30 local (00:30 UTC) is inside Saturday's 22:00–06:00.
    const s = openStatus(night, at('2026-03-29T00:30:00Z'));
    expect(s.open).toBe(true);
    expect(s.until).toMatchObject({ date: '2026-03-29', time: '06:00' });
    // 06:00 local on the summer-time day is 03:00 UTC.
    expect(new Date(s.nextChange).toISOString()).toBe('2026-03-29T03:00:00.000Z');
    const allDay = [regular([{ dayFrom: 'Monday', dayTo: 'Sunday', from: '00:00', to: '23:59' }])];
    const a = openStatus(allDay, at('2026-10-25T01:30:00Z'));
    expect(a.open).toBe(true);
    expect(a.alwaysOpen).toBe(true);
    expect(a.until).toBeNull();
  });
});

describe('exceptional hours', () => {
  const withChristmas = [...office, exceptional('2026-12-24', '2026-12-26', { info: { fi: 'Suljettu joulunpyhinä' } })];

  it('a Christmas closure on a weekday that is normally open', () => {
    // Thursday 2026-12-24 12:00 local = 10:00 UTC (winter time).
    const s = openStatus(withChristmas, at('2026-12-24T10:00:00Z'));
    expect(s.open).toBe(false);
    expect(s.today.exceptional).toEqual({ closed: true, info: { fi: 'Suljettu joulunpyhinä' } });
    expect(s.today.intervals).toEqual([]);
    // Friday 25th is closed too; the weekend is closed anyway; opens Monday 28th.
    expect(s.opensAt).toMatchObject({ date: '2026-12-28', weekday: 'Monday', time: '09:00', daysFromToday: 4 });
    // The same hour a day earlier is normal.
    expect(openStatus(withChristmas, at('2026-12-23T10:00:00Z')).open).toBe(true);
    expect(openStatus(withChristmas, at('2026-12-23T10:00:00Z')).until?.time).toBe('16:00');
  });

  it('a single closed day without validTo', () => {
    const hours = [...office, exceptional('2026-05-01', null)];
    expect(openStatus(hours, at('2026-05-01T08:00:00Z')).open).toBe(false);
    expect(openStatus(hours, at('2026-04-30T08:00:00Z')).open).toBe(true);
  });

  it('special hours override the regular hours on that day only', () => {
    // Eve of a holiday: open 09:00–12:00 instead of 09:00–16:00.
    const hours = [
      ...office,
      exceptional('2026-04-30', '2026-04-30', { isClosed: false, hours: [{ dayFrom: 'Thursday', dayTo: null, from: '09:00', to: '12:00' }], info: { fi: 'Vapun aatto' } }),
    ];
    // 13:00 local = 10:00 UTC (summer time).
    const s = openStatus(hours, at('2026-04-30T10:00:00Z'));
    expect(s.open).toBe(false);
    expect(s.today.intervals).toEqual([{ from: '09:00', to: '12:00' }]);
    expect(s.today.exceptional).toEqual({ closed: false, info: { fi: 'Vapun aatto' } });
    const morning = openStatus(hours, at('2026-04-30T07:00:00Z'));
    expect(morning.open).toBe(true);
    expect(morning.until?.time).toBe('12:00');
    // A Saturday special opening on a day that is normally closed.
    const saturday = [...office, exceptional('2026-05-02', null, { isClosed: false, hours: [{ dayFrom: 'Saturday', dayTo: null, from: '10:00', to: '14:00' }], info: {} })];
    expect(openStatus(saturday, at('2026-05-02T08:00:00Z')).open).toBe(true);
  });
});

describe('regular hours', () => {
  it('weekday ranges, single days and a wrap-around range', () => {
    const hours = [
      regular([
        { dayFrom: 'Monday', dayTo: 'Wednesday', from: '09:00', to: '16:00' },
        { dayFrom: 'Thursday', dayTo: null, from: '09:00', to: '18:00' },
        { dayFrom: 'Saturday', dayTo: 'Monday', from: '18:00', to: '20:00' },
      ]),
    ];
    // Thursday 2026-01-15 17:00 local = 15:00 UTC.
    expect(openStatus(hours, at('2026-01-15T15:00:00Z')).open).toBe(true);
    // Friday closed: next opening is Saturday 18:00.
    const fri = openStatus(hours, at('2026-01-16T10:00:00Z'));
    expect(fri.open).toBe(false);
    expect(fri.opensAt).toMatchObject({ weekday: 'Saturday', time: '18:00', daysFromToday: 1 });
    // Sunday 19:00 is inside Saturday..Monday 18–20.
    expect(openStatus(hours, at('2026-01-18T17:00:00Z')).open).toBe(true);
    // Monday has both 09–16 and 18–20.
    expect(hoursOn(hours, '2026-01-19').intervals).toEqual([
      { from: '09:00', to: '16:00' },
      { from: '18:00', to: '20:00' },
    ]);
  });

  it('hours past midnight belong to the day they start', () => {
    const hours = [regular([{ dayFrom: 'Friday', dayTo: null, from: '20:00', to: '02:00' }])];
    // Saturday 2026-01-17 01:00 local = Friday 23:00 UTC.
    const s = openStatus(hours, at('2026-01-16T23:00:00Z'));
    expect(s.open).toBe(true);
    expect(s.until).toMatchObject({ date: '2026-01-17', time: '02:00' });
    expect(openStatus(hours, at('2026-01-17T01:00:00Z')).open).toBe(false);
  });

  it('24 h written as 00:00–00:00 or 00:00–24:00', () => {
    for (const to of ['00:00', '24:00']) {
      const s = openStatus([regular([{ dayFrom: 'Monday', dayTo: 'Sunday', from: '00:00', to }])], at('2026-06-10T23:59:00Z'));
      expect(s.open).toBe(true);
      expect(s.alwaysOpen).toBe(true);
    }
    // Weekdays round the clock: closes at Saturday midnight.
    const weekdays = openStatus([regular([{ dayFrom: 'Monday', dayTo: 'Friday', from: '00:00', to: '24:00' }])], at('2026-06-10T10:00:00Z'));
    expect(weekdays.until).toMatchObject({ date: '2026-06-13', weekday: 'Saturday', time: '00:00' });
  });

  it('regular hours only inside their validity; summer weekend hours add to the weekday hours', () => {
    const summer = regular([{ dayFrom: 'Saturday', dayTo: 'Sunday', from: '10:00', to: '16:00' }], { validFrom: '2026-06-01', validTo: '2026-08-16' });
    const hours = [...office, summer];
    // Before validity: Saturday 2026-05-30 12:00 local closed.
    expect(openStatus(hours, at('2026-05-30T09:00:00Z')).open).toBe(false);
    // Inside: Saturday 2026-06-06 open, and weekdays still have their usual hours.
    expect(openStatus(hours, at('2026-06-06T09:00:00Z')).open).toBe(true);
    expect(openStatus(hours, at('2026-06-08T09:00:00Z')).open).toBe(true);
    // Last day (inclusive) and the day after.
    expect(openStatus(hours, at('2026-08-16T09:00:00Z')).open).toBe(true);
    expect(openStatus(hours, at('2026-08-22T09:00:00Z')).open).toBe(false);
  });

  it('limited-validity rows replace the open-ended ones on the weekdays they cover', () => {
    const summerHours = regular([{ dayFrom: 'Monday', dayTo: 'Friday', from: '09:00', to: '12:00' }], { validFrom: '2026-06-15', validTo: '2026-08-09' });
    const hours = [...office, summerHours];
    // 14:00 local on a June weekday: summer hours say closed.
    expect(openStatus(hours, at('2026-06-17T11:00:00Z')).open).toBe(false);
    // The same in May: normal hours.
    expect(openStatus(hours, at('2026-05-20T11:00:00Z')).open).toBe(true);
  });

  it('a week table, and nothing claimed without hours', () => {
    const week = weekFrom([...office, exceptional('2026-12-24', '2026-12-26')], at('2026-12-21T10:00:00Z'));
    expect(week.map((d) => d.weekday)).toEqual(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']);
    expect(week[3].exceptional?.closed).toBe(true);
    expect(week[0].intervals).toEqual([{ from: '09:00', to: '16:00' }]);
    const none = openStatus([], at('2026-12-21T10:00:00Z'));
    expect(none.known).toBe(false);
    expect(none.open).toBe(false);
  });
});
