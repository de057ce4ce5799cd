import type { z } from 'zod';
import { AppError } from './errors.ts';

/** Parses input with a zod schema; failures become validation_failed naming each field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const fields: Record<string, string> = {};
  for (const issue of r.error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_';
    fields[key] ??= issue.code === 'invalid_type' ? 'invalid_type' : issue.message;
  }
  throw new AppError('validation_failed', 400, { fields });
}

/** Form data as a plain object (last value wins; use getAll on the FormData for lists). */
export function formObject(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === 'string') out[k] = v;
  return out;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An id from a URL or body that is not a UUID is a missing row (404), not a database error. */
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);
