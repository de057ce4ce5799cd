import type { Actor } from '../identity/actor.ts';
import type { Services } from '../../server/services.ts';
import { AppError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import { validateSubmission } from './cases.ts';
import type { Category, IncomingFile, SubmissionInput, SubmitResult } from './model.ts';
import { placeAddress, type Place } from './places.ts';

/**
 * The resident form's server side: reading the posted form (which works without
 * JavaScript), resolving a typed address against the register, and handing the result
 * to the one submission path (services.feedback.submit).
 */

export interface FeedbackFormValues {
  category: string;
  description: string;
  attributes: Record<string, string | string[]>;
  address: string;
  lat: string;
  lon: string;
  placeId: string;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  keepLocation: boolean;
  idempotencyKey: string;
}

export const emptyValues = (idempotencyKey: string, contact: { name?: string | null; email?: string | null } = {}, category = ''): FeedbackFormValues => ({
  category,
  description: '',
  attributes: {},
  address: '',
  lat: '',
  lon: '',
  placeId: '',
  contactName: contact.name ?? '',
  contactEmail: contact.email ?? '',
  contactPhone: '',
  keepLocation: false,
  idempotencyKey,
});

const str = (form: FormData, name: string, max = 10_000) => {
  const v = form.get(name);
  return typeof v === 'string' ? v.slice(0, max) : '';
};

/** The form's fields; attribute values only for the chosen category's questions. */
export function readForm(form: FormData, category: Category | null): FeedbackFormValues {
  const attributes: Record<string, string | string[]> = {};
  for (const a of category?.attributes ?? []) {
    const name = `attr.${a.code}`;
    if (a.datatype === 'multivaluelist') attributes[a.code] = form.getAll(name).filter((v): v is string => typeof v === 'string');
    else attributes[a.code] = str(form, name, 5000);
  }
  return {
    category: str(form, 'category', 100),
    description: str(form, 'description', 20_000),
    attributes,
    address: str(form, 'address', 300),
    lat: str(form, 'lat', 40),
    lon: str(form, 'lon', 40),
    placeId: str(form, 'placeId', 40),
    contactName: str(form, 'contactName', 300),
    contactEmail: str(form, 'contactEmail', 300),
    contactPhone: str(form, 'contactPhone', 100),
    keepLocation: form.get('keepLocation') === 'on' || form.get('keepLocation') === '1',
    idempotencyKey: str(form, 'idempotencyKey', 200),
  };
}

/** Files the browser sent; an empty file input posts one nameless empty part, which is not a file. */
export async function readFiles(form: FormData, keepLocation: boolean): Promise<IncomingFile[]> {
  const out: IncomingFile[] = [];
  for (const f of form.getAll('files')) {
    if (typeof f === 'string' || (f.size === 0 && !f.name)) continue;
    out.push({ filename: f.name || 'attachment', data: new Uint8Array(await f.arrayBuffer()), keepLocation });
  }
  return out;
}

export type FormOutcome =
  | { kind: 'sent'; result: SubmitResult }
  | { kind: 'choose_address'; candidates: Place[]; values: FeedbackFormValues; errors: Record<string, string> };

/**
 * Sends the form. The location: a chosen register entry (placeId, the no-JS choice among
 * candidates), else coordinates the page's script set (autocomplete or map pin), else the
 * typed address geocoded here: one match is used, several are offered to choose from, none
 * is an error with a hint. Throws AppError for everything the resident must fix.
 */
export async function sendForm(
  services: Services,
  actor: Actor,
  tenant: { id: string },
  lang: Lang,
  category: Category,
  values: FeedbackFormValues,
  files: IncomingFile[],
  ctx: { ip: string; origin: string; honeypot: string },
): Promise<FormOutcome> {
  let lat: number | null = null;
  let lon: number | null = null;
  let address = values.address.trim() || null;
  const input = (): SubmissionInput => ({
    categoryCode: category.code,
    description: values.description,
    attributes: values.attributes,
    lat,
    lon,
    address,
    contactName: values.contactName,
    contactEmail: values.contactEmail,
    contactPhone: values.contactPhone,
    lang,
    files,
    idempotencyKey: values.idempotencyKey || null,
    honeypot: ctx.honeypot,
  });
  // When the address needs the resident again, the rest of the form is checked too, so that
  // one round trip shows every problem at once.
  const otherErrors = (): Record<string, string> => {
    try {
      validateSubmission(category, input());
      return {};
    } catch (e) {
      return e instanceof AppError ? (((e.details as { fields?: Record<string, string> } | undefined)?.fields ?? {}) as Record<string, string>) : {};
    }
  };
  if (category.locationMode !== 'none') {
    if (values.placeId) {
      const p = await services.places.byId(tenant.id, values.placeId, lang);
      if (!p) throw new AppError('validation_failed', 400, { fields: { address: 'not_found' } });
      ({ lat, lon } = p);
      address = placeAddress(p);
    } else if (values.lat && values.lon) {
      lat = Number(values.lat);
      lon = Number(values.lon);
    } else if (address) {
      const g = await services.places.geocode(tenant.id, address, lang);
      if (g.kind === 'ambiguous') return { kind: 'choose_address', candidates: g.places, values, errors: { ...otherErrors(), address: 'ambiguous' } };
      if (g.kind === 'not_found') throw new AppError('validation_failed', 400, { fields: { ...otherErrors(), address: 'not_found' } });
      ({ lat, lon } = g.place);
      address = placeAddress(g.place);
    }
  } else {
    address = null;
  }
  const result = await services.feedback.submit(actor, tenant.id, input(), { channel: 'web', ip: ctx.ip, origin: ctx.origin });
  return { kind: 'sent', result };
}
