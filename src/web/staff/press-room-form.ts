import { data } from 'react-router';
import { errorMessage, isAppError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';

/** What a refused press-room console form gets back: the message, the field errors, what was typed. */
export interface PressFormFailure {
  intent: string;
  id?: string;
  message: string;
  fields: Record<string, string>;
  values: Record<string, string>;
  topics?: string[];
}

/**
 * The console press-room pages' error path: a 4xx the form can show comes back as data with
 * its status (the page re-renders with the errors and the values); 401/403/404 go to the
 * error boundary; anything else is not the form's to show.
 */
export function pressFormFailure(e: unknown, lang: Lang, given: Omit<PressFormFailure, 'message' | 'fields'>) {
  if (!isAppError(e) || e.status >= 500) throw e;
  if (e.status === 401 || e.status === 403 || e.status === 404) throw data({ code: e.code }, { status: e.status });
  const fields = (e.details?.fields as Record<string, string> | undefined) ?? {};
  return data<PressFormFailure>({ ...given, message: errorMessage(e.code, lang), fields }, { status: e.status });
}
