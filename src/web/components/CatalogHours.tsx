import type { Lang } from '../../platform/i18n.ts';
import type { ServiceHours } from '../../modules/catalog/model.ts';
import { WEEKDAYS, dayInRange } from '../../modules/catalog/opening-hours.ts';
import { DASH, formatTime, type CatalogT, weekdayName } from './Catalog.tsx';

/**
 * The usual weekly hours in one line, e.g. "ma–ke 9.00–16.00, to 9.00–18.00, pe 9.00–15.00":
 * what a phone line or a place near the service shows before the full table on the unit page.
 */
export function regularHoursSummary(hours: ServiceHours[], t: CatalogT, lang: Lang, today: string): string {
  const rows = hours.filter(
    (h) => h.type === 'regular' && !h.isClosed && (!h.validFrom || h.validFrom.slice(0, 10) <= today) && (!h.validTo || h.validTo.slice(0, 10) >= today),
  );
  const limited = rows.filter((h) => h.validFrom || h.validTo);
  const use = limited.length ? [...limited, ...rows.filter((h) => !h.validFrom && !h.validTo)] : rows;
  const parts: string[] = [];
  for (const h of use) {
    for (const o of h.hours) {
      const allWeek = WEEKDAYS.every((d) => dayInRange(d, o.dayFrom, o.dayTo));
      const allDay = o.from === '00:00' && ['00:00', '23:59', '24:00'].includes(o.to);
      if (allWeek && allDay) return t('open247');
      const days = o.dayTo && o.dayTo !== o.dayFrom ? `${weekdayName(t, o.dayFrom, true)}${DASH}${weekdayName(t, o.dayTo, true)}` : weekdayName(t, o.dayFrom, true);
      const times = allDay ? `0${DASH}24` : `${formatTime(o.from, lang)}${DASH}${formatTime(o.to === '23:59' ? '24:00' : o.to, lang)}`;
      parts.push(`${days} ${times}`);
    }
  }
  return parts.join(', ');
}
