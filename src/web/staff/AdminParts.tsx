import { isRouteErrorResponse, useRouteError } from 'react-router';
import { translator } from '../i18n/define.ts';
import { staffSettings, type StaffSettingsKey } from '../i18n/staff-settings.ts';
import { useLang } from '../root.tsx';
import { fieldId } from './admin-page.ts';

type T = ReturnType<typeof translator<(typeof staffSettings)['fi']>>;

export function useAdminText(): T {
  return translator(staffSettings, useLang());
}

/** The localized message for an error key from the server (validation codes). */
export function errorText(t: T, code: string): string {
  const key = `err_${code}` as StaffSettingsKey;
  return key in staffSettings.fi ? t(key) : t('err_invalid');
}

/** The error under a field; its id is what the field's aria-describedby points at. */
export function FieldError({ name, fields, t }: { name: string; fields?: Record<string, string>; t: T }) {
  const code = fields?.[name];
  if (!code) return null;
  return (
    <p id={`${fieldId(name)}-error`} className="field-error">
      <span className="visually-hidden">{t('errorPrefix')} </span>
      {errorText(t, code)}
    </p>
  );
}

/** aria-describedby for a field with an optional hint and a possible error. */
export function describedBy(name: string, fields: Record<string, string> | undefined, hint = false): string | undefined {
  const ids = [hint ? `${fieldId(name)}-hint` : '', fields?.[name] ? `${fieldId(name)}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** Form-level error, announced when the page comes back from a failed post. */
export function FormAlert({ message, fields, t }: { message?: string; fields?: Record<string, string>; t: T }) {
  if (!message) return null;
  const hasFields = fields && Object.keys(fields).length > 0;
  return (
    <div className="alert" role="alert">
      <p>{hasFields ? t('formErrors') : message}</p>
    </div>
  );
}

/**
 * ErrorBoundary of the admin pages: renders inside the console layout, so a member of
 * staff without the role sees a localized "no access" (403) with the console around it.
 */
export function AdminErrorBoundary() {
  const error = useRouteError();
  const lang = useLang();
  const t = translator(staffSettings, lang);
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const [title, text] =
    status === 403 ? [t('forbiddenTitle'), t('forbiddenText')] : status === 404 ? [t('notFoundTitle'), t('notFoundText')] : [t('errorTitle'), t('errorText')];
  return (
    <>
      <title>{title}</title>
      <h1>{title}</h1>
      <p>{text}</p>
      <p>
        <a href={`/${lang}/staff`}>{t('backToConsole')}</a>
      </p>
    </>
  );
}

/**
 * A labelled one-line input with optional hint and error, wired for assistive tech
 * (aria-invalid, aria-describedby). The caller passes the error already localized, so
 * pages with their own dictionaries share it.
 */
export function TextField(props: {
  name: string;
  label: string;
  defaultValue: string;
  error?: string;
  /** Read before the error by screen readers, e.g. "Virhe:". */
  errorPrefix: string;
  hint?: string;
  type?: string;
  autoComplete?: string;
  lang?: string;
  spellCheck?: boolean;
}) {
  const id = fieldId(props.name);
  const describedBy = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <p id={`${id}-hint`} className="hint">
          {props.hint}
        </p>
      )}
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        defaultValue={props.defaultValue}
        autoComplete={props.autoComplete ?? 'off'}
        lang={props.lang}
        spellCheck={props.spellCheck}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy}
      />
      {props.error && (
        <p id={`${id}-error`} className="field-error">
          <span className="visually-hidden">{props.errorPrefix} </span>
          {props.error}
        </p>
      )}
    </div>
  );
}
