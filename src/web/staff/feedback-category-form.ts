import { ATTRIBUTE_DATATYPES, LOCATION_MODES, type Category } from '../../modules/feedback/model.ts';
import { LANGUAGES, type Lang } from '../../platform/i18n.ts';

/**
 * The category editor's form state: what the page renders, from a stored category or from
 * a post (a failed save, or "add extra field", which posts the form back with one more
 * empty fieldset so the editor needs no JavaScript). Attributes are repeated fieldsets
 * named attr.<n>.<field>; list values are one per line, "key|fi|sv|en".
 */
type L = Record<Lang, string>;
export interface AttrState {
  code: string;
  datatype: string;
  required: boolean;
  order: string;
  description: L;
  values: string;
}
export interface CategoryState {
  code: string;
  names: L;
  descriptions: L;
  orgUnitId: string;
  serviceId: string;
  locationMode: string;
  allowPublic: boolean;
  accessibility: boolean;
  active: boolean;
  slaDays: string;
  sortOrder: string;
  attributes: AttrState[];
  updatedAt: string;
}

const l10n = (v: Partial<Record<Lang, string | null>> | undefined): L => ({ fi: v?.fi ?? '', sv: v?.sv ?? '', en: v?.en ?? '' });

export const emptyAttr = (order: number): AttrState => ({ code: '', datatype: 'string', required: false, order: String(order), description: l10n({}), values: '' });

export function stateFromCategory(c: Category | null, defaults: { orgUnitId: string }): CategoryState {
  if (!c) {
    return {
      code: '',
      names: l10n({}),
      descriptions: l10n({}),
      orgUnitId: defaults.orgUnitId,
      serviceId: '',
      locationMode: 'optional',
      allowPublic: true,
      accessibility: false,
      active: true,
      slaDays: '14',
      sortOrder: '0',
      attributes: [],
      updatedAt: '',
    };
  }
  return {
    code: c.code,
    names: l10n(c.names),
    descriptions: l10n(c.descriptions),
    orgUnitId: c.orgUnitId,
    serviceId: c.serviceId ?? '',
    locationMode: c.locationMode,
    allowPublic: c.allowPublic,
    accessibility: c.accessibility,
    active: c.active,
    slaDays: String(c.slaDays),
    sortOrder: String(c.sortOrder),
    attributes: c.attributes.map((a) => ({
      code: a.code,
      datatype: a.datatype,
      required: a.required,
      order: String(a.order),
      description: l10n(a.description),
      values: a.values.map((v) => [v.key, v.name.fi ?? '', v.name.sv ?? '', v.name.en ?? ''].join('|').replace(/\|+$/, '')).join('\n'),
    })),
    updatedAt: c.updatedAt,
  };
}

export function stateFromForm(form: FormData): CategoryState {
  const s = (k: string) => {
    const v = form.get(k);
    return typeof v === 'string' ? v : '';
  };
  const loc = (prefix: string): L => ({ fi: s(`${prefix}.fi`), sv: s(`${prefix}.sv`), en: s(`${prefix}.en`) });
  const count = Math.min(30, Math.max(0, Number(s('attrCount')) || 0));
  const attributes: AttrState[] = [];
  for (let i = 0; i < count; i++) {
    const p = `attr.${i}`;
    if (s(`${p}.remove`) === '1') continue;
    attributes.push({
      code: s(`${p}.code`).trim(),
      datatype: s(`${p}.datatype`),
      required: s(`${p}.required`) === '1',
      order: s(`${p}.order`),
      description: loc(`${p}.description`),
      values: s(`${p}.values`),
    });
  }
  return {
    code: s('code').trim(),
    names: loc('names'),
    descriptions: loc('descriptions'),
    orgUnitId: s('orgUnitId'),
    serviceId: s('serviceId'),
    locationMode: s('locationMode'),
    allowPublic: s('allowPublic') === '1',
    accessibility: s('accessibility') === '1',
    active: s('active') === '1',
    slaDays: s('slaDays'),
    sortOrder: s('sortOrder'),
    attributes,
    updatedAt: s('updatedAt'),
  };
}

const compact = (v: L) => Object.fromEntries(LANGUAGES.filter((l) => v[l].trim()).map((l) => [l, v[l].trim()]));
/** A number field: a number when it is one; otherwise the raw text, so validation names the field. */
const num = (v: string): number | string => (/^\s*-?\d+\s*$/.test(v) ? Number(v) : v);

/** The service input (categoryInput) from the form state. */
export function inputFromState(s: CategoryState): Record<string, unknown> {
  return {
    code: s.code,
    names: compact(s.names),
    descriptions: compact(s.descriptions),
    orgUnitId: s.orgUnitId,
    serviceId: s.serviceId || null,
    locationMode: s.locationMode,
    allowPublic: s.allowPublic,
    accessibility: s.accessibility,
    active: s.active,
    slaDays: num(s.slaDays),
    sortOrder: num(s.sortOrder || '0'),
    attributes: s.attributes.map((a, i) => ({
      code: a.code,
      datatype: a.datatype,
      required: a.required,
      order: a.order.trim() ? num(a.order) : i,
      description: compact(a.description),
      values:
        a.datatype === 'singlevaluelist' || a.datatype === 'multivaluelist'
          ? a.values
              .split(/\r?\n/)
              .map((line) => line.trim())
              .filter(Boolean)
              .map((line) => {
                const [key, fi = '', sv = '', en = ''] = line.split('|').map((x) => x.trim());
                return { key, name: compact({ fi: fi || key, sv, en }) };
              })
          : [],
    })),
  };
}

export { ATTRIBUTE_DATATYPES, LOCATION_MODES };
