import type { ServiceHours, Weekday } from '../../modules/catalog/model.ts';
import type { TeamDetail, TeamInput } from '../../modules/inbox/teams.ts';
import { LANGUAGES, type Lang } from '../../platform/i18n.ts';

/**
 * The team editor's form, both ways: a stored team as the values the inputs show, and the
 * posted form as the service's input plus a map from the service's error paths to the
 * form's field names (so an error lands under the input that caused it). The weekly grid
 * is the first regular hours entry without a validity period, one opening per day, like
 * the catalog's unit editor; other entries (exceptional days from the API) are kept.
 */
export const DAYS: Weekday[] = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
export type SlaUnit = 'minutes' | 'hours';

export interface TeamFormState {
  names: Record<Lang, string>;
  hours: Record<Weekday, { from: string; to: string }>;
  firstSla: string;
  firstSlaUnit: SlaUnit;
  resSla: string;
  resSlaUnit: SlaUnit;
  emailAddress: string;
  autoAssign: boolean;
  isDefault: boolean;
  active: boolean;
  sortOrder: string;
  members: string[];
  capacity: Record<string, string>;
}

export function splitHours(hours: ServiceHours[]) {
  const weeklyIndex = hours.findIndex((h) => h.type === 'regular' && !h.validFrom && !h.validTo);
  const weekly = weeklyIndex >= 0 ? hours[weeklyIndex] : null;
  const other = hours.filter((_, i) => i !== weeklyIndex);
  const perDay = Object.fromEntries(DAYS.map((d) => [d, { from: '', to: '' }])) as TeamFormState['hours'];
  for (const row of weekly?.hours ?? []) {
    const from = DAYS.indexOf(row.dayFrom);
    const to = row.dayTo ? DAYS.indexOf(row.dayTo) : from;
    for (let d = from; d <= to && d >= 0; d++) if (!perDay[DAYS[d]].from) perDay[DAYS[d]] = { from: row.from, to: row.to };
  }
  return { perDay, other };
}

const slaShown = (minutes: number): [string, SlaUnit] => (minutes >= 60 && minutes % 60 === 0 ? [String(minutes / 60), 'hours'] : [String(minutes), 'minutes']);

export function stateFromTeam(team: TeamDetail | null, capacities: Record<string, number>): TeamFormState {
  const [firstSla, firstSlaUnit] = slaShown(team?.firstResponseSlaMinutes ?? 60);
  const [resSla, resSlaUnit] = slaShown(team?.resolutionSlaMinutes ?? 2880);
  return {
    names: { fi: team?.names.fi ?? '', sv: team?.names.sv ?? '', en: team?.names.en ?? '' },
    hours: splitHours(team?.businessHours ?? []).perDay,
    firstSla,
    firstSlaUnit,
    resSla,
    resSlaUnit,
    emailAddress: team?.emailAddress ?? '',
    autoAssign: team?.autoAssign ?? true,
    isDefault: team?.isDefault ?? false,
    active: team?.active ?? true,
    sortOrder: String(team?.sortOrder ?? 0),
    members: team?.members.map((m) => m.staffUserId) ?? [],
    capacity: Object.fromEntries(Object.entries(capacities).map(([k, v]) => [k, String(v)])),
  };
}

const str = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
};

export function stateFromForm(form: FormData): TeamFormState {
  const capacity: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (k.startsWith('capacity.') && typeof v === 'string') capacity[k.slice('capacity.'.length)] = v;
  const unit = (v: string): SlaUnit => (v === 'hours' ? 'hours' : 'minutes');
  return {
    names: Object.fromEntries(LANGUAGES.map((l) => [l, str(form, `names.${l}`)])) as Record<Lang, string>,
    hours: Object.fromEntries(DAYS.map((d) => [d, { from: str(form, `hours.${d}.from`).trim(), to: str(form, `hours.${d}.to`).trim() }])) as TeamFormState['hours'],
    firstSla: str(form, 'firstSla').trim(),
    firstSlaUnit: unit(str(form, 'firstSlaUnit')),
    resSla: str(form, 'resSla').trim(),
    resSlaUnit: unit(str(form, 'resSlaUnit')),
    emailAddress: str(form, 'emailAddress').trim(),
    autoAssign: form.get('autoAssign') === '1',
    isDefault: form.get('isDefault') === '1',
    active: form.get('active') === '1',
    sortOrder: str(form, 'sortOrder').trim(),
    members: form.getAll('member').filter((v): v is string => typeof v === 'string'),
    capacity,
  };
}

/** A number typed in the form: "" and words stay as they are so the service names the field. */
const typedNumber = (v: string): unknown => (/^-?\d+(\.\d+)?$/.test(v.replace(',', '.')) ? Number(v.replace(',', '.')) : v === '' ? undefined : v);

/**
 * The service's input from the form, the form-side errors found before it (a day with only
 * one of its times), and where each service error path belongs in the form.
 */
export function inputFromState(st: TeamFormState, keptHours: ServiceHours[]): { input: TeamInput; fields: Record<string, string>; pathMap: Record<string, string> } {
  const fields: Record<string, string> = {};
  const pathMap: Record<string, string> = {
    firstResponseSlaMinutes: 'firstSla',
    resolutionSlaMinutes: 'resSla',
    'names.fi': 'names',
    'names.sv': 'names',
    'names.en': 'names',
  };
  const rows: { dayFrom: Weekday; dayTo: null; from: string; to: string }[] = [];
  for (const d of DAYS) {
    const { from, to } = st.hours[d];
    if (!from && !to) continue;
    if (!from || !to) {
      fields[`hours.${d}.${from ? 'to' : 'from'}`] = 'half_row';
      continue;
    }
    pathMap[`businessHours.0.hours.${rows.length}.from`] = `hours.${d}.from`;
    pathMap[`businessHours.0.hours.${rows.length}.to`] = `hours.${d}.to`;
    rows.push({ dayFrom: d, dayTo: null, from, to });
  }
  const weekly: ServiceHours[] = rows.length ? [{ type: 'regular', validFrom: null, validTo: null, isClosed: false, hours: rows, info: {} }] : [];
  const minutes = (v: string, unit: SlaUnit) => {
    const n = typedNumber(v);
    return typeof n === 'number' && unit === 'hours' ? Math.round(n * 60) : n;
  };
  st.members.forEach((id, i) => (pathMap[`members.${i}.staffUserId`] = 'members'));
  st.members.forEach((id, i) => (pathMap[`members.${i}.capacity`] = `capacity.${id}`));
  const input = {
    names: Object.fromEntries(LANGUAGES.map((l) => [l, st.names[l].trim()])),
    businessHours: [...weekly, ...keptHours],
    firstResponseSlaMinutes: minutes(st.firstSla, st.firstSlaUnit),
    resolutionSlaMinutes: minutes(st.resSla, st.resSlaUnit),
    emailAddress: st.emailAddress || null,
    autoAssign: st.autoAssign,
    isDefault: st.isDefault,
    active: st.active,
    sortOrder: typedNumber(st.sortOrder) ?? 0,
    members: st.members.map((id) => ({ staffUserId: id, capacity: typedNumber(st.capacity[id] ?? '5') ?? 5 })),
  } as TeamInput;
  return { input, fields, pathMap };
}

/** Service error paths → form field names. */
export function formFields(fields: Record<string, string>, pathMap: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) out[pathMap[k] ?? k] ??= v;
  return out;
}
